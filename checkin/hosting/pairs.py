"""Pairs: when every host is full, a host may welcome two newcomers who share an interest
together — one conversation, one slot (an organiser setting, ``Event.pairs``).

A conversation is an assignment and at most one partner (``Assignment.pair_of`` names the
assignment joined). The host's load counts conversations, so a pair never exceeds capacity;
the slot frees when the last of the two is met, released or leaves.
"""

from __future__ import annotations

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import Session, aliased

from checkin.hosting.policy import Newcomer
from checkin.store.models import Assignment, Event, Host, PersonTag, Registration

_Partner = aliased(Assignment)
_HostReg = aliased(Registration)
_SHARED = (
    select(func.count())
    .where(
        PersonTag.person_id == Registration.person_id,
        PersonTag.tag.in_(bindparam("tags", expanding=True)),
    )
    .scalar_subquery()
)
_OPEN_CONVERSATION = (
    select(Assignment.id, Assignment.host_id, _SHARED)
    .join(Registration, Registration.id == Assignment.newcomer_id)
    .join(Host, Host.id == Assignment.host_id)
    .join(_HostReg, _HostReg.id == Host.registration_id)
    .where(
        Assignment.event_id == bindparam("event_id"),
        Assignment.status == "active",
        Assignment.pair_of.is_(None),
        ~exists().where(_Partner.pair_of == Assignment.id, _Partner.status == "active"),
        _HostReg.checked_in_at.is_not(None),
        _HostReg.checked_out_at.is_(None),
        Assignment.host_id.not_in(bindparam("excluded", expanding=True)),
        _SHARED > 0,
    )
    # Most shared first; then the conversation that began last (the two are nearest in time).
    .order_by(_SHARED.desc(), Assignment.created_at.desc(), Assignment.id)
    .limit(1)
)


def pairs_allowed(session: Session, event_id: int) -> bool:
    return bool(session.scalar(select(Event.pairs).where(Event.id == event_id)))


def best_pair(
    session: Session, event_id: int, nc: Newcomer, excluded: set[int] = frozenset()
) -> tuple[int, int] | None:
    """(assignment id, host id) of the conversation this newcomer could join, or None."""
    wanted = [t for t in nc.tags if t in nc.interests]
    if not wanted:
        return None
    params = {"event_id": event_id, "tags": wanted, "excluded": sorted(excluded) or [0]}
    row = session.connection().execute(_OPEN_CONVERSATION, params).first()
    return (row[0], row[1]) if row else None


def in_conversation_with(session: Session, a: Assignment) -> bool:
    """Whether someone else is still in this assignment's conversation (then it holds the slot)."""
    root = a.pair_of or a.id
    return (
        session.scalar(
            select(Assignment.id)
            .where(
                Assignment.id != a.id,
                Assignment.status == "active",
                (Assignment.id == root) | (Assignment.pair_of == root),
            )
            .limit(1)
        )
        is not None
    )


def partner_of(session: Session, a: Assignment) -> int | None:
    """The registration id of the other newcomer in this conversation, if any is active."""
    root = a.pair_of or a.id
    return session.scalar(
        select(Assignment.newcomer_id)
        .where(
            Assignment.id != a.id,
            Assignment.status == "active",
            (Assignment.id == root) | (Assignment.pair_of == root),
        )
        .limit(1)
    )
