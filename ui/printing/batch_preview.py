"""The organiser's batch of badges: a look at the pages, then print them or save the PDF.

The pages are rasterised off the UI thread (``render_pages`` runs on the organiser's reader
thread); the dialog only shows the finished images, so a batch of hundreds of badges never
freezes the door. Printing goes through the door's print queue (its own thread, at the
printer's resolution), which logs a ``batch`` print for every guest.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin.badges.templates import BadgeTemplate
from ui.printing.preview import _render, load_pdf
from ui.words import plural

PREVIEW_DPI = 60
PREVIEW_PAGES = 60  # enough to check the layout; the rest print the same way


def render_pages(pdf: bytes, limit: int = PREVIEW_PAGES) -> tuple[int, list[QImage]]:
    """(page count, images of the first ``limit`` pages); safe on a worker thread."""
    doc = load_pdf(pdf)
    try:
        count = doc.pageCount()
        return count, [_render(doc, p, PREVIEW_DPI) for p in range(min(count, limit))]
    finally:
        doc.close()
        doc.deleteLater()


class BatchPreview(QDialog):
    def __init__(
        self,
        pdf: bytes,
        pages: tuple[int, list[QImage]],
        template: BadgeTemplate,
        queue,
        parent: QWidget | None = None,
        registration_ids: tuple[int, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.pdf, self.template, self.queue = pdf, template, queue
        self.registration_ids = registration_ids
        count, images = pages
        self.setWindowTitle("Badges to print")
        shown = f" (the first {len(images)} shown)" if len(images) < count else ""
        self.summary = QLabel(f"{plural(count, 'badge')} on {template.name}{shown}.")
        self.summary.setStyleSheet("font-size: 18px;")
        self.pages = QListWidget()
        self.pages.setAccessibleName("Badge pages")
        self.pages.setViewMode(QListView.ViewMode.IconMode)
        self.pages.setResizeMode(QListView.ResizeMode.Adjust)
        self.pages.setMovement(QListView.Movement.Static)
        biggest = QSize(1, 1)
        for i, image in enumerate(images):
            biggest = biggest.expandedTo(image.size())
            item = QListWidgetItem(QIcon(QPixmap.fromImage(image)), f"{i + 1}")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.pages.addItem(item)
        self.pages.setIconSize(biggest)
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton(
            f"Print {plural(count, 'badge')}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.print_button.setEnabled(queue is not None)
        if queue is None:
            self.print_button.setToolTip("Badge printing is not set up on this door.")
        self.save_button = buttons.addButton("Save as PDF…", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.print_button.clicked.connect(self.print_all)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.message = QLabel("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(900, 620)

    def print_all(self) -> None:
        self.queue.submit_batch(self.pdf, self.registration_ids, self.template)
        self.accept()

    def save(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Save the badges", str(Path.home() / "badges.pdf"), "PDF (*.pdf)"
            )
        if path:
            from checkin.files import whole_file

            with whole_file(path) as tmp:
                tmp.write_bytes(self.pdf)
            self.message.setText(f"Saved {path}")

    def notice_scan(self, text: str) -> None:
        self.message.setText(text)
