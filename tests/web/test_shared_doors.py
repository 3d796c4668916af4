"""Every door on a shared database reaches the phones: a check-in by another door (another
Database, as another process or laptop has) wakes the phone server running on a thread,
as it does inside the desktop app — SQLite's data version, PostgreSQL's LISTEN/NOTIFY."""

from __future__ import annotations

import queue

from checkin.door.engine import check_in
from checkin.hosting import links
from checkin.store.db import open_database
from tests.support.factories import event_with_guests, guest
from web.hub import HubSettings
from web.server import PhoneServer
from web.watch import watch_for

EVENT = "Shared Evening"


def _evening(db) -> int:
    rows = [
        guest(2, "Hana", "Host", ticket_code="H1", is_host=True, interests=("AI",)),
        guest(3, "Nora", "Newby", ticket_code="N1", first_time=True, interests=("AI",)),
    ]
    event_with_guests(db, EVENT, rows)
    check_in(db, EVENT, "H1")
    with db.read() as s:
        from checkin.events import find_event

        return find_event(s, EVENT).id


def test_the_watch_wakes_on_another_doors_commit(db):
    _evening(db)
    watch = watch_for(db)
    try:
        assert not watch.wait(0.3)
        other_door = open_database(db.url)
        check_in(other_door, EVENT, "N1", device="Door 2")
        other_door.dispose()
        assert watch.wait(5)
    finally:
        watch.close()


def test_a_phone_server_on_a_thread_sees_another_doors_assignment(db):
    event_id = _evening(db)
    pushed: queue.Queue = queue.Queue()
    settings = HubSettings(on_push=lambda host_id, state: pushed.put(state))
    server = PhoneServer(db, event_id, port=0, settings=settings)
    server.start()
    try:
        links.resolve(db, links.host_link(db, EVENT, "H1"))
        other_door = open_database(db.url)
        check_in(other_door, EVENT, "N1", device="Door 2")
        other_door.dispose()
        names = []
        while "Nora Newby" not in names:
            state = pushed.get(timeout=10)
            names = [n["name"] for n in state["newcomers"]]
    finally:
        server.stop()
    assert not server._thread.is_alive()  # it stops with the app


def test_a_state_read_before_a_check_in_never_replaces_the_one_read_after(db, monkeypatch):
    """Two refreshes at once (a phone connecting while a door commits): the older read
    finishing last must not leave the phone showing the past."""
    import threading

    from web import hub as hub_module
    from web.hub import Hub

    event_id = _evening(db)
    real = links.phone_views
    read_old, go = threading.Event(), threading.Event()

    def slow_first(*args, **kw):
        views = real(*args, **kw)
        if not read_old.is_set():
            read_old.set()
            go.wait(5)
        return views

    monkeypatch.setattr(hub_module.links, "phone_views", slow_first)
    hub = Hub(db, event_id)
    older = threading.Thread(target=hub._refresh)
    older.start()
    read_old.wait(5)
    check_in(db, EVENT, "N1")
    newer = threading.Thread(target=hub._refresh)
    newer.start()
    newer.join(0.5)
    go.set()
    older.join(5)
    newer.join(5)
    (host_id,) = links.phone_views(db, event_id)
    assert [n["name"] for n in hub.state(host_id)["newcomers"]] == ["Nora Newby"]
