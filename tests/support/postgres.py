"""A real PostgreSQL server for the test session, run by pytest-postgresql's executor.

``CHECKIN_TEST_POSTGRES_URL`` points the tests at a server you already run instead.
"""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
import time
from pathlib import Path

import pytest

WRAPPER = Path(__file__).with_name("pg_ctl.sh")
REQUIRE = "CHECKIN_REQUIRE_POSTGRES"


def _pg_bin() -> Path | None:
    if env := os.environ.get("CHECKIN_PG_BIN"):
        return Path(env)
    if found := shutil.which("pg_ctl"):
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return candidates[-1].parent if candidates else None


def unavailable_reason() -> str | None:
    if os.environ.get("CHECKIN_TEST_POSTGRES_URL"):
        return None
    if _pg_bin() is None:
        return "PostgreSQL server binaries not found (install postgresql, or set CHECKIN_PG_BIN)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root but there is no 'postgres' user to run the server as"
    return None


class PostgresServer:
    """Starts one server; hands out fresh databases cloned from a migrated template."""

    # Tests trade durability for speed; `make bench` measures a durable server (fsync on).
    FAST = "-c fsync=off -c full_page_writes=off -c max_connections=200"
    DURABLE = "-c fsync=on -c synchronous_commit=on -c max_connections=100"

    def __init__(self, options: str = FAST, folder: Path | None = None) -> None:
        self.options = options
        self.base = Path(tempfile.mkdtemp(prefix="welcome-desk-pg-", dir=folder))
        self.executor = None
        self.url_base: str
        self._n = 0

    def start(self) -> None:
        if url := os.environ.get("CHECKIN_TEST_POSTGRES_URL"):
            self.url_base = url.rsplit("/", 1)[0]
            return
        from port_for import select_random
        from pytest_postgresql.executors.proc import PostgreSQLExecutor

        (self.base / "sock").mkdir()
        os.chmod(self.base, 0o755)
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            for p in (self.base, self.base / "sock"):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        port = select_random()
        self.executor = PostgreSQLExecutor(
            executable=str(WRAPPER),
            host="127.0.0.1",
            port=port,
            datadir=str(self.base / "data"),
            unixsocketdir=str(self.base / "sock"),
            logfile=str(self.base / "server.log"),
            startparams="-w",
            dbname="postgres",
            postgres_options=self.options,
        )
        self.executor.start()
        self.url_base = f"postgresql+psycopg://postgres@127.0.0.1:{port}"
        self._wait_until_ready()

    def _wait_until_ready(self, seconds: float = 60) -> None:
        """pg_ctl -w returns when the postmaster runs; on a loaded machine the first
        connections can still hear "the database system is starting up"."""
        import psycopg

        deadline = time.monotonic() + seconds
        while True:
            try:
                self.admin("SELECT 1")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def admin(self, sql: str) -> None:
        import psycopg

        url = self.url_base.replace("postgresql+psycopg", "postgresql") + "/postgres"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, template: str | None = None) -> str:
        import psycopg

        self._n += 1
        name = f"wd_{os.getpid()}_{self._n}"
        sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        for attempt in range(20):
            try:
                self.admin(sql)
                break
            except psycopg.errors.ObjectInUse:
                # The template is briefly in use while a previous test's connections close.
                if attempt == 19:
                    raise
                time.sleep(0.1)
        return f"{self.url_base}/{name}"

    def stop(self) -> None:
        if self.executor is not None:
            self.executor.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def skip_or_fail(reason: str) -> None:
    if os.environ.get(REQUIRE):
        pytest.fail(f"PostgreSQL tests are required here ({REQUIRE}=1) but: {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")
