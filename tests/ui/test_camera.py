"""The webcam path, fed with generated camera frames: no camera is needed (none is here).

Frames go in as QVideoFrames through the scanner's video sink, exactly where a camera's
frames arrive, so the same decoder worker, thread and hand-over are under test.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from PySide6.QtMultimedia import QCameraDevice, QMediaDevices, QVideoFrame, QVideoFrameFormat

from checkin.badges.qr_sheets import qr_image
from tests.ui.qr_photos.make_colour_samples import blue_finder_qr
from ui.scanning.camera import NO_CAMERA, OFF, CameraScanner
from ui.scanning.decoder import FrameDecoder, decode_frame

APP_CODE = "WD7K3M9XQP2A4B"
PRETIX_SECRET = "z4ykcf7e3cn4wqpkqt5tejg3u8dvrhvz"  # imported ticket codes are long
RGB32 = QImage.Format.Format_RGB32


def qr_qimage(code: str, box: int = 6) -> QImage:
    pil = qr_image(code, box_size=box).convert("L")
    data = pil.tobytes()
    return QImage(data, pil.width, pil.height, pil.width, QImage.Format.Format_Grayscale8).copy()


def camera_frame(
    code: str | None,
    *,
    seed: int = 1,
    scale: float = 1.0,
    offset: tuple[int, int] = (0, 0),
    angle: float = 0.0,
    fmt: QImage.Format = RGB32,
) -> QImage:
    """A 1280×720 webcam-like picture: blurry room, a phone's QR code somewhere, sensor noise."""
    rng = random.Random(seed)
    w, h = 1280, 720
    blobs = rng.randbytes(32 * 18 * 4)
    frame = QImage(blobs, 32, 18, 32 * 4, RGB32).scaled(
        w, h, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    painter = QPainter(frame)
    if code is not None:
        qr = qr_qimage(code)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setTransform(
            QTransform()
            .translate(w / 2 + offset[0], h / 2 + offset[1])
            .rotate(angle)
            .scale(scale, scale)
            .translate(-qr.width() / 2, -qr.height() / 2)
        )
        painter.drawImage(0, 0, qr)
        painter.resetTransform()
    noise = rng.randbytes(w * h)
    painter.setOpacity(0.15)  # sensor noise of about ±20 grey levels
    painter.drawImage(0, 0, QImage(noise, w, h, w, QImage.Format.Format_Grayscale8))
    painter.end()
    return frame.convertToFormat(fmt)


def yuv_frame(picture: QImage, pixel_format: QVideoFrameFormat.PixelFormat) -> QVideoFrame:
    """The picture as a camera's YUV frame (grey: chroma at 128)."""
    gray = picture.convertToFormat(QImage.Format.Format_Grayscale8)
    frame = QVideoFrame(QVideoFrameFormat(gray.size(), pixel_format))
    assert frame.map(QVideoFrame.MapMode.WriteOnly)
    for plane in range(frame.planeCount()):
        bits = frame.bits(plane)
        bits[:] = b"\x80" * len(bits)
    step = 2 if pixel_format == QVideoFrameFormat.PixelFormat.Format_YUYV else 1
    luma, stride = frame.bits(0), frame.bytesPerLine(0)
    src, src_stride, w = memoryview(gray.constBits()), gray.bytesPerLine(), gray.width()
    for y in range(gray.height()):
        luma[y * stride : y * stride + w * step : step] = src[y * src_stride : y * src_stride + w]
    frame.unmap()
    return frame


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def scanner(qtbot, clock: FakeClock) -> Iterator[CameraScanner]:
    scanner = CameraScanner(decoder=FrameDecoder(repeat_after=3.0, clock=clock), devices=lambda: [])
    yield scanner
    scanner.shutdown()
    assert not scanner.decoder.is_running()


def show(qtbot, scanner: CameraScanner, picture: QImage | QVideoFrame) -> list[str]:
    """Put one frame into the camera's sink; the codes reported for it, once it is decoded."""
    found: list[str] = []
    scanner.decoded.connect(found.append)
    frame = picture if isinstance(picture, QVideoFrame) else QVideoFrame(picture)
    try:
        # The scanner hands on decoded before frame_processed, both on the GUI thread: once
        # the latter is here, every code of this frame has arrived.
        with qtbot.waitSignal(scanner.frame_processed, timeout=5000):
            scanner.video_sink().setVideoFrame(frame)
    finally:
        scanner.decoded.disconnect(found.append)
    return found


@pytest.mark.parametrize(
    ("code", "place"),
    [
        (APP_CODE, {}),
        (APP_CODE, {"offset": (-430, -230), "scale": 0.8, "seed": 2}),
        (APP_CODE, {"offset": (380, 150), "scale": 1.3, "angle": 12, "seed": 3}),
        (PRETIX_SECRET, {"offset": (120, -60), "scale": 1.1, "angle": -7, "seed": 4}),
    ],
)
def test_code_held_to_the_camera_is_decoded(qtbot, scanner, code, place):
    with qtbot.waitSignal(scanner.decoded, timeout=5000) as blocker:
        scanner.video_sink().setVideoFrame(QVideoFrame(camera_frame(code, **place)))
    assert blocker.args == [code]


def test_frame_without_a_code_reports_nothing(qtbot, scanner):
    assert show(qtbot, scanner, camera_frame(None)) == []


def test_premultiplied_frames_of_a_real_display_decode(qtbot, scanner):
    # What an X display hands over, and what zxing-cpp refuses as a QImage.
    picture = camera_frame(APP_CODE, fmt=QImage.Format.Format_RGBA8888_Premultiplied)
    assert decode_frame(picture) == [APP_CODE]
    with qtbot.waitSignal(scanner.decoded, timeout=5000) as blocker:
        scanner.decoder.submit_image(picture)
    assert blocker.args == [APP_CODE]


@pytest.mark.parametrize("pixel_format", ["Format_NV12", "Format_YUV420P", "Format_YUYV"])
def test_webcam_yuv_frames_decode_from_their_luma(qtbot, scanner, pixel_format):
    frame = yuv_frame(camera_frame(APP_CODE), getattr(QVideoFrameFormat.PixelFormat, pixel_format))
    assert show(qtbot, scanner, frame) == [APP_CODE]


def test_odd_sized_picture_decodes():
    # Grey rows are padded to 4 bytes: the stride must be honoured.
    picture = camera_frame(APP_CODE).copy(3, 1, 1277, 717)
    assert decode_frame(picture) == [APP_CODE]


def test_code_held_up_checks_in_once_and_again_after_the_quiet_period(qtbot, scanner, clock):
    picture = camera_frame(APP_CODE)
    assert show(qtbot, scanner, picture) == [APP_CODE]
    for _ in range(3):  # held in front of the camera: 4.5 s in all, sightings 1.5 s apart
        clock.now += 1.5
        assert show(qtbot, scanner, picture) == []
    clock.now += 3.0  # out of sight for the whole quiet period, then shown again
    assert show(qtbot, scanner, picture) == [APP_CODE]


def test_next_guest_is_not_held_up_by_the_quiet_period(qtbot, scanner, clock):
    assert show(qtbot, scanner, camera_frame(APP_CODE)) == [APP_CODE]
    clock.now += 0.5
    assert show(qtbot, scanner, camera_frame(PRETIX_SECRET, seed=5)) == [PRETIX_SECRET]


def test_burst_of_frames_does_not_queue_up(qtbot, scanner):
    decodes: list[float] = []
    # Direct: counted in the worker as each decode ends, not whenever the GUI gets to it.
    scanner.decoder.frame_processed.connect(decodes.append, Qt.ConnectionType.DirectConnection)
    found: list[str] = []
    scanner.decoded.connect(found.append)
    pictures = [camera_frame(APP_CODE, seed=s, offset=(s * 7, -s * 5)) for s in range(4)]
    for i in range(60):
        scanner.video_sink().setVideoFrame(QVideoFrame(pictures[i % 4]))
    qtbot.waitUntil(scanner.decoder.is_idle, timeout=5000)
    qtbot.waitUntil(lambda: bool(found), timeout=5000)  # the report is queued to the GUI thread
    assert 1 <= len(decodes) < 30  # a backlog would decode all 60
    assert found == [APP_CODE]


def test_no_camera_is_said_calmly(qtbot, scanner):
    with (
        qtbot.waitSignal(scanner.status_changed) as status,
        qtbot.waitSignal(scanner.available_changed) as available,
    ):
        assert scanner.start() is False
    assert status.args == [NO_CAMERA]
    assert available.args == [False]
    assert not scanner.is_active()
    scanner.refresh()  # a plug event with still nothing there
    assert scanner.status() == NO_CAMERA
    scanner.stop()
    assert scanner.status() == OFF
    assert scanner.cameras() == []


def test_this_machine_without_a_camera(qtbot):
    if QMediaDevices.videoInputs():
        pytest.skip("not applicable here: this machine has a camera")
    scanner = CameraScanner()
    try:
        with qtbot.waitSignal(scanner.available_changed) as available:
            scanner.start("Integrated Webcam")
        assert available.args == [False]
        assert scanner.status() == NO_CAMERA
    finally:
        scanner.shutdown()


def test_camera_failing_to_start_is_reported_and_replugging_is_followed(qtbot, clock):
    plugged: list[QCameraDevice] = []
    decoder = FrameDecoder(clock=clock)
    scanner = CameraScanner(decoder=decoder, devices=lambda: list(plugged))
    try:
        assert scanner.start() is False
        plugged.append(QCameraDevice())  # "plugged in", but it cannot be opened
        available: list[bool] = []
        scanner.available_changed.connect(available.append)
        with qtbot.waitSignal(scanner.cameras_changed):
            scanner.refresh()
        assert scanner.status().startswith("Camera error: ")
        assert available[-1] is False
        plugged.clear()  # unplugged again
        scanner.refresh()
        assert scanner.status() == NO_CAMERA
        assert not scanner.is_available()
    finally:
        scanner.shutdown()


def test_preview_widget_shows_the_picture_and_its_frames_are_decoded(qtbot, scanner):
    preview = scanner.preview_widget()
    qtbot.addWidget(preview)
    assert scanner.preview_widget() is preview
    assert scanner.video_sink() is preview.videoSink()
    assert show(qtbot, scanner, camera_frame(APP_CODE)) == [APP_CODE]


def test_decoding_carries_on_when_the_preview_is_closed(qtbot, scanner, clock):
    preview = scanner.preview_widget()
    with qtbot.waitSignal(preview.destroyed):
        preview.deleteLater()
    clock.now += 10
    assert show(qtbot, scanner, camera_frame(APP_CODE)) == [APP_CODE]


def test_decoder_thread_ends_with_the_window_owning_the_scanner(qtbot):
    window = QObject()
    scanner = CameraScanner(window, devices=lambda: [])
    decoder = scanner.decoder
    assert decoder.is_running()
    with qtbot.waitSignal(window.destroyed):
        window.deleteLater()
    assert not decoder.is_running()


def test_stopped_decoder_ignores_frames(qtbot):
    decoder = FrameDecoder()
    decoder.submit_image(QImage(64, 64, RGB32))  # not started: dropped, nothing runs
    assert decoder.is_idle()
    decoder.start()
    decoder.stop()
    decoder.submit_image(QImage(64, 64, RGB32))
    assert decoder.is_idle()


def test_unreadable_frame_does_not_stop_the_decoder(qtbot, scanner):
    blank = QImage(1280, 720, RGB32)
    blank.fill(QColor("white"))
    with qtbot.waitSignal(scanner.frame_processed):
        scanner.decoder.submit_frame(QVideoFrame())  # what a stopping camera sends last
    assert show(qtbot, scanner, blank) == []
    assert show(qtbot, scanner, camera_frame(APP_CODE)) == [APP_CODE]


PHOTOS = Path(__file__).resolve().parent / "qr_photos"
SAMPLES = sorted(p for p in PHOTOS.iterdir() if p.suffix in (".webp", ".png", ".jpg"))


def _expected(path: Path) -> str:
    own = path.with_suffix(".txt")
    return (own if own.exists() else PHOTOS / "blue-finders.txt").read_bytes().decode("utf-8")


def _plain_zxing(picture: Image.Image) -> list[str]:
    """What zxing-cpp reads from the colour picture itself: the reference."""
    found = zxingcpp.read_barcodes(picture.convert("RGB"), formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found]


def _qimage(picture: Image.Image) -> QImage:
    data = picture.convert("RGB").tobytes()
    w, h = picture.size
    return QImage(data, w, h, 3 * w, QImage.Format.Format_RGB888).convertToFormat(RGB32)


def _in_camera_frame(picture: Image.Image, seed: int) -> Image.Image:
    """The photo inside a 1280×720 frame of blurry room, as a webcam would deliver it."""
    rng = random.Random(seed)
    room = Image.frombytes("RGB", (32, 18), rng.randbytes(32 * 18 * 3)).resize((1280, 720))
    photo = picture.convert("RGB")
    factor = min(2.0, 1200 / photo.width, 680 / photo.height)  # a phone held near the lens
    size = (round(photo.width * factor), round(photo.height * factor))
    photo = photo.resize(size, Image.Resampling.BICUBIC)
    room.paste(photo, (rng.randint(0, 1280 - photo.width), rng.randint(0, 720 - photo.height)))
    return room


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_photographed_codes_decode_in_the_app_as_zxing_reads_them(qtbot, scanner, path):
    """Rotated, blurred, tilted, dim, on screens, in colour: the camera path reads each one
    zxing-cpp reads, through the real sink, worker thread and decoder."""
    expected = _expected(path)
    assert _plain_zxing(Image.open(path)) == [expected]  # the sample is a fair one
    picture = QImage(str(path))  # Qt reads it as the camera's RGB32
    assert show(qtbot, scanner, picture) == [expected]
    # What a real X display hands over.
    premultiplied = picture.convertToFormat(QImage.Format.Format_RGBA8888_Premultiplied)
    assert decode_frame(premultiplied) == [expected]
    framed = _in_camera_frame(Image.open(path), seed=len(path.name))
    plain = _plain_zxing(framed)
    assert plain == [expected]
    assert decode_frame(_qimage(framed)) == plain


@pytest.mark.parametrize(
    ("blue", "paper", "angle", "seed"),
    [
        ((25, 150, 235), (255, 255, 255), 0, 1),
        ((25, 150, 235), (215, 215, 215), 9, 2),
        ((60, 180, 250), (230, 230, 230), -6, 3),
        ((90, 190, 255), (230, 230, 230), 14, 4),
        ((40, 120, 220), (200, 205, 210), 3, 5),
        ((0, 160, 255), (225, 225, 225), -12, 6),
    ],
)
def test_blue_finder_frames_decode_wherever_plain_zxing_reads_them(blue, paper, angle, seed):
    qr = blue_finder_qr(f"WD{seed:011d}X", blue, paper)
    qr = qr.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=paper)
    for picture in (qr, _in_camera_frame(qr, seed)):  # held close; in a room
        plain = _plain_zxing(picture)
        frame = _qimage(picture)
        assert decode_frame(frame) == plain
        premultiplied = frame.convertToFormat(QImage.Format.Format_RGBA8888_Premultiplied)
        assert decode_frame(premultiplied) == plain
