"""Camera path speed: QR decode time off the UI thread, and the UI's lag while frames stream in.

    .venv/bin/python bench/bench_camera.py

run() returns (name, value, unit) rows. Targets: a 1280×720 frame decodes in <= 15 ms
(median); with 15 frames a second going through the decoder, a 5 ms UI timer fires at most
16 ms late (p95). Frames are generated (blurry room, sensor noise, a phone's QR code at
varying places and sizes, some frames without one) and enter where a camera's frames do:
the scanner's video sink, on the GUI thread. Decode times are measured in the worker thread
around the whole step: frame to picture, grey conversion, zxing-cpp.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

# Before any Qt import: Qt reads these when it starts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QImage, QPainter, QTransform  # noqa: E402
from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

Row = tuple[str, float, str]

W, H = 1280, 720
DECODES = 200
LAG_SECONDS = 5.0
FPS = 15
TICK_MS = 5


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def _picture(code: str | None, rng: random.Random) -> QImage:
    from checkin.badges.qr_sheets import qr_image

    blobs = rng.randbytes(32 * 18 * 4)
    frame = QImage(blobs, 32, 18, 32 * 4, QImage.Format.Format_RGB32).scaled(
        W, H, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    painter = QPainter(frame)
    if code is not None:
        pil = qr_image(code, box_size=6).convert("L")
        data = pil.tobytes()
        qr = QImage(data, pil.width, pil.height, pil.width, QImage.Format.Format_Grayscale8)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setTransform(
            QTransform()
            .translate(W / 2 + rng.randint(-400, 400), H / 2 + rng.randint(-200, 200))
            .rotate(rng.uniform(-15, 15))
            .scale(rng.uniform(0.8, 1.4), rng.uniform(0.8, 1.4))
            .translate(-pil.width / 2, -pil.height / 2)
        )
        painter.drawImage(0, 0, qr)
        painter.resetTransform()
    noise = rng.randbytes(W * H)
    painter.setOpacity(0.15)
    painter.drawImage(0, 0, QImage(noise, W, H, W, QImage.Format.Format_Grayscale8))
    painter.end()
    return frame


def _nv12(picture: QImage) -> QVideoFrame:
    """The picture as most webcams deliver it: 8-bit luma plane plus half-size chroma."""
    gray = picture.convertToFormat(QImage.Format.Format_Grayscale8)
    frame = QVideoFrame(QVideoFrameFormat(gray.size(), QVideoFrameFormat.PixelFormat.Format_NV12))
    frame.map(QVideoFrame.MapMode.WriteOnly)
    chroma = frame.bits(1)
    chroma[:] = b"\x80" * len(chroma)
    luma, stride = frame.bits(0), frame.bytesPerLine(0)
    src, src_stride = memoryview(gray.constBits()), gray.bytesPerLine()
    for y in range(H):
        luma[y * stride : y * stride + W] = src[y * src_stride : y * src_stride + W]
    frame.unmap()
    return frame


def _decode_times(scanner, frames: list[QVideoFrame], n: int) -> list[float]:
    """Worker-measured decode time per frame, one frame at a time."""
    times: list[float] = []
    loop = QEventLoop()

    def done(ms: float) -> None:
        times.append(ms)
        loop.quit()

    scanner.frame_processed.connect(done)
    for i in range(n):
        scanner.video_sink().setVideoFrame(frames[i % len(frames)])
        loop.exec()  # frame_processed is queued to this thread, so it cannot come earlier
    scanner.frame_processed.disconnect(done)
    return times


def _event_loop_lag(scanner, frames: list[QVideoFrame], seconds: float, fps: int) -> dict:
    """How late a 5 ms UI timer fires while frames are pushed at ``fps`` (0: none)."""
    lags: list[float] = []
    decodes: list[float] = []
    pushed = [0]
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        lags.append(max(0.0, (now - last[0]) * 1000 - TICK_MS))
        last[0] = now

    def push() -> None:
        scanner.video_sink().setVideoFrame(frames[pushed[0] % len(frames)])
        pushed[0] += 1

    loop = QEventLoop()
    ticker = QTimer(interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
    ticker.timeout.connect(tick)
    feeder = QTimer(
        interval=round(1000 / fps) if fps else 1000, timerType=Qt.TimerType.PreciseTimer
    )
    if fps:
        feeder.timeout.connect(push)
    scanner.frame_processed.connect(decodes.append)
    ticker.start()
    feeder.start()
    last[0] = time.perf_counter()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()
    ticker.stop()
    feeder.stop()
    scanner.frame_processed.disconnect(decodes.append)
    return {"lags": lags, "pushed": pushed[0], "decodes": decodes}


def run() -> list[Row]:
    from ui.scanning.camera import CameraScanner

    app = QApplication.instance() or QApplication([])
    rng = random.Random(7)
    codes = [f"WD{rng.randrange(10**11):011d}X" for _ in range(6)]
    pictures = [_picture(code, rng) for code in codes] + [_picture(None, rng) for _ in range(2)]
    rgb32 = [QVideoFrame(p) for p in pictures]
    nv12 = [_nv12(p) for p in pictures]
    premultiplied = [
        QVideoFrame(p.convertToFormat(QImage.Format.Format_RGBA8888_Premultiplied))
        for p in pictures
    ]

    scanner = CameraScanner(devices=lambda: [])
    found: list[str] = []
    scanner.decoded.connect(found.append)
    rows: list[Row] = []
    try:
        _decode_times(scanner, rgb32, 10)  # warm-up: zxing-cpp import, first allocations
        for label, frames in [
            ("RGB32", rgb32),
            ("RGBA8888 premultiplied", premultiplied),
            ("NV12 (luma plane)", nv12),
        ]:
            times = _decode_times(scanner, frames, DECODES)
            rows += [
                (f"decode 1280×720 {label} median", statistics.median(times), "ms"),
                (f"decode 1280×720 {label} p95", _pct(times, 95), "ms"),
            ]
        idle = _event_loop_lag(scanner, rgb32, 1.0, 0)
        busy = _event_loop_lag(scanner, rgb32, LAG_SECONDS, FPS)
        rows += [
            ("UI event-loop lag p95, idle", _pct(idle["lags"], 95), "ms"),
            ("UI event-loop lag max, idle", max(idle["lags"]), "ms"),
            (f"UI event-loop lag p95, {FPS} frames/s decoding", _pct(busy["lags"], 95), "ms"),
            (f"UI event-loop lag max, {FPS} frames/s decoding", max(busy["lags"]), "ms"),
            ("frames pushed in the lag run", float(busy["pushed"]), "frames"),
            ("frames decoded in the lag run", float(len(busy["decodes"])), "frames"),
            ("decode median in the lag run", statistics.median(busy["decodes"]), "ms"),
            ("distinct codes reported (6 shown)", float(len(set(found))), "codes"),
        ]
    finally:
        scanner.shutdown()
    app.processEvents()
    return rows


def colour_paths(n: int = 100) -> list[Row]:
    """Decode time of ui/scanning/decoder.decode_frame against the grey conversion it
    replaced (Qt's Grayscale8, then zxing-cpp), on the same 1280×720 colour frames."""
    import zxingcpp

    from ui.scanning.decoder import decode_frame

    def grey_then_zxing(picture: QImage) -> list[str]:  # the old path, for comparison
        gray = picture.convertToFormat(QImage.Format.Format_Grayscale8)
        view = zxingcpp.ImageView(
            memoryview(gray.constBits()), gray.width(), gray.height(),
            zxingcpp.ImageFormat.Lum, gray.bytesPerLine(),
        )  # fmt: skip
        return [c.text for c in zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode)]

    app = QApplication.instance() or QApplication([])
    rng = random.Random(11)
    pictures = [_picture(f"WD{rng.randrange(10**11):011d}X", rng) for _ in range(6)]
    rows: list[Row] = []
    for label, fmt in [
        ("RGB32", QImage.Format.Format_RGB32),
        ("RGBA8888 premultiplied", QImage.Format.Format_RGBA8888_Premultiplied),
    ]:
        frames = [p.convertToFormat(fmt) for p in pictures]
        for name, decode in [("app path", decode_frame), ("old grey path", grey_then_zxing)]:
            decode(frames[0])  # warm-up
            times, found = [], 0
            for i in range(n):
                started = time.perf_counter()
                found += bool(decode(frames[i % len(frames)]))
                times.append((time.perf_counter() - started) * 1000)
            rows += [
                (f"colour {label}, {name}: median", statistics.median(times), "ms"),
                (f"colour {label}, {name}: frames decoded of {n}", float(found), "frames"),
            ]
    app.processEvents()
    return rows


if __name__ == "__main__":
    for name, value, unit in colour_paths() if "--colour" in sys.argv else run():
        print(f"{name:<55} {value:>10.2f} {unit}")
