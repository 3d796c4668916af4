"""What hosts and door volunteers do with assignments: add hosts, met, release, reassign,
and the board of who hosts whom."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin import hosting
from checkin.db import Database
from checkin.door import _registration_for, find_registration, with_retry
from checkin.errors import InvalidInput, NotFound
from checkin.events import find_event
from checkin.journal import Journal, journaled  # journal hook
from checkin.models import Assignment, Event, Host, Person, QueueEntry, Registration
from checkin.tags import retag_host, tags_of
from checkin.text import email_key, join_tags, split_tags
from checkin.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class HostSummary:
    host_id: int
    name: str
    code: str
    company: str | None
    capacity: int
    present: bool
    interests: tuple[str, ...]


def add_host(
    db: Database,
    event: str | int,
    *,
    email: str | None = None,
    code: str | None = None,
    capacity: int | None = None,
    interests: str | None = None,
    languages: str | None = None,
) -> HostSummary:
    """Make a registered guest a host (or update them). They host once checked in."""
    if not email and not code:
        raise InvalidInput("Say who the host is: an email or a code.")
    if capacity is not None and capacity < 1:
        raise InvalidInput("A host's capacity must be at least 1.")

    def work(session: Session) -> HostSummary:
        ev = find_event(session, event)
        hosting.lock_event(session, ev.id)
        reg = _find_guest(session, ev, email=email, code=code)
        host = session.scalar(select(Host).where(Host.registration_id == reg.id))
        if host is None:
            host = Host(
                event_id=ev.id,
                registration_id=reg.id,
                capacity=capacity or ev.default_host_capacity,
            )
            session.add(host)
        elif capacity is not None:
            host.capacity = capacity
        host.active = True
        if interests is not None:
            host.interests = join_tags(split_tags(interests))
        if languages is not None:
            host.languages = join_tags(split_tags(languages))
        session.flush()
        if host.interests or host.languages:
            # This event's own interests/languages for the host replace the person's.
            p = reg.person
            host.own_tags = True
            retag_host(
                session,
                host.id,
                tags_of(host.interests or p.interests, host.languages or p.languages, p.profession),
            )
        reg.first_time_flag = False  # a host is never a newcomer
        if reg.first_time:
            reg.first_time = False
            hosting.person_left(session, ev.id, reg.id, utcnow(), "became_host")
        session.flush()
        if reg.checked_in_at is not None and reg.checked_out_at is None:
            hosting.serve_queue(session, ev.id, utcnow())
        return _summary(host)

    return with_retry(db, work)


def _find_guest(
    session: Session, ev: Event, *, email: str | None, code: str | None
) -> Registration:
    if code:
        reg = find_registration(session, ev, code)
        if reg is None:
            raise NotFound(f"No guest with code '{code}' at {ev.name}.")
        return reg
    reg = session.scalar(
        select(Registration)
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.event_id == ev.id, Person.email_key == email_key(email))
    )
    if reg is None:
        raise NotFound(f"No guest with email '{email}' at {ev.name}.")
    return reg


def _summary(host: Host) -> HostSummary:
    reg = host.registration
    p = reg.person
    return HostSummary(
        host.id,
        p.full_name,
        reg.code,
        p.company,
        host.capacity,
        reg.checked_in_at is not None and reg.checked_out_at is None,
        split_tags(host.interests or p.interests),
    )


def _newcomer_action(
    db: Database,
    event: str | int,
    code: str,
    action,
    now: dt.datetime | None = None,
    journal: Journal | None = None,  # journal hook
    kind: str = "",  # journal hook: the journal record's type
) -> str:
    at = now or utcnow()  # journal hook: fixed outside the retry, so the journal finds it

    def work(session: Session) -> str:
        ev = find_event(session, event)
        hosting.lock_event(session, ev.id)
        reg = _registration_for(session, ev, code)
        return action(session, ev, reg, at)

    return journaled(db, journal, work, action=kind, at=at, event=event, code=code)  # journal hook


def _current_assignment(session: Session, reg: Registration) -> Assignment:
    """The newcomer's host right now; met and release make no sense without one."""
    a = hosting.active_assignment(session, reg.id)
    if a is None:
        raise InvalidInput(f"{reg.person.full_name} has no host right now.")
    return a


