"""Hosts over capacity after a merge: both assignments kept, the later ones marked.

Two laptops can each give host H (capacity 1) a newcomer while neither knows of the other.
Both newcomers really were sent to H, so the merge keeps both assignments; the rule: a
host's active assignments in order of creation (then id), those beyond the capacity are
marked ``over_capacity`` and reported, so the organiser can send one of them to another host
(``checkin reassign``). The mark is recomputed for every host a merge touches, from the
records alone, so it does not depend on file order; an assignment that has ended keeps its
mark as history. ``checkin hosts`` lists the marked ones still active.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import aliased

from checkin.store.db import Database
from checkin.store.models import Assignment, Event, Host, Person, Registration


def mark_over_capacity(conn: Connection, event_id: int) -> list[str]:
    """Mark (and describe) active assignments beyond their host's capacity."""
    hosts = {
        hid: (cap, code)
        for hid, cap, code in conn.execute(
            select(Host.id, Host.capacity, Registration.code)
            .join(Registration, Registration.id == Host.registration_id)
            .where(Host.event_id == event_id)
        )
    }
    active: dict[int, list[tuple]] = defaultdict(list)
    for aid, host, created, flagged in conn.execute(
        select(
            Assignment.id, Assignment.host_id, Assignment.created_at, Assignment.over_capacity
        ).where(Assignment.event_id == event_id, Assignment.status == "active")
    ):
        active[host].append((created, aid, flagged))
    changes, notes = [], []
    for host, rows in active.items():
        rows.sort()
        cap, code = hosts.get(host, (0, "?"))
        for n, (_created, aid, flagged) in enumerate(rows):
            over = n >= cap
            if over != bool(flagged):
                changes.append({"b_id": aid, "b_over": over})
        if len(rows) > cap:
            notes.append(
                f"host {code} has {len(rows)} newcomers at once, capacity {cap}: two doors "
                f"each gave them one; the later {len(rows) - cap} marked over capacity "
                "(see `checkin hosts`)"
            )
    if changes:
        conn.execute(
            update(Assignment)
            .where(Assignment.id == bindparam("b_id"))
            .values(over_capacity=bindparam("b_over")),
            changes,
        )
    return notes


@dataclass(frozen=True)
class OverCapacity:
    host_name: str
    host_code: str
    capacity: int
    newcomer_name: str
    newcomer_code: str
    assigned_at: dt.datetime
    device: str

    def as_json(self) -> dict:
        return {
            "host": {"name": self.host_name, "code": self.host_code},
            "capacity": self.capacity,
            "newcomer": {"name": self.newcomer_name, "code": self.newcomer_code},
            "assigned_at": self.assigned_at.isoformat(),
            "device": self.device,
        }


def over_capacity(db: Database, event: str | int) -> list[OverCapacity]:
    """The active assignments a merge marked over capacity (for ``checkin hosts``)."""
    from checkin.events import find_event

    host_reg, host_person = aliased(Registration), aliased(Person)
    with db.read() as session:
        ev: Event = find_event(session, event)
        rows = session.execute(
            select(
                host_person.first_name,
                host_person.last_name,
                host_reg.code,
                Host.capacity,
                Person.first_name,
                Person.last_name,
                Registration.code,
                Assignment.created_at,
                Assignment.device,
            )
            .join(Host, Host.id == Assignment.host_id)
            .join(host_reg, host_reg.id == Host.registration_id)
            .join(host_person, host_person.id == host_reg.person_id)
            .join(Registration, Registration.id == Assignment.newcomer_id)
            .join(Person, Person.id == Registration.person_id)
            .where(
                Assignment.event_id == ev.id,
                Assignment.status == "active",
                Assignment.over_capacity.is_(True),
            )
            .order_by(Assignment.created_at, Assignment.id)
        ).all()
    return [
        OverCapacity(f"{hf} {hl}".strip(), hc, cap, f"{nf} {nl}".strip(), nc, at, dev)
        for hf, hl, hc, cap, nf, nl, nc, at, dev in rows
    ]
