"""Running core work off the UI thread, in order, and getting the answer back on it.

One runner does every door action of the app (the style we learn from Anki and Picard):
calls run one after another, so two check-ins never race inside one app, and the UI thread
never waits on the disk. The door window has a second runner for the organiser's long reads
(docs/architecture.md, "Threads", says who runs what). ``submit(work, done, failed)``
returns at once; ``done`` and ``failed`` run later on the UI thread, unless the widget they
belong to was deleted meanwhile.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


def _alive(callback: Callable) -> bool:
    """False for a method of a widget deleted while its work ran (a window closed)."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class TaskRunner(QObject):
    """A single worker thread fed from a queue; results come back as queued signals."""

    _finished = Signal(int, object)
    _errored = Signal(int, object)

    def __init__(self, parent: QObject | None = None, name: str = "db-worker") -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._queue: queue.Queue[tuple[int, Callable[[], Any]] | None] = queue.Queue()
        self._pending = 0
        self._finished.connect(self._on_finished)
        self._errored.connect(self._on_errored)
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(
        self, work: Callable[[], Any], done: Done | None = None, failed: Failed | None = None
    ) -> int:
        task_id = next(self._ids)
        self._callbacks[task_id] = (done, failed)
        self._pending += 1
        self._queue.put((task_id, work))
        return task_id

    @property
    def pending(self) -> int:
        return self._pending

    def stop(self, timeout: float = 5.0) -> None:
        """Finish queued work (a check-in in flight must land), then end the thread."""
        self._queue.put(None)
        self._thread.join(timeout)

    def run_waiting(self) -> None:
        """Run, now, the work queued behind the task that is running: long work (an import)
        calls this between its short transactions, so a scan queued meanwhile answers within
        one of them instead of after the whole import. Only on this runner's own thread."""
        if threading.current_thread() is not self._thread:
            return
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is None:  # stop() was asked: leave it for the loop, last
                self._queue.put(None)
                return
            self._run(*item)

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            self._run(*item)

    def _run(self, task_id: int, work: Callable[[], Any]) -> None:
        try:
            result = work()
        except BaseException as exc:  # reported on the UI thread, never lost
            log.debug("task %s failed:\n%s", task_id, traceback.format_exc())
            self._errored.emit(task_id, exc)
        else:
            self._finished.emit(task_id, result)

    def _settle(self, task_id: int) -> tuple[Done | None, Failed | None]:
        self._pending -= 1
        return self._callbacks.pop(task_id, (None, None))

    def _on_finished(self, task_id: int, result: object) -> None:
        done, _ = self._settle(task_id)
        if done is not None and _alive(done):
            done(result)

    def _on_errored(self, task_id: int, exc: object) -> None:
        _, failed = self._settle(task_id)
        if failed is not None and _alive(failed):
            failed(exc)  # type: ignore[arg-type]
        else:
            log.error("background task failed: %s", type(exc).__name__)  # no guest data
