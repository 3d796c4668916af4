"""The host board's read model: who hosts whom right now, and who waits for a host."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.door.outcomes import BackupProposal
from checkin.events import find_event
from checkin.hosting.actions import HostSummary, _summary
from checkin.hosting.backups import backups_here, propose
from checkin.hosting.policy import hosting_now
from checkin.store.db import Database
from checkin.store.models import Assignment, Host, Person, QueueEntry, Registration
from checkin.text import split_tags
from checkin.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class NewcomerCard:
    registration_id: int
    name: str
    code: str
    company: str | None
    interests: tuple[str, ...]
    status: str  # assigned, waiting, met
    arrived_at: dt.datetime
    minutes_waiting: int  # since arrival
    host_name: str | None = None
    shared_interests: tuple[str, ...] = ()
    introductions: tuple[str, ...] = ()
    # The host's answer from their phone (on_my_way), and when: see hosting/replies.py.
    answer: str | None = None
    answered_at: dt.datetime | None = None

    def answer_words(self, host_name: str, now: dt.datetime) -> str | None:
        """What the door and the board say: "Maria Garcia is on the way · 20 s ago"."""
        if self.answer != "on_my_way" or self.answered_at is None:
            return None
        secs = max(0, int((now - as_utc(self.answered_at)).total_seconds()))
        ago = f"{secs} s ago" if secs < 60 else f"{secs // 60} min ago"
        return f"{host_name} is on the way · {ago}"

    seconds_waiting: int = 0  # since arrival: how deep the board's colour is
    paired: bool = False  # joined another newcomer's conversation with this host

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "code": self.code,
            "company": self.company,
            "status": self.status,
            "minutes_waiting": self.minutes_waiting,
            "paired": self.paired,
            "shared_interests": list(self.shared_interests),
            "introductions": list(self.introductions),
            "answer": self.answer,
            "answered_at": self.answered_at.isoformat() if self.answered_at else None,
        }


@dataclass(frozen=True)
class HostCard(HostSummary):
    """A host as the board shows them: who they are, and whom they welcome now."""

    newcomers: tuple[NewcomerCard, ...] = ()
    hosted_total: int = 0

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "code": self.code,
            "company": self.company,
            "capacity": self.capacity,
            "present": self.present,
            "newcomers": [n.as_json() for n in self.newcomers],
            "hosted_total": self.hosted_total,
            "backup": self.backup,
            "enlisted": self.enlisted,
        }


@dataclass(frozen=True)
class Board:
    event: str
    hosts: tuple[HostCard, ...]  # signed-up hosts and enlisted backups
    queue: tuple[NewcomerCard, ...]  # in the order they will be served
    backups_here: int = 0  # backups present, not yet enlisted
    proposal: BackupProposal | None = None  # whom to enlist now, if anyone
    backup_after_s: int = 60  # the wait after which the board's colour deepens

    def as_json(self) -> dict:
        return {
            "event": self.event,
            "hosts": [h.as_json() for h in self.hosts],
            "queue": [q.as_json() for q in self.queue],
            "backups_here": self.backups_here,
            "proposal": self.proposal.as_json() if self.proposal else None,
            "backup_after_s": self.backup_after_s,
        }


def host_board(db: Database, event: str | int, now: dt.datetime | None = None) -> Board:
    now = now or utcnow()
    with db.read() as session:
        ev = find_event(session, event)
        hosts = session.scalars(select(Host).where(Host.event_id == ev.id, hosting_now())).all()
        rows = session.scalars(
            select(Assignment)
            .where(Assignment.event_id == ev.id, Assignment.status == "active")
            .order_by(Assignment.created_at, Assignment.id)
        ).all()
        totals = dict(
            session.execute(
                select(Assignment.host_id, func.count())
                .where(Assignment.event_id == ev.id, Assignment.status.in_(("active", "met")))
                .group_by(Assignment.host_id)
            ).all()
        )
        waiting = session.scalars(
            select(QueueEntry)
            .where(QueueEntry.event_id == ev.id, QueueEntry.resolved_at.is_(None))
            .order_by(QueueEntry.queued_at, QueueEntry.id)
        ).all()
        wanted = {a.newcomer_id for a in rows} | {q.newcomer_id for q in waiting}
        for a in rows:
            wanted.update(a.introductions)
        names = _names(session, wanted)
        by_host: dict[int, list[NewcomerCard]] = {}
        for a in rows:
            card = _card(names, a.newcomer_id, "assigned", now, a.shared_interests, a.introductions)
            card = replace(card, answer=a.answer, answered_at=a.answered_at)
            if a.pair_of is not None:
                card = replace(card, paired=True)
            by_host.setdefault(a.host_id, []).append(card)
        cards = []
        for h in hosts:
            s = _summary(h)
            cards.append(
                HostCard(
                    **{f: getattr(s, f) for f in HostSummary.__dataclass_fields__},
                    newcomers=tuple(by_host.get(h.id, ())),
                    hosted_total=totals.get(h.id, 0),
                )
            )
        cards.sort(key=lambda c: (not c.present, c.name.casefold()))
        queue = tuple(
            _card(names, q.newcomer_id, "waiting", now, "", "", arrived=q.arrived_at)
            for q in waiting
        )
        return Board(
            ev.name,
            tuple(cards),
            queue,
            backups_here(session, ev.id),
            propose(session, ev.id, now) if queue else None,
            ev.backup_after_s,
        )


def _names(session: Session, ids: set[int]) -> dict[int, tuple]:
    """Registration id -> (name, code, company, interests, checked_in_at), for these ids."""
    out: dict[int, tuple] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        rows = session.execute(
            select(
                Registration.id,
                Person.first_name,
                Person.last_name,
                Registration.code,
                Person.company,
                Person.interests,
                Registration.checked_in_at,
            )
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.id.in_(ordered[i : i + 500]))
        ).all()
        out.update({r[0]: (f"{r[1]} {r[2]}".strip(), r[3], r[4], r[5], r[6]) for r in rows})
    return out


def _card(
    names: dict[int, tuple],
    reg_id: int,
    status: str,
    now: dt.datetime,
    shared: str,
    intro_ids: tuple[int, ...],
    arrived: dt.datetime | None = None,
) -> NewcomerCard:
    name, code, company, interests, checked_in_at = names.get(reg_id, ("?", "", None, "", now))
    arrived = as_utc(arrived or checked_in_at or now)
    intros = tuple(names[i][0] for i in intro_ids if i in names)
    seconds = max(0, int((now - arrived).total_seconds()))
    return NewcomerCard(
        reg_id,
        name,
        code,
        company,
        split_tags(interests),
        status,
        arrived,
        max(0, int((now - arrived).total_seconds() // 60)),
        shared_interests=split_tags(shared),
        introductions=intros,
        seconds_waiting=seconds,
    )
