"""The door screen: the view. What the volunteer's actions do lives in ``door_actions``
(scan, undo, walk-ins …) and ``organiser_actions`` (import, export, batch badges …).

Every action runs on ``ui.operations.Operations``; its change records come back on
``changed`` and each view refreshes only when a record concerns it. Errors appear in the
result panel and the status line, never as a pile of dialogs.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from checkin.door.counters import Counters
from checkin.door.outcomes import OutcomeKind
from checkin.errors import CheckinError
from checkin.store.db import Database
from ui import settings as S
from ui.door.door_actions import DoorActions
from ui.door.host_actions import HostActions
from ui.door.menus import build_menus
from ui.door.organiser_actions import OrganiserActions
from ui.door.result_panel import ResultPanel
from ui.door.search_panel import SearchPanel
from ui.operations import Operations
from ui.scanning.scanner import KeyboardWedge
from ui.settings import Settings
from ui.sounds import Sounds
from ui.tasks import TaskRunner
from ui.theme import LOOKS
from ui.words import plural

log = logging.getLogger(__name__)

STATUS_SECONDS = 10  # a message in the status line, then back to the standing line
SHORTCUTS = "F3 walk-in · Ctrl+F search · Ctrl+Z undo · Ctrl+P reprint · F5 host board"
NO_HOSTS = (
    "No host here yet: Ctrl+H makes the chosen guest a host (or the guest list's Host "
    "column, or `checkin host add`)"
)


class DoorWindow(QMainWindow):
    # An outcome on screen, and how long it took from the scan (ms): tests and make bench.
    result_shown = Signal(object, float)
    # The organiser chose another event (Event ▸ Switch event): the app opens its door.
    switch_requested = Signal(str)

    def __init__(
        self,
        db: Database,
        event: str,
        settings: Settings | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.event_name = event
        self.settings = settings or Settings()
        self.runner = runner or TaskRunner(self)
        # Long reads for the organiser (exports, lists, a batch of badges) get their own
        # thread, so a scan never waits behind them; every write stays on `runner`.
        self.organiser_jobs = TaskRunner(self, name="organiser-jobs")
        self.ops = Operations(self.runner, self.organiser_jobs, self.show_error, self)
        self.changed = self.ops.changed  # tuples of change records, for views to refresh
        self.device = self.settings.get(S.DEVICE_NAME)
        self.last_counters: Counters | None = None
        self.sounds = Sounds(self, enabled=self.settings.get(S.SOUNDS))
        self.camera = None  # set by attach_camera()
        self.host_board = None
        self.journal = None  # this door's attendance journal, when a folder is set
        self.print_queue = None  # set by attach_printer()
        self.confirm_quit = True

        # Qt adds the application's name to the title by itself.
        self.setWindowTitle(event)
        self.result = ResultPanel(seconds=self.settings.get(S.RESULT_SECONDS))
        self.search = SearchPanel()
        self.door_actions = DoorActions(self)
        self.organiser = OrganiserActions(self)
        self.host_actions = HostActions(self)
        self.result.undo_requested.connect(self.door_actions.undo)
        self.result.reprint_requested.connect(self.door_actions.reprint)
        self.search.guest_chosen.connect(self.door_actions.check_in_guest)
        self.search.enter_idle.connect(self.host_actions.enlist_proposal)
        self._build_view(event)
        build_menus(self)

        self.wedge = KeyboardWedge(
            self,
            max_gap_ms=self.settings.get(S.SCANNER_MAX_GAP_MS),
            min_length=self.settings.get(S.SCANNER_MIN_LENGTH),
            is_code=self._is_code,
        )
        self.wedge.scanned.connect(self.door_actions.scan)
        self.wedge.install()

        # Counting 50,000 rows takes longer than a check-in: after a change, count once the
        # door pauses rather than after every scan, so no scan waits behind a count.
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(400)
        self._recount.timeout.connect(self.refresh_counters)
        self.changed.connect(lambda _changes: self._recount.start())
        # Only other doors on a shared database change counts behind this door's back.
        self._poll = QTimer(self)
        self._poll.setInterval(10_000)
        self._poll.timeout.connect(self.refresh_counters)
        if db.is_postgresql:
            self._poll.start()
        self._status_reset = QTimer(self)
        self._status_reset.setSingleShot(True)
        self._status_reset.timeout.connect(self._standing_status)
        self.refresh_counters()
        self.reload_guests()
        self.door_actions.set_journal_folder(self.settings.get(S.JOURNAL_FOLDER))
        self.host_actions.show_plan()
        self.search.box.setFocus()

    def _is_code(self, text: str) -> bool:
        """A guest's ticket code on tonight's list, or something shaped like an app code."""
        from checkin.door.codes import normalise_app_code

        if normalise_app_code(text):
            return True
        hits = self.search.index.search(text, limit=1)
        return bool(hits) and hits[0].code.casefold() == text.strip().casefold()

    # -- layout ----------------------------------------------------------------------------

    def _build_view(self, event: str) -> None:
        self.event_label = QLabel(event)
        self.event_label.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.event_label.setAccessibleName("Event")
        self.event_label.setMinimumWidth(80)
        self.door_label = QLabel(f"at {self.device}")
        self.door_label.setObjectName("status")
        self.journal_label = QLabel("")
        self.journal_label.setObjectName("status")
        self.journal_label.setAccessibleName("Attendance journal")
        self.count_in = self._counter("Checked in")
        self.count_new = self._counter("First-timers")
        self.count_waiting = self._counter("Waiting for a host")
        header = QHBoxLayout()
        header.addWidget(self.event_label, 1)
        header.addWidget(self.door_label)
        header.addWidget(self.journal_label)
        header.addStretch(0)
        for w in (self.count_in, self.count_new, self.count_waiting):
            header.addWidget(w)

        # A lasting journal problem (the stick is gone): amber, above everything, until fixed.
        self.banner = QLabel("")
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Attendance journal problem")
        self.banner.setStyleSheet(
            "background: #ffe082; color: #4e3400; font-size: 18px; padding: 8px;border-radius: 6px;"
        )
        self.banner.hide()
        self.plan_label = QLabel("")  # the evening's hosting plan, once the door opens
        self.plan_label.setObjectName("status")
        self.plan_label.setWordWrap(True)
        self.plan_label.setAccessibleName("Hosting plan")
        self.plan_label.hide()

        self.right = QWidget()
        right = QVBoxLayout(self.right)
        right.setContentsMargins(0, 0, 0, 0)
        self.camera_slot = QVBoxLayout()
        right.addLayout(self.camera_slot)
        right.addWidget(self.search, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.result)
        split.addWidget(self.right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        # Names must stay readable in the list, yet the window must fit 1280×720.
        self.right.setMinimumWidth(420)
        self.result.setMinimumWidth(520)
        split.setSizes([760, 480])

        self.status_line = QLabel("")
        self.status_line.setObjectName("status")
        self.status_line.setAccessibleName("Status")
        self.status_line.setMinimumWidth(100)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.plan_label)
        layout.addWidget(split, 1)
        layout.addWidget(self.status_line)
        self.setCentralWidget(central)

    def _counter(self, name: str) -> QLabel:
        label = QLabel(f"{name}: –")
        label.setObjectName("counter")
        label.setAccessibleName(name)
        return label

    def add_action(self, menu, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            self.search.door_shortcuts.append(action.shortcut())
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts work whatever has focus
        return action

    def attach_camera(self, camera) -> None:
        """Show the camera preview and check in whatever it decodes."""
        self.camera = camera
        camera.decoded.connect(self.door_actions.scan)
        if hasattr(camera, "status_changed"):
            camera.status_changed.connect(lambda text: self.show_status(text, seconds=0))
        widget = camera.preview_widget() if hasattr(camera, "preview_widget") else None
        if widget is not None:
            widget.setMaximumHeight(240)
            widget.setAccessibleName("Camera picture")
            self.camera_slot.addWidget(widget)
            # No camera: give the room to the guest list instead of an empty black box.
            camera.available_changed.connect(widget.setVisible)
            widget.setVisible(camera.is_available())

    def attach_printer(self, queue) -> None:
        """Badges go through ``queue`` (a ``ui.printing.queue.PrintQueue``) off the UI thread."""
        self.print_queue = queue
        queue.queue_changed.connect(self._print_status)
        queue.job_failed.connect(
            lambda _job, message: self.result.show_notice(
                f"Badge not printed: {message} — Ctrl+P to retry"
            )
        )
        queue.job_done.connect(lambda *_: self.result.clear_notice())

    def _print_status(self, pending: int, failed: int) -> None:
        parts = []
        if pending:
            parts.append(f"printing {plural(pending, 'badge')}")
        if failed:
            parts.append(f"{failed} failed — Ctrl+P retries")
        if parts:
            self.show_status("Badges: " + ", ".join(parts))

    # -- refreshing --------------------------------------------------------------------------

    def refresh_counters(self) -> None:
        from checkin.door.counters import counters

        db, event = self.db, self.event_name
        self.runner.submit(lambda: counters(db, event), self._show_counters, self.quiet_error)

    def _show_counters(self, c: Counters) -> None:
        self.last_counters = c
        self.count_in.setText(f"Checked in: {c.checked_in} / {c.expected}")
        self.count_new.setText(f"First-timers: {c.first_timers}")
        self.count_waiting.setText(f"Waiting for a host: {c.waiting_for_host}")
        alert = "background: #fff3cd; color: #7a4d00;" if c.waiting_for_host else ""
        self.count_waiting.setStyleSheet(alert)
        self.count_waiting.setToolTip(f"{plural(c.hosts_present, 'host')} here")
        self.show_journal()
        if not self._status_reset.isActive() and len(self.search.index):
            self._standing_status()  # counts changed: the standing line says them

    def reload_guests(self) -> None:
        from checkin.door.search import build_index

        db, event = self.db, self.event_name
        if not self._status_reset.isActive():  # a message being read (a merge's) stays
            self.show_status("Loading the guest list…", seconds=0)
        self.runner.submit(lambda: build_index(db, event), self._index_ready, self.show_error)

    def _index_ready(self, index) -> None:
        self.search.set_index(index)
        if not self._status_reset.isActive():
            self._standing_status()

    def show_journal(self) -> None:
        journal = self.journal
        if journal is None:
            self.journal_label.setText("· no journal")
            self.journal_label.setToolTip("Event ▸ Attendance journal folder… to keep one")
        else:
            self.journal_label.setText("· journal")
            self.journal_label.setToolTip(str(journal.path))
        problem = getattr(journal, "problem", None) if journal is not None else None
        self.banner.setText(f"⚠ Attendance journal: {problem}" if problem else "")
        self.banner.setVisible(bool(problem))

    # -- messages --------------------------------------------------------------------------

    def show_status(self, text: str, seconds: float = STATUS_SECONDS) -> None:
        """A message in the status line; it gives way to the standing line after a while
        (``seconds=0``: until the next message)."""
        self.status_line.setText(text)
        if seconds:
            self._status_reset.start(round(seconds * 1000))
        else:
            self._status_reset.stop()

    def _standing_status(self) -> None:
        self._status_reset.stop()
        n = len(self.search.index)
        c = self.last_counters
        if c is not None and c.hosts_present == 0:
            self.status_line.setText(f"{plural(n, 'guest')} on the list · {NO_HOSTS}")
        else:
            self.status_line.setText(f"{plural(n, 'guest')} on the list · {SHORTCUTS}")

    def show_error(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, CheckinError) else f"Something went wrong: {exc}"
        log.warning("door action failed: %s", type(exc).__name__)  # no guest data in logs
        self.show_status(message, seconds=30)
        self.result.show_message(LOOKS[OutcomeKind.UNKNOWN_CODE], "Not done", message)

    def quiet_error(self, exc: BaseException) -> None:
        self.show_status(str(exc), seconds=30)

    # -- opening other windows, closing --------------------------------------------------------

    def open_host_board(self) -> None:
        self.organiser.open_host_board()

    def switch_event(self) -> None:
        from PySide6.QtWidgets import QDialog

        from ui.organiser.event_chooser import EventChooser

        chooser = EventChooser(self.db, self.runner, self, catch_scans=False)
        chosen = chooser.chosen if chooser.exec() == QDialog.DialogCode.Accepted else None
        if chosen and chosen != self.event_name:
            self.confirm_quit = False
            self.switch_requested.emit(chosen)

    def quit_asking(self) -> None:
        if self._really_close():
            self.confirm_quit = False
            self.close()
            QApplication.quit()

    def _really_close(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Close the door?",
            "Close the door screen? Scans stop on this laptop until it is opened again.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        if event.spontaneous() and self.confirm_quit and not self._really_close():
            event.ignore()
            return
        self.settings.set(S.WINDOW_SIZE, f"{self.width()}x{self.height()}")
        if self.camera is not None and hasattr(self.camera, "shutdown"):
            self.camera.shutdown()
        if self.print_queue is not None:
            self.print_queue.close()
        self.organiser_jobs.stop()
        self.wedge.uninstall()
        self._poll.stop()
        if self.host_board is not None:
            self.host_board.close()
        super().closeEvent(event)
