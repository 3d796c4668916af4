"""The badge print log: every print attempt is a row, so auto-print prints a guest once.

Auto-print at the door asks ``should_auto_print`` before printing. Any badge already *sent*
for the guest (auto, a deliberate reprint, or a pre-printed batch) means they have one, so
the door does not print another; a *failed* attempt does not count, so the badge is still due.
A PDF file written by ``checkin badges`` is not a print and is not logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import exists, func, insert, select

from checkin.errors import InvalidInput
from checkin.events import find_event
from checkin.store.db import Database
from checkin.store.models import PrintLog, Registration
from checkin.timeutil import utcnow


class PrintKind(StrEnum):
    AUTO = "auto"  # printed by the door at check-in
    REPRINT = "reprint"  # asked for by a person (lost badge, typo fixed)
    BATCH = "batch"  # a stack printed ahead of time
    SLIP = "slip"  # a host's slip about their new newcomer (not a badge)


BADGE_KINDS = (PrintKind.AUTO, PrintKind.REPRINT, PrintKind.BATCH)


class PrintStatus(StrEnum):
    SENT = "sent"  # handed to the printer (print system accepted the job)
    FAILED = "failed"


@dataclass(frozen=True)
class PrintRecord:
    registration_id: int
    at: dt.datetime
    kind: PrintKind
    printer: str
    status: PrintStatus
    detail: str

    def as_json(self) -> dict:
        return {
            "registration_id": self.registration_id,
            "at": self.at.isoformat(),
            "kind": str(self.kind),
            "printer": self.printer,
            "status": str(self.status),
            "detail": self.detail,
        }


def _kind(value: str) -> PrintKind:
    try:
        return PrintKind(value)
    except ValueError:
        raise InvalidInput(f"print kind must be auto, reprint or batch, got {value!r}") from None


def _status(value: str) -> PrintStatus:
    try:
        return PrintStatus(value)
    except ValueError:
        raise InvalidInput(f"print status must be sent or failed, got {value!r}") from None


def record_print(
    db: Database,
    registration_id: int,
    kind: str,
    printer: str,
    status: str = PrintStatus.SENT,
    detail: str = "",
) -> None:
    """Log one print attempt. The argument order matches the print queue's ``record`` hook,
    so ``functools.partial(record_print, db)`` is one."""
    record_prints(db, [registration_id], kind, printer, status, detail)


def record_prints(
    db: Database,
    registration_ids: Iterable[int],
    kind: str,
    printer: str,
    status: str = PrintStatus.SENT,
    detail: str = "",
    *,
    at: dt.datetime | None = None,
) -> int:
    """Log one attempt for each guest (a batch is one job for many guests), in one transaction."""
    rows = [
        {
            "registration_id": rid,
            "at": at or utcnow(),
            "kind": str(_kind(kind)),
            "printer": printer[:200],
            "status": str(_status(status)),
            "detail": detail,
        }
        for rid in registration_ids
    ]
    if rows:
        with db.write() as session:
            session.execute(insert(PrintLog), rows)
    return len(rows)


def was_printed(db: Database, registration_id: int, kinds: Iterable[str] = BADGE_KINDS) -> bool:
    """True when a badge of one of ``kinds`` was sent to a printer for this guest."""
    wanted = [str(_kind(k)) for k in kinds]
    with db.read() as session:
        return bool(
            session.scalar(
                select(
                    exists().where(
                        PrintLog.registration_id == registration_id,
                        PrintLog.status == PrintStatus.SENT.value,
                        PrintLog.kind.in_(wanted),
                    )
                )
            )
        )


def should_auto_print(db: Database, registration_id: int) -> bool:
    """Auto-print gives a guest one badge: not when any badge was already sent for them."""
    return not was_printed(db, registration_id)


def history(db: Database, registration_id: int) -> list[PrintRecord]:
    """Every attempt for one guest, oldest first (for "printed at 18:03 on Door 1")."""
    with db.read() as session:
        rows = session.execute(
            select(
                PrintLog.registration_id,
                PrintLog.at,
                PrintLog.kind,
                PrintLog.printer,
                PrintLog.status,
                PrintLog.detail,
            )
            .where(PrintLog.registration_id == registration_id)
            .order_by(PrintLog.at, PrintLog.id)
        ).all()
    return [
        PrintRecord(rid, at, PrintKind(kind), printer, PrintStatus(status), detail)
        for rid, at, kind, printer, status, detail in rows
    ]


def still_due(db: Database, event: str | int) -> list[int]:
    """Guests whose last print attempt failed and who have no badge sent since the failure.

    The print queue keeps failed jobs in memory; after a restart this finds them again.
    """
    with db.read() as session:
        ev = find_event(session, event)
        last_failure = (
            select(PrintLog.registration_id, func.max(PrintLog.at).label("failed_at"))
            .join(Registration, Registration.id == PrintLog.registration_id)
            .where(Registration.event_id == ev.id, PrintLog.status == PrintStatus.FAILED.value)
            .group_by(PrintLog.registration_id)
            .subquery()
        )
        sent_since = exists().where(
            PrintLog.registration_id == last_failure.c.registration_id,
            PrintLog.status == PrintStatus.SENT.value,
            PrintLog.at >= last_failure.c.failed_at,
        )
        return list(
            session.scalars(
                select(last_failure.c.registration_id)
                .where(~sent_since)
                .order_by(last_failure.c.failed_at)
            )
        )
