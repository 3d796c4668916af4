"""A busy evening at the door: scans while dialogs are open, undo and reprint of the guest on
screen, messages that are true, and a screen that fits (issue 11)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from checkin.door.engine import check_in
from checkin.door.lookup import EARLIER_CODE
from checkin.door.outcomes import OutcomeKind
from checkin.door.search import search_guests
from tests.support.factories import event_with_guests, guest
from tests.ui import keys
from tests.ui.conftest import EVENT
from tests.ui.test_door_window import scan_with_keyboard_wedge
from ui.door.walkin_dialog import WalkInDialog


def test_a_scan_while_the_walk_in_form_is_open_checks_the_guest_in_and_keeps_the_form(qtbot, door):
    dialog = WalkInDialog(door)
    qtbot.addWidget(dialog)
    dialog.open()  # modal, as F3 opens it
    qtbot.waitExposed(dialog)
    dialog.name.setFocus()
    keys.typed(dialog.name, "Peter Par")
    qtbot.waitUntil(lambda: dialog.name.text() == "Peter Par")
    outcome = scan_with_keyboard_wedge(qtbot, door, "ANNA0001", widget=dialog.name)
    assert outcome.kind is OutcomeKind.CHECKED_IN and outcome.guest.name == "Anna Müller"
    assert dialog.name.text() == "Peter Par"  # the code never landed in the field
    assert dialog.isVisible() and dialog.result() == 0  # Enter did not submit the form
    assert "Anna Müller" in dialog.scan_notice.text()
    assert search_guests(door.db, EVENT, "peter") == []  # no fake guest registered
    dialog.reject()


def test_a_scan_while_the_settings_are_open_leaves_the_fields_alone(qtbot, door):
    from ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(door.settings, door)
    qtbot.addWidget(dialog)
    dialog.open()
    before = dialog.device.text()
    outcome = scan_with_keyboard_wedge(qtbot, door, "JOSE0001", widget=dialog.device)
    assert outcome.kind is OutcomeKind.CHECKED_IN
    assert dialog.device.text() == before and dialog.isVisible()
    assert "José García" in dialog.scan_notice.text()
    dialog.reject()


def test_ctrl_z_in_the_search_box_undoes_the_typing_not_a_check_in(qtbot, door):
    scan_with_keyboard_wedge(qtbot, door, "JOSE0001")
    keys.typed(door.search.box, "ann")
    qtbot.waitUntil(lambda: door.search.box.text() == "ann")
    QTest.keyClick(door.search.box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert door.search.box.text() != "ann"  # the text's own undo
    assert search_guests(door.db, EVENT, "jose")[0].checked_in  # José is still in
    assert door.result.outcome.guest.name == "José García"


def test_undo_once_back_to_ready_asks_first(qtbot, door):
    scan_with_keyboard_wedge(qtbot, door, "JOSE0001")
    door.result.show_ready()
    asked: list[str] = []
    door.door_actions.confirm = lambda q: asked.append(q) and False
    QTest.keyClick(door.search.box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 1 and asked[0].startswith("Undo José García's check-in from ")
    assert search_guests(door.db, EVENT, "jose")[0].checked_in  # said no: nothing undone
    door.door_actions.confirm = lambda q: True
    with qtbot.waitSignal(door.changed, timeout=10_000):
        QTest.keyClick(door.search.box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not search_guests(door.db, EVENT, "jose")[0].checked_in


def test_undo_acts_on_the_guest_on_screen(qtbot, door):
    scan_with_keyboard_wedge(qtbot, door, "ANNA0001")
    scan_with_keyboard_wedge(qtbot, door, "JOSE0001")
    scan_with_keyboard_wedge(qtbot, door, "ANNA0001")  # a repeat: Anna on screen again
    door.door_actions.confirm = lambda q: "Anna" in q
    with qtbot.waitSignal(door.changed, timeout=10_000):
        QTest.keyClick(door.search.box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not search_guests(door.db, EVENT, "anna")[0].checked_in
    assert search_guests(door.db, EVENT, "jose")[0].checked_in


def test_reprint_after_a_repeat_scan_prints_the_guest_on_screen(qtbot, door, tmp_path):
    from checkin.badges.printlog import history
    from checkin.badges.templates import get_template
    from ui.printing.queue import PrintQueue, PrintTarget

    target = PrintTarget(pdf_path=str(tmp_path / "badge-{job}.pdf"))
    queue = PrintQueue.for_database(door.db, target, get_template("zebra-4x3"), parent=door)
    door.attach_printer(queue)
    anna = scan_with_keyboard_wedge(qtbot, door, "ANNA0001")
    check_in(door.db, EVENT, "JOSE0001", device="Door 2")
    jose = scan_with_keyboard_wedge(qtbot, door, "JOSE0001")
    assert jose.kind is OutcomeKind.ALREADY_CHECKED_IN
    with qtbot.waitSignal(queue.job_done, timeout=20_000):
        QTest.keyClick(door.search.box, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert [r.kind for r in history(door.db, jose.guest.registration_id)] == ["reprint"]
    assert history(door.db, anna.guest.registration_id) == []


def test_a_print_error_shows_in_the_result_area(qtbot, door):
    from checkin.badges.templates import get_template
    from ui.printing.queue import PrintQueue, PrintTarget

    queue = PrintQueue.for_database(
        door.db, PrintTarget(printer="QL-820-missing"), get_template("zebra-4x3"), parent=door
    )
    door.attach_printer(queue)
    scan_with_keyboard_wedge(qtbot, door, "ANNA0001")
    with qtbot.waitSignal(queue.job_failed, timeout=20_000):
        QTest.keyClick(door.search.box, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    notice = door.result.notice
    assert notice.isVisible() and notice.text().startswith("Badge not printed: ")
    assert "QL-820-missing" in notice.text() and "Ctrl+P to retry" in notice.text()


def test_a_rescanned_first_timer_gets_one_message(qtbot, door):
    scan_with_keyboard_wedge(qtbot, door, "HOST0001")
    scan_with_keyboard_wedge(qtbot, door, "NORA0001")
    again = scan_with_keyboard_wedge(qtbot, door, "NORA0001")
    assert again.kind is OutcomeKind.ALREADY_CHECKED_IN and again.first_time
    assert not door.result.first_time.isVisible()  # no second "FIRST TIME HERE — welcome!"
    assert "first time here, host: Hana Host" in door.result.detail.text()


def test_no_host_here_means_the_newcomer_is_told_so(qtbot, door):
    first = scan_with_keyboard_wedge(qtbot, door, "NORA0001")
    assert first.queued and first.host is None
    text = door.result.first_time.text()
    assert "No host is here yet" in text and "in a moment" not in text


def test_a_host_checking_in_is_told_the_newcomer_they_now_have(qtbot, door):
    scan_with_keyboard_wedge(qtbot, door, "NORA0001")  # waits: no host yet
    host = scan_with_keyboard_wedge(qtbot, door, "HOST0001")
    assert host.is_host
    assert door.result.detail.text() == "Thank you for hosting! Your newcomer: Nora Newcomer"


def test_last_months_code_at_the_door(qtbot, door):
    event_with_guests(door.db, "Last Month", [guest(2, "José", "García", ticket_code="OLD-JOSE")])
    outcome = scan_with_keyboard_wedge(qtbot, door, "OLD-JOSE")
    assert outcome.kind is OutcomeKind.CHECKED_IN and outcome.guest.code == "JOSE0001"
    assert EARLIER_CODE in door.result.warnings.text()


def test_status_messages_expire_and_counts_follow(qtbot, door):
    door.show_status("Settings saved.", seconds=0.05)
    qtbot.waitUntil(lambda: door.status_line.text().startswith("4 guests on the list"))
    from ui.door.walkin_dialog import WalkIn

    with qtbot.waitSignal(door.result_shown, timeout=10_000):
        door.door_actions.register_walkin(WalkIn("Walt Walker", None, None, None, False))
    qtbot.waitUntil(lambda: door.status_line.text().startswith("5 guests on the list"))


def test_ctrl_q_asks_before_closing_the_door(qtbot, door, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    QTest.keyClick(door.search.box, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert door.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    QTest.keyClick(door.search.box, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not door.isVisible()


def test_the_door_fits_1280_by_720_and_says_what_it_is(qtbot, door):
    hint = door.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 720 - 40  # 40: title bar and frame
    assert door.windowTitle() == EVENT  # Qt adds " — Welcome Desk" itself
    menu = [a.text() for a in door.menuBar().actions()[0].menu().actions()]
    assert "S&witch event…" in menu


def test_a_long_name_is_never_clipped(qtbot, door):
    door.resize(1280, 720)
    long = "Maria Fernanda Guadalupe de los Ángeles Villaseñor-Castellanos y Montenegro"
    event_with_guests(door.db, EVENT, [guest(9, long.split()[0], long.split(" ", 1)[1],
                                             ticket_code="LONG0001")])  # fmt: skip
    scan_with_keyboard_wedge(qtbot, door, "LONG0001")
    name = door.result.name
    qtbot.waitUntil(lambda: name.text() == long)
    needed = name.heightForWidth(name.width())
    assert needed <= name.height() + 1  # the whole name is drawn: no line cut off
    assert name.font().pixelSize() < 52  # made smaller to fit three lines


def test_no_host_yet_tells_the_volunteer_how_to_add_one(qtbot, door):
    qtbot.waitUntil(lambda: door.last_counters is not None, timeout=10_000)
    door.show_status("x", seconds=0.01)
    qtbot.waitUntil(lambda: "Ctrl+H makes the chosen guest a host" in door.status_line.text())
    assert "checkin host add" in door.status_line.text()


def test_the_window_size_is_restored_only_when_it_fits(qtbot, door):
    from ui import settings as S
    from ui.app import fit_to_screen

    room = door.screen().availableGeometry()
    door.setWindowState(Qt.WindowState.WindowNoState)
    door.settings.set(S.WINDOW_SIZE, f"{room.width() - 100}x{room.height() - 100}")
    fit_to_screen(door, door.settings)  # it fits: as it was last time
    assert not door.windowState() & Qt.WindowState.WindowMaximized
    door.settings.set(S.WINDOW_SIZE, f"{room.width() + 500}x{room.height() + 500}")
    fit_to_screen(door, door.settings)  # last time on a bigger screen: fill this one
    assert door.windowState() & Qt.WindowState.WindowMaximized
