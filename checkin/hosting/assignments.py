"""Making and ending assignments, and the queue of newcomers waiting for a host.

Every change here is noted as a change record (``checkin.changes``), so the journal, the
board and the hosts' phones learn exactly what an action did.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from checkin import changes
from checkin.changes import AssignmentChanged, QueueChanged
from checkin.door.outcomes import HostRef, Introduction
from checkin.hosting import backups, pairs
from checkin.hosting.policy import (
    Newcomer,
    _display,
    _present,
    best_host,
    host_on_arrival,
    host_ref,
    hosting_now,
    introductions,
    lock_event,
    newcomer,
)
from checkin.hosting.wait import QueueTruth, queue_truth
from checkin.store.models import Assignment, Host, Person, QueueEntry, Registration
from checkin.text import split_tags

# Someone a host leaves behind goes back ahead of everyone who is merely waiting.
FRONT_OF_QUEUE = dt.timedelta(days=1)


_NEW_ASSIGNMENT = insert(Assignment).returning(Assignment.id)


_HOST_TAKES_ONE = (
    update(Host)
    .where(Host.id == bindparam("b_host"))
    .values(last_assigned_at=bindparam("b_now"), load=Host.load + 1)
)


def assign(
    session: Session,
    event_id: int,
    nc: Newcomer,
    host_id: int,
    score: int,
    now: dt.datetime,
    device: str,
    pair_of: int | None = None,
    ref: HostRef | None = None,
) -> tuple[HostRef, tuple[Introduction, ...]]:
    """Give the newcomer this host; with ``pair_of``, they join that assignment's
    conversation (the other newcomer is introduced first, and no new slot is taken).
    ``ref``: the host as already read with them (else read here)."""
    ref = ref or host_ref(session, host_id, nc)
    conn = session.connection()
    skip = {ref.registration_id}
    partner = ()
    if pair_of is not None:
        other = conn.execute(
            select(Assignment.newcomer_id).where(Assignment.id == pair_of)
        ).scalar_one()
        partner = stored_introductions(session, nc.registration_id, only=(other,))
        skip.add(other)
    intros = (*partner, *introductions(session, event_id, nc, skip))[:3]
    intro_ids = tuple(i.registration_id for i in intros)
    shared = ", ".join(ref.shared_interests)
    assignment_id = conn.execute(
        _NEW_ASSIGNMENT,
        {
            "event_id": event_id,
            "newcomer_id": nc.registration_id,
            "host_id": host_id,
            "status": "active",
            "created_at": now,
            "device": device,
            "introductions": intro_ids,
            "score": score,
            "shared_interests": shared,
            "pair_of": pair_of,
        },
    ).scalar_one()
    if pair_of is None:
        conn.execute(_HOST_TAKES_ONE, {"b_host": host_id, "b_now": now})
    changes.note(
        session,
        AssignmentChanged(
            assignment_id,
            event_id,
            nc.registration_id,
            host_id,
            ref.registration_id,
            "active",
            now,
            None,
            device,
            intro_ids,
            shared,
            score,
        ),
    )
    return ref, intros


def newcomer_arrived(
    session: Session,
    event_id: int,
    registration_id: int,
    now: dt.datetime,
    device: str,
    nc: Newcomer | None = None,
) -> tuple[HostRef | None, bool, tuple[Introduction, ...], QueueTruth | None]:
    """Give a just-checked-in first-timer a host, or queue them.

    Returns (host, queued, intros, truth): ``truth`` is set for a queued newcomer (hosts
    here, place in the queue, estimated wait) so the door tells them what is true.
    ``nc``: the newcomer as the door already read them.
    """
    lock_event(session, event_id)
    nc = nc or newcomer(session, registration_id)
    # Anyone already waiting goes first: a newcomer never jumps the queue.
    best = host_on_arrival(session, event_id, nc)
    if best is not None:
        score, host = best
        ref, intros = assign(session, event_id, nc, host.host_id, score, now, device, ref=host)
        return ref, False, intros, None
    session.add(
        QueueEntry(event_id=event_id, newcomer_id=registration_id, queued_at=now, arrived_at=now)
    )
    session.flush()
    changes.note(session, QueueChanged(event_id, registration_id, waiting=True))
    serve_queue(session, event_id, now, device)
    current = active_host(session, registration_id)
    if current is not None:
        return current, False, stored_introductions(session, registration_id), None
    truth = waiting_truth(session, event_id, registration_id, now)
    return None, True, introductions(session, event_id, nc, set()), truth


def waiting_truth(
    session: Session, event_id: int, registration_id: int, now: dt.datetime
) -> QueueTruth:
    """What the door says to a newcomer who waits: hosts here, place, wait, whom to enlist."""
    truth = queue_truth(session, event_id, registration_id)
    proposal = backups.propose(session, event_id, now)
    return dataclasses.replace(truth, backup_proposal=proposal)


def _has_room(session: Session, event_id: int) -> bool:
    return (
        session.scalar(
            select(Host.id)
            .join(Registration, Registration.id == Host.registration_id)
            .where(
                Host.event_id == event_id,
                hosting_now(),
                Host.load < Host.capacity,
                _present(),
            )
            .limit(1)
        )
        is not None
    )


def serve_queue(session: Session, event_id: int, now: dt.datetime, device: str = "") -> int:
    """Give waiting newcomers hosts, front of the queue first. Returns how many were served.

    With pairs allowed, a newcomer no free host can take joins a conversation with another
    newcomer who shares an interest (checkin/hosting/pairs.py).
    """
    # When hosts run short every scan queues another newcomer: with no room and no pairs
    # nobody can be served, and the queue (hundreds, late on) is not read at all.
    room = _has_room(session, event_id)
    with_pairs = pairs.pairs_allowed(session, event_id)
    if not room and not with_pairs:
        return 0
    waiting = session.scalars(
        select(QueueEntry)
        .where(QueueEntry.event_id == event_id, QueueEntry.resolved_at.is_(None))
        .order_by(QueueEntry.queued_at, QueueEntry.id)
    ).all()
    served = 0
    for n, entry in enumerate(waiting):
        room = room if n == 0 else _has_room(session, event_id)
        if not room and not with_pairs:
            break
        nc = newcomer(session, entry.newcomer_id)
        released_by = _released_by(session, entry.newcomer_id)
        best = best_host(session, event_id, nc, released_by) if room else None
        if best is not None:
            assign(session, event_id, nc, best[0], best[1], now, device)
        elif with_pairs and (pair := pairs.best_pair(session, event_id, nc, released_by)):
            assign(session, event_id, nc, pair[1], 0, now, device, pair_of=pair[0])
        else:
            continue  # only hosts who released this newcomer have room; the next may fit
        entry.resolved_at = now
        changes.note(session, QueueChanged(event_id, entry.newcomer_id, waiting=False))
        served += 1
    session.flush()
    return served


def _released_by(session: Session, newcomer_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Assignment.host_id).where(
                Assignment.newcomer_id == newcomer_id, Assignment.status == "released"
            )
        )
    )


def active_assignment(session: Session, newcomer_id: int) -> Assignment | None:
    return session.scalar(
        select(Assignment).where(
            Assignment.newcomer_id == newcomer_id, Assignment.status == "active"
        )
    )


def active_host(session: Session, newcomer_id: int) -> HostRef | None:
    a = active_assignment(session, newcomer_id)
    if a is None:
        return None
    ref = host_ref(session, a.host_id)
    return HostRef(
        ref.host_id,
        ref.registration_id,
        ref.name,
        ref.code,
        ref.company,
        split_tags(a.shared_interests),
    )


def stored_introductions(
    session: Session, newcomer_id: int, only: tuple[int, ...] | None = None
) -> tuple[Introduction, ...]:
    """The people the newcomer's host introduces them to (or, with ``only``, these people)."""
    if only is None:
        a = active_assignment(session, newcomer_id)
        if a is None or not a.introductions:
            return ()
        ids = list(a.introductions)
    else:
        ids = list(only)
    nc = newcomer(session, newcomer_id)
    rows = session.execute(
        select(
            Registration.id, Person.first_name, Person.last_name, Person.company, Person.interests
        )
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.id.in_(ids))
    ).all()
    by_id = {r[0]: r for r in rows}
    out = []
    for reg_id in ids:
        if reg_id not in by_id:
            continue
        _, first, last, company, interests = by_id[reg_id]
        theirs = _display(interests)
        shared = tuple(v for k, v in nc.interests.items() if k in theirs)
        out.append(Introduction(reg_id, f"{first} {last}".strip(), company, shared))
    return tuple(out)


