"""Keys as a USB scanner or a person sends them, with the system's timestamps (ms)."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

_clock = itertools.count(10_000_000, 100_000)  # a fresh 100 s for every burst


def _key(ch: str) -> Qt.Key:
    return Qt.Key(ord(ch.upper())) if ch.isalnum() else Qt.Key.Key_unknown


def press(widget, ch: str, at_ms: int, key: Qt.Key | None = None) -> None:
    event = QKeyEvent(
        QEvent.Type.KeyPress, key if key is not None else _key(ch),
        Qt.KeyboardModifier.NoModifier, ch,
    )  # fmt: skip
    event.setTimestamp(at_ms)
    QApplication.sendEvent(widget, event)


def burst(widget, code: str, gap_ms: int = 8, enter: bool = True, start_ms: int | None = None):
    """A scanner: the code typed ``gap_ms`` apart (by the keys' own clock), then Enter."""
    t = next(_clock) if start_ms is None else start_ms
    for i, ch in enumerate(code):
        press(widget, ch, t + i * gap_ms)
    if enter:
        press(widget, "\r", t + len(code) * gap_ms, Qt.Key.Key_Return)
    return t + len(code) * gap_ms


def typed(widget, text: str, gap_ms: int = 150) -> None:
    """A person: keys far apart (the wedge releases each to the widget)."""
    t = next(_clock)
    for i, ch in enumerate(text):
        press(widget, ch, t + i * gap_ms)
