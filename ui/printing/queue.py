"""Badge printing that never blocks the door: a print queue with its own worker thread.

A job is a guest's badge (PDF bytes, or ``BadgeData`` rendered here, or only a registration
id looked up through ``badge_for``). The worker paints each PDF page, rasterised by QtPdf at
the printer's resolution, onto a ``QPrinter`` (ui/printing/preview.py): on Linux that is CUPS,
on Windows and macOS the system's printing; a ``PrintTarget`` with ``pdf_path`` prints to a
PDF file instead, with no print system at all. A label takes ~30 ms to a PDF file and ~130 ms
into CUPS here; a raster works with every driver, label printers included.

A job that fails (printer missing, paused or stopped, the print system refused it) is kept,
reported through ``job_failed`` and retried with ``retry_failed()``: never lost. ``job_done``
means the print system took the job; a printer that runs dry later holds it in its own queue.
Every attempt goes to the print log through the ``record`` hook, and an ``auto`` job asks
``already_printed`` first, so a guest gets one badge from the door; ``reprint`` always prints.
"""

from __future__ import annotations

import functools
import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from checkin.badges.data import BadgeData
from checkin.badges.printlog import PrintKind, PrintStatus
from checkin.badges.templates import BadgeTemplate
from ui.printing.preview import (
    PrinterChoice,
    PrintError,
    PrintTarget,
    available_printers,
    choose_printer,
    print_pdf,
)

if TYPE_CHECKING:
    from checkin.store.db import Database

log = logging.getLogger(__name__)

# registration_id, kind, printer, status, detail: checkin.badges.printlog.record_print minus the db.
Record = Callable[[int, str, str, str, str], None]
AlreadyPrinted = Callable[[int], bool]
BadgeFor = Callable[[int], BadgeData]

__all__ = [
    "PrintError",
    "PrintJob",
    "PrintQueue",
    "PrintTarget",
    "PrinterChoice",
    "available_printers",
    "choose_printer",
    "print_pdf",
]


@dataclass(frozen=True)
class PrintJob:
    id: int
    registration_id: int
    kind: str  # auto, reprint, batch (checkin.badges.printlog.PrintKind)
    pdf: bytes | None = None
    badge: BadgeData | None = None
    template: BadgeTemplate | None = None
    attempts: int = 0
    error: str = ""  # why the last attempt failed
    batch_ids: tuple[int, ...] = ()  # a batch: every guest whose badge is in the PDF


class _Worker(QObject):
    """Lives in the print thread; one job at a time, in the order they were queued."""

    started = Signal(int, int)
    done = Signal(int, int, str, float)  # job id, registration id, printer, seconds
    failed = Signal(int, str)
    skipped = Signal(int, int)

    def __init__(
        self,
        record: Record | None,
        already_printed: AlreadyPrinted | None,
        badge_for: BadgeFor | None,
    ) -> None:
        super().__init__()
        self._record = record
        self._already_printed = already_printed
        self._badge_for = badge_for

    @Slot(object, object)
    def run(self, job: PrintJob, target: PrintTarget) -> None:
        self.started.emit(job.id, job.registration_id)
        t0 = time.perf_counter()
        if job.kind == PrintKind.AUTO and self._printed_before(job.registration_id):
            self.skipped.emit(job.id, job.registration_id)
            return
        try:
            pdf, title, page_size = self._document(job)
            where = print_pdf(
                pdf,
                target,
                page_size=page_size,
                title=title,
                job_id=job.id,
                registration_id=job.registration_id,
            )
        except PrintError as exc:
            self._log(job, target.label, PrintStatus.FAILED, str(exc))
            self.failed.emit(job.id, str(exc))
            return
        except Exception as exc:  # a bug or a database error: report it, keep the job
            log.exception("print job %s failed", job.id)
            message = f"The badge could not be printed: {exc}"
            self._log(job, target.label, PrintStatus.FAILED, message)
            self.failed.emit(job.id, message)
            return
        self._log(job, where, PrintStatus.SENT, f"job {job.id}")
        self.done.emit(job.id, job.registration_id, where, time.perf_counter() - t0)

    def _printed_before(self, registration_id: int) -> bool:
        if self._already_printed is None:
            return False
        try:
            return self._already_printed(registration_id)
        except Exception:  # unsure: a guest without a badge is worse than a spare badge
            log.exception("could not read the print log; printing anyway")
            return False

    def _document(self, job: PrintJob) -> tuple[bytes, str, tuple[float, float] | None]:
        badge = job.badge
        if badge is None and job.pdf is None:
            if self._badge_for is None:
                raise PrintError("Nothing to print: the job has no badge.")
            badge = self._badge_for(job.registration_id)
        title = f"Badge: {badge.full_name}" if badge else f"Badge {job.registration_id}"
        page_size = job.template.page_size if job.template else None
        if job.pdf is not None:
            return job.pdf, title, page_size
        if job.template is None:
            raise PrintError("No badge template is chosen: pick the badge stock in Settings.")
        from checkin.badges.render import render_badge_pdf  # reportlab: off the start path

        assert badge is not None
        return render_badge_pdf(badge, job.template), title, page_size

    def _log(self, job: PrintJob, printer: str, status: PrintStatus, detail: str) -> None:
        if self._record is None:
            return
        try:
            for registration_id in job.batch_ids or (job.registration_id,):
                self._record(registration_id, job.kind, printer, str(status), detail)
        except Exception:  # the badge is out (or not) either way; the log must not undo it
            log.exception("could not record print job %s in the print log", job.id)


