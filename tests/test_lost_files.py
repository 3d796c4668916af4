"""Files pulled from under a running door: the SQLite file deleted, moved or replaced, and the
journal's USB stick removed and put back. Nothing is acknowledged that is not on disk, and
the door says so."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from checkin.cli.main import main
from checkin.door.engine import check_in
from checkin.door.outcomes import OutcomeKind
from checkin.errors import DatabaseGone
from checkin.journal.reader import read_journal
from checkin.journal.writer import MISSING, Journal
from checkin.store.db import open_database
from tests.support.factories import event_with_guests, guest

EVENT = "Lost Files Evening"
CODES = [f"L{i:03d}" for i in range(40)]


def _guests():
    return [guest(i + 2, f"G{i}", "Lost", ticket_code=c) for i, c in enumerate(CODES)]


def _stored(path: Path) -> set[str]:
    """The codes checked in, read from the file itself (a plain connection, not the app)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT code FROM registration WHERE checked_in_at IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()
    return {r[0] for r in rows}


def _door(path: Path):
    db = open_database(f"sqlite:///{path}")
    event_with_guests(db, EVENT, _guests())
    return db


@pytest.mark.parametrize("how", ["deleted", "moved", "replaced"])
def test_a_database_file_gone_from_its_path_refuses_later_scans(how, sqlite_template, tmp_path):
    """Rounds of: scan a few, the file goes, keep scanning. Lost = acknowledged but not on disk."""
    rng = random.Random(f"db-{how}")
    rounds, acknowledged, lost, refused = 8, 0, 0, 0
    for n in range(rounds):
        folder = tmp_path / f"round-{n}"
        folder.mkdir()
        path = folder / "door.sqlite3"
        shutil.copyfile(sqlite_template, path)
        db = _door(path)
        before = rng.randint(1, 10)
        done = set()
        for code in CODES[:before]:
            assert check_in(db, EVENT, code, device="Door 1").kind is OutcomeKind.CHECKED_IN
            done.add(code)
        moved = tmp_path / f"moved-{n}"
        if how == "deleted":
            path.unlink()
        elif how == "moved":  # its folder renamed (the file and its -wal go together)
            folder.rename(moved)
        else:  # last night's copy put back over it
            shutil.copyfile(sqlite_template, tmp_path / "copy.sqlite3")
            os.replace(tmp_path / "copy.sqlite3", path)
        after = []
        for code in CODES[before : before + 5]:
            try:
                outcome = check_in(db, EVENT, code, device="Door 1")
            except DatabaseGone as exc:
                assert "gone or was replaced" in str(exc) and "nothing was saved" in str(exc)
                refused += 1
            else:
                after.append(outcome.code)
        db.dispose()
        acknowledged += len(done) + len(after)
        lost += len(after)  # whatever it acknowledged now went to a file nobody will open
        if how == "moved":  # the scans before the move are in the file where it went
            lost += len(done - _stored(moved / "door.sqlite3"))
    print(f"\n{how}: rounds {rounds}, acknowledged {acknowledged}, lost {lost}, refused {refused}")
    assert lost == 0 and refused == rounds * 5


def test_a_database_file_moved_away_and_back_goes_on(sqlite_db, tmp_path):
    event_with_guests(sqlite_db, EVENT, _guests())
    path = Path(sqlite_db.sqlite_path)
    check_in(sqlite_db, EVENT, CODES[0], device="Door 1")
    path.rename(tmp_path / "aside.sqlite3")
    with pytest.raises(DatabaseGone):
        check_in(sqlite_db, EVENT, CODES[1], device="Door 1")
    (tmp_path / "aside.sqlite3").rename(path)  # the same file, back where it was
    assert check_in(sqlite_db, EVENT, CODES[1], device="Door 1").kind is OutcomeKind.CHECKED_IN
    sqlite_db.dispose()
    assert _stored(path) == {CODES[0], CODES[1]}


# ---- the journal's stick -------------------------------------------------------------------


