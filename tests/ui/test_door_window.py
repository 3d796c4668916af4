"""The door screen driven like a volunteer drives it: keys only, real database, real widgets."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from checkin.door.outcomes import OutcomeKind
from checkin.door.search import search_guests
from tests.ui import keys
from tests.ui.conftest import EVENT
from ui.door.search_panel import SearchResultsModel
from ui.door.walkin_dialog import WalkIn, WalkInDialog


def scan_with_keyboard_wedge(qtbot, window, code: str, widget=None):
    """A USB scanner in keyboard mode: the code typed in one burst, then Enter."""
    with qtbot.waitSignal(window.result_shown, timeout=10_000) as shown:
        keys.burst(widget or window.search.box, code)
    return shown.args[0]


def test_scanner_burst_checks_a_guest_in(qtbot, door):
    outcome = scan_with_keyboard_wedge(qtbot, door, "ANNA0001")
    assert outcome.kind is OutcomeKind.CHECKED_IN
    assert door.result.name.text() == "Anna Müller"
    assert "WELCOME" in door.result.band.text()
    assert door.search.box.text() == ""  # the scanner's keys never reached the search box
    again = scan_with_keyboard_wedge(qtbot, door, "ANNA0001")
    assert again.kind is OutcomeKind.ALREADY_CHECKED_IN
    assert "ALREADY CHECKED IN" in door.result.band.text()
    assert "Door 1" in door.result.detail.text()


def test_first_timer_shows_host_and_introductions(qtbot, door):
    scan_with_keyboard_wedge(qtbot, door, "HOST0001")
    outcome = scan_with_keyboard_wedge(qtbot, door, "NORA0001")
    assert outcome.first_time and outcome.host.name == "Hana Host"
    text = door.result.first_time.text()
    assert "FIRST TIME" in text and "Hana Host" in text
    assert door.result.first_time.isVisible()


def test_unknown_code_is_red_with_words(qtbot, door):
    outcome = scan_with_keyboard_wedge(qtbot, door, "NOPE1234")
    assert outcome.kind is OutcomeKind.UNKNOWN_CODE
    assert "NOT ON THE LIST" in door.result.band.text()


def test_typing_slowly_is_a_search_not_a_scan(qtbot, door):
    with qtbot.assertNotEmitted(door.result_shown, wait=100):
        keys.typed(door.search.box, "garcia")
        qtbot.waitUntil(lambda: door.search.box.text() == "garcia")
    qtbot.waitUntil(lambda: door.search.model.rowCount() == 1)
    assert door.search.model.hit(0).name == "José García"


def test_search_then_enter_checks_in(qtbot, door):
    keys.typed(door.search.box, "mull")
    qtbot.waitUntil(lambda: door.search.model.rowCount() >= 1)
    with qtbot.waitSignal(door.result_shown, timeout=10_000) as shown:
        QTest.keyClick(door.search.box, Qt.Key.Key_Return)
    assert shown.args[0].guest.name == "Anna Müller"
    assert door.search.box.text() == ""  # cleared for the next guest


def test_undo_with_the_keyboard(qtbot, door):
    scan_with_keyboard_wedge(qtbot, door, "JOSE0001")
    with qtbot.waitSignal(door.changed, timeout=10_000):
        # Where the volunteer's focus is all evening: the search box.
        QTest.keyClick(door.search.box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert door.result.name.text() == "Check-in undone"
    assert not search_guests(door.db, EVENT, "jose")[0].checked_in


def test_walk_in_registers_checks_in_and_is_searchable(qtbot, door):
    dialog = WalkInDialog(door)
    qtbot.addWidget(dialog)
    dialog.name.setText("Zoë Ångström")
    dialog.email.setText("zoe@example.com")
    dialog.interests.setText("AI")
    assert dialog.value() == WalkIn("Zoë Ångström", "zoe@example.com", None, "AI", True)
    scan_with_keyboard_wedge(qtbot, door, "HOST0001")
    with qtbot.waitSignal(door.result_shown, timeout=10_000) as shown:
        door.door_actions.register_walkin(dialog.value())
    outcome = shown.args[0]
    assert outcome.kind is OutcomeKind.CHECKED_IN and outcome.first_time
    assert outcome.host is not None
    assert door.search.index.search("angstrom")[0].checked_in


def test_walk_in_dialog_refuses_an_empty_name(qtbot):
    dialog = WalkInDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.isVisible() and "needs a name" in dialog.error.text()


def test_counters_follow_check_ins(qtbot, door):
    scan_with_keyboard_wedge(qtbot, door, "ANNA0001")
    qtbot.waitUntil(lambda: "1 / 4" in door.count_in.text(), timeout=10_000)


def test_host_board_updates_from_the_doors_change_records(qtbot, door):
    """No hand-made signal and no waiting for the board's own timer: the scan's records."""
    door.open_host_board()
    board = door.host_board
    board._timer.stop()  # only the door's change records may refresh it in this test
    scan_with_keyboard_wedge(qtbot, door, "HOST0001")
    with qtbot.waitSignal(board.refreshed, timeout=10_000):
        scan_with_keyboard_wedge(qtbot, door, "NORA0001")

    def shows_nora() -> bool:
        hosts = [h for h in board.board.hosts if h.present] if board.board else []
        return bool(hosts) and [n.name for n in hosts[0].newcomers] == ["Nora Newcomer"]

    qtbot.waitUntil(shows_nora, timeout=10_000)


def test_a_regular_check_in_does_not_refresh_the_host_board(qtbot, door):
    door.open_host_board()
    board = door.host_board
    board._timer.stop()
    qtbot.waitUntil(lambda: board.board is not None, timeout=10_000)
    with qtbot.assertNotEmitted(board.refreshed, wait=300):
        scan_with_keyboard_wedge(qtbot, door, "ANNA0001")


def test_a_board_refresh_with_nothing_new_restyles_no_card(qtbot, door):
    """Re-polishing every card on each refresh froze the door for 160-275 ms with 50 hosts:
    a refresh that changes nothing a card shows changes no style."""
    from PySide6.QtCore import QEvent, QObject

    door.open_host_board()
    board = door.host_board
    board._timer.stop()
    scan_with_keyboard_wedge(qtbot, door, "HOST0001")
    with qtbot.waitSignal(board.refreshed, timeout=10_000):
        scan_with_keyboard_wedge(qtbot, door, "NORA0001")
    qtbot.waitUntil(lambda: bool(board.cards) and any(c.chips for c in board.cards.values()))

    class StyleChanges(QObject):
        seen = 0

        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.StyleChange:
                StyleChanges.seen += 1
            return False

    watcher = StyleChanges()
    widgets = [w for card in board.cards.values() for w in (card, *card.chips.values())]
    for w in widgets:
        w.installEventFilter(watcher)
    with qtbot.waitSignal(board.refreshed, timeout=10_000):
        board.refresh()
    assert StyleChanges.seen == 0


def test_a_closed_host_board_is_gone_with_its_timer(qtbot, door):
    import shiboken6

    door.open_host_board()
    board = door.host_board
    timer = board._timer
    board.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(timer), timeout=5_000)
    assert door.host_board is None
    scan_with_keyboard_wedge(qtbot, door, "HOST0001")  # no refresh of a deleted board
    door.open_host_board()
    assert door.host_board is not None and door.host_board is not board


def test_the_app_closing_with_the_host_board_open_raises_nothing(qtbot, door, tmp_path):
    """The window deleted before its board (the app quitting) used to end in a traceback:
    the board's goodbye disconnected from a signal whose window was gone."""
    import shiboken6

    from tests.ui.conftest import door_settings
    from ui.door.window import DoorWindow

    window = DoorWindow(door.db, EVENT, door_settings(tmp_path))  # a second door, to delete
    window.open_host_board()
    board = window.host_board
    qtbot.waitUntil(lambda: board.board is not None, timeout=10_000)
    window.runner.stop()
    shiboken6.delete(window)  # the window's C++ side goes first, as at app exit
    assert shiboken6.isValid(board)
    board.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(board), timeout=5_000)


