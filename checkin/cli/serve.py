"""Commands for the hosts' phones: `checkin serve` runs the phone server, `checkin host link`
prints a host's personal link (or the organiser's board page)."""

from __future__ import annotations

import argparse
import sys

from checkin.cli.guests import _db, _journal
from checkin.cli.output import show
from checkin.errors import InvalidInput

SAFE_DEFAULT = "127.0.0.1"


def register(sub, parents) -> None:
    j, e = parents["json"], parents["event"]
    p = sub.add_parser(
        "serve",
        help="run the hosts' phone server for an event",
        parents=[j, e],
        description="Serves each host's personal page on the venue network. It listens only "
        "on --host: the default (127.0.0.1) is this laptop alone; phones on the venue "
        "Wi-Fi need this laptop's address on it (e.g. --host 192.168.1.20) or --host 0.0.0.0.",
    )
    p.add_argument("--host", default=SAFE_DEFAULT, metavar="ADDR", help="address to listen on")
    p.add_argument("--port", type=int, default=None, help="port (default: 8765; 0: any free)")
    p.add_argument(
        "--answer-within",
        type=float,
        default=None,
        metavar="SECONDS",
        help="a host who does not answer in this time has the newcomer offered to the next "
        "best host (default: 90)",
    )
    p.add_argument("--meeting-point", help="where hosts meet their newcomers (default: the door)")
    p.set_defaults(handler=run_serve)


def register_host_link(hsub, parents) -> None:
    """`checkin host link`: lives under `checkin host` (registered from checkin/cli/hosts.py)."""
    j, e = parents["json"], parents["event"]
    p = hsub.add_parser("link", help="a host's personal phone link", parents=[j, e])
    which = p.add_mutually_exclusive_group()
    which.add_argument("code", nargs="?", metavar="HOST_CODE")
    which.add_argument("--board", action="store_true", help="the organiser's board page")
    p.add_argument(
        "--base-url", metavar="URL", help="the server's address (default: this laptop, port 8765)"
    )
    p.add_argument("--end", action="store_true", help="end every link of the event instead")
    p.set_defaults(handler=run_host_link)


def run_host_link(args: argparse.Namespace) -> int:
    from checkin.hosting import links

    db = _db(args)
    if args.end:
        n = links.end_links(db, args.event)
        show(args, {"ended": n}, f"{n} link(s) ended.")
        return 0
    if not args.board and not args.code:
        raise InvalidInput("Say whose link: a host's code, or --board (or --end).")
    if args.board:
        url = links.page_url(args.base_url, links.BOARD, links.board_link(db, args.event))
    else:
        url = links.page_url(args.base_url, links.HOST, links.host_link(db, args.event, args.code))
    show(args, {"url": url}, url)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from checkin.events import find_event
    from checkin.hosting import links
    from web.hub import HubSettings
    from web.server import PhoneServer

    if args.port is not None and not 0 <= args.port <= 65535:
        raise InvalidInput(f"--port {args.port}: a port is a number from 0 to 65535.")
    db = _db(args)
    with db.read() as session:
        event_id = find_event(session, args.event).id
    settings = HubSettings(meeting_point=args.meeting_point)
    if args.answer_within is not None:
        settings.answer_within_s = args.answer_within
    port = links.DEFAULT_PORT if args.port is None else args.port
    try:
        server = PhoneServer(
            db,
            event_id,
            host=args.host,
            port=port,
            settings=settings,
            journal=_journal(args, db, "phones"),
        )
    except OSError as exc:
        raise InvalidInput(f"Cannot listen on {args.host}:{port}: {exc.strerror or exc}.") from exc
    show(args, {"url": server.url}, f"Hosts' phones: {server.url}")
    if args.host == SAFE_DEFAULT and not args.json:
        print(
            "  (only this laptop can reach it: for phones on the venue Wi-Fi, "
            "use --host with this laptop's address, or --host 0.0.0.0)",
            file=sys.stderr,
        )
    sys.stdout.flush()
    server.serve_forever()
    return 0


def run_simulate_channel(args: argparse.Namespace) -> int:
    from checkin.hosting.simulate_channels import simulate_channel

    result = simulate_channel(
        args.channel,
        guests=args.guests,
        first_time=args.first_time,
        hosts=args.hosts,
        capacity=args.capacity,
        seed=args.seed,
    )
    show(args, result.as_json(), result.describe())
    return 0
