"""`checkin import`: a guest list in, all or nothing, with a summary an organiser can check."""

from __future__ import annotations

import argparse

from checkin.cli.output import emit_json
from checkin.errors import InvalidInput
from checkin.guestlist.presets import PRESETS


def register(sub, parents) -> None:
    j, e = parents["json"], parents["event"]
    p = sub.add_parser("import", help="import a guest list (all or nothing)", parents=[j, e])
    p.add_argument("file")
    p.add_argument("--format", default="auto", choices=["auto", *PRESETS])
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="map a column by hand, e.g. --map first_name=Vorname (repeatable)",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    p.add_argument(
        "--issue-codes",
        action="store_true",
        help="the export has no ticket codes: give every guest a new app code knowingly "
        "(their tickets from the ticketing tool will not scan)",
    )
    p.set_defaults(handler=run_import)


def _mapping(pairs: list[str]) -> dict[str, str] | None:
    mapping = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if not sep or not field.strip():
            raise InvalidInput(f"--map {pair!r}: write it as FIELD=HEADER")
        mapping[field.strip()] = header.strip()
    return mapping or None


def run_import(args: argparse.Namespace) -> int:
    from checkin.guestlist.importer import import_guest_list
    from checkin.store.db import open_database

    summary = import_guest_list(
        open_database(args.database),
        args.event,
        args.file,
        format=args.format,
        mapping=_mapping(args.map),
        dry_run=args.dry_run,
        issue_codes=args.issue_codes,
    )
    if args.json:
        emit_json(summary.as_json())
        return 0
    for line in summary.describe():
        print(line)
    if args.dry_run:
        for line in summary.changes:
            print(f"  {line}")
    return 0