def open_queue_entry(session: Session, newcomer_id: int) -> QueueEntry | None:
    return session.scalar(
        select(QueueEntry).where(
            QueueEntry.newcomer_id == newcomer_id, QueueEntry.resolved_at.is_(None)
        )
    )


def leave_queue(session: Session, event_id: int, newcomer_id: int, now: dt.datetime) -> None:
    """The newcomer no longer waits (they got a host by hand, left, or were undone)."""
    entry = open_queue_entry(session, newcomer_id)
    if entry is not None:
        entry.resolved_at = now
        changes.note(session, QueueChanged(event_id, newcomer_id, waiting=False))


def end_assignment(session: Session, a: Assignment, status: str, now: dt.datetime) -> None:
    # A pair's slot stays taken while the other newcomer is still in the conversation.
    if a.status == "active" and not pairs.in_conversation_with(session, a):
        session.execute(update(Host).where(Host.id == a.host_id).values(load=Host.load - 1))
    a.status = status
    a.ended_at = now
    session.flush()
    changes.note(session, assignment_changed(session, a))


def assignment_changed(session: Session, a: Assignment) -> AssignmentChanged:
    host = session.get(Host, a.host_id)
    return AssignmentChanged(
        a.id,
        a.event_id,
        a.newcomer_id,
        a.host_id,
        host.registration_id if host is not None else 0,
        a.status,
        a.created_at,
        a.ended_at,
        a.device or "",
        tuple(a.introductions),
        a.shared_interests or "",
        a.score or 0,
    )


