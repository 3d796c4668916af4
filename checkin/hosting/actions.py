"""What hosts and door volunteers do with assignments: add hosts, met, release, reassign,
and the board of who hosts whom."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin.door.lookup import find_registration, guest_of, registration_for
from checkin.door.outcomes import ActionResult
from checkin.errors import InvalidInput, NotFound
from checkin.events import find_event
from checkin.hosting import assignments, backups, policy
from checkin.hosting.tags import retag_host, tags_of
from checkin.store.actions import ChangeSink, run_action
from checkin.store.db import Database
from checkin.store.models import Assignment, Event, Host, Person, Registration
from checkin.store.retry import with_retry
from checkin.text import email_key, join_tags, split_tags
from checkin.timeutil import utcnow


@dataclass(frozen=True)
class HostSummary:
    host_id: int
    name: str
    code: str
    company: str | None
    capacity: int
    present: bool
    interests: tuple[str, ...]
    backup: bool = False  # a regular who offered to welcome if needed
    enlisted: bool = False  # a backup the door has asked: they host now


def add_host(
    db: Database,
    event: str | int,
    *,
    email: str | None = None,
    code: str | None = None,
    capacity: int | None = None,
    interests: str | None = None,
    languages: str | None = None,
    backup: bool = False,
) -> HostSummary:
    """Make a registered guest a host (or update them). They host once checked in.

    ``backup``: a regular who offers to welcome if needed; they host only once enlisted
    (capacity 1 unless set). A signed-up host stays a full host.
    """
    if not email and not code:
        raise InvalidInput("Say who the host is: an email or a code.")
    if capacity is not None and capacity < 1:
        raise InvalidInput("A host's capacity must be at least 1.")

    def work(session: Session) -> HostSummary:
        ev = find_event(session, event)
        policy.lock_event(session, ev.id)
        reg = _find_guest(session, ev, email=email, code=code)
        host = session.scalar(select(Host).where(Host.registration_id == reg.id))
        if host is None:
            host = Host(
                event_id=ev.id,
                registration_id=reg.id,
                capacity=capacity or (1 if backup else ev.default_host_capacity),
                backup=backup,
            )
            session.add(host)
        elif not backup and host.backup:
            host.backup = False  # signed up properly now
            if capacity is None:
                host.capacity = ev.default_host_capacity
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
            assignments.person_left(session, ev.id, reg.id, utcnow(), "became_host")
        session.flush()
        if reg.checked_in_at is not None and reg.checked_out_at is None:
            assignments.serve_queue(session, ev.id, utcnow())
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
        bool(host.backup),
        host.enlisted_at is not None,
    )


def _newcomer_action(
    db: Database,
    event: str | int,
    code: str,
    action,
    now: dt.datetime | None = None,
    journal: ChangeSink | None = None,
    kind: str = "",  # the journal line's type
) -> ActionResult:
    at = now or utcnow()

    def work(session: Session) -> ActionResult:
        ev = find_event(session, event)
        policy.lock_event(session, ev.id)
        reg = registration_for(session, ev, code)
        return ActionResult(True, guest_of(reg), action(session, ev, reg, at))

    return run_action(db, work, journal=journal, kind=kind)


def _current_assignment(session: Session, reg: Registration) -> Assignment:
    """The newcomer's host right now; met and release make no sense without one."""
    a = assignments.active_assignment(session, reg.id)
    if a is None:
        raise InvalidInput(f"{reg.person.full_name} has no host right now.")
    return a


def mark_met(
    db: Database,
    event: str | int,
    newcomer_code: str,
    *,
    now: dt.datetime | None = None,
    journal: ChangeSink | None = None,
) -> ActionResult:
    """The host has welcomed and introduced the newcomer: their slot frees up."""

    def action(session: Session, ev: Event, reg: Registration, now: dt.datetime) -> str:
        a = _current_assignment(session, reg)
        assignments.end_assignment(session, a, "met", now)
        assignments.serve_queue(session, ev.id, now)
        return f"{reg.person.full_name} has met their host."

    return _newcomer_action(db, event, newcomer_code, action, now, journal, "met")


