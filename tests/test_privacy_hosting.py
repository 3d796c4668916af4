"""Forgetting someone in the middle of an evening leaves hosting consistent."""

from __future__ import annotations

from checkin.door.engine import check_in
from checkin.door.search import search_guests
from checkin.hosting.board import host_board
from checkin.privacy import forget
from tests.support.factories import event_with_guests, guest

EVENT = "Privacy Evening"


def _evening(db):
    event_with_guests(
        db,
        EVENT,
        [
            guest(2, "Hana", "Host", ticket_code="H1", is_host=True, host_capacity=1),
            guest(3, "Hugo", "Host", ticket_code="H2", is_host=True, host_capacity=1),
            guest(4, "Nora", "New", ticket_code="N1", first_time=True),
            guest(5, "Ned", "New", ticket_code="N2", first_time=True),
        ],
    )


def test_forgetting_a_newcomer_frees_their_host(db):
    _evening(db)
    check_in(db, EVENT, "H1")
    check_in(db, EVENT, "N1")
    forget(db, code="N1")
    assert check_in(db, EVENT, "N2").host.code == "H1"  # the slot came back


def test_forgetting_a_host_rehosts_their_newcomers(db):
    _evening(db)
    check_in(db, EVENT, "H1")
    check_in(db, EVENT, "N1")  # with H1
    check_in(db, EVENT, "H2")
    forget(db, code="H1")
    board = host_board(db, EVENT)
    assert [n.code for h in board.hosts for n in h.newcomers] == ["N1"]
    assert [h.code for h in board.hosts] == ["H2"]


def test_forget_by_email_takes_every_row_with_that_address(db):
    event_with_guests(
        db,
        EVENT,
        [
            guest(2, "Anna", "Buyer", email="anna@example.org", ticket_code="T1"),
            guest(3, "Anna", "Buyer", email="anna@example.org", ticket_code="T2"),
            guest(4, "Bob", "Friend", email="anna@example.org", ticket_code="T3"),
        ],
    )
    forget(db, email="Anna@Example.org")
    assert search_guests(db, EVENT, "anna") == []
    assert search_guests(db, EVENT, "example") == []
