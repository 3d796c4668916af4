"""QR decoding of camera frames on a worker thread, newest frame only (zxing-cpp).

The camera delivers 15–30 frames a second; a decode takes a few milliseconds. Only the
newest frame is worth reading, so a frame arriving while a decode runs replaces the one
waiting instead of joining a queue: memory and latency stay flat however busy the door is.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

log = logging.getLogger(__name__)

Frame = QImage | QVideoFrame

_PF = QVideoFrameFormat.PixelFormat
# Formats whose first plane is 8-bit luma: already the grey picture zxing reads, so the
# colour conversion (the costliest step) is skipped. Most webcams deliver one of these.
_LUMA_PLANE = {_PF.Format_NV12, _PF.Format_NV21, _PF.Format_YUV420P, _PF.Format_YV12,
               _PF.Format_YUV422P, _PF.Format_Y8}  # fmt: skip
# Packed 4:2:2 with luma at every even byte (a common raw webcam format).
_LUMA_EVEN_BYTES = {_PF.Format_YUYV}


_IF = QImage.Format
# QImage formats whose bytes zxing-cpp reads as they are; it makes its own grey from the
# colour, with luma weights (Qt's own grey conversion does not: it turns a blue (25,150,235)
# into 144 where luma is 122, enough to lose a QR code whose finder patterns are blue).
# 32-bit Qt formats hold 0xAARRGGBB words: B, G, R, A in memory on a little-endian machine.
_WORDS = "BGRA" if sys.byteorder == "little" else "ARGB"
_IMAGE_LAYOUT = {
    _IF.Format_RGB32: _WORDS,
    _IF.Format_ARGB32: _WORDS,
    _IF.Format_ARGB32_Premultiplied: _WORDS,  # opaque camera pixels: the same colours
    _IF.Format_RGBX8888: "RGBA",
    _IF.Format_RGBA8888: "RGBA",
    _IF.Format_RGBA8888_Premultiplied: "RGBA",  # what a real X display gives
    _IF.Format_RGB888: "RGB",
    _IF.Format_BGR888: "BGR",
    _IF.Format_Grayscale8: "Lum",
}


def decode_frame(frame: Frame) -> list[str]:
    """The texts of the QR codes in one frame (often none). Safe to call from any thread."""
    import zxingcpp  # here, not at the top: it is not needed to open the app

    def read(bits, width: int, height: int, layout: str, stride: int, step: int = 0):
        pixels = getattr(zxingcpp.ImageFormat, layout)
        view = zxingcpp.ImageView(bits, width, height, pixels, stride, step)
        found = zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode)
        return [code.text for code in found if code.text]

    if isinstance(frame, QVideoFrame):
        step = _luma_step(frame)
        if step and frame.map(QVideoFrame.MapMode.ReadOnly):
            try:
                return read(
                    frame.bits(0), frame.width(), frame.height(), "Lum", frame.bytesPerLine(0), step
                )
            finally:
                frame.unmap()
        frame = frame.toImage()
    if frame.isNull():
        return []
    layout = _IMAGE_LAYOUT.get(frame.format())
    if layout is None:  # paletted, 16-bit, 30-bit ...: to a colour layout zxing-cpp reads
        frame, layout = frame.convertToFormat(_IF.Format_RGB32), _WORDS
    bits = memoryview(frame.constBits())
    return read(bits, frame.width(), frame.height(), layout, frame.bytesPerLine())


def _luma_step(frame: QVideoFrame) -> int:
    """Bytes between luma samples in the first plane, or 0 when it is not plain luma."""
    if frame.handleType() != QVideoFrame.HandleType.NoHandle:
        return 0  # a GPU texture: toImage() knows how to bring it back
    fmt = frame.pixelFormat()
    if fmt in _LUMA_PLANE:
        return 1
    return 2 if fmt in _LUMA_EVEN_BYTES else 0


class FrameDecoder(QObject):
    """Reads QR codes from the newest frame in its own thread and reports each code once.

    ``submit_image`` / ``submit_frame`` are thread-safe and return at once: call them directly
    (or connect with ``Qt.DirectConnection``) from whichever thread has the frame. A code is
    reported again only after it has been out of sight for ``repeat_after`` seconds, so a
    phone held up for ten seconds checks its guest in once.
    """

    decoded = Signal(str)
    frame_processed = Signal(float)  # milliseconds one frame took (benchmark, tests, stats)

    def __init__(
        self, repeat_after: float = 3.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()  # no parent: a parented object cannot move to its own thread
        self.repeat_after = repeat_after
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: Frame | None = None
        self._busy = False  # a wake-up is queued or a decode is running
        self._last_seen: dict[str, float] = {}
        self._thread: QThread | None = None

    def start(self) -> None:
        """Move into a fresh thread and begin decoding. Call once, from the GUI thread."""
        if self._thread is not None:
            return
        thread = QThread()
        thread.setObjectName("qr-decoder")
        self.moveToThread(thread)
        thread.start()
        self._thread = thread

    def stop(self) -> None:
        """Drop the waiting frame and end the thread (a decode under way finishes first)."""
        self.clear()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.quit()
            thread.wait()

    def is_running(self) -> bool:
        return self._thread is not None

    def is_idle(self) -> bool:
        """No frame waiting and none being decoded."""
        with self._lock:
            return not self._busy

    def clear(self) -> None:
        """Forget the frame waiting (the camera stopped: it is stale)."""
        with self._lock:
            self._pending = None

    @Slot(QImage)
    def submit_image(self, image: QImage) -> None:
        self._offer(image)

    @Slot(QVideoFrame)
    def submit_frame(self, frame: QVideoFrame) -> None:
        # The frame is converted in the worker, not here: here may be the GUI thread.
        self._offer(frame)

    def _offer(self, frame: Frame) -> None:
        if self._thread is None:
            return
        with self._lock:
            self._pending = frame  # replaces any frame still waiting: never a backlog
            if self._busy:
                return
            self._busy = True
        self._wake()

    def _wake(self) -> None:
        # Queued even from the worker itself: its event loop breathes (and notices quit())
        # between two decodes.
        QMetaObject.invokeMethod(self, "_decode_pending", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _decode_pending(self) -> None:
        with self._lock:
            frame, self._pending = self._pending, None
            if frame is None:
                self._busy = False
                return
        started = time.perf_counter()
        try:
            texts = decode_frame(frame)
        except Exception:  # one odd frame must not stop the camera path for the evening
            log.exception("could not decode a camera frame")
            texts = []
        self._report(texts)
        self.frame_processed.emit((time.perf_counter() - started) * 1000)
        with self._lock:
            if self._pending is None:
                self._busy = False
                return
        self._wake()

    def _report(self, texts: list[str]) -> None:
        now = self._clock()
        for text in texts:
            last = self._last_seen.get(text)
            self._last_seen[text] = now  # still in view: the quiet period starts again
            if last is None or now - last >= self.repeat_after:
                self.decoded.emit(text)
        if len(self._last_seen) > 100:  # a long evening of guests: forget the ones long gone
            self._last_seen = {
                t: seen for t, seen in self._last_seen.items() if now - seen < self.repeat_after
            }
