"""Event ▸ Sync with pretix…: pull the guest list from pretix, push the door's check-ins back.

The network work runs on the organiser-jobs thread (a scan never waits behind pretix), the
import on the database worker like any import; progress and results show inline. The API
token is typed here (or taken from $PRETIX_TOKEN) and kept only while the dialog is open:
never saved, logged or journaled.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from checkin.errors import CheckinError, ImportRefused
from checkin.store.db import Database
from ui.tasks import TaskRunner

PUSH_WORDS = {
    "sent": "sent",
    "already": "already checked in at pretix",
    "refused": "refused by pretix",
    "skipped": "not sent",
}


class _Progress(QObject):
    """Carries progress from a worker thread to the dialog (a queued signal)."""

    moved = Signal(str, int, int)  # what, done, total (0: unknown)

    def __call__(self, what: str, done: int, total: int | None) -> None:
        self.moved.emit(what, done, total or 0)


class PretixDialog(QDialog):
    synced = Signal(str)  # "pull" or "push", after it worked

    def __init__(
        self,
        db: Database,
        event: str,
        runner: TaskRunner,
        jobs: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.event_name, self.runner, self.jobs = db, event, runner, jobs
        self.setWindowTitle(f"Sync {event} with pretix")
        self.url = QLineEdit("https://pretix.eu")
        self.organizer = QLineEdit()
        self.pretix_event = QLineEdit()
        self.list_id = QSpinBox()
        self.list_id.setRange(0, 10**9)
        self.list_id.setSpecialValueText("all products")
        self.token = QLineEdit(os.environ.get("PRETIX_TOKEN", ""))
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("pretix address", self.url)
        form.addRow("Organizer (short name)", self.organizer)
        form.addRow("Event (short name)", self.pretix_event)
        form.addRow("Check-in list number", self.list_id)
        form.addRow("API token", self.token)

        self.pull_button = QPushButton("&Pull the guest list")
        self.push_button = QPushButton("P&ush the door's check-ins")
        self.pull_button.clicked.connect(self.start_pull)
        self.push_button.clicked.connect(self.start_push)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.pull_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.push_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel("Pull brings pretix's tickets in; push sends who came.")
        self.status.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(560, 480)

    # ------------------------------------------------------------------ helpers
    def _client(self):
        from checkin.pretix.client import PretixClient

        return PretixClient(self.url.text(), self.organizer.text().strip(), self.token.text())

    def _busy(self, text: str) -> None:
        self.pull_button.setEnabled(False)
        self.push_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(text)
        self.details.clear()

    def _idle(self, text: str, lines: list[str] = ()) -> None:
        self.pull_button.setEnabled(True)
        self.push_button.setEnabled(True)
        self.progress.setVisible(False)
        self.status.setText(text)
        self.details.setPlainText("\n".join(lines))

    def _moved(self, what: str, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        names = {"orders": "Reading orders", "products": "Reading products"}
        of = f" of {total}" if total else ""
        self.status.setText(f"{names.get(what, what.capitalize())}: {done}{of}…")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRefused):
            lines = [str(p) for p in exc.problems]
            self._idle(f"Nothing was imported: {len(lines)} problem(s) in pretix's list.", lines)
        elif isinstance(exc, CheckinError):
            self._idle(str(exc))
        else:  # no traceback, no guest data: the kind of failure is enough here
            self._idle(f"The sync stopped ({type(exc).__name__}); nothing was half-done.")

    # ------------------------------------------------------------------ pull
    def start_pull(self) -> None:
        from checkin.pretix.pull import import_tickets, read_tickets

        try:
            client = self._client()
        except CheckinError as exc:
            self._idle(str(exc))
            return
        slug = self.pretix_event.text().strip()
        list_id = self.list_id.value() or None
        if not slug:
            self._idle("Type the pretix event's short name (it is in the event's address).")
            return
        self._busy("Asking pretix…")
        progress, db, event = self._progress, self.db, self.event_name

        def imported(summary) -> None:
            self._idle(
                f"Imported {summary.rows} tickets: {summary.added} new, {summary.updated} "
                f"updated, {summary.unchanged} unchanged, {summary.cancelled} cancelled.",
                summary.changes,
            )
            self.synced.emit("pull")

        def read(tickets) -> None:
            self.status.setText(f"Importing {len(tickets)} tickets…")
            self.runner.submit(
                lambda: import_tickets(db, client, slug, event, tickets),
                imported,
                self._failed,
            )

        self.jobs.submit(lambda: read_tickets(client, slug, list_id, progress), read, self._failed)

    # ------------------------------------------------------------------ push
    def start_push(self) -> None:
        from checkin.pretix.push import push
        from checkin.timeutil import local_hhmm

        try:
            client = self._client()
        except CheckinError as exc:
            self._idle(str(exc))
            return
        list_id = self.list_id.value()
        if not list_id:
            self._idle("Choose the pretix check-in list to send the check-ins to.")
            return
        self._busy("Sending the door's check-ins…")
        progress, db, event = self._progress, self.db, self.event_name

        def pushed(report) -> None:
            doc = report.as_json()
            lines = [
                f"{line.name}: {line.action} {local_hhmm(line.at)} — {PUSH_WORDS[line.result]}"
                + (f" (pretix: {local_hhmm(line.pretix_at)})" if line.pretix_at else "")
                + (f" ({line.detail})" if line.detail and line.result != "already" else "")
                for line in report.lines
            ]
            earlier = f" ({report.earlier} sent before)" if report.earlier else ""
            self._idle(
                f"{doc['sent']} sent, {doc['already']} already checked in at pretix, "
                f"{doc['refused']} refused, {doc['skipped']} not sent{earlier}.",
                lines,
            )
            self.synced.emit("push")

        self.jobs.submit(
            lambda: push(db, client, event, list_id, report=progress), pushed, self._failed
        )


def open_for(window) -> None:
    """The door window's Event ▸ Sync with pretix… (a scan meanwhile still checks in: the
    keyboard-wedge detector tells a scanner's burst from someone typing the token)."""
    from ui.operations import Reloaded

    dialog = PretixDialog(
        window.db, window.event_name, window.runner, window.organiser_jobs, window
    )
    dialog.synced.connect(
        lambda _kind: (window.reload_guests(), window.ops.broadcast(Reloaded("list")))
    )
    dialog.exec()
