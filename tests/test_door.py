"""The check-in engine: every outcome, repeats, undo, first-timers — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from checkin.door.codes import normalise_app_code
from checkin.door.engine import check_in, check_in_registration
from checkin.door.leave import undo
from checkin.door.outcomes import OutcomeKind
from checkin.door.search import search_guests
from checkin.door.walkins import walk_in
from checkin.events import create_event
from checkin.store.models import CheckIn
from tests.support.factories import event_with_guests, guest

EVENT = "Chamber Evening"


def _setup(db):
    return event_with_guests(
        db,
        EVENT,
        [
            guest(2, "Anna", "Müller", ticket_code="1001", company="Harbour Bank"),
            guest(3, "José", "García", ticket_code="1002"),
            guest(4, "Cancelled", "Guest", ticket_code="1003", cancelled=True),
            guest(5, "No", "Ticket"),
            guest(6, "Regular", "Member", ticket_code="1005", first_time=False),
        ],
    )


def _count(db, **where) -> int:
    with db.read() as s:
        q = select(func.count()).select_from(CheckIn)
        for k, v in where.items():
            q = q.where(getattr(CheckIn, k) == v)
        return s.scalar(q)


def test_scan_checks_in_and_second_scan_says_when_and_where(db):
    _setup(db)
    first = check_in(db, EVENT, "1001", device="Door 1")
    assert first.kind is OutcomeKind.CHECKED_IN
    assert first.guest.name == "Anna Müller"
    assert first.guest.company == "Harbour Bank"
    again = check_in(db, EVENT, "1001", device="Door 2")
    assert again.kind is OutcomeKind.ALREADY_CHECKED_IN
    assert again.device == "Door 1"
    assert again.checked_in_at == first.checked_in_at
    assert _count(db, action="checkin") == 1


def test_same_nonce_twice_writes_once_and_answers_the_same(db):
    _setup(db)
    a = check_in(db, EVENT, "1002", device="Door 1", nonce="n-1")
    b = check_in(db, EVENT, "1002", device="Door 1", nonce="n-1")
    assert a.kind is b.kind is OutcomeKind.CHECKED_IN
    assert b.replayed and not a.replayed
    assert a.checkin_id == b.checkin_id
    assert _count(db) == 1


def test_unknown_cancelled_other_event_and_forged_codes(db):
    _setup(db)
    create_event(db, "Other Night")
    event_with_guests(db, "Other Night", [guest(2, "Olga", "Other", ticket_code="9001")])
    assert check_in(db, EVENT, "424242").kind is OutcomeKind.UNKNOWN_CODE
    cancelled = check_in(db, EVENT, "1003")
    assert cancelled.kind is OutcomeKind.CANCELLED and cancelled.guest.name == "Cancelled Guest"
    other = check_in(db, EVENT, "9001")
    assert other.kind is OutcomeKind.WRONG_EVENT and other.other_event == "Other Night"
    assert check_in(db, EVENT, "WD0000000000ZZ").kind is OutcomeKind.INVALID_CODE
    assert _count(db) == 0


def test_app_code_issued_for_guest_without_ticket_and_a_typo_is_invalid(db):
    _setup(db)
    code = search_guests(db, EVENT, "no ticket")[0].code
    assert normalise_app_code(code) == code
    # One character changed: the signature no longer fits, so it is not "unknown".
    wrong = code[:5] + ("0" if code[5] != "0" else "1") + code[6:]
    assert check_in(db, EVENT, wrong).kind is OutcomeKind.INVALID_CODE
    # Read aloud with dashes and in lower case, it still works.
    spaced = f"{code[:2]}-{code[2:6]}-{code[6:10]}-{code[10:]}".lower()
    assert check_in(db, EVENT, spaced).kind is OutcomeKind.CHECKED_IN


def test_undo_then_check_in_again(db):
    _setup(db)
    check_in(db, EVENT, "1001", device="Door 1")
    result = undo(db, EVENT, "1001")
    assert result.done
    assert not undo(db, EVENT, "1001").done  # nothing left to undo
    again = check_in(db, EVENT, "1001", device="Door 2")
    assert again.kind is OutcomeKind.CHECKED_IN and again.device == "Door 2"
    assert _count(db, action="checkin") == 2 and _count(db, action="undo") == 1


def test_first_timer_from_history_and_from_the_list(db):
    create_event(db, "Last Month", dt.date(2026, 10, 1))
    event_with_guests(db, "Last Month", [guest(2, "Anna", "Müller", ticket_code="old-1")])
    check_in(db, "Last Month", "old-1")
    _setup(db)
    assert check_in(db, EVENT, "1001").first_time is False  # came last month, same email
    assert check_in(db, EVENT, "1002").first_time is True
    assert check_in(db, EVENT, "1005").first_time is False  # the list says returning


def test_search_then_check_in_by_registration(db):
    _setup(db)
    hit = search_guests(db, EVENT, "garcia")[0]
    outcome = check_in_registration(db, EVENT, hit.registration_id, device="Door 1")
    assert outcome.kind is OutcomeKind.CHECKED_IN and outcome.guest.name == "José García"


def test_walk_in_registers_and_checks_in_once(db):
    _setup(db)
    o = walk_in(db, EVENT, name="Zoë Ångström", email="Zoe@Example.com", company="Kite")
    assert o.kind is OutcomeKind.CHECKED_IN and o.first_time
    assert o.guest.email == "zoe@example.com"
    again = walk_in(db, EVENT, name="Zoë Ångström", email="zoe@example.com")
    assert again.kind is OutcomeKind.ALREADY_CHECKED_IN
    assert search_guests(db, EVENT, "angstrom")[0].checked_in


def test_undoing_a_return_keeps_the_first_arrival(db):
    from checkin.door.leave import check_out

    _setup(db)
    first = check_in(db, EVENT, "1001", device="Door 1")
    check_out(db, EVENT, "1001")
    back = check_in(db, EVENT, "1001", device="Door 2")
    assert back.kind is OutcomeKind.CHECKED_IN and "Back again" in back.warnings[0]
    result = undo(db, EVENT, "1001")
    assert result.done and "return" in result.message
    hit = search_guests(db, EVENT, "anna")[0]
    assert hit.checked_in  # still counted as attended, from the first arrival
    again = check_in(db, EVENT, "1001", device="Door 1")
    assert again.kind is OutcomeKind.CHECKED_IN and again.checked_in_at == first.checked_in_at


def test_a_walk_in_sent_twice_registers_once(db):
    _setup(db)
    first = walk_in(db, EVENT, name="No Email Person", nonce="walkin-1")
    again = walk_in(db, EVENT, name="No Email Person", nonce="walkin-1")
    assert again.replayed and again.guest.code == first.guest.code
    assert len(search_guests(db, EVENT, "no email person")) == 1
