"""What a door action returns: plain frozen values the UI and the command line turn into words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from checkin.changes import Change


class OutcomeKind(StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    UNKNOWN_CODE = "unknown_code"
    WRONG_EVENT = "wrong_event"
    CANCELLED = "cancelled"
    INVALID_CODE = "invalid_code"
    NOT_PAID = "not_paid"  # on the list, ticket not paid yet: pay at the desk first

    @property
    def admitted(self) -> bool:
        return self in (OutcomeKind.CHECKED_IN, OutcomeKind.ALREADY_CHECKED_IN)


@dataclass(frozen=True)
class Guest:
    registration_id: int
    code: str
    first_name: str
    last_name: str
    email: str | None = None
    company: str | None = None
    job_title: str | None = None
    interests: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "email": self.email,
            "company": self.company,
            "job_title": self.job_title,
            "code": self.code,
        }


@dataclass(frozen=True)
class HostRef:
    host_id: int
    registration_id: int
    name: str
    code: str
    company: str | None = None
    shared_interests: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "code": self.code,
            "company": self.company,
            "shared_interests": list(self.shared_interests),
        }


@dataclass(frozen=True)
class Introduction:
    registration_id: int
    name: str
    company: str | None
    shared_interests: tuple[str, ...]

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "company": self.company,
            "shared_interests": list(self.shared_interests),
        }


@dataclass(frozen=True)
class BackupProposal:
    """A regular who offered to welcome, proposed for the newcomer who has waited longest:
    "Ask Tom Baker to welcome Anna — you both like fintech" (Enter enlists)."""

    backup: HostRef  # shared_interests: what the backup and the newcomer share
    newcomer_registration_id: int
    newcomer_name: str
    newcomer_code: str
    waited_s: int

    def as_json(self) -> dict:
        return {
            "backup": self.backup.as_json(),
            "newcomer": {"name": self.newcomer_name, "code": self.newcomer_code},
            "waited_s": self.waited_s,
            "shared_interests": list(self.backup.shared_interests),
        }


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    code: str
    event: str
    guest: Guest | None = None
    first_time: bool = False
    is_host: bool = False
    host: HostRef | None = None
    queued: bool = False
    introductions: tuple[Introduction, ...] = ()
    checked_in_at: dt.datetime | None = None  # the first check-in (now, or the earlier one)
    device: str | None = None  # the door of that check-in
    other_event: str | None = None  # for WRONG_EVENT
    checkin_id: str | None = None
    replayed: bool = False  # the same nonce was seen before: nothing new was written
    warnings: tuple[str, ...] = field(default_factory=tuple)
    changes: tuple[Change, ...] = ()  # what this scan changed (nothing for a repeat)
    # The truth for a queued newcomer (None otherwise): hosts here now (0: tell the
    # volunteer what to do instead), their place in the queue (1 = next), and about how long
    # (None when no host is here to estimate from).
    hosts_present: int | None = None
    queue_position: int | None = None
    estimated_wait_min: int | None = None
    backup_proposal: BackupProposal | None = None  # someone to enlist now, if any
    # For CANCELLED / NOT_PAID: why, in the words of guestlist/statuses.py (declined,
    # waitlisted, refunded, not attending, expired, unpaid …).
    reason: str | None = None

    def as_json(self) -> dict:
        return {
            "outcome": self.kind.value,
            "code": self.code,
            "event": self.event,
            "guest": self.guest.as_json() if self.guest else None,
            "first_time": self.first_time,
            "is_host": self.is_host,
            "host": self.host.as_json() if self.host else None,
            "queued": self.queued,
            "introductions": [i.as_json() for i in self.introductions],
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
            "device": self.device,
            "other_event": self.other_event,
            "replayed": self.replayed,
            "warnings": list(self.warnings),
            "hosts_present": self.hosts_present,
            "queue_position": self.queue_position,
            "estimated_wait_min": self.estimated_wait_min,
            "backup_proposal": self.backup_proposal.as_json() if self.backup_proposal else None,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ActionResult:
    """The result of an undo, a check-out or a host action: whether it happened, and why not."""

    done: bool
    guest: Guest | None
    message: str
    changes: tuple[Change, ...] = ()

    def as_json(self) -> dict:
        return {
            "done": self.done,
            "guest": self.guest.as_json() if self.guest else None,
            "message": self.message,
        }
