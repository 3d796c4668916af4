"""Commands for hosting: add hosts, the board, met / release / reassign, checkout, simulate."""

from __future__ import annotations

import argparse

from checkin.cli import serve
from checkin.cli.guests import _db, _journal
from checkin.cli.output import emit_json, show
from checkin.errors import InvalidInput
from checkin.hosting.scenarios import DEFAULT_BACKUP_SHARE, SCENARIOS


def register(sub, parents) -> None:
    j, e, e_optional = parents["json"], parents["event"], parents["event?"]

    p = sub.add_parser("host", help="manage hosts")
    hsub = p.add_subparsers(dest="host_command", metavar="ACTION", required=True)
    a = hsub.add_parser("add", help="make a registered guest a host", parents=[j, e])
    who = a.add_mutually_exclusive_group(required=True)
    who.add_argument("--email")
    who.add_argument("--code")
    a.add_argument("--capacity", type=int, help="newcomers at once (default: 3)")
    a.add_argument("--interests", help="comma-separated (default: the guest's own)")
    a.add_argument("--languages", help="comma-separated")
    a.add_argument(
        "--backup",
        action="store_true",
        help="a regular happy to welcome if needed: hosts once enlisted (capacity 1 unless set)",
    )
    a.set_defaults(handler=run_host_add)
    serve.register_host_link(hsub, parents)  # `checkin host link` (the phones' module)
    a = hsub.add_parser("enlist", help="a backup host said yes: they host now", parents=[j, e])
    a.add_argument("code", metavar="BACKUP_CODE")
    a.set_defaults(handler=run_enlist)
    a = hsub.add_parser("options", help="pairs, and when to propose a backup", parents=[j, e])
    a.add_argument("--pairs", choices=("on", "off"), help="a full host may welcome two at once")
    a.add_argument("--backup-after", type=int, metavar="SECONDS", help="default 60")
    a.set_defaults(handler=run_options)

    p = sub.add_parser(
        "hosts", help="who hosts whom, and who waits (plan: how many hosts tonight needs)",
        parents=[j, e_optional],
    )  # fmt: skip
    p.set_defaults(handler=run_hosts)
    plans = p.add_subparsers(dest="hosts_command", metavar="ACTION")
    a = plans.add_parser("plan", help="how many hosts tonight needs", parents=[j, e])
    a.set_defaults(handler=run_plan)

    for name, helptext in (
        ("met", "the host has welcomed this newcomer (frees the slot)"),
        ("release", "the host hands this newcomer back to the queue"),
    ):
        p = sub.add_parser(name, help=helptext, parents=[j, e])
        p.add_argument("code", metavar="NEWCOMER_CODE")
        p.set_defaults(handler=run_newcomer_action, action=name)

    p = sub.add_parser("reassign", help="give a newcomer to another host", parents=[j, e])
    p.add_argument("code", metavar="NEWCOMER_CODE")
    p.add_argument("--host", required=True, metavar="HOST_CODE")
    p.set_defaults(handler=run_reassign)

    p = sub.add_parser(
        "checkout", help="a guest leaves (a host's newcomers are re-hosted)", parents=[j, e]
    )
    p.add_argument("code")
    p.add_argument("--device", default="command line")
    p.set_defaults(handler=run_checkout)

    p = sub.add_parser(
        "followed-up", help="a host followed a newcomer up after the evening", parents=[j, e]
    )
    p.add_argument("code", metavar="NEWCOMER_CODE")
    p.add_argument("--device", default="command line")
    p.set_defaults(handler=run_followed_up)

    p = sub.add_parser("simulate", help="play an evening through the real engine", parents=[j])
    p.add_argument("--scenario", choices=sorted(SCENARIOS), default="default")
    p.add_argument("--guests", type=int, help="(default: the scenario's)")
    p.add_argument("--first-time", type=float, help="share of first-timers")
    p.add_argument("--hosts", type=int)
    p.add_argument("--capacity", type=int)
    p.add_argument(
        "--backup-share",
        type=float,
        default=DEFAULT_BACKUP_SHARE,
        help="share of regulars happy to welcome if needed (default 0.15)",
    )
    p.add_argument("--no-pairs", action="store_true", help="hosts never welcome two at once")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--channel",
        choices=("board", "phone"),
        help="how hosts learn of a newcomer: the board by the door, or a buzz on their phone "
        "(with escalation); reports welcomed_within_120s",
    )
    p.set_defaults(handler=run_simulate)


def run_host_add(args: argparse.Namespace) -> int:
    from checkin.hosting.actions import add_host

    h = add_host(
        _db(args),
        args.event,
        email=args.email,
        code=args.code,
        capacity=args.capacity,
        interests=args.interests,
        languages=args.languages,
        backup=args.backup,
    )
    if args.json:
        emit_json(
            {
                "name": h.name,
                "code": h.code,
                "capacity": h.capacity,
                "present": h.present,
                "interests": list(h.interests),
                "backup": h.backup,
            }
        )
    else:
        state = "here" if h.present else "not checked in yet"
        role = "can welcome if needed, up to" if h.backup else "hosts up to"
        print(f"{h.name} {role} {h.capacity} newcomer{'' if h.capacity == 1 else 's'} ({state}).")
    return 0


