"""Events: create, list, find by name or id."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from checkin.errors import InvalidInput, NotFound
from checkin.store.db import Database
from checkin.store.models import Event, Registration


@dataclass(frozen=True)
class EventInfo:
    id: int
    name: str
    day: dt.date | None
    registrations: int = 0
    checked_in: int = 0
    one_per_profession: bool = False
    admit_unpaid: bool = False

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "date": self.day.isoformat() if self.day else None,
            "registrations": self.registrations,
            "checked_in": self.checked_in,
            "admit_unpaid": self.admit_unpaid,
        }


def find_event(session: Session, event: str | int, *, lock: bool = False) -> Event:
    """By id (an int, or digits) or by exact name, then case-insensitive name."""
    stmt = select(Event)
    if isinstance(event, int) or (isinstance(event, str) and event.isdigit()):
        found = session.get(Event, int(event), with_for_update=lock or None)
        if found is not None:
            return found
    name = str(event).strip()
    q = stmt.where(Event.name == name)
    found = session.scalar(q.with_for_update() if lock else q)
    if found is None:
        q = stmt.where(func.lower(Event.name) == name.lower())
        found = session.scalar(q.with_for_update() if lock else q)
    if found is None:
        raise NotFound(f"No event called '{name}'. `checkin event list` shows the events.")
    return found


@dataclass(frozen=True)
class EventRef:
    """What the door needs of an event, cached: events are never renamed or deleted."""

    id: int
    name: str


_REFS: dict[tuple[str, str], EventRef] = {}


def known_ref(url, event: str | int) -> EventRef | None:
    """The event as an earlier action on this database found it, without a statement."""
    return _REFS.get((str(url), str(event)))


def event_ref(session: Session, event: str | int) -> EventRef:
    key = (str(session.get_bind().url), str(event))
    ref = _REFS.get(key)
    if ref is None:
        found = find_event(session, event)
        ref = _REFS[key] = EventRef(found.id, found.name)
    return ref


def create_event(
    db: Database, name: str, day: dt.date | None = None, *, exist_ok: bool = False
) -> EventInfo:
    name = name.strip()
    if not name:
        raise InvalidInput("An event needs a name.")
    try:
        with db.write() as s:
            existing = s.scalar(select(Event).where(Event.name == name))
            if existing is not None:
                if not exist_ok:
                    raise InvalidInput(f"An event called '{name}' already exists.")
                return _info(s, existing)
            ev = Event(name=name, day=day)
            s.add(ev)
            s.flush()
            return _info(s, ev)
    except IntegrityError as exc:  # another door created it at the same moment
        if not exist_ok:
            raise InvalidInput(f"An event called '{name}' already exists.") from exc
        with db.read() as s:
            return _info(s, find_event(s, name))


def set_event_options(
    db: Database,
    event: str | int,
    *,
    one_per_profession: bool | None = None,
    default_host_capacity: int | None = None,
    admit_unpaid: bool | None = None,
) -> EventInfo:
    with db.write() as s:
        ev = find_event(s, event)
        if one_per_profession is not None:
            ev.one_per_profession = one_per_profession
        if admit_unpaid is not None:
            ev.admit_unpaid = admit_unpaid
        if default_host_capacity is not None:
            if default_host_capacity < 1:
                raise InvalidInput("A host's capacity must be at least 1.")
            ev.default_host_capacity = default_host_capacity
        return _info(s, ev)


def _info(s: Session, ev: Event) -> EventInfo:
    total = s.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == ev.id)
    )
    present = s.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == ev.id, Registration.checked_in_at.is_not(None))
    )
    return EventInfo(
        ev.id, ev.name, ev.day, total or 0, present or 0, ev.one_per_profession, ev.admit_unpaid
    )


def list_events(db: Database) -> list[EventInfo]:
    with db.read() as s:
        events = s.scalars(select(Event).order_by(Event.day.desc(), Event.id.desc())).all()
        return [_info(s, ev) for ev in events]


def event_info(db: Database, event: str | int) -> EventInfo:
    with db.read() as s:
        return _info(s, find_event(s, event))
