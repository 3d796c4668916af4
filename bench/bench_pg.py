"""Several doors on one PostgreSQL database: 4 door processes (`checkin scan -`, the real
door path) against 4 bare psycopg INSERT+COMMIT loops, on the same server in the same run.

The server is started the way the tests start theirs (pytest-postgresql's executor, see
tests/support/postgres.py) but durable: fsync and synchronous_commit on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import ROOT, WORK, child_json

DOORS = 4

_BARE = """
import json, sys, time, psycopg
url, n, start_at = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
conn = psycopg.connect(url)
conn.execute("CREATE TABLE IF NOT EXISTS bare (id bigserial PRIMARY KEY, v text)")
conn.commit()
time.sleep(max(0.0, start_at - time.time()))
t = time.perf_counter()
for i in range(n):
    conn.execute("INSERT INTO bare (v) VALUES (%s)", (f"row {i}",))
    conn.commit()
print(json.dumps({"seconds": time.perf_counter() - t, "n": n}))
"""


class Door:
    """One `checkin scan --event Bench -` process; answers are read as they come."""

    def __init__(self, url: str, device: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        env.pop("PYTHONUNBUFFERED", None)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "checkin",
                "-d",
                url,
                "scan",
                "-e",
                "Bench",
                "--device",
                device,
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.last = 0.0

    def ask(self, code: str) -> str:
        self.proc.stdin.write(code + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline()

    def feed(self, codes: list[str]) -> threading.Thread:
        def send() -> None:
            for code in codes:
                self.proc.stdin.write(code + "\n")
            self.proc.stdin.flush()

        def read() -> None:
            for _ in codes:
                self.lines.append(self.proc.stdout.readline())
            self.last = time.perf_counter()

        threading.Thread(target=send, daemon=True).start()
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        return reader

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(60)


def _doors_run(url: str, per_door: list[list[str]]) -> tuple[float, list[Door]]:
    doors = [Door(url, f"Door {k + 1}") for k in range(len(per_door))]
    for door in doors:
        door.ask("WARM-UP")  # imported, connected, ready: the clock starts after this
    t = time.perf_counter()
    readers = [door.feed(codes) for door, codes in zip(doors, per_door, strict=True)]
    for r in readers:
        r.join(600)
    seconds = max(d.last for d in doors) - t
    for door in doors:
        door.close()
    return seconds, doors


def _round_trips(db, code: str) -> int:
    """Statements sent for one check-in, plus BEGIN and COMMIT (psycopg sends each apart)."""
    from sqlalchemy import event

    from checkin.door.engine import check_in

    seen: list[str] = []
    on_stmt = lambda *a, **k: seen.append("stmt")  # noqa: E731
    # psycopg sends BEGIN only outside autocommit (SQLAlchemy's event fires either way)
    on_begin = lambda conn: (  # noqa: E731
        None if conn.connection.dbapi_connection.autocommit else seen.append("begin")
    )
    on_commit = lambda *a, **k: seen.append("commit")  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", on_stmt)
    event.listen(db.engine, "begin", on_begin)
    event.listen(db.engine, "commit", on_commit)
    try:
        check_in(db, "Bench", code, device="Door 9")
    finally:
        event.remove(db.engine, "before_cursor_execute", on_stmt)
        event.remove(db.engine, "begin", on_begin)
        event.remove(db.engine, "commit", on_commit)
    return len(seen)


def run(quick: bool = False) -> list:
    import json

    from sqlalchemy import func, select

    from bench.bench_door import build_door
    from checkin.store.models import CheckIn, Registration

    n, per = (3_000, 100) if quick else (10_000, 800)
    WORK.mkdir(exist_ok=True)
    from tests.support.postgres import PostgresServer

    server = PostgresServer(PostgresServer.DURABLE, folder=WORK)
    try:
        server.start()
        url = server.new_database()
        with tempfile.TemporaryDirectory(dir=WORK) as tmp:
            db, returning, first = build_door(Path(tmp), n, url)
        trips_returning = _round_trips(db, returning.pop())
        trips_first = _round_trips(db, first.pop())
        # Throughput: each door its own arrivals (returning guests and first-timers mixed).
        mixed = [c for pair in zip(returning, first, strict=False) for c in pair]
        per_door = [mixed[k * per : (k + 1) * per] for k in range(DOORS)]
        seconds, doors = _doors_run(url, per_door)
        outcomes = [json.loads(line) for d in doors for line in d.lines if line.strip()]
        errors = sum(1 for o in outcomes if "error" in o)
        door_rate = DOORS * per / seconds
        # Returning guests only: no host to find, no event-wide hosting lock.
        spare = returning[(DOORS * per + 100) // 2 + 1 :]  # none scanned above or below
        only_returning = [spare[k * per : (k + 1) * per] for k in range(DOORS)]
        r_seconds, _ = _doors_run(url, only_returning)
        returning_rate = sum(map(len, only_returning)) / r_seconds
        # The bare floor: 4 processes, one INSERT+COMMIT each loop, started together.
        bare_url = url.replace("postgresql+psycopg", "postgresql")
        # Made here, once: four CREATE TABLE IF NOT EXISTS at the same moment can collide
        # on PostgreSQL's catalogue (a duplicate pg_type key), killing one loop.
        import psycopg

        with psycopg.connect(bare_url) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS bare (id bigserial PRIMARY KEY, v text)")
        start_at = time.time() + 3.0
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _BARE, bare_url, str(per), str(start_at)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(DOORS)
        ]
        bare = [json.loads(p.communicate(timeout=600)[0].strip().splitlines()[-1]) for p in procs]
        bare_rate = DOORS * per / max(b["seconds"] for b in bare)
        one = child_json(_BARE, bare_url, str(per), str(time.time()))
        # Conflicts: the 4 doors scan the same guests at the same moment.
        same = mixed[DOORS * per : DOORS * per + 100]
        _, doors = _doors_run(url, [same] * DOORS)
        answers = [json.loads(line) for d in doors for line in d.lines if line.strip()]
        welcomed = sum(1 for a in answers if a.get("outcome") == "checked_in")
        failed = sum(1 for a in answers if "error" in a)
        with db.read() as s:
            logged = s.scalar(
                select(func.count())
                .select_from(CheckIn)
                .join(Registration, Registration.id == CheckIn.registration_id)
                .where(Registration.code.in_(same), CheckIn.action == "checkin")
            )
        db.dispose()
    finally:
        server.stop()
    return [
        ("registrations (history on the server too)", n, "", f"{DOORS} doors × {per} scans"),
        (
            "floor: 4 bare psycopg INSERT+COMMIT loops",
            bare_rate,
            "/s",
            f"one loop alone {one['n'] / one['seconds']:.0f}/s",
        ),
        (
            "4 door processes (`checkin scan -`), half first-timers",
            door_rate,
            "/s",
            f"{door_rate / bare_rate:.0%} of bare (target ≥50 %)",
        ),
        (
            "4 doors, returning guests only",
            returning_rate,
            "/s",
            f"{returning_rate / bare_rate:.0%} of bare",
        ),
        ("door answers that were errors", errors, "", ""),
        (
            "round trips, returning guest (statements+BEGIN+COMMIT)",
            trips_returning,
            "",
            "target ≤2",
        ),
        ("round trips, first-timer with a host", trips_first, "", ""),
        (
            "same 100 guests scanned by 4 doors at once: welcomed",
            welcomed,
            "",
            f"{len(answers)} answers, {failed} errors",
        ),
        (
            "  … check-in rows written for them",
            logged or 0,
            "",
            "exactly one each = no conflict lost",
        ),
    ]
