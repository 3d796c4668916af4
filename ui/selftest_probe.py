"""The Qt half of `checkin selftest`: runs in a child process (`checkin selftest --qt-probe`)
so the core's own process never loads Qt. Lives in ui/, the only layer that may import Qt.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

from checkin.selftest import QT_MODULES, _error_text


def qt_probe(pdf: str | None = None) -> dict:
    """Start Qt (offscreen unless QT_QPA_PLATFORM says otherwise) and use every Qt module the
    app needs."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qt = {name: importlib.import_module(f"PySide6.{name}") for name in QT_MODULES}
    core, gui, widgets = qt["QtCore"], qt["QtGui"], qt["QtWidgets"]
    app = widgets.QApplication.instance() or widgets.QApplication(["checkin-selftest"])
    notes = [f"Qt {core.qVersion()} on '{app.platformName()}'"]

    image = gui.QImage(160, 48, gui.QImage.Format.Format_ARGB32)
    image.fill(gui.QColor("white"))
    painter = gui.QPainter(image)
    painter.setPen(gui.QColor("black"))
    painter.setFont(gui.QFont(app.font().family(), 20))
    painter.drawText(image.rect(), int(core.Qt.AlignmentFlag.AlignCenter), "Willkommen Zoë")
    painter.end()
    if all(image.pixelColor(x, y).lightness() > 200 for x in range(160) for y in range(48)):
        raise RuntimeError("text drawn with QPainter left the image blank (no usable font)")

    label = widgets.QLabel("Welcome Desk selftest")
    label.show()
    app.processEvents()
    label.close()

    icon = _icon_file()
    if icon is not None:
        renderer = qt["QtSvg"].QSvgRenderer(str(icon))
        if not renderer.isValid():
            raise RuntimeError(f"QtSvg could not read {icon}")
        notes.append("SVG icon")

    printer = qt["QtPrintSupport"].QPrinter()
    printer.setOutputFormat(qt["QtPrintSupport"].QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(Path.cwd() / "qt-printer.pdf"))
    painter = gui.QPainter()
    if not painter.begin(printer):
        raise RuntimeError("QPrinter could not start a PDF")
    painter.drawText(100, 100, "selftest")
    painter.end()
    notes.append("QPrinter PDF")

    if pdf:
        doc = qt["QtPdf"].QPdfDocument()
        if doc.load(pdf) != qt["QtPdf"].QPdfDocument.Error.None_:
            raise RuntimeError(f"QtPdf could not open the badge: {doc.error()}")
        page = doc.render(0, core.QSize(300, 225))
        if page.isNull():
            raise RuntimeError("QtPdf rendered the badge as an empty image")
        notes.append(f"QtPdf badge {page.width()}×{page.height()}")

    media = qt["QtMultimedia"]
    outputs = len(media.QMediaDevices.audioOutputs())
    notes.append(f"QtMultimedia ({outputs} audio outputs)")
    notes.append(_camera_path(qt))
    return {"ok": True, "detail": ", ".join(notes)}


def _camera_path(qt: dict) -> str:
    """A QR frame through QVideoSink, as the camera delivers it, decoded from the QImage."""
    import zxingcpp

    from checkin.badges.qr_sheets import qr_png_bytes

    text = "WD1-SELFTEST-CAMERA"
    frame_image = qt["QtGui"].QImage.fromData(qr_png_bytes(text, box_size=6))
    frame_image = frame_image.convertToFormat(qt["QtGui"].QImage.Format.Format_RGB32)
    sink = qt["QtMultimedia"].QVideoSink()
    frames: list = []
    sink.videoFrameChanged.connect(lambda frame: frames.append(frame.toImage()))
    sink.setVideoFrame(qt["QtMultimedia"].QVideoFrame(frame_image))
    qt["QtWidgets"].QApplication.processEvents()
    if not frames or frames[-1].isNull():
        raise RuntimeError("QVideoSink delivered no frame")
    # toImage() gives RGB32 offscreen but RGBA8888_Premultiplied under xcb, which zxing-cpp
    # refuses ("does not support the buffer protocol"); greyscale is what it decodes anyway.
    grey = frames[-1].convertToFormat(qt["QtGui"].QImage.Format.Format_Grayscale8)
    found = [r.text for r in zxingcpp.read_barcodes(grey)]
    if found != [text]:
        raise RuntimeError(f"the camera path decoded {found!r}, expected [{text!r}]")
    return "camera frame → QR decoded"


def _icon_file() -> Path | None:
    from checkin.resources import resources_dir

    path = resources_dir() / "icons" / "welcome-desk.svg"
    return path if path.is_file() else None


def qt_probe_main(pdf: str | None = None) -> int:
    """The child's side: one JSON line on stdout, exit status 0 or 1."""
    try:
        result = qt_probe(pdf)
    except Exception as exc:  # reported to the parent, which names the step as failed
        result = {"ok": False, "error": _error_text(exc)}
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0 if result["ok"] else 1