def mark_met(
    db: Database,
    event: str | int,
    newcomer_code: str,
    *,
    now: dt.datetime | None = None,
    journal: Journal | None = None,  # journal hook
) -> str:
    """The host has welcomed and introduced the newcomer: their slot frees up."""

    def action(session: Session, ev: Event, reg: Registration, now: dt.datetime) -> str:
        a = _current_assignment(session, reg)
        hosting.end_assignment(session, a, "met", now)
        hosting.serve_queue(session, ev.id, now)
        return f"{reg.person.full_name} has met their host."

    return _newcomer_action(db, event, newcomer_code, action, now, journal, "met")  # journal hook


def release(
    db: Database,
    event: str | int,
    newcomer_code: str,
    *,
    journal: Journal | None = None,  # journal hook
) -> str:
    """The host gives the newcomer back: they go to the front of the queue, for another host."""

    def action(session: Session, ev: Event, reg: Registration, now: dt.datetime) -> str:
        a = _current_assignment(session, reg)
        hosting.end_assignment(session, a, "released", now)
        hosting.requeue_front(session, ev.id, reg.id, now, "released")
        hosting.serve_queue(session, ev.id, now)
        host = hosting.active_host(session, reg.id)
        where = f"now with {host.name}" if host else "waiting for a host"
        return f"{reg.person.full_name} released; {where}."

    # journal hook: the journal and the record type
    return _newcomer_action(db, event, newcomer_code, action, None, journal, "release")


def reassign(
    db: Database,
    event: str | int,
    newcomer_code: str,
    host_code: str,
    *,
    journal: Journal | None = None,  # journal hook
) -> str:
    """A door volunteer's override: this newcomer goes to that host (who must have room)."""

    def action(session: Session, ev: Event, reg: Registration, now: dt.datetime) -> str:
        if reg.checked_in_at is None or reg.checked_out_at is not None:
            raise InvalidInput(f"{reg.person.full_name} is not checked in.")
        host_reg = find_registration(session, ev, host_code)
        host = (
            session.scalar(select(Host).where(Host.registration_id == host_reg.id))
            if host_reg
            else None
        )
        if host is None or not host.active:
            raise NotFound(f"No host with code '{host_code}' at {ev.name}.")
        if host_reg.checked_in_at is None or host_reg.checked_out_at is not None:
            raise InvalidInput(f"{host_reg.person.full_name} is not here to host.")
        current = hosting.active_assignment(session, reg.id)
        if current is not None and current.host_id == host.id:
            return f"{reg.person.full_name} is already with {host_reg.person.full_name}."
        load = host.load
        if load >= host.capacity:
            raise InvalidInput(
                f"{host_reg.person.full_name} already hosts {load} of {host.capacity}: "
                "mark one met first."
            )
        if current is not None:
            hosting.end_assignment(session, current, "reassigned", now)
        entry = hosting.open_queue_entry(session, reg.id)
        if entry is not None:
            entry.resolved_at = now
        nc = hosting.newcomer(session, reg.id)
        hosting.assign(session, ev.id, nc, host.id, 0, now, "override")
        hosting.serve_queue(session, ev.id, now)  # the old host's slot may serve someone
        return f"{reg.person.full_name} now with {host_reg.person.full_name}."

    # journal hook: the journal and the record type
    return _newcomer_action(db, event, newcomer_code, action, None, journal, "reassign")


# ---- the board: who hosts whom, and who waits -------------------------------------------


@dataclass(frozen=True)
class NewcomerCard:
    registration_id: int
    name: str
    code: str
    company: str | None
    interests: tuple[str, ...]
    status: str  # assigned, waiting, met
    arrived_at: dt.datetime
    minutes_waiting: int  # since arrival
    host_name: str | None = None
    shared_interests: tuple[str, ...] = ()
    introductions: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "code": self.code,
            "company": self.company,
            "status": self.status,
            "minutes_waiting": self.minutes_waiting,
            "shared_interests": list(self.shared_interests),
            "introductions": list(self.introductions),
        }


