"""Test set-up: every database test runs on a real SQLite file and on a real PostgreSQL server.

Each backend's schema is migrated once into a template (a file for SQLite, a template
database for PostgreSQL) and copied per test, so a test starts from a fresh database fast.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
# The ledger of files the app wrote (checkin.files): the tests' own, never the user's.
os.environ.setdefault(
    "CHECKIN_FILES_LEDGER",
    os.path.join(tempfile.gettempdir(), f"welcome-desk-tests-{os.getpid()}", "written.jsonl"),
)

import pytest

from checkin.store.db import Database, open_database
from tests.support.postgres import PostgresServer, skip_or_fail, unavailable_reason

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
# In CI (``.ci/run`` sets it) a skipped test is a failed one: a missing CUPS, pdftoppm, libraqm
# or browser must not pass silently. Only a test that cannot apply to any machine like this
# one may skip, and it says so with this prefix.
NO_SKIPS = "CHECKIN_NO_SKIPS"
NOT_APPLICABLE = "not applicable here:"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and os.environ.get(NO_SKIPS)) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if reason.removeprefix("Skipped: ").startswith(NOT_APPLICABLE):
        return
    report.outcome = "failed"
    report.longrepr = f"skipped, but {NO_SKIPS}=1 requires it to run: {reason}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    reason = unavailable_reason()
    if reason:
        skip_or_fail(reason)
    server = PostgresServer()
    try:
        server.start()
    except Exception as exc:  # the reason matters more than the traceback here
        server.stop()
        skip_or_fail(f"the test server did not start: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer) -> str:
    url = pg_server.new_database()
    open_database(url).dispose()
    name = url.rsplit("/", 1)[1]
    pg_server.admin(f'ALTER DATABASE "{name}" WITH is_template = true')
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    # Closing the last connection checkpoints the WAL into the file, so one file is the copy.
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "checkin.sqlite3"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.new_database(request.getfixturevalue("pg_template"))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """For tests about SQLite itself (the file on disk, WAL, durability)."""
    path = tmp_path / "checkin.sqlite3"
    shutil.copyfile(sqlite_template, path)
    database = open_database(f"sqlite:///{path}")
    yield database
    database.dispose()
