"""`checkin pretix pull` / `checkin pretix push`: the guest list in from pretix's API, the
door's check-ins back to a pretix check-in list.

The API token comes from $PRETIX_TOKEN or is asked for (not echoed); it is never printed,
logged or written to the journal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from checkin.cli.output import emit_json
from checkin.errors import InvalidInput
from checkin.timeutil import local_hhmm

TOKEN_ENV = "PRETIX_TOKEN"


def register(sub, parents) -> None:
    j = parents["json"]
    p = sub.add_parser("pretix", help="pull the guest list from pretix, push check-ins back")
    cmds = p.add_subparsers(dest="pretix_command", metavar="COMMAND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", required=True, help="pretix address, e.g. https://pretix.eu")
    common.add_argument("--organizer", required=True, help="the organizer's short name")

    pull = cmds.add_parser(
        "pull",
        parents=[j, common],
        help="import the event's tickets from pretix (all or nothing; run again to update)",
        description="Reads every order of the pretix event through the API and imports its "
        "tickets like a guest-list file: paid = registered, pending = unpaid, expired or "
        f"cancelled = cancelled. Token: ${TOKEN_ENV}, else asked for.",
    )
    pull.add_argument("--event", required=True, help="the pretix event's short name (slug)")
    pull.add_argument("--list", type=int, help="only products on this pretix check-in list")
    pull.add_argument("--into", required=True, help="the Welcome Desk event to import into")
    pull.add_argument("--dry-run", action="store_true", help="show what would change")
    pull.set_defaults(handler=run_pull)

    push = cmds.add_parser(
        "push",
        parents=[j, common],
        help="send the door's check-ins to a pretix check-in list (repeat-safe)",
        description="Sends each check-in the door admitted, with its own time and nonce; "
        "check-outs as exits, undos as annulments. A second push sends only what is new.",
    )
    push.add_argument("--list", type=int, required=True, help="the pretix check-in list id")
    push.add_argument("--event", "-e", required=True, help="the Welcome Desk event")
    push.add_argument("--dry-run", action="store_true", help="ask pretix, record nothing")
    push.add_argument(
        "--retry-refused", action="store_true", help="send again what pretix refused before"
    )
    push.set_defaults(handler=run_push)


def _token() -> str:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token:
        return token
    if not sys.stdin.isatty():
        raise InvalidInput(f"no pretix API token: set {TOKEN_ENV}")
    return getpass.getpass("pretix API token (not shown): ").strip()


def _client(args: argparse.Namespace):
    from checkin.pretix.client import PretixClient

    return PretixClient(args.url, args.organizer, _token())


def _progress(args: argparse.Namespace):
    if args.json or not sys.stderr.isatty():
        return None

    def report(what: str, done: int, total: int | None) -> None:
        of = f"/{total}" if total else ""
        print(f"\r{what}: {done}{of}   ", end="", file=sys.stderr, flush=True)

    return report


def run_pull(args: argparse.Namespace) -> int:
    from checkin.pretix.pull import pull
    from checkin.store.db import open_database

    client = _client(args)
    db = open_database(args.database)
    summary = pull(
        db,
        client,
        args.event,
        args.into,
        list_id=args.list,
        dry_run=args.dry_run,
        report=_progress(args),
    )
    if _progress(args):
        print(file=sys.stderr)
    if args.json:
        emit_json(summary.as_json())
        return 0
    verb = "Would import" if args.dry_run else "Imported"
    unpaid = summary.unpaid
    print(
        f"{verb} {summary.rows} tickets from pretix {args.organizer}/{args.event}: "
        f"{summary.added} new, {summary.updated} updated, {summary.unchanged} unchanged, "
        f"{summary.cancelled} cancelled" + (f", {unpaid} unpaid" if unpaid else "")
    )
    for line in summary.changes if args.dry_run else ():
        print(f"  {line}")
    return 0


WORDS = {
    "sent": "sent",
    "already": "already checked in at pretix",
    "refused": "refused by pretix",
    "skipped": "not sent",
}


def run_push(args: argparse.Namespace) -> int:
    from checkin.pretix.push import push
    from checkin.store.db import open_database

    client = _client(args)
    db = open_database(args.database)
    result = push(
        db,
        client,
        args.event,
        args.list,
        dry_run=args.dry_run,
        retry_refused=args.retry_refused,
        report=_progress(args),
    )
    if _progress(args):
        print(file=sys.stderr)
    if args.json:
        emit_json(result.as_json())
        return 0
    doc = result.as_json()
    would = "would be " if args.dry_run else ""
    print(
        f"pretix list {args.list}: {would}{doc['sent']} sent, {doc['already']} already checked "
        f"in there, {doc['refused']} refused, {doc['skipped']} not sent"
        + (f" ({result.earlier} sent by an earlier push)" if result.earlier else "")
    )
    for line in result.lines:
        text = f"  {line.name or '(no name)'}: {line.action} {local_hhmm(line.at)} — "
        text += would + WORDS[line.result]
        if line.pretix_at:
            text += f" (pretix: {local_hhmm(line.pretix_at)})"
        if line.detail and line.result != "already":
            text += f" ({line.detail})"
        print(text)
    return 0
