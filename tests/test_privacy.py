"""Forgetting a person and purging old events: the rows go, and on SQLite the bytes too."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from checkin.cli.main import main
from checkin.door.engine import check_in
from checkin.errors import InvalidInput, NotFound
from checkin.events import create_event
from checkin.hosting.actions import add_host
from checkin.journal.writer import Journal
from checkin.privacy import forget, purge, tally_of
from checkin.store.db import Database
from checkin.store.models import (
    Assignment,
    CheckIn,
    Event,
    Host,
    Meta,
    Person,
    PersonTag,
    PrintLog,
    QueueEntry,
    Registration,
)
from checkin.timeutil import utcnow
from tests.support.factories import event_with_guests, guest

NAME = ("Xylophonia", "Quuxington")
EMAIL = "xylophonia.quuxington@example.org"
NOW = utcnow()


def _setup(db: Database, journal_folder: Path | None = None) -> None:
    """Xylophonia came last month, hosts tonight, and has a newcomer with her."""
    old = event_with_guests(
        db,
        "Last Month",
        [guest(2, *NAME, ticket_code="X-OLD", interests=("Quantum knitting",))],
        day=(NOW - dt.timedelta(days=40)).date(),
    )
    check_in(db, old, "X-OLD", device="Door 1", now=NOW - dt.timedelta(days=40))
    tonight = event_with_guests(
        db,
        "Tonight",
        [
            guest(2, *NAME, ticket_code="X-NEW", interests=("Quantum knitting",)),
            guest(3, "Nora", "Newcomer", ticket_code="N-1", first_time=True),
            guest(4, "Olli", "Other", ticket_code="O-1", first_time=False),
            guest(5, "Nils", "Next", ticket_code="N-2", first_time=True),
        ],
        day=NOW.date(),
    )
    add_host(db, tonight, email=EMAIL, capacity=1)
    add_host(db, tonight, code="O-1", capacity=1)
    journal = Journal.for_event(db, tonight, journal_folder, "Door 1") if journal_folder else None
    for code in ("X-NEW", "O-1", "N-1", "N-2"):  # she and Olli host one newcomer each
        check_in(db, tonight, code, device="Door 1", journal=journal)
    with db.write() as s:
        reg = s.scalar(select(Registration.id).where(Registration.code == "X-NEW"))
        s.add(PrintLog(registration_id=reg, kind="auto", printer="Zebra", detail=" ".join(NAME)))


def _count(db: Database, model, *where) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_forget_removes_a_person_from_every_event(db, tmp_path):
    (tmp_path / "stick").mkdir()
    _setup(db, tmp_path / "stick")
    assert _count(db, Assignment) == 2
    with db.read() as s:
        her = s.scalar(select(Registration.id).where(Registration.code == "X-NEW"))
        told = s.scalars(select(Assignment.introductions)).all()
    assert any(her in t for t in told)  # a newcomer was told to meet her
    result = forget(db, email=EMAIL.upper(), journal_folder=tmp_path / "stick")
    assert result.people == 1 and result.registrations == 2
    assert result.events == ("Last Month", "Tonight")
    assert result.journal_files == (str(tmp_path / "stick" / "tonight__door-1.jsonl"),)
    assert _count(db, Person, Person.email_key == EMAIL) == 0
    assert _count(db, Registration, Registration.code.in_(["X-OLD", "X-NEW"])) == 0
    assert _count(db, Host) == 1 and _count(db, Assignment) == 1  # hers went, Olli's stays
    assert _count(db, PrintLog) == 0
    assert _count(db, PersonTag, PersonTag.tag == "quantum knitting") == 0
    assert _count(db, CheckIn) == 3  # the others' check-ins stay
    assert _count(db, Registration) == 3 and _count(db, Event) == 2
    with db.read() as s:
        told = s.scalars(select(Assignment.introductions)).all()
    assert not any(her in t for t in told)
    assert _count(db, QueueEntry, QueueEntry.newcomer_id == her) == 0


def test_forget_leaves_no_trace_in_the_sqlite_file(sqlite_db):
    _setup(sqlite_db)
    path = Path(sqlite_db.sqlite_path)
    needle = NAME[1].encode()

    def on_disk() -> bytes:
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    assert needle in on_disk()  # the test can see it before
    forget(sqlite_db, code="X-NEW")
    data = on_disk()
    assert needle not in data and EMAIL.encode() not in data
    assert b"Quantum knitting" not in data and b"quantum knitting" not in data
    assert b"Nora" in data  # everyone else is still there


def test_forget_needs_someone_who_exists_and_is_unambiguous(db):
    _setup(db)
    with pytest.raises(NotFound):
        forget(db, email="nobody@example.org")
    with pytest.raises(InvalidInput):
        forget(db)
    event_with_guests(db, "Elsewhere", [guest(2, "Another", "Person", ticket_code="O-1")])
    with pytest.raises(InvalidInput, match="2 people"):
        forget(db, code="O-1")


def test_purge_keeps_recent_events_and_an_anonymous_tally(db):
    _setup(db)
    create_event(db, "Empty Old Night", (NOW - dt.timedelta(days=90)).date())
    result = purge(db, older_than_days=30, now=NOW)
    assert result.events == ("Last Month",) and result.registrations == 1
    assert result.people == 0  # Xylophonia is still registered tonight
    assert _count(db, Registration) == 4 and _count(db, CheckIn) == 4
    with db.read() as s:
        old_id = s.scalar(select(Event.id).where(Event.name == "Last Month"))
    tally = tally_of(db, old_id)
    assert tally["registered"] == 1 and tally["checked_in"] == 1 and tally["no_shows"] == 0
    # Nothing left to purge: a second run changes nothing.
    assert purge(db, older_than_days=30, now=NOW).events == ()
    assert tally_of(db, old_id) == tally


def test_purge_of_everything_old_deletes_the_people_and_their_bytes(sqlite_db):
    _setup(sqlite_db)
    later = NOW + dt.timedelta(days=400)
    result = purge(sqlite_db, older_than_days=365, now=later)
    assert result.events == ("Last Month", "Tonight") and result.people == 4
    assert _count(sqlite_db, Person) == 0 and _count(sqlite_db, Meta) >= 2
    path = Path(sqlite_db.sqlite_path)
    assert NAME[1].encode() not in path.read_bytes()


def test_forget_and_purge_commands(db, db_url, capsys):
    _setup(db)
    assert main(["--database", db_url, "forget", "--email", EMAIL, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["people"] == 1 and doc["events"] == ["Last Month", "Tonight"]
    assert main(["--database", db_url, "forget", "--email", EMAIL]) == 1  # gone already
    assert "Nobody" in capsys.readouterr().err
    assert main(["--database", db_url, "purge", "--older-than-days", "30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["events"] == []  # her old event is empty now
