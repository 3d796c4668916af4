"""Welcoming hosts: every first-timer gets a host who is here, has room and shares interests.

All functions here run inside the caller's write transaction (the check-in's, or a host
action's), after the event row has been locked, so two doors on one PostgreSQL database
never both give a host their last free slot. On SQLite the write transaction itself
(``BEGIN IMMEDIATE``) serialises them.

The choice of host is one SQL query, best first (see docs/hosting.md):

1. most shared interests, counting a shared profession/industry as one more;
2. a shared language (only when the newcomer listed languages);
3. fewest current newcomers;
4. longest since their last newcomer (never had one = longest);
5. lowest host id, so the same inputs always give the same answer.

A host who is full, not checked in, checked out, or who released this newcomer before, is
never chosen. With no host free the newcomer waits in a first-come queue; whenever a host
arrives or a slot frees up, the queue is served from the front.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from checkin.door.outcomes import HostRef, Introduction
from checkin.hosting.tags import interest_tags, language_tags, tags_of
from checkin.store.models import (
    Event,
    Host,
    HostTag,
    Person,
    PersonTag,
    QueueEntry,
    Registration,
)
from checkin.text import fold, split_tags

MAX_INTRODUCTIONS = 3
_NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Newcomer:
    registration_id: int
    person_id: int
    company: str | None
    interests: dict[str, str]  # folded -> as written, for showing what is shared
    tags: list[str]  # interests + prof: tags
    languages: list[str]  # lang: tags


def lock_event(session: Session, event_id: int) -> None:
    """Serialise hosting changes of one event across doors (a no-op lock on SQLite).

    FOR NO KEY UPDATE, because every check-in row references the event: its foreign-key
    check holds KEY SHARE on the event row, which a plain FOR UPDATE would deadlock against.
    """
    if session.get_bind().dialect.name == "sqlite":
        return  # BEGIN IMMEDIATE already holds the only write lock: no statement needed
    session.execute(select(Event.id).where(Event.id == event_id).with_for_update(key_share=True))


def _display(text: str | None) -> dict[str, str]:
    return {fold(t): t for t in split_tags(text)}


_NEWCOMER = (
    select(
        Registration.person_id,
        Person.company,
        Person.interests,
        Person.languages,
        Person.profession,
    )
    .join(Person, Person.id == Registration.person_id)
    .where(Registration.id == bindparam("rid"))
)


def newcomer(session: Session, registration_id: int) -> Newcomer:
    row = session.connection().execute(_NEWCOMER, {"rid": registration_id}).one()
    return newcomer_of(registration_id, *row)


def newcomer_of(
    registration_id: int,
    person_id: int,
    company: str | None,
    interests: str | None,
    languages: str | None,
    profession: str | None,
) -> Newcomer:
    """The newcomer from what the door already read of them (no statement)."""
    tags = tags_of(interests, languages, profession)
    return Newcomer(
        registration_id,
        person_id,
        company,
        _display(interests),
        interest_tags(tags),
        language_tags(tags),
    )


def _present():
    return and_(Registration.checked_in_at.is_not(None), Registration.checked_out_at.is_(None))


def hosting_now():
    """A host who welcomes newcomers: a signed-up host, or a backup once enlisted."""
    return and_(Host.active.is_(True), or_(Host.backup.is_(False), Host.enlisted_at.is_not(None)))


def _count_tags(name: str):
    """How many of the tags bound as ``name`` the candidate host has: their own for this
    event, else the person's."""
    tags = bindparam(name, expanding=True)
    own = (
        select(func.count())
        .where(HostTag.host_id == Host.id, HostTag.tag.in_(tags))
        .scalar_subquery()
    )
    person = (
        select(func.count())
        .where(PersonTag.person_id == Registration.person_id, PersonTag.tag.in_(tags))
        .scalar_subquery()
    )
    return case((Host.own_tags.is_(True), own), else_=person)