def test_search_model_is_a_well_behaved_model(qtmodeltester, door):
    model = SearchResultsModel()
    model.set_hits(door.search.index.search("a"))
    qtmodeltester.check(model)


def test_journal_folder_gets_every_door_action(qtbot, door, tmp_path):
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    door.door_actions.set_journal_folder(str(folder))
    qtbot.waitUntil(lambda: door.journal is not None, timeout=10_000)
    scan_with_keyboard_wedge(qtbot, door, "JOSE0001")
    (journal,) = folder.glob("*.jsonl")
    text = journal.read_text(encoding="utf-8")
    assert "JOSE0001" in text and "Door 1" in text
    assert "journal" in door.journal_label.text()
    assert str(journal) == door.journal_label.toolTip()


def test_no_camera_says_so_and_the_door_carries_on(qtbot, door):
    from ui.scanning.camera import CameraScanner

    camera = CameraScanner(door, devices=list)  # a laptop without a camera
    door.attach_camera(camera)
    with qtbot.waitSignal(camera.status_changed, timeout=5_000):
        camera.start()
    assert "No camera" in door.status_line.text()
    outcome = scan_with_keyboard_wedge(qtbot, door, "ANNA0001")
    assert outcome.kind is OutcomeKind.CHECKED_IN


def test_camera_frames_check_a_guest_in(qtbot, door):
    from PySide6.QtGui import QImage
    from PySide6.QtMultimedia import QVideoFrame

    from checkin.badges.qr_sheets import qr_png_bytes
    from ui.scanning.camera import CameraScanner

    camera = CameraScanner(door, devices=list)
    door.attach_camera(camera)
    frame = QImage.fromData(qr_png_bytes("ANNA0001", box_size=8)).convertToFormat(
        QImage.Format.Format_RGB32
    )
    with qtbot.waitSignal(door.result_shown, timeout=10_000) as shown:
        camera.video_sink().setVideoFrame(QVideoFrame(frame))
    assert shown.args[0].guest.name == "Anna Müller"


