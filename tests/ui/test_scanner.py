"""The keyboard-wedge detector on its own: scanners vs people, whatever has focus."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from ui.scanning.scanner import KeyboardWedge


def _wedge(qtbot) -> tuple[KeyboardWedge, QLineEdit]:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    wedge = KeyboardWedge(max_gap_ms=35, min_length=4)
    wedge.install()
    return wedge, edit


def _press(widget, key, text: str = "", modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text))
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, key, modifiers, text))


def test_capitals_sent_with_shift_stay_one_scan(qtbot):
    wedge, edit = _wedge(qtbot)
    shift = Qt.KeyboardModifier.ShiftModifier
    with qtbot.waitSignal(wedge.scanned, timeout=2_000) as scan:
        for ch in "WD7K3M":
            if ch.isalpha():
                _press(edit, Qt.Key.Key_Shift, "", shift)
                _press(edit, Qt.Key(ord(ch)), ch, shift)
            else:
                _press(edit, Qt.Key(ord(ch)), ch)
        _press(edit, Qt.Key.Key_Return, "\r")
    assert scan.args == ["WD7K3M"]
    assert edit.text() == ""
    wedge.uninstall()


def test_scanner_without_enter_is_recognised_by_the_pause(qtbot):
    wedge, edit = _wedge(qtbot)
    with qtbot.waitSignal(wedge.scanned, timeout=2_000) as scan:
        QTest.keyClicks(edit, "4711000123")
    assert scan.args == ["4711000123"] and edit.text() == ""
    wedge.uninstall()


def test_short_bursts_and_slow_typing_reach_the_widget_in_order(qtbot):
    wedge, edit = _wedge(qtbot)
    with qtbot.assertNotEmitted(wedge.scanned, wait=200):
        QTest.keyClicks(edit, "ab")  # two fast keys: too short for a code
        qtbot.wait(100)
        QTest.keyClicks(edit, "cdef", delay=60)  # a person typing
        qtbot.wait(100)
    assert edit.text() == "abcdef"
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
    with qtbot.assertNotEmitted(wedge.scanned, wait=200):
        for i, ch in enumerate("anna"):
            event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key(ord(ch.upper())),
                              Qt.KeyboardModifier.NoModifier, ch)  # fmt: skip
            event.setTimestamp(1_000_000 + 120 * i)
            QApplication.sendEvent(edit, event)
        QApplication.sendEvent(
            edit,
            QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
        )
        qtbot.wait(100)
    assert edit.text() == "anna"
    wedge.uninstall()
