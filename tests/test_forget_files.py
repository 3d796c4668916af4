"""After `forget`: the person's name and email are in no file the database keeps, or the app says
exactly where they still are; and the exports and lists it wrote that name them are listed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from checkin.cli.main import main
from checkin.door.engine import check_in
from checkin.privacy import finish_forgetting, forget
from checkin.reports import write_report
from checkin.reports.export import export_attendance
from checkin.store.db import Database
from checkin.timeutil import utcnow
from tests.support.factories import event_with_guests, guest

NAME = ("Zephyrine", "Quillfeather")
EMAIL = "zephyrine.quillfeather@example.org"
EVENT = "Forget Evening"


def _setup(db: Database) -> None:
    # Last in the list: the row written last sits where a page's free space begins, so a
    # compaction that only moves the live rows would leave its bytes behind.
    people = [guest(i + 2, f"Other{i}", "Guest", ticket_code=f"OG-{i:04d}") for i in range(30)]
    people.append(guest(40, *NAME, ticket_code="ZQ-0001"))
    event_with_guests(db, EVENT, people, day=utcnow().date())
    for code in [*(f"OG-{i:04d}" for i in range(30)), "ZQ-0001"]:
        check_in(db, EVENT, code, device="Door 1")


def _bytes_on_disk(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _names_them(data: bytes) -> bool:
    return any(m in data for m in (NAME[0].encode(), NAME[1].encode(), EMAIL.encode()))


def test_forget_with_a_reader_open_says_where_copies_remain_then_finishes(sqlite_db, capsys):
    _setup(sqlite_db)
    path = Path(sqlite_db.sqlite_path)
    reader = sqlite3.connect(path, isolation_level=None)  # a second door, mid-read
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM person").fetchone()
    try:
        result = forget(sqlite_db, email=EMAIL)
        assert not result.complete
        (where,) = result.scrub.remaining
        assert f"{path}-wal" in where and "checkin forget --finish" in where
        assert _names_them(_bytes_on_disk(path))  # what it says is true: the copies are there
        assert main(["--database", sqlite_db.url, "forget", "--finish"]) == 4
        assert "Not yet complete" in capsys.readouterr().err
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    assert finish_forgetting(sqlite_db).complete
    data = _bytes_on_disk(path)
    assert not _names_them(data)
    assert b"Other7" in data  # everyone else is still there


def test_forget_command_says_not_complete_while_another_program_reads(sqlite_db, capsys):
    _setup(sqlite_db)
    reader = sqlite3.connect(sqlite_db.sqlite_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM registration").fetchone()
    try:
        rc = main(["--database", sqlite_db.url, "forget", "--email", EMAIL])
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    out = capsys.readouterr().out
    assert rc == 4 and "NOT yet complete" in out and "Forgotten" not in out
    assert main(["--database", sqlite_db.url, "forget", "--finish", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["complete"] is True
    assert not _names_them(_bytes_on_disk(Path(sqlite_db.sqlite_path)))


def test_forget_lists_the_exports_and_lists_that_still_name_them(db, tmp_path, monkeypatch):
    monkeypatch.setenv("CHECKIN_FILES_LEDGER", str(tmp_path / "ledger" / "written.jsonl"))
    _setup(db)
    event_with_guests(db, "Elsewhere", [guest(2, "Another", "Person", ticket_code="EL-0001")])
    out = tmp_path / "out"
    export_attendance(db, EVENT, out / "attendance.csv", "csv")
    export_attendance(db, EVENT, out / "attendance.json", "json")
    export_attendance(db, EVENT, out / "attendance.xlsx", "xlsx")
    export_attendance(db, EVENT, out / "deleted-since.csv", "csv")
    export_attendance(db, "Elsewhere", out / "elsewhere.csv", "csv")
    write_report(db, EVENT, _a_report_kind(), out / "list.pdf")
    (out / "deleted-since.csv").unlink()
    result = forget(db, email=EMAIL)
    listed = [f.split(" (")[0] for f in result.files]
    assert listed == [str(out / n) for n in ("attendance.csv", "attendance.json",
                                              "attendance.xlsx", "list.pdf")]  # fmt: skip
    assert "may name them" in result.files[-1]  # a PDF's text cannot be searched
    assert result.as_json()["files"] == list(result.files)


def _a_report_kind() -> str:
    from checkin.reports import KINDS

    return KINDS[0]


@pytest.mark.postgres
def test_forget_on_postgresql_rewrites_the_table_and_index_files(pg_server, pg_template):
    from checkin.store.db import open_database

    db = open_database(pg_server.new_database(pg_template))
    try:
        _setup(db)

        def files() -> bytes:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("CHECKPOINT"))
                root = Path(c.scalar(text("SELECT current_setting('data_directory')")))
                paths = c.scalars(
                    text(
                        "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
                        "WHERE c.relname IN ('person', 'registration', 'checkin') OR c.oid IN "
                        "(SELECT indexrelid FROM pg_index i JOIN pg_class t ON t.oid = "
                        "i.indrelid WHERE t.relname IN ('person', 'registration', 'checkin')) "
                        "OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relname = "
                        "'person')"
                    )
                ).all()
            return b"".join((root / p).read_bytes() for p in paths if p and (root / p).exists())

        assert _names_them(files())
        result = forget(db, email=EMAIL)
        assert result.complete and any("pg_wal" in n for n in result.scrub.notes)
        assert not _names_them(files())
    finally:
        db.dispose()
