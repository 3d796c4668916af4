"""Badge PDFs onto paper: painting on a ``QPrinter``, the print preview, choosing a printer.

The print queue's worker (ui/printing.py) and the preview share ``paint_pdf``: each PDF page
is rasterised by QtPdf at the printer's resolution and drawn full-page, so what the preview
shows is what the printer gets. Works with any driver, including label printers that do not
understand PDF, and with a ``QPrinter`` writing a PDF file (no print system needed).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from dataclasses import dataclass

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QObject,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import (
    QAbstractPrintDialog,
    QPrintDialog,
    QPrinter,
    QPrinterInfo,
    QPrintPreviewDialog,
)

from checkin.badges.templates import BadgeTemplate

# Render at the printer's resolution, up to these limits: a badge's text is large, and a
# whole Letter sheet at 1200 dpi would be a 540 MB image.
MAX_DPI = 600
MAX_PIXELS = 16_000_000
PDF_FILE_DPI = 300  # a PDF file has no resolution of its own: enough for any label printer


class PrintError(Exception):
    """A job could not be printed; the message is for the volunteer at the door."""


@dataclass(frozen=True)
class PrintTarget:
    """Where badges go: a system printer by name ("" = the default one) or a PDF file.

    In ``pdf_path``, "{job}" and "{registration}" are replaced, so each job can have a file.
    """

    printer: str = ""
    pdf_path: str | None = None

    @property
    def label(self) -> str:
        """How the print log names it."""
        if self.pdf_path:
            return f"pdf:{self.pdf_path}"
        return self.printer or "(default printer)"

    def path_for(self, job_id: int, registration_id: int) -> str:
        assert self.pdf_path is not None
        return self.pdf_path.replace("{job}", str(job_id)).replace(
            "{registration}", str(registration_id)
        )


class _CupsDest(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("instance", ctypes.c_char_p),
        ("is_default", ctypes.c_int),
        ("num_options", ctypes.c_int),
        ("options", ctypes.c_void_p),
    ]


@functools.cache
def _libcups() -> ctypes.CDLL | None:
    """libcups, for what Qt does not tell (see ``_cups_last_error``). Linux only: macOS
    prints through its own engine and Windows has no CUPS."""
    name = ctypes.util.find_library("cups") if sys.platform.startswith("linux") else None
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)  # the library Qt's print plugin has loaded already
        lib.cupsLastErrorString.restype = ctypes.c_char_p
        lib.cupsGetNamedDest.restype = ctypes.POINTER(_CupsDest)
        lib.cupsGetNamedDest.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
        lib.cupsGetOption.restype = ctypes.c_char_p
        lib.cupsGetOption.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
        lib.cupsFreeDests.argtypes = [ctypes.c_int, ctypes.POINTER(_CupsDest)]
    except (OSError, AttributeError):
        return None
    return lib


def _cups_last_error() -> str | None:
    """Why the last CUPS request of this thread failed, or None.

    Qt's CUPS engine ignores the result of ``cupsPrintFile``: a queue that rejects jobs
    looks like a success. libcups keeps the last status per thread, so reading it right
    after ``QPainter.end()`` on the same thread tells whether CUPS took the job.
    """
    lib = _libcups()
    if lib is None:
        return None
    status = lib.cupsLastError()
    if status <= 0x00FF:  # successful-ok and its variants (some attributes ignored ...)
        return None
    text = lib.cupsLastErrorString()
    return text.decode("utf-8", "replace") if text else f"CUPS error 0x{status:04x}"


def _cups_state_reasons(printer: str) -> str:
    """Why a queue is stopped: "paused", "media-empty", "offline-report"; "" if unknown."""
    lib = _libcups()
    if lib is None:
        return ""
    dest = lib.cupsGetNamedDest(None, printer.encode(), None)
    if not dest:
        return ""
    try:
        value = lib.cupsGetOption(
            b"printer-state-reasons", dest.contents.num_options, dest.contents.options
        )
    finally:
        lib.cupsFreeDests(1, dest)
    reasons = value.decode("utf-8", "replace") if value else ""
    return "" if reasons == "none" else reasons


def _open_printer(target: PrintTarget, job_id: int, registration_id: int) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if target.pdf_path:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(target.path_for(job_id, registration_id))
        printer.setResolution(PDF_FILE_DPI)
        return printer
    name = target.printer or QPrinterInfo.defaultPrinterName()
    if not name:
        raise PrintError("No printer is set up on this computer: choose one in Settings.")
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        raise PrintError(
            f"Printer {name!r} was not found: is it switched on and connected, "
            "and is the print service running?"
        )
    if info.state() == QPrinter.PrinterState.Error:
        reasons = _cups_state_reasons(name)
        why = f" ({reasons})" if reasons else ""
        raise PrintError(f"Printer {name!r} is stopped or offline{why}: check it, then retry.")
    printer.setPrinterName(name)
    if printer.printerName() != name:  # Qt silently falls back to another printer
        raise PrintError(f"Printer {name!r} could not be selected.")
    return printer


def _page_layouts(width_pt: float, height_pt: float) -> list[QPageLayout]:
    """The badge page as drawn (portrait, even when wider than tall, as the template and the
    PDF describe it), then the same page as a driver may list it: turned, in landscape."""
    margins = QMarginsF(0, 0, 0, 0)
    portrait, landscape = QPageLayout.Orientation.Portrait, QPageLayout.Orientation.Landscape

    def size(w: float, h: float) -> QPageSize:
        # Fuzzy: a Letter or A4 sheet goes out under its name, which every printer knows.
        return QPageSize(
            QSizeF(w, h), QPageSize.Unit.Point, "Badge", QPageSize.SizeMatchPolicy.FuzzyMatch
        )

    layouts = [QPageLayout(size(width_pt, height_pt), portrait, margins)]
    if width_pt > height_pt:
        layouts.append(QPageLayout(size(height_pt, width_pt), landscape, margins))
    return layouts


def set_page(printer: QPrinter, width_pt: float, height_pt: float) -> None:
    """Full-page, no margins, the template's page size; PrintError if the printer refuses."""
    printer.setFullPage(True)
    for layout in _page_layouts(width_pt, height_pt):
        if printer.setPageLayout(layout):
            return
    raise PrintError(
        f"Printer {printer.printerName()!r} does not take {width_pt * 25.4 / 72:.0f} x "
        f"{height_pt * 25.4 / 72:.0f} mm pages: choose the matching badge stock in Settings."
    )