def _journal_lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_a_pulled_stick_warns_until_it_is_back_then_resumes_in_a_new_file(sqlite_db, tmp_path):
    event_with_guests(sqlite_db, EVENT, _guests())
    stick = tmp_path / "stick"
    stick.mkdir()
    journal = Journal.for_event(sqlite_db, EVENT, stick, "Door 1")
    assert check_in(sqlite_db, EVENT, CODES[0], device="Door 1", journal=journal).warnings == ()
    first = journal.path
    assert journal.status_text is None and not journal.missing
    saved = tmp_path / "what-the-stick-held"
    shutil.copytree(stick, saved)
    shutil.rmtree(stick)  # pulled
    assert journal.check() == MISSING  # the door can show it before anyone scans

    out = check_in(sqlite_db, EVENT, CODES[1], device="Door 1", journal=journal)
    assert out.kind is OutcomeKind.CHECKED_IN  # kept on this laptop
    assert any(w.startswith(MISSING) for w in out.warnings)
    assert journal.missing and journal.status_text == MISSING
    assert not stick.exists()  # never re-created on the laptop's own disk
    out = check_in(sqlite_db, EVENT, CODES[2], device="Door 1", journal=journal)
    assert any(w.startswith(MISSING) for w in out.warnings)
    assert journal.check() == MISSING

    shutil.copytree(saved, stick)  # the stick is back, with last hour's file on it
    assert journal.check() is None and not journal.missing
    assert journal.path != first and journal.path.parent == stick
    header, *lines = _journal_lines(journal.path)
    gap = header["resumed_after_gap"]
    assert gap["from"] <= gap["to"] and header["previous_file"] == first.name
    assert [x["guest"]["code"] for x in lines] == [CODES[1], CODES[2]]
    # The old file was not appended to: it holds what it held when the stick was pulled.
    assert (stick / first.name).read_bytes() == (saved / first.name).read_bytes()
    check_in(sqlite_db, EVENT, CODES[3], device="Door 1", journal=journal)
    assert [r["guest"]["code"] for _, r in read_journal(journal.path).lines][-1] == CODES[3]


def test_a_journal_file_deleted_on_the_stick_is_noticed_before_the_next_line(sqlite_db, tmp_path):
    event_with_guests(sqlite_db, EVENT, _guests())
    journal = Journal.for_event(sqlite_db, EVENT, tmp_path, "Door 1")
    check_in(sqlite_db, EVENT, CODES[0], device="Door 1", journal=journal)
    gone = journal.path
    gone.unlink()  # the folder is there, the file is not: never write into the deleted one
    out = check_in(sqlite_db, EVENT, CODES[1], device="Door 1", journal=journal)
    # The folder is there: it goes on at once in a new file, and says once what happened.
    assert out.warnings == (f"The journal file {gone.name} vanished from {tmp_path}; "
                            f"continuing in {journal.path.name}.",)  # fmt: skip
    assert not journal.missing and journal.status_text is None
    header, line = _journal_lines(journal.path)
    assert "resumed_after_gap" in header and line["guest"]["code"] == CODES[1]


def test_the_command_line_never_creates_a_missing_journal_folder(db_url, db, capsys, tmp_path):
    event_with_guests(db, EVENT, _guests())
    stick = tmp_path / "usb"
    rc = main(["--database", db_url, "--journal-folder", str(stick), "scan", CODES[0],
               "-e", EVENT, "--json"])  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert rc == 0 and doc["outcome"] == "checked_in"
    assert any(MISSING in w for w in doc["warnings"])
    assert not stick.exists()


def test_a_stick_missing_before_the_first_scan_shows_at_once(sqlite_db, tmp_path):
    event_with_guests(sqlite_db, EVENT, _guests())
    journal = Journal.for_event(sqlite_db, EVENT, tmp_path / "not-plugged-in", "Door 1")
    assert journal.check() == MISSING and journal.missing
    (tmp_path / "not-plugged-in").mkdir()
    assert journal.check() is None and not journal.missing
