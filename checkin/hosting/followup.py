"""Following up after the evening: each host's newcomers, how to reach them, whom they met,
and by when — and marking it done (a door action like any other: journaled and merged).

Contact details are shown only for guests who agreed to share them (``vcard_consent``);
the others are listed with their company, so the host knows to ask the organiser. The due
date is the second working day after the event (Monday to Friday): a call within 24–48
hours, from the person who welcomed them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin import changes
from checkin.changes import FollowedUp
from checkin.door.lookup import guest_of, ident_of, registration_for
from checkin.door.outcomes import ActionResult
from checkin.errors import InvalidInput
from checkin.events import find_event
from checkin.store.actions import ChangeSink, run_action
from checkin.store.db import Database
from checkin.store.models import Assignment, Host, Person, Registration
from checkin.timeutil import as_utc, utcnow

WELCOMED = ("met", "active")  # the assignment that says who welcomed them


def next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def due_date(event_day: dt.date) -> dt.date:
    """The next working day + 1 working day: Thursday's newcomers by Monday."""
    return next_working_day(next_working_day(event_day))


@dataclass(frozen=True)
class FollowUpItem:
    registration_id: int
    name: str
    code: str
    company: str | None
    job_title: str | None
    email: str | None  # only with consent
    phone: str | None  # only with consent
    shared_contact: bool
    interests: str
    met: tuple[str, ...]  # whom the host introduced them to
    followed_up_at: dt.datetime | None

    def as_json(self) -> dict:
        d = dict(self.__dict__)
        d["met"] = list(self.met)
        d["followed_up_at"] = self.followed_up_at.isoformat() if self.followed_up_at else None
        return d


@dataclass(frozen=True)
class HostFollowUp:
    host_name: str
    host_email: str | None
    host_code: str
    newcomers: tuple[FollowUpItem, ...]


@dataclass(frozen=True)
class FollowUpList:
    event: str
    day: dt.date
    due: dt.date
    hosts: tuple[HostFollowUp, ...]

    @property
    def newcomers(self) -> int:
        return sum(len(h.newcomers) for h in self.hosts)

    @property
    def done(self) -> int:
        return sum(1 for h in self.hosts for n in h.newcomers if n.followed_up_at)

    def as_json(self) -> dict:
        return {
            "event": self.event,
            "day": self.day.isoformat(),
            "due": self.due.isoformat(),
            "newcomers": self.newcomers,
            "followed_up": self.done,
            "hosts": [
                {
                    "name": h.host_name,
                    "email": h.host_email,
                    "code": h.host_code,
                    "newcomers": [n.as_json() for n in h.newcomers],
                }
                for h in self.hosts
            ],
        }


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def follow_up_list(db: Database, event: str | int) -> FollowUpList:
    """Per host, the newcomers they welcomed (the last host who did, if there were several)."""
    with db.read() as s:
        ev = find_event(s, event)
        welcomed: dict[int, tuple[int, tuple[int, ...]]] = {}  # newcomer -> (host, intros)
        for nid, hid, intros in s.execute(
            select(Assignment.newcomer_id, Assignment.host_id, Assignment.introductions)
            .where(Assignment.event_id == ev.id, Assignment.status.in_(WELCOMED))
            .order_by(Assignment.created_at, Assignment.id)
        ):
            welcomed[nid] = (hid, tuple(intros or ()))
        wanted = set(welcomed) | {i for _, intros in welcomed.values() for i in intros}
        people = {
            r.id: r
            for r in s.execute(
                select(
                    Registration.id,
                    Registration.code,
                    Registration.followed_up_at,
                    Person.first_name,
                    Person.last_name,
                    Person.company,
                    Person.job_title,
                    Person.email,
                    Person.phone,
                    Person.vcard_consent,
                    Person.interests,
                )
                .join(Person, Person.id == Registration.person_id)
                .where(Registration.id.in_(sorted(wanted) or [0]))
            )
        }
        hosts = {
            h.id: (_name(h.registration.person.first_name, h.registration.person.last_name),
                   h.registration.person.email, h.registration.code)
            for h in s.scalars(select(Host).where(Host.event_id == ev.id))
        }  # fmt: skip
        day = ev.day or as_utc(ev.created_at).date()
        name = ev.name
    by_host: dict[int, list[FollowUpItem]] = {}
    for nid, (hid, intros) in welcomed.items():
        r = people.get(nid)
        if r is None or hid not in hosts:
            continue
        consent = bool(r.vcard_consent)
        met = tuple(_name(people[i].first_name, people[i].last_name) for i in intros if i in people)
        by_host.setdefault(hid, []).append(
            FollowUpItem(
                nid,
                _name(r.first_name, r.last_name),
                r.code,
                r.company,
                r.job_title,
                r.email if consent else None,
                r.phone if consent else None,
                consent,
                r.interests or "",
                met,
                as_utc(r.followed_up_at) if r.followed_up_at else None,
            )
        )
    out = [
        HostFollowUp(*hosts[hid], tuple(sorted(items, key=lambda i: i.name.casefold())))
        for hid, items in by_host.items()
    ]
    out.sort(key=lambda h: h.host_name.casefold())
    return FollowUpList(name, day, due_date(day), tuple(out))


def mark_followed_up(
    db: Database,
    event: str | int,
    code: str,
    *,
    device: str = "",
    now: dt.datetime | None = None,
    journal: ChangeSink | None = None,
) -> ActionResult:
    """The host called or wrote: marked done (the first mark stands)."""
    at = now or utcnow()

    def work(session: Session) -> ActionResult:
        ev = find_event(session, event)
        reg = registration_for(session, ev, code)
        if not reg.first_time:
            raise InvalidInput(f"{reg.person.full_name} was not a first-timer at {ev.name}.")
        if reg.followed_up_at is not None:
            return ActionResult(False, guest_of(reg), f"{reg.person.full_name}: already done.")
        reg.followed_up_at = at
        changes.note(session, FollowedUp(ev.id, reg.id, at, device, ident_of(reg)))
        return ActionResult(True, guest_of(reg), f"{reg.person.full_name}: followed up.")

    return run_action(db, work, journal=journal, kind="followed_up")
