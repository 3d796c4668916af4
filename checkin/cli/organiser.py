"""Commands for organisers: the lists (report), merging door journals, forgetting guests,
and purging old events' guest data."""

from __future__ import annotations

import argparse
import sys

from checkin.cli.guests import _db
from checkin.cli.hosts import run_follow_up
from checkin.cli.output import emit_json

EXIT_NOT_COMPLETE = 4  # forget did what it could; the message says what is left and why


def register(sub, parents) -> None:
    from checkin.reports import KINDS

    j, e = parents["json"], parents["event"]

    p = sub.add_parser(
        "report",
        help="an organiser's list as PDF or CSV (format from the file suffix)",
        parents=[j, e],
    )
    p.add_argument("kind", choices=(*KINDS, "follow-up"))
    p.add_argument("--out", required=True, help="a file ending in .pdf or .csv")
    p.add_argument(
        "--eml-folder", metavar="DIR", help="follow-up: also one e-mail draft per host (not sent)"
    )
    p.set_defaults(handler=run_report)

    p = sub.add_parser(
        "merge",
        help="merge door journals (or JSON attendance exports) into this database",
        description="All or nothing: a corrupt file merges nothing. A torn last line (a "
        "power cut while writing) is skipped and reported. Merging twice changes nothing.",
        parents=[j, e],
    )
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="journal .jsonl, export .json, or a folder"
    )
    p.add_argument(
        "--accept-unsigned",
        action="store_true",
        help="also merge journals written before journals were signed (only if you trust them)",
    )
    p.set_defaults(handler=run_merge)

    p = sub.add_parser(
        "forget", help="remove a person from every event (privacy request)", parents=[j]
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--email")
    who.add_argument("--code")
    who.add_argument(
        "--finish",
        action="store_true",
        help="clear the copies an earlier forget could not (another program was reading)",
    )
    p.add_argument(
        "--journal-folder", help="also list the journal files in this folder that mention them"
    )
    p.set_defaults(handler=run_forget)

    p = sub.add_parser(
        "purge", help="delete guest data of events that ended long ago (retention)", parents=[j]
    )
    p.add_argument("--older-than-days", type=int, required=True, metavar="N")
    p.set_defaults(handler=run_purge)


def run_report(args: argparse.Namespace) -> int:
    from checkin.reports import write_report

    if args.kind == "follow-up":  # hosting's list: checkin/cli/hosts.py
        return run_follow_up(args)

    result = write_report(_db(args), args.event, args.kind, args.out)
    if args.json:
        emit_json(result.as_json())
    else:
        print(f"Wrote the {args.kind} list ({result.rows} lines) to {result.out}")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from checkin.merge import merge_files

    report = merge_files(_db(args), args.event, args.files, accept_unsigned=args.accept_unsigned)
    doc = report.as_json()
    if args.json:
        emit_json(doc)
        return 0
    for f in report.files:
        print(f"{f.path}: {f.records} records ({f.kind}{', ' + f.device if f.device else ''})")
    print(
        f"Merged into {report.event}: {report.added} new, {report.already} already here, "
        f"{report.duplicates} duplicate check-ins, {report.guests_created} guests added; "
        f"{report.checked_in} checked in now."
    )
    for note in doc["notes"]:
        print(f"  ! {note}")
    for line in report.refused:
        print(f"  refused: {line}")
    for line in report.conflicts:
        print(f"  conflict: {line}")
    return 0


def run_forget(args: argparse.Namespace) -> int:
    from checkin.privacy import finish_forgetting, forget

    if args.finish:
        scrub = finish_forgetting(_db(args))
        doc = {"complete": scrub.complete, "remaining": list(scrub.remaining)}
        if args.json:
            emit_json({**doc, "notes": list(scrub.notes)})
        elif scrub.complete:
            print("Done: the deleted rows are gone from the database files.")
        else:
            print("Not yet complete: copies of deleted rows are still in", file=sys.stderr)
            for where in scrub.remaining:
                print(f"  {where}", file=sys.stderr)
        return 0 if scrub.complete else EXIT_NOT_COMPLETE
    result = forget(_db(args), email=args.email, code=args.code, journal_folder=args.journal_folder)
    if args.json:
        emit_json(result.as_json())
        return 0 if result.complete else EXIT_NOT_COMPLETE
    events = ", ".join(result.events) or "no event"
    if result.complete:
        print(f"Forgotten: {result.registrations} registration(s) at {events}.")
    else:
        print(
            f"Removed {result.registrations} registration(s) at {events} from the tables, "
            "but NOT yet complete: copies are still in"
        )
        for where in result.scrub.remaining:
            print(f"  ! {where}")
    for note in result.scrub.notes:
        print(f"  (note: {note})")
    for path in result.journal_files:
        print(f"  ! {path} mentions them: delete it once it is merged")
    for path in result.files:
        print(f"  ! {path}: written by Welcome Desk and names them: delete it")
    return 0 if result.complete else EXIT_NOT_COMPLETE


def run_purge(args: argparse.Namespace) -> int:
    from checkin.privacy import purge

    result = purge(_db(args), older_than_days=args.older_than_days)
    if args.json:
        emit_json(result.as_json())
        return 0
    if not result.events:
        print(f"No event ended more than {args.older_than_days} days ago with guest data left.")
        return 0
    print(
        f"Purged {result.registrations} registration(s) of {', '.join(result.events)}; "
        f"{result.people} person record(s) deleted. The counts are kept."
    )
    for where in result.scrub.remaining:
        print(f"  ! not yet complete, copies are still in {where}")
    return 0
