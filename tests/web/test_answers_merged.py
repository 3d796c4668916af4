"""A host's "On my way" from their phone goes to the journal, and merges on another laptop."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from checkin.door.engine import check_in
from checkin.hosting import links, replies
from checkin.journal.writer import Journal
from checkin.merge import merge_files
from checkin.store.db import open_database
from checkin.store.models import Assignment, Host, Registration
from tests.support.factories import event_with_guests, guest
from tests.support.journals import share_event_key

EVENT = "Phone Evening"
DAY = dt.date(2026, 3, 5)
AT = dt.datetime(2026, 3, 5, 18, 0, tzinfo=dt.UTC)


def _evening(db, stick=None) -> tuple[int, Journal | None]:
    rows = [
        guest(2, "Hana", "Host", ticket_code="H1", is_host=True, interests=("AI",)),
        guest(4, "Nora", "New", ticket_code="N1", first_time=True, interests=("AI",)),
    ]
    event_with_guests(db, EVENT, rows, day=DAY)
    share_event_key(db, EVENT)  # the laptops of one event share its key
    journal = Journal.for_event(db, EVENT, stick, "Laptop 2") if stick else None
    check_in(db, EVENT, "H1", now=AT)
    check_in(db, EVENT, "N1", now=AT + dt.timedelta(minutes=1), journal=journal)
    with db.read() as s:
        return s.scalar(select(Host.id)), journal


def _answer_of(db, code: str) -> tuple:
    with db.read() as s:
        return s.execute(
            select(Assignment.answer, Assignment.answered_at)
            .join(Registration, Registration.id == Assignment.newcomer_id)
            .where(Registration.code == code)
        ).one()


def _answered_on_laptop_2(db, tmp_path, answered: dt.datetime):
    (tmp_path / "stick").mkdir()
    host_id, journal = _evening(db, tmp_path / "stick")
    (card,) = links.phone_views(db, _event_id(db))[host_id]
    r = replies.reply(db, host_id, card.assignment_id, "on_my_way", now=answered, journal=journal)
    assert r.done
    return journal


def _event_id(db) -> int:
    with db.read() as s:
        return s.scalar(select(Registration.event_id))


@pytest.fixture
def other(tmp_path):
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    yield other
    other.dispose()


def test_on_my_way_is_journaled_and_merged_on_another_laptop(db, other, tmp_path):
    answered = AT + dt.timedelta(minutes=2)
    journal = _answered_on_laptop_2(db, tmp_path, answered)
    lines = [json.loads(x) for x in journal.path.read_text().splitlines()]
    (line,) = [x for x in lines if x["type"] == "answer"]
    assert line["answer"] == "on_my_way" and line["guest"]["code"] == "N1"
    assert line["host"]["code"] == "H1" and line["at"] == answered.isoformat()
    _evening(other)  # the other laptop checked in the host itself, not Nora
    report = merge_files(other, EVENT, [journal.path])
    assert not report.refused, report.refused
    answer, at = _answer_of(other, "N1")
    assert (answer, at) == ("on_my_way", answered)
    again = merge_files(other, EVENT, [journal.path])  # merging twice changes nothing
    assert not again.refused and _answer_of(other, "N1") == ("on_my_way", answered)


def test_an_answer_dated_off_the_events_day_is_refused(db, other, tmp_path):
    journal = _answered_on_laptop_2(db, tmp_path, AT + dt.timedelta(days=9))
    _evening(other)
    report = merge_files(other, EVENT, [journal.path])
    assert any("outside the event's day" in r for r in report.refused), report.refused
    assert _answer_of(other, "N1") == (None, None)
