"""A scan at the door while a big guest list imports answers within one chunk of the import,
not after the whole of it: the app's one writer thread lets queued door actions in between."""

from __future__ import annotations

import csv
import threading

from checkin.door.engine import check_in
from checkin.guestlist.importer import import_guest_list
from tests.ui.conftest import EVENT, seed
from ui.tasks import TaskRunner


def _big_list(path, rows: int = 1500) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["First Name", "Last Name", "Email", "Ticket Code"])
        for i in range(rows):
            out.writerow([f"Guest{i}", "Example", f"guest{i}@example.org", f"BIG{i:06d}"])


def test_a_scan_queued_during_an_import_answers_before_the_import_ends(qtbot, db, tmp_path):
    seed(db)
    _big_list(tmp_path / "big.csv")
    runner = TaskRunner()
    order: list[str] = []
    gate = threading.Event()

    def importing():
        gate.wait(10)  # the scan is queued behind the import before it starts writing
        return import_guest_list(db, EVENT, tmp_path / "big.csv", between_chunks=runner.run_waiting)

    try:
        runner.submit(importing, lambda s: order.append(f"import {s.added}"), order.append)
        runner.submit(
            lambda: check_in(db, EVENT, "ANNA0001"),
            lambda o: order.append(f"scan {o.kind.value}"),
            order.append,
        )
        gate.set()
        qtbot.waitUntil(lambda: len(order) == 2, timeout=120_000)
    finally:
        runner.stop(60)
    assert order == ["scan checked_in", "import 1500"]


def test_run_waiting_does_nothing_off_the_runners_thread(qtbot):
    runner = TaskRunner()
    try:
        ran: list[int] = []
        blocker = threading.Event()
        runner.submit(lambda: blocker.wait(10))
        runner.submit(lambda: ran.append(1))
        runner.run_waiting()  # the UI thread: must not run the worker's queue itself
        assert ran == []
        blocker.set()
        qtbot.waitUntil(lambda: ran == [1], timeout=10_000)
    finally:
        runner.stop()
