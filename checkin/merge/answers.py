"""Hosts' answers from their phones, merged: the first answer to an assignment stands.

An answer names its assignment the way a journal names it: the newcomer, the host and when
the assignment was made. An assignment this database does not hold (or one already
answered) is left alone: the answer is about a pairing that happened elsewhere.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from checkin.merge.guests import Guests
from checkin.merge.inputs import AnswerFact
from checkin.store.models import Assignment, Host


def merge_answers(conn: Connection, event_id: int, guests: Guests, facts: list[AnswerFact]) -> int:
    """Set each assignment's answer and its time when it has none. Returns how many."""
    if not facts:
        return 0
    hosts = dict(
        conn.execute(select(Host.registration_id, Host.id).where(Host.event_id == event_id)).all()
    )
    done = 0
    for f in sorted(facts, key=lambda f: f.at):  # the earliest answer first: it stands
        newcomer, host = guests.resolve(f.newcomer), hosts.get(guests.resolve(f.host))
        if newcomer is None or host is None:
            continue
        done += conn.execute(
            update(Assignment)
            .where(
                Assignment.event_id == event_id,
                Assignment.newcomer_id == newcomer,
                Assignment.host_id == host,
                Assignment.created_at == f.created_at,
                Assignment.answer.is_(None),
            )
            .values(answer=f.answer, answered_at=f.at)
        ).rowcount
    return done
