"""Commands for the door: demo, events, import, scan, search, walk-in, undo, export, codes."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from checkin.cli import event_key
from checkin.cli.output import describe, emit_json, show


def _db(args: argparse.Namespace):
    from checkin.store.db import open_database

    return open_database(args.database)


def _journal(args: argparse.Namespace, db, device: str):
    """This device's attendance journal, when --journal-folder (or its variable) is set."""
    folder = getattr(args, "journal_folder", None)
    if not folder:
        return None
    from checkin.journal.writer import Journal

    return Journal.for_event(db, args.event, folder, device)


def register(sub, parents) -> None:
    j, e = parents["json"], parents["event"]

    p = sub.add_parser("gui", help="open the desktop app", parents=[parents["event?"]])
    # `checkin gui --database X` as well as `checkin --database X gui`.
    p.add_argument("--database", "-d", dest="gui_database", metavar="URL", help="as above")
    p.set_defaults(handler=run_gui)

    p = sub.add_parser("demo", help="create the demo event (idempotent)", parents=[j])
    p.set_defaults(handler=run_demo)

    p = sub.add_parser("event", help="create or list events")
    esub = p.add_subparsers(dest="event_command", metavar="ACTION", required=True)
    c = esub.add_parser("create", help="create an event", parents=[j])
    c.add_argument("name")
    c.add_argument("--date", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    c.add_argument("--one-per-profession", action="store_true", help="warn on profession clash")
    c.add_argument("--admit-unpaid", action="store_true", help="let unpaid tickets in")
    c.set_defaults(handler=run_event_create)
    c = esub.add_parser("options", help="change an event's door options", parents=[j])
    c.add_argument("name", help="event name or id")
    paid = c.add_mutually_exclusive_group()
    paid.add_argument("--admit-unpaid", dest="admit_unpaid", action="store_true", default=None)
    paid.add_argument("--refuse-unpaid", dest="admit_unpaid", action="store_false")
    c.set_defaults(handler=run_event_options)
    c = esub.add_parser("list", help="list events", parents=[j])
    c.set_defaults(handler=run_event_list)
    event_key.register(esub, parents)

    p = sub.add_parser(
        "scan",
        help="check in one code (or, with -, every code read from standard input)",
        description="With CODE '-', reads codes from standard input, one a line, and prints "
        "one JSON outcome a line as each is committed (a serial scanner, a scripted door).",
        parents=[j, e],
    )
    p.add_argument("code", help="the scanned code, or - to read codes from standard input")
    p.add_argument("--device", default="command line", help="door name shown to other doors")
    p.add_argument("--nonce", help="repeat-safe id of this scan (default: a new one)")
    p.set_defaults(handler=run_scan)

    p = sub.add_parser("search", help="find guests by name, email or company", parents=[j, e])
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(handler=run_search)

    p = sub.add_parser("walkin", help="register a walk-in and check them in", parents=[j, e])
    p.add_argument("--name", required=True)
    p.add_argument("--email")
    p.add_argument("--company")
    p.add_argument("--job-title")
    p.add_argument("--interests", help="comma-separated")
    first = p.add_mutually_exclusive_group()
    first.add_argument("--first-time", dest="first_time", action="store_true", default=None)
    first.add_argument("--returning", dest="first_time", action="store_false")
    p.add_argument("--device", default="command line")
    p.set_defaults(handler=run_walkin)

    p = sub.add_parser("undo", help="undo a guest's check-in", parents=[j, e])
    p.add_argument("code")
    p.add_argument("--device", default="command line")
    p.set_defaults(handler=run_undo)

    p = sub.add_parser("export", help="write the attendance file", parents=[j, e])
    p.add_argument("--out", required=True)
    p.add_argument("--format", choices=["csv", "json", "xlsx"])
    p.set_defaults(handler=run_export)

    p = sub.add_parser("codes", help="QR codes for guests (PNG folder or .pdf)", parents=[j, e])
    p.add_argument("--out", required=True, help="a folder for PNGs, or a file ending in .pdf")
    p.add_argument("--code", action="append", help="only these guests (repeatable)")
    p.set_defaults(handler=run_codes)


def run_gui(args: argparse.Namespace) -> int:
    from ui.app import run

    database = getattr(args, "gui_database", None) or args.database
    return run(database=database, event=getattr(args, "event", None))


def run_demo(args: argparse.Namespace) -> int:
    from checkin.demo import make_demo
    from checkin.events import event_info

    db = _db(args)
    name = make_demo(db)
    if args.json:
        emit_json(event_info(db, name).as_json())
    else:
        print(name)
    return 0


def run_event_create(args: argparse.Namespace) -> int:
    from checkin.events import create_event, set_event_options

    db = _db(args)
    info = create_event(db, args.name, args.date)
    if args.one_per_profession or args.admit_unpaid:
        info = set_event_options(
            db,
            info.id,
            one_per_profession=args.one_per_profession or None,
            admit_unpaid=args.admit_unpaid or None,
        )
    if args.json:
        emit_json(info.as_json())
    else:
        print(f"Created event {info.name!r} (id {info.id})")
    return 0


def run_event_options(args: argparse.Namespace) -> int:
    from checkin.events import set_event_options

    info = set_event_options(_db(args), args.name, admit_unpaid=args.admit_unpaid)
    unpaid = "admitted" if info.admit_unpaid else "refused (NOT PAID)"
    show(args, info.as_json(), f"{info.name}: unpaid tickets are {unpaid} at the door")
    return 0


def run_event_list(args: argparse.Namespace) -> int:
    from checkin.events import list_events

    events = list_events(_db(args))
    if args.json:
        emit_json({"events": [e.as_json() for e in events]})
        return 0
    for ev in events:
        day = ev.day.isoformat() if ev.day else "          "
        print(f"{ev.id:>4}  {day}  {ev.name}  ({ev.checked_in}/{ev.registrations} checked in)")
    return 0


def run_scan(args: argparse.Namespace) -> int:
    from checkin.door.engine import check_in

    db = _db(args)
    if args.code == "-":
        return _scan_stream(args, db, sys.stdin)
    outcome = check_in(
        db,
        args.event,
        args.code,
        device=args.device,
        nonce=args.nonce,
        journal=_journal(args, db, args.device),
    )
    show(args, outcome.as_json(), describe(outcome))
    return 0


def _scan_stream(args: argparse.Namespace, db, lines) -> int:
    """One JSON outcome a line, printed (and flushed) as each check-in is committed: the
    door's own path, journal included. A code that fails prints an error line; the rest go on."""
    import json

    from checkin.door.engine import check_in
    from checkin.errors import CheckinError, InvalidInput

    if args.nonce:
        raise InvalidInput("--nonce names one scan: it cannot go with '-' (many scans).")
    journal = _journal(args, db, args.device)
    failed = 0
    for line in lines:
        code = line.strip()
        if not code:
            continue
        try:
            doc = check_in(db, args.event, code, device=args.device, journal=journal).as_json()
        except CheckinError as exc:
            failed += 1
            doc = {"code": code, "error": str(exc)}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()
    if journal is not None:
        journal.close()
    return 1 if failed else 0


def run_search(args: argparse.Namespace) -> int:
    from checkin.door.search import search_guests

    hits = search_guests(_db(args), args.event, args.text, args.limit)
    if args.json:
        emit_json({"query": args.text, "results": [h.as_json() for h in hits]})
        return 0
    if not hits:
        print("No guest matches.", file=sys.stderr)
        return 0
    for h in hits:
        mark = "✓" if h.checked_in else " "
        extra = " (cancelled)" if h.status == "cancelled" else ""
        print(f"{mark} {h.name:<28} {h.company or '':<26} {h.code}{extra}")
    return 0


def run_walkin(args: argparse.Namespace) -> int:
    from checkin.door.walkins import walk_in

    db = _db(args)
    outcome = walk_in(
        db,
        args.event,
        name=args.name,
        email=args.email,
        company=args.company,
        job_title=args.job_title,
        interests=args.interests,
        first_time=args.first_time,
        device=args.device,
        journal=_journal(args, db, args.device),
    )
    show(args, outcome.as_json(), f"{describe(outcome)}\n  code: {outcome.code}")
    return 0


def run_undo(args: argparse.Namespace) -> int:
    from checkin.door.leave import undo

    db = _db(args)
    journal = _journal(args, db, args.device)
    result = undo(db, args.event, args.code, device=args.device, journal=journal)
    show(args, {**result.as_json(), "undone": result.done}, result.message)
    return 0 if result.done else 1


def run_export(args: argparse.Namespace) -> int:
    from checkin.reports.export import export_attendance

    n = export_attendance(_db(args), args.event, args.out, args.format)
    show(args, {"rows": n, "out": args.out}, f"Wrote {n} guests to {args.out}")
    return 0


def run_codes(args: argparse.Namespace) -> int:
    from checkin.badges.qr_sheets import write_codes

    n = write_codes(_db(args), args.event, args.out, args.code)
    show(args, {"codes": n, "out": args.out}, f"Wrote {n} QR codes to {args.out}")
    return 0
