"""`checkin event key`: the key an event's journals are signed with, shown or set.

The doors of one event share it: print it on the laptop that created the event, set it on
each other laptop (and on the one that merges) before the doors open.
"""

from __future__ import annotations

import argparse

from checkin.cli.output import show


def register(esub, parents) -> None:
    c = esub.add_parser(
        "key",
        help="show (or --set) the key that signs this event's journals",
        description="Every door of an event signs its journal with the event's key, so a "
        "line added by hand is refused at merge. Show it here, then on every other laptop "
        "of the event run `checkin event key --event E --set KEY`.",
        parents=[parents["json"], parents["event"]],
    )
    c.add_argument("--set", dest="new_key", metavar="KEY", help="use this key (64 hex digits)")
    c.set_defaults(handler=run_event_key)


def run_event_key(args: argparse.Namespace) -> int:
    from checkin.events import find_event
    from checkin.journal.signing import event_key, key_id, set_event_key
    from checkin.store.db import open_database

    with open_database(args.database).write() as session:
        ev = find_event(session, args.event)
        if args.new_key:
            key = set_event_key(session, ev.id, args.new_key)
        else:
            key = event_key(session, ev.id)
        name = ev.name
    doc = {"event": name, "key": key.hex(), "key_id": key_id(key), "set": bool(args.new_key)}
    text = (
        f"Journals of {name!r} are now signed with the key given (id {doc['key_id']})."
        if args.new_key
        else f"{key.hex()}\n(set it on the event's other laptops: "
        f"checkin event key --event {name!r} --set KEY)"
    )
    show(args, doc, text)
    return 0
