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

from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from checkin.door.outcomes import HostRef, Introduction
from checkin.hosting.tags import interest_tags, language_tags, tags_of
from checkin.store.models import (
    Event,
    Host,
    HostTag,
    Person,
    PersonTag,
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
    tags = tags_of(row.interests, row.languages, row.profession)
    return Newcomer(
        registration_id,
        row.person_id,
        row.company,
        _display(row.interests),
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
_SHARED = _count_tags("tags")
_FREE_HOSTS = (
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
    .order_by(
        _SHARED.desc(),
        (_count_tags("languages") > 0).desc(),
        Host.load,
        func.coalesce(Host.last_assigned_at, _NEVER),
        Host.id,
    )
    .limit(1)
)


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
    row = session.connection().execute(_FREE_HOSTS, params).first()
    return (row[0], int(row[1])) if row else None


_HOST = (
    select(
        Host.registration_id,
        Host.own_tags,
        Registration.code,
        Registration.person_id,
        Person.first_name,
        Person.last_name,
        Person.company,
    )
    .join(Registration, Registration.id == Host.registration_id)
    .join(Person, Person.id == Registration.person_id)
    .where(Host.id == bindparam("host_id"))
)
_HOST_OWN_TAGS = select(HostTag.tag).where(
    HostTag.host_id == bindparam("host_id"), HostTag.tag.in_(bindparam("tags", expanding=True))
)
_PERSON_TAGS = select(PersonTag.tag).where(
    PersonTag.person_id == bindparam("person_id"),
    PersonTag.tag.in_(bindparam("tags", expanding=True)),
)


def host_ref(session: Session, host_id: int, nc: Newcomer | None = None) -> HostRef:
    conn = session.connection()
    row = conn.execute(_HOST, {"host_id": host_id}).one()
    shared: tuple[str, ...] = ()
    if nc is not None and nc.interests:
        tags = list(nc.interests)
        if row.own_tags:
            found = conn.execute(_HOST_OWN_TAGS, {"host_id": host_id, "tags": tags})
        else:
            found = conn.execute(_PERSON_TAGS, {"person_id": row.person_id, "tags": tags})
        keys = set(found.scalars())
        shared = tuple(v for k, v in nc.interests.items() if k in keys)
    name = " ".join(p for p in (row.first_name, row.last_name) if p)
    return HostRef(host_id, row.registration_id, name, row.code, row.company, shared)


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
    .subquery()
)
_SHARING = (
    select(_WINDOW.c.id)
    .join(PersonTag, PersonTag.person_id == _WINDOW.c.person_id)
    .where(
        PersonTag.tag.in_(bindparam("tags", expanding=True)),
        _WINDOW.c.id.not_in(bindparam("skip", expanding=True)),
    )
    .group_by(_WINDOW.c.id, _WINDOW.c.checked_in_at)
    .order_by(func.count(PersonTag.tag).desc(), _WINDOW.c.checked_in_at, _WINDOW.c.id)
    .limit(12)
)
_REGULARS = (
    select(_WINDOW.c.id)
    .where(_WINDOW.c.first_time.is_(False), _WINDOW.c.id.not_in(bindparam("skip", expanding=True)))
    .order_by(_WINDOW.c.checked_in_at.desc(), _WINDOW.c.id)
    .limit(12)
)
_PEOPLE = (
    select(Registration.id, Person.first_name, Person.last_name, Person.company, Person.interests)
    .join(Person, Person.id == Registration.person_id)
    .where(Registration.id.in_(bindparam("ids", expanding=True)))
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
    candidates: list[int] = []
    wanted = [t for t in nc.tags if t in nc.interests]
    if wanted:
        candidates += conn.execute(_SHARING, {**params, "tags": wanted}).scalars().all()
    candidates += conn.execute(_REGULARS, params).scalars().all()
    if not candidates:
        return ()
    rows = {r[0]: r for r in conn.execute(_PEOPLE, {"ids": sorted(set(candidates))})}
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
