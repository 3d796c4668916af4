"""After a deletion: the bytes on disk, and the files the app wrote that still name someone.

SQLite: ``secure_delete`` (see store/db.py) zeroes freed content, then VACUUM rebuilds the
file and ``wal_checkpoint(TRUNCATE)`` empties the write-ahead log. While another connection
reads (a second door, a backup tool), the checkpoint cannot finish and both the WAL and the
old pages keep copies: that is reported, never hidden, and ``checkin forget --finish``
completes it once they are closed.

PostgreSQL: ``VACUUM FULL`` of every touched table rewrites the table and its indexes
(TOAST included) into new files, so the deleted values are no longer in the table or index
files. It takes an exclusive lock for the moment it runs (a door's scan waits); if a lock
is not granted within ``PG_LOCK_TIMEOUT`` it is reported as not complete. The server's own
write-ahead log (``pg_wal``) and any backups or replicas keep copies until they are
recycled: outside what the app controls, and said so.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from checkin.files import written_files
from checkin.store.db import Database

CHECKPOINT_PATIENCE_S = 3.0  # a door's read is a few milliseconds: wait that long, no more
PG_LOCK_TIMEOUT = "10s"
PG_WAL_NOTE = (
    "the PostgreSQL server's write-ahead log (pg_wal) and any backups keep copies until the "
    "server recycles them"
)


@dataclass(frozen=True)
class ScrubResult:
    complete: bool
    remaining: tuple[str, ...] = ()  # where copies of deleted rows still are, and why
    notes: tuple[str, ...] = ()


def scrub_files(db: Database, *, tables: tuple[str, ...]) -> ScrubResult:
    """Make deleted rows unrecoverable from the database files (run after the commit)."""
    if db.is_sqlite:
        return _scrub_sqlite(db)
    if db.is_postgresql:
        return _scrub_postgresql(db, tables)
    return ScrubResult(True)


def _scrub_sqlite(db: Database) -> ScrubResult:
    path = db.sqlite_path
    if not path or path == ":memory:":
        return ScrubResult(True)
    # Our pooled connections begin every use with BEGIN; VACUUM must run outside a
    # transaction, so it gets its own plain connection in autocommit mode.
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    try:
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("VACUUM")
        # A TRUNCATE checkpoint waits (busy handler) for readers to finish: not for long.
        conn.execute(f"PRAGMA busy_timeout={int(CHECKPOINT_PATIENCE_S * 1000)}")
        deadline = time.monotonic() + CHECKPOINT_PATIENCE_S
        while True:
            busy, log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy == 0 and log in (0, -1):  # -1: not in WAL mode, nothing to empty
                return ScrubResult(True)
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
    finally:
        conn.close()
    return ScrubResult(
        False,
        (
            f"{path}-wal and {path}: another program has the database open and is reading it "
            "(a second door, a backup or a viewer), so the old copies could not be cleared. "
            "Close it, then run `checkin forget --finish`.",
        ),
    )


def _scrub_postgresql(db: Database, tables: tuple[str, ...]) -> ScrubResult:
    left = []
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"SET lock_timeout = '{PG_LOCK_TIMEOUT}'"))
        for table in tables:
            try:
                conn.execute(text(f'VACUUM (FULL, ANALYZE) "{table}"'))
            except DBAPIError:
                left.append(table)
        conn.execute(text("RESET lock_timeout"))
    if left:
        return ScrubResult(
            False,
            (
                f"the files of table(s) {', '.join(left)}: another door held them; run "
                "`checkin forget --finish` when the doors are quiet.",
            ),
            (PG_WAL_NOTE,),
        )
    return ScrubResult(True, (), (PG_WAL_NOTE,))


# ---- files the app wrote -------------------------------------------------------------------

SEARCHABLE = {"CSV", "JSON"}


def files_naming(marks: list[str], since: dt.datetime | None) -> tuple[str, ...]:
    """Files in the ledger, still on disk, that name the person (or may: a PDF's text is
    compressed, so a PDF written since they registered is listed as possibly naming them)."""
    wanted = [m.casefold() for m in marks if m]
    found = []
    for w in written_files():
        if w.kind in SEARCHABLE or w.kind == "XLSX":
            try:
                data = _xlsx_text(w.path) if w.kind == "XLSX" else Path(w.path).read_bytes()
            except (OSError, zipfile.BadZipFile):
                continue
            found_text = data.decode("utf-8", "replace").casefold()
            if any(m in found_text for m in wanted):
                found.append(f"{w.path} ({w.kind}, written {w.at:%Y-%m-%d %H:%M} UTC)")
        elif since is None or w.at >= since:
            found.append(f"{w.path} ({w.kind}, written {w.at:%Y-%m-%d %H:%M} UTC; may name them)")
    return tuple(found)


def _xlsx_text(path: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
