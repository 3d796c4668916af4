"""Who may not enter although their code is on the list: unpaid and cancelled tickets.

Called by the door only for a registration whose status is not ``registered`` (rare), so the
common scan pays nothing for it. The refusal carries the reason in our words
(``Outcome.reason``: declined, waitlisted, refunded …) so the door can say which.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from checkin.door.outcomes import Guest, Outcome, OutcomeKind
from checkin.store.models import Event, Registration

_ADMIT_UNPAID = select(Event.admit_unpaid).where(Event.id == bindparam("event_id"))
_REASON = select(Registration.status_reason).where(Registration.id == bindparam("rid"))


def refusal(
    session: Session, event, registration_id: int, status: str, code: str, guest: Guest
) -> Outcome | None:
    """The outcome that keeps this guest out, or None when they may enter."""
    conn = session.connection()
    if status == "unpaid":
        if conn.execute(_ADMIT_UNPAID, {"event_id": event.id}).scalar():
            return None  # the organiser lets unpaid tickets in (pretix's own option)
        return Outcome(OutcomeKind.NOT_PAID, code, event.name, guest=guest, reason="unpaid")
    if status == "cancelled":
        reason = conn.execute(_REASON, {"rid": registration_id}).scalar() or "cancelled"
        return Outcome(OutcomeKind.CANCELLED, code, event.name, guest=guest, reason=reason)
    return None
