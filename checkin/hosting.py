"""Welcoming hosts: every first-timer gets a host who is here, has room and shares interests.

All functions here run inside the caller's write transaction (the check-in's, or a host
action's), after the event row has been locked, so two doors on one PostgreSQL database
never both give a host their last free slot. On SQLite the write transaction itself
(``BEGIN IMMEDIATE``) serialises them.

The choice of host is a plain sort, best first (see docs/hosting.md):

1. most shared interests, counting a shared profession/industry as one more;
2. a shared language (only when the newcomer listed languages);
3. fewest current newcomers;
4. longest since their last newcomer (never had one = longest);
5. lowest host id, so the same inputs always give the same answer.

A host who is full, not checked in, checked out, or who released this newcomer before, is
never chosen. With no host free the newcomer waits in a first-come queue; whenever a host
arrives or a slot frees up, the queue is served from the front.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from checkin.models import Assignment, Event, Host, Person, PersonTag, QueueEntry, Registration
from checkin.outcomes import HostRef, Introduction
from checkin.text import fold, split_tags

MAX_INTRODUCTIONS = 3
# Someone a host leaves behind goes back ahead of everyone who is merely waiting.
FRONT_OF_QUEUE = dt.timedelta(days=1)


@dataclass(frozen=True)
class _Candidate:
    host_id: int
    registration_id: int
    name: str
    code: str
    company: str | None
    interests: dict[str, str]  # folded -> as written
    languages: frozenset[str]
    profession: str | None
    capacity: int
    load: int
    last_assigned_at: dt.datetime | None


@dataclass(frozen=True)
class _Newcomer:
    registration_id: int
    person_id: int
    company: str | None
    interests: dict[str, str]
    languages: frozenset[str]
    profession: str | None


def lock_event(session: Session, event_id: int) -> None:
    """Serialise hosting changes of one event across doors (a no-op lock on SQLite).

    FOR NO KEY UPDATE, because every check-in row references the event: its foreign-key
    check holds KEY SHARE on the event row, which a plain FOR UPDATE would deadlock against.
    """
    session.execute(select(Event.id).where(Event.id == event_id).with_for_update(key_share=True))


def _tags(text: str | None) -> dict[str, str]:
    return {fold(t): t for t in split_tags(text)}


def _present_hosts(session: Session, event_id: int) -> list[_Candidate]:
    load = (
        select(Assignment.host_id, func.count().label("n"))
        .where(Assignment.event_id == event_id, Assignment.status == "active")
        .group_by(Assignment.host_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Host.id,
            Host.registration_id,
            Host.capacity,
            Host.interests,
            Host.languages,
            Host.last_assigned_at,
            Registration.code,
            Person.first_name,
            Person.last_name,
            Person.company,
            Person.interests,
            Person.languages,
            Person.profession,
            func.coalesce(load.c.n, 0),
        )
        .join(Registration, Registration.id == Host.registration_id)
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(load, load.c.host_id == Host.id)
        .where(
            Host.event_id == event_id,
            Host.active.is_(True),
            Registration.checked_in_at.is_not(None),
            Registration.checked_out_at.is_(None),
        )
    ).all()
    return [
        _Candidate(
            host_id=r[0],
            registration_id=r[1],
            capacity=r[2],
            interests=_tags(r[3] or r[10]),
            languages=frozenset(_tags(r[4] or r[11])),
            last_assigned_at=r[5],
            code=r[6],
            name=" ".join(p for p in (r[7], r[8]) if p),
            company=r[9],
            profession=fold(r[12]) if r[12] else None,
            load=r[13],
        )
        for r in rows
    ]


def _newcomer(session: Session, registration_id: int) -> _Newcomer:
    reg = session.get(Registration, registration_id)
    assert reg is not None
    p = reg.person
    return _Newcomer(
        registration_id=reg.id,
        person_id=p.id,
        company=p.company,
        interests=_tags(p.interests),
        languages=frozenset(_tags(p.languages)),
        profession=fold(p.profession) if p.profession else None,
    )


def _rank(newcomer: _Newcomer, host: _Candidate) -> tuple:
    shared = len(newcomer.interests.keys() & host.interests.keys())
    if newcomer.profession and newcomer.profession == host.profession:
        shared += 1
    language = 1 if newcomer.languages & host.languages else 0
    since = host.last_assigned_at or dt.datetime.min.replace(tzinfo=dt.UTC)
    return (-shared, -language, host.load, since, host.host_id)


def best_host(
    newcomer: _Newcomer, hosts: list[_Candidate], excluded: set[int]
) -> _Candidate | None:
    free = [h for h in hosts if h.load < h.capacity and h.host_id not in excluded]
    return min(free, key=lambda h: _rank(newcomer, h)) if free else None


def _released_by(session: Session, newcomer_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Assignment.host_id).where(
                Assignment.newcomer_id == newcomer_id, Assignment.status == "released"
            )
        )
    )


def _host_ref(host: _Candidate, newcomer: _Newcomer) -> HostRef:
    shared = tuple(host.interests[k] for k in newcomer.interests.keys() & host.interests.keys())
    return HostRef(host.host_id, host.registration_id, host.name, host.code, host.company, shared)


def introductions(
    session: Session, event_id: int, newcomer: _Newcomer, exclude: set[int]
) -> tuple[Introduction, ...]:
    """Up to 3 people here now to meet: shared interests first, never the same company.

    When fewer than 3 share an interest, regulars who arrived most recently fill the rest
    (a host can always introduce a newcomer to someone who knows the group).
    """
    present = (
        Registration.event_id == event_id,
        Registration.checked_in_at.is_not(None),
        Registration.checked_out_at.is_(None),
        Registration.id.not_in(exclude | {newcomer.registration_id}),
    )
    company = fold(newcomer.company) if newcomer.company else None
    chosen: list[Introduction] = []

    def consider(rows) -> None:
        for reg_id, first, last, their_company, interests in rows:
            if len(chosen) >= MAX_INTRODUCTIONS:
                return
            if company and their_company and fold(their_company) == company:
                continue
            if any(c.registration_id == reg_id for c in chosen):
                continue
            theirs = _tags(interests)
            shared = tuple(theirs[k] for k in newcomer.interests.keys() & theirs.keys())
            name = " ".join(p for p in (first, last) if p)
            chosen.append(Introduction(reg_id, name, their_company, shared))

    cols = (
        Registration.id,
        Person.first_name,
        Person.last_name,
        Person.company,
        Person.interests,
    )
    if newcomer.interests:
        shared_count = func.count(PersonTag.tag).label("shared")
        rows = session.execute(
            select(*cols)
            .join(Person, Person.id == Registration.person_id)
            .join(PersonTag, PersonTag.person_id == Person.id)
            .where(*present, PersonTag.tag.in_(list(newcomer.interests)))
            .group_by(*cols, Registration.checked_in_at)
            .order_by(shared_count.desc(), Registration.checked_in_at, Registration.id)
            .limit(12)
        ).all()
        consider(rows)
    if len(chosen) < MAX_INTRODUCTIONS:
        rows = session.execute(
            select(*cols)
            .join(Person, Person.id == Registration.person_id)
            .where(*present, Registration.first_time.is_(False))
            .order_by(Registration.checked_in_at.desc(), Registration.id)
            .limit(12)
        ).all()
        consider(rows)
    return tuple(chosen)


def _assign(
    session: Session,
    event_id: int,
    newcomer: _Newcomer,
    host: _Candidate,
    now: dt.datetime,
    device: str,
) -> tuple[HostRef, tuple[Introduction, ...]]:
    intros = introductions(session, event_id, newcomer, {host.registration_id})
    ref = _host_ref(host, newcomer)
    session.add(
        Assignment(
            event_id=event_id,
            newcomer_id=newcomer.registration_id,
            host_id=host.host_id,
            status="active",
            created_at=now,
            device=device,
            introductions=",".join(str(i.registration_id) for i in intros),
            score=-_rank(newcomer, host)[0],
            shared_interests=", ".join(ref.shared_interests),
        )
    )
    session.execute(update(Host).where(Host.id == host.host_id).values(last_assigned_at=now))
    session.flush()
    return ref, intros


def newcomer_arrived(
    session: Session, event_id: int, registration_id: int, now: dt.datetime, device: str
) -> tuple[HostRef | None, bool, tuple[Introduction, ...]]:
    """Give a just-checked-in first-timer a host, or queue them. Returns (host, queued, intros)."""
    lock_event(session, event_id)
    newcomer = _newcomer(session, registration_id)
    # Anyone already waiting goes first: a newcomer never jumps the queue.
    if _queue_length(session, event_id) == 0:
        host = best_host(newcomer, _present_hosts(session, event_id), set())
        if host is not None:
            ref, intros = _assign(session, event_id, newcomer, host, now, device)
            return ref, False, intros
    session.add(
        QueueEntry(event_id=event_id, newcomer_id=registration_id, queued_at=now, arrived_at=now)
    )
    session.flush()
    serve_queue(session, event_id, now, device)
    current = active_host(session, registration_id)
    if current is not None:
        return current, False, _stored_introductions(session, registration_id)
    return None, True, introductions(session, event_id, newcomer, set())


def _queue_length(session: Session, event_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(QueueEntry)
            .where(QueueEntry.event_id == event_id, QueueEntry.resolved_at.is_(None))
        )
        or 0
    )


def serve_queue(session: Session, event_id: int, now: dt.datetime, device: str = "") -> int:
    """Give waiting newcomers hosts, front of the queue first. Returns how many were served."""
    waiting = session.scalars(
        select(QueueEntry)
        .where(QueueEntry.event_id == event_id, QueueEntry.resolved_at.is_(None))
        .order_by(QueueEntry.queued_at, QueueEntry.id)
    ).all()
    if not waiting:
        return 0
    hosts = _present_hosts(session, event_id)
    served = 0
    for entry in waiting:
        if not any(h.load < h.capacity for h in hosts):
            break
        newcomer = _newcomer(session, entry.newcomer_id)
        host = best_host(newcomer, hosts, _released_by(session, entry.newcomer_id))
        if host is None:
            continue  # only hosts who released this newcomer have room; the next may fit
        _assign(session, event_id, newcomer, host, now, device)
        entry.resolved_at = now
        hosts = [_with_load(h, h.load + 1, now) if h.host_id == host.host_id else h for h in hosts]
        served += 1
    session.flush()
    return served


def _with_load(h: _Candidate, load: int, now: dt.datetime) -> _Candidate:
    return _Candidate(**{**h.__dict__, "load": load, "last_assigned_at": now})


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
    host = session.get(Host, a.host_id)
    assert host is not None
    p = host.registration.person
    shared = tuple(split_tags(a.shared_interests))
    return HostRef(
        host.id, host.registration_id, p.full_name, host.registration.code, p.company, shared
    )


def _stored_introductions(session: Session, newcomer_id: int) -> tuple[Introduction, ...]:
    a = active_assignment(session, newcomer_id)
    if a is None or not a.introductions:
        return ()
    ids = [int(x) for x in a.introductions.split(",") if x]
    newcomer = _newcomer(session, newcomer_id)
    out = []
    for reg_id in ids:
        reg = session.get(Registration, reg_id)
        if reg is None:
            continue
        theirs = _tags(reg.person.interests)
        shared = tuple(theirs[k] for k in newcomer.interests.keys() & theirs.keys())
        out.append(Introduction(reg_id, reg.person.full_name, reg.person.company, shared))
    return tuple(out)


def open_queue_entry(session: Session, newcomer_id: int) -> QueueEntry | None:
    return session.scalar(
        select(QueueEntry).where(
            QueueEntry.newcomer_id == newcomer_id, QueueEntry.resolved_at.is_(None)
        )
    )


def end_assignment(session: Session, a: Assignment, status: str, now: dt.datetime) -> None:
    a.status = status
    a.ended_at = now
    session.flush()


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
    reg = session.get(Registration, newcomer_id)
    arrived = first or (reg.checked_in_at if reg and reg.checked_in_at else now)
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
    entry = open_queue_entry(session, registration_id)
    if entry is not None:
        entry.resolved_at = now
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
