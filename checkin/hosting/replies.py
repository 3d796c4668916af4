"""What a host answers from their phone, and what happens when they do not answer.

Every answer is about one assignment (its id is on the phone's button), checked against the
host the link belongs to, inside one write transaction: a host can only answer for their
own current newcomers, and a second tap (or a resent POST) finds the assignment already
answered or ended and changes nothing — the assignment id is the nonce.

- **On my way**: noted on the assignment, so the door and the board can say "Maria is on
  her way · 20 s ago".
- **Met**: the same as the door's "met": the slot frees up and the queue is served.
- **Can't now**: the same as "release": the newcomer goes to the front of the queue and the
  next best host (never this one again) gets them.
- **Escalation**: a host who opened their page but has not answered a newcomer within the
  set time is taken to have missed the buzz: the newcomer is released the same way, with the
  answer recorded as ``no_answer``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin import changes
from checkin.changes import HostAnswered
from checkin.door.lookup import guest_of
from checkin.door.outcomes import ActionResult
from checkin.errors import InvalidInput
from checkin.hosting import assignments, policy
from checkin.store.actions import ChangeSink, run_action
from checkin.store.db import Database
from checkin.store.models import Assignment, HostLink, Registration
from checkin.timeutil import as_utc, utcnow

ON_MY_WAY, MET, CANT_NOW = "on_my_way", "met", "cant_now"
NO_ANSWER = "no_answer"
REPLIES = (ON_MY_WAY, MET, CANT_NOW)
DEFAULT_ANSWER_WITHIN_S = 90
_JOURNAL_KIND = {MET: "met", CANT_NOW: "release", ON_MY_WAY: "on_my_way"}


def reply(
    db: Database,
    host_id: int,
    assignment_id: int,
    what: str,
    *,
    now: dt.datetime | None = None,
    journal: ChangeSink | None = None,
) -> ActionResult:
    """A host's answer about one of their newcomers. Not theirs, or already over: no change."""
    if what not in REPLIES:
        raise InvalidInput(f"Unknown answer '{what}': one of {', '.join(REPLIES)}.")
    at = now or utcnow()

    def work(session: Session) -> ActionResult:
        a = session.get(Assignment, assignment_id)
        if a is None or a.host_id != host_id:
            return ActionResult(False, None, "Not one of your newcomers.")
        policy.lock_event(session, a.event_id)
        session.refresh(a)
        reg = session.get(Registration, a.newcomer_id)
        name = reg.person.full_name
        if a.status != "active":
            return ActionResult(False, guest_of(reg), f"{name} is no longer yours to answer.")
        if what == ON_MY_WAY:
            if a.answer == ON_MY_WAY:
                return ActionResult(False, guest_of(reg), f"On your way to {name}.")
            _answer(session, a, ON_MY_WAY, at)
            return ActionResult(True, guest_of(reg), f"On your way to {name}.")
        if what == MET:
            assignments.end_assignment(session, a, "met", at)
            assignments.serve_queue(session, a.event_id, at)
            return ActionResult(True, guest_of(reg), f"{name} has met their host.")
        _give_back(session, a, at, "released")
        return ActionResult(True, guest_of(reg), f"{name} goes to the next host.")

    return run_action(db, work, journal=journal, kind=_JOURNAL_KIND[what])


def _answer(session: Session, a: Assignment, answer: str, at: dt.datetime) -> None:
    a.answer = answer
    a.answered_at = at
    session.flush()
    changes.note(session, HostAnswered(a.event_id, a.id, a.host_id, a.newcomer_id, answer, at))


def _give_back(session: Session, a: Assignment, at: dt.datetime, reason: str) -> None:
    assignments.end_assignment(session, a, "released", at)
    assignments.requeue_front(session, a.event_id, a.newcomer_id, at, reason)
    assignments.serve_queue(session, a.event_id, at)


def silent_assignments(
    db: Database, event_id: int, within_s: float, now: dt.datetime | None = None
) -> list[int]:
    """Active assignments not answered within ``within_s`` seconds, of hosts who have opened
    their phone page (a host without a phone learns from the board, not a buzz)."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(seconds=within_s)
    opened = select(HostLink.host_id).where(
        HostLink.event_id == event_id,
        HostLink.kind == "host",
        HostLink.opened_at.is_not(None),
        HostLink.ended_at.is_(None),
    )
    with db.read() as session:
        rows = session.execute(
            select(Assignment.id, Assignment.created_at).where(
                Assignment.event_id == event_id,
                Assignment.status == "active",
                Assignment.answer.is_(None),
                Assignment.host_id.in_(opened),
            )
        ).all()
    return [r[0] for r in rows if as_utc(r[1]) <= cutoff]


def escalate(
    db: Database,
    event_id: int,
    within_s: float = DEFAULT_ANSWER_WITHIN_S,
    *,
    now: dt.datetime | None = None,
    journal: ChangeSink | None = None,
) -> list[ActionResult]:
    """Offer every newcomer whose host stayed silent to the next best free host."""
    at = now or utcnow()
    done = []
    for assignment_id in silent_assignments(db, event_id, within_s, at):

        def work(session: Session, assignment_id: int = assignment_id) -> ActionResult:
            policy.lock_event(session, event_id)
            a = session.get(Assignment, assignment_id)
            session.refresh(a)
            reg = session.get(Registration, a.newcomer_id)
            if a.status != "active" or a.answer is not None:
                return ActionResult(False, guest_of(reg), "Answered meanwhile.")
            _answer(session, a, NO_ANSWER, at)
            _give_back(session, a, at, NO_ANSWER)
            now_with = assignments.active_host(session, a.newcomer_id)
            where = f"now offered to {now_with.name}" if now_with else "waiting for a host"
            return ActionResult(
                True, guest_of(reg), f"No answer for {reg.person.full_name}; {where}."
            )

        result = run_action(db, work, journal=journal, kind="release")
        if result.done:
            done.append(result)
    return done


def latest_answers(db: Database, event_id: int) -> dict[int, tuple[str, dt.datetime]]:
    """Newcomer registration id -> (answer, when) for the current assignments (the door)."""
    with db.read() as session:
        rows = session.execute(
            select(Assignment.newcomer_id, Assignment.answer, Assignment.answered_at).where(
                Assignment.event_id == event_id,
                Assignment.status == "active",
                Assignment.answer.is_not(None),
            )
        ).all()
    return {r[0]: (r[1], as_utc(r[2])) for r in rows}
