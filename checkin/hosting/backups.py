"""Backup hosts: regulars who offered to welcome if needed, and the proposal at the door.

A backup is a Host row with ``backup`` set: they do not host until a volunteer enlists them
(``enlisted_at``), then they host like any host (capacity 1 unless set). A backup is
proposed for the next newcomer without one when someone has waited longer than the event's
``backup_after_s`` (default 60 s) or the queue is longer than the free slots.

The best backup for that newcomer: present and not yet enlisted, most shared interests
(a shared profession counts as one more), then here longest, then lowest id.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin import changes
from checkin.changes import HostsChanged
from checkin.door.outcomes import BackupProposal
from checkin.hosting.policy import _count_tags, _present, host_ref, newcomer
from checkin.hosting.wait import free_slots
from checkin.store.models import Event, Host, Person, QueueEntry, Registration
from checkin.timeutil import as_utc

_SHARED = _count_tags("tags")


_OPEN = (QueueEntry.resolved_at.is_(None),)


def _waiting_count(session: Session, event_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(QueueEntry.id)).where(QueueEntry.event_id == event_id, *_OPEN)
        )
    )


def _waiting_at(session: Session, event_id: int, place: int) -> tuple[int, dt.datetime]:
    """The newcomer at ``place`` (0 = the front) of the queue, and when they arrived."""
    rid, at = session.execute(
        select(QueueEntry.newcomer_id, QueueEntry.arrived_at)
        .where(QueueEntry.event_id == event_id, *_OPEN)
        .order_by(QueueEntry.queued_at, QueueEntry.id)
        .offset(place)
        .limit(1)
    ).one()
    return rid, as_utc(at)


def best_backup(
    session: Session, event_id: int, newcomer_id: int, asked: set[int] = frozenset()
) -> int | None:
    """The host id of the best present, not yet enlisted backup for this newcomer."""
    nc = newcomer(session, newcomer_id)
    stmt = (
        select(Host.id)
        .join(Registration, Registration.id == Host.registration_id)
        .where(
            Host.event_id == event_id,
            Host.active.is_(True),
            Host.backup.is_(True),
            Host.enlisted_at.is_(None),
            _present(),
            Host.id.not_in(sorted(asked) or [0]),
        )
        .order_by(_SHARED.desc(), Registration.checked_in_at, Host.id)
        .limit(1)
    )
    return session.execute(stmt, {"tags": nc.tags or [""]}).scalar()


def propose(
    session: Session, event_id: int, now: dt.datetime, asked: set[int] = frozenset()
) -> BackupProposal | None:
    """Whom to enlist now, for whom, or None when nobody needs one (or no backup is here).

    ``asked``: backups already asked and on their way; each covers one waiting newcomer, so
    the proposal is for the next one still uncovered.
    """
    waiting = _waiting_count(session, event_id)  # counted, not read: the queue can be long
    if waiting <= len(asked):
        return None
    threshold = session.scalar(select(Event.backup_after_s).where(Event.id == event_id)) or 60
    rid, arrived = _waiting_at(session, event_id, len(asked))
    waited = max(0, int((as_utc(now) - arrived).total_seconds()))
    short = waiting > free_slots(session, event_id) + len(asked)
    if not short and waited < threshold:
        return None
    host_id = best_backup(session, event_id, rid, asked)
    if host_id is None:
        return None
    nc = newcomer(session, rid)
    ref = host_ref(session, host_id, nc)
    first, last, code = session.execute(
        select(Person.first_name, Person.last_name, Registration.code)
        .join(Registration, Registration.person_id == Person.id)
        .where(Registration.id == rid)
    ).one()
    name = f"{first} {last}".strip()
    return BackupProposal(ref, rid, name, code, waited)


def backups_here(session: Session, event_id: int) -> int:
    """Backups present and not yet enlisted (whom the door could still ask)."""
    return int(
        session.scalar(
            select(func.count(Host.id))
            .join(Registration, Registration.id == Host.registration_id)
            .where(
                Host.event_id == event_id,
                Host.active.is_(True),
                Host.backup.is_(True),
                Host.enlisted_at.is_(None),
                _present(),
            )
        )
    )


def enlist(session: Session, host: Host, now: dt.datetime) -> None:
    """The backup said yes: from now on they host like any host."""
    if host.enlisted_at is None:
        host.enlisted_at = now
        session.flush()
        changes.note(session, HostsChanged(host.event_id, host.id))
