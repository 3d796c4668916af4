"""The door's live counters: checked in / expected, first-timers, waiting for a host."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from checkin.events import find_event
from checkin.store.db import Database
from checkin.store.models import Host, QueueEntry, Registration


@dataclass(frozen=True)
class Counters:
    expected: int  # registered, not cancelled
    checked_in: int
    first_timers: int  # checked in and new to the group
    waiting_for_host: int
    hosts_present: int

    def as_json(self) -> dict:
        return dict(self.__dict__)


def counters(db: Database, event: str | int) -> Counters:
    with db.read() as s:
        ev = find_event(s, event)
        present = Registration.checked_in_at.is_not(None)
        expected, checked_in, first = s.execute(
            select(
                func.sum(case((Registration.status != "cancelled", 1), else_=0)),
                func.sum(case((present, 1), else_=0)),
                func.sum(case((present & Registration.first_time.is_(True), 1), else_=0)),
            ).where(Registration.event_id == ev.id)
        ).one()
        waiting = s.scalar(
            select(func.count())
            .select_from(QueueEntry)
            .where(QueueEntry.event_id == ev.id, QueueEntry.resolved_at.is_(None))
        )
        hosts = s.scalar(
            select(func.count())
            .select_from(Host)
            .join(Registration, Registration.id == Host.registration_id)
            .where(
                Host.event_id == ev.id,
                Host.active.is_(True),
                present,
                Registration.checked_out_at.is_(None),
            )
        )
    return Counters(expected or 0, checked_in or 0, first or 0, waiting or 0, hosts or 0)
