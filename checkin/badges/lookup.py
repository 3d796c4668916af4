"""What goes on a guest's badge, read from the database (plain ``BadgeData`` for the renderer).

Reads only; one query for a whole event, so a batch of 1,000 badges is not 1,000 round trips.
The QR carries a vCard only for guests who agreed to share their contact details.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased, lazyload

from checkin.badges.data import BadgeData
from checkin.door.first_time import is_first_timer
from checkin.errors import NotFound
from checkin.events import find_event
from checkin.store.db import Database
from checkin.store.models import Assignment, Event, Host, Person, Registration
from checkin.text import fold

# The host a first-timer was given and has not lost: still with them, or already met.
HOST_STATUSES = ("active", "met")


@dataclass(frozen=True)
class GuestBadge:
    """A badge and whose it is (the print log is kept per registration)."""

    registration_id: int
    code: str
    badge: BadgeData
    last_name: str = ""  # for sorting: the badge itself only has first and full name
    cancelled: bool = False
    checked_in: bool = False


def _vcard_escape(value: str) -> str:
    # RFC 6350 3.4: backslash, comma, semicolon and line breaks are escaped in values.
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def vcard_text(person: Person) -> str:
    """A vCard 3.0 of the details the guest gave (read by every phone's camera)."""
    esc = _vcard_escape
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{esc(person.last_name)};{esc(person.first_name)};;;",
        f"FN:{esc(person.full_name)}",
    ]
    if person.company:
        lines.append(f"ORG:{esc(person.company)}")
    if person.job_title:
        lines.append(f"TITLE:{esc(person.job_title)}")
    if person.email:
        lines.append(f"EMAIL:{esc(person.email)}")
    if person.phone:
        lines.append(f"TEL:{esc(person.phone)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines)


def _host_names(session: Session, chosen: Select) -> dict[int, str]:
    """Newcomer registration id -> their host's name (the latest active/met assignment)."""
    host_reg = aliased(Registration)
    rows = session.execute(
        select(Assignment.newcomer_id, Person.first_name, Person.last_name)
        .join(Host, Host.id == Assignment.host_id)
        .join(host_reg, host_reg.id == Host.registration_id)
        .join(Person, Person.id == host_reg.person_id)
        .where(Assignment.newcomer_id.in_(chosen), Assignment.status.in_(HOST_STATUSES))
        .order_by(Assignment.created_at, Assignment.id)
    ).all()
    # Later rows win: a reassigned newcomer's badge names the host they have now.
    return {nid: " ".join(p for p in (first, last) if p) for nid, first, last in rows}


def _been_before(session: Session, chosen: Select) -> set[int]:
    """Registrations among ``chosen`` whose person checked in at another event."""
    other = aliased(Registration)
    return set(
        session.scalars(
            select(Registration.id)
            .join(other, other.person_id == Registration.person_id)
            .where(
                Registration.id.in_(chosen),
                other.event_id != Registration.event_id,
                other.checked_in_at.is_not(None),
            )
            .distinct()
        )
    )


def _first_time(reg: Registration, is_host: bool, been_before: bool) -> bool:
    """Decided at check-in when they came; before that, as the door would decide it."""
    return is_first_timer(
        is_host=is_host,
        list_says=reg.first_time_flag,
        been_before=lambda: been_before,
        decided=reg.first_time,
    )


def _load(session: Session, stmt: Select) -> list[GuestBadge]:
    """One query for the guests, three for hosts and history: whatever the number of guests.

    The related lookups take the guests' query as a subquery rather than a list of ids, so
    a big event never meets a bound-parameter limit.
    """
    rows = session.execute(stmt).all()
    chosen = stmt.with_only_columns(Registration.id).order_by(None)
    hosts = set(
        session.scalars(select(Host.registration_id).where(Host.registration_id.in_(chosen)))
    )
    host_names = _host_names(session, chosen)
    before = _been_before(session, chosen)
    out = []
    for reg, person, event in rows:
        first_time = _first_time(reg, reg.id in hosts, reg.id in before)
        badge = BadgeData(
            first_name=person.first_name or person.full_name,
            full_name=person.full_name,
            company=person.company or None,
            job_title=person.job_title or None,
            event_name=event.name,
            first_time=first_time,
            host_name=host_names.get(reg.id) if first_time else None,
            vcard=vcard_text(person) if person.vcard_consent else None,
            code=reg.code,
        )
        out.append(
            GuestBadge(
                reg.id,
                reg.code,
                badge,
                last_name=person.last_name,
                cancelled=reg.status == "cancelled",
                checked_in=reg.checked_in_at is not None,
            )
        )
    return out


def _base() -> Select:
    return (
        select(Registration, Person, Event)
        .join(Person, Person.id == Registration.person_id)
        .join(Event, Event.id == Registration.event_id)
        .options(lazyload(Registration.person))  # Person is selected already: no second join
    )


def badge_for_registration(db: Database, registration_id: int) -> BadgeData:
    """The badge of one guest, e.g. right after their check-in."""
    with db.read() as session:
        found = _load(session, _base().where(Registration.id == registration_id))
    if not found:
        raise NotFound(f"No registration with id {registration_id}.")
    return found[0].badge


def sort_key(item: GuestBadge) -> tuple[str, str, int]:
    """Last name, then first name, ignoring case and accents ("Ångström" files under A)."""
    first = item.badge.first_name
    return (fold(item.last_name or first), fold(first), item.registration_id)


def badges_for_event(
    db: Database,
    event: str | int,
    *,
    codes: Iterable[str] | None = None,
    only_checked_in: bool = False,
) -> list[GuestBadge]:
    """Badges for an event's guests sorted by last name: every guest not cancelled, or only
    ``codes`` (unknown codes raise NotFound; a cancelled guest comes back marked, for the
    caller to skip with a warning)."""
    wanted = list(dict.fromkeys(c.strip() for c in codes or () if c.strip()))
    with db.read() as session:
        ev = find_event(session, event)
        stmt = _base().where(Registration.event_id == ev.id)
        if wanted:
            stmt = stmt.where(Registration.code.in_(wanted))
        else:
            stmt = stmt.where(Registration.status != "cancelled")
        if only_checked_in and not wanted:
            stmt = stmt.where(Registration.checked_in_at.is_not(None))
        items = _load(session, stmt)
    missing = sorted(set(wanted) - {item.code for item in items})
    if missing:
        raise NotFound(f"No guest at '{ev.name}' with code {', '.join(missing)}.")
    if only_checked_in:
        items = [item for item in items if item.checked_in]
    return sorted(items, key=sort_key)