def test_auto_print_on_check_in_once_and_reprint_on_request(qtbot, door, tmp_path):
    from pypdf import PdfReader

    from checkin.badges.printlog import history
    from checkin.badges.templates import get_template
    from ui import settings as S
    from ui.printing.queue import PrintQueue, PrintTarget

    target = PrintTarget(pdf_path=str(tmp_path / "badge-{job}.pdf"))
    queue = PrintQueue.for_database(door.db, target, get_template("zebra-4x3"), parent=door)
    door.attach_printer(queue)
    door.settings.set(S.AUTO_PRINT, True)
    with qtbot.waitSignal(queue.job_done, timeout=20_000):
        outcome = scan_with_keyboard_wedge(qtbot, door, "ANNA0001")
    (badge,) = tmp_path.glob("badge-*.pdf")
    width, height = PdfReader(badge).pages[0].mediabox.upper_right
    assert (round(float(width)), round(float(height))) == (288, 216)  # 4 × 3 in
    # Already in: no second auto job at all (not merely one skipped by the print log).
    sent: list[int] = []
    queue.job_started.connect(lambda job, _reg: sent.append(job))
    door.print_queue.auto_print = lambda rid, badge=None: sent.append(rid)  # must not be asked
    scan_with_keyboard_wedge(qtbot, door, "ANNA0001")
    assert sent == [] and door.result.outcome.kind is OutcomeKind.ALREADY_CHECKED_IN
    with qtbot.waitSignal(queue.job_done, timeout=20_000):
        QTest.keyClick(door, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    kinds = [r.kind for r in history(door.db, outcome.guest.registration_id)]
    assert sorted(kinds) == ["auto", "reprint"]


def test_settings_dialog_saves_and_applies(qtbot, door):
    from ui import settings as S
    from ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(door.settings, door)
    qtbot.addWidget(dialog)
    dialog.device.setText("Side door")
    dialog.seconds.setValue(12)
    dialog._save()
    door.door_actions.apply_settings()
    assert door.settings.get(S.DEVICE_NAME) == "Side door"
    assert door.device == "Side door" and door.result.seconds == 12
    outcome = scan_with_keyboard_wedge(qtbot, door, "JOSE0001")
    assert outcome.device == "Side door"


def test_make_a_guest_a_host_from_the_door(qtbot, door):
    keys.typed(door.search.box, "garcia")
    qtbot.waitUntil(lambda: door.search.model.rowCount() == 1)
    with qtbot.waitSignal(door.changed, timeout=10_000):
        QTest.keyClick(door.search.box, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert "José García hosts up to 3" in door.status_line.text()
    outcome = scan_with_keyboard_wedge(qtbot, door, "JOSE0001")
    assert outcome.is_host


def test_export_and_lists_from_the_menu_run_in_the_background(qtbot, door, tmp_path, monkeypatch):
    from ui.door import organiser_actions

    scan_with_keyboard_wedge(qtbot, door, "ANNA0001")
    ui_thread = threading.get_ident()
    threads: list[int] = []
    real_export = organiser_actions_export()

    def export(*args, **kw):
        threads.append(threading.get_ident())
        return real_export(*args, **kw)

    monkeypatch.setattr("checkin.reports.export.export_attendance", export)
    target = str(tmp_path / "attendance.xlsx")
    monkeypatch.setattr(
        organiser_actions.QFileDialog, "getSaveFileName", lambda *a, **k: (target, "")
    )
    door.organiser.export_attendance()
    qtbot.waitUntil(lambda: "Exported 4 guests" in door.status_line.text(), timeout=20_000)
    assert Path(target).exists() and threads and threads[0] != ui_thread
    report = str(tmp_path / "newcomers.pdf")
    monkeypatch.setattr(
        organiser_actions.QFileDialog, "getSaveFileName", lambda *a, **k: (report, "")
    )
    door.organiser.save_report("newcomers")
    qtbot.waitUntil(lambda: "Saved" in door.status_line.text(), timeout=20_000)
    assert Path(report).exists()


def organiser_actions_export():
    from checkin.reports.export import export_attendance

    return export_attendance


def test_host_slip_printed_for_the_host_of_a_new_newcomer(qtbot, door, tmp_path):
    from checkin.badges.printlog import history
    from checkin.badges.templates import get_template
    from ui import settings as S
    from ui.printing.queue import PrintQueue, PrintTarget

    target = PrintTarget(pdf_path=str(tmp_path / "slip-{job}.pdf"))
    queue = PrintQueue.for_database(door.db, target, get_template("zebra-4x3"), parent=door)
    door.attach_printer(queue)
    door.settings.set(S.HOST_SLIP, True)
    host = scan_with_keyboard_wedge(qtbot, door, "HOST0001")
    with qtbot.waitSignal(queue.job_done, timeout=20_000):
        scan_with_keyboard_wedge(qtbot, door, "NORA0001")
    assert len(list(tmp_path.glob("slip-*.pdf"))) == 1
    assert [r.kind for r in history(door.db, host.guest.registration_id)] == ["slip"]
