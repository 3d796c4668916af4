"""Logs are for finding faults, never a place guests' names or emails end up."""

from __future__ import annotations

import logging

from checkin.door.engine import check_in
from checkin.door.leave import undo
from checkin.door.search import search_guests
from checkin.door.walkins import walk_in
from checkin.hosting.actions import mark_met
from checkin.hosting.board import host_board
from checkin.reports.export import export_attendance
from tests.support.factories import event_with_guests, guest

SECRET_NAMES = ("Zoltán", "Quibbleworth", "quibble@example.org", "Ysolde", "Marchbanks")


def test_a_whole_evening_logs_no_guest_data(db, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    event_with_guests(
        db,
        "Evening",
        [
            guest(2, "Zoltán", "Quibbleworth", email="quibble@example.org", ticket_code="Z1",
                  first_time=True),
            guest(3, "Ysolde", "Marchbanks", ticket_code="H1", is_host=True),
        ],
    )  # fmt: skip
    check_in(db, "Evening", "H1", device="Door 1")
    check_in(db, "Evening", "Z1", device="Door 1")
    check_in(db, "Evening", "Z1", device="Door 2")
    check_in(db, "Evening", "nope", device="Door 2")
    search_guests(db, "Evening", "quibble")
    host_board(db, "Evening")
    mark_met(db, "Evening", "Z1")
    undo(db, "Evening", "Z1")
    walk_in(db, "Evening", name="Ysolde Marchbanks-Two", email="y2@example.org")
    export_attendance(db, "Evening", tmp_path / "a.csv")
    for secret in SECRET_NAMES:
        assert secret not in caplog.text
