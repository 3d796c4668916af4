"""Choosing the evening: open an event, create one, or import its guest list first.

Keyboard first: typing goes to the new event's name and Enter creates it; with an event
chosen in the list, Enter opens it. A guest's code scanned here is kept and checked in as
soon as the door opens (a scan is never lost)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from checkin.door.codes import normalise_app_code
from checkin.store.db import Database
from ui.scanning.scanner import KeyboardWedge
from ui.tasks import TaskRunner
from ui.words import plural

DATE_FORMAT = "ddd d MMM yyyy"  # the list and the date field say dates the same way


class EventChooser(QDialog):
    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        catch_scans: bool = True,
    ) -> None:
        """``catch_scans=False``: opened from a door, whose own scanner checks guests in."""
        super().__init__(parent)
        self.db, self.runner = db, runner
        self.chosen: str | None = None
        self.pending_scans: list[str] = []
        self.setWindowTitle("Choose the event")
        self.resize(720, 520)
        self.list = QListWidget()
        self.list.setAccessibleName("Events")
        self.list.itemActivated.connect(lambda _i: self.open_selected())
        self.empty = QLabel(
            "No events yet. Type the evening's name below and press Enter to create it."
        )
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.open_button = QPushButton("&Open")
        self.open_button.setObjectName("primary")
        self.open_button.clicked.connect(self.open_selected)
        self.import_button = QPushButton("&Import guest list…")
        self.import_button.clicked.connect(self.import_into_selected)
        self.name = QLineEdit()
        self.name.setPlaceholderText("New event name, e.g. Chamber Evening — December")
        self.name.setAccessibleName("New event name")
        self.name.returnPressed.connect(self.create)
        self.name.textChanged.connect(lambda _t: self.message.setText(""))
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(DATE_FORMAT)
        self.day.setAccessibleName("New event date")
        self.create_button = QPushButton("&Create")
        self.create_button.clicked.connect(self.create)
        for button in (self.open_button, self.import_button, self.create_button):
            button.setAutoDefault(False)  # Enter never fires a button the user did not mean
        self.message = QLabel("")
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        new_row = QHBoxLayout()
        new_row.addWidget(self.name, 1)
        new_row.addWidget(self.day)
        new_row.addWidget(self.create_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        title = QLabel("Which event is this door for?")
        title.setStyleSheet("font-size: 22px; font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("Or start a new one:"))
        layout.addLayout(new_row)
        layout.addWidget(self.message)
        if catch_scans:
            self.wedge = KeyboardWedge(self, is_code=lambda t: normalise_app_code(t) is not None)
            self.wedge.scanned.connect(self._scanned)
            self.wedge.install()
            self.finished.connect(lambda _r: self.wedge.uninstall())
        self._set_enabled(False)
        self.reload()

    def _scanned(self, code: str) -> None:
        self.pending_scans.append(code)
        self.message.setStyleSheet("color: #37474f; font-weight: normal;")
        self.message.setText(
            f"Scan received ({plural(len(self.pending_scans), 'code')}) — choose the event "
            "first: the door checks them in as soon as it opens."
        )

    def notice_scan(self, text: str) -> None:
        self.message.setStyleSheet("color: #37474f; font-weight: normal;")
        self.message.setText(text)

    def reload(self, select: str | None = None) -> None:
        from checkin.events import list_events

        db = self.db
        self.runner.submit(lambda: list_events(db), lambda evs: self._fill(evs, select), self._err)

    def _fill(self, events, select: str | None) -> None:
        self.list.clear()
        for ev in events:
            day = (
                QDate(ev.day.year, ev.day.month, ev.day.day).toString(DATE_FORMAT) if ev.day else ""
            )
            text = f"{ev.name}    {day}    {ev.checked_in} of {ev.registrations} checked in"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, ev.name)
            self.list.addItem(item)
            if ev.name == select:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        has_events = self.list.count() > 0
        self.list.setVisible(has_events)
        self.empty.setVisible(not has_events)
        self._set_enabled(has_events)
        (self.list if has_events and select else self.name).setFocus()

    def _set_enabled(self, has_events: bool) -> None:
        self.open_button.setEnabled(has_events)
        self.import_button.setEnabled(has_events)
        self.open_button.setDefault(has_events)

    def keyPressEvent(self, event) -> None:
        # Enter in the list opens the chosen event; anywhere else Enter does nothing unless
        # an event is chosen (never "Import guest list…" by accident).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selected() is None:
            return
        super().keyPressEvent(event)

    def _selected(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def open_selected(self) -> None:
        name = self._selected()
        if name:
            self.chosen = name
            self.accept()

    def create(self) -> None:
        from checkin.events import create_event

        name = self.name.text().strip()
        if not name:
            self.message.setText("Give the event a name.")
            return
        self.message.setText("")
        qd = self.day.date()
        day = dt.date(qd.year(), qd.month(), qd.day())
        db = self.db
        self.runner.submit(
            lambda: create_event(db, name, day),
            lambda info: (self.name.clear(), self.reload(select=info.name)),
            self._err,
        )

    def import_into_selected(self) -> None:
        from ui.organiser.import_dialog import ImportDialog

        name = self._selected()
        if not name:
            self.message.setText("Create or choose an event first.")
            return
        self.message.setText("")
        dialog = ImportDialog(self.db, name, self.runner, self)
        dialog.imported.connect(lambda _s: self.reload(select=name))
        dialog.exec()

    def _err(self, exc: BaseException) -> None:
        self.message.setStyleSheet("")
        self.message.setText(str(exc))
