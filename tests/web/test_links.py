"""Hosts' links and answers in the core: who a token opens, what a phone is sent, and what
On my way / Met / Can't now and a silent host do to the hosting state."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from checkin.door.engine import check_in
from checkin.events import create_event
from checkin.hosting import links, replies
from checkin.hosting.board import host_board
from checkin.store.models import Event, Host
from checkin.timeutil import utcnow
from tests.support.factories import event_with_guests, guest

EVENT = "Phone Evening"


def _evening(db, capacity: int = 2) -> int:
    rows = [
        guest(2, "Hana", "Host", ticket_code="H1", is_host=True, host_capacity=capacity,
              interests=("AI", "Fintech"), company="Alpha"),
        guest(3, "Henk", "Host", ticket_code="H2", is_host=True, host_capacity=capacity,
              interests=("Design",), company="Beta"),
        guest(4, "Nora", "New", ticket_code="N1", first_time=True, interests=("AI",),
              company="Gamma", phone="+44 7700 900123"),
        guest(5, "Nils", "New", ticket_code="N2", first_time=True, interests=("Design",)),
        guest(6, "Rita", "Regular", ticket_code="R1", first_time=False, interests=("AI",)),
    ]  # fmt: skip
    event_with_guests(db, EVENT, rows)
    for code in ("H1", "H2", "R1"):
        check_in(db, EVENT, code)
    with db.read() as s:
        return s.query(Event).filter_by(name=EVENT).one().id


def _host_id(db, code: str) -> int:
    with db.read() as s:
        return next(h.id for h in s.query(Host).all() if h.registration.code == code)


def _mine(db, event_id: int, host_code: str) -> list[str]:
    return [c.name for c in links.phone_views(db, event_id).get(_host_id(db, host_code), ())]


def test_a_host_link_is_unguessable_and_the_same_each_time(db):
    _evening(db)
    token = links.host_link(db, EVENT, "H1")
    assert len(token) >= 22 and token == links.host_link(db, EVENT, "H1")  # >= 128 bits
    assert token != links.host_link(db, EVENT, "H2")
    target = links.resolve(db, token)
    assert target.kind == "host" and target.host_name == "Hana Host"
    assert links.resolve(db, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert links.resolve(db, links.board_link(db, EVENT)).kind == "board"


def test_a_link_ends_with_the_host_and_with_the_event(db):
    event_id = _evening(db)
    h1, h2 = links.host_link(db, EVENT, "H1"), links.host_link(db, EVENT, "H2")
    with db.write() as s:  # the host removed (as privacy's forget does)
        s.execute(update(Host).where(Host.id == _host_id(db, "H1")).values(active=False))
    assert links.resolve(db, h1) is None and links.resolve(db, h2) is not None
    with db.write() as s:
        s.get(Event, event_id).day = dt.date(2026, 1, 1)
    assert links.resolve(db, h2, now=dt.datetime(2026, 1, 2, 23, tzinfo=dt.UTC)) is not None
    assert links.resolve(db, h2, now=dt.datetime(2026, 1, 3, 1, tzinfo=dt.UTC)) is None
    create_event(db, "Other")
    other = links.board_link(db, "Other")
    assert links.end_links(db, EVENT) == 2  # H2's and nothing of the other event
    assert links.resolve(db, h2, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)) is None
    assert links.resolve(db, other) is not None


def test_a_phone_shows_only_its_hosts_newcomers_and_no_contact_details(db):
    event_id = _evening(db)
    check_in(db, EVENT, "N1", device="Door 1")  # AI -> Hana
    check_in(db, EVENT, "N2")  # Design -> Henk
    views = links.phone_views(db, event_id)
    (nora,) = views[_host_id(db, "H1")]
    assert [c.name for c in views[_host_id(db, "H2")]] == ["Nils New"]
    doc = nora.as_json()
    assert doc["name"] == "Nora New" and doc["company"] == "Gamma"
    assert doc["shared_interests"] == ["AI"] and doc["meet_at"] == "the welcome desk (Door 1)"
    assert doc["introductions"][0] == "Rita Regular"
    flat = repr(doc)
    assert "@" not in flat and "7700" not in flat and "N1" not in flat


def test_on_my_way_shows_on_the_board_and_a_second_tap_changes_nothing(db):
    event_id = _evening(db)
    check_in(db, EVENT, "N1")
    (card,) = links.phone_views(db, event_id)[_host_id(db, "H1")]
    r = replies.reply(db, _host_id(db, "H1"), card.assignment_id, "on_my_way")
    assert r.done and [type(c).__name__ for c in r.changes] == ["HostAnswered"]
    again = replies.reply(db, _host_id(db, "H1"), card.assignment_id, "on_my_way")
    assert not again.done and again.changes == ()
    (hana,) = [h for h in host_board(db, EVENT).hosts if h.code == "H1"]
    (n,) = hana.newcomers
    assert n.answer == "on_my_way" and n.as_json()["answer"] == "on_my_way"
    words = n.answer_words("Hana Host", n.answered_at + dt.timedelta(seconds=20))
    assert words == "Hana Host is on the way · 20 s ago"


def test_met_frees_the_slot_for_the_next_in_the_queue(db):
    event_id = _evening(db, capacity=1)
    check_in(db, EVENT, "N1")  # Hana
    check_in(db, EVENT, "N2")  # Henk
    check_in(db, EVENT, "H2")  # already in: nothing new
    (card,) = links.phone_views(db, event_id)[_host_id(db, "H1")]
    assert replies.reply(db, _host_id(db, "H1"), card.assignment_id, "met").done
    assert _mine(db, event_id, "H1") == []
    board = host_board(db, EVENT)
    assert [h.hosted_total for h in board.hosts if h.code == "H1"] == [1]


def test_cant_now_moves_the_newcomer_to_the_next_host(db):
    event_id = _evening(db)
    check_in(db, EVENT, "N1")
    (card,) = links.phone_views(db, event_id)[_host_id(db, "H1")]
    r = replies.reply(db, _host_id(db, "H1"), card.assignment_id, "cant_now")
    assert r.done and "next host" in r.message
    assert _mine(db, event_id, "H1") == [] and _mine(db, event_id, "H2") == ["Nora New"]


def test_a_host_cannot_answer_for_another_hosts_newcomer(db):
    event_id = _evening(db)
    check_in(db, EVENT, "N1")
    (card,) = links.phone_views(db, event_id)[_host_id(db, "H1")]
    r = replies.reply(db, _host_id(db, "H2"), card.assignment_id, "met")
    assert not r.done and r.changes == ()
    assert _mine(db, event_id, "H1") == ["Nora New"]


def test_a_silent_host_with_the_page_open_has_the_newcomer_offered_on(db):
    event_id = _evening(db)
    check_in(db, EVENT, "N1")
    later = utcnow() + dt.timedelta(seconds=91)
    assert replies.escalate(db, event_id, 90, now=later) == []  # Hana never opened her page
    links.resolve(db, links.host_link(db, EVENT, "H1"))  # she opens it
    assert replies.escalate(db, event_id, 90, now=utcnow()) == []  # not yet 90 s
    (done,) = replies.escalate(db, event_id, 90, now=later)
    assert "now offered to Henk Host" in done.message
    assert _mine(db, event_id, "H1") == [] and _mine(db, event_id, "H2") == ["Nora New"]
    from sqlalchemy import select

    from checkin.store.models import Assignment

    with db.read() as s:
        history = s.execute(select(Assignment.status, Assignment.answer).order_by(Assignment.id))
        assert history.all() == [("released", "no_answer"), ("active", None)]


@pytest.mark.parametrize("answer", ["on_my_way", "met"])
def test_an_answer_stops_the_escalation(db, answer):
    event_id = _evening(db)
    links.resolve(db, links.host_link(db, EVENT, "H1"))
    check_in(db, EVENT, "N1")
    (card,) = links.phone_views(db, event_id)[_host_id(db, "H1")]
    replies.reply(db, _host_id(db, "H1"), card.assignment_id, answer)
    assert replies.escalate(db, event_id, 90, now=utcnow() + dt.timedelta(seconds=120)) == []


def test_a_hosts_page_url_only_when_the_phone_server_runs(db):
    _evening(db)
    token = links.host_link(db, EVENT, "H1")
    base = "http://10.0.0.5:8765"
    assert links.host_page_url(db, EVENT, "H1", base) == f"{base}/h/{token}"
    assert links.host_page_url(db, EVENT, "H1", None) is None
    assert links.host_page_url(db, EVENT, "N1", base) is None  # not a host
