"""Running one core action: its transaction, its change records, and its journal line.

``run_action`` is what every door and host action goes through: the work runs in a write
transaction (retried when another door conflicts), the change records it noted are taken
from the session before the commit, a journal (if any) prepares its lines from those
records inside the same transaction, and after the commit the lines are written. The
result comes back carrying its changes, so the views and the phones need not re-read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from checkin.changes import Change, taken
from checkin.store.db import Database
from checkin.store.retry import with_retry

T = TypeVar("T")


class ChangeSink(Protocol):
    """Something that keeps a copy of what actions changed (the attendance journal)."""

    def prepare(
        self, session: Session | None, changes: tuple[Change, ...], kind: str | None
    ) -> Any:
        """Build what will be written, inside the action's transaction (no session: an
        action committed in one statement, whose records say all the lines need)."""

    def write(self, prepared: Any) -> str | None:
        """Write it after the commit; a warning when it could not be kept."""


def run_action(
    db: Database,
    work: Callable[[Session], T],
    *,
    journal: ChangeSink | None = None,
    kind: str | None = None,
) -> T:
    """Run ``work`` as one action and return its result with the changes it made."""

    def attempt(session: Session) -> tuple[T, tuple[Change, ...], Any]:
        session.info.pop("welcome_desk_changes", None)  # a retried attempt starts clean
        result = work(session)
        session.flush()
        changes = taken(session)
        prepared = journal.prepare(session, changes, kind) if journal and changes else None
        return result, changes, prepared

    result, changes, prepared = with_retry(db, attempt)
    return _delivered(result, changes, prepared, journal)


def committed(
    result: T, changes: tuple[Change, ...], journal: ChangeSink | None, kind: str | None = None
) -> T:
    """An action already committed in one statement of its own (door/one_trip.py): its
    journal lines and its changes, exactly as ``run_action`` gives them."""
    prepared = journal.prepare(None, changes, kind) if journal and changes else None
    return _delivered(result, changes, prepared, journal)


def _delivered(result: T, changes: tuple[Change, ...], prepared: Any, journal) -> T:
    result = with_changes(result, changes)
    if journal is not None and prepared is not None:
        warning = journal.write(prepared)
        if warning:
            result = with_warning(result, warning)
    return result


def with_changes(result: T, changes: tuple[Change, ...]) -> T:
    if changes and dataclasses.is_dataclass(result) and hasattr(result, "changes"):
        return dataclasses.replace(result, changes=changes)  # type: ignore[return-value]
    return result


def with_warning(result: T, warning: str) -> T:
    """Add a warning to an action's result: the outcome's warnings, or its message."""
    if dataclasses.is_dataclass(result) and hasattr(result, "warnings"):
        warnings = (*result.warnings, warning)  # type: ignore[attr-defined]
        return dataclasses.replace(result, warnings=warnings)  # type: ignore[return-value]
    if dataclasses.is_dataclass(result) and hasattr(result, "message"):
        message = f"{result.message} ({warning})"  # type: ignore[attr-defined]
        return dataclasses.replace(result, message=message)  # type: ignore[return-value]
    if isinstance(result, str):
        return f"{result} ({warning})"  # type: ignore[return-value]
    return result
