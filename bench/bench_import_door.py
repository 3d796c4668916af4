"""A scan while a big guest list is imported into the same database (issue 12, item 15).

The import runs as its own process (`checkin import`, as an organiser would start it from a
second laptop or terminal) on the same SQLite file as a door that keeps scanning, four
guests a second (a busy door); every scan is a durable check-in. Reported: the scan latency
during the import beside the same door with nothing else running, and how long the import
took. ROWS from $BENCH_IMPORT_ROWS.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

Row = tuple[str, float, str]
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "200000"))
DOOR_GUESTS = 3000


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def _list(path: Path, n: int, prefix: str) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("First name,Last name,Email,Company,Ticket,Interests\n")
        for i in range(n):
            f.write(f"Zoë{i},Müller {i},{prefix}{i}@example.org,Acme,{prefix}-{i:07d},AI; Hiring\n")


def run() -> list[Row]:
    from checkin.door.engine import check_in
    from checkin.events import create_event
    from checkin.guestlist.importer import import_guest_list
    from checkin.store.db import open_database

    folder = Path(tempfile.mkdtemp(prefix="bench-import-door-"))
    url = f"sqlite:///{folder / 'door.sqlite3'}"
    db = open_database(url)
    create_event(db, "Door")
    create_event(db, "Big")
    door_list, big = folder / "door.csv", folder / "big.csv"
    _list(door_list, DOOR_GUESTS, "door")
    _list(big, ROWS, "big")
    import_guest_list(db, "Door", door_list)
    codes = iter(f"door-{i:07d}" for i in range(DOOR_GUESTS))

    def scan() -> float:
        t = time.perf_counter()
        check_in(db, "Door", next(codes), device="bench")
        return (time.perf_counter() - t) * 1000

    idle = [scan() for _ in range(200)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "checkin", "-d", url, "import", str(big), "--event", "Big"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    during: list[float] = []
    while proc.poll() is None and len(during) < DOOR_GUESTS - 300:
        during.append(scan())
        time.sleep(0.25)  # a busy door: four scans a second
    proc.wait()
    took = time.perf_counter() - started
    db.dispose()
    if proc.returncode != 0:
        return [("import failed with exit status", float(proc.returncode), "")]
    return [
        ("scan, nothing else running: median", _pct(idle, 50), "ms"),
        ("scan, nothing else running: p99", _pct(idle, 99), "ms"),
        (f"scan during a {ROWS:,}-row import: median", _pct(during, 50), "ms"),
        (f"scan during a {ROWS:,}-row import: p99", _pct(during, 99), "ms"),
        (f"scan during a {ROWS:,}-row import: slowest", max(during), "ms"),
        ("scans during the import", float(len(during)), "scans"),
        (f"import of {ROWS:,} rows (reading + writing)", took, "s"),
    ]
