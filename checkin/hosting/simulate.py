"""Play a realistic evening through the real engine, to measure and tune the hosting policy.

A scratch SQLite database, a simulated clock, and the same functions the door calls:
guests arrive bunched near the start (about two thirds in the first 30 minutes), hosts
arrive mostly before the doors open and some among the guests, and a host marks a newcomer
met after a conversation of a few minutes (log-normal, median 6 min).
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from checkin.door.engine import check_in
from checkin.door.leave import check_out
from checkin.events import create_event
from checkin.guestlist.importer import import_guest_list
from checkin.guestlist.rows import GuestList, GuestRow
from checkin.hosting.actions import mark_met
from checkin.store.db import open_database
from checkin.store.models import Assignment, Host, Registration
from checkin.text import tag_keys

TOPICS = (
    "AI", "Fintech", "Marketing", "Sustainability", "Real estate", "Startups",
    "Design", "Hiring", "Sales", "Healthcare", "Legal", "Export",
)  # fmt: skip
EVENING = "Simulated evening"
START = dt.datetime(2026, 1, 15, 18, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class SimulationResult:
    guests: int
    newcomers: int
    hosts: int
    capacity: int
    seed: int
    hosted_within_60s: float
    median_wait_s: float
    max_wait_s: float
    max_host_load: int
    capacity_violations: int
    interest_match: float
    introductions_per_newcomer: float
    never_hosted: int

    def as_json(self) -> dict:
        return dict(self.__dict__)

    def describe(self) -> str:
        return "\n".join(
            [
                f"Simulated evening: {self.guests} guests, {self.newcomers} first-timers, "
                f"{self.hosts} hosts × {self.capacity} (seed {self.seed})",
                f"  hosted within 60 s:      {self.hosted_within_60s:.1%}",
                f"  wait median / max:       {self.median_wait_s:.0f} s / {self.max_wait_s:.0f} s",
                f"  max host load:           {self.max_host_load}",
                f"  capacity violations:     {self.capacity_violations}",
                f"  shared-interest match:   {self.interest_match:.1%} (where one was possible)",
                f"  introductions/newcomer:  {self.introductions_per_newcomer:.2f}",
                f"  never hosted:            {self.never_hosted}",
            ]
        )


def _arrival_minute(rng: random.Random) -> float:
    """Two thirds in the first half hour, the rest trickling in over the next hour."""
    if rng.random() < 2 / 3:
        return rng.triangular(0, 30, 8)
    return rng.uniform(30, 90)


def _guest_rows(
    rng: random.Random, guests: int, first_share: float, hosts: int, capacity: int
) -> list[GuestRow]:
    rows = []
    newcomers = round(guests * first_share)
    for i in range(guests):
        is_host = i < hosts
        first = not is_host and i >= guests - newcomers
        rows.append(
            GuestRow(
                row=i + 2,
                first_name=f"Guest{i}",
                last_name=f"Sim{i}",
                email=f"guest{i}@sim.example",
                company=f"Company {rng.randrange(guests // 3 + 1)}",
                ticket_code=f"SIM{i:05d}",
                first_time=first,
                is_host=is_host,
                host_capacity=capacity if is_host else None,
                interests=tuple(rng.sample(TOPICS, rng.randint(1, 3))),
            )
        )
    return rows


def simulate(
    *,
    guests: int = 300,
    first_time: float = 0.3,
    hosts: int = 12,
    capacity: int = 3,
    seed: int = 1,
    workdir: str | None = None,
) -> SimulationResult:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'simulation.sqlite3'}")
        try:
            return _run(db, rng, guests, first_time, hosts, capacity, seed)
        finally:
            db.dispose()


def _run(db, rng, guests, first_share, hosts, capacity, seed) -> SimulationResult:
    rows = _guest_rows(rng, guests, first_share, hosts, capacity)
    create_event(db, EVENING, START.date())
    import_guest_list(
        db, EVENING, "simulation", guests=GuestList("sim", "generic", "utf-8", ",", {}, rows=rows)
    )
    interests = {r.ticket_code: tag_keys(", ".join(r.interests)) for r in rows}
    # (time, order, kind, code): order keeps equal times deterministic.
    agenda: list[tuple[dt.datetime, int, str, str]] = []
    for i, r in enumerate(rows):
        minute = rng.uniform(-10, 15) if r.is_host else _arrival_minute(rng)
        heapq.heappush(agenda, (START + dt.timedelta(minutes=minute), i, "arrive", r.ticket_code))
    newcomers = {r.ticket_code for r in rows if r.first_time}
    arrived_at: dict[str, dt.datetime] = {}
    hosted_at: dict[str, dt.datetime] = {}
    met_scheduled: set[int] = set()
    present_hosts: set[str] = set()
    match_possible = match_made = 0
    intro_counts: list[int] = []
    max_load = violations = 0
    order = len(rows)
    host_code = {}
    with db.read() as s:
        for hid, code in s.execute(
            select(Host.id, Registration.code).join(
                Registration, Registration.id == Host.registration_id
            )
        ):
            host_code[hid] = code
    code_of_reg: dict[int, str] = {}
    end = START

    while agenda:
        now, _, kind, code = heapq.heappop(agenda)
        end = max(end, now)
        if kind == "arrive":
            outcome = check_in(db, EVENING, code, device="Door 1", now=now)
            arrived_at[code] = now
            code_of_reg[outcome.guest.registration_id] = code
            if outcome.is_host:
                present_hosts.add(code)
        else:
            mark_met(db, EVENING, code, now=now)
        # What did that change? New assignments get their conversation scheduled.
        with db.read() as s:
            active = s.execute(
                select(Assignment.id, Assignment.newcomer_id, Assignment.host_id,
                       Assignment.created_at, Assignment.introductions)
                .where(Assignment.status == "active")
            ).all()  # fmt: skip
        loads: dict[int, int] = {}
        for aid, newcomer_id, host_id, created, intros in active:
            loads[host_id] = loads.get(host_id, 0) + 1
            if aid in met_scheduled:
                continue
            met_scheduled.add(aid)
            ncode = code_of_reg[newcomer_id]
            if ncode not in hosted_at:
                hosted_at[ncode] = created
                mine = interests[ncode]
                if any(mine & interests[h] for h in present_hosts):
                    match_possible += 1
                    if mine & interests[host_code[host_id]]:
                        match_made += 1
                intro_counts.append(len(intros))
            talk = dt.timedelta(minutes=rng.lognormvariate(1.8, 0.4))
            order += 1
            heapq.heappush(agenda, (now + talk, order, "met", ncode))
        if loads:
            max_load = max(max_load, *loads.values())
            violations += sum(1 for n in loads.values() if n > capacity)
    # Leave the evening cleanly: hosts check out (exercises the departure path too).
    for code in sorted(present_hosts):
        check_out(db, EVENING, code, now=end + dt.timedelta(minutes=1))

    waits = [
        ((hosted_at.get(c) or end) - arrived_at[c]).total_seconds()
        for c in newcomers
        if c in arrived_at
    ]
    return SimulationResult(
        guests=guests,
        newcomers=len(newcomers),
        hosts=hosts,
        capacity=capacity,
        seed=seed,
        hosted_within_60s=round(sum(1 for w in waits if w <= 60) / len(waits), 4) if waits else 1.0,
        median_wait_s=statistics.median(waits) if waits else 0.0,
        max_wait_s=max(waits, default=0.0),
        max_host_load=max_load,
        capacity_violations=violations,
        interest_match=round(match_made / match_possible, 4) if match_possible else 1.0,
        introductions_per_newcomer=round(statistics.fmean(intro_counts), 2)
        if intro_counts
        else 0.0,
        never_hosted=sum(1 for c in newcomers if c not in hosted_at),
    )
