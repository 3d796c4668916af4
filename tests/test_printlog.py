"""The print log: the door auto-prints a guest's badge once; reprints are deliberate and logged.

Runs on SQLite and on PostgreSQL (the ``db`` fixture).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from checkin.badges import printlog
from checkin.door.engine import check_in
from checkin.errors import InvalidInput
from checkin.store.models import PrintLog
from tests.support.factories import event_with_guests, guest

EVENT = "Print Log Evening"


@pytest.fixture
def guests(db) -> dict[str, int]:
    """Ticket code -> registration id of three checked-in guests."""
    event_with_guests(
        db,
        EVENT,
        [
            guest(2, "Anna", "Müller", ticket_code="P001"),
            guest(3, "José", "García", ticket_code="P002"),
            guest(4, "Zoë", "Ångström", ticket_code="P003"),
        ],
    )
    ids = {}
    for code in ("P001", "P002", "P003"):
        outcome = check_in(db, EVENT, code, device="Door 1")
        assert outcome.guest is not None
        ids[code] = outcome.guest.registration_id
    return ids


def test_auto_print_once_per_guest(db, guests):
    anna = guests["P001"]
    assert printlog.should_auto_print(db, anna)

    printlog.record_print(db, anna, "auto", "Door 1 label printer", "failed", "media-empty")
    assert printlog.should_auto_print(db, anna), "a failed print gives no badge: still due"

    printlog.record_print(db, anna, "auto", "Door 1 label printer", "sent", "job 7")
    assert not printlog.should_auto_print(db, anna)
    assert printlog.was_printed(db, anna, ["auto"])
    assert not printlog.was_printed(db, anna, ["reprint"])

    # A reprint is deliberate: it is logged and visible, and never blocked.
    printlog.record_print(db, anna, "reprint", "Door 1 label printer", "sent", "")
    kinds = [(r.kind, r.status) for r in printlog.history(db, anna)]
    assert kinds == [("auto", "failed"), ("auto", "sent"), ("reprint", "sent")]
    assert printlog.history(db, anna)[0].detail == "media-empty"

    # Other guests are untouched.
    assert printlog.should_auto_print(db, guests["P002"])


def test_a_batch_sent_ahead_counts_as_a_badge(db, guests):
    ids = [guests["P002"], guests["P003"]]
    assert printlog.record_prints(db, ids, "batch", "Office laser", "sent", "job Office-3") == 2
    assert not printlog.should_auto_print(db, guests["P002"])
    assert not printlog.should_auto_print(db, guests["P003"])
    assert printlog.should_auto_print(db, guests["P001"])


def test_still_due_finds_failed_prints_after_a_restart(db, guests):
    t0 = dt.datetime(2026, 5, 1, 18, 0, tzinfo=dt.UTC)
    anna, jose, zoe = guests["P001"], guests["P002"], guests["P003"]
    printlog.record_prints(db, [anna], "auto", "P", "failed", "offline", at=t0)
    printlog.record_prints(db, [jose], "auto", "P", "failed", "offline", at=t0)
    printlog.record_prints(db, [jose], "auto", "P", "sent", at=t0 + dt.timedelta(minutes=1))
    printlog.record_prints(db, [zoe], "auto", "P", "sent", at=t0)
    assert printlog.still_due(db, EVENT) == [anna]


def test_bad_values_are_refused_and_nothing_is_written(db, guests):
    with pytest.raises(InvalidInput, match="kind"):
        printlog.record_print(db, guests["P001"], "sometimes", "P")
    with pytest.raises(InvalidInput, match="status"):
        printlog.record_print(db, guests["P001"], "auto", "P", "maybe")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(PrintLog)) == 0
