"""How soon a host reaches their newcomer, by the way they learn of them: the board by the
door, or a buzz on their phone (with escalation). The same evening as ``simulate`` (its
guests, arrivals and conversations), played through the real engine with a simulated clock.

The model (see docs/hosting.md and docs/phones.md):

- **board**: a host mingling glances at the board now and then — every 2 to 8 minutes
  (each host their own habit); they learn of a newcomer at their next glance.
- **phone**: the buzz is felt with probability 0.93 (a loud room, a phone in a bag misses
  some), after a log-normal delay (median 8 s); the host taps On my way. The page buzzes
  again 30 s and 60 s after an unanswered arrival; a host who missed the first buzz feels
  each reminder with probability 0.5 (what hid the first often hides the next). A host who has not
  answered within ``answer_within_s`` (90 s) has the newcomer offered to the next best free
  host (``replies.escalate``), whose phone buzzes in turn.
- Either way the host then crosses the room: log-normal, median 35 s. *Welcomed* is the
  moment the host is at the newcomer's side; the figure is the share of newcomers welcomed
  within 120 s of their check-in. The conversation then lasts as in ``simulate`` and ends
  with Met.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from checkin.door.engine import check_in
from checkin.events import create_event, find_event
from checkin.guestlist.importer import import_guest_list
from checkin.guestlist.rows import GuestList
from checkin.hosting import links, replies
from checkin.hosting.simulate import EVENING, START, _arrival_minute, _guest_rows
from checkin.store.db import open_database
from checkin.store.models import Assignment

CHANNELS = ("board", "phone")
BUZZ_FELT = 0.93
REMINDER_FELT = 0.5
REMINDERS_S = (30, 60)  # as web/assets/host.js
WELCOME_WITHIN_S = 120


@dataclass(frozen=True)
class ChannelResult:
    channel: str
    newcomers: int
    welcomed_within_120s: float
    median_welcome_s: float
    escalations: int
    never_welcomed: int

    def as_json(self) -> dict:
        return dict(self.__dict__)

    def describe(self) -> str:
        return (
            f"Channel {self.channel}: {self.welcomed_within_120s:.1%} of {self.newcomers} "
            f"first-timers welcomed within 2 min (median {self.median_welcome_s:.0f} s), "
            f"{self.escalations} escalations, {self.never_welcomed} never welcomed"
        )


def simulate_channel(
    channel: str,
    *,
    guests: int = 300,
    first_time: float = 0.3,
    hosts: int = 12,
    capacity: int = 3,
    seed: int = 1,
    answer_within_s: float = replies.DEFAULT_ANSWER_WITHIN_S,
) -> ChannelResult:
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}")
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'channels.sqlite3'}")
        try:
            return _run(db, rng, channel, guests, first_time, hosts, capacity, answer_within_s)
        finally:
            db.dispose()


def _run(db, rng, channel, guests, first_share, hosts, capacity, within) -> ChannelResult:
    rows = _guest_rows(rng, guests, first_share, hosts, capacity)
    create_event(db, EVENING, START.date())
    gl = GuestList("sim", "generic", "utf-8", ",", {}, rows=rows)
    import_guest_list(db, EVENING, "simulation", guests=gl)
    with db.read() as s:
        event_id = find_event(s, EVENING).id
    if channel == "phone":  # every host has opened their link: silence is escalated
        for r in rows:
            if r.is_host:
                links.resolve(db, links.host_link(db, EVENING, r.ticket_code), START)
    glance = {}  # host id -> minutes between looks at the board
    agenda: list[tuple[dt.datetime, int, str, int | str]] = []
    order = 0
    for r in rows:
        minute = rng.uniform(-10, 15) if r.is_host else _arrival_minute(rng)
        order += 1
        heapq.heappush(
            agenda, (START + dt.timedelta(minutes=minute), order, "arrive", r.ticket_code)
        )
    newcomers = {r.ticket_code for r in rows if r.first_time}
    arrived: dict[int, dt.datetime] = {}  # newcomer registration id -> check-in time
    welcomed: dict[int, dt.datetime] = {}
    seen: set[int] = set()
    escalations = 0
    while agenda:
        now, _, kind, what = heapq.heappop(agenda)
        if kind == "arrive":
            o = check_in(db, EVENING, str(what), device="Door 1", now=now)
            if o.first_time and o.guest:
                arrived[o.guest.registration_id] = now
        elif kind == "escalate":
            escalations += len(replies.escalate(db, event_id, within, now=now))
        else:
            a = _assignment(db, int(what))
            if a is None or a.status != "active":
                continue  # escalated away, or over
            if kind == "notice":
                replies.reply(db, a.host_id, a.id, replies.ON_MY_WAY, now=now)
                walk = dt.timedelta(seconds=rng.lognormvariate(3.56, 0.5))  # median 35 s
                order += 1
                heapq.heappush(agenda, (now + walk, order, "at_side", a.id))
            elif kind == "at_side":
                welcomed.setdefault(a.newcomer_id, now)
                talk = dt.timedelta(minutes=rng.lognormvariate(1.8, 0.4))
                order += 1
                heapq.heappush(agenda, (now + talk, order, "met", a.id))
            elif kind == "met":
                replies.reply(db, a.host_id, a.id, replies.MET, now=now)
        for a in _new_assignments(db, event_id, seen):
            order += 1
            notice = _notice_after(rng, channel, glance, a.host_id)
            if notice is not None:
                heapq.heappush(agenda, (a.created_at + notice, order, "notice", a.id))
            if channel == "phone":
                deadline = a.created_at + dt.timedelta(seconds=within)
                heapq.heappush(agenda, (deadline, order, "escalate", a.id))
    ids = [rid for rid in arrived if rid in arrived]
    waits = sorted((welcomed[r] - arrived[r]).total_seconds() for r in ids if r in welcomed)
    within_2 = sum(1 for w in waits if w <= WELCOME_WITHIN_S)
    return ChannelResult(
        channel,
        len(newcomers),
        round(within_2 / len(ids), 4) if ids else 1.0,
        waits[len(waits) // 2] if waits else 0.0,
        escalations,
        len(ids) - len(waits),
    )


def _notice_after(rng, channel: str, glance: dict, host_id: int) -> dt.timedelta | None:
    if channel == "board":
        every = glance.setdefault(host_id, rng.uniform(2, 8))
        return dt.timedelta(minutes=rng.uniform(0, every))
    felt = dt.timedelta(seconds=rng.lognormvariate(2.08, 0.6))  # median 8 s
    if rng.random() <= BUZZ_FELT:
        return felt
    for at in REMINDERS_S:
        if rng.random() <= REMINDER_FELT:
            return dt.timedelta(seconds=at) + felt
    return None  # missed every buzz: escalation offers the newcomer on


def _assignment(db, assignment_id: int) -> Assignment | None:
    with db.read() as s:
        return s.get(Assignment, assignment_id)


def _new_assignments(db, event_id: int, seen: set[int]) -> list[Assignment]:
    with db.read() as s:
        rows = s.scalars(
            select(Assignment).where(Assignment.event_id == event_id, Assignment.status == "active")
        ).all()
    fresh = [a for a in rows if a.id not in seen]
    seen.update(a.id for a in fresh)
    return fresh
