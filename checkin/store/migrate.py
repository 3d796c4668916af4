"""Apply the Alembic migrations shipped inside the package when a database is opened."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

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


def upgrade(db: Database) -> None:
    from alembic import command

    cfg = _config()
    with db.engine.begin() as conn:
        if db.is_postgresql:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
