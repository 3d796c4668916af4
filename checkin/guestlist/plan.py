"""Matching a read guest list against the event's registrations: what is new, what changes.

Matching an incoming row to an existing registration of the event: by ticket code, then by
email and name together, then by email alone (for the first row carrying that email; a
buyer who registered friends under their own email gives later rows no email identity).
Everything is read in a few queries; nothing is written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin.guestlist.rows import GuestList, GuestRow, ImportProblem
from checkin.store.models import Event, Person, Registration
from checkin.text import fold, join_tags

CHUNK = 500  # stays under SQLite's bound-parameter limit in IN (...) lists


def person_fields(row: GuestRow) -> dict:
    return {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "title": row.title,
        "email": row.email,
        "company": row.company,
        "job_title": row.job_title,
        "profession": row.profession,
        "phone": row.phone,
        "interests": join_tags(row.interests),
        "languages": join_tags(row.languages),
    }


def reg_fields(row: GuestRow) -> dict:
    return {
        "status": row.status,
        "status_reason": row.status_reason,
        "first_time_flag": False if row.is_host else row.first_time,
        "ticket_type": row.ticket_type,
    }


def chunks(items: list, n: int = CHUNK):
    for i in range(0, len(items), n):
        yield items[i : i + n]


@dataclass
class Existing:
    reg_id: int
    person_id: int
    code: str
    person: dict
    reg: dict
    external_id: str | None = None


def _load_existing(session: Session, event_id: int) -> list[Existing]:
    rows = session.execute(
        select(
            Registration.id,
            Registration.person_id,
            Registration.code,
            Registration.status,
            Registration.first_time_flag,
            Registration.ticket_type,
            Registration.status_reason,
            Person.first_name,
            Person.last_name,
            Person.title,
            Person.email,
            Person.company,
            Person.job_title,
            Person.profession,
            Person.phone,
            Person.interests,
            Person.languages,
            Person.external_id,
        )
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.event_id == event_id)
    ).all()
    out = []
    for r in rows:
        person = dict(
            zip(
                (
                    "first_name",
                    "last_name",
                    "title",
                    "email",
                    "company",
                    "job_title",
                    "profession",
                    "phone",
                    "interests",
                    "languages",
                ),
                r[7:17],
                strict=True,
            )
        )
        reg = {"status": r[3], "status_reason": r[6], "first_time_flag": r[4], "ticket_type": r[5]}
        out.append(Existing(r[0], r[1], r[2], person, reg, r[17]))
    return out


@dataclass
class Plan:
    new: list[GuestRow] = field(default_factory=list)
    updates: list[tuple[GuestRow, Existing]] = field(default_factory=list)
    unchanged: list[tuple[GuestRow, Existing]] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def make_plan(session: Session, event: Event, guests: GuestList) -> Plan:
    existing = _load_existing(session, event.id)
    by_code = {e.code: e for e in existing}
    by_email_name: dict[tuple[str, str], Existing] = {}
    by_email: dict[str, Existing] = {}
    by_external = {e.external_id: e for e in existing if e.external_id}
    by_name: dict[str, list[Existing]] = {}
    for e in existing:
        by_name.setdefault(fold(f"{e.person['first_name']} {e.person['last_name']}"), []).append(e)
    for e in existing:
        if e.person["email"]:
            name = fold(f"{e.person['first_name']} {e.person['last_name']}")
            by_email_name[(e.person["email"], name)] = e
            by_email.setdefault(e.person["email"], e)
    plan = Plan()
    claimed: dict[int, int] = {}  # registration id -> file row that matched it
    file_codes = {r.ticket_code for r in guests.rows if r.ticket_code}
    for row in guests.rows:
        match = by_code.get(row.ticket_code) if row.ticket_code else None
        if match is None and (ident := identity(guests.format, row.external_id)):
            match = by_external.get(ident)
        if match is None and not (row.ticket_code or row.email or row.external_id):
            # A list of bare names: the same name, if only one guest has it, is the same guest.
            same = by_name.get(fold(row.full_name), [])
            if len(same) == 1 and same[0].reg_id not in claimed:
                match = same[0]
        if match is None and row.email in by_email:  # (a name is folded only then)
            match = by_email_name.get((row.email, fold(row.full_name)))
            if match is None:
                candidate = by_email.get(row.email)
                # By email alone only if no other row of the file claims that guest's code.
                if (
                    candidate is not None
                    and candidate.reg_id not in claimed
                    and candidate.code not in file_codes
                ):
                    match = candidate
        if match is None:
            plan.new.append(row)
            continue
        if match.reg_id in claimed:
            plan.problems.append(
                ImportProblem(
                    row.row, None, f"same guest as row {claimed[match.reg_id]} of this file"
                )
            )
            continue
        claimed[match.reg_id] = row.row
        if row.ticket_code and row.ticket_code != match.code and row.ticket_code in by_code:
            plan.problems.append(
                ImportProblem(
                    row.row,
                    guests.mapping.get("ticket_code"),
                    f"ticket code {row.ticket_code} already belongs to another guest",
                )
            )
            continue
        wanted_person = person_fields(row)
        wanted_reg = reg_fields(row)
        code_changes = bool(row.ticket_code) and row.ticket_code != match.code
        if wanted_person == match.person and wanted_reg == match.reg and not code_changes:
            plan.unchanged.append((row, match))
        else:
            plan.updates.append((row, match))
    return plan


# Ids that name a person (a Meetup member, a club's member number) identify them across
# events; Eventbrite attendee numbers and pretix positions name a ticket, so they do not.
PERSON_ID_FORMATS = {"meetup", "generic"}


def identity(fmt: str, external_id: str | None) -> str | None:
    return f"{fmt}:{external_id}" if external_id and fmt in PERSON_ID_FORMATS else None
