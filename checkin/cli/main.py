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


# Which module registers each command, so a one-shot command imports only its own module
# (not reportlab for `scan`, nor anything for `--version`). A command missing here still
# works: every module is registered then, only slower.
COMMAND_MODULES = {
    **dict.fromkeys(
        ("gui", "demo", "event", "scan", "search", "walkin", "undo", "export", "codes"), "guests"
    ),
    "import": "import_cmd",
    **dict.fromkeys(
        ("host", "hosts", "met", "release", "reassign", "checkout", "simulate", "followed-up"),
        "hosts",
    ),
    "serve": "serve",
    "pretix": "pretix_cmd",
    **dict.fromkeys(("report", "merge", "forget", "purge"), "organiser"),
    **dict.fromkeys(("badges", "templates"), "badges_cmd"),
    "selftest": "selftest_cmd",
}
ALL_MODULES = (
    "guests",
    "import_cmd",
    "hosts",
    "organiser",
    "badges_cmd",
    "selftest_cmd",
    "serve",
    "pretix_cmd",
)
_GLOBAL_OPTIONS_WITH_VALUE = ("--database", "-d", "--journal-folder")


def modules_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The command modules needed to parse ``argv``: the command's own, none for a bare
    ``--version`` (or the window), every one for help or a command not in the table."""
    tokens = iter(argv)
    for token in tokens:
        if token in _GLOBAL_OPTIONS_WITH_VALUE:
            next(tokens, None)
        elif token in ("-h", "--help"):
            return ALL_MODULES
        elif not token.startswith("-"):
            module = COMMAND_MODULES.get(token)
            return (module,) if module else ALL_MODULES
    return ()


def build_parser(modules: Sequence[str] = ALL_MODULES) -> argparse.ArgumentParser:
    import importlib

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
    for name in modules:
        importlib.import_module(f"checkin.cli.{name}").register(sub, parents)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(modules_for(argv))
    args = parser.parse_args(argv)  # --version and --help end here, before logging loads
    from checkin.cli import failures

    failures.configure_logging()  # one line a record, never a traceback
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
