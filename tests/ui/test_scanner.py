"""The keyboard-wedge detector on its own: scanners vs people, whatever has focus.

Every key carries its own timestamp (as the window system gives it) and the wedge's clock is
injected: nothing here depends on how fast this machine happens to be."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.ui import keys
from ui.scanning.scanner import KeyboardWedge


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _wedge(qtbot, clock=None) -> tuple[KeyboardWedge, QLineEdit]:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    wedge = KeyboardWedge(max_gap_ms=35, min_length=4, clock=clock or Clock())
    wedge.install()
    return wedge, edit


def _press(widget, key, text: str, at_ms: int, modifiers=Qt.KeyboardModifier.NoModifier):
    event = QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text)
    event.setTimestamp(at_ms)
    QApplication.sendEvent(widget, event)


def test_capitals_sent_with_shift_stay_one_scan(qtbot):
    wedge, edit = _wedge(qtbot)
    shift = Qt.KeyboardModifier.ShiftModifier
    t = 5_000
    with qtbot.waitSignal(wedge.scanned, timeout=2_000) as scan:
        for ch in "WD7K3M":
            t += 4
            if ch.isalpha():
                _press(edit, Qt.Key.Key_Shift, "", t, shift)
                _press(edit, Qt.Key(ord(ch)), ch, t + 2, shift)
            else:
                _press(edit, Qt.Key(ord(ch)), ch, t)
        _press(edit, Qt.Key.Key_Return, "\r", t + 6)
    assert scan.args == ["WD7K3M"]
    assert edit.text() == ""
    wedge.uninstall()


def test_scanner_without_enter_is_recognised_by_the_pause(qtbot):
    wedge, edit = _wedge(qtbot)
    with qtbot.waitSignal(wedge.scanned, timeout=2_000) as scan:
        keys.burst(edit, "4711000123", enter=False)
    assert scan.args == ["4711000123"] and edit.text() == ""
    wedge.uninstall()


def test_short_bursts_and_slow_typing_reach_the_widget_in_order(qtbot):
    wedge, edit = _wedge(qtbot)
    with qtbot.assertNotEmitted(wedge.scanned):
        keys.burst(edit, "ab", enter=False)  # two fast keys: too short for a code
        keys.typed(edit, "cdef", gap_ms=60)  # a person typing
        qtbot.waitUntil(lambda: edit.text() == "abcdef")
    wedge.uninstall()


def test_shortcuts_are_never_held(qtbot):
    wedge, edit = _wedge(qtbot)
    edit.setText("hello")
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    assert edit.selectedText() == "hello"
    wedge.uninstall()


def test_keys_typed_while_the_app_was_busy_are_still_a_persons(qtbot):
    """Delivered together after a stall, but pressed 120 ms apart (the system's timestamps)."""
    wedge, edit = _wedge(qtbot)
    with qtbot.assertNotEmitted(wedge.scanned):
        for i, ch in enumerate("anna"):
            _press(edit, Qt.Key(ord(ch.upper())), ch, 1_000_000 + 120 * i)
        _press(edit, Qt.Key.Key_Return, "", 1_000_000 + 500)
    assert edit.text() == "anna"
    wedge.uninstall()


def test_a_pause_timer_stretched_by_a_stalled_loop_does_not_split_a_scan(qtbot):
    """The loop stalls after the first key: the timer fires late, before the other keys
    (pressed 8 ms apart) are delivered. It must wait for them, not release the "W"."""
    clock = Clock()
    wedge, edit = _wedge(qtbot, clock)
    code = "WD6YWC4KZZ8K92"
    t = 2_000_000
    _press(edit, Qt.Key.Key_W, "W", t)
    clock.now += 0.5  # half a second of stall on the wedge's clock
    wedge._on_pause()  # the overdue timer fires first
    assert edit.text() == ""  # nothing released into the search box
    with qtbot.waitSignal(wedge.scanned, timeout=2_000) as scan:
        keys.burst(edit, code[1:], start_ms=t + 8)
    assert scan.args == [code] and edit.text() == ""
    wedge.uninstall()


def test_half_a_code_released_as_typing_is_taken_back_when_the_scan_completes(qtbot):
    """Even when the timer did release the first key, the rest of the burst claims it back
    by its timestamp: the whole code is scanned and the search box is left as it was."""
    clock = Clock()
    wedge, edit = _wedge(qtbot, clock)
    edit.setText("x")
    code = "WD6YWC4KZZ8K92"
    t = 3_000_000
    _press(edit, Qt.Key.Key_W, "W", t)
    wedge._flush()  # released as a person's key (what a wall-clock timer did)
    assert edit.text() == "xW"
    with qtbot.waitSignal(wedge.scanned, timeout=2_000) as scan:
        keys.burst(edit, code[1:], start_ms=t + 8)
    assert scan.args == [code]
    assert edit.text() == "x"  # the stray "W" is gone: Enter cannot pick the wrong guest
    wedge.uninstall()


def test_a_scan_spread_out_by_a_starved_machine_is_still_a_scan_when_it_names_a_guest(qtbot):
    """xdotool (or a USB stack) starved of CPU sends the keys 60 ms apart: too slow for a
    burst, yet a run of quick keys naming a guest, then Enter, is that guest's scan. What
    was already typed into the field by then is taken back; the person's text stays."""
    code = "WD6YWC4KZZ8K92"
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    wedge = KeyboardWedge(max_gap_ms=35, min_length=4, clock=Clock(), is_code={code}.__contains__)
    wedge.install()
    keys.typed(edit, "Peter Par")
    qtbot.waitUntil(lambda: edit.text() == "Peter Par")
    with qtbot.waitSignal(wedge.scanned, timeout=2_000) as scan:
        keys.burst(edit, code, gap_ms=60)
    assert scan.args == [code] and edit.text() == "Peter Par"
    with qtbot.assertNotEmitted(wedge.scanned):  # quick typing that is no code: typing
        keys.burst(edit, "x@y.org", gap_ms=60)
    assert edit.text() == "Peter Parx@y.org"
    wedge.uninstall()


def test_a_late_enter_after_a_scan_taken_by_the_pause_is_swallowed(qtbot):
    """The burst was taken as a scan when the keys paused; its Enter, delivered late, must
    not press the default button of the dialog underneath."""
    wedge, edit = _wedge(qtbot)
    pressed: list[str] = []
    edit.returnPressed.connect(lambda: pressed.append("enter"))
    with qtbot.waitSignal(wedge.scanned, timeout=2_000):
        end = keys.burst(edit, "JOSE0001", enter=False)
    _press(edit, Qt.Key.Key_Return, "\r", end + 120)
    assert pressed == []
    _press(edit, Qt.Key.Key_Return, "\r", end + 5_000)  # a person's Enter later: theirs
    assert pressed == ["enter"]
    wedge.uninstall()


def test_a_first_key_cut_off_by_a_starved_machine_stays_part_of_the_scan(qtbot):
    """The first key came 60 ms before the rest (the sender was starved): the burst alone
    would be "NNA0001", not on the list; the whole run "ANNA0001" is, and is the scan."""
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    wedge = KeyboardWedge(max_gap_ms=35, min_length=4, is_code={"ANNA0001"}.__contains__)
    wedge.install()
    t = 7_000_000
    _press(edit, Qt.Key.Key_A, "A", t)
    with qtbot.waitSignal(wedge.scanned, timeout=2_000) as scan:
        keys.burst(edit, "NNA0001", start_ms=t + 60)
    assert scan.args == ["ANNA0001"] and edit.text() == ""
    wedge.uninstall()