# Built once: statement construction costs more than SQLite's work here (see make bench).
# Labelled, so ORDER BY reuses the count the select computed rather than counting again.
_SHARED = _count_tags("tags").label("shared")
_FREE = (
    select(Host.id, _SHARED)
    .join(Registration, Registration.id == Host.registration_id)
    .where(
        Host.event_id == bindparam("event_id"),
        hosting_now(),
        Host.load < Host.capacity,
        Registration.checked_in_at.is_not(None),
        Registration.checked_out_at.is_(None),
        Host.id.not_in(bindparam("excluded", expanding=True)),
    )
    .limit(1)
)
_LATER = (Host.load, func.coalesce(Host.last_assigned_at, _NEVER), Host.id)
# Without languages to match (most newcomers) their term is left out: it would count per host.
_FREE_HOSTS = _FREE.order_by(_SHARED.desc(), *_LATER)
_FREE_HOSTS_LANG = _FREE.order_by(_SHARED.desc(), (_count_tags("languages") > 0).desc(), *_LATER)


def best_host(
    session: Session, event_id: int, nc: Newcomer, excluded: set[int] = frozenset()
) -> tuple[int, int] | None:
    """(host id, shared count) of the best free host for this newcomer, or None.

    Only hosts with room are scored: a correlated count over the (person, tag) primary key
    per candidate, so the cost follows the number of free hosts, not the size of the list.
    """
    params = {
        "event_id": event_id,
        "tags": nc.tags,
        "languages": nc.languages,
        "excluded": sorted(excluded) or [0],
    }
    stmt = _FREE_HOSTS_LANG if nc.languages else _FREE_HOSTS
    row = session.connection().execute(stmt, params).first()
    return (row[0], int(row[1])) if row else None


_HOST_COLUMNS = (
    Host.registration_id,
    Host.own_tags,
    Registration.code,
    Person.first_name,
    Person.last_name,
    Person.company,
    Person.interests,
)
_HOST = (
    select(*_HOST_COLUMNS)
    .join(Registration, Registration.id == Host.registration_id)
    .join(Person, Person.id == Registration.person_id)
    .where(Host.id == bindparam("host_id"))
)
# A newcomer just in: the best free host with what the door shows of them, in one statement,
# and only when nobody is waiting already (a newcomer never jumps the queue).
_NOBODY_WAITING = ~(
    select(QueueEntry.id)
    .where(QueueEntry.event_id == bindparam("event_id"), QueueEntry.resolved_at.is_(None))
    .exists()
)


def _on_arrival(stmt):
    joined = stmt.add_columns(*_HOST_COLUMNS).join(Person, Person.id == Registration.person_id)
    return joined.where(_NOBODY_WAITING)


_ARRIVAL_HOSTS = _on_arrival(_FREE_HOSTS)
_ARRIVAL_HOSTS_LANG = _on_arrival(_FREE_HOSTS_LANG)


def host_on_arrival(session: Session, event_id: int, nc: Newcomer) -> tuple[int, HostRef] | None:
    """(shared count, host) of the best free host for a newcomer just in, or None when no
    host is free or others already wait."""
    params = {"event_id": event_id, "tags": nc.tags, "languages": nc.languages, "excluded": [0]}
    stmt = _ARRIVAL_HOSTS_LANG if nc.languages else _ARRIVAL_HOSTS
    row = session.connection().execute(stmt, params).first()
    if row is None:
        return None
    return int(row[1]), _ref(session.connection(), row[0], row[2:], nc)


_HOST_OWN_TAGS = select(HostTag.tag).where(
    HostTag.host_id == bindparam("host_id"), HostTag.tag.in_(bindparam("tags", expanding=True))
)


def host_ref(session: Session, host_id: int, nc: Newcomer | None = None) -> HostRef:
    conn = session.connection()
    return _ref(conn, host_id, conn.execute(_HOST, {"host_id": host_id}).one(), nc)


def _ref(conn, host_id: int, row, nc: Newcomer | None) -> HostRef:
    reg_id, own_tags, code, first, last, company, interests = row
    shared: tuple[str, ...] = ()
    if nc is not None and nc.interests:
        if own_tags:  # this evening's own interests, kept as tags only
            tags = list(nc.interests)
            found = conn.execute(_HOST_OWN_TAGS, {"host_id": host_id, "tags": tags})
            keys = set(found.scalars())
        else:  # the person's tags are made from these very interests (hosting/tags.py)
            keys = set(tags_of(interests))
        shared = tuple(v for k, v in nc.interests.items() if k in keys)
    name = " ".join(p for p in (first, last) if p)
    return HostRef(host_id, reg_id, name, code, company, shared)


