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
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from checkin import hosting
from checkin.codes import is_valid_app_code, normalise_app_code, signing_key
from checkin.db import Database
from checkin.errors import DatabaseError, InvalidInput, NotFound
from checkin.events import EventRef, event_ref, find_event
from checkin.journal import Journal, journaled  # journal hook
from checkin.models import CheckIn, Event, Host, Person, Registration
from checkin.outcomes import Guest, Outcome, OutcomeKind, UndoResult
from checkin.text import fold, split_tags
from checkin.timeutil import utcnow

T = TypeVar("T")
# FOR NO KEY UPDATE: serialises door actions on one guest, yet lets other transactions
# insert rows that merely reference the guest (foreign-key checks take KEY SHARE locks).
ROW_LOCK = {"key_share": True}
MAX_ATTEMPTS = 5


def with_retry(db: Database, work: Callable[[Session], T]) -> T:
    """Run ``work`` in a write transaction, again if a concurrent door made it conflict.

    PostgreSQL may abort one of two racing transactions (deadlock, serialisation, a unique
    nonce inserted by the other); the retry sees the other's result and answers from it.
    """
    for attempt in range(MAX_ATTEMPTS):
        try:
            with db.write() as session:
                return work(session)
        except (DBAPIError, DatabaseError) as exc:
            if not _is_conflict(exc) or attempt == MAX_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))  # let the other door finish
    raise AssertionError("unreachable")


def _is_conflict(exc: BaseException) -> bool:
    if isinstance(exc, DatabaseError):  # a translated driver error: look at the original
        exc = exc.__cause__ if exc.__cause__ is not None else exc
    if isinstance(exc, IntegrityError):
        return True  # e.g. the same nonce committed by another door a moment ago
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return code in {"40001", "40P01"}  # serialization_failure, deadlock_detected


def guest_of(reg: Registration) -> Guest:
    p = reg.person
    return Guest(
        registration_id=reg.id,
        code=reg.code,
        first_name=p.first_name,
        last_name=p.last_name,
        email=p.email,
        company=p.company,
        job_title=p.job_title,
        interests=split_tags(p.interests),
    )


def find_registration(session: Session, event: Event, code: str) -> Registration | None:
    code = code.strip()
    reg = session.scalar(
        select(Registration).where(Registration.event_id == event.id, Registration.code == code)
    )
    if reg is None and (app := normalise_app_code(code)) and app != code:
        reg = session.scalar(
            select(Registration).where(Registration.event_id == event.id, Registration.code == app)
        )
    return reg


def _unadmitted(session: Session, event: Event | EventRef, code: str) -> Outcome:
    """The code is not on this event's list: another event's, forged/mistyped, or unknown."""
    candidates = [code.strip()]
    if (app := normalise_app_code(code)) and app not in candidates:
        candidates.append(app)
    other = session.execute(
        select(Event.name, Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.code.in_(candidates), Registration.event_id != event.id)
        .limit(1)
    ).first()
    if other is not None:
        return Outcome(
            OutcomeKind.WRONG_EVENT,
            code,
            event.name,
            guest=guest_of(other[1]),
            other_event=other[0],
        )
    if app is not None and not is_valid_app_code(signing_key(session), app):
        return Outcome(OutcomeKind.INVALID_CODE, code, event.name)
    return Outcome(OutcomeKind.UNKNOWN_CODE, code, event.name)


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
        Host.id,
    )
    .join(Person, Person.id == Registration.person_id)
    .outerjoin(Host, Host.registration_id == Registration.id)
)


