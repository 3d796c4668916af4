"""Walk-ins: people not on the list, registered and checked in in one step."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin import changes
from checkin.changes import GuestRegistered
from checkin.door.codes import issue_code, signing_key
from checkin.door.engine import check_in_in_session, replayed_outcome
from checkin.door.outcomes import Outcome
from checkin.errors import InvalidInput
from checkin.events import find_event
from checkin.guestlist.cleaning import LIMITS, checked
from checkin.hosting.tags import set_interests
from checkin.store.actions import ChangeSink, run_action
from checkin.store.db import Database
from checkin.store.models import Person, Registration
from checkin.text import email_key, is_email, split_tags
from checkin.timeutil import utcnow


def split_name(name: str) -> tuple[str, str]:
    """'Anna Maria Schmidt' -> ('Anna Maria', 'Schmidt'); one word is a first name."""
    parts = name.split()
    if len(parts) <= 1:
        return (parts[0] if parts else "", "")
    return " ".join(parts[:-1]), parts[-1]


def new_app_code(session: Session) -> str:
    key = signing_key(session)
    while True:
        code = issue_code(key)
        taken = session.scalar(select(Registration.id).where(Registration.code == code))
        if taken is None:
            return code


def walk_in(
    db: Database,
    event: str | int,
    *,
    name: str,
    email: str | None = None,
    company: str | None = None,
    job_title: str | None = None,
    interests: str | None = None,
    first_time: bool | None = None,
    device: str = "",
    nonce: str | None = None,
    journal: ChangeSink | None = None,
) -> Outcome:
    """Register a walk-in and check them in; a first-timer goes straight into hosting.

    Someone already known by email keeps their person record (and history); someone already
    on this event's list is simply checked in.
    """
    name = " ".join((checked("walk-in's name", "name", name) or "").split())
    company = checked("company", "company", company)
    job_title = checked("job title", "job_title", job_title)
    device = checked("door name", "device", device) or ""
    if not name:
        raise InvalidInput("A walk-in needs a name.")
    key = email_key(email)
    if key and not is_email(key):
        raise InvalidInput(f'"{email}" is not an email address.')
    nonce = nonce or str(uuid.uuid4())
    first, last = split_name(name)
    if len(first) > LIMITS["first_name"] or len(last) > LIMITS["last_name"]:
        raise InvalidInput(f"The walk-in's name is too long (at most {LIMITS['first_name']}).")
    if key and len(key) > LIMITS["email"]:
        raise InvalidInput(f"The email address can have at most {LIMITS['email']} characters.")

    def work(session: Session) -> Outcome:
        ev = find_event(session, event)
        if (replay := replayed_outcome(session, ev, "", nonce)) is not None:
            return replay  # this walk-in was registered already: nothing new is written
        person = session.scalar(select(Person).where(Person.email_key == key)) if key else None
        if person is None:
            person = Person(first_name=first, last_name=last, email=key, email_key=key)
            session.add(person)
        person.company = (company or "").strip() or person.company
        person.job_title = (job_title or "").strip() or person.job_title
        session.flush()
        if interests:
            set_interests(session, person, split_tags(interests))
        reg = session.scalar(
            select(Registration).where(
                Registration.event_id == ev.id, Registration.person_id == person.id
            )
        )
        if reg is None:
            reg = Registration(
                event_id=ev.id,
                person_id=person.id,
                code=new_app_code(session),
                code_issued=True,
                source="walkin",
                first_time_flag=first_time,
            )
            session.add(reg)
            session.flush()
            changes.note(session, GuestRegistered(ev.id, reg.id))
        elif reg.status == "cancelled":
            reg.status = "registered"  # they came after all: a walk-in re-admits them
        return check_in_in_session(
            session, ev, reg.code, device=device, nonce=nonce, now=utcnow(), registration_id=reg.id
        )

    return run_action(db, work, journal=journal, kind="walkin")