class PrintQueue(QObject):
    """Badge jobs for one door's printer. Every method returns at once (UI thread)."""

    job_started = Signal(int, int)  # job id, registration id
    job_done = Signal(int, int)  # job id, registration id
    job_failed = Signal(int, str)  # job id, message for the volunteer
    job_skipped = Signal(int, int)  # an auto job for a guest who already has a badge
    queue_changed = Signal(int, int)  # pending, failed

    _submit = Signal(object, object)  # PrintJob, PrintTarget -> worker

    def __init__(
        self,
        target: PrintTarget | None = None,
        template: BadgeTemplate | None = None,
        *,
        record: Record | None = None,
        already_printed: AlreadyPrinted | None = None,
        badge_for: BadgeFor | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.target = target or PrintTarget()
        self.template = template
        self.last_seconds: float | None = None  # time of the last job that printed
        self._ids = itertools.count(1)
        self._pending: dict[int, PrintJob] = {}
        self._failed: dict[int, PrintJob] = {}
        self._auto_seen: set[int] = set()  # guests given an auto job in this session
        self._thread = QThread()
        self._thread.setObjectName("badge-printer")
        self._worker = _Worker(record, already_printed, badge_for)
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._submit.connect(self._worker.run)
        self._worker.started.connect(self.job_started)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._worker.skipped.connect(self._on_skipped)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:  # a running QThread must not outlive the app
            app.aboutToQuit.connect(self.close)

    @classmethod
    def for_database(
        cls,
        db: Database,
        target: PrintTarget | None = None,
        template: BadgeTemplate | None = None,
        parent: QObject | None = None,
    ) -> PrintQueue:
        """Wired to the print log and the guest data (the hooks open their own sessions)."""
        from checkin.badges import printlog
        from checkin.badges.lookup import badge_for_registration

        return cls(
            target,
            template,
            record=functools.partial(printlog.record_print, db),
            already_printed=functools.partial(printlog.was_printed, db),
            badge_for=functools.partial(badge_for_registration, db),
            parent=parent,
        )

    # -- asking for badges -------------------------------------------------------------

    def submit(
        self,
        registration_id: int,
        kind: str = PrintKind.REPRINT,
        *,
        pdf: bytes | None = None,
        badge: BadgeData | None = None,
        template: BadgeTemplate | None = None,
    ) -> int:
        job = PrintJob(
            next(self._ids),
            registration_id,
            str(PrintKind(kind)),
            pdf=pdf,
            badge=badge,
            template=template or self.template,
        )
        self._send(job)
        return job.id

    def submit_batch(
        self, pdf: bytes, registration_ids: tuple[int, ...], template: BadgeTemplate | None
    ) -> int:
        """A stack of badges as one job; the print log gets a ``batch`` line for each guest."""
        first = registration_ids[0] if registration_ids else 0
        job = PrintJob(
            next(self._ids),
            first,
            str(PrintKind.BATCH),
            pdf=pdf,
            template=template or self.template,
            batch_ids=tuple(registration_ids),
        )
        self._send(job)
        return job.id

    def auto_print(self, registration_id: int, badge: BadgeData | None = None) -> int | None:
        """At check-in: once per guest (this session, and per the print log). None: skipped."""
        if registration_id in self._auto_seen:
            return None
        self._auto_seen.add(registration_id)
        return self.submit(registration_id, PrintKind.AUTO, badge=badge)

    def reprint(self, registration_id: int, badge: BadgeData | None = None) -> int:
        """Deliberate: always prints, and is logged as a reprint."""
        return self.submit(registration_id, PrintKind.REPRINT, badge=badge)

    # -- when things go wrong ------------------------------------------------------------

    def set_target(self, target: PrintTarget) -> None:
        """Another printer for the jobs queued from now on and for retries."""
        self.target = target

    def retry_failed(self) -> int:
        """Queue every failed job again (on the current target); returns how many."""
        jobs = sorted(self._failed.values(), key=lambda j: j.id)
        self._failed.clear()
        for job in jobs:
            self._send(replace(job, attempts=job.attempts + 1))
        return len(jobs)

    def failed_jobs(self) -> list[PrintJob]:
        return sorted(self._failed.values(), key=lambda j: j.id)

    @property
    def pending(self) -> int:
        return len(self._pending)

    @property
    def failed(self) -> int:
        return len(self._failed)

    def close(self, timeout_ms: int = 10_000) -> None:
        """Stop the print thread after the job in hand. Jobs still queued are dropped: check
        ``pending`` and ``failed`` first if they matter."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(timeout_ms)

    # -- internals -------------------------------------------------------------------------

    def _send(self, job: PrintJob) -> None:
        self._pending[job.id] = job
        self._changed()
        self._submit.emit(job, self.target)

    def _changed(self) -> None:
        self.queue_changed.emit(len(self._pending), len(self._failed))

    @Slot(int, int, str, float)
    def _on_done(self, job_id: int, registration_id: int, printer: str, seconds: float) -> None:
        self._pending.pop(job_id, None)
        self.last_seconds = seconds
        log.info("badge job %s printed on %s in %.0f ms", job_id, printer, seconds * 1000)
        self._changed()
        self.job_done.emit(job_id, registration_id)

    @Slot(int, str)
    def _on_failed(self, job_id: int, message: str) -> None:
        job = self._pending.pop(job_id, None)
        if job is not None:
            self._failed[job_id] = replace(job, error=message)
        self._changed()
        self.job_failed.emit(job_id, message)

    @Slot(int, int)
    def _on_skipped(self, job_id: int, registration_id: int) -> None:
        self._pending.pop(job_id, None)
        self._changed()
        self.job_skipped.emit(job_id, registration_id)
