"""PostgreSQL: a returning guest is checked in by one statement, one round trip, and is the
same check-in as the usual path gives (durable, journaled, its change record)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import event, func, select

from checkin.changes import DoorLogged
from checkin.door.engine import check_in
from checkin.door.outcomes import OutcomeKind
from checkin.journal.writer import Journal
from checkin.store.db import open_database
from checkin.store.models import CheckIn, Registration
from tests.support.factories import event_with_guests, guest

EVENT = "Harbour Club"
pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(pg_server, pg_template):
    db = open_database(pg_server.new_database(pg_template))
    yield db
    db.dispose()


def _evening(db):
    event_with_guests(
        db,
        EVENT,
        [
            guest(2, "Rita", "Regular", ticket_code="R1", first_time=False),
            guest(3, "Ravi", "Regular", ticket_code="R2", first_time=False),
            guest(4, "Nina", "New", ticket_code="N1", first_time=True),
            guest(5, "Hal", "Host", ticket_code="H1", is_host=True),
            guest(6, "Cal", "Cancelled", ticket_code="C1", cancelled=True),
        ],
    )
    check_in(db, EVENT, "H1", device="Door 1")  # the event is known to this door now


def _trips(db, action) -> tuple[list[str], object]:
    seen: list[str] = []
    listeners = {
        "before_cursor_execute": lambda *a, **k: seen.append("statement"),
        # psycopg sends BEGIN only outside autocommit (SQLAlchemy's event fires either way)
        "begin": lambda conn: (
            None if conn.connection.dbapi_connection.autocommit else seen.append("begin")
        ),
        "commit": lambda *a, **k: seen.append("commit"),
    }
    for name, fn in listeners.items():
        event.listen(db.engine, name, fn)
    try:
        result = action()
    finally:
        for name, fn in listeners.items():
            event.remove(db.engine, name, fn)
    return seen, result


def test_a_returning_guest_is_one_round_trip_and_really_checked_in(pg, tmp_path):
    _evening(pg)
    folder = tmp_path / "stick"
    folder.mkdir()
    journal = Journal(folder, event=EVENT, event_date=None, device="Door 2")
    trips, outcome = _trips(
        pg, lambda: check_in(pg, EVENT, "R1", device="Door 2", nonce="n-r1", journal=journal)
    )
    journal.close()
    assert trips == ["statement"]  # no BEGIN, no COMMIT: the statement commits on its own
    assert outcome.kind is OutcomeKind.CHECKED_IN and not outcome.first_time
    assert outcome.guest.name == "Rita Regular" and outcome.device == "Door 2"
    (logged,) = [c for c in outcome.changes if isinstance(c, DoorLogged)]
    assert logged.nonce == "n-r1" and logged.guest.code == "R1" and logged.first_time is False
    with pg.read() as s:
        reg = s.scalar(select(Registration).where(Registration.code == "R1"))
        assert reg.checked_in_at is not None and reg.checked_in_device == "Door 2"
        assert reg.first_time is False and reg.checkin_id == outcome.checkin_id
        assert s.scalar(select(CheckIn.nonce).where(CheckIn.id == reg.checkin_id)) == "n-r1"
    (line,) = [json.loads(x) for x in journal.path.read_text().splitlines()[1:]]
    assert (line["type"], line["id"], line["nonce"]) == ("checkin", outcome.checkin_id, "n-r1")
    assert line["guest"]["code"] == "R1" and line["first_time"] is False
    again = check_in(pg, EVENT, "R1", device="Door 3")
    assert again.kind is OutcomeKind.ALREADY_CHECKED_IN and again.device == "Door 2"
    assert again.checked_in_at == outcome.checked_in_at


def test_the_same_nonce_twice_writes_once(pg):
    _evening(pg)
    a = check_in(pg, EVENT, "R2", device="Door 2", nonce="n-twice")
    b = check_in(pg, EVENT, "R2", device="Door 2", nonce="n-twice")
    assert a.kind is OutcomeKind.CHECKED_IN and b.kind is OutcomeKind.CHECKED_IN and b.replayed
    with pg.read() as s:
        rows = select(func.count()).select_from(CheckIn).where(CheckIn.nonce == "n-twice")
        assert s.scalar(rows) == 1


@pytest.mark.parametrize(
    ("code", "kind", "first_time"),
    [
        ("N1", OutcomeKind.CHECKED_IN, True),  # a first-timer gets a host: the usual path
        ("C1", OutcomeKind.CANCELLED, False),
        ("NOPE", OutcomeKind.UNKNOWN_CODE, False),
    ],
)
def test_anything_else_changes_nothing_and_takes_the_usual_path(pg, code, kind, first_time):
    _evening(pg)
    trips, outcome = _trips(pg, lambda: check_in(pg, EVENT, code, device="Door 2"))
    assert outcome.kind is kind and bool(outcome.first_time) is first_time
    assert trips[0] == "statement" and "begin" in trips  # tried, then the usual transaction
    if code == "N1":
        assert outcome.host is not None and outcome.host.name == "Hal Host"


def test_a_guest_back_after_leaving_is_back_again(pg):
    from checkin.door.leave import check_out

    _evening(pg)
    check_in(pg, EVENT, "R1", device="Door 2")
    check_out(pg, EVENT, "R1", device="Door 2")
    back = check_in(pg, EVENT, "R1", device="Door 2", now=dt.datetime.now(dt.UTC))
    assert back.kind is OutcomeKind.CHECKED_IN
    assert "Back again: checked out earlier" in back.warnings


def test_a_host_arriving_takes_the_usual_path_and_the_waiting_newcomer(pg):
    from checkin.hosting.assignments import active_host

    event_with_guests(
        pg,
        EVENT,
        [
            guest(2, "Rita", "Regular", ticket_code="R1", first_time=False),
            guest(4, "Nina", "New", ticket_code="N1", first_time=True),
            guest(5, "Hal", "Host", ticket_code="H1", is_host=True, first_time=False),
        ],
    )
    check_in(pg, EVENT, "R1", device="Door 1")  # the event is known to this door now
    assert check_in(pg, EVENT, "N1", device="Door 1").queued  # no host here yet
    host = check_in(pg, EVENT, "H1", device="Door 1")
    assert host.kind is OutcomeKind.CHECKED_IN and host.is_host
    with pg.read() as s:
        nina = s.scalar(select(Registration.id).where(Registration.code == "N1"))
        assert active_host(s, nina).name == "Hal Host"