def requeue_front(
    session: Session, event_id: int, newcomer_id: int, now: dt.datetime, reason: str
) -> None:
    """Put a newcomer back at the front: ahead of plain arrivals, in order of arrival."""
    first = session.scalar(
        select(QueueEntry.arrived_at)
        .where(QueueEntry.newcomer_id == newcomer_id)
        .order_by(QueueEntry.arrived_at)
        .limit(1)
    )
    checked_in = session.scalar(
        select(Registration.checked_in_at).where(Registration.id == newcomer_id)
    )
    arrived = first or checked_in or now
    session.add(
        QueueEntry(
            event_id=event_id,
            newcomer_id=newcomer_id,
            queued_at=arrived - FRONT_OF_QUEUE,
            arrived_at=arrived,
            reason=reason,
        )
    )
    session.flush()
    changes.note(session, QueueChanged(event_id, newcomer_id, waiting=True))


def person_left(
    session: Session, event_id: int, registration_id: int, now: dt.datetime, status: str
) -> None:
    """A guest left (checked out) or their check-in was undone: tidy up hosting.

    A newcomer's assignment or queue place ends. A host's newcomers go back to the front
    of the queue and are served by whoever has room.
    """
    lock_event(session, event_id)
    a = active_assignment(session, registration_id)
    if a is not None:
        end_assignment(session, a, status, now)
    leave_queue(session, event_id, registration_id, now)
    host = session.scalar(select(Host).where(Host.registration_id == registration_id))
    if host is not None:
        for a in session.scalars(
            select(Assignment)
            .where(Assignment.host_id == host.id, Assignment.status == "active")
            .order_by(Assignment.created_at, Assignment.id)
        ).all():
            end_assignment(session, a, "host_left", now)
            requeue_front(session, event_id, a.newcomer_id, now, "host_left")
    session.flush()
    serve_queue(session, event_id, now)


def host_arrived(session: Session, event_id: int, now: dt.datetime, device: str) -> int:
    lock_event(session, event_id)
    return serve_queue(session, event_id, now, device)
