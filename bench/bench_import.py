"""Guest-list import of 50k and 200k rows: time and peak memory, beside a bare csv reader
and sqlite3 executemany writing the same rows into two tables on the same disk, and the
same into the app's own tables (all their indexes) in one transaction: the floor for the
schema, which an import that lets the doors in between its chunks cannot go below."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import WORK, child_json, people, write_guest_csv

_OURS = """
import json, sys, time
from bench.common import high_water_mb
from checkin.events import create_event
from checkin.guestlist.importer import import_guest_list
from checkin.store.db import open_database
csv_path, db_path = sys.argv[1], sys.argv[2]
db = open_database("sqlite:///" + db_path)
create_event(db, "Import")
before = high_water_mb()
t = time.perf_counter()
summary = import_guest_list(db, "Import", csv_path)
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": high_water_mb(),
                  "growth_mb": high_water_mb() - before, "rows": summary.rows}))
"""

_BARE = """
import csv, json, sqlite3, sys, time
from bench.common import high_water_mb
csv_path, db_path = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db_path, isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL"); conn.execute("PRAGMA synchronous=FULL")
conn.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, first TEXT, last TEXT, email TEXT UNIQUE, company TEXT)")
conn.execute("CREATE TABLE registration (id INTEGER PRIMARY KEY, person_id INT, code TEXT UNIQUE, tags TEXT)")
before = high_water_mb()
t = time.perf_counter()
with open(csv_path, newline="", encoding="utf-8") as fh:
    rows = list(csv.reader(fh))[1:]
conn.execute("BEGIN")
conn.executemany("INSERT INTO person (id, first, last, email, company) VALUES (?, ?, ?, ?, ?)",
                 ((i, r[0], r[1], r[2], r[3]) for i, r in enumerate(rows, 1)))
conn.executemany("INSERT INTO registration (person_id, code, tags) VALUES (?, ?, ?)",
                 ((i, r[4], r[6]) for i, r in enumerate(rows, 1)))
conn.execute("COMMIT")
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": high_water_mb(),
                  "growth_mb": high_water_mb() - before}))
"""


# The same rows into the app's own tables (their indexes, unique keys and foreign keys: 15
# B-tree entries a guest where the bare floor has 4), in one transaction, by bare sqlite3.
_SCHEMA = """
import csv, json, sqlite3, sys, time
from bench.common import high_water_mb
from checkin.events import create_event
from checkin.store.db import open_database
csv_path, db_path = sys.argv[1], sys.argv[2]
db = open_database("sqlite:///" + db_path)
create_event(db, "Import")
db.dispose()
conn = sqlite3.connect(db_path, isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL"); conn.execute("PRAGMA synchronous=FULL")
conn.execute("PRAGMA foreign_keys=ON")
before = high_water_mb()
t = time.perf_counter()
with open(csv_path, newline="", encoding="utf-8") as fh:
    rows = list(csv.reader(fh))[1:]
now = "2026-01-01 00:00:00.000000"
conn.execute("BEGIN IMMEDIATE")
conn.executemany(
    "INSERT INTO person (id, first_name, last_name, email, email_key, company, interests,"
    " languages, created_at, vcard_consent) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, 0)",
    ((i, r[0], r[1], r[2], r[2], r[3], r[6], now) for i, r in enumerate(rows, 1)))
conn.executemany(
    "INSERT INTO registration (id, event_id, person_id, code, code_issued, source, status,"
    " created_at, updated_at) VALUES (?, 1, ?, ?, 0, 'import', 'registered', ?, ?)",
    ((i, i, r[4], now, now) for i, r in enumerate(rows, 1)))
conn.executemany("INSERT INTO person_tag (person_id, tag) VALUES (?, ?)",
                 ((i, t.strip().lower()) for i, r in enumerate(rows, 1) for t in r[6].split(",")))
conn.execute("COMMIT")
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": high_water_mb(),
                  "growth_mb": high_water_mb() - before}))
"""


def run(quick: bool = False) -> list:
    sizes = (50_000,) if quick else (50_000, 200_000)
    WORK.mkdir(exist_ok=True)
    rows: list = []
    for n in sizes:
        with tempfile.TemporaryDirectory(dir=WORK) as tmp:
            folder = Path(tmp)
            write_guest_csv(folder / "g.csv", people(n, seed=8), hosts=500)
            ours = child_json(_OURS, str(folder / "g.csv"), str(folder / "ours.sqlite3"))
            bare = child_json(_BARE, str(folder / "g.csv"), str(folder / "bare.sqlite3"))
            same = child_json(_SCHEMA, str(folder / "g.csv"), str(folder / "schema.sqlite3"))
        label = f"import {n // 1000}k rows"
        target = " (target ≤6 s)" if n == 200_000 else ""
        rows.append((f"{label}: time", ours["seconds"], "s",
                     f"{ours['seconds'] / bare['seconds']:.1f}× bare csv+executemany {bare['seconds']:.2f} s; "
                     f"{ours['seconds'] / same['seconds']:.1f}× the same into our tables in one "
                     f"transaction {same['seconds']:.2f} s{target}"))  # fmt: skip
        target = " (target ≤300 MB)" if n == 200_000 else ""
        rows.append((f"{label}: peak RSS", ours["peak_mb"], "MB",
                     f"bare {bare['peak_mb']:.0f} MB{target}"))  # fmt: skip
    return rows
