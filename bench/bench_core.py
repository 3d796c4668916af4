"""Core benchmarks: scan → committed outcome, name search, import, host assignment.

Everything on a real SQLite file (WAL, synchronous=FULL) in a temporary folder, beside a bare
sqlite3 INSERT+COMMIT on the same disk in the same run: the physical limit of a durable
commit here, which the scan median is compared with.
"""

from __future__ import annotations

import csv
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

Row = tuple[str, float, str]

REGISTRATIONS = 50_000
SCANS = 2_000
SEARCHES = 1_000


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def _bare_commit(folder: Path, n: int = 1_000) -> list[float]:
    conn = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    times = []
    for i in range(n):
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES (?)", (f"row {i}",))
        conn.execute("COMMIT")
        times.append((time.perf_counter() - t) * 1000)
    conn.close()
    return times


FIRST = "Anna Ben Carla David Elena Farid Grace Hugo Ines José Zoë Björn Łukasz Mei Kwame".split()
LAST = "Müller García Rossi Dubois Novak Kowalski Jensen Murphy Chen Okafor Patel Silva".split()
_SYLLABLES = (
    "ka ri mo len sa to vi ber an del ko mar ten lu ni ga ros wen fe ho "
    "stein berg ham ley son sen ova ski ez ov ic elli etti ard ier ton field bach mann"
).split()


def _surnames(rng: random.Random, n: int) -> list[str]:
    """About n distinct made-up surnames: a list of 50,000 real people has tens of thousands."""
    names = set(LAST)
    while len(names) < n:
        parts = rng.sample(_SYLLABLES, rng.randint(2, 3))
        names.add("".join(parts).capitalize())
    return sorted(names)


TOPICS = "AI Fintech Marketing Design Hiring Sales Legal Export Startups Healthcare".split()


def _write_csv(path: Path, n: int, hosts: int, rng: random.Random) -> list[str]:
    surnames = _surnames(rng, 15_000)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["First name", "Last name", "Email", "Company", "Ticket", "First time", "Host",
             "Interests"]
        )  # fmt: skip
        for i in range(n):
            w.writerow(
                [
                    rng.choice(FIRST),
                    rng.choice(surnames),
                    f"guest{i}@bench.example",
                    f"Company {i % 2000}",
                    f"B{i:07d}",
                    "yes" if i % 10 == 0 else "no",
                    "yes" if i < hosts else "",
                    ", ".join(rng.sample(TOPICS, 2)),
                ]
            )
    return surnames


def run() -> list[Row]:
    from checkin.door.engine import check_in
    from checkin.door.search import build_index
    from checkin.events import create_event
    from checkin.guestlist.importer import import_guest_list
    from checkin.store.db import open_database

    rows: list[Row] = []
    rng = random.Random(5)
    work = Path(__file__).with_name(".work")  # on the project disk, like the real database
    work.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        folder = Path(tmp)
        bare = _bare_commit(folder)
        rows += [
            ("bare SQLite INSERT+COMMIT median", statistics.median(bare), "ms"),
            ("bare SQLite INSERT+COMMIT p99", _pct(bare, 99), "ms"),
        ]

        csv_path = folder / "guests.csv"
        surnames = _write_csv(csv_path, REGISTRATIONS, 500, rng)
        db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
        create_event(db, "Bench")
        t = time.perf_counter()
        import_guest_list(db, "Bench", csv_path)
        rows.append((f"import {REGISTRATIONS:,}-row CSV", time.perf_counter() - t, "s"))

        # 500 hosts arrive; then a door scans returning guests and first-timers.
        for i in range(500):
            check_in(db, "Bench", f"B{i:07d}", device="Door 1")
        # Arrivals in list order: 1 in 10 is a first-timer, as in the list written above.
        arrivals = [f"B{i:07d}" for i in range(500, 500 + SCANS)]
        scan_r, scan_n = [], []
        for i, code in enumerate(arrivals, start=500):
            t = time.perf_counter()
            check_in(db, "Bench", code, device="Door 1")
            (scan_n if i % 10 == 0 else scan_r).append((time.perf_counter() - t) * 1000)
        both = scan_r + scan_n
        med, med_r, med_n = (statistics.median(x) for x in (both, scan_r, scan_n))
        rows += [
            ("scan → committed outcome median (1 in 10 first-timers)", med, "ms"),
            ("scan → committed outcome p99", _pct(both, 99), "ms"),
            ("scan median ÷ bare commit median", med / statistics.median(bare), "×"),
            ("scan, returning guest median", med_r, "ms"),
            ("scan, first-timer (host assigned, 500 hosts) median", med_n, "ms"),
            ("host assignment added (median difference)", med_n - med_r, "ms"),
        ]

        t = time.perf_counter()
        index = build_index(db, "Bench")
        rows.append(("search index build (50k)", (time.perf_counter() - t) * 1000, "ms"))
        queries = []
        for _ in range(SEARCHES):
            word = rng.choice(surnames + FIRST)
            kind = rng.random()
            if kind < 0.4:
                queries.append(word[: rng.randint(2, len(word))])  # partial
            elif kind < 0.7:
                i = rng.randrange(len(word))
                queries.append(word[:i] + word[i + 1 :])  # a letter missing
            else:
                queries.append(f"{rng.choice(FIRST)} {rng.choice(surnames)}")
        times = []
        for q in queries:
            t = time.perf_counter()
            index.search(q)
            times.append((time.perf_counter() - t) * 1000)
        rows += [
            ("name search median (50k)", statistics.median(times), "ms"),
            ("name search p99 (50k)", _pct(times, 99), "ms"),
        ]
        db.dispose()
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<55} {value:>10.2f} {unit}")
