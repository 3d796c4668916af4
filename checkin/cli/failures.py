"""The command line's last line of defence: one clear line on stderr, never a traceback.

Anything a command did not turn into a typed error (``CheckinError``) ends here. The line
names what went wrong without the exception's text where that text may carry guest data
(SQLAlchemy and driver errors quote the statement's parameters); the exit status is
non-zero. Log records get the same treatment: one line each, no traceback (a pooled
PostgreSQL connection that died overnight logs "pipeline aborted" with a stack otherwise).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys

EXIT_BROKEN_PIPE = 141  # what a shell reports for a command killed by SIGPIPE
EXIT_UNEXPECTED = 1


class OneLineFormatter(logging.Formatter):
    """``LEVEL logger: first line of the message`` — no traceback, no SQL, no parameters."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not become a traceback either
            message = str(record.msg)
        first = message.strip().splitlines()[0] if message.strip() else ""
        if record.exc_info and record.exc_info[0] is not None:
            first = f"{first} ({record.exc_info[0].__name__})".strip()
        return f"{record.levelname} {record.name}: {first}"


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "welcome_desk", False):
            root.removeHandler(old)
    handler.welcome_desk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    # The pool reports connections it had to throw away (a server restart, a network blip);
    # it replaces them by itself, so for a door that is not news.
    logging.getLogger("sqlalchemy.pool").setLevel(logging.CRITICAL)


def describe_unexpected(exc: BaseException) -> str:
    """One line about an error nobody expected, safe to show: no guest data in it."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    if isinstance(exc, DBAPIError):
        orig = exc.orig
        detail = str(orig).strip().splitlines()[0] if orig is not None and str(orig) else ""
        kind = type(orig).__name__ if orig is not None else type(exc).__name__
        # The first line of a driver message names the problem; the lines after it (DETAIL,
        # the statement, its parameters) are where guest data would be.
        return f"the database refused the operation ({kind}: {detail[:200]}); nothing was saved."
    if isinstance(exc, SQLAlchemyError):
        return f"a database problem ({type(exc).__name__}); nothing was saved."
    if isinstance(exc, MemoryError):
        return "out of memory."
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"a file or device problem{where}: {exc.strerror or type(exc).__name__}."
    return f"an unexpected error ({type(exc).__name__}); please report it."


def broken_pipe() -> int:
    """The reader of our output went away (``| head``): one line, and nothing more to flush."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # else Python complains again at exit
    with contextlib.suppress(OSError, ValueError):
        print("checkin: the output was closed before the end (broken pipe).", file=sys.stderr)
    return EXIT_BROKEN_PIPE


def report_unexpected(exc: BaseException) -> int:
    with contextlib.suppress(OSError, ValueError):
        print(f"checkin: {describe_unexpected(exc)}", file=sys.stderr)
    return EXIT_UNEXPECTED