# Introductions look among the most recent arrivals still here: they are near the door, not
# yet deep in conversation, and the cost stays flat however big the crowd (measured in bench).
INTRODUCTION_WINDOW = 200


_WINDOW = (
    select(
        Registration.id,
        Registration.person_id,
        Registration.checked_in_at,
        Registration.first_time,
    )
    .where(
        Registration.event_id == bindparam("event_id"),
        Registration.checked_in_at.is_not(None),
        Registration.checked_out_at.is_(None),
    )
    .order_by(Registration.checked_in_at.desc())
    .limit(bindparam("window"))
    .cte("recent")
)
_SHARING = (
    select(
        _WINDOW.c.id,
        literal(0).label("kind"),
        func.row_number()
        .over(order_by=(func.count(PersonTag.tag).desc(), _WINDOW.c.checked_in_at, _WINDOW.c.id))
        .label("pos"),
    )
    .join(PersonTag, PersonTag.person_id == _WINDOW.c.person_id)
    .where(
        PersonTag.tag.in_(bindparam("tags", expanding=True)),
        _WINDOW.c.id.not_in(bindparam("skip", expanding=True)),
    )
    .group_by(_WINDOW.c.id, _WINDOW.c.checked_in_at)
    .order_by(func.count(PersonTag.tag).desc(), _WINDOW.c.checked_in_at, _WINDOW.c.id)
    .limit(12)
    .subquery()
)
_REGULARS = (
    select(
        _WINDOW.c.id,
        literal(1).label("kind"),
        func.row_number()
        .over(order_by=(_WINDOW.c.checked_in_at.desc(), _WINDOW.c.id))
        .label("pos"),
    )
    .where(_WINDOW.c.first_time.is_(False), _WINDOW.c.id.not_in(bindparam("skip", expanding=True)))
    .order_by(_WINDOW.c.checked_in_at.desc(), _WINDOW.c.id)
    .limit(12)
    .subquery()
)
# One statement (on PostgreSQL one round trip): those sharing an interest, best first, then
# the regulars who came in last, each with what the door shows of them.
_CANDIDATES = union_all(select(_SHARING), select(_REGULARS)).subquery()
_INTRODUCIBLE = (
    select(_CANDIDATES.c.id, Person.first_name, Person.last_name, Person.company, Person.interests)
    .join(Registration, Registration.id == _CANDIDATES.c.id)
    .join(Person, Person.id == Registration.person_id)
    .order_by(_CANDIDATES.c.kind, _CANDIDATES.c.pos)
)


def introductions(
    session: Session, event_id: int, nc: Newcomer, exclude: set[int]
) -> tuple[Introduction, ...]:
    """Up to 3 people here now to meet: shared interests first, never the same company.

    When fewer than 3 share an interest, regulars who arrived most recently fill the rest
    (a host can always introduce a newcomer to someone who knows the group).
    """
    conn = session.connection()
    params = {
        "event_id": event_id,
        "window": INTRODUCTION_WINDOW,
        "skip": sorted(exclude | {nc.registration_id}),
    }
    wanted = [t for t in nc.tags if t in nc.interests]
    found = conn.execute(_INTRODUCIBLE, {**params, "tags": wanted}).all()
    if not found:
        return ()
    rows = {r[0]: r for r in found}
    candidates = [r[0] for r in found]
    company = fold(nc.company) if nc.company else None
    chosen: list[Introduction] = []
    for reg_id in dict.fromkeys(candidates):
        _, first, last, their_company, interests = rows[reg_id]
        if company and their_company and fold(their_company) == company:
            continue
        theirs = _display(interests)
        shared_names = tuple(v for k, v in nc.interests.items() if k in theirs)
        chosen.append(Introduction(reg_id, f"{first} {last}".strip(), their_company, shared_names))
        if len(chosen) == MAX_INTRODUCTIONS:
            break
    return tuple(chosen)
