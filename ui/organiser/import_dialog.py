"""Importing a guest list: preview, detected format, column mapping, row-numbered problems.

Reading and importing run on the worker thread; the dialog shows a busy bar meanwhile.
A file with problems imports nothing: the problems are listed here, with row and column,
so the organiser can fix the file and try again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin.errors import ImportRefused
from checkin.guestlist.rows import GuestList
from checkin.store.db import Database
from ui.tasks import TaskRunner
from ui.words import plural

FORMATS = ("auto", "generic", "eventbrite", "meetup", "pretix")
# The fields an organiser most often needs to point at by hand.
MAPPABLE = (
    ("name", "Full name"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Email"),
    ("company", "Company"),
    ("job_title", "Job title"),
    ("ticket_code", "Ticket code"),
    ("status", "Status"),
    ("first_time", "First time?"),
    ("is_host", "Host?"),
    ("backup_host", "Happy to welcome if needed?"),
    ("interests", "Interests"),
)
PREVIEW_COLUMNS = ("row", "first_name", "last_name", "email", "company", "ticket_code", "status")


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportSummary

    def __init__(
        self, db: Database, event: str, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.event_name, self.runner = db, event, runner
        self.path: Path | None = None
        self.guests: GuestList | None = None
        self.setWindowTitle(f"Import a guest list — {event}")
        self.resize(980, 680)

        choose = QPushButton("&Choose file…")
        choose.clicked.connect(self.choose_file)
        self.file_label = QLabel("No file chosen")
        self.format = QComboBox()
        self.format.addItems(FORMATS)
        self.format.setAccessibleName("File format")
        self.format.currentTextChanged.connect(lambda _t: self.preview())
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.file_label, 1)
        format_label = QLabel("&Format:")
        format_label.setBuddy(self.format)
        top.addWidget(format_label)
        top.addWidget(self.format)

        self.detected = QLabel("")
        self.detected.setObjectName("status")
        self.mapping_form = QFormLayout()
        self.mapping_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.mapping: dict[str, QComboBox] = {}
        mapping_box = QWidget()
        mapping_box.setLayout(self.mapping_form)
        mapping_scroll = QScrollArea()
        mapping_scroll.setWidgetResizable(True)
        mapping_scroll.setWidget(mapping_box)
        # Readable: the field's name and the whole column header with its drop-down.
        mapping_scroll.setMinimumWidth(400)
        mapping_scroll.setAccessibleName("Column mapping")

        self.table = QTableWidget(0, len(PREVIEW_COLUMNS))
        self.table.setHorizontalHeaderLabels([c.replace("_", " ") for c in PREVIEW_COLUMNS])
        self.table.setAccessibleName("Preview of the first rows")
        self.table.verticalHeader().hide()
        middle = QHBoxLayout()
        middle.addWidget(mapping_scroll)
        middle.addWidget(self.table, 1)

        self.problems = QListWidget()
        self.problems.setAccessibleName("Problems in the file")
        self.problems.setMaximumHeight(150)
        self.problems.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the import is one transaction
        self.progress.hide()
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.import_button = QPushButton("&Import")
        self.import_button.setObjectName("primary")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.result, 2)
        bottom.addWidget(self.import_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.detected)
        layout.addLayout(middle, 1)
        layout.addWidget(self.problems)
        layout.addLayout(bottom)

    # -- choosing and previewing ---------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Guest list", str(Path.home()), "Guest lists (*.csv *.txt *.tsv);;All files (*)"
        )
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(str(path))
        for combo in self.mapping.values():
            combo.setCurrentIndex(0)
        self.preview()

    def _explicit_mapping(self) -> dict[str, str] | None:
        chosen = {f: c.currentText() for f, c in self.mapping.items() if c.currentIndex() > 0}
        return chosen or None

    def preview(self) -> None:
        if self.path is None:
            return
        from checkin.guestlist.reading import preview_guest_list

        path, fmt, mapping = self.path, self.format.currentText(), self._explicit_mapping()
        self._busy(True, "Reading the file…")
        self.runner.submit(
            lambda: preview_guest_list(path, format=fmt, mapping=mapping, limit=20),
            self.show_preview,
            self._failed,
        )

    def show_preview(self, guests: GuestList) -> None:
        self._busy(False)
        self.guests = guests
        self.detected.setText(
            f"Detected: {guests.format} · {guests.encoding} · "
            f"separator {'TAB' if guests.delimiter == chr(9) else repr(guests.delimiter)} · "
            f"{len(guests.headers)} columns"
        )
        self._fill_mapping(guests)
        self.table.setRowCount(len(guests.rows))
        for r, row in enumerate(guests.rows):
            values = {
                "row": str(row.row),
                "first_name": row.first_name,
                "last_name": row.last_name,
                "email": row.email or "",
                "company": row.company or "",
                "ticket_code": row.ticket_code or "(issued by the app)",
                "status": row.status_reason or row.status,  # "unpaid", "declined" …
            }
            for c, col in enumerate(PREVIEW_COLUMNS):
                self.table.setItem(r, c, QTableWidgetItem(values[col]))
        self.table.resizeColumnsToContents()
        self.show_problems(guests.problems)
        self.import_button.setEnabled(guests.ok)

    def _fill_mapping(self, guests: GuestList) -> None:
        if not self.mapping:
            for field, label in MAPPABLE:
                combo = QComboBox()
                combo.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                combo.setMinimumContentsLength(16)
                combo.setAccessibleName(f"Column for {label}")
                combo.activated.connect(lambda _i: self.preview())
                self.mapping[field] = combo
                self.mapping_form.addRow(label, combo)
        for field, combo in self.mapping.items():
            keep = combo.currentText() if combo.currentIndex() > 0 else None
            combo.blockSignals(True)
            combo.clear()
            auto = guests.mapping.get(field)
            combo.addItem(f"(auto: {auto})" if auto else "(not used)")
            combo.addItems(guests.headers)
            if keep and keep in guests.headers:
                combo.setCurrentText(keep)
            combo.blockSignals(False)

    def show_problems(self, problems) -> None:
        self.problems.clear()
        if not problems:
            self.problems.hide()
            return
        n = len(problems)
        self.problems.addItem(f"{plural(n, 'problem')} — nothing will be imported:")
        for p in problems:
            self.problems.addItem(f"  {p}")
        self.problems.show()

    # -- importing -----------------------------------------------------------------------

    def run_import(self) -> None:
        if self.path is None:
            return
        from checkin.guestlist.importer import import_guest_list

        db, event, path = self.db, self.event_name, self.path
        fmt, mapping = self.format.currentText(), self._explicit_mapping()
        self.import_button.setEnabled(False)
        self._busy(True, "Importing…")
        scans_meanwhile = self.runner.run_waiting  # a scan waits one chunk, not the import
        self.runner.submit(
            lambda: import_guest_list(
                db, event, path, format=fmt, mapping=mapping, between_chunks=scans_meanwhile
            ),
            self._imported,
            self._failed,
        )

    def _imported(self, summary) -> None:
        self._busy(False)
        self.result.setText("\n".join(summary.describe()))
        self.result.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.imported.emit(summary)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, ImportRefused):
            self.show_problems(exc.problems)
            self.result.setText("Nothing was imported.")
        else:
            self.result.setText(str(exc))
        self.result.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.import_button.setEnabled(self.guests is not None and self.guests.ok)

    def _busy(self, busy: bool, text: str = "") -> None:
        self.progress.setVisible(busy)
        if busy:
            self._busy_text = text
            self.result.setText(text)
            self.result.setStyleSheet("")
        elif self.result.text() == getattr(self, "_busy_text", None):
            self.result.setText("")  # "Reading the file…" is over

    def notice_scan(self, text: str) -> None:
        """A scan while importing: the door checked the guest in; say so here."""
        self.result.setText(text)
        self.result.setStyleSheet("")
