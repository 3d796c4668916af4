"""Forgetting a person, and purging guest data of past events (the retention setting).

``forget`` removes a person from every event: their registrations, check-ins, host rows,
assignments (as newcomer or host), queue places, tags and print logs, and their id from
other newcomers' introductions. Counts of a live event simply drop by one: one person's
absence is the point of forgetting them.

``purge`` removes the guests of events that ended more than N days ago. The event row
stays, and an anonymous tally of it (registered, checked in, first-timers ...) is kept in
the ``meta`` table under ``tally:<event id>``, so the organiser's history of numbers
survives. People with no registration left are deleted; people still registered at a
later event keep their record (it is needed there), minus the purged history.

Afterwards the data must be gone from the files, not only from the tables (see
checkin.scrub): when that cannot be finished yet (another program is reading the SQLite
file), the result says so and where the copies are (``complete``, ``remaining``), and
``finish_forgetting`` completes it later.

Journals are the organiser's files (on a stick, maybe copied elsewhere), and a door may be
appending to one: ``forget`` does not rewrite them, it lists the ones that mention the
person (``journal_folder``), so the organiser can delete them once they are merged. The
same for the exports, lists, badges and QR sheets the app wrote (the ledger in
checkin.files): the ones still on disk that name them are listed (``files``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field

from sqlalchemy import Connection, case, delete, func, or_, select, update

from checkin.errors import InvalidInput, NotFound
from checkin.journal.reader import find_journals
from checkin.scrub import ScrubResult, files_naming, scrub_files
from checkin.store.db import Database
from checkin.store.models import (
    Assignment,
    CheckIn,
    Event,
    Host,
    Meta,
    Person,
    PersonTag,
    PrintLog,
    QueueEntry,
    Registration,
)
from checkin.text import email_key
from checkin.timeutil import as_utc, utcnow

CHUNK = 500
TALLY_PREFIX = "tally:"
# Tables whose dead rows may hold names: vacuumed on PostgreSQL after a deletion.
_VACUUM_TABLES = ("person", "person_tag", "registration", "checkin", "host", "assignment")


@dataclass(frozen=True)
class ForgetResult:
    people: int
    registrations: int
    events: tuple[str, ...]
    journal_files: tuple[str, ...] = ()  # files in the given folder that mention the person
    files: tuple[str, ...] = ()  # exports, lists, badges the app wrote that name them
    scrub: ScrubResult = field(default_factory=lambda: ScrubResult(True))

    @property
    def complete(self) -> bool:
        """Gone from every file the database keeps (the files listed are the organiser's)."""
        return self.scrub.complete

    def as_json(self) -> dict:
        return {
            "people": self.people,
            "registrations": self.registrations,
            "events": list(self.events),
            "complete": self.complete,
            "remaining": list(self.scrub.remaining),
            "notes": list(self.scrub.notes),
            "journal_files": list(self.journal_files),
            "files": list(self.files),
        }


@dataclass(frozen=True)
class PurgeResult:
    events: tuple[str, ...]
    registrations: int
    people: int
    tallies: dict[str, dict] = field(default_factory=dict)
    scrub: ScrubResult = field(default_factory=lambda: ScrubResult(True))

    def as_json(self) -> dict:
        return {
            "events": list(self.events),
            "registrations": self.registrations,
            "people": self.people,
            "tallies": self.tallies,
            "complete": self.scrub.complete,
            "remaining": list(self.scrub.remaining),
        }


def forget(
    db: Database,
    *,
    email: str | None = None,
    code: str | None = None,
    journal_folder: str | os.PathLike | None = None,
) -> ForgetResult:
    """Remove the person with this email (or holding this code) from every event."""
    key = email_key(email)
    code = (code or "").strip()
    if not key and not code:
        raise InvalidInput("Say whom to forget: an email or a code.")
    with db.write() as session:
        conn = session.connection()
        if key:
            # Their identity row, and any row the importer kept with their address but no key
            # (a second ticket, or friends a buyer registered under the buyer's email).
            people = list(
                conn.scalars(
                    select(Person.id).where(
                        or_(Person.email_key == key, func.lower(Person.email) == key)
                    )
                )
            )
        else:
            people = sorted(
                set(conn.scalars(select(Registration.person_id).where(Registration.code == code)))
            )
        if not people:
            raise NotFound(f"Nobody with {'email ' + key if key else 'code ' + str(code)}.")
        if not key and len(people) > 1:
            raise InvalidInput(f"Code {code} belongs to {len(people)} people; use --email.")
        marks = _identifying_marks(conn, people)
        words, since = _plain_marks(conn, people)
        events = tuple(
            conn.scalars(
                select(Event.name)
                .join(Registration, Registration.event_id == Event.id)
                .where(Registration.person_id.in_(people))
                .order_by(Event.name)
            )
        )
        regs = list(conn.scalars(select(Registration.id).where(Registration.person_id.in_(people))))
        _leave_hosting(session, regs)
        _delete_registrations(conn, regs)
        conn.execute(delete(PersonTag).where(PersonTag.person_id.in_(people)))
        conn.execute(delete(Person).where(Person.id.in_(people)))
    scrubbed = scrub_files(db, tables=_VACUUM_TABLES)
    journals = mentions(journal_folder, marks) if journal_folder else ()
    files = files_naming(words, since)
    return ForgetResult(len(people), len(regs), events, journals, files, scrubbed)


def finish_forgetting(db: Database) -> ScrubResult:
    """Clear the copies an earlier ``forget`` could not (another program was reading)."""
    return scrub_files(db, tables=_VACUUM_TABLES)


def _plain_marks(conn: Connection, people: list[int]) -> tuple[list[str], dt.datetime | None]:
    """What an export or a list naming them would contain, and since when it could."""
    words: set[str] = set()
    for email, raw, first, last in conn.execute(
        select(Person.email_key, Person.email, Person.first_name, Person.last_name).where(
            Person.id.in_(people)
        )
    ):
        words.update(w for w in (email, raw) if w)
        if first and last:
            words.add(f"{first} {last}")
            words.update((f'"{first}","{last}"', f"{first},{last}"))
    codes = list(conn.scalars(select(Registration.code).where(Registration.person_id.in_(people))))
    words.update(c for c in codes if len(c) >= 6)  # "12" would be found in every file
    since = conn.scalar(
        select(func.min(Registration.created_at)).where(Registration.person_id.in_(people))
    )
    return sorted(words), as_utc(since) if since else None


def _identifying_marks(conn: Connection, people: list[int]) -> list[bytes]:
    """What a journal line about them would contain: email, codes, name."""
    marks: set[str] = set()
    for email, first, last in conn.execute(
        select(Person.email_key, Person.first_name, Person.last_name).where(Person.id.in_(people))
    ):
        if email:
            marks.add(json.dumps(email, ensure_ascii=False))
        if first or last:
            names = json.dumps(first, ensure_ascii=False), json.dumps(last, ensure_ascii=False)
            marks.add(f'"first_name":{names[0]},"last_name":{names[1]}')
    for c in conn.scalars(select(Registration.code).where(Registration.person_id.in_(people))):
        marks.add(f'"code":{json.dumps(c, ensure_ascii=False)}')
    return [m.encode() for m in marks]


def mentions(folder: str | os.PathLike, marks: list[bytes]) -> tuple[str, ...]:
    found = []
    for path in find_journals(folder):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if any(m in data for m in marks):
            found.append(str(path))
    return tuple(found)


def _leave_hosting(session, regs: list[int]) -> None:
    """As if they had left: a newcomer's host gets the slot back, a host's newcomers go back
    to the front of the queue for another host. Then their rows can go."""
    from checkin.hosting import assignments
    from checkin.timeutil import utcnow

    now = utcnow()
    # A forgotten host can no longer be given anyone, not even their own newcomers back.
    session.execute(update(Host).where(Host.registration_id.in_(regs)).values(active=False))
    rows = session.execute(
        select(Registration.id, Registration.event_id).where(Registration.id.in_(regs))
    ).all()
    for reg_id, event_id in rows:
        assignments.person_left(session, event_id, reg_id, now, "forgotten")
    session.flush()


def _delete_registrations(conn: Connection, regs: list[int]) -> None:
    """Everything that hangs off these registrations, children first."""
    for i in range(0, len(regs), CHUNK):
        part = regs[i : i + CHUNK]
        hosts = list(conn.scalars(select(Host.id).where(Host.registration_id.in_(part))))
        conn.execute(
            delete(Assignment).where(
                or_(Assignment.newcomer_id.in_(part), Assignment.host_id.in_(hosts))
            )
        )
        _drop_introductions(conn, set(part))
        conn.execute(delete(QueueEntry).where(QueueEntry.newcomer_id.in_(part)))
        conn.execute(delete(PrintLog).where(PrintLog.registration_id.in_(part)))
        conn.execute(delete(CheckIn).where(CheckIn.registration_id.in_(part)))
        conn.execute(delete(Host).where(Host.id.in_(hosts)))  # host tags go by cascade
        conn.execute(delete(Registration).where(Registration.id.in_(part)))


def _drop_introductions(conn: Connection, regs: set[int]) -> None:
    """Other newcomers were told to meet them: keep the advice, minus this person."""
    for aid, intros in conn.execute(select(Assignment.id, Assignment.introductions)):
        kept = tuple(i for i in intros if i not in regs)
        if len(kept) != len(intros):
            conn.execute(update(Assignment).where(Assignment.id == aid).values(introductions=kept))


# ---- retention ----------------------------------------------------------------------------


def event_end(day: dt.date | None, last_action: dt.datetime | None, created: dt.datetime):
    """An event has ended at the end of its day; undated, at its last door action."""
    if day is not None:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return as_utc(last_action or created)


def purge(db: Database, *, older_than_days: int, now: dt.datetime | None = None) -> PurgeResult:
    """Delete guest data of every event that ended more than ``older_than_days`` ago."""
    if older_than_days < 0:
        raise InvalidInput("--older-than-days must be 0 or more.")
    cutoff = (now or utcnow()) - dt.timedelta(days=older_than_days)
    names: list[str] = []
    tallies: dict[str, dict] = {}
    total = 0
    with db.write() as session:
        conn = session.connection()
        last = dict(
            conn.execute(
                select(CheckIn.event_id, func.max(CheckIn.at)).group_by(CheckIn.event_id)
            ).all()
        )
        for ev_id, name, day, created in conn.execute(
            select(Event.id, Event.name, Event.day, Event.created_at).order_by(Event.id)
        ).all():
            if event_end(day, last.get(ev_id), created) > cutoff:
                continue
            regs = list(conn.scalars(select(Registration.id).where(Registration.event_id == ev_id)))
            if not regs:
                continue
            tallies[name] = _tally(conn, ev_id)
            _save_tally(conn, ev_id, tallies[name])
            _delete_registrations(conn, regs)
            names.append(name)
            total += len(regs)
        orphans = list(
            conn.scalars(
                select(Person.id).where(
                    ~select(Registration.id).where(Registration.person_id == Person.id).exists()
                )
            )
        )
        for i in range(0, len(orphans), CHUNK):
            part = orphans[i : i + CHUNK]
            conn.execute(delete(PersonTag).where(PersonTag.person_id.in_(part)))
            conn.execute(delete(Person).where(Person.id.in_(part)))
    if names or orphans:
        scrubbed = scrub_files(db, tables=_VACUUM_TABLES)
        return PurgeResult(tuple(names), total, len(orphans), tallies, scrubbed)
    return PurgeResult(tuple(names), total, len(orphans), tallies)


def _tally(conn: Connection, ev_id: int) -> dict:
    r = Registration
    counts = conn.execute(
        select(
            func.count(),
            func.count(r.checked_in_at),
            func.sum(_flag(r.first_time.is_(True) & r.checked_in_at.is_not(None))),
            func.sum(_flag(r.source == "walkin")),
            func.sum(_flag(r.status == "cancelled")),
            func.sum(_flag((r.status != "cancelled") & r.checked_in_at.is_(None))),
        ).where(r.event_id == ev_id)
    ).one()
    hosted = conn.scalar(
        select(func.count(func.distinct(Assignment.newcomer_id))).where(
            Assignment.event_id == ev_id, Assignment.status.in_(("active", "met"))
        )
    )
    keys = ("registered", "checked_in", "first_timers", "walk_ins", "cancelled", "no_shows")
    out = {k: int(v or 0) for k, v in zip(keys, counts, strict=True)}
    return {**out, "hosted": int(hosted or 0), "purged_at": utcnow().isoformat()}


def _flag(condition):
    return case((condition, 1), else_=0)


def _save_tally(conn: Connection, ev_id: int, tally: dict) -> None:
    key = f"{TALLY_PREFIX}{ev_id}"
    conn.execute(delete(Meta).where(Meta.key == key))
    conn.execute(Meta.__table__.insert().values(key=key, value=json.dumps(tally)))


def tally_of(db: Database, event_id: int) -> dict | None:
    """The counts kept when this event's guests were purged, or None."""
    with db.read() as session:
        value = session.scalar(select(Meta.value).where(Meta.key == f"{TALLY_PREFIX}{event_id}"))
    return json.loads(value) if value else None
