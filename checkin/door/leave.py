"""Undoing a check-in (a mistake at the door) and checking a guest out (leaving early)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin import changes
from checkin.changes import DoorLogged
from checkin.door.lookup import guest_of, ident_of, logged_nonce, registration_for
from checkin.door.outcomes import ActionResult
from checkin.events import find_event
from checkin.hosting import assignments
from checkin.store.actions import ChangeSink, run_action
from checkin.store.db import Database
from checkin.store.models import CheckIn, Registration
from checkin.timeutil import utcnow


def undo(
    db: Database,
    event: str | int,
    code: str,
    *,
    device: str = "",
    nonce: str | None = None,
    journal: ChangeSink | None = None,
) -> ActionResult:
    """Undo a guest's check-in (a mistake at the door). The log keeps both records."""
    nonce = nonce or str(uuid.uuid4())

    def work(session: Session) -> ActionResult:
        ev = find_event(session, event)
        if logged_nonce(session, nonce) is not None:
            reg = registration_for(session, ev, code)
            return ActionResult(True, guest_of(reg), "Already undone.")
        reg = registration_for(session, ev, code)
        if reg.checked_in_at is None:
            return ActionResult(False, guest_of(reg), f"{reg.person.full_name} is not checked in.")
        now = utcnow()
        if reg.checked_out_at is None and (back := _return_to_undo(session, reg)) is not None:
            # They came back after checking out: undoing that keeps their first arrival.
            again, left_at = back
            _log(session, ev.id, reg.id, "undo", now, device, nonce, ref_id=again)
            reg.checked_out_at = left_at
            session.flush()
            assignments.person_left(session, ev.id, reg.id, now, "undone")
            name = reg.person.full_name
            return ActionResult(True, guest_of(reg), f"{name}'s return undone; first arrival kept.")
        _log(session, ev.id, reg.id, "undo", now, device, nonce, ref_id=reg.checkin_id)
        reg.checked_in_at = None
        reg.checked_in_device = None
        reg.checkin_id = None
        reg.checked_out_at = None
        reg.first_time = None
        session.flush()
        assignments.person_left(session, ev.id, reg.id, now, "undone")
        return ActionResult(True, guest_of(reg), f"Check-in of {reg.person.full_name} undone.")

    return run_action(db, work, journal=journal)


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
    log_id = str(uuid.uuid4())
    session.add(
        CheckIn(
            id=log_id,
            event_id=event_id,
            registration_id=registration_id,
            action=action,
            at=at,
            device=device,
            nonce=nonce,
            ref_id=ref_id,
        )
    )
    ident = ident_of(session.get(Registration, registration_id))
    changes.note(
        session,
        DoorLogged(
            log_id, event_id, registration_id, action, at, device, nonce, ref_id, guest=ident
        ),
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
    journal: ChangeSink | None = None,
) -> ActionResult:
    """A guest (often a host leaving early) leaves; a host's newcomers are re-hosted."""
    nonce = nonce or str(uuid.uuid4())

    def work(session: Session) -> ActionResult:
        ev = find_event(session, event)
        reg = registration_for(session, ev, code)
        if logged_nonce(session, nonce) is not None:
            return ActionResult(True, guest_of(reg), "Already checked out.")
        if reg.checked_in_at is None or reg.checked_out_at is not None:
            return ActionResult(False, guest_of(reg), f"{reg.person.full_name} is not here.")
        at = now or utcnow()
        _log(session, ev.id, reg.id, "checkout", at, device, nonce)
        reg.checked_out_at = at
        session.flush()
        assignments.person_left(session, ev.id, reg.id, at, "left")
        return ActionResult(True, guest_of(reg), f"{reg.person.full_name} checked out.")

    return run_action(db, work, journal=journal)
