"""Plan before the evening: how many newcomers to expect, the busiest 15 minutes, and how
many hosts that needs at their capacity — against the hosts signed up.

Expected newcomers: the list's first-time flag, else no check-in at any earlier event (the
door's own rule). The busiest 15 minutes: from the real arrival times of this database's
earlier events when they have enough check-ins, else from the arrival pattern the
simulator uses (two thirds over the first half hour, peaking at minute 8; the rest over
the next hour). A host welcomes one newcomer per conversation (about 6.5 minutes on
average), so the peak needs ``peak × 6.5 / 15`` slots at once.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import select

from checkin.door.first_time import is_first_timer
from checkin.events import find_event
from checkin.store.db import Database
from checkin.store.models import Host, Registration
from checkin.timeutil import as_utc

MEAN_CONVERSATION_MIN = 6.55  # the simulator's log-normal(1.8, 0.4), in minutes
WINDOW_MIN = 15
MIN_HISTORY = 30  # check-ins an earlier event needs before its pattern is trusted


@dataclass(frozen=True)
class HostingPlan:
    event: str
    expected_newcomers: int
    peak_newcomers_15min: int
    peak_share: float  # of the newcomers, in the busiest 15 minutes
    peak_from: str  # "simulator pattern" or "N earlier events"
    capacity: int
    hosts_needed: int
    hosts_signed_up: int
    backups_offered: int

    def as_json(self) -> dict:
        return dict(self.__dict__)

    def describe(self) -> str:
        short = self.hosts_needed - self.hosts_signed_up
        verdict = (
            f"short by {short} — ask regulars to help ({self.backups_offered} offered)"
            if short > 0
            else "enough"
        )
        return (
            f"Expect {self.expected_newcomers} newcomer{_s(self.expected_newcomers)}, "
            f"{self.peak_newcomers_15min} in the busiest 15 minutes ({self.peak_from}): "
            f"{self.hosts_needed} host{_s(self.hosts_needed)} needed at {self.capacity} each, "
            f"{self.hosts_signed_up} signed up — {verdict}."
        )


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def simulator_peak_share() -> float:
    """The busiest 15 minutes' share of arrivals in the simulator's pattern (≈ 0.33)."""

    def cdf(t: float) -> float:
        tri = 0.0 if t <= 0 else 1.0 if t >= 30 else (
            t * t / (30 * 8) if t <= 8 else 1 - (30 - t) ** 2 / (30 * 22)
        )  # fmt: skip
        uni = min(1.0, max(0.0, (t - 30) / 60))
        return 2 / 3 * tri + 1 / 3 * uni

    return max(cdf(s / 10 + WINDOW_MIN) - cdf(s / 10) for s in range(0, 900))


def _history_share(session, event_id: int) -> tuple[float, int] | None:
    """The busiest 15 minutes' share of arrivals, averaged over earlier events."""
    rows = session.execute(
        select(Registration.event_id, Registration.checked_in_at).where(
            Registration.event_id != event_id, Registration.checked_in_at.is_not(None)
        )
    ).all()
    by_event: dict[int, list[dt.datetime]] = {}
    for ev, at in rows:
        by_event.setdefault(ev, []).append(as_utc(at))
    shares = []
    for times in by_event.values():
        if len(times) < MIN_HISTORY:
            continue
        times.sort()
        window = dt.timedelta(minutes=WINDOW_MIN)
        best = j = 0
        for i, t in enumerate(times):
            while times[j] < t - window:
                j += 1
            best = max(best, i - j + 1)
        shares.append(best / len(times))
    return (sum(shares) / len(shares), len(shares)) if shares else None


def hosting_plan(db: Database, event: str | int) -> HostingPlan:
    with db.read() as session:
        ev = find_event(session, event)
        regs = session.execute(
            select(
                Registration.id,
                Registration.person_id,
                Registration.first_time_flag,
                Host.id,
                Host.backup,
                Host.capacity,
            )
            .outerjoin(Host, Host.registration_id == Registration.id)
            .where(Registration.event_id == ev.id, Registration.status != "cancelled")
        ).all()
        been = set(
            session.scalars(
                select(Registration.person_id)
                .where(Registration.event_id != ev.id, Registration.checked_in_at.is_not(None))
                .distinct()
            )
        )
        expected = sum(
            1
            for _, person, flag, host_id, _, _ in regs
            if is_first_timer(
                is_host=host_id is not None,
                list_says=flag,
                been_before=lambda p=person: p in been,
            )
        )
        signed = [
            (cap or ev.default_host_capacity) for *_, hid, backup, cap in regs if hid and not backup
        ]
        backups = sum(1 for *_, hid, backup, _ in regs if hid and backup)
        history = _history_share(session, ev.id)
    if history is not None:
        share, n = history
        source = f"{n} earlier event{_s(n)}"
    else:
        share, source = simulator_peak_share(), "simulator pattern"
    peak = math.ceil(expected * share)
    capacity = round(sum(signed) / len(signed)) if signed else ev.default_host_capacity
    at_once = peak * MEAN_CONVERSATION_MIN / WINDOW_MIN
    needed = math.ceil(at_once / max(1, capacity)) if expected else 0
    return HostingPlan(
        ev.name,
        expected,
        peak,
        round(share, 3),
        source,
        capacity,
        needed,
        len(signed),
        backups,
    )
