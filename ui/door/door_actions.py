"""What a volunteer does at the door: scan, check in from the search, walk-ins, undo, reprint,
settings and the journal folder (hosts: ``host_actions``). The window is the view; this is
the controller.

Each action is a few lines on ``ui.operations.Operations``: the core call on the database
worker, the answer shown on the UI thread, its change records announced to every view.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from checkin.changes import AssignmentChanged
from checkin.door.outcomes import ActionResult, Guest, Outcome, OutcomeKind
from checkin.timeutil import local_hhmm
from ui import settings as S
from ui.door.walkin_dialog import WalkIn, WalkInDialog
from ui.operations import HostArrived
from ui.theme import LOOKS, READY
from ui.words import plural

if TYPE_CHECKING:
    from ui.door.window import DoorWindow


@dataclass(frozen=True)
class Shown:
    """A check-in's outcome with the names the screen needs; its records are the outcome's."""

    outcome: Outcome
    assigned: tuple[str, ...] = ()  # newcomers this check-in just gave to the host

    @property
    def changes(self) -> tuple:
        return self.outcome.changes


def _ask(parent, question: str) -> bool:
    answer = QMessageBox.question(parent, "Undo check-in", question)
    return answer == QMessageBox.StandardButton.Yes


class DoorActions(QObject):
    def __init__(self, window: DoorWindow) -> None:
        super().__init__(window)
        self.w = window
        self.last_admitted: Outcome | None = None  # the last check-in of this door
        self._started: dict[str, float] = {}
        # How undo asks first (a test answers for the volunteer).
        self.confirm: Callable[[str], bool] = lambda q: _ask(self.w, q)

    # -- checking in ---------------------------------------------------------------------

    def _nonce(self) -> str:
        nonce = str(uuid.uuid4())
        self._started[nonce] = time.perf_counter()
        return nonce

    def scan(self, code: str) -> None:
        code = code.strip()
        if not code:
            return
        from checkin.door.engine import check_in

        w, nonce = self.w, self._nonce()
        db, event, device = w.db, w.event_name, w.device
        # w.journal is read when the work runs, on the worker: opening the journal is
        # queued on the same worker, so no scan can slip in between unjournaled.
        self._tell_dialog("Scan received — checking in…")
        w.ops.write(
            lambda: self._with_names(
                check_in(db, event, code, device=device, nonce=nonce, journal=w.journal)
            ),
            lambda shown: self._show(shown, nonce),
        )

    def check_in_guest(self, registration_id: int, _name: str = "") -> None:
        from checkin.door.engine import check_in_registration

        w, nonce = self.w, self._nonce()
        db, event, device = w.db, w.event_name, w.device
        w.ops.write(
            lambda: self._with_names(
                check_in_registration(
                    db, event, registration_id, device=device, nonce=nonce, journal=w.journal
                )
            ),
            lambda shown: self._show(shown, nonce, from_search=True),
        )

    def _with_names(self, outcome: Outcome) -> Shown:
        """On the worker: the names of newcomers this check-in just gave to a host."""
        newcomers = [
            c.newcomer_id
            for c in outcome.changes
            if isinstance(c, AssignmentChanged) and c.status == "active"
            and outcome.guest is not None
            and c.host_registration_id == outcome.guest.registration_id
        ]  # fmt: skip
        if not newcomers:
            return Shown(outcome)
        from checkin.door.lookup import guest_names

        with self.w.db.read() as session:
            names = guest_names(session, newcomers)
        return Shown(outcome, tuple(names[i] for i in newcomers if i in names))

    def _show(self, shown: Shown, nonce: str, from_search: bool = False) -> None:
        w, outcome = self.w, shown.outcome
        counters = w.last_counters
        w.result.show_outcome(
            outcome,
            assigned=shown.assigned,
            hosts_present=counters.hosts_present if counters else None,
        )
        sound = LOOKS[outcome.kind].sound
        if outcome.kind is OutcomeKind.CHECKED_IN and outcome.first_time:
            sound = "first_time"
        w.sounds.play(sound)
        guest = outcome.guest
        if outcome.kind.admitted and guest is not None:
            w.search.index.set_checked_in(guest.registration_id, True)
        if outcome.kind is OutcomeKind.CHECKED_IN:
            self.last_admitted = outcome
            if outcome.is_host and guest is not None:
                w.ops.broadcast(HostArrived(guest.registration_id))
        if from_search:
            w.search.clear()
        if QApplication.activeModalWidget() is None:
            w.search.box.setFocus()
        who = guest.name if guest else f"code {outcome.code}"
        self._tell_dialog(f"Scan received — {who}: {LOOKS[outcome.kind].word} (door screen)")
        elapsed = (time.perf_counter() - self._started.pop(nonce, time.perf_counter())) * 1000
        w.result_shown.emit(outcome, elapsed)
        queue = w.print_queue
        if queue is None or outcome.kind is not OutcomeKind.CHECKED_IN or guest is None:
            return
        if w.settings.get(S.AUTO_PRINT):
            queue.auto_print(guest.registration_id)  # once per guest, off this thread
        if outcome.host is not None and w.settings.get(S.HOST_SLIP):
            self._print_host_slip(outcome)

    @staticmethod
    def _tell_dialog(text: str) -> None:
        """A scan while a dialog is open: the dialog says so (its fields are untouched)."""
        dialog = QApplication.activeModalWidget()
        if dialog is not None and hasattr(dialog, "notice_scan"):
            dialog.notice_scan(text)

    # -- undo, reprint ---------------------------------------------------------------------

    def undo(self) -> None:
        """Undo the check-in on screen; once the screen is back to ready, ask first."""
        shown = self.w.result.outcome
        if shown is not None and shown.guest is not None and shown.kind.admitted:
            if shown.kind is OutcomeKind.CHECKED_IN or self._confirmed(shown):
                self._undo(shown.guest)
            return
        last = self.last_admitted
        if shown is None and last is not None and last.guest is not None:
            if self._confirmed(last):
                self._undo(last.guest)
            return
        self.w.show_status("Nothing to undo: scan or search the guest first.")

    def _confirmed(self, o: Outcome) -> bool:
        assert o.guest is not None
        when = f" from {local_hhmm(o.checked_in_at)}" if o.checked_in_at else ""
        return self.confirm(f"Undo {o.guest.name}'s check-in{when}?")

    def _undo(self, guest: Guest) -> None:
        from checkin.door.leave import undo

        w = self.w
        db, event, device = w.db, w.event_name, w.device
        w.ops.write(
            lambda: undo(db, event, guest.code, device=device, journal=w.journal), self._undone
        )

    def _undone(self, result: ActionResult) -> None:
        w = self.w
        if result.done and result.guest is not None:
            w.search.index.set_checked_in(result.guest.registration_id, False)
            last = self.last_admitted
            if last and last.guest and last.guest.registration_id == result.guest.registration_id:
                self.last_admitted = None
            w.result.show_message(READY, "Check-in undone", result.message)
        else:
            w.show_status(result.message)

    def reprint(self) -> None:
        """Print the badge of the guest on screen (or retry failed badges when none is)."""
        w, queue = self.w, self.w.print_queue
        if queue is None:
            w.show_status("Badge printing is not set up on this door.")
            return
        shown = w.result.outcome
        if shown is not None and shown.guest is not None and shown.kind.admitted:
            w.result.clear_notice()
            queue.reprint(shown.guest.registration_id)
            w.show_status(f"Reprinting the badge of {shown.guest.name}…")
        elif queue.failed:
            self.retry_prints()
        else:
            w.show_status("Scan or choose a guest first, then reprint.")

    def retry_prints(self) -> None:
        queue = self.w.print_queue
        if queue is not None:
            n = queue.retry_failed()
            self.w.result.clear_notice()
            self.w.show_status(
                f"Retrying {plural(n, 'badge')}." if n else "No failed badges to retry."
            )

    def _print_host_slip(self, outcome: Outcome) -> None:
        from checkin.badges.slip import render_host_slip
        from checkin.hosting.links import host_page_url

        queue = self.w.print_queue
        assert queue is not None and outcome.host is not None
        template, host_id = queue.template, outcome.host.registration_id
        phones = getattr(self.w, "phones", None)  # the host's phone link, when it is running
        db, event, code = self.w.db, self.w.event_name, outcome.host.code
        base = phones.url if phones is not None else None
        self.w.ops.read(
            lambda: render_host_slip(outcome, template, host_page_url(db, event, code, base)),
            lambda pdf: queue.submit(host_id, "slip", pdf=pdf, template=template),
            self.w.quiet_error,
        )

    # -- walk-ins -------------------------------------------------------------------------

    def open_walkin(self) -> None:
        dialog = WalkInDialog(self.w)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.register_walkin(dialog.value())

    def register_walkin(self, walkin: WalkIn) -> None:
        from checkin.door.walkins import walk_in

        w, nonce = self.w, self._nonce()
        db, event, device = w.db, w.event_name, w.device

        def work():
            return self._with_names(
                walk_in(
                    db,
                    event,
                    name=walkin.name,
                    email=walkin.email,
                    company=walkin.company,
                    interests=walkin.interests,
                    first_time=walkin.first_time,
                    device=device,
                    nonce=nonce,
                    journal=w.journal,
                )
            )

        def done(shown: Shown) -> None:
            g = shown.outcome.guest
            if g is not None:
                w.search.index.add(
                    g.registration_id, g.name, g.email, g.company, g.code, "registered", True
                )
            self._show(shown, nonce)

        w.ops.write(work, done)

    # -- settings, journal -------------------------------------------------------------------

    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        if SettingsDialog(self.w.settings, self.w).exec() == QDialog.DialogCode.Accepted:
            self.apply_settings()

    def apply_settings(self) -> None:
        w, s = self.w, self.w.settings
        w.device = s.get(S.DEVICE_NAME)
        w.door_label.setText(f"at {w.device}")
        w.sounds.enabled = s.get(S.SOUNDS)
        w.result.seconds = s.get(S.RESULT_SECONDS)
        if w.print_queue is not None:
            from checkin.badges.templates import get_template
            from ui.printing.queue import PrintTarget

            w.print_queue.set_target(PrintTarget(printer=s.get(S.PRINTER)))
            w.print_queue.template = get_template(s.get(S.BADGE_TEMPLATE))
        folder = s.get(S.JOURNAL_FOLDER)
        renamed = w.journal is not None and w.journal.device != w.device
        if renamed or folder != (str(w.journal.folder) if w.journal else ""):
            self.set_journal_folder(folder)  # a renamed door writes its own journal file
        if w.camera is not None and hasattr(w.camera, "start"):
            if s.get(S.CAMERA_ON):
                w.camera.start(s.get(S.CAMERA) or None)
            else:
                w.camera.stop()
        w.show_status("Settings saved." + self._apply_phones())

    def _apply_phones(self) -> str:
        """Start, stop or move the hosts' phone server to match the settings."""
        phones, s = getattr(self.w, "phones", None), self.w.settings
        if phones is None:
            return ""
        wanted = s.get(S.PHONES_ON)
        port = s.get(S.PHONES_PORT)
        if phones.server is not None and (not wanted or phones.server.port != port):
            phones.stop()
        if not wanted:
            return ""
        if phones.start():
            return f" Hosts' phones: {phones.url}"
        return f" {phones.problem}"

    def set_journal_folder(self, folder: str) -> None:
        """Open this door's journal in ``folder`` (empty: no journal)."""
        from checkin.journal.writer import Journal

        w = self.w
        w.settings.set(S.JOURNAL_FOLDER, folder)
        if not folder:
            w.ops.write(lambda: setattr(w, "journal", None), lambda _r: w.show_journal())
            return
        db, event, device = w.db, w.event_name, w.device

        def work():
            # Set on the worker itself, so the door actions queued after this see it.
            w.journal = Journal.for_event(db, event, folder, device)
            return w.journal

        w.ops.write(work, lambda _j: w.show_journal())

    def choose_journal_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.w, "Folder for the attendance journal (a USB stick or shared folder)"
        )
        if folder:
            self.set_journal_folder(folder)
