"""Play a realistic evening through the real engine, to measure and tune the hosting policy.

A scratch SQLite database, a simulated clock, and the same functions the door calls:
guests arrive bunched near the start (about two thirds in the first 30 minutes), hosts
arrive mostly before the doors open and some among the guests, and a host marks a newcomer
met after a conversation of a few minutes (log-normal, median 6 min). A share of the
regulars offered to welcome if needed (backups); whenever the door proposes one, the
volunteer asks them and they host 30 s later. Pairs are allowed unless turned off.
See docs/hosting.md for the model and the figures.
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
from checkin.events import create_event, find_event
from checkin.guestlist.importer import import_guest_list
from checkin.guestlist.rows import GuestList, GuestRow
from checkin.hosting.actions import add_host, enlist_backup, mark_met
from checkin.hosting.backups import propose
from checkin.hosting.options import hosting_options
from checkin.hosting.scenarios import (
    ASK_DELAY_S,
    DEFAULT_BACKUP_SHARE,
    LOOK_EVERY_S,
    PAIR_MIN_TALK,
    SCENARIOS,
)
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
    scenario: str
    guests: int
    newcomers: int
    hosts: int
    capacity: int
    seed: int
    backup_share: float
    backups_offered: int
    hosted_within_60s: float
    welcomed_within_120s: float
    median_wait_s: float
    max_wait_s: float
    max_host_load: int
    capacity_violations: int
    interest_match: float
    introductions_per_newcomer: float
    never_hosted: int
    backup_hosts_used: int
    pairs: int

    def as_json(self) -> dict:
        return dict(self.__dict__)

    def describe(self) -> str:
        return "\n".join(
            [
                f"Simulated evening ({self.scenario}): {self.guests} guests, "
                f"{self.newcomers} first-timers, {self.hosts} hosts × {self.capacity}, "
                f"{self.backups_offered} regulars happy to help (seed {self.seed})",
                f"  hosted within 60 s:      {self.hosted_within_60s:.1%}",
                f"  welcomed within 2 min:   {self.welcomed_within_120s:.1%}",
                f"  wait median / max:       {self.median_wait_s:.0f} s / {self.max_wait_s:.0f} s",
                f"  max host load:           {self.max_host_load}",
                f"  capacity violations:     {self.capacity_violations}",
                f"  shared-interest match:   {self.interest_match:.1%} (where one was possible)",
                f"  introductions/newcomer:  {self.introductions_per_newcomer:.2f}",
                f"  backup hosts enlisted:   {self.backup_hosts_used}",
                f"  pairs:                   {self.pairs}",
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
    scenario: str = "default",
    guests: int | None = None,
    first_time: float | None = None,
    hosts: int | None = None,
    capacity: int | None = None,
    backup_share: float = DEFAULT_BACKUP_SHARE,
    pairs: bool = True,
    seed: int = 1,
    workdir: str | None = None,
) -> SimulationResult:
    """One evening; a scenario's figures, each overridable."""
    base = SCENARIOS[scenario]
    setup = _Setup(
        scenario,
        base.guests if guests is None else guests,
        base.first_time if first_time is None else first_time,
        base.hosts if hosts is None else hosts,
        base.capacity if capacity is None else capacity,
        backup_share,
        pairs,
        seed,
    )
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'simulation.sqlite3'}")
        try:
            return _run(db, rng, setup)
        finally:
            db.dispose()


@dataclass(frozen=True)
class _Setup:
    scenario: str
    guests: int
    first_share: float
    hosts: int
    capacity: int
    backup_share: float
    pairs: bool
    seed: int


def _prepare(db, rng: random.Random, st: _Setup) -> tuple[list[GuestRow], set[str]]:
    rows = _guest_rows(rng, st.guests, st.first_share, st.hosts, st.capacity)
    create_event(db, EVENING, START.date())
    import_guest_list(
        db, EVENING, "simulation", guests=GuestList("sim", "generic", "utf-8", ",", {}, rows=rows)
    )
    hosting_options(db, EVENING, pairs=st.pairs)
    regulars = [r.ticket_code for r in rows if not r.is_host and not r.first_time]
    backups = set(rng.sample(regulars, round(len(regulars) * st.backup_share)))
    for code in sorted(backups):
        add_host(db, EVENING, code=code, backup=True)
    return rows, backups


