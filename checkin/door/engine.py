"""The door: a scanned code becomes a check-in, in one transaction, with its outcome as a value.

``check_in`` resolves the code, decides the outcome, appends to the CheckIn log, decides
whether this is a first-timer and, if so, gives them a host (or a place in the queue) before
committing. The commit is durable before the function returns, so whatever the door shows
has been acknowledged by the disk.

A nonce makes a repeat harmless: the same nonce twice (a retried request, a merged journal)
returns the first answer and writes nothing. A second scan of the same guest is
``already_checked_in`` with the first time and door.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam, exists, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, aliased

from checkin import changes
from checkin.changes import DoorLogged, GuestIdent
from checkin.door import one_trip
from checkin.door.admission import refusal
from checkin.door.codes import normalise_app_code
from checkin.door.first_time import is_first_timer
from checkin.door.lookup import EARLIER_CODE, _unadmitted, logged_nonce, same_person_tonight
from checkin.door.outcomes import Guest, Outcome, OutcomeKind
from checkin.errors import InvalidInput, NotFound
from checkin.events import EventRef, event_ref, find_event, known_ref
from checkin.guestlist.cleaning import checked, clean_code
from checkin.hosting import assignments
from checkin.hosting.policy import newcomer_of
from checkin.store.actions import ChangeSink, committed, run_action
from checkin.store.db import Database
from checkin.store.models import CheckIn, Event, Host, Person, Registration
from checkin.text import fold, split_tags
from checkin.timeutil import utcnow


def _profession_clash(session: Session, event: Event | EventRef, reg: _Reg) -> tuple[str, ...]:
    """Groups with one member per profession want to know at the door, not afterwards."""
    profession = reg.profession
    if not profession:
        return ()
    if not session.scalar(select(Event.one_per_profession).where(Event.id == event.id)):
        return ()
    members = session.execute(
        select(Person.first_name, Person.last_name, Person.profession)
        .join(Registration, Registration.person_id == Person.id)
        .where(
            Registration.event_id == event.id,
            Registration.id != reg.id,
            Registration.status != "cancelled",
            Registration.first_time.is_not(True),
            Registration.first_time_flag.is_not(True),
            Person.profession.is_not(None),
        )
    ).all()
    key = fold(profession)
    names = [f"{f} {last}".strip() for f, last, prof in members if fold(prof or "") == key]
    if not names:
        return ()
    return (f"Profession clash: {profession} — member {', '.join(names[:3])} has it too",)


@dataclass
class _Reg:
    """One registration as the door needs it: a single indexed read, no ORM objects."""

    id: int
    event_id: int
    person_id: int
    code: str
    status: str
    first_time_flag: bool | None
    checked_in_at: dt.datetime | None
    checked_in_device: str | None
    checkin_id: str | None
    checked_out_at: dt.datetime | None
    first_time: bool | None
    first_name: str
    last_name: str
    email: str | None
    company: str | None
    job_title: str | None
    interests: str
    profession: str | None
    host_id: int | None
    email_key: str | None
    external_id: str | None
    languages: str | None
    been_before: bool | None = None  # checked in at an earlier event (read with the guest)

    def ident(self) -> GuestIdent:
        return GuestIdent(
            self.id,
            self.code,
            self.email_key or self.email,
            self.external_id,
            self.first_name,
            self.last_name,
        )

    def guest(self) -> Guest:
        return Guest(
            registration_id=self.id,
            code=self.code,
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            company=self.company,
            job_title=self.job_title,
            interests=split_tags(self.interests),
        )


_EARLIER_REG = aliased(Registration)
# Read with the guest, in the same statement: on PostgreSQL every statement is a round trip.
_BEEN_BEFORE = (
    exists()
    .where(
        _EARLIER_REG.person_id == Registration.person_id,
        _EARLIER_REG.event_id != Registration.event_id,
        _EARLIER_REG.checked_in_at.is_not(None),
        _EARLIER_REG.checked_in_at < bindparam("now"),
    )
    .label("been_before")
)

_REG_SELECT = (
    select(
        Registration.id,
        Registration.event_id,
        Registration.person_id,
        Registration.code,
        Registration.status,
        Registration.first_time_flag,
        Registration.checked_in_at,
        Registration.checked_in_device,
        Registration.checkin_id,
        Registration.checked_out_at,
        Registration.first_time,
        Person.first_name,
        Person.last_name,
        Person.email,
        Person.company,
        Person.job_title,
        Person.interests,
        Person.profession,
        Host.id.label("host_id"),
        Person.email_key,
        Person.external_id,
        Person.languages,
    )
    .join(Person, Person.id == Registration.person_id)
    .outerjoin(Host, Host.registration_id == Registration.id)
)


# The hot path runs statements built once, on the session's connection: building a
# statement and the ORM's execute machinery cost more than the durable commit itself.
# Two doors scanning one guest at once: the row lock makes the second wait, then see the
# first's check-in. NO KEY UPDATE still lets others insert rows referencing this guest.
_BY_CODE = (
    _REG_SELECT.add_columns(_BEEN_BEFORE)
    .where(Registration.event_id == bindparam("event_id"), Registration.code == bindparam("code"))
    .with_for_update(of=Registration, key_share=True)
)
_BY_ID = _REG_SELECT.where(Registration.id == bindparam("rid"))
_BY_ID_LOCKED = (
    _REG_SELECT.add_columns(_BEEN_BEFORE)
    .where(Registration.id == bindparam("rid"))
    .with_for_update(of=Registration, key_share=True)
)
_LOG = insert(CheckIn)
_PROJECT = (
    update(Registration)
    .where(Registration.id == bindparam("b_id"))
    .values(
        checked_in_at=bindparam("b_at"),
        checked_in_device=bindparam("b_device"),
        checkin_id=bindparam("b_log"),
        first_time=bindparam("b_first"),
        checked_out_at=None,
    )
)
_BACK_AGAIN = (
    update(Registration).where(Registration.id == bindparam("b_id")).values(checked_out_at=None)
)


def _load(session: Session, stmt, **params) -> _Reg | None:
    row = session.connection().execute(stmt, params).first()
    return _Reg(*row) if row is not None else None


def _load_by_code(session: Session, event_id: int, code: str, now: dt.datetime) -> _Reg | None:
    code = code.strip()
    reg = _load(session, _BY_CODE, event_id=event_id, code=code, now=now)
    if reg is None and (app := normalise_app_code(code)) and app != code:
        reg = _load(session, _BY_CODE, event_id=event_id, code=app, now=now)
    return reg


def replayed_outcome(session: Session, event, code: str, nonce: str) -> Outcome | None:
    """The answer already given to this nonce, if any (nothing new is written)."""
    previous = logged_nonce(session, nonce)
    if previous is None:
        return None
    reg = _load(session, _BY_ID, rid=previous[1])
    assert reg is not None
    first = reg.checkin_id == previous[0]
    kind = OutcomeKind.CHECKED_IN if first else OutcomeKind.ALREADY_CHECKED_IN
    return _outcome(session, event, reg, kind, code, replayed=True)


def _first_timer(reg: _Reg) -> bool:
    return is_first_timer(
        is_host=reg.host_id is not None,
        list_says=reg.first_time_flag,
        been_before=lambda: bool(reg.been_before),
    )


def _outcome(
    session: Session,
    event: Event | EventRef,
    reg: _Reg,
    kind: OutcomeKind,
    code: str,
    *,
    replayed: bool = False,
    warnings: tuple[str, ...] = (),
    fresh_host=None,
) -> Outcome:
    first_time = bool(reg.first_time)
    host = None
    intros: tuple = ()
    queued = False
    truth = None  # for a newcomer who waits: hosts here, place in the queue, wait (hosting)
    if first_time:
        if fresh_host is not None:
            host, queued, intros, truth = fresh_host
        else:  # a repeat scan: say what was decided the first time
            host = assignments.active_host(session, reg.id)
            queued = host is None and assignments.open_queue_entry(session, reg.id) is not None
            intros = assignments.stored_introductions(session, reg.id)
            if queued:
                truth = assignments.waiting_truth(session, event.id, reg.id, utcnow())
    return Outcome(
        kind,
        code,
        event.name,
        guest=reg.guest(),
        first_time=first_time,
        is_host=reg.host_id is not None,
        host=host,
        queued=queued,
        introductions=tuple(intros or ()),
        checked_in_at=reg.checked_in_at,
        device=reg.checked_in_device,
        checkin_id=reg.checkin_id,
        replayed=replayed,
        warnings=warnings,
        **(truth.as_kwargs() if truth is not None else {}),
    )


def check_in_in_session(
    session: Session,
    event: Event | EventRef,
    code: str,
    *,
    device: str,
    nonce: str,
    now: dt.datetime,
    registration_id: int | None = None,
    probe_nonce: bool = True,
) -> Outcome:
    """The whole check-in, inside the caller's write transaction.

    The common case (a guest arriving) is three statements: one read of the guest (with
    whether they came to an earlier event), the log insert and the projection update. With
    ``probe_nonce=False`` a repeated nonce is found by the unique constraint on insert
    instead of a probe first: the caller retries with a probe.
    """
    conn = session.connection()
    if probe_nonce and (replay := replayed_outcome(session, event, code, nonce)) is not None:
        return replay
    if registration_id is not None:
        reg = _load(session, _BY_ID_LOCKED, rid=registration_id, now=now)
    else:
        reg = _load_by_code(session, event.id, code, now)
    earlier_code = False
    if reg is None and (tonight := same_person_tonight(session, event, code)) is not None:
        reg, earlier_code = _load(session, _BY_ID_LOCKED, rid=tonight, now=now), True
    if reg is None:
        return _unadmitted(session, event, code)
    if reg.status != "registered" and (
        refused := refusal(session, event, reg.id, reg.status, code, reg.guest())
    ):
        return refused
    if reg.checked_in_at is not None and reg.checked_out_at is None:
        if (
            not probe_nonce
            and (replay := replayed_outcome(session, event, code, nonce)) is not None
        ):
            return replay
        return _outcome(session, event, reg, OutcomeKind.ALREADY_CHECKED_IN, code)

    log_id = str(uuid.uuid4())
    conn.execute(
        _LOG,
        {
            "id": log_id,
            "event_id": event.id,
            "registration_id": reg.id,
            "action": "checkin",
            "at": now,
            "device": device,
            "nonce": nonce,
        },
    )
    returning = reg.checked_out_at is not None
    if returning:
        conn.execute(_BACK_AGAIN, {"b_id": reg.id})
    else:
        reg.first_time = _first_timer(reg)
        reg.checked_in_at, reg.checked_in_device, reg.checkin_id = now, device, log_id
        params = {"b_id": reg.id, "b_at": now, "b_device": device, "b_log": log_id}
        conn.execute(_PROJECT, {**params, "b_first": reg.first_time})
    reg.checked_out_at = None
    changes.note(
        session,
        DoorLogged(
            log_id,
            event.id,
            reg.id,
            "checkin",
            now,
            device,
            nonce,
            first_time=reg.first_time,
            guest=reg.ident(),
        ),
    )

    warnings: tuple[str, ...] = ()
    fresh = None
    if reg.host_id is not None:
        assignments.host_arrived(session, event.id, now, device)
    elif reg.first_time:
        nc = newcomer_of(
            reg.id, reg.person_id, reg.company, reg.interests, reg.languages, reg.profession
        )
        fresh = assignments.newcomer_arrived(session, event.id, reg.id, now, device, nc)
        warnings = _profession_clash(session, event, reg)
    if returning:
        warnings = (*warnings, "Back again: checked out earlier")
    if earlier_code:
        warnings = (*warnings, EARLIER_CODE)
    return _outcome(
        session, event, reg, OutcomeKind.CHECKED_IN, code, warnings=warnings, fresh_host=fresh
    )


def check_in(
    db: Database,
    event: str | int,
    code: str,
    *,
    device: str = "",
    nonce: str | None = None,
    now: dt.datetime | None = None,
    journal: ChangeSink | None = None,
) -> Outcome:
    """Check in the guest holding ``code`` at ``event``. Never raises for an expected outcome."""
    code = clean_code(code or "")  # invisible characters (and NUL) never match a code
    if not code:
        raise InvalidInput("Nothing was scanned: the code is empty.")
    device = checked("door name", "device", device) or ""
    nonce = nonce or str(uuid.uuid4())
    if db.is_postgresql and (fast := _in_one_trip(db, event, code, device, nonce, now, journal)):
        return fast

    attempts = 0

    def work(session: Session) -> Outcome:
        nonlocal attempts
        attempts += 1
        ev = event_ref(session, event)
        return check_in_in_session(
            session,
            ev,
            code,
            device=device,
            nonce=nonce,
            now=now or utcnow(),
            probe_nonce=attempts > 1,  # a retry may be a repeat: look first
        )

    return run_action(db, work, journal=journal)


def _in_one_trip(
    db: Database,
    event: str | int,
    code: str,
    device: str,
    nonce: str,
    now: dt.datetime | None,
    journal: ChangeSink | None,
) -> Outcome | None:
    """A returning guest on PostgreSQL: one round trip (door/one_trip.py). None when this
    is not that case (nothing was written): the caller takes the usual path."""
    ref = known_ref(db.engine.url, event)
    if ref is None:
        return None  # the first scan finds the event the usual way
    now, log_id = now or utcnow(), str(uuid.uuid4())
    try:
        got = one_trip.returning_guest(
            db.engine,
            _BY_CODE,
            event_id=ref.id,
            code=code.strip(),
            device=device,
            nonce=nonce,
            log_id=log_id,
            now=now,
        )
    except DBAPIError:
        return None  # a conflict, or worse: the usual path retries, or says what is wrong
    if got is None or not got[1]:
        return None
    reg = _Reg(*got[0])
    reg.first_time, reg.checked_in_at, reg.checked_in_device = False, now, device
    reg.checkin_id, reg.checked_out_at = log_id, None
    logged = DoorLogged(
        log_id, ref.id, reg.id, "checkin", now, device, nonce, first_time=False, guest=reg.ident()
    )
    outcome = _outcome(None, ref, reg, OutcomeKind.CHECKED_IN, code)  # type: ignore[arg-type]
    return committed(outcome, (logged,), journal)


def check_in_registration(
    db: Database,
    event: str | int,
    registration_id: int,
    *,
    device: str = "",
    nonce: str | None = None,
    journal: ChangeSink | None = None,
) -> Outcome:
    """Check in a guest found by search (no code scanned)."""
    nonce = nonce or str(uuid.uuid4())

    def work(session: Session) -> Outcome:
        ev = find_event(session, event)
        reg = session.get(Registration, registration_id)
        if reg is None or reg.event_id != ev.id:
            raise NotFound("That guest is not on this event's list.")
        return check_in_in_session(
            session, ev, reg.code, device=device, nonce=nonce, now=utcnow(), registration_id=reg.id
        )

    return run_action(db, work, journal=journal)
