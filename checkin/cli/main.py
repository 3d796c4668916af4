"""`checkin`: every door, host and organiser action as a command (see design.md's table).

With no command it opens the desktop app. Errors go to stderr with a non-zero exit status;
an expected outcome (an unknown code, say) is not an error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from checkin import __version__
from checkin.cli import failures
from checkin.errors import CheckinError, ImportRefused

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3

Handler = Callable[[argparse.Namespace], int]


def _json_parent() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--json", action="store_true", help="print one JSON document")
    return p


def _event_parent(required: bool = True) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--event", "-e", required=required, help="event name or id")
    return p


def build_parser() -> argparse.ArgumentParser:
    from checkin.cli import (
        badges_cmd,
        guests,
        hosts,
        import_cmd,
        organiser,
        pretix_cmd,
        selftest_cmd,
        serve,
    )

    parser = argparse.ArgumentParser(
        prog="checkin",
        description="Welcome Desk: check guests in, host first-timers, print badges.",
    )
    parser.add_argument("--version", action="version", version=f"Welcome Desk {__version__}")
    parser.add_argument(
        "--database",
        "-d",
        metavar="URL",
        help="database URL or SQLite file (default: $CHECKIN_DATABASE_URL, else the "
        "user's data folder)",
    )
    parser.add_argument(
        "--journal-folder",
        metavar="DIR",
        default=os.environ.get("CHECKIN_JOURNAL_FOLDER"),
        help="also append every door action to this device's attendance journal in DIR "
        "(a USB stick or shared folder; default: $CHECKIN_JOURNAL_FOLDER)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parents = {"json": _json_parent(), "event": _event_parent(), "event?": _event_parent(False)}
    for module in (
        guests,
        import_cmd,
        hosts,
        organiser,
        badges_cmd,
        selftest_cmd,
        serve,
        pretix_cmd,
    ):
        module.register(sub, parents)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    failures.configure_logging()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        from checkin.cli.guests import run_gui

        return run_gui(args)
    try:
        code = _run(args.handler, args)
        sys.stdout.flush()  # a closed pipe is found here, not in the interpreter's exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return failures.broken_pipe()
    except Exception as exc:  # the last line of defence: one line, no traceback
        return failures.report_unexpected(exc)


def _run(handler: Handler, args: argparse.Namespace) -> int:
    try:
        return handler(args) or 0
    except ImportRefused as exc:
        if getattr(args, "json", False):
            from checkin.cli.output import emit_json

            emit_json(
                {
                    "error": "import_refused",
                    "file": exc.path,
                    "problems": [
                        {"row": p.row, "column": p.column, "message": p.message}
                        for p in exc.problems
                    ],
                }
            )
        print(f"{exc.path}: nothing was imported, {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REFUSED
    except CheckinError as exc:
        print(f"checkin: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
