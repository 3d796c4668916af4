"""The attendance journal: one fsynced JSON line per door action, written after the commit,
never stopping the door — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from checkin.door.engine import check_in
from checkin.door.leave import check_out, undo
from checkin.door.outcomes import OutcomeKind
from checkin.door.walkins import walk_in
from checkin.errors import InvalidInput
from checkin.hosting.actions import mark_met, reassign, release
from checkin.journal.reader import read_journal
from checkin.journal.writer import FORMAT, Journal
from checkin.store.models import CheckIn
from tests.support.factories import event_with_guests, guest

EVENT = "Journal Evening"
T0 = dt.datetime(2026, 12, 3, 18, 0, tzinfo=dt.UTC)


def _setup(db) -> None:
    event_with_guests(
        db,
        EVENT,
        [
            guest(2, "Anna", "Müller", ticket_code="1001", first_time=True, interests=("AI",)),
            guest(3, "José", "García", ticket_code="1002", first_time=True),
            guest(4, "Hana", "Host", ticket_code="2001", is_host=True, interests=("AI",)),
            guest(5, "Henk", "Host", ticket_code="2002", is_host=True, host_capacity=1),
        ],
        day=dt.date(2026, 12, 3),
    )


def _lines(journal: Journal) -> list[dict]:
    return [json.loads(line) for line in journal.path.read_text(encoding="utf-8").splitlines()]


def test_check_in_writes_one_line_after_the_header(db, tmp_path):
    _setup(db)
    (tmp_path / "stick").mkdir()
    journal = Journal.for_event(db, EVENT, tmp_path / "stick", "Door 1")
    outcome = check_in(db, EVENT, "1001", device="Door 1", nonce="n-1", journal=journal)
    assert outcome.kind is OutcomeKind.CHECKED_IN and not outcome.warnings
    assert journal.path.name == "journal-evening__door-1.jsonl"
    header, line = _lines(journal)
    assert header["format"] == FORMAT and header["version"] == 1
    assert header["event"] == EVENT and header["event_date"] == "2026-12-03"
    assert header["device"] == "Door 1" and header["app_version"]
    assert line["type"] == "checkin" and line["id"] == outcome.checkin_id
    assert line["nonce"] == "n-1" and line["device"] == "Door 1"
    assert line["guest"]["code"] == "1001" and line["guest"]["email"] == "anna.müller@example.org"
    assert dt.datetime.fromisoformat(line["at"]).tzinfo is not None
    assert line["first_time"] is True


def test_repeats_and_refusals_write_nothing(db, tmp_path):
    _setup(db)
    journal = Journal.for_event(db, EVENT, tmp_path, "Door 1")
    check_in(db, EVENT, "1001", device="Door 1", nonce="n-1", journal=journal)
    replay = check_in(db, EVENT, "1001", device="Door 1", nonce="n-1", journal=journal)
    again = check_in(db, EVENT, "1001", device="Door 2", journal=journal)
    unknown = check_in(db, EVENT, "9999", device="Door 1", journal=journal)
    assert replay.replayed and again.kind is OutcomeKind.ALREADY_CHECKED_IN
    assert unknown.kind is OutcomeKind.UNKNOWN_CODE
    assert [line["type"] for line in _lines(journal)] == ["header", "checkin"]


def test_every_door_and_host_action_is_journaled(db, tmp_path):
    _setup(db)
    journal = Journal.for_event(db, EVENT, tmp_path, "Door 1")
    for code in ("2001", "2002"):
        check_in(db, EVENT, code, device="Door 1", journal=journal)
    anna = check_in(db, EVENT, "1001", device="Door 1", journal=journal)
    assert anna.host is not None
    zoe = walk_in(
        db, EVENT, name="Zoë Ångström", email="Zoe@Example.com", company="Ångström & Søn",
        interests="AI, design", device="Door 1", journal=journal,
    )  # fmt: skip
    mark_met(db, EVENT, "1001", journal=journal)
    release(db, EVENT, zoe.code, journal=journal)
    reassign(db, EVENT, zoe.code, "2001", journal=journal)
    check_in(db, EVENT, "1002", device="Door 1", journal=journal)
    undo(db, EVENT, "1002", device="Door 1", journal=journal)
    check_out(db, EVENT, "1001", device="Door 1", journal=journal)
    lines = _lines(journal)[1:]
    kinds = [line["type"] for line in lines]
    assert kinds == [
        "checkin", "checkin", "checkin", "walkin", "met", "release", "reassign",
        "checkin", "undo", "checkout",
    ]  # fmt: skip
    by_kind = {line["type"]: line for line in lines}
    walkin = by_kind["walkin"]["guest"]
    assert walkin["email"] == "zoe@example.com" and walkin["company"] == "Ångström & Søn"
    assert walkin["interests"] == "AI, design" and walkin["registered_at"]
    assert by_kind["undo"]["ref"] == lines[7]["id"]
    met = by_kind["met"]["assignments"]
    assert (met[0]["newcomer"]["code"], met[0]["status"]) == ("1001", "met")
    assert by_kind["reassign"]["assignments"][-1]["host"]["code"] == "2001"
    # Every line carries what a merge needs to find the guest in another database.
    for line in lines:
        assert line["at"] and line["device"] == "Door 1" and line["guest"]["code"]


def test_unwritable_folder_warns_and_the_check_in_still_counts(db, tmp_path):
    _setup(db)
    stick = tmp_path / "stick"
    stick.write_text("not a folder")  # the stick is gone: its mount point is something else
    journal = Journal.for_event(db, EVENT, stick, "Door 1")
    outcome = check_in(db, EVENT, "1001", device="Door 1", journal=journal)
    assert outcome.kind is OutcomeKind.CHECKED_IN
    assert any("journal" in w.lower() for w in outcome.warnings)
    assert journal.problem is not None
    result = undo(db, EVENT, "1001", device="Door 1", journal=journal)
    assert result.done and "journal" in result.message.lower()
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 2
    # The stick comes back: the waiting lines are written first, nothing acknowledged is lost.
    stick.unlink()
    stick.mkdir()
    check_in(db, EVENT, "1002", device="Door 1", journal=journal)
    assert journal.problem is None
    assert [line["type"] for line in _lines(journal)] == ["header", "checkin", "undo", "checkin"]


def test_torn_last_line_is_reported_and_a_restart_marks_where_it_resumed(db, tmp_path):
    _setup(db)
    journal = Journal.for_event(db, EVENT, tmp_path, "Door 1")
    check_in(db, EVENT, "1001", device="Door 1", journal=journal)
    journal.close()
    with open(journal.path, "ab") as fh:
        fh.write(b'{"type":"checkin","id":"abc","no')  # the power went out mid-line
    torn = read_journal(journal.path)
    assert torn.notes == [f"file {journal.path}: line 3 is incomplete and was skipped"]
    assert len(torn.lines) == 1
    # The laptop restarts and the door goes on writing to the same file.
    again = Journal.for_event(db, EVENT, tmp_path, "Door 1")
    check_in(db, EVENT, "1002", device="Door 1", journal=again)
    parsed = read_journal(again.path)
    assert [r["guest"]["code"] for _, r in parsed.lines] == ["1001", "1002"]
    assert parsed.notes == [f"file {again.path}: line 3 is incomplete and was skipped"]


def test_a_corrupt_line_in_the_middle_is_refused_with_file_and_line(tmp_path):
    path = tmp_path / "x__door.jsonl"
    header = {"type": "header", "format": FORMAT, "version": 1, "event": "E"}
    record = {"type": "checkin", "id": "a", "nonce": "b", "at": T0.isoformat()}
    path.write_text(
        "\n".join([json.dumps(header), "garbage{", json.dumps(record)]) + "\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInput, match=r"x__door.jsonl: line 2"):
        read_journal(path)


def test_two_machines_with_one_door_name_never_share_a_file(tmp_path):
    a = Journal(tmp_path, event=EVENT, event_date=None, device="Door 1", machine="laptop-a")
    b = Journal(tmp_path, event=EVENT, event_date=None, device="Door 1", machine="laptop-b")
    assert a.append([{"type": "checkin", "id": "1"}]) is None
    assert b.append([{"type": "checkin", "id": "2"}]) is None
    assert a.path != b.path and b.path.name == "journal-evening__door-1-2.jsonl"
    assert read_journal(b.path).header["machine"] == "laptop-b"
