"""Noticing that any door changed the database: this process, another process on the same
SQLite file, or another laptop on the same PostgreSQL server.

- SQLite: ``PRAGMA data_version`` on a connection of our own changes whenever any *other*
  connection commits; reading it costs no query plan and no lock, so it is polled often.
- PostgreSQL: every assignment insert or update fires ``pg_notify('welcome_desk', …)``
  (a trigger made by migration 0006); we LISTEN on a connection of our own.
"""

from __future__ import annotations

import sqlite3
import time

from checkin.store.db import Database

POLL_S = 0.2


class SQLiteWatch:
    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._version = self._read()

    def _read(self) -> int:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def wait(self, timeout: float) -> bool:
        """True when something was committed since the last call (waits up to timeout)."""
        end = time.monotonic() + timeout
        while True:
            v = self._read()
            if v != self._version:
                self._version = v
                return True
            left = end - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(POLL_S, left))

    def close(self) -> None:
        self._conn.close()


class PostgresWatch:
    def __init__(self, db: Database) -> None:
        import psycopg

        url = db.engine.url.set(drivername="postgresql")
        self._conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
        self._conn.execute("LISTEN welcome_desk")

    def wait(self, timeout: float) -> bool:
        got = False
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            got = True
        return got

    def close(self) -> None:
        self._conn.close()


def watch_for(db: Database) -> SQLiteWatch | PostgresWatch:
    if db.is_sqlite:
        return SQLiteWatch(db.sqlite_path or "")
    return PostgresWatch(db)
