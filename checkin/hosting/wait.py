"""The truth at the door for a queued newcomer: how many hosts are here, their place in the
queue, and about how long it will be — so the door never promises a host who cannot come.

The estimate: hosts free up one slot every (average conversation / slots) minutes, so the
n-th in the queue waits about n times that. The average is this evening's own met
conversations once there are a few, else the simulator's median (6 minutes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from checkin.door.outcomes import BackupProposal
from checkin.hosting.policy import _present, hosting_now
from checkin.store.models import Assignment, Host, QueueEntry, Registration
from checkin.timeutil import as_utc

DEFAULT_CONVERSATION_MIN = 6.0
SAMPLE = 20  # the last met conversations the estimate learns from


@dataclass(frozen=True)
class QueueTruth:
    hosts_present: int
    queue_position: int | None
    estimated_wait_min: int | None
    backup_proposal: BackupProposal | None = None

    def as_kwargs(self) -> dict:
        """The Outcome fields this fills."""
        return {
            "hosts_present": self.hosts_present,
            "queue_position": self.queue_position,
            "estimated_wait_min": self.estimated_wait_min,
            "backup_proposal": self.backup_proposal,
        }


def hosts_here(session: Session, event_id: int) -> tuple[int, int]:
    """(hosts welcoming here now, their slots in all)."""
    count, slots = session.execute(
        select(func.count(Host.id), func.coalesce(func.sum(Host.capacity), 0))
        .join(Registration, Registration.id == Host.registration_id)
        .where(Host.event_id == event_id, hosting_now(), _present())
    ).one()
    return int(count), int(slots)


def free_slots(session: Session, event_id: int) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Host.capacity - Host.load), 0))
            .join(Registration, Registration.id == Host.registration_id)
            .where(Host.event_id == event_id, hosting_now(), _present(), Host.load < Host.capacity)
        )
    )


def average_conversation_min(session: Session, event_id: int) -> float:
    rows = session.execute(
        select(Assignment.created_at, Assignment.ended_at)
        .where(Assignment.event_id == event_id, Assignment.status == "met")
        .order_by(Assignment.ended_at.desc())
        .limit(SAMPLE)
    ).all()
    if len(rows) < 3:
        return DEFAULT_CONVERSATION_MIN
    minutes = [(as_utc(e) - as_utc(c)).total_seconds() / 60 for c, e in rows if e and c]
    return max(1.0, sum(minutes) / len(minutes)) if minutes else DEFAULT_CONVERSATION_MIN


def queue_position(session: Session, event_id: int, newcomer_id: int) -> int | None:
    """1 for the front of the queue; counted in the database (the queue can be long)."""
    mine = session.execute(
        select(QueueEntry.queued_at, QueueEntry.id).where(
            QueueEntry.event_id == event_id,
            QueueEntry.newcomer_id == newcomer_id,
            QueueEntry.resolved_at.is_(None),
        )
    ).first()
    if mine is None:
        return None
    at, entry_id = mine
    ahead = session.scalar(
        select(func.count(QueueEntry.id)).where(
            QueueEntry.event_id == event_id,
            QueueEntry.resolved_at.is_(None),
            or_(
                QueueEntry.queued_at < at,
                and_(QueueEntry.queued_at == at, QueueEntry.id < entry_id),
            ),
        )
    )
    return int(ahead or 0) + 1


def queue_truth(session: Session, event_id: int, newcomer_id: int) -> QueueTruth:
    hosts, slots = hosts_here(session, event_id)
    position = queue_position(session, event_id, newcomer_id)
    estimate = None
    if slots and position is not None:
        per_slot = average_conversation_min(session, event_id) / slots
        estimate = max(1, math.ceil(position * per_slot))
    return QueueTruth(hosts, position, estimate)
