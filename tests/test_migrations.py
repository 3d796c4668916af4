"""Schema migrations keep existing data: an evening recorded by an older version reads back."""

from __future__ import annotations

from alembic import command
from sqlalchemy import func, select, text

from checkin.door.engine import check_in
from checkin.store.migrate import _config, migrating, upgrade
from checkin.store.models import Assignment, CheckIn
from tests.support.factories import event_with_guests, guest

EVENT = "Migration Evening"


def _alembic(db, verb: str, revision: str) -> None:
    cfg = _config()
    with migrating(db) as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, revision)


def test_introductions_written_as_a_comma_list_read_back_as_ids(db):
    rows = [
        guest(2, "Hana", "Host", ticket_code="H1", is_host=True, interests=("AI",)),
        guest(3, "Rita", "Regular", ticket_code="R1", first_time=False, interests=("AI",)),
        guest(4, "Rob", "Regular", ticket_code="R2", first_time=False, interests=("AI",)),
        guest(5, "Nora", "New", ticket_code="N1", first_time=True, interests=("AI",)),
    ]
    event_with_guests(db, EVENT, rows)
    for code in ("H1", "R1", "R2", "N1"):
        check_in(db, EVENT, code)
    with db.read() as s:
        told = s.scalar(select(Assignment.introductions))
        checkins = s.scalar(select(func.count()).select_from(CheckIn))
    assert len(told) == 2 and checkins == 4

    _alembic(db, "downgrade", "0001")  # what version 0.1.0 stored: "12,40"
    with db.engine.connect() as conn:
        raw = conn.execute(text("SELECT introductions FROM assignment")).scalar_one()
    assert raw == ",".join(str(i) for i in told)

    upgrade(db)  # what opening the database with this version does
    with db.read() as s:
        assert s.scalar(select(Assignment.introductions)) == told
        # Rebuilding tables (SQLite's batch mode) must not cascade away the evening.
        assert s.scalar(select(func.count()).select_from(CheckIn)) == checkins
        assert s.scalar(select(func.count()).select_from(Assignment)) == 1
