"""The door screen: wires the scanner, camera, search, walk-ins and undo to the core.

Every action is a few lines: call the core on the worker thread (``TaskRunner``), show the
answer on the UI thread, then announce ``changed`` so every view refreshes itself. Errors
appear in the result panel and the status line, never as a pile of dialogs.
"""

from __future__ import annotations

import logging
import time
import uuid
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from checkin.door.counters import Counters
from checkin.door.outcomes import ActionResult, Outcome, OutcomeKind
from checkin.errors import CheckinError
from checkin.store.db import Database
from ui import settings as S
from ui.door.result_panel import ResultPanel
from ui.door.search_panel import SearchPanel
from ui.door.walkin_dialog import WalkInDialog
from ui.organiser import pretix_dialog
from ui.scanning.scanner import KeyboardWedge
from ui.settings import Settings
from ui.sounds import Sounds
from ui.tasks import TaskRunner
from ui.theme import LOOKS, READY

log = logging.getLogger(__name__)


class DoorWindow(QMainWindow):
    # What changed, for views that refresh themselves (host board, counters).
    changed = Signal(str)
    # An outcome on screen, and how long it took from the scan (ms): tests and make bench.
    result_shown = Signal(object, float)

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
        self.device = self.settings.get(S.DEVICE_NAME)
        self.last_admitted: Outcome | None = None
        self._scan_started: dict[str, float] = {}
        self.sounds = Sounds(self, enabled=self.settings.get(S.SOUNDS))
        self.camera = None  # set by attach_camera()
        self.host_board = None
        self.journal = None  # this door's attendance journal, when a folder is set
        self.print_queue = None  # set by attach_printer()

        self.setWindowTitle(f"Welcome Desk — {event}")
        self.result = ResultPanel(seconds=self.settings.get(S.RESULT_SECONDS))
        self.result.undo_requested.connect(self.undo_last)
        self.result.reprint_requested.connect(self.reprint)
        self.search = SearchPanel()
        self.search.guest_chosen.connect(self.check_in_guest)

        self.event_label = QLabel(event)
        self.event_label.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.event_label.setAccessibleName("Event")
        self.door_label = QLabel(f"at {self.device}")
        self.door_label.setObjectName("status")
        self.journal_label = QLabel("")
        self.journal_label.setObjectName("status")
        self.journal_label.setAccessibleName("Attendance journal")
        self.count_in = self._counter("Checked in")
        self.count_new = self._counter("First-timers")
        self.count_waiting = self._counter("Waiting for a host")
        header = QHBoxLayout()
        header.addWidget(self.event_label)
        header.addWidget(self.door_label)
        header.addWidget(self.journal_label)
        header.addStretch(1)
        for w in (self.count_in, self.count_new, self.count_waiting):
            header.addWidget(w)

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
        # Names must be readable in the list at 1366×768: give the list room.
        self.right.setMinimumWidth(500)
        split.setSizes([800, 520])

        self.status_line = QLabel("")
        self.status_line.setObjectName("status")
        self.error_line = QLabel("")
        self.error_line.setObjectName("error")
        footer = QHBoxLayout()
        footer.addWidget(self.status_line, 1)
        footer.addWidget(self.error_line)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(header)
        layout.addWidget(split, 1)
        layout.addLayout(footer)
        self.setCentralWidget(central)
        self._build_actions()

        self.wedge = KeyboardWedge(
            self,
            max_gap_ms=self.settings.get(S.SCANNER_MAX_GAP_MS),
            min_length=self.settings.get(S.SCANNER_MIN_LENGTH),
        )
        self.wedge.scanned.connect(self.scan)
        self.wedge.install()

        # Other doors on a shared database change counts too: look again now and then.
        self._poll = QTimer(self)
        self._poll.setInterval(10_000)
        self._poll.timeout.connect(self.refresh_counters)
        self._poll.start()
        # Counting 50,000 rows takes longer than a check-in: after a change, count once the
        # door pauses rather than after every scan, so no scan waits behind a count.
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(400)
        self._recount.timeout.connect(self.refresh_counters)
        self.changed.connect(lambda _what: self._recount.start())
        self.refresh_counters()
        self.reload_guests()
        self.set_journal_folder(self.settings.get(S.JOURNAL_FOLDER))
        self.search.box.setFocus()

    # -- layout helpers ----------------------------------------------------------------

    def _counter(self, name: str) -> QLabel:
        label = QLabel(f"{name}: –")
        label.setObjectName("counter")
        label.setAccessibleName(name)
        return label

    def _build_actions(self) -> None:
        bar = self.menuBar()
        event_menu = bar.addMenu("&Event")
        door_menu = bar.addMenu("&Door")
        view_menu = bar.addMenu("&View")

        def add(menu, text: str, shortcut: str | QKeySequence.StandardKey | None, slot) -> QAction:
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)
            self.addAction(action)  # shortcuts work whatever has focus
            if shortcut is not None:
                self.search.door_shortcuts.append(action.shortcut())
            return action

        self.walkin_action = add(door_menu, "&Walk-in…", "F3", self.open_walkin)
        add(door_menu, "Make the chosen guest a &host", "Ctrl+H", self.make_host)
        add(door_menu, "Se&ttings…", "Ctrl+,", self.open_settings)
        add(door_menu, "Retry &failed badge prints", None, self.retry_prints)
        self.undo_action = add(door_menu, "&Undo last check-in", "Ctrl+Z", self.undo_last)
        self.reprint_action = add(door_menu, "&Reprint badge", "Ctrl+P", self.reprint)
        add(door_menu, "&Search guests", "Ctrl+F", self.focus_search)
        add(view_menu, "&Host board", "F5", self.open_host_board)
        add(event_menu, "&Import guest list…", "Ctrl+I", self.open_import)
        add(event_menu, "&Export attendance…", "Ctrl+E", self.export_attendance)
        add(event_menu, "Sync with &pretix…", None, lambda: pretix_dialog.open_for(self))
        reports = event_menu.addMenu("&Print lists")
        for kind, title in (
            ("attendance", "&Attendance"),
            ("newcomers", "&First-timers and their hosts (follow-up)"),
            ("hosts", "One sheet per &host"),
            ("no-shows", "&No-shows"),
            ("summary", "&Summary"),
        ):
            add(reports, title + "…", None, lambda _c=False, k=kind: self.save_report(k))
        add(event_menu, "Print &badges for the list…", None, self.print_badges)
        event_menu.addSeparator()
        add(event_menu, "Attendance &journal folder…", None, self.choose_journal_folder)
        add(event_menu, "&Merge journals from other doors…", None, self.merge_journals)
        event_menu.addSeparator()
        add(event_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.status_line.setText(
            "F3 walk-in · Ctrl+F search · Ctrl+Z undo · Ctrl+P reprint · F5 host board"
        )

    def attach_camera(self, camera) -> None:
        """Show the camera preview and check in whatever it decodes."""
        self.camera = camera
        camera.decoded.connect(self.scan)
        if hasattr(camera, "status_changed"):
            camera.status_changed.connect(self.show_status)
        widget = camera.preview_widget() if hasattr(camera, "preview_widget") else None
        if widget is not None:
            widget.setMaximumHeight(240)
            widget.setAccessibleName("Camera picture")
            self.camera_slot.addWidget(widget)
            # No camera: give the room to the guest list instead of an empty black box.
            camera.available_changed.connect(widget.setVisible)
            widget.setVisible(camera.is_available())

    # -- actions -------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.box.setFocus()
        self.search.box.selectAll()

    def scan(self, code: str) -> None:
        code = code.strip()
        if not code:
            return
        from checkin.door.engine import check_in

        nonce = str(uuid.uuid4())
        self._scan_started[nonce] = time.perf_counter()
        db, event, device = self.db, self.event_name, self.device
        self.runner.submit(
            # self.journal is read when the work runs, on the worker: opening the journal is
            # queued on the same worker, so no scan can slip in between unjournaled.
            lambda: check_in(db, event, code, device=device, nonce=nonce, journal=self.journal),
            lambda outcome: self._show(outcome, nonce),
            self.show_error,
        )

    def check_in_guest(self, registration_id: int, name: str = "") -> None:
        from checkin.door.engine import check_in_registration

        nonce = str(uuid.uuid4())
        self._scan_started[nonce] = time.perf_counter()
        db, event, device = self.db, self.event_name, self.device
        self.runner.submit(
            lambda: check_in_registration(
                db, event, registration_id, device=device, nonce=nonce, journal=self.journal
            ),
            lambda outcome: self._show(outcome, nonce, from_search=True),
            self.show_error,
        )

    def _show(self, outcome: Outcome, nonce: str, from_search: bool = False) -> None:
        self.result.show_outcome(outcome)
        look = LOOKS[outcome.kind]
        sound = look.sound
        if outcome.kind is OutcomeKind.CHECKED_IN and outcome.first_time:
            sound = "first_time"
        self.sounds.play(sound)
        self.error_line.setText("")
        if outcome.kind.admitted and outcome.guest is not None:
            self.search.index.set_checked_in(outcome.guest.registration_id, True)
        if outcome.kind is OutcomeKind.CHECKED_IN:
            self.last_admitted = outcome  # what Ctrl+Z undoes: a repeat scan never replaces it
        if from_search:
            self.search.clear()
        self.search.box.setFocus()
        elapsed = (time.perf_counter() - self._scan_started.pop(nonce, time.perf_counter())) * 1000
        self.result_shown.emit(outcome, elapsed)
        queue = self.print_queue
        if (
            queue is not None
            and outcome.kind is OutcomeKind.CHECKED_IN
            and outcome.guest is not None
            and self.settings.get(S.AUTO_PRINT)
        ):
            queue.auto_print(outcome.guest.registration_id)  # once per guest, off this thread
        if (
            queue is not None
            and outcome.kind is OutcomeKind.CHECKED_IN
            and outcome.host is not None
            and self.settings.get(S.HOST_SLIP)
        ):
            self._print_host_slip(outcome)
        if outcome.kind is OutcomeKind.CHECKED_IN:
            self.changed.emit("checkin")

    def undo_last(self) -> None:
        o = self.last_admitted
        if o is None or o.guest is None or o.kind is not OutcomeKind.CHECKED_IN:
            self.show_status("Nothing to undo.")
            return
        from checkin.door.leave import undo

        db, event, device, guest = self.db, self.event_name, self.device, o.guest
        self.runner.submit(
            lambda: undo(db, event, guest.code, device=device, journal=self.journal),
            self._undone,
            self.show_error,
        )

    def _undone(self, result: ActionResult) -> None:
        if result.done and result.guest is not None:
            self.search.index.set_checked_in(result.guest.registration_id, False)
            self.last_admitted = None
            self.result.show_message(READY, "Check-in undone", result.message)
            self.changed.emit("undo")
        else:
            self.show_status(result.message)

    def open_walkin(self) -> None:
        dialog = WalkInDialog(self)
        self.wedge.set_enabled(False)  # typing a name fast must not look like a scan
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
        finally:
            self.wedge.set_enabled(True)
        self.register_walkin(dialog.value())

    def register_walkin(self, w) -> None:
        from checkin.door.walkins import walk_in

        nonce = str(uuid.uuid4())
        self._scan_started[nonce] = time.perf_counter()
        db, event, device = self.db, self.event_name, self.device

        def work() -> Outcome:
            return walk_in(
                db,
                event,
                name=w.name,
                email=w.email,
                company=w.company,
                interests=w.interests,
                first_time=w.first_time,
                device=device,
                nonce=nonce,
                journal=self.journal,
            )

        def done(outcome: Outcome) -> None:
            g = outcome.guest
            if g is not None:
                self.search.index.add(
                    g.registration_id, g.name, g.email, g.company, g.code, "registered", True
                )
            self._show(outcome, nonce)

        self.runner.submit(work, done, self.show_error)

    def reprint(self) -> None:
        o = self.last_admitted or self.result.outcome
        if o is None or o.guest is None:
            self.show_status("Scan or choose a guest first, then reprint.")
            return
        if self.print_queue is None:
            self.show_status("Badge printing is not set up on this door.")
            return
        self.print_queue.reprint(o.guest.registration_id)
        self.show_status(f"Reprinting the badge of {o.guest.name}…")

    def export_attendance(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export attendance",
            str(Path.home() / "attendance.csv"),
            "Spreadsheet (*.csv);;Excel (*.xlsx);;JSON (*.json)",
        )
        if not path:
            return
        from checkin.reports.export import export_attendance

        db, event = self.db, self.event_name
        self.show_status("Exporting…")
        self.organiser_jobs.submit(
            lambda: export_attendance(db, event, path),
            lambda n: self.show_status(f"Exported {n} guests to {path}"),
            self.show_error,
        )

    def open_host_board(self) -> None:
        from ui.organiser.host_board import HostBoardWindow

        if self.host_board is None:
            self.host_board = HostBoardWindow(
                self.db, self.event_name, self.runner, journal=lambda: self.journal
            )
            self.changed.connect(self.host_board.refresh)
        self.host_board.show()
        self.host_board.raise_()

    def make_host(self) -> None:
        """The guest chosen in the search list (or just shown) becomes a host tonight."""
        hit = self.search.model.hit(self.search.selected_row()) if self.search.model.hits else None
        code = hit.code if hit else (self.result.outcome.guest.code if self.result.outcome
                                     and self.result.outcome.guest else None)  # fmt: skip
        if code is None:
            self.show_status("Search for the guest first, then Ctrl+H makes them a host.")
            return
        from checkin.hosting.actions import add_host

        db, event = self.db, self.event_name

        def done(h) -> None:
            where = "here now" if h.present else "once they check in"
            self.show_status(f"{h.name} hosts up to {h.capacity} newcomers ({where}).")
            self.changed.emit("hosts")

        self.runner.submit(lambda: add_host(db, event, code=code), done, self.show_error)

    def attach_printer(self, queue) -> None:
        """Badges go through ``queue`` (a ``ui.printing.queue.PrintQueue``) off the UI thread."""
        self.print_queue = queue
        queue.queue_changed.connect(self._print_status)
        queue.job_failed.connect(
            lambda _job, message: self.error_line.setText(
                f"Badge not printed: {message} — Door ▸ Retry failed badge prints"
            )
        )
        queue.job_done.connect(lambda *_: self.error_line.setText(""))

    def _print_status(self, pending: int, failed: int) -> None:
        parts = []
        if pending:
            parts.append(f"printing {pending} badge(s)")
        if failed:
            parts.append(f"{failed} failed — retry from the Door menu")
        if parts:
            self.show_status("Badges: " + ", ".join(parts))

    def _print_host_slip(self, outcome: Outcome) -> None:
        from checkin.badges.slip import render_host_slip

        queue = self.print_queue
        template = queue.template

        def done(pdf: bytes) -> None:
            queue.submit(outcome.host.registration_id, "slip", pdf=pdf, template=template)

        self.organiser_jobs.submit(
            lambda: render_host_slip(outcome, template), done, self._quiet_error
        )

    def retry_prints(self) -> None:
        if self.print_queue is not None:
            n = self.print_queue.retry_failed()
            self.show_status(f"Retrying {n} badge(s)." if n else "No failed badges to retry.")

    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        self.wedge.set_enabled(False)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
        finally:
            self.wedge.set_enabled(True)
        self.apply_settings()

    def apply_settings(self) -> None:
        s = self.settings
        self.device = s.get(S.DEVICE_NAME)
        self.door_label.setText(f"at {self.device}")
        self.sounds.enabled = s.get(S.SOUNDS)
        self.result.seconds = s.get(S.RESULT_SECONDS)
        if self.print_queue is not None:
            from checkin.badges.templates import get_template
            from ui.printing.queue import PrintTarget

            self.print_queue.set_target(PrintTarget(printer=s.get(S.PRINTER)))
            self.print_queue.template = get_template(s.get(S.BADGE_TEMPLATE))
        folder = s.get(S.JOURNAL_FOLDER)
        renamed = self.journal is not None and self.journal.device != self.device
        if renamed or folder != (str(self.journal.folder) if self.journal else ""):
            self.set_journal_folder(folder)  # a renamed door writes its own journal file
        if self.camera is not None and hasattr(self.camera, "start"):
            if s.get(S.CAMERA_ON):
                self.camera.start(s.get(S.CAMERA) or None)
            else:
                self.camera.stop()
        self.show_status("Settings saved.")

    def print_badges(self) -> None:
        """The organiser's batch: every expected guest, by last name, on the chosen stock."""
        from checkin.badges.lookup import badges_for_event
        from checkin.badges.render import render_badges
        from checkin.badges.templates import get_template

        db, event = self.db, self.event_name
        template = get_template(self.settings.get(S.BADGE_TEMPLATE))

        def work() -> bytes:
            import io

            badges = [g.badge for g in badges_for_event(db, event) if not g.cancelled]
            out = io.BytesIO()
            render_badges(badges, template, out)
            return out.getvalue()

        def done(pdf: bytes) -> None:
            from ui.printing.queue import print_preview

            self.show_status("Badges ready: check the preview, then print.")
            self.wedge.set_enabled(False)
            dialog = print_preview(self, pdf, template)
            dialog.finished.connect(lambda _r: self.wedge.set_enabled(True))
            dialog.show()

        self.show_status("Preparing the badges…")
        self.organiser_jobs.submit(work, done, self.show_error)

    def open_import(self) -> None:
        from ui.organiser.import_dialog import ImportDialog

        dialog = ImportDialog(self.db, self.event_name, self.runner, self)
        dialog.imported.connect(lambda _s: (self.reload_guests(), self.changed.emit("guests")))
        self.wedge.set_enabled(False)
        try:
            dialog.exec()
        finally:
            self.wedge.set_enabled(True)

    def save_report(self, kind: str) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save the list",
            str(Path.home() / f"{kind}.pdf"),
            "PDF to print (*.pdf);;Spreadsheet (*.csv)",
        )
        if not path:
            return
        from checkin.reports import write_report

        db, event = self.db, self.event_name
        self.show_status("Writing the list…")
        self.organiser_jobs.submit(
            lambda: write_report(db, event, kind, path),
            lambda r: self.show_status(f"Saved {r.out}"),
            self.show_error,
        )

    def set_journal_folder(self, folder: str) -> None:
        """Open this door's journal in ``folder`` (empty: no journal)."""
        from checkin.journal.writer import Journal

        self.settings.set(S.JOURNAL_FOLDER, folder)
        if not folder:
            self.journal = None
            self.journal_label.setText("· no journal")
            return
        db, event, device = self.db, self.event_name, self.device

        def work():
            # Set on the worker itself, so the door actions queued after this see it.
            self.journal = Journal.for_event(db, event, folder, device)
            return self.journal

        def opened(journal) -> None:
            self.journal_label.setText(f"· journal: {journal.path}")
            self.journal_label.setToolTip(str(journal.path))

        self.runner.submit(work, opened, self.show_error)

    def choose_journal_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Folder for the attendance journal (a USB stick or shared folder)"
        )
        if folder:
            self.set_journal_folder(folder)

    def merge_journals(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Journals or exports from other doors", "", "Journals (*.jsonl *.json)"
        )
        if not paths:
            return
        from checkin.merge import merge_files

        db, event = self.db, self.event_name
        self.show_status("Merging…")

        def merged(report) -> None:
            self.show_status(
                f"Merged {len(report.files)} file(s): {report.added} new records, "
                f"{report.already} already here, {report.duplicates} duplicate check-ins; "
                f"{report.checked_in} guests checked in now."
            )
            self.reload_guests()
            self.changed.emit("merge")

        self.runner.submit(lambda: merge_files(db, event, paths), merged, self.show_error)

    # -- refreshing ----------------------------------------------------------------------

    def refresh_counters(self) -> None:
        from checkin.door.counters import counters

        db, event = self.db, self.event_name
        self.runner.submit(lambda: counters(db, event), self._show_counters, self._quiet_error)

    def _show_counters(self, c: Counters) -> None:
        self.count_in.setText(f"Checked in: {c.checked_in} / {c.expected}")
        self.count_new.setText(f"First-timers: {c.first_timers}")
        self.count_waiting.setText(f"Waiting for a host: {c.waiting_for_host}")
        alert = "background: #fff3cd; color: #7a4d00;" if c.waiting_for_host else ""
        self.count_waiting.setStyleSheet(alert)

    def reload_guests(self) -> None:
        from checkin.door.search import build_index

        db, event = self.db, self.event_name
        self.show_status("Loading the guest list…")
        self.runner.submit(lambda: build_index(db, event), self._index_ready, self.show_error)

    def _index_ready(self, index) -> None:
        self.search.set_index(index)
        self.show_status(f"{len(index)} guests on the list. Ready.")

    # -- messages ------------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        self.status_line.setText(text)

    def show_error(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, CheckinError) else f"Something went wrong: {exc}"
        log.warning("door action failed: %s", type(exc).__name__)  # no guest data in logs
        self.error_line.setText(message)
        self.result.show_message(LOOKS[OutcomeKind.UNKNOWN_CODE], "Not done", message)

    def _quiet_error(self, exc: BaseException) -> None:
        self.error_line.setText(str(exc))

    def closeEvent(self, event: QCloseEvent) -> None:
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