def _run(db, rng: random.Random, st: _Setup) -> SimulationResult:
    rows, backups = _prepare(db, rng, st)
    interests = {r.ticket_code: tag_keys(", ".join(r.interests)) for r in rows}
    # (time, order, kind, code): order keeps equal times deterministic.
    agenda: list[tuple[dt.datetime, int, str, str]] = []
    last = START
    for i, r in enumerate(rows):
        minute = rng.uniform(-10, 15) if r.is_host else _arrival_minute(rng)
        at = START + dt.timedelta(minutes=minute)
        last = max(last, at)
        heapq.heappush(agenda, (at, i, "arrive", r.ticket_code))
    order = len(rows)
    tick = START - dt.timedelta(minutes=10)
    while tick < last + dt.timedelta(minutes=30):
        order += 1
        heapq.heappush(agenda, (tick, order, "look", ""))
        tick += dt.timedelta(seconds=LOOK_EVERY_S)
    newcomers = {r.ticket_code for r in rows if r.first_time}
    arrived_at: dict[str, dt.datetime] = {}
    hosted_at: dict[str, dt.datetime] = {}
    met_scheduled: set[int] = set()
    ends: dict[int, dt.datetime] = {}  # assignment id -> when its conversation ends
    hosting: set[str] = set()  # codes of hosts welcoming now: signed up, or enlisted
    asked: dict[int, str] = {}  # backup host id -> code, asked and on their way
    enlisted: set[str] = set()
    match_possible = match_made = pairs = 0
    intro_counts: list[int] = []
    max_load = violations = 0
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
        end = max(end, now) if kind != "look" else end
        if kind == "arrive":
            outcome = check_in(db, EVENING, code, device="Door 1", now=now)
            arrived_at[code] = now
            code_of_reg[outcome.guest.registration_id] = code
            if outcome.is_host and code not in backups:
                hosting.add(code)
        elif kind == "met":
            mark_met(db, EVENING, code, now=now)
        elif kind == "enlist":
            enlist_backup(db, EVENING, code, now=now)
            asked = {h: c for h, c in asked.items() if c != code}
            enlisted.add(code)
            hosting.add(code)
        # The door proposes a backup when someone needs one; the volunteer asks at once.
        while (p := _proposal(db, now, set(asked))) is not None:
            asked[p.backup.host_id] = p.backup.code
            order += 1
            heapq.heappush(
                agenda, (now + dt.timedelta(seconds=ASK_DELAY_S), order, "enlist", p.backup.code)
            )
        if kind == "look":
            continue
        # What did that change? New assignments get their conversation scheduled.
        with db.read() as s:
            active = s.execute(
                select(Assignment.id, Assignment.newcomer_id, Assignment.host_id,
                       Assignment.created_at, Assignment.introductions, Assignment.pair_of)
                .where(Assignment.status == "active")
            ).all()  # fmt: skip
        active_ids = {a[0] for a in active}
        newcomer_of = {a[0]: a[1] for a in active}
        conversations: dict[int, set[int]] = {}
        for aid, newcomer_id, host_id, created, intros, pair_of in active:
            root = pair_of if pair_of in active_ids else aid
            conversations.setdefault(host_id, set()).add(root)
            if aid in met_scheduled:
                continue
            met_scheduled.add(aid)
            ncode = code_of_reg[newcomer_id]
            if ncode not in hosted_at:
                hosted_at[ncode] = created
                mine = interests[ncode]
                partner = code_of_reg.get(newcomer_of.get(pair_of, -1))
                pairs += partner is not None
                if any(mine & interests[h] for h in hosting) or partner:
                    match_possible += 1
                    shared_host = mine & interests[host_code[host_id]]
                    if shared_host or (partner and mine & interests[partner]):
                        match_made += 1
                intro_counts.append(len(intros))
            if pair_of in ends:  # joined a conversation: stays until it ends (≥ 3 min)
                until = max(ends[pair_of], now + PAIR_MIN_TALK)
            else:
                until = now + dt.timedelta(minutes=rng.lognormvariate(1.8, 0.4))
            ends[aid] = until
            order += 1
            heapq.heappush(agenda, (until, order, "met", ncode))
        if conversations:
            loads = [len(c) for c in conversations.values()]
            max_load = max(max_load, *loads)
            violations += sum(
                1
                for hid, c in conversations.items()
                if len(c) > (1 if host_code[hid] in backups else st.capacity)
            )
    # Leave the evening cleanly: hosts check out (exercises the departure path too).
    for code in sorted(hosting):
        check_out(db, EVENING, code, now=end + dt.timedelta(minutes=1))

    waits = [
        ((hosted_at.get(c) or end) - arrived_at[c]).total_seconds()
        for c in newcomers
        if c in arrived_at
    ]

    def share(limit: float) -> float:
        return round(sum(1 for w in waits if w <= limit) / len(waits), 4) if waits else 1.0

    return SimulationResult(
        scenario=st.scenario,
        guests=st.guests,
        newcomers=len(newcomers),
        hosts=st.hosts,
        capacity=st.capacity,
        seed=st.seed,
        backup_share=st.backup_share,
        backups_offered=len(backups),
        hosted_within_60s=share(60),
        welcomed_within_120s=share(120),
        median_wait_s=statistics.median(waits) if waits else 0.0,
        max_wait_s=max(waits, default=0.0),
        max_host_load=max_load,
        capacity_violations=violations,
        interest_match=round(match_made / match_possible, 4) if match_possible else 1.0,
        introductions_per_newcomer=round(statistics.fmean(intro_counts), 2)
        if intro_counts
        else 0.0,
        never_hosted=sum(1 for c in newcomers if c not in hosted_at),
        backup_hosts_used=len(enlisted),
        pairs=pairs,
    )


def _proposal(db, now: dt.datetime, asked: set[int]):
    with db.read() as s:
        return propose(s, find_event(s, EVENING).id, now, asked)
