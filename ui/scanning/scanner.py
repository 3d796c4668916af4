"""USB and Bluetooth barcode scanners in keyboard mode ("keyboard wedge").

A scanner types the code as a burst of keystrokes, a few milliseconds apart, usually
ending with Enter. A person types at best every 60-100 ms. This filter watches every key
press of the application, whichever widget has focus:

- printable keys are held back briefly; if the next one comes within ``max_gap_ms`` they
  are a burst;
- a burst of at least ``min_length`` characters ending in Enter, or followed by a pause (for
  scanners set up without Enter), is a scan: ``scanned(code)`` is emitted and the keys
  never reach the widget;
- anything else (a person typing) is replayed to the widget that had focus, in order, a
  few tens of milliseconds late, which nobody notices.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

# Scanners end a code with Enter, or (configured so) with Tab.
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
# Scanners type capitals as Shift + letter (some send AltGr or Num Lock too): a modifier on
# its own is part of a burst, never a sign that a person is typing.
_MODIFIER_KEYS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
}
_BLOCKING_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


@dataclass
class _Held:
    target: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    at: float


class KeyboardWedge(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_gap_ms: int = 35,
        min_length: int = 4,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.max_gap = max_gap_ms / 1000
        self.min_length = min_length
        self._clock = clock
        self._held: list[_Held] = []
        self._replaying = False
        self._enabled = True
        # The pause that ends a burst without Enter, or releases a person's keystroke.
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(max_gap_ms + 15)
        self._pause.timeout.connect(self._on_pause)
        self._passed_through: tuple | None = None

    def install(self, app: QCoreApplication | None = None) -> None:
        (app or QCoreApplication.instance()).installEventFilter(self)

    def uninstall(self, app: QCoreApplication | None = None) -> None:
        self._flush()
        (app or QCoreApplication.instance()).removeEventFilter(self)

    def set_enabled(self, enabled: bool) -> None:
        self._flush()
        self._enabled = enabled

    # -- the filter -----------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self._replaying or not self._enabled or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        # Real key presses reach the window first and then the focus widget, so the
        # filter sees each twice; keys sent straight to a widget (tests, accessibility
        # tools) arrive once. Handle each press at its first stop only.
        signature = (event.timestamp(), event.key(), event.text(), event.modifiers().value)
        if obj.isWindowType():
            target: QObject | None = QApplication.focusWidget() or QApplication.activeWindow()
        else:
            if signature == self._passed_through:
                self._passed_through = None
                return False
            target = obj
        if target is None:
            return False
        handled = self._key(target, event)
        if not handled and obj.isWindowType():
            self._passed_through = signature
        return handled

    def _key(self, target: QObject, event: QKeyEvent) -> bool:
        # When the key was pressed (the system's timestamp), not when we got to it: keys a
        # person typed while the app was busy arrive together but are still a person's.
        stamp = event.timestamp()
        now = stamp / 1000 if stamp else self._clock()
        text = event.text()
        if event.key() in _MODIFIER_KEYS:
            return False  # let it through untouched; the held keys stay held
        if event.isAutoRepeat():
            self._flush()  # a key held down is a person, however fast it repeats
            return False
        if event.key() in _ENTER:
            if self._is_burst(now):
                self._emit_scan()
                return True
            self._flush()
            return False
        printable = len(text) == 1 and text.isprintable()
        if not printable or event.modifiers() & _BLOCKING_MODIFIERS:
            self._flush()  # arrows, Backspace, shortcuts: a person is at the keyboard
            return False
        if self._held and now - self._held[-1].at > self.max_gap:
            self._flush()  # too slow to be a scanner: what was held was typed
        self._held.append(_Held(target, event.key(), event.modifiers(), text, now))
        self._pause.start()
        return True

    def _is_burst(self, now: float) -> bool:
        if len(self._held) < self.min_length:
            return False
        times = [h.at for h in self._held] + [now]
        return all(b - a <= self.max_gap for a, b in itertools.pairwise(times))

    def _on_pause(self) -> None:
        if len(self._held) >= self.min_length and self._is_burst(self._held[-1].at):
            self._emit_scan()  # a scanner configured without Enter
        else:
            self._flush()

    def _emit_scan(self) -> None:
        self._pause.stop()
        code = "".join(h.text for h in self._held)
        self._held.clear()
        self.scanned.emit(code)

    def _flush(self) -> None:
        """Give held keys to the widget that had focus, as if they had never been held."""
        self._pause.stop()
        held, self._held = self._held, []
        if not held:
            return
        self._replaying = True
        try:
            for h in held:
                event = QKeyEvent(QEvent.Type.KeyPress, h.key, h.modifiers, h.text)
                QCoreApplication.sendEvent(h.target, event)
        finally:
            self._replaying = False
