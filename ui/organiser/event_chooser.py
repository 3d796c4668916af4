"""Choosing the evening: open an event, create one, or import its guest list first."""

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

from checkin.store.db import Database
from ui.tasks import TaskRunner


class EventChooser(QDialog):
    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.runner = db, runner
        self.chosen: str | None = None
        self.setWindowTitle("Welcome Desk — choose the event")
        self.resize(720, 520)
        self.list = QListWidget()
        self.list.setAccessibleName("Events")
        self.list.itemActivated.connect(lambda _i: self.open_selected())
        self.open_button = QPushButton("&Open")
        self.open_button.setObjectName("primary")
        self.open_button.clicked.connect(self.open_selected)
        import_button = QPushButton("&Import guest list…")
        import_button.clicked.connect(self.import_into_selected)
        self.name = QLineEdit()
        self.name.setPlaceholderText("New event name, e.g. Chamber Evening — December")
        self.name.setAccessibleName("New event name")
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setAccessibleName("New event date")
        create = QPushButton("&Create")
        create.clicked.connect(self.create)
        self.message = QLabel("")
        self.message.setObjectName("error")
        new_row = QHBoxLayout()
        new_row.addWidget(self.name, 1)
        new_row.addWidget(self.day)
        new_row.addWidget(create)
        buttons = QHBoxLayout()
        buttons.addWidget(import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        title = QLabel("Which event is this door for?")
        title.setStyleSheet("font-size: 22px; font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("Or start a new one:"))
        layout.addLayout(new_row)
        layout.addWidget(self.message)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        from checkin.events import list_events

        db = self.db
        self.runner.submit(lambda: list_events(db), lambda evs: self._fill(evs, select), self._err)

    def _fill(self, events, select: str | None) -> None:
        self.list.clear()
        for ev in events:
            day = ev.day.isoformat() if ev.day else ""
            item = QListWidgetItem(f"{ev.name}    {day}    {ev.checked_in}/{ev.registrations}")
            item.setData(Qt.ItemDataRole.UserRole, ev.name)
            self.list.addItem(item)
            if ev.name == select:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.open_button.setEnabled(self.list.count() > 0)

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
        dialog = ImportDialog(self.db, name, self.runner, self)
        dialog.imported.connect(lambda _s: self.reload(select=name))
        dialog.exec()

    def _err(self, exc: BaseException) -> None:
        self.message.setText(str(exc))
