"""What the organiser's lists are made of: one read of the event, as plain values.

Every report (PDF or CSV) is computed from one ``Snapshot``, so the lists agree with each
other and the layouts never touch the database.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from checkin.events import find_event
from checkin.store.db import Database
from checkin.store.models import Assignment, Host, Person, QueueEntry, Registration
from checkin.text import fold
from checkin.timeutil import as_utc

BUCKET_MINUTES = 10
HOSTED = ("active", "met")  # the assignments that count as "was hosted"


@dataclass(frozen=True)
class Guest:
    registration_id: int
    first_name: str
    last_name: str
    email: str | None
    company: str | None
    job_title: str | None
    code: str
    status: str
    source: str
    ticket_type: str | None
    checked_in_at: dt.datetime | None  # UTC
    door: str | None
    first_time: bool | None

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def sort_key(self) -> tuple:
        # A one-word name ("王小明", "Madonna") sorts by that word, not before everyone.
        return (fold(self.last_name or self.first_name), fold(self.first_name), self.code)

    @property
    def checked_in(self) -> bool:
        return self.checked_in_at is not None


@dataclass(frozen=True)
class Hosting:
    """One newcomer-host assignment, with names resolved."""

    newcomer: Guest
    host: Guest
    status: str  # active, met, released, reassigned, host_left, undone
    created_at: dt.datetime
    introductions: tuple[str, ...]  # names of the people to meet


@dataclass(frozen=True)
class HostSheet:
    host: Guest
    capacity: int
    hosted: tuple[Hosting, ...]


@dataclass(frozen=True)
class Snapshot:
    event: str
    day: dt.date | None
    guests: tuple[Guest, ...]  # alphabetical
    hostings: tuple[Hosting, ...]  # in order of assignment
    hosts: tuple[HostSheet, ...]  # alphabetical
    waiting: frozenset[int]  # registration ids of newcomers in the queue now
    followed_up: frozenset[int] = frozenset()  # newcomers their host followed up (hosting)

    def follow_up_rate(self) -> tuple[int, int]:
        """(followed up, hosted newcomers): the morning-after measure of hosting."""
        hosted = {h.newcomer.registration_id for h in self.hostings if h.status in HOSTED}
        return len(hosted & self.followed_up), len(hosted)

    def attendance(self) -> list[Guest]:
        return [g for g in self.guests if g.checked_in]

    def newcomers(self) -> list[Guest]:
        return [g for g in self.guests if g.checked_in and g.first_time]

    def no_shows(self) -> list[Guest]:
        return [g for g in self.guests if g.status != "cancelled" and not g.checked_in]

    def host_of(self, guest: Guest) -> Hosting | None:
        """The newcomer's host: the one they have now or met, else the latest."""
        mine = [h for h in self.hostings if h.newcomer.registration_id == guest.registration_id]
        kept = [h for h in mine if h.status in HOSTED]
        return (kept or mine or [None])[-1]

    def unhosted_status(self, guest: Guest) -> str:
        return "waiting" if guest.registration_id in self.waiting else "no host"

    def doors(self) -> dict[str, int]:
        """Check-ins per door (the first check-in of each guest)."""
        return dict(Counter(g.door or "—" for g in self.attendance()).most_common())

    def counts(self) -> dict[str, int]:
        hosted = {h.newcomer.registration_id for h in self.hostings if h.status in HOSTED}
        return {
            "registered": sum(1 for g in self.guests if g.status != "cancelled"),
            "checked_in": len(self.attendance()),
            "first_timers": len(self.newcomers()),
            "hosted": len(hosted),
            "waiting": len(self.waiting),
            "no_shows": len(self.no_shows()),
            "walk_ins": sum(1 for g in self.guests if g.source == "walkin"),
            "cancelled": sum(1 for g in self.guests if g.status == "cancelled"),
        }

    def arrivals(self) -> list[tuple[dt.datetime, int]]:
        """Check-ins per 10 minutes, in local time, every bucket from first to last."""
        times = [local(g.checked_in_at) for g in self.attendance() if g.checked_in_at]
        if not times:
            return []

        def bucket(t: dt.datetime) -> dt.datetime:
            return t.replace(minute=t.minute - t.minute % BUCKET_MINUTES, second=0, microsecond=0)

        counts = Counter(bucket(t) for t in times)
        start, end = bucket(min(times)), bucket(max(times))
        out = []
        while start <= end:
            out.append((start, counts.get(start, 0)))
            start += dt.timedelta(minutes=BUCKET_MINUTES)
        return out


def local(value: dt.datetime) -> dt.datetime:
    """The event's local time: the machine's, as at the door."""
    return as_utc(value).astimezone()


def hhmm(value: dt.datetime | None) -> str:
    return local(value).strftime("%H:%M") if value else ""


def snapshot(db: Database, event: str | int) -> Snapshot:
    with db.read() as session:
        ev = find_event(session, event)
        r, p = Registration, Person
        rows = session.execute(
            select(
                r.id,
                p.first_name,
                p.last_name,
                p.email,
                p.company,
                p.job_title,
                r.code,
                r.status,
                r.source,
                r.ticket_type,
                r.checked_in_at,
                r.checked_in_device,
                r.first_time,
            )
            .join(p, p.id == r.person_id)
            .where(r.event_id == ev.id)
        ).all()
        guests = {row[0]: Guest(*row) for row in rows}
        hosts = session.execute(
            select(Host.id, Host.registration_id, Host.capacity).where(Host.event_id == ev.id)
        ).all()
        host_reg = {hid: reg for hid, reg, _ in hosts}
        assignments = session.execute(
            select(
                Assignment.newcomer_id,
                Assignment.host_id,
                Assignment.status,
                Assignment.created_at,
                Assignment.introductions,
            )
            .where(Assignment.event_id == ev.id)
            .order_by(Assignment.created_at, Assignment.id)
        ).all()
        waiting = frozenset(
            session.scalars(
                select(QueueEntry.newcomer_id).where(
                    QueueEntry.event_id == ev.id, QueueEntry.resolved_at.is_(None)
                )
            )
        )
        followed_up = frozenset(
            session.scalars(
                select(Registration.id).where(
                    Registration.event_id == ev.id, Registration.followed_up_at.is_not(None)
                )
            )
        )
        name, day = ev.name, ev.day
    hostings = []
    for newcomer_id, host_id, status, created, intros in assignments:
        newcomer, host = guests.get(newcomer_id), guests.get(host_reg.get(host_id, -1))
        if newcomer is None or host is None:
            continue
        met = tuple(guests[i].name for i in intros if i in guests)
        hostings.append(Hosting(newcomer, host, status, as_utc(created), met))
    sheets = [
        HostSheet(
            guests[reg],
            capacity,
            tuple(h for h in hostings if h.host.registration_id == reg and h.status != "undone"),
        )
        for _, reg, capacity in hosts
        if reg in guests
    ]
    return Snapshot(
        event=name,
        day=day,
        guests=tuple(sorted(guests.values(), key=lambda g: g.sort_key)),
        hostings=tuple(hostings),
        hosts=tuple(sorted(sheets, key=lambda s: s.host.sort_key)),
        waiting=waiting,
        followed_up=followed_up,
    )
