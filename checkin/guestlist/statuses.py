"""What a ticketing tool's status means at the door: admitted, unpaid, or refused and why.

Every supported tool's status words (checked against their exporters, see
docs/guestlists.md) become one of three door statuses that every query understands:

* ``registered``: let in;
* ``unpaid``: holds a ticket not yet paid (pretix "pending", Hi.Events "AWAITING_PAYMENT"):
  the door says NOT PAID unless the event admits unpaid tickets;
* ``cancelled``: never let in; the *reason* says which (declined, waitlisted, refunded ...),
  so the door can tell the guest more than "cancelled".

Whole values are looked up first (short codes and multi-word statuses are ambiguous as
words), then each word of a longer status. A status nobody lists is *admitted*: refusing a
paying guest at the door because a tool invented a new word is worse than the reverse, and
the import summary lists every status word it saw so an organiser can check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

REGISTERED = "registered"
UNPAID = "unpaid"
CANCELLED = "cancelled"

# The reasons a guest is not admitted, in our words (stored in registration.status_reason).
REASONS = (
    "cancelled",
    "declined",
    "waitlisted",
    "refunded",
    "not attending",
    "expired",
    "awaiting approval",
    "invited",
    "voided",
    "deleted",
    "transferred",
    "blocked",
)


@dataclass(frozen=True)
class Status:
    status: str  # registered | unpaid | cancelled
    reason: str | None = None  # for cancelled: one of REASONS

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED


ADMITTED = Status(REGISTERED)
NOT_PAID = Status(UNPAID)


def _refused(reason: str) -> Status:
    return Status(CANCELLED, reason)


# fmt: off
_WHOLE: dict[str, Status] = {
    # pretix (order positions "Status", English and German; pretix.base.models.orders)
    "paid": ADMITTED, "bezahlt": ADMITTED,
    "pending": NOT_PAID, "ausstehend": NOT_PAID,
    "pending (confirmed)": ADMITTED, "ausstehend (bestätigt)": ADMITTED,  # valid_if_pending
    "approval pending": _refused("awaiting approval"),
    "freigabe ausstehend": _refused("awaiting approval"),
    "expired": _refused("expired"), "abgelaufen": _refused("expired"),
    "canceled": _refused("cancelled"), "storniert": _refused("cancelled"),
    "canceled (paid fee)": _refused("cancelled"),
    "storniert (bezahlte gebühr)": _refused("cancelled"),
    # pretix one-letter order status codes (API, some scripts)
    "p": ADMITTED, "n": NOT_PAID, "c": _refused("cancelled"), "e": _refused("expired"),
    # Hi.Events attendee "Status"
    "active": ADMITTED, "awaiting_payment": NOT_PAID, "awaiting payment": NOT_PAID,
    # Luma "approval_status"
    "approved": ADMITTED, "pending_approval": _refused("awaiting approval"),
    "waitlist": _refused("waitlisted"), "invited": _refused("invited"),
    # Eventbrite "Attendee Status"
    "attending": ADMITTED, "checked in": ADMITTED, "not attending": _refused("not attending"),
    # Meetup "RSVP"; "Waitlist" above: no seat at export time (see reading.py)
    "yes": ADMITTED, "no": _refused("declined"),
    # Ticket Tailor / Humanitix (API words; no CSV header was found to confirm them)
    "valid": ADMITTED, "complete": ADMITTED, "voided": _refused("voided"),
    # Home-made lists
    "unpaid": NOT_PAID, "not paid": NOT_PAID, "payment pending": NOT_PAID,
    "pending payment": NOT_PAID, "unbezahlt": NOT_PAID, "nicht bezahlt": NOT_PAID,
    "pay at the door": NOT_PAID, "pay at door": NOT_PAID, "non payé": NOT_PAID,
    "impayé": NOT_PAID,
}
_WORDS: dict[str, str] = {
    "cancelled": "cancelled", "canceled": "cancelled", "cancellation": "cancelled",
    "storniert": "cancelled", "abgesagt": "cancelled", "annule": "cancelled",
    "annulee": "cancelled", "cancelado": "cancelled", "cancelada": "cancelled",
    "refunded": "refunded", "erstattet": "refunded", "rembourse": "refunded",
    "reembolsado": "refunded",
    "declined": "declined", "rejected": "declined", "abgelehnt": "declined",
    "waitlist": "waitlisted", "waitlisted": "waitlisted", "waiting": "waitlisted",
    "warteliste": "waitlisted",
    "expired": "expired", "abgelaufen": "expired",
    "void": "voided", "voided": "voided", "revoked": "voided",
    "deleted": "deleted", "transferred": "transferred",
    "blocked": "blocked", "gesperrt": "blocked",
}
# fmt: on
_WORD = re.compile(r"[^\W_]+")
_ACCENTS = str.maketrans("éèêáíóú", "eeeaiou")


@lru_cache(maxsize=1024)
def classify(raw: str) -> Status:
    """The door status of a tool's status cell (empty: admitted)."""
    value = " ".join(raw.casefold().split())
    if not value:
        return ADMITTED
    known = _WHOLE.get(value)
    if known is not None:
        return known
    for word in _WORD.findall(value):
        reason = _WORDS.get(word.translate(_ACCENTS))
        if reason is not None:
            return _refused(reason)
    if "unpaid" in value or "not paid" in value or "awaiting payment" in value:
        return NOT_PAID
    return ADMITTED


def worst(*statuses: Status) -> Status:
    """Several status columns (pretix's "Status" and "Blocked"): the strictest wins."""
    rank = {REGISTERED: 0, UNPAID: 1, CANCELLED: 2}
    return max(statuses, key=lambda s: rank[s.status])
