"""The task runner and the operations over it: work off the UI thread, in order, answers
and errors back on the UI thread, change records announced after the answer."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtWidgets import QLabel

from checkin.changes import HostsChanged
from ui.operations import Operations, Reloaded, concerns_hosting
from ui.tasks import TaskRunner


@dataclass(frozen=True)
class _Result:
    changes: tuple = ()


def test_work_runs_in_order_off_the_ui_thread_and_answers_on_it(qtbot):
    runner = TaskRunner()
    ui, seen, answered = threading.get_ident(), [], []
    for i in range(5):
        runner.submit(
            lambda i=i: (seen.append((i, threading.get_ident())), i)[1],
            lambda r: answered.append((r, threading.get_ident())),
        )
    qtbot.waitUntil(lambda: len(answered) == 5, timeout=5_000)
    assert [i for i, _ in seen] == [0, 1, 2, 3, 4]
    assert all(t != ui for _, t in seen) and all(t == ui for _, t in answered)
    assert [r for r, _ in answered] == [0, 1, 2, 3, 4] and runner.pending == 0
    runner.stop()


def test_a_failure_reaches_the_failed_callback(qtbot):
    runner = TaskRunner()
    errors: list[BaseException] = []
    runner.submit(lambda: 1 / 0, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert isinstance(errors[0], ZeroDivisionError)
    runner.stop()


def test_an_answer_for_a_closed_widget_is_dropped(qtbot):
    runner = TaskRunner()
    label, done = QLabel(), threading.Event()
    runner.submit(lambda: done.wait(5) and "late", label.setText)
    label.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(label), timeout=5_000)
    done.set()
    finished: list[int] = []
    runner.submit(lambda: 1, finished.append)  # the runner carries on
    qtbot.waitUntil(lambda: finished == [1], timeout=5_000)
    runner.stop()


def test_operations_announce_the_records_after_the_answer(qtbot):
    writer, reader = TaskRunner(), TaskRunner(name="reader")
    errors: list[BaseException] = []
    ops = Operations(writer, reader, errors.append)
    order: list[str] = []
    ops.changed.connect(lambda ch: order.append(f"changed {len(ch)}"))
    record = HostsChanged(1, 2)
    with qtbot.waitSignal(ops.changed, timeout=5_000) as sig:
        ops.write(lambda: _Result((record,)), lambda _r: order.append("done"))
    assert sig.args == [(record,)] and order == ["done", "changed 1"]
    with qtbot.assertNotEmitted(ops.changed, wait=100):
        ops.read(lambda: _Result(()), lambda _r: order.append("read"))
        qtbot.waitUntil(lambda: "read" in order)
    ops.write(lambda: 1 / 0)
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)  # the default error handler
    assert concerns_hosting((record,)) and concerns_hosting((Reloaded("merge"),))
    assert not concerns_hosting(()) and concerns_hosting("checkin")
    writer.stop()
    reader.stop()
