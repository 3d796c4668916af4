"""A user action in a few lines: the core call on the right worker, the answer on the UI
thread, and what it changed announced to every view (Anki's ``CollectionOp``, Picard's
``run_task``).

    ops.write(lambda: undo(db, event, code), done=show_undone)

``write`` runs on the one database writer (scans, walk-ins, host actions, imports, merges),
``read`` on the organiser's reader (exports, lists, batch badges) so a scan never waits
behind them. When the result carries change records (``Outcome.changes``,
``ActionResult.changes``) they are emitted on ``changed`` after ``done``; views look at the
records and refresh only when one concerns them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from checkin.changes import touches_hosting
from ui.tasks import Done, Failed, TaskRunner


@dataclass(frozen=True)
class Reloaded:
    """Not a core record: a whole list came in (an import, a merge); every view looks again."""

    what: str


@dataclass(frozen=True)
class HostArrived:
    """Not a core record: a host checked in here (the board shows who is present)."""

    registration_id: int


def concerns_hosting(changes: object) -> bool:
    """Should the host board look again? Anything that is not a tuple of records (an old
    caller emitting a word) is taken as "something changed"."""
    if not isinstance(changes, tuple):
        return True
    return touches_hosting(changes) or any(isinstance(c, Reloaded | HostArrived) for c in changes)


class Operations(QObject):
    changed = Signal(object)  # a tuple of change records

    def __init__(
        self,
        writer: TaskRunner,
        reader: TaskRunner,
        failed: Failed,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.writer, self.reader, self.failed = writer, reader, failed

    def write(self, work: Callable[[], Any], done: Done | None = None, failed=None) -> int:
        return self._run(self.writer, work, done, failed)

    def read(self, work: Callable[[], Any], done: Done | None = None, failed=None) -> int:
        return self._run(self.reader, work, done, failed)

    def broadcast(self, *changes: object) -> None:
        if changes:
            self.changed.emit(tuple(changes))

    def _run(self, runner: TaskRunner, work, done: Done | None, failed: Failed | None) -> int:
        def finished(result: Any) -> None:
            if done is not None:
                done(result)
            self.broadcast(*getattr(result, "changes", ()))

        return runner.submit(work, finished, failed or self.failed)