def run_enlist(args: argparse.Namespace) -> int:
    from checkin.hosting.actions import enlist_backup

    db = _db(args)
    result = enlist_backup(db, args.event, args.code, journal=_journal(args, db, "command line"))
    show(args, {"ok": True, "message": result.message}, result.message)
    return 0


def run_options(args: argparse.Namespace) -> int:
    from checkin.hosting.options import hosting_options

    pairs = None if args.pairs is None else args.pairs == "on"
    o = hosting_options(_db(args), args.event, pairs=pairs, backup_after_s=args.backup_after)
    text = (
        f"Pairs {'on' if o.pairs else 'off'}; a backup is proposed after {o.backup_after_s} s "
        "of waiting (or as soon as the queue is longer than the free slots)."
    )
    show(args, o.as_json(), text)
    return 0


def run_plan(args: argparse.Namespace) -> int:
    from checkin.hosting.plan import hosting_plan

    plan = hosting_plan(_db(args), args.event)
    show(args, plan.as_json(), plan.describe())
    return 0


def run_hosts(args: argparse.Namespace) -> int:
    from checkin.hosting.board import host_board
    from checkin.merge.capacity import over_capacity

    if not args.event:
        raise InvalidInput("Say which event: checkin hosts --event E (or: hosts plan --event E).")
    db = _db(args)
    board, over = host_board(db, args.event), over_capacity(db, args.event)
    if args.json:
        emit_json({**board.as_json(), "over_capacity": [o.as_json() for o in over]})
        return 0
    for o in over:  # a merge found two doors had each given this host their last place
        print(f"! {o.host_name} is over capacity ({o.capacity}): {o.newcomer_name} was also sent")
    if board.queue:
        print(f"WAITING FOR A HOST ({len(board.queue)}):")
        for n in board.queue:
            print(f"  {n.name:<28} {n.company or '':<24} {n.minutes_waiting} min  {n.code}")
    for h in board.hosts:
        state = "here" if h.present else "not here"
        print(f"{h.name} ({state}) {len(h.newcomers)}/{h.capacity}  {h.code}")
        for n in h.newcomers:
            intro = f"  → {', '.join(n.introductions)}" if n.introductions else ""
            print(f"    {n.name:<26} {n.company or '':<22} {n.minutes_waiting} min{intro}")
    return 0


def run_newcomer_action(args: argparse.Namespace) -> int:
    from checkin.hosting import actions as host_actions

    action = host_actions.mark_met if args.action == "met" else host_actions.release
    db = _db(args)
    result = action(db, args.event, args.code, journal=_journal(args, db, "command line"))
    show(args, {"ok": True, "message": result.message}, result.message)
    return 0


def run_reassign(args: argparse.Namespace) -> int:
    from checkin.hosting.actions import reassign

    db = _db(args)
    journal = _journal(args, db, "command line")
    result = reassign(db, args.event, args.code, args.host, journal=journal)
    show(args, {"ok": True, "message": result.message}, result.message)
    return 0


def run_checkout(args: argparse.Namespace) -> int:
    from checkin.door.leave import check_out

    db = _db(args)
    journal = _journal(args, db, args.device)
    r = check_out(db, args.event, args.code, device=args.device, journal=journal)
    show(args, {"ok": r.done, "message": r.message}, r.message)
    return 0 if r.done else 1


def run_simulate(args: argparse.Namespace) -> int:
    from checkin.hosting.simulate import simulate

    if not 0 <= args.backup_share <= 1:
        raise InvalidInput("--backup-share is a share between 0 and 1 (0.15 = 15 %).")
    if args.channel:  # the phones' model: checkin/hosting/simulate_channels.py
        return serve.run_simulate_channel(args)

    result = simulate(
        scenario=args.scenario,
        backup_share=args.backup_share,
        pairs=not args.no_pairs,
        guests=args.guests,
        first_time=args.first_time,
        hosts=args.hosts,
        capacity=args.capacity,
        seed=args.seed,
    )
    if args.json:
        emit_json(result.as_json())
    else:
        print(result.describe())
    return 0


def run_followed_up(args: argparse.Namespace) -> int:
    from checkin.hosting.followup import mark_followed_up

    db = _db(args)
    journal = _journal(args, db, args.device)
    r = mark_followed_up(db, args.event, args.code, device=args.device, journal=journal)
    show(args, {"ok": True, "done": r.done, "message": r.message}, r.message)
    return 0


def run_follow_up(args: argparse.Namespace) -> int:
    """``checkin report follow-up``: the hosts' follow-up list (and e-mail drafts)."""
    from checkin.reports.followup import write_follow_up

    r = write_follow_up(_db(args), args.event, args.out, eml_folder=args.eml_folder)
    text = (
        f"Wrote the follow-up of {r.newcomers} newcomer{'' if r.newcomers == 1 else 's'} "
        f"for {r.hosts} host{'' if r.hosts == 1 else 's'} to {r.out} (due {r.due}; "
        f"{r.followed_up} done)" + (f"; {len(r.drafts)} e-mail drafts" if r.drafts else "") + "."
    )
    show(args, r.as_json(), text)
    return 0