# The hot path runs statements built once, on the session's connection: building a
# statement and the ORM's execute machinery cost more than the durable commit itself.
# Two doors scanning one guest at once: the row lock makes the second wait, then see the
# first's check-in. NO KEY UPDATE still lets others insert rows referencing this guest.
_BY_CODE = _REG_SELECT.where(
    Registration.event_id == bindparam("event_id"), Registration.code == bindparam("code")
).with_for_update(of=Registration, key_share=True)
_BY_ID = _REG_SELECT.where(Registration.id == bindparam("rid"))
_BY_ID_LOCKED = _BY_ID.with_for_update(of=Registration, key_share=True)
_NONCE = select(CheckIn.id, CheckIn.registration_id).where(CheckIn.nonce == bindparam("nonce"))
_EARLIER = (
    select(Registration.id)
    .where(
        Registration.person_id == bindparam("person_id"),
        Registration.event_id != bindparam("event_id"),
        Registration.checked_in_at.is_not(None),
        Registration.checked_in_at < bindparam("now"),
    )
    .limit(1)
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


def _load_by_code(session: Session, event_id: int, code: str) -> _Reg | None:
    code = code.strip()
    reg = _load(session, _BY_CODE, event_id=event_id, code=code)
    if reg is None and (app := normalise_app_code(code)) and app != code:
        reg = _load(session, _BY_CODE, event_id=event_id, code=app)
    return reg


def _replay(session: Session, event, code: str, nonce: str) -> Outcome | None:
    """The answer already given to this nonce, if any (nothing new is written)."""
    previous = session.connection().execute(_NONCE, {"nonce": nonce}).first()
    if previous is None:
        return None
    reg = _load(session, _BY_ID, rid=previous[1])
    assert reg is not None
    first = reg.checkin_id == previous[0]
    kind = OutcomeKind.CHECKED_IN if first else OutcomeKind.ALREADY_CHECKED_IN
    return _outcome(session, event, reg, kind, code, replayed=True)


def _first_timer(session: Session, reg: _Reg, now: dt.datetime) -> bool:
    """A host never is; the imported list may say; else: no check-in at any earlier event."""
    if reg.host_id is not None:
        return False
    if reg.first_time_flag is not None:
        return reg.first_time_flag
    earlier = session.scalar(
        select(Registration.id)
        .where(
            Registration.person_id == reg.person_id,
            Registration.event_id
            != select(Registration.event_id).where(Registration.id == reg.id).scalar_subquery(),
            Registration.checked_in_at.is_not(None),
            Registration.checked_in_at < now,
        )
        .limit(1)
    )
    return earlier is None


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
    if first_time:
        if fresh_host is not None:
            host, queued, intros = fresh_host
        else:  # a repeat scan: say what was decided the first time
            host = hosting.active_host(session, reg.id)
            queued = host is None and hosting.open_queue_entry(session, reg.id) is not None
            intros = hosting.stored_introductions(session, reg.id)
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

    The common case (a guest arriving) is three statements: one read of the guest, the log
    insert and the projection update (plus a history probe when the list does not say
    whether they are new). With ``probe_nonce=False`` a repeated nonce is found by the
    unique constraint on insert instead of a probe first: the caller retries with a probe.
    """
    conn = session.connection()
    if probe_nonce and (replay := _replay(session, event, code, nonce)) is not None:
        return replay
    if registration_id is not None:
        reg = _load(session, _BY_ID_LOCKED, rid=registration_id)
    else:
        reg = _load_by_code(session, event.id, code)
    if reg is None:
        return _unadmitted(session, event, code)
    if reg.status == "cancelled":
        return Outcome(OutcomeKind.CANCELLED, code, event.name, guest=reg.guest())
    if reg.checked_in_at is not None and reg.checked_out_at is None:
        if not probe_nonce and (replay := _replay(session, event, code, nonce)) is not None:
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
        reg.first_time = _first_timer(session, reg, now)
        reg.checked_in_at, reg.checked_in_device, reg.checkin_id = now, device, log_id
        params = {"b_id": reg.id, "b_at": now, "b_device": device, "b_log": log_id}
        conn.execute(_PROJECT, {**params, "b_first": reg.first_time})
    reg.checked_out_at = None

    warnings: tuple[str, ...] = ()
    fresh = None
    if reg.host_id is not None:
        hosting.host_arrived(session, event.id, now, device)
    elif reg.first_time:
        fresh = hosting.newcomer_arrived(session, event.id, reg.id, now, device)
        warnings = _profession_clash(session, event, reg)
    if returning:
        warnings = (*warnings, "Back again: checked out earlier")
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
    journal: Journal | None = None,  # journal hook
) -> Outcome:
    """Check in the guest holding ``code`` at ``event``. Never raises for an expected outcome."""
    if not code or not code.strip():
        raise InvalidInput("Nothing was scanned: the code is empty.")
    nonce = nonce or str(uuid.uuid4())

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

    return journaled(db, journal, work, nonce=nonce)  # journal hook


def check_in_registration(
    db: Database,
    event: str | int,
    registration_id: int,
    *,
    device: str = "",
    nonce: str | None = None,
    journal: Journal | None = None,  # journal hook
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

    return journaled(db, journal, work, nonce=nonce)  # journal hook


def _registration_for(session: Session, ev: Event, code: str) -> Registration:
    reg = find_registration(session, ev, code)
    if reg is None:
        raise NotFound(f"No guest with code '{code}' at {ev.name}.")
    session.refresh(reg, with_for_update=ROW_LOCK)
    return reg


def undo(
    db: Database,
    event: str | int,
    code: str,
    *,
    device: str = "",
    nonce: str | None = None,
    journal: Journal | None = None,  # journal hook
) -> UndoResult:
    """Undo a guest's check-in (a mistake at the door). The log keeps both records."""
    nonce = nonce or str(uuid.uuid4())

    def work(session: Session) -> UndoResult:
        ev = find_event(session, event)
        if session.scalar(select(CheckIn.id).where(CheckIn.nonce == nonce)):
            reg = _registration_for(session, ev, code)
            return UndoResult(True, guest_of(reg), "Already undone.")
        reg = _registration_for(session, ev, code)
        if reg.checked_in_at is None:
            return UndoResult(False, guest_of(reg), f"{reg.person.full_name} is not checked in.")
        now = utcnow()
        if reg.checked_out_at is None and (back := _return_to_undo(session, reg)) is not None:
            # They came back after checking out: undoing that keeps their first arrival.
            again, left_at = back
            _log(session, ev.id, reg.id, "undo", now, device, nonce, ref_id=again)
            reg.checked_out_at = left_at
            session.flush()
            hosting.person_left(session, ev.id, reg.id, now, "undone")
            name = reg.person.full_name
            return UndoResult(True, guest_of(reg), f"{name}'s return undone; first arrival kept.")
        _log(session, ev.id, reg.id, "undo", now, device, nonce, ref_id=reg.checkin_id)
        reg.checked_in_at = None
        reg.checked_in_device = None
        reg.checkin_id = None
        reg.checked_out_at = None
        reg.first_time = None
        session.flush()
        hosting.person_left(session, ev.id, reg.id, now, "undone")
        return UndoResult(True, guest_of(reg), f"Check-in of {reg.person.full_name} undone.")

    return journaled(db, journal, work, nonce=nonce)  # journal hook


def _log(
    session: Session,
    event_id: int,
    registration_id: int,
    action: str,
    at: dt.datetime,
    device: str,
    nonce: str,
    ref_id: str | None = None,
) -> None:
    """Append one door action to the log (never changed afterwards)."""
    session.add(
        CheckIn(
            id=str(uuid.uuid4()),
            event_id=event_id,
            registration_id=registration_id,
            action=action,
            at=at,
            device=device,
            nonce=nonce,
            ref_id=ref_id,
        )
    )


def _return_to_undo(session: Session, reg: Registration) -> tuple[str, dt.datetime] | None:
    """(id of the latest check-in, time of the checkout before it) when the guest is in
    because they came back, else None."""
    latest = session.execute(
        select(CheckIn.id, CheckIn.at)
        .where(CheckIn.registration_id == reg.id, CheckIn.action == "checkin")
        .order_by(CheckIn.at.desc())
        .limit(1)
    ).first()
    if latest is None or latest.id == reg.checkin_id:
        return None
    left = session.scalar(
        select(CheckIn.at)
        .where(
            CheckIn.registration_id == reg.id,
            CheckIn.action == "checkout",
            CheckIn.at <= latest.at,
        )
        .order_by(CheckIn.at.desc())
        .limit(1)
    )
    return (latest.id, left) if left is not None else None


def check_out(
    db: Database,
    event: str | int,
    code: str,
    *,
    device: str = "",
    nonce: str | None = None,
    now: dt.datetime | None = None,
    journal: Journal | None = None,  # journal hook
) -> UndoResult:
    """A guest (often a host leaving early) leaves; a host's newcomers are re-hosted."""
    nonce = nonce or str(uuid.uuid4())

    def work(session: Session) -> UndoResult:
        ev = find_event(session, event)
        reg = _registration_for(session, ev, code)
        if session.scalar(select(CheckIn.id).where(CheckIn.nonce == nonce)):
            return UndoResult(True, guest_of(reg), "Already checked out.")
        if reg.checked_in_at is None or reg.checked_out_at is not None:
            return UndoResult(False, guest_of(reg), f"{reg.person.full_name} is not here.")
        at = now or utcnow()
        _log(session, ev.id, reg.id, "checkout", at, device, nonce)
        reg.checked_out_at = at
        session.flush()
        hosting.person_left(session, ev.id, reg.id, at, "left")
        return UndoResult(True, guest_of(reg), f"{reg.person.full_name} checked out.")

    return journaled(db, journal, work, nonce=nonce)  # journal hook
