"""The webcam path of the door screen: camera → capture session → video sink → FrameDecoder.

Everything a volunteer needs to know comes out as plain words on ``status_changed``; a
missing, busy or unplugged camera is an expected state of the door, never an exception or a
dialog: the USB scanner and the name search keep working.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtMultimedia import (
    QCamera,
    QCameraDevice,
    QMediaCaptureSession,
    QMediaDevices,
    QVideoFrame,
    QVideoSink,
)
from PySide6.QtWidgets import QWidget

from ui.scanning.decoder import FrameDecoder

READY = "Camera ready"
STARTING = "Starting the camera…"
OFF = "Camera off"
NO_CAMERA = "No camera found — use the scanner or search"
NO_PICTURE = "The camera shows no picture — use the scanner or search"
ERROR = "Camera error: {}"


@dataclass(frozen=True)
class CameraChoice:
    """One camera for a picker: ``id`` is what ``start()`` takes (so is ``description``)."""

    id: str
    description: str
    is_default: bool


def _device_id(device: QCameraDevice) -> str:
    return device.id().data().decode("utf-8", "replace")


class CameraScanner(QObject):
    """Reads guests' QR codes from a webcam; ``decoded`` carries each code once per showing.

    ``decoder`` is made here unless given (tests give one with a fake clock); either way the
    scanner starts it and ``shutdown()`` ends it. ``devices`` lists the cameras
    (QMediaDevices.videoInputs by default; tests pass their own). ``no_picture_ms``: how long
    an active camera may deliver nothing before the volunteer is told (a missing video library
    gives no error, just no frames).
    """

    decoded = Signal(str)
    frame_processed = Signal(float)  # ms per decoded frame, after its codes (if any) arrived
    status_changed = Signal(str)
    available_changed = Signal(bool)  # a camera is present and working
    cameras_changed = Signal()  # one was plugged in or out: refresh a picker

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        repeat_after: float = 3.0,
        decoder: FrameDecoder | None = None,
        devices: Callable[[], list[QCameraDevice]] = QMediaDevices.videoInputs,
        no_picture_ms: int = 5000,
    ) -> None:
        super().__init__(parent)
        self._devices = devices
        self._wanted = False  # start() was asked for: follow plugged-in cameras
        self._preferred: str | None = None
        self._camera: QCamera | None = None
        self._failed = False
        self._frames = 0
        self._status = OFF
        self._available = bool(devices())
        self._preview: QWidget | None = None

        self._decoder = decoder or FrameDecoder(repeat_after)
        # Queued, so both arrive on the GUI thread, in the order the worker sent them.
        self._decoder.decoded.connect(self.decoded)
        self._decoder.frame_processed.connect(self.frame_processed)
        self._decoder.start()

        self._session = QMediaCaptureSession(self)
        self._own_sink = QVideoSink(self)
        self._sink: QVideoSink | None = None
        self._use_sink(self._own_sink)
        self._session.setVideoSink(self._own_sink)

        self._media_devices = QMediaDevices(self)
        self._media_devices.videoInputsChanged.connect(self.refresh)
        self._watchdog = QTimer(self, singleShot=True, interval=no_picture_ms)
        self._watchdog.timeout.connect(self._check_picture)
        # The decoder thread must end before Qt tears it down: when the app quits, or when
        # the window owning this scanner is deleted (direct: the scanner is going away).
        self.destroyed.connect(self._decoder.stop, Qt.ConnectionType.DirectConnection)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- what the UI asks -------------------------------------------------------------------

    @property
    def decoder(self) -> FrameDecoder:
        return self._decoder

    @property
    def repeat_after(self) -> float:
        return self._decoder.repeat_after

    @repeat_after.setter
    def repeat_after(self, seconds: float) -> None:
        self._decoder.repeat_after = seconds

    def status(self) -> str:
        return self._status

    def is_available(self) -> bool:
        return self._available

    def is_active(self) -> bool:
        return self._camera is not None and self._camera.isActive()

    def cameras(self) -> list[CameraChoice]:
        default = _device_id(QMediaDevices.defaultVideoInput())
        return [
            CameraChoice(_device_id(d), d.description(), _device_id(d) == default)
            for d in self._devices()
        ]

    def video_sink(self) -> QVideoSink:
        """The sink whose frames are decoded (the preview's own sink once there is one)."""
        assert self._sink is not None
        return self._sink

    def preview_widget(self) -> QWidget:
        """A widget with the live picture, to embed in the door screen (made on first call).

        It becomes the session's video output and its own video sink is tapped for decoding,
        because a capture session feeds exactly one output.
        """
        if self._preview is None:
            from PySide6.QtMultimediaWidgets import QVideoWidget

            widget = QVideoWidget()
            widget.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
            widget.destroyed.connect(self._preview_destroyed)
            self._session.setVideoOutput(widget)
            self._use_sink(widget.videoSink())
            self._preview = widget
        return self._preview

    def start(self, camera: str | None = None) -> bool:
        """Start ``camera`` (an id or description; None: the system default). False if none."""
        self._wanted = True
        self._preferred = camera
        return self._open(announce=True)

    @Slot()
    def stop(self) -> None:
        self._wanted = False
        self._close()
        self._set_state(OFF, bool(self._devices()))

    @Slot()
    def shutdown(self) -> None:
        """Stop the camera and end the decoder thread; the scanner is done after this."""
        if self._decoder.is_running():
            self.stop()
            self._decoder.stop()

    @Slot()
    def refresh(self) -> None:
        """A camera was plugged in or out: follow it if the camera is meant to be on."""
        self.cameras_changed.emit()
        if not self._wanted:
            self._set_state(self._status, bool(self._devices()))
            return
        current = self._camera.cameraDevice() if self._camera is not None else None
        if current is not None and not self._failed and current == self._pick():
            return  # the change was some other camera: carry on undisturbed
        self._open(announce=False)

    # -- inside -----------------------------------------------------------------------------

    def _pick(self) -> QCameraDevice | None:
        devices = self._devices()
        if not devices:
            return None
        if self._preferred:
            for device in devices:
                if self._preferred in (_device_id(device), device.description()):
                    return device
        default = QMediaDevices.defaultVideoInput()
        return next((d for d in devices if d == default), devices[0])

    def _open(self, announce: bool) -> bool:
        device = self._pick()
        if device is None:
            self._close()
            self._set_state(NO_CAMERA, False, announce)
            return False
        if self._camera is not None and not self._failed and self._camera.cameraDevice() == device:
            self._set_state(self._status, self._available, announce)  # already on: say so again
            return True
        self._close()
        camera = QCamera(device, self)
        camera.errorOccurred.connect(self._camera_error)
        camera.activeChanged.connect(self._camera_active)
        self._camera = camera
        self._failed = False
        self._frames = 0
        self._session.setCamera(camera)
        self._set_state(STARTING, True, announce)
        camera.start()
        if camera.error() != QCamera.Error.NoError:  # some backends fail before any signal
            self._camera_error(camera.error(), camera.errorString())
        return not self._failed

    def _close(self) -> None:
        self._watchdog.stop()
        self._decoder.clear()
        camera, self._camera = self._camera, None
        if camera is not None:
            camera.errorOccurred.disconnect(self._camera_error)
            camera.activeChanged.disconnect(self._camera_active)
            camera.stop()
            self._session.setCamera(None)
            camera.deleteLater()

    def _set_state(self, status: str, available: bool, announce: bool = False) -> None:
        """Emit what changed; ``announce`` repeats both, for a UI connected after the fact."""
        if announce or status != self._status:
            self._status = status
            self.status_changed.emit(status)
        if announce or available != self._available:
            self._available = available
            self.available_changed.emit(available)

    def _use_sink(self, sink: QVideoSink) -> None:
        old, self._sink = self._sink, sink
        if old is not None and shiboken6.isValid(old):
            old.videoFrameChanged.disconnect(self._on_frame)
        # Direct: runs in whichever thread delivers the frame and only hands it over,
        # so decoding never waits for the GUI thread (nor the GUI for decoding).
        sink.videoFrameChanged.connect(self._on_frame, Qt.ConnectionType.DirectConnection)

    def _on_frame(self, frame: QVideoFrame) -> None:
        self._frames += 1
        self._decoder.submit_frame(frame)

    @Slot()
    def _preview_destroyed(self) -> None:
        # Its sink went with it; decode from our own sink again.
        self._preview = None
        self._session.setVideoSink(self._own_sink)
        self._use_sink(self._own_sink)

    @Slot(QCamera.Error, str)
    def _camera_error(self, error: QCamera.Error, text: str) -> None:
        if error == QCamera.Error.NoError:
            return
        self._failed = True
        self._watchdog.stop()
        self._set_state(ERROR.format(text or "the camera stopped working"), False)

    @Slot(bool)
    def _camera_active(self, active: bool) -> None:
        if active and not self._failed:
            self._frames = 0
            self._watchdog.start()
            self._set_state(READY, True)

    @Slot()
    def _check_picture(self) -> None:
        if self.is_active() and self._frames == 0:
            self._set_state(NO_PICTURE, False)
