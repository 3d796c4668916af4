"""The door as it really runs: first-time decided by history (earlier events in the database,
no "First time" column), the attendance journal on, 500 hosts present, 50,000 registrations.

The physical floors are measured in the same loop, alternating with the scans, on the same
disk: a bare durable SQLite commit (WAL + synchronous=FULL, one INSERT) and a bare fsync'd
append of a journal-sized line to a file. Each scan figure is printed beside its floor.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.common import WORK, median, ms_since, pct, people, ratio, write_guest_csv

HOSTS = 500


class Floors:
    """The bare durable commit and the bare fsync'd append, one call each per loop turn."""

    def __init__(self, folder: Path) -> None:
        self.conn = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        self.fd = os.open(folder / "bare.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.line = (b'{"type":"checkin","id":"' + b"x" * 36 + b'","guest":{}}' + b" " * 250)[:300]
        self.commit: list[float] = []
        self.append: list[float] = []
        self.n = 0

    def once(self) -> None:
        self.n += 1
        t = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO t (v) VALUES (?)", (f"row {self.n}",))
        self.conn.execute("COMMIT")
        self.commit.append(ms_since(t))
        t = time.perf_counter()
        os.write(self.fd, self.line + b"\n")
        os.fsync(self.fd)
        self.append.append(ms_since(t))

    def close(self) -> None:
        self.conn.close()
        os.close(self.fd)


def build_door(folder: Path, n: int, url: str | None = None):
    """A database with an earlier event (60 % of tonight's guests came to it) and tonight's
    list of ``n`` (500 hosts, checked in): returns (db, returning codes, first-timer codes)."""
    from sqlalchemy import update

    from checkin.door.engine import check_in
    from checkin.events import create_event
    from checkin.guestlist.importer import import_guest_list
    from checkin.store.db import open_database
    from checkin.store.models import Registration

    guests = people(n, seed=5)
    came = int(n * 0.6)
    write_guest_csv(folder / "past.csv", guests[:came], codes="P")
    write_guest_csv(folder / "tonight.csv", guests, hosts=HOSTS, codes="B")
    db = open_database(url or f"sqlite:///{folder / 'door.sqlite3'}")
    past = create_event(db, "Spring Mixer", dt.date(2026, 4, 1))
    create_event(db, "Bench", dt.date(2026, 12, 3))
    import_guest_list(db, "Spring Mixer", folder / "past.csv")
    with db.write() as s:  # they came: the history the door decides by
        s.execute(
            update(Registration)
            .where(Registration.event_id == past.id)
            .values(checked_in_at=dt.datetime(2026, 4, 1, 18, tzinfo=dt.UTC), first_time=False)
        )
    import_guest_list(db, "Bench", folder / "tonight.csv")
    for i in range(HOSTS):
        check_in(db, "Bench", f"B{i:07d}", device="Door 1")
    returning = [f"B{i:07d}" for i in range(HOSTS, came)]
    first = [f"B{i:07d}" for i in range(came, n)]
    return db, returning, first


def count_statements(db, action) -> int:
    from sqlalchemy import event

    seen = []
    listener = lambda *a, **k: seen.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def run(quick: bool = False) -> list:
    from checkin.door.engine import check_in
    from checkin.journal.writer import Journal

    n, turns = (5_000, 100) if quick else (50_000, 600)
    WORK.mkdir(exist_ok=True)
    rows: list = []
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        folder = Path(tmp)
        db, returning, first = build_door(folder, n)
        journal = Journal(folder / "stick", event="Bench", event_date=None, device="Door 1")
        floors = Floors(folder)
        times: dict[str, list[float]] = {k: [] for k in ("rj", "r", "fj", "f")}
        ret, new = iter(returning), iter(first)

        def scan(kind: str, code: str, with_journal: bool) -> None:
            t = time.perf_counter()
            outcome = check_in(
                db, "Bench", code, device="Door 1", journal=journal if with_journal else None
            )
            times[kind].append(ms_since(t))
            assert outcome.kind.value == "checked_in", outcome.kind
            assert outcome.first_time == kind.startswith("f"), (code, outcome.first_time)

        for _ in range(20):  # warm-up: caches, the journal file opened
            floors.once()
            check_in(db, "Bench", next(ret), device="Door 1", journal=journal)
        floors.commit.clear()
        floors.append.clear()
        for _ in range(turns):
            scan("rj", next(ret), True)
            floors.once()
            scan("r", next(ret), False)
            scan("fj", next(new), True)
            scan("f", next(new), False)
        statements = count_statements(db, lambda: check_in(db, "Bench", next(ret), device="Door 1"))
        floors.close()
        journal.close()
        db.dispose()

    commit, append = median(floors.commit), median(floors.append)
    both = commit + append
    rj, r, fj, f = (median(times[k]) for k in ("rj", "r", "fj", "f"))
    rows += [
        (
            "registrations / hosts present / scans of each kind",
            n,
            "",
            f"{HOSTS} hosts, {turns} each",
        ),
        (
            "floor: bare SQLite INSERT+COMMIT (WAL, FULL) median",
            commit,
            "ms",
            f"p99 {pct(floors.commit, 99):.2f} ms",
        ),
        (
            "floor: bare fsync'd 300-byte append median",
            append,
            "ms",
            f"p99 {pct(floors.append, 99):.2f} ms",
        ),
        (
            "returning guest (history), journal on: median",
            rj,
            "ms",
            ratio(rj, both, "commit+append (target ≤1.5)"),
        ),
        ("returning guest (history), journal on: p99", pct(times["rj"], 99), "ms", "target ≤10 ms"),
        (
            "returning guest (history), journal off: median",
            r,
            "ms",
            ratio(r, commit, "bare commit (target ≤2)"),
        ),
        ("returning guest, journal off: p99", pct(times["r"], 99), "ms", ""),
        (
            "first-timer, host among 500, journal off: median",
            f,
            "ms",
            ratio(f, commit, "bare commit (target ≤3)"),
        ),
        ("first-timer, journal off: p99", pct(times["f"], 99), "ms", ""),
        (
            "first-timer, host among 500, journal on: median",
            fj,
            "ms",
            ratio(fj, both, "commit+append"),
        ),
        ("first-timer, journal on: p99", pct(times["fj"], 99), "ms", ""),
        (
            "SQL statements for a returning guest (SQLite)",
            statements,
            "",
            "BEGIN IMMEDIATE counted (SQLite takes the write lock with it)",
        ),
    ]
    return rows
