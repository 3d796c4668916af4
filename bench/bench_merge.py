"""Merge speed: 100,000 check-in records from four door journals into one SQLite database.

    .venv/bin/python bench/bench_merge.py

run() returns (name, value, unit) rows. Target: 100,000 records merged in <= 3 s. The
journals hold 50,000 guests each checked in at two doors (so half the records are
duplicates the merge must keep in the log but not count), with an undo and a checkout now
and then, as a long evening at four doors would.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

Row = tuple[str, float, str]
GUESTS = 50_000
DOORS = 4
RECORDS = 100_000
EVENT = "Merge Bench"
# Last evening: merge refuses lines dated in the future (and far from the event's day).
_YESTERDAY = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
START = dt.datetime.combine(_YESTERDAY, dt.time(17, 0), tzinfo=dt.UTC)


def _guest(i: int) -> dict:
    return {
        "code": f"M{i:07d}",
        "email": f"guest{i}@bench.example",
        "external_id": None,
        "first_name": "Guest",
        "last_name": f"{i}",
    }


def write_journals(folder: Path) -> list[Path]:
    """Four doors, 25,000 records each: every guest at two doors, some undone or leaving."""
    paths = []
    per_door = RECORDS // DOORS
    for door in range(DOORS):
        device = f"Door {door + 1}"
        header = {"type": "header", "format": "welcome-desk-journal", "version": 1}
        lines = [{**header, "event": EVENT, "device": device}]
        last = None
        for n in range(per_door):
            g = (n + door * per_door) % GUESTS
            at = START + dt.timedelta(seconds=n * 0.4 + door)
            rid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{door}/{n}"))
            record = {"id": rid, "nonce": rid, "at": at.isoformat(), "device": device}
            if n % 500 == 499 and last is not None:  # now and then a mistake is undone
                lines.append({**record, "type": "undo", "guest": last[1], "ref": last[0]})
            elif n % 300 == 299:
                lines.append({**record, "type": "checkout", "guest": _guest(g)})
            else:
                lines.append({**record, "type": "checkin", "guest": _guest(g), "first_time": True})
                last = (rid, _guest(g))
        path = folder / f"merge-bench__door-{door + 1}.jsonl"
        path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
        paths.append(path)
    return paths


def run() -> list[Row]:
    from checkin.events import create_event
    from checkin.guestlist.importer import import_guest_list
    from checkin.guestlist.rows import GuestList, GuestRow
    from checkin.merge import merge_files
    from checkin.merge.inputs import read_inputs
    from checkin.store.db import open_database

    rows: list[Row] = []
    work = Path(__file__).with_name(".work")  # on the project disk, like the real database
    work.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        folder = Path(tmp)
        db = open_database(f"sqlite:///{folder / 'merge.sqlite3'}")
        create_event(db, EVENT, START.date())
        guests = [
            GuestRow(i + 2, "Guest", f"{i}", f"guest{i}@bench.example", ticket_code=f"M{i:07d}")
            for i in range(GUESTS)
        ]
        import_guest_list(
            db, EVENT, "bench", guests=GuestList("b", "generic", "utf-8", ",", {}, rows=guests)
        )
        paths = write_journals(folder)

        t = time.perf_counter()
        read_inputs(paths, EVENT)
        rows.append((f"parse {RECORDS:,} journal lines", time.perf_counter() - t, "s"))

        t, cpu = time.perf_counter(), time.process_time()
        report = merge_files(db, EVENT, paths, accept_unsigned=True)
        took, cpu = time.perf_counter() - t, time.process_time() - cpu
        assert report.added == RECORDS, report.added
        rows.append((f"merge {RECORDS:,} records, 4 journals (target <= 3 s)", took, "s"))
        rows.append(("  of which CPU time in this process", cpu, "s"))
        rows.append(("records merged per second", RECORDS / took, "/s"))
        rows.append(("duplicate check-ins kept in the log", float(report.duplicates), "rows"))

        t = time.perf_counter()
        again = merge_files(db, EVENT, paths, accept_unsigned=True)
        assert again.added == 0
        rows.append(("merge the same files again (nothing new)", time.perf_counter() - t, "s"))
        db.dispose()
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<55} {value:>12,.3f} {unit}")