@dataclass(frozen=True)
class HostCard(HostSummary):
    """A host as the board shows them: who they are, and whom they welcome now."""

    newcomers: tuple[NewcomerCard, ...]
    hosted_total: int

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "code": self.code,
            "company": self.company,
            "capacity": self.capacity,
            "present": self.present,
            "newcomers": [n.as_json() for n in self.newcomers],
            "hosted_total": self.hosted_total,
        }


@dataclass(frozen=True)
class Board:
    event: str
    hosts: tuple[HostCard, ...]
    queue: tuple[NewcomerCard, ...]

    def as_json(self) -> dict:
        return {
            "event": self.event,
            "hosts": [h.as_json() for h in self.hosts],
            "queue": [q.as_json() for q in self.queue],
        }


def host_board(db: Database, event: str | int, now: dt.datetime | None = None) -> Board:
    now = now or utcnow()
    with db.read() as session:
        ev = find_event(session, event)
        hosts = session.scalars(
            select(Host).where(Host.event_id == ev.id, Host.active.is_(True))
        ).all()
        rows = session.scalars(
            select(Assignment)
            .where(Assignment.event_id == ev.id, Assignment.status == "active")
            .order_by(Assignment.created_at, Assignment.id)
        ).all()
        totals = dict(
            session.execute(
                select(Assignment.host_id, func.count())
                .where(Assignment.event_id == ev.id, Assignment.status.in_(("active", "met")))
                .group_by(Assignment.host_id)
            ).all()
        )
        waiting = session.scalars(
            select(QueueEntry)
            .where(QueueEntry.event_id == ev.id, QueueEntry.resolved_at.is_(None))
            .order_by(QueueEntry.queued_at, QueueEntry.id)
        ).all()
        wanted = {a.newcomer_id for a in rows} | {q.newcomer_id for q in waiting}
        for a in rows:
            wanted.update(int(i) for i in a.introductions.split(",") if i)
        names = _names(session, wanted)
        by_host: dict[int, list[NewcomerCard]] = {}
        for a in rows:
            card = _card(names, a.newcomer_id, "assigned", now, a.shared_interests, a.introductions)
            by_host.setdefault(a.host_id, []).append(card)
        cards = []
        for h in hosts:
            s = _summary(h)
            cards.append(
                HostCard(
                    h.id,
                    s.name,
                    s.code,
                    s.company,
                    h.capacity,
                    s.present,
                    s.interests,
                    tuple(by_host.get(h.id, ())),
                    totals.get(h.id, 0),
                )
            )
        cards.sort(key=lambda c: (not c.present, c.name.casefold()))
        queue = tuple(
            _card(names, q.newcomer_id, "waiting", now, "", "", arrived=q.arrived_at)
            for q in waiting
        )
        return Board(ev.name, tuple(cards), queue)


def _names(session: Session, ids: set[int]) -> dict[int, tuple]:
    """Registration id -> (name, code, company, interests, checked_in_at), for these ids."""
    out: dict[int, tuple] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        rows = session.execute(
            select(
                Registration.id,
                Person.first_name,
                Person.last_name,
                Registration.code,
                Person.company,
                Person.interests,
                Registration.checked_in_at,
            )
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.id.in_(ordered[i : i + 500]))
        ).all()
        out.update({r[0]: (f"{r[1]} {r[2]}".strip(), r[3], r[4], r[5], r[6]) for r in rows})
    return out


def _card(
    names: dict[int, tuple],
    reg_id: int,
    status: str,
    now: dt.datetime,
    shared: str,
    intro_ids: str,
    arrived: dt.datetime | None = None,
) -> NewcomerCard:
    name, code, company, interests, checked_in_at = names.get(reg_id, ("?", "", None, "", now))
    arrived = as_utc(arrived or checked_in_at or now)
    intros = tuple(names[int(i)][0] for i in intro_ids.split(",") if i and int(i) in names)
    return NewcomerCard(
        reg_id,
        name,
        code,
        company,
        split_tags(interests),
        status,
        arrived,
        max(0, int((now - arrived).total_seconds() // 60)),
        shared_interests=split_tags(shared),
        introductions=intros,
    )
