"""`checkin selftest`: a quick end-to-end check inside whatever build this is."""

from __future__ import annotations

import argparse
import sys

from checkin.cli.output import emit_json


def register(sub, parents) -> None:
    from checkin.selftest import STEPS

    p = sub.add_parser(
        "selftest",
        help="check this installation end to end (scratch database, no display needed)",
        description="Runs a quick end-to-end check in a scratch folder: migrations, import, "
        "check-in, host, search, badge, QR decoding, export, the PostgreSQL driver and Qt "
        "(offscreen). Exit status 0 when every step passes, 1 otherwise.",
        parents=[parents["json"]],
    )
    p.add_argument(
        "--step",
        action="append",
        choices=[name for name, _ in STEPS],
        metavar="STEP",
        help="run only this step (repeatable; steps it needs run too): "
        + ", ".join(name for name, _ in STEPS),
    )
    # The Qt half runs in a child process started with this (see checkin/selftest.py).
    p.add_argument("--qt-probe", nargs="?", const="", default=None, help=argparse.SUPPRESS)
    p.set_defaults(handler=run_selftest)


_NEEDS = {
    "import": ["database"],
    "check_in": ["database", "import"],
    "host": ["database", "import", "check_in"],
    "search": ["database", "import"],
    "export": ["database", "import", "check_in", "host"],
    "qt": ["badge"],
}


def run_selftest(args: argparse.Namespace) -> int:
    from checkin import __version__
    from checkin.selftest import run_selftest as run

    if args.qt_probe is not None:
        from ui.selftest_probe import qt_probe_main  # the child process: Qt lives in ui/

        return qt_probe_main(args.qt_probe or None)
    only = None
    if args.step:
        only = set(args.step)
        for step in args.step:
            only.update(_NEEDS.get(step, []))
    report = run(sorted(only) if only else None)
    if args.json:
        emit_json(report.as_json())
    else:
        build = "bundle" if getattr(sys, "frozen", False) else "Python"
        print(f"Welcome Desk {__version__} selftest ({build}: {sys.executable})")
        width = max(len(s.name) for s in report.steps)
        for s in report.steps:
            word = {"ok": "ok", "failed": "FAILED", "skipped": "skipped"}[s.status]
            text = s.error if s.error else s.detail
            print(f"  {word:<7} {s.name:<{width}} {s.ms:>7.0f} ms  {text}")
        if report.ok:
            n = len(report.steps)
            done = f"All {n} steps passed" if n > 1 else f"{n} step passed"
            print(f"{done} in {report.ms / 1000:.1f} s.")
    if not report.ok:
        print(
            f"checkin: selftest failed: {len(report.failed)} of {len(report.steps)} steps "
            f"({', '.join(report.failed)})",
            file=sys.stderr,
        )
        return 1
    return 0
