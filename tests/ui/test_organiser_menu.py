"""The organiser's menu items on a running door: batch badges, merging other doors' journals,
moving the journal to another folder mid-evening."""

from __future__ import annotations

import shutil
import threading

from checkin.badges.printlog import history
from checkin.door.engine import check_in
from checkin.door.search import search_guests
from checkin.journal.writer import Journal
from checkin.store.db import open_database
from tests.support.journals import share_event_key
from tests.ui.conftest import EVENT, seed
from tests.ui.test_door_window import scan_with_keyboard_wedge


def test_batch_badges_render_off_the_ui_thread_and_print_through_the_queue(
    qtbot, door, tmp_path, monkeypatch
):
    from checkin.badges.templates import get_template
    from ui.printing import batch_preview
    from ui.printing.queue import PrintQueue, PrintTarget

    queue = PrintQueue.for_database(
        door.db, PrintTarget(pdf_path=str(tmp_path / "batch-{job}.pdf")), get_template("zebra-4x3")
    )
    door.attach_printer(queue)
    real, threads = batch_preview.render_pages, []

    def render_pages(pdf, *a, **k):
        threads.append(threading.get_ident())
        return real(pdf, *a, **k)

    monkeypatch.setattr(batch_preview, "render_pages", render_pages)
    door.organiser.print_badges()
    qtbot.waitUntil(lambda: getattr(door.organiser, "preview", None) is not None, timeout=30_000)
    dialog = door.organiser.preview
    assert threads and threads[0] != threading.get_ident()  # rasterised on the reader
    assert dialog.pages.count() == 4 and "4 badges" in dialog.summary.text()
    with qtbot.waitSignal(queue.job_done, timeout=30_000):
        dialog.print_button.click()
    assert len(list(tmp_path.glob("batch-*.pdf"))) == 1
    for hit in search_guests(door.db, EVENT, "a"):
        assert [r.kind for r in history(door.db, hit.registration_id)] == ["batch"]
    queue.close()


def test_merge_journals_from_the_menu(qtbot, door, tmp_path, sqlite_template, monkeypatch):
    from ui.door import organiser_actions

    other_path = tmp_path / "door2.sqlite3"
    shutil.copyfile(sqlite_template, other_path)
    other = open_database(f"sqlite:///{other_path}")
    seed(other)
    stick = tmp_path / "stick"
    stick.mkdir()
    for laptop in (other, door.db):  # the doors of one event share its journal key
        share_event_key(laptop, EVENT)
    journal = Journal.for_event(other, EVENT, stick, "Door 2")
    check_in(other, EVENT, "JOSE0001", device="Door 2", journal=journal)
    other.dispose()
    (path,) = stick.glob("*.jsonl")
    monkeypatch.setattr(
        organiser_actions.QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(path)], "")
    )
    with qtbot.waitSignal(door.changed, timeout=20_000):
        door.organiser.merge_journals()
    assert door.status_line.text().startswith("Merged 1 file: ")
    assert "1 guest checked in now" in door.status_line.text()
    qtbot.waitUntil(lambda: "1 / 4" in door.count_in.text(), timeout=10_000)
    qtbot.waitUntil(lambda: door.search.index.search("jose")[0].checked_in, timeout=10_000)


def test_switching_the_journal_folder_mid_evening_loses_no_scan(qtbot, door, tmp_path):
    first, second = tmp_path / "stick-1", tmp_path / "stick-2"
    first.mkdir()
    second.mkdir()
    door.door_actions.set_journal_folder(str(first))
    scan_with_keyboard_wedge(qtbot, door, "ANNA0001")
    # Switch and scan at once: the scan is queued behind the switch on the same worker.
    door.door_actions.set_journal_folder(str(second))
    scan_with_keyboard_wedge(qtbot, door, "JOSE0001")
    (a,) = first.glob("*.jsonl")
    (b,) = second.glob("*.jsonl")
    assert "ANNA0001" in a.read_text() and "JOSE0001" not in a.read_text()
    assert "JOSE0001" in b.read_text()
    assert door.journal_label.toolTip() == str(b)
