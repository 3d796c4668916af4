"""What an action changed: small frozen records built inside the action's own transaction.

Every core action that writes (a check-in, an undo, a host marking a newcomer met, a walk-in
…) notes what it changed here as it changes it, and returns the records with its result.
The journal writes them, the window refreshes only the views they concern, and the hosts'
phones are sent them; none of those re-reads the database to find out what happened.

The records travel on the SQLAlchemy session (``session.info``), so the functions deep in
an action (hosting's queue, for one) need no extra parameter to report what they did.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

_KEY = "welcome_desk_changes"


@dataclass(frozen=True)
class GuestIdent:
    """What another database needs to find this guest again (and what the journal writes)."""

    registration_id: int
    code: str
    email: str | None
    external_id: str | None
    first_name: str
    last_name: str


@dataclass(frozen=True)
class DoorLogged:
    """A line appended to the door's check-in log: a check-in, undo or check-out."""

    log_id: str
    event_id: int
    registration_id: int
    action: str  # checkin | undo | checkout
    at: dt.datetime
    device: str
    nonce: str
    ref_id: str | None = None  # the check-in an undo cancels
    first_time: bool | None = None  # for a check-in: what the door decided
    guest: GuestIdent | None = None


@dataclass(frozen=True)
class AssignmentChanged:
    """A newcomer-host assignment made or ended; the state after the change."""

    assignment_id: int
    event_id: int
    newcomer_id: int
    host_id: int
    host_registration_id: int
    status: str  # active | met | released | reassigned | host_left | undone | left
    created_at: dt.datetime
    ended_at: dt.datetime | None
    device: str
    introductions: tuple[int, ...]
    shared_interests: str
    score: int


@dataclass(frozen=True)
class QueueChanged:
    """A newcomer joined or left the queue for a host."""

    event_id: int
    newcomer_id: int
    waiting: bool


@dataclass(frozen=True)
class GuestRegistered:
    """A guest added to an event's list at the door (a walk-in)."""

    event_id: int
    registration_id: int


@dataclass(frozen=True)
class HostsChanged:
    """A host added, removed or changed (capacity, interests)."""

    event_id: int
    host_id: int


@dataclass(frozen=True)
class HostAnswered:
    """A host answered from their phone ("on_my_way"), or did not in time ("no_answer")."""

    event_id: int
    assignment_id: int
    host_id: int
    newcomer_id: int
    answer: str
    at: dt.datetime


@dataclass(frozen=True)
class FollowedUp:
    """A newcomer's host called or wrote after the evening (marked done)."""

    event_id: int
    registration_id: int
    at: dt.datetime
    device: str
    guest: GuestIdent


@dataclass(frozen=True)
class PretixSynced:
    """Door actions pushed to a pretix check-in list (``target``: url, organizer, list)."""

    event_id: int
    target: str
    sent: int
    already: int
    refused: int
    skipped: int


Change = (
    DoorLogged
    | AssignmentChanged
    | QueueChanged
    | GuestRegistered
    | HostsChanged
    | HostAnswered
    | FollowedUp
    | PretixSynced
)


def note(session: Session, change: Change) -> None:
    """Record a change made in this session's transaction."""
    session.info.setdefault(_KEY, []).append(change)


def taken(session: Session) -> tuple[Change, ...]:
    """The changes noted so far, collapsed: an assignment changed twice appears once, last
    state kept, in the order the assignments were first touched."""
    found = session.info.pop(_KEY, [])
    out: list[Change] = []
    where: dict[int, int] = {}
    for c in found:
        if isinstance(c, AssignmentChanged):
            if c.assignment_id in where:
                out[where[c.assignment_id]] = c
                continue
            where[c.assignment_id] = len(out)
        out.append(c)
    return tuple(out)


def discard(session: Session) -> None:
    """Forget what a rolled-back attempt noted (the retry will note it again)."""
    session.info.pop(_KEY, None)


def touches_hosting(changes: tuple[Change, ...]) -> bool:
    return any(
        isinstance(c, AssignmentChanged | QueueChanged | HostsChanged | HostAnswered)
        for c in changes
    )
