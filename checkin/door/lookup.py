"""Finding a guest's registration by code, and saying why a code is not on tonight's list."""

from __future__ import annotations

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from checkin.changes import GuestIdent
from checkin.door.codes import (
    is_valid_app_code,
    looks_like_mistyped_app_code,
    normalise_app_code,
    signing_key,
)
from checkin.door.outcomes import Guest, Outcome, OutcomeKind
from checkin.errors import NotFound
from checkin.events import EventRef
from checkin.store.models import CheckIn, Event, Person, Registration
from checkin.text import split_tags

# FOR NO KEY UPDATE: serialises door actions on one guest, yet lets other transactions
# insert rows that merely reference the guest (foreign-key checks take KEY SHARE locks).
ROW_LOCK = {"key_share": True}


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
    if app is None and looks_like_mistyped_app_code(code):
        return Outcome(OutcomeKind.INVALID_CODE, code, event.name)
    return Outcome(OutcomeKind.UNKNOWN_CODE, code, event.name)


EARLIER_CODE = "Checked in with an earlier event's code"


def same_person_tonight(session: Session, event: Event | EventRef, code: str) -> int | None:
    """Tonight's registration of the person behind another event's code, if they have one.

    A regular who shows last month's QR code is on tonight's list under tonight's code: check
    that registration in rather than send them to the organiser. Only a person who is not on
    tonight's list is OTHER EVENT."""
    candidates = [code.strip()]
    if (app := normalise_app_code(code)) and app not in candidates:
        candidates.append(app)
    earlier = (
        select(Registration.person_id)
        .where(Registration.code.in_(candidates), Registration.event_id != event.id)
        .scalar_subquery()
    )
    return session.scalar(
        select(Registration.id)
        .where(Registration.event_id == event.id, Registration.person_id.in_(earlier))
        .order_by(Registration.id)
        .limit(1)
    )


def guest_names(session: Session, registration_ids: list[int]) -> dict[int, str]:
    """Display names by registration id (the door names a host's newcomers)."""
    if not registration_ids:
        return {}
    rows = session.execute(
        select(Registration.id, Person.first_name, Person.last_name)
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.id.in_(registration_ids))
    )
    return {rid: " ".join(p for p in (first, last) if p) for rid, first, last in rows}


def registration_for(session: Session, ev: Event, code: str) -> Registration:
    reg = find_registration(session, ev, code)
    if reg is None:
        raise NotFound(f"No guest with code '{code}' at {ev.name}.")
    session.refresh(reg, with_for_update=ROW_LOCK)
    return reg


def ident_of(reg: Registration) -> GuestIdent:
    p = reg.person
    return GuestIdent(
        reg.id, reg.code, p.email_key or p.email, p.external_id, p.first_name, p.last_name
    )


_NONCE = select(CheckIn.id, CheckIn.registration_id).where(CheckIn.nonce == bindparam("nonce"))


def logged_nonce(session: Session, nonce: str) -> Row | None:
    """(log id, registration id) of the door action already written with this nonce.

    The one nonce rule: an action carrying a nonce seen before is a repeat (a retried
    request, a merged journal) and changes nothing."""
    return session.connection().execute(_NONCE, {"nonce": nonce}).first()
