"""No traceback ever reaches a user: a closed pipe, a database that refuses, a noisy log record
each end in one clear line on stderr, without guest data, and a non-zero exit status."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from checkin.cli.failures import OneLineFormatter
from checkin.cli.main import main
from tests.support.factories import event_with_guests, guest

ROOT = Path(__file__).resolve().parents[1]
SECRET = "Wilhelmina-Secretname"


def _checkin(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "checkin", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_output_into_a_closed_pipe_ends_in_one_line_not_a_traceback(sqlite_db):
    event_with_guests(
        sqlite_db, "Pipe Night", [guest(i + 2, f"H{i}", "Host", is_host=True) for i in range(40)]
    )
    proc = _checkin("--database", sqlite_db.url, "hosts", "-e", "Pipe Night", "--json")
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `| head` that has read enough, before we write a byte
    err = proc.stderr.read()
    assert proc.wait() != 0
    assert "Traceback" not in err and "BrokenPipeError" not in err
    (line,) = err.strip().splitlines()
    assert line == "checkin: the output was closed before the end (broken pipe)."


@pytest.mark.postgres
def test_a_database_refusal_is_one_line_without_the_guests_data(pg_server, pg_template, capsys):
    from checkin.store.db import open_database

    url = pg_server.new_database(pg_template)
    db = open_database(url)
    try:
        event_with_guests(db, "Long Night", [guest(2, "A", "B", ticket_code="1")])
        # Longer than the column: PostgreSQL refuses where SQLite would store it.
        name = "X" * 300 + SECRET
        rc = main(["--database", url, "walkin", "-e", "Long Night", "--name", name,
                   "--company", SECRET])  # fmt: skip
    finally:
        db.dispose()
    out, err = capsys.readouterr()
    assert rc != 0
    assert SECRET not in err and SECRET not in out and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_log_records_are_one_line_without_their_traceback():
    try:
        raise RuntimeError(f"pipeline aborted\n[parameters: ('{SECRET}',)]")
    except RuntimeError:
        record = logging.getLogger("sqlalchemy.pool").makeRecord(
            "sqlalchemy.pool", logging.ERROR, __file__, 1, "Exception during reset\n%s",
            (f"[SQL: INSERT ... '{SECRET}']",), sys.exc_info(),
        )  # fmt: skip
    line = OneLineFormatter().format(record)
    assert line == "ERROR sqlalchemy.pool: Exception during reset (RuntimeError)"
