"""Several doors at once, as separate processes on one database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from checkin.door.engine import check_in
from checkin.hosting.board import host_board
from checkin.store.models import Assignment, CheckIn, Host, QueueEntry
from tests.support.factories import event_with_guests, guest

EVENT = "Two Doors"
ROOT = Path(__file__).resolve().parents[1]


def _doors(db_url: str, batches: list[list[str]]) -> list[str]:
    start = time.time() + 1.5  # time for every interpreter to start and import
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.scan_worker", db_url, EVENT, f"Door {i}",
             str(start), *codes],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for i, codes in enumerate(batches)
    ]  # fmt: skip
    lines = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        lines += out.splitlines()
    return lines


def _max_concurrent(intervals: list[tuple[dt.datetime, dt.datetime | None]]) -> int:
    points = []
    for start, end in intervals:
        points.append((start, 1))
        if end is not None:
            points.append((end, -1))
    best = level = 0
    for _, delta in sorted(points, key=lambda p: (p[0], p[1])):
        level += delta
        best = max(best, level)
    return best


def test_doors_never_overfill_a_host_or_lose_a_newcomer(db, db_url):
    hosts = [
        guest(i + 2, f"Host{i}", "H", ticket_code=f"H{i}", is_host=True, host_capacity=2)
        for i in range(3)
    ]
    newcomers = [
        guest(i + 10, f"New{i}", "N", ticket_code=f"N{i}", first_time=True) for i in range(24)
    ]
    event_with_guests(db, EVENT, hosts + newcomers)
    for h in hosts:
        check_in(db, EVENT, h.ticket_code)
    codes = [n.ticket_code for n in newcomers]
    lines = _doors(db_url, [codes[0::3], codes[1::3], codes[2::3]])
    assert len(lines) == 24 and all(" checked_in " in line for line in lines)

    with db.read() as s:
        active = s.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.status == "active")
        )
        waiting = s.scalar(
            select(func.count()).select_from(QueueEntry).where(QueueEntry.resolved_at.is_(None))
        )
        assert active == 6  # 3 hosts × 2, all full
        assert waiting == 18  # everyone else waits: nobody lost
        for host_id in s.scalars(select(Host.id)):
            spans = s.execute(
                select(Assignment.created_at, Assignment.ended_at).where(
                    Assignment.host_id == host_id
                )
            ).all()
            assert _max_concurrent(spans) <= 2
    assert len(host_board(db, EVENT).queue) == 18


def test_same_guest_at_two_doors_is_checked_in_once(db, db_url):
    event_with_guests(
        db, EVENT, [guest(i + 2, f"G{i}", "X", ticket_code=f"G{i}") for i in range(20)]
    )
    codes = [f"G{i}" for i in range(20)]
    lines = _doors(db_url, [codes, list(reversed(codes))])
    assert sum(" checked_in " in line for line in lines) == 20
    assert sum(" already_checked_in " in line for line in lines) == 20
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 20
