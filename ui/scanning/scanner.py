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

Whether keys belong together is decided from the keys' own timestamps (when they were
pressed), never from when the app got round to them: on a busy laptop a stalled event loop
delivers a scanner's keys late and in clumps, and the pause timer can fire in the middle of
a burst. So the timer only decides after the loop has caught up, and if keys it released
turn out to be the start of a scan after all, they are taken back out of the text field:
half a code never stays in the search box.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

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


# An Enter this soon after a scan taken by the pause (the scanner's own Enter, delivered late)
# ends that scan; it does not reach the window.
LATE_ENTER = 0.3


@dataclass
class _Held:
    target: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    at: float
    released: bool = False  # given to the widget as typing


class KeyboardWedge(QObject):
    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_gap_ms: int = 35,
        min_length: int = 4,
        clock: Callable[[], float] = time.monotonic,
        is_code: Callable[[str], bool] | None = None,
        suspect_gap_ms: int = 120,
    ) -> None:
        """``is_code``: does this text name a guest (a ticket or app code)? Then a run of
        quick keys ending in Enter is a scan even when a starved machine stretched the gaps
        past ``max_gap_ms``, as long as each is within ``suspect_gap_ms`` (a person typing
        a whole code that fast and pressing Enter meant to check that guest in anyway)."""
        super().__init__(parent)
        self.max_gap = max_gap_ms / 1000
        self.suspect_gap = suspect_gap_ms / 1000
        self.is_code = is_code
        self._run: list[_Held] = []  # the quick keys typed lately, held or released
        self.min_length = min_length
        self._clock = clock
        self._held: list[_Held] = []
        self._replaying = False
        # The pause that ends a burst without Enter, or releases a person's keystroke.
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(max_gap_ms + 15)
        self._pause.timeout.connect(self._on_pause)
        self._passed_through: tuple | None = None
        self._armed_at = 0.0
        self._scan_ended_at = -1.0  # when the last scan's last key was pressed
        # Keys released to a widget by the last flush: a scan that continues them takes
        # them back (see _take_back).
        self._released: list[_Held] = []

    def install(self, app: QCoreApplication | None = None) -> None:
        (app or QCoreApplication.instance()).installEventFilter(self)

    def uninstall(self, app: QCoreApplication | None = None) -> None:
        self._flush()
        (app or QCoreApplication.instance()).removeEventFilter(self)

    # -- the filter -----------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress:
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
        # person typed while the app was busy arrive together but are still a person's,
        # and a scanner's keys delivered late are still a burst.
        stamp = event.timestamp()
        now = stamp / 1000 if stamp else self._clock()
        text = event.text()
        if event.key() in _MODIFIER_KEYS:
            return False  # let it through untouched; the held keys stay held
        if event.isAutoRepeat():
            self._flush()  # a key held down is a person, however fast it repeats
            return False
        if event.key() in _ENTER:
            if not self._held and 0 <= now - self._scan_ended_at <= LATE_ENTER:
                self._scan_ended_at = -1.0
                return True  # the end of a scan already taken: never a dialog's OK
            # The longer run first: a starved machine may have cut the burst's first keys
            # off ("NNA0001" for "ANNA0001"); if the whole run names a guest, it is the scan.
            if self._slow_scan(now):
                return True
            if self._is_burst(now):
                self._emit_scan()
                return True
            self._flush()
            self._released.clear()
            self._run.clear()
            return False
        printable = len(text) == 1 and text.isprintable()
        if not printable or event.modifiers() & _BLOCKING_MODIFIERS:
            self._flush()  # arrows, Backspace, shortcuts: a person is at the keyboard
            self._released.clear()
            self._run.clear()
            return False
        if self._held and now - self._held[-1].at > self.max_gap:
            self._flush()  # too slow to be a scanner: what was held was typed
        key = _Held(target, event.key(), event.modifiers(), text, now)
        if self._run and not 0 <= now - self._run[-1].at <= self.suspect_gap:
            self._run.clear()
        self._run.append(key)
        self._held.append(key)
        self._arm()
        return True

    def _slow_scan(self, now: float) -> bool:
        """A scan whose keys a busy machine spread out: quick keys naming a guest, then
        Enter. The keys already given to a text field are taken back out of it."""
        run = self._run
        if self.is_code is None or len(run) < self.min_length:
            return False
        if not 0 <= now - run[-1].at <= self.suspect_gap:
            return False
        code = "".join(h.text for h in run)
        if not self.is_code(code):
            return False
        self._pause.stop()
        self._take_back([h for h in run if h.released])
        self._held.clear()
        self._released.clear()
        self._run = []
        self.scanned.emit(code)
        return True

    def _arm(self) -> None:
        self._armed_at = self._clock()
        self._pause.start()

    def _burst(self) -> list[_Held]:
        """The keys of the burst in hand: the held ones, after any just-released keys that
        were pressed close enough before them to be the same scan."""
        keys = list(self._held)
        for h in reversed(self._released):
            if keys and not 0 <= keys[0].at - h.at <= self.max_gap:
                break
            keys.insert(0, h)
        return keys

    def _is_burst(self, now: float) -> bool:
        keys = self._burst()
        if len(keys) < self.min_length:
            return False
        times = [h.at for h in keys] + [now]
        return all(0 <= b - a <= self.max_gap for a, b in itertools.pairwise(times))

    def _on_pause(self) -> None:
        late = self._clock() - self._armed_at - self._pause.interval() / 1000
        if late > self.max_gap:
            # The event loop was stalled: keys pressed meanwhile may still be queued.
            # Let them arrive (their timestamps tell) before deciding.
            self._arm()
            return
        if self._held and self._is_burst(self._held[-1].at):
            self._emit_scan()  # a scanner configured without Enter
        else:
            self._flush()

    def _emit_scan(self) -> None:
        self._pause.stop()
        keys = self._burst()
        self._take_back(keys[: len(keys) - len(self._held)])
        self._held.clear()
        self._released.clear()
        self._run = []
        self._scan_ended_at = keys[-1].at
        self.scanned.emit("".join(h.text for h in keys))

    @staticmethod
    def _take_back(released: list[_Held]) -> None:
        """Remove from a text field the start of a scan that was released to it as typing."""
        by_target: dict[int, tuple[QObject, str]] = {}
        for h in released:
            target, text = by_target.get(id(h.target), (h.target, ""))
            by_target[id(h.target)] = (target, text + h.text)
        for target, text in by_target.values():
            if isinstance(target, QLineEdit):
                end = target.cursorPosition()
                if target.text()[:end].endswith(text):
                    target.setSelection(end - len(text), len(text))
                    target.del_()

    def _flush(self) -> None:
        """Give held keys to the widget that had focus, as if they had never been held."""
        self._pause.stop()
        held, self._held = self._held, []
        if not held:
            return
        for h in held:
            h.released = True
        if self._released and held[0].at - self._released[-1].at <= self.max_gap:
            self._released += held  # split more than once: still one run of keys
        else:
            self._released = held
        self._replaying = True
        try:
            for h in held:
                event = QKeyEvent(QEvent.Type.KeyPress, h.key, h.modifiers, h.text)
                QCoreApplication.sendEvent(h.target, event)
        finally:
            self._replaying = False
