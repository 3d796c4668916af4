"""Welcoming hosts: assignment, queue, met / release / reassign / leave, introductions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from checkin.door.engine import check_in
from checkin.door.leave import check_out, undo
from checkin.errors import InvalidInput
from checkin.events import set_event_options
from checkin.hosting.actions import add_host, mark_met, reassign, release
from checkin.hosting.board import host_board
from checkin.store.models import Assignment
from tests.support.factories import event_with_guests, guest

EVENT = "Breakfast Club"


def _hosts_and_newcomers(db, host_capacity: int = 2):
    rows = [
        guest(2, "Hana", "Host", ticket_code="H1", is_host=True, host_capacity=host_capacity,
              interests=("AI", "Fintech"), company="Alpha"),
        guest(3, "Henk", "Host", ticket_code="H2", is_host=True, host_capacity=host_capacity,
              interests=("Design",), company="Beta"),
        guest(4, "Nora", "New", ticket_code="N1", first_time=True, interests=("AI",),
              company="Gamma"),
        guest(5, "Nils", "New", ticket_code="N2", first_time=True, interests=("Design",),
              company="Delta"),
        guest(6, "Nina", "New", ticket_code="N3", first_time=True, interests=("Cooking",)),
        guest(7, "Ned", "New", ticket_code="N4", first_time=True, interests=("AI",)),
        guest(8, "Nell", "New", ticket_code="N5", first_time=True, interests=("AI",)),
        guest(9, "Rita", "Regular", ticket_code="R1", first_time=False, interests=("AI",),
              company="Gamma"),
        guest(10, "Rob", "Regular", ticket_code="R2", first_time=False,
              interests=("AI", "Design"), company="Omega"),
    ]  # fmt: skip
    return event_with_guests(db, EVENT, rows)


def test_newcomer_waits_until_a_host_arrives(db):
    _hosts_and_newcomers(db)
    o = check_in(db, EVENT, "N1")
    assert o.first_time and o.queued and o.host is None
    host = check_in(db, EVENT, "H2")
    assert host.is_host and not host.first_time
    board = host_board(db, EVENT)
    assert not board.queue
    (henk,) = [h for h in board.hosts if h.code == "H2"]
    assert [n.code for n in henk.newcomers] == ["N1"]


def test_shared_interest_wins_then_fewest_newcomers(db):
    _hosts_and_newcomers(db)
    check_in(db, EVENT, "H1")
    check_in(db, EVENT, "H2")
    assert check_in(db, EVENT, "N1").host.code == "H1"  # AI
    assert check_in(db, EVENT, "N2").host.code == "H2"  # Design
    nina = check_in(
        db, EVENT, "N3"
    )  # shares nothing: the host with fewer newcomers, tie -> longest idle
    assert nina.host.code == "H1"
    assert nina.host.shared_interests == ()


def test_never_over_capacity_and_queue_is_first_come(db):
    _hosts_and_newcomers(db, host_capacity=1)
    check_in(db, EVENT, "H1")
    assert check_in(db, EVENT, "N1").host.code == "H1"
    assert check_in(db, EVENT, "N4").queued
    assert check_in(db, EVENT, "N5").queued
    assert [n.code for n in host_board(db, EVENT).queue] == ["N4", "N5"]
    mark_met(db, EVENT, "N1")  # frees the slot: the front of the queue gets it
    board = host_board(db, EVENT)
    assert [n.code for n in board.queue] == ["N5"]
    assert [n.code for h in board.hosts for n in h.newcomers] == ["N4"]


def test_release_goes_to_another_host(db):
    _hosts_and_newcomers(db)
    check_in(db, EVENT, "H1")
    check_in(db, EVENT, "H2")
    assert check_in(db, EVENT, "N1").host.code == "H1"
    release(db, EVENT, "N1")
    board = host_board(db, EVENT)
    assert [n.code for h in board.hosts if h.code == "H2" for n in h.newcomers] == ["N1"]


def test_host_leaving_sends_newcomers_to_the_front(db):
    _hosts_and_newcomers(db, host_capacity=1)
    check_in(db, EVENT, "H1")
    check_in(db, EVENT, "N1")  # with H1
    assert check_in(db, EVENT, "N4").queued
    check_out(db, EVENT, "H1")
    assert [n.code for n in host_board(db, EVENT).queue] == ["N1", "N4"]  # N1 goes first
    check_in(db, EVENT, "H2")
    board = host_board(db, EVENT)
    assert [n.code for h in board.hosts if h.code == "H2" for n in h.newcomers] == ["N1"]
    assert [n.code for n in board.queue] == ["N4"]
    with db.read() as s:
        statuses = sorted(s.scalars(select(Assignment.status)))
    assert statuses == ["active", "host_left"]  # history kept, nothing overwritten


def test_manual_reassign_respects_capacity(db):
    _hosts_and_newcomers(db, host_capacity=1)
    check_in(db, EVENT, "H1")
    check_in(db, EVENT, "H2")
    check_in(db, EVENT, "N1")  # H1
    check_in(db, EVENT, "N2")  # H2
    with pytest.raises(InvalidInput, match="already hosts"):
        reassign(db, EVENT, "N1", "H2")
    mark_met(db, EVENT, "N2")
    assert "now with Henk Host" in reassign(db, EVENT, "N1", "H2").message


def test_a_host_is_never_a_newcomer_even_in_a_fresh_database(db):
    _hosts_and_newcomers(db)
    o = check_in(db, EVENT, "H1")
    assert o.is_host and not o.first_time and not o.queued


def test_added_host_from_the_command_side(db):
    _hosts_and_newcomers(db)
    summary = add_host(db, EVENT, code="R2", capacity=2, languages="en, nl")
    assert summary.capacity == 2 and not summary.present
    assert check_in(db, EVENT, "R2").is_host
    assert check_in(db, EVENT, "N2").host.code == "R2"


def test_introductions_share_interests_and_skip_same_company(db):
    _hosts_and_newcomers(db)
    check_in(db, EVENT, "H2")
    check_in(db, EVENT, "R1")  # AI, but the same company as Nora
    check_in(db, EVENT, "R2")  # AI + Design, Omega
    nora = check_in(db, EVENT, "N1")
    names = [i.name for i in nora.introductions]
    assert "Rob Regular" in names and "Rita Regular" not in names
    assert nora.introductions[0].shared_interests == ("AI",)


def test_undo_of_a_newcomer_frees_the_host(db):
    _hosts_and_newcomers(db, host_capacity=1)
    check_in(db, EVENT, "H1")
    check_in(db, EVENT, "N1")
    assert check_in(db, EVENT, "N4").queued
    undo(db, EVENT, "N1")
    board = host_board(db, EVENT)
    assert [n.code for h in board.hosts for n in h.newcomers] == ["N4"]


def test_profession_clash_warning(db):
    event_with_guests(
        db,
        EVENT,
        [
            guest(2, "Mia", "Member", ticket_code="M1", first_time=False, profession="Accountant"),
            guest(3, "Ann", "New", ticket_code="A1", first_time=True, profession="accountant"),
        ],
    )
    assert check_in(db, EVENT, "A1").warnings == ()
    undo(db, EVENT, "A1")
    set_event_options(db, EVENT, one_per_profession=True)
    (warning,) = check_in(db, EVENT, "A1").warnings
    assert "accountant" in warning.lower() and "Mia Member" in warning


def test_board_json_shape(db):
    _hosts_and_newcomers(db)
    check_in(db, EVENT, "N3")
    check_in(db, EVENT, "H1")
    doc = host_board(db, EVENT).as_json()
    assert set(doc) >= {"hosts", "queue"}
    hana = next(h for h in doc["hosts"] if h["code"] == "H1")
    assert set(hana) >= {"name", "code", "capacity", "present", "newcomers"}
    assert set(hana["newcomers"][0]) >= {"name", "code", "status", "minutes_waiting"}
