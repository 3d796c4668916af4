"""Journal lines made from an action's change records: no re-reading of what it changed.

A door action (check-in, walk-in, undo, check-out) becomes one line carrying its log id,
nonce, time, door and guest; a host action (met, release, reassign) one line named for it.
Either carries the final state of every assignment the action made or ended, so another
database can rebuild the hosting history. The only reads are of the other people involved
(hosts, introductions), so the line names them the way another laptop can find them.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin.changes import (
    AssignmentChanged,
    Change,
    DoorLogged,
    FollowedUp,
    GuestIdent,
    HostAnswered,
)
from checkin.store.models import Assignment, Host, Person, Registration
from checkin.timeutil import iso

HOST_ACTIONS = ("met", "release", "reassign", "enlist")  # enlist: a backup host said yes


def lines_for(
    session: Session, changes: tuple[Change, ...], kind: str | None, device: str
) -> list[dict]:
    """The journal lines for one action's changes (none when it changed nothing)."""
    door = [c for c in changes if isinstance(c, DoorLogged)]
    moves = sorted(
        (c for c in changes if isinstance(c, AssignmentChanged)), key=lambda c: c.assignment_id
    )
    if not door and (follow := [c for c in changes if isinstance(c, FollowedUp)]):
        return [_followed_up(f, device) for f in follow]
    answers = [_answered(session, c, device) for c in changes if isinstance(c, HostAnswered)]
    if not door and not (moves and kind in HOST_ACTIONS):
        return answers
    known = {d.guest.registration_id: d.guest for d in door if d.guest is not None}
    wanted = {m.newcomer_id for m in moves} | {m.host_registration_id for m in moves}
    wanted |= {i for m in moves for i in m.introductions}
    walkin = kind == "walkin"
    details = {d.registration_id for d in door} if walkin else set()
    idents = {rid: _ident_json(g) for rid, g in known.items()}
    idents.update(guest_idents(session, (wanted - known.keys()) | details, details=details))
    states = [_state(m, idents) for m in moves]
    if not door:  # a host action: named for the newcomer it was about
        first = moves[0]
        at = first.ended_at or first.created_at
        line = {"type": kind, "id": str(uuid.uuid4()), "at": iso(at), "device": device}
        return [{**line, "guest": idents.get(first.newcomer_id), "assignments": states}, *answers]
    lines = []
    for n, d in enumerate(door):
        line: dict[str, Any] = {
            "type": "walkin" if walkin and d.action == "checkin" else d.action,
            "id": d.log_id,
            "nonce": d.nonce,
            "at": iso(d.at),
            "device": d.device,
            "guest": idents[d.registration_id],
        }
        if d.action == "undo":
            line["ref"] = d.ref_id
        if d.action == "checkin":
            line["first_time"] = d.first_time
        line["assignments"] = states if n == 0 else []
        lines.append(line)
    return lines + answers


def _followed_up(f: FollowedUp, device: str) -> dict:
    """A host followed a newcomer up after the evening (hosting/followup.py)."""
    return {
        "type": "followed_up",
        "id": str(uuid.uuid4()),
        "at": iso(f.at),
        "device": device or f.device,
        "guest": _ident_json(f.guest),
    }


def _answered(session: Session, c: HostAnswered, device: str) -> dict:
    """A host's answer from their phone (on_my_way, no_answer), named by its assignment."""
    created_at, host_reg = session.execute(
        select(Assignment.created_at, Host.registration_id)
        .join(Host, Host.id == Assignment.host_id)
        .where(Assignment.id == c.assignment_id)
    ).one()
    idents = guest_idents(session, {c.newcomer_id, host_reg})
    return {
        "type": "answer",
        "id": str(uuid.uuid4()),
        "at": iso(c.at),
        "device": device,
        "guest": idents.get(c.newcomer_id),
        "host": idents.get(host_reg),
        "created_at": iso(created_at),
        "answer": c.answer,
    }


def _ident_json(g: GuestIdent) -> dict:
    return {
        "code": g.code,
        "email": g.email,
        "external_id": g.external_id,
        "first_name": g.first_name,
        "last_name": g.last_name,
    }


def _state(m: AssignmentChanged, idents: dict[int, dict]) -> dict:
    return {
        "newcomer": idents.get(m.newcomer_id),
        "host": idents.get(m.host_registration_id),
        "created_at": iso(m.created_at),
        "status": m.status,
        "ended_at": iso(m.ended_at),
        "device": m.device,
        "introductions": [idents[i] for i in m.introductions if i in idents],
        "shared_interests": m.shared_interests,
        "score": m.score,
    }


def guest_idents(session: Session, reg_ids: set[int], *, details: set[int] = frozenset()) -> dict:
    """What another database needs to find (or, with details, re-create) each guest."""
    if not reg_ids:
        return {}
    rows = session.execute(
        select(
            Registration.id,
            Registration.code,
            Person.email,
            Person.email_key,
            Person.external_id,
            Person.first_name,
            Person.last_name,
            Person.company,
            Person.job_title,
            Person.interests,
            Registration.first_time_flag,
            Registration.created_at,
        )
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.id.in_(reg_ids))
    ).all()
    out = {}
    for r in rows:
        ident = {
            "code": r.code,
            "email": r.email_key or r.email,
            "external_id": r.external_id,
            "first_name": r.first_name,
            "last_name": r.last_name,
        }
        if r.id in details:
            ident.update(
                company=r.company,
                job_title=r.job_title,
                interests=r.interests,
                first_time_flag=r.first_time_flag,
                registered_at=iso(r.created_at),
            )
        out[r.id] = ident
    return out
