"""Typed failures. Expected outcomes (an unknown code, a repeat scan) are values, not these."""

from __future__ import annotations


class CheckinError(Exception):
    """Base of every failure the UI and the command line turn into a clear message."""


class DatabaseError(CheckinError):
    """The database could not be opened, migrated or written (disk full, server down ...)."""


class DatabaseGone(DatabaseError):
    """The SQLite file was deleted, moved or replaced while the app had it open: nothing
    written since can be kept, so the write was refused."""


class NotFound(CheckinError):
    """An event, guest or host named by the user does not exist."""


class InvalidInput(CheckinError):
    """The user gave something we cannot use; the message says what and where."""


class ImportRefused(CheckinError):
    """A guest list had problems; nothing was imported. ``problems`` lists every one."""

    def __init__(self, path: str, problems: list) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: {len(problems)} problem(s); nothing was imported")