def _render(doc: QPdfDocument, page: int, dpi: float) -> QImage:
    """One page as an opaque image (QtPdf leaves the background transparent)."""
    points = doc.pagePointSize(page)
    scale = min(dpi / 72, (MAX_PIXELS / max(points.width() * points.height(), 1)) ** 0.5)
    size = QSize(max(1, round(points.width() * scale)), max(1, round(points.height() * scale)))
    page_image = doc.render(page, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.drawImage(0, 0, page_image)
    painter.end()
    return image


def load_pdf(pdf: bytes, parent: QObject | None = None) -> QPdfDocument:
    doc = QPdfDocument(parent)
    buffer = QBuffer(doc)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buffer)  # a QBuffer loads at once
    if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
        raise PrintError(f"The badge could not be read for printing ({doc.error().name}).")
    return doc


def paint_pdf(printer: QPrinter, doc: QPdfDocument, painter: QPainter) -> int:
    """Draw every page of ``doc`` onto the printer, full page; returns the page count."""
    dpi = min(printer.resolution(), MAX_DPI)
    for page in range(doc.pageCount()):
        if page:
            printer.newPage()
        target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
        painter.drawImage(target, _render(doc, page, dpi))
    return doc.pageCount()


def print_pdf(
    pdf: bytes,
    target: PrintTarget,
    *,
    page_size: tuple[float, float] | None = None,
    title: str = "Badge",
    job_id: int = 0,
    registration_id: int = 0,
) -> str:
    """Print a PDF through QPrinter; returns where it went (the log's printer name).

    ``page_size`` (points) is the template's page; by default the PDF's first page.
    Raises PrintError with a message for the volunteer.
    """
    doc = load_pdf(pdf)
    printer = _open_printer(target, job_id, registration_id)
    if page_size is None:
        first = doc.pagePointSize(0)
        page_size = (first.width(), first.height())
    printer.setDocName(title)  # the job's name in the printer queue, the PDF's title
    set_page(printer, *page_size)
    painter = QPainter()
    if not painter.begin(printer):
        where = printer.outputFileName() or printer.printerName()
        raise PrintError(f"Cannot print to {where}: it cannot be opened or written.")
    try:
        paint_pdf(printer, doc, painter)
    finally:
        ended = painter.end()
    if not ended or printer.printerState() == QPrinter.PrinterState.Error:
        raise PrintError(f"Printing to {target.label} failed.")
    if target.pdf_path:
        return f"pdf:{printer.outputFileName()}"
    refused = _cups_last_error()
    if refused:
        raise PrintError(f"Printer {printer.printerName()!r} refused the badge: {refused}")
    return printer.printerName()


@dataclass(frozen=True)
class PrinterChoice:
    """A printer as a settings page lists it."""

    name: str
    description: str
    is_default: bool
    ready: bool  # False: stopped, paused or in error


def available_printers() -> list[PrinterChoice]:
    return [
        PrinterChoice(
            info.printerName(),
            info.description() or info.makeAndModel(),
            info.isDefault(),
            info.state() != QPrinter.PrinterState.Error,
        )
        for info in QPrinterInfo.availablePrinters()
    ]


def choose_printer(parent=None, current: str = "") -> str | None:
    """The system's print dialog to pick the badge printer; its name, or None if cancelled
    (or when there is no printer at all: the caller says so)."""
    if not QPrinterInfo.availablePrinterNames():
        return None
    printer = QPrinter()
    if current and not QPrinterInfo.printerInfo(current).isNull():
        printer.setPrinterName(current)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Badge printer")
    # Only real printers: printing to a file is a different setting (PrintTarget.pdf_path).
    dialog.setOptions(QAbstractPrintDialog.PrintDialogOption.PrintShowPageSize)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        return None
    return printer.printerName() or None


def preview_dialog(
    parent, pdf: bytes, template: BadgeTemplate | None = None
) -> QPrintPreviewDialog:
    """A print preview of the badge PDF; its Print button prints what it shows."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    doc = load_pdf(pdf)
    if template is not None:
        page_size = template.page_size
    else:
        first = doc.pagePointSize(0)
        page_size = (first.width(), first.height())
    set_page(printer, *page_size)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Badge preview")
    doc.setParent(dialog)  # lives as long as the dialog
    dialog._printer = printer  # type: ignore[attr-defined]  # the dialog does not own it

    def paint(target: QPrinter) -> None:
        painter = QPainter()
        if painter.begin(target):
            paint_pdf(target, doc, painter)
            painter.end()

    dialog.paintRequested.connect(paint)
    return dialog
