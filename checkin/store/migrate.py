"""Apply the Alembic migrations shipped inside the package when a database is opened."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:  # db.py opens a database through this module
    from checkin.store.db import Database

MIGRATIONS = Path(__file__).with_name("migrations")
# Several doors may open one PostgreSQL database at the same moment; only one migrates.
_PG_LOCK_KEY = 0x57454C43  # "WELC"


def _config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*(.+)$", re.M)


def shipped_heads() -> set[str]:
    """The newest revision(s) shipped, read from the migration files' text: importing
    Alembic and every migration costs more than a one-shot command's whole work."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            names = set(re.findall(r"[\"']([^\"']+)[\"']", value))
            (parents if down else revisions).update(names)
    return revisions - parents


def _up_to_date(db: Database) -> bool:
    heads = shipped_heads()
    if not heads:
        return False
    try:
        with db.read_engine.connect() as conn:  # a plain read: no write lock on SQLite
            found = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except DBAPIError:  # a new database: no version table yet
        return False
    return found == heads


@contextmanager
def migrating(db: Database) -> Iterator[Connection]:
    """A connection in one transaction for Alembic.

    On SQLite, foreign keys are off meanwhile: Alembic's batch mode rebuilds a table by
    copying it and dropping the original, and with foreign keys on, dropping ``host`` or
    ``registration`` would cascade-delete every check-in and assignment that refers to them.
    The keys are checked once the migration is done, and back on for everything after."""
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection if db.is_sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")  # before BEGIN: inside one it is a no-op
        try:
            with conn.begin():
                if db.is_postgresql:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
                yield conn
                if raw is not None and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("a migration left rows that refer to nothing")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade(db: Database) -> None:
    if _up_to_date(db):
        return
    from alembic import command

    cfg = _config()
    with migrating(db) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