def release(
    db: Database,
    event: str | int,
    newcomer_code: str,
    *,
    journal: ChangeSink | None = None,
) -> ActionResult:
    """The host gives the newcomer back: they go to the front of the queue, for another host."""

    def action(session: Session, ev: Event, reg: Registration, now: dt.datetime) -> str:
        a = _current_assignment(session, reg)
        assignments.end_assignment(session, a, "released", now)
        assignments.requeue_front(session, ev.id, reg.id, now, "released")
        assignments.serve_queue(session, ev.id, now)
        host = assignments.active_host(session, reg.id)
        where = f"now with {host.name}" if host else "waiting for a host"
        return f"{reg.person.full_name} released; {where}."

    return _newcomer_action(db, event, newcomer_code, action, None, journal, "release")


def reassign(
    db: Database,
    event: str | int,
    newcomer_code: str,
    host_code: str,
    *,
    journal: ChangeSink | None = None,
) -> ActionResult:
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
        current = assignments.active_assignment(session, reg.id)
        if current is not None and current.host_id == host.id:
            return f"{reg.person.full_name} is already with {host_reg.person.full_name}."
        load = host.load
        if load >= host.capacity:
            raise InvalidInput(
                f"{host_reg.person.full_name} already hosts {load} of {host.capacity}: "
                "mark one met first."
            )
        if current is not None:
            assignments.end_assignment(session, current, "reassigned", now)
        assignments.leave_queue(session, ev.id, reg.id, now)
        nc = policy.newcomer(session, reg.id)
        assignments.assign(session, ev.id, nc, host.id, 0, now, "override")
        assignments.serve_queue(session, ev.id, now)  # the old host's slot may serve someone
        return f"{reg.person.full_name} now with {host_reg.person.full_name}."

    return _newcomer_action(db, event, newcomer_code, action, None, journal, "reassign")


def enlist_backup(
    db: Database,
    event: str | int,
    backup_code: str,
    *,
    now: dt.datetime | None = None,
    journal: ChangeSink | None = None,
) -> ActionResult:
    """A backup said yes at the door (Enter on the proposal): they host from now on and
    take the next newcomer waiting (the one they were proposed for)."""
    at = now or utcnow()

    def work(session: Session) -> ActionResult:
        ev = find_event(session, event)
        policy.lock_event(session, ev.id)
        reg = registration_for(session, ev, backup_code)
        host = session.scalar(select(Host).where(Host.registration_id == reg.id))
        if host is None or not host.active:
            raise InvalidInput(f"{reg.person.full_name} has not offered to welcome.")
        if reg.checked_in_at is None or reg.checked_out_at is not None:
            raise InvalidInput(f"{reg.person.full_name} is not here to welcome.")
        backups.enlist(session, host, at)
        assignments.serve_queue(session, ev.id, at, "enlisted")
        mine = session.scalars(
            select(Assignment.newcomer_id).where(
                Assignment.host_id == host.id, Assignment.status == "active"
            )
        ).all()
        names = [
            session.get(Registration, rid).person.full_name for rid in mine
        ]  # a handful at most
        whom = f" and welcomes {', '.join(names)}" if names else " (nobody is waiting now)"
        return ActionResult(True, guest_of(reg), f"{reg.person.full_name} is enlisted{whom}.")

    return run_action(db, work, journal=journal, kind="enlist")


def current_proposal(db: Database, event: str | int, now: dt.datetime | None = None):
    """The backup to propose right now, if anyone needs one (for the door and the board)."""
    with db.read() as session:
        ev = find_event(session, event)
        return backups.propose(session, ev.id, now or utcnow())


def next_best_host(db: Database, event: str | int, newcomer_code: str):
    """Whom a release would hand this newcomer to now (a HostRef), or None: they would wait.

    For a host's "Can't now" on a phone: the same ranking as a release, without changing
    anything (a preview; ``release`` does it).
    """
    with db.read() as session:
        ev = find_event(session, event)
        reg = registration_for(session, ev, newcomer_code)
        nc = policy.newcomer(session, reg.id)
        excluded = set(
            session.scalars(
                select(Assignment.host_id).where(
                    Assignment.newcomer_id == reg.id,
                    Assignment.status.in_(("released", "active")),
                )
            )
        )
        best = policy.best_host(session, ev.id, nc, excluded)
        return policy.host_ref(session, best[0], nc) if best else None
