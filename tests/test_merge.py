"""Merging door laptops' journals and exports: three laptops with overlaps, duplicates and a
torn line; all or nothing; and (hypothesis) idempotent and order independent."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.dialects import sqlite

from checkin.door.engine import check_in
from checkin.door.leave import check_out, undo
from checkin.door.walkins import walk_in
from checkin.errors import InvalidInput
from checkin.journal.writer import FORMAT, Journal
from checkin.merge import merge_files
from checkin.merge.apply import _sqlite_time
from checkin.reports.export import export_attendance
from checkin.store.db import Database, open_database
from checkin.store.models import Assignment, CheckIn, Event, Host, Person, Registration
from checkin.timeutil import as_utc, utcnow
from tests.support.factories import event_with_guests, guest
from tests.support.journals import share_event_key, signed_journal

EVENT = "Merge Evening"
T0 = (utcnow() - dt.timedelta(hours=2)).replace(second=0, microsecond=0)


def guests():
    return [
        guest(2, "Anna", "Müller", ticket_code="1001", first_time=True),
        guest(3, "Bob", "Brown", ticket_code="1002", first_time=True),
        guest(4, "Carl", "Chen", ticket_code="1003", first_time=True),
        guest(5, "Dan", "Dorn", ticket_code="1004", first_time=True),
        guest(6, "Eve", "Eng", ticket_code="1005"),
        guest(7, "Hana", "Host", ticket_code="2001", is_host=True),
        guest(8, "Henk", "Host", ticket_code="2002", is_host=True),
    ]


@pytest.fixture
def fresh(request, db_url, tmp_path):
    """More empty databases on the same backend as ``db``, each with the guest list."""
    made: list[Database] = []

    def make() -> Database:
        if db_url.startswith("sqlite"):
            path = tmp_path / f"extra-{len(made)}-{uuid.uuid4().hex[:6]}.sqlite3"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            url = f"sqlite:///{path}"
        else:
            server = request.getfixturevalue("pg_server")
            url = server.new_database(request.getfixturevalue("pg_template"))
        database = open_database(url)
        made.append(database)
        event_with_guests(database, EVENT, guests())
        share_event_key(database, EVENT)
        return database

    yield make
    for database in made:
        database.dispose()


@pytest.fixture
def laptop(sqlite_template, tmp_path):
    """A door laptop: its own SQLite file with the same guest list."""
    made: list[Database] = []

    def make(name: str) -> Database:
        path = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        database = open_database(f"sqlite:///{path}")
        made.append(database)
        event_with_guests(database, EVENT, guests())
        share_event_key(database, EVENT)
        return database

    yield make
    for database in made:
        database.dispose()


def snapshot(db: Database) -> dict:
    """Everything a merge decides, by codes and emails (ids differ between databases)."""
    with db.read() as s:
        ev = s.scalar(select(Event.id).where(Event.name == EVENT))
        regs = s.execute(
            select(Registration, Person)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == ev)
        ).all()
        code = {r.id: r.code for r, _ in regs}
        people = {r.code: _person_row(r, p) for r, p in regs}
        log = sorted(
            (c.id, code[c.registration_id], c.action, c.at, c.device, c.nonce, c.ref_id or "")
            for c in s.scalars(select(CheckIn).where(CheckIn.event_id == ev))
        )
        hosts = {
            h.id: (code[h.registration_id], h.load)
            for h in s.scalars(select(Host).where(Host.event_id == ev))
        }
        hosting = sorted(
            (code[a.newcomer_id], hosts[a.host_id][0], a.created_at, a.status, a.ended_at or T0)
            for a in s.scalars(select(Assignment).where(Assignment.event_id == ev))
        )
    return {"people": people, "log": log, "hosting": hosting, "hosts": sorted(hosts.values())}


def _person_row(r: Registration, p: Person) -> tuple:
    # An imported registration's time is when that database imported the list: not merged.
    created = r.created_at if r.source in ("walkin", "merge") else None
    projection = (r.checked_in_at, r.checked_in_device, r.checkin_id, r.checked_out_at)
    details = (p.first_name, p.last_name, p.email, p.company, p.interests)
    return (r.status, r.source, created, *projection, r.first_time, r.first_time_flag, *details)


def _at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def _three_laptops(laptop, folder: Path) -> dict[str, Database]:
    a, b, c = laptop("a"), laptop("b"), laptop("c")
    folder.mkdir(exist_ok=True)  # the stick is in
    ja, jb, jc = (
        Journal.for_event(d, EVENT, folder, n)
        for d, n in ((a, "Door 1"), (b, "Door 2"), (c, "Door 3"))
    )
    check_in(a, EVENT, "2001", device="Door 1", now=_at(0), journal=ja)  # Hana hosts at door 1
    check_in(a, EVENT, "1001", device="Door 1", now=_at(1), journal=ja)
    check_in(a, EVENT, "1002", device="Door 1", now=_at(2), journal=ja)
    check_in(b, EVENT, "1001", device="Door 2", now=_at(5), journal=jb)  # Anna again
    check_in(b, EVENT, "1002", device="Door 2", now=_at(20), journal=jb)  # Bob again
    check_in(b, EVENT, "1003", device="Door 2", now=_at(10), journal=jb)
    check_out(b, EVENT, "1003", device="Door 2", now=_at(40), journal=jb)
    check_in(c, EVENT, "1004", device="Door 3", now=_at(15), journal=jc)
    undo(c, EVENT, "1004", device="Door 3", journal=jc)
    # Walk-ins: Zoë registers at door 1, then (later) again at door 2; two John Smiths.
    walk_in(a, EVENT, name="Zoë Ångström", email="zoe@example.com", device="Door 1", journal=ja)
    walk_in(b, EVENT, name="Zoe Angstrom", email="ZOE@example.com", device="Door 2", journal=jb)
    walk_in(a, EVENT, name="John Smith", device="Door 1", journal=ja)
    walk_in(c, EVENT, name="John Smith", device="Door 3", journal=jc)
    for j in (ja, jb, jc):
        j.close()
    with open(jc.path, "ab") as fh:
        fh.write(b'{"type":"checkin","id":"4b1d')  # door 3's laptop lost power here
    return {"a": a, "b": b, "c": c, "paths": [ja.path, jb.path, jc.path]}


def _reg(db: Database, **where) -> list[tuple]:
    with db.read() as s:
        q = select(Registration, Person).join(Person, Person.id == Registration.person_id)
        for key, value in where.items():
            column = getattr(Person if hasattr(Person, key) else Registration, key)
            q = q.where(column == value)
        return s.execute(q).all()


def test_three_laptops_merge_into_one(db, laptop, fresh, tmp_path):
    event_with_guests(db, EVENT, guests())
    share_event_key(db, EVENT)
    setup = _three_laptops(laptop, tmp_path / "stick")
    paths = setup["paths"]
    report = merge_files(db, EVENT, [tmp_path / "stick"])  # a folder: all its journals
    c_path = paths[2]
    assert f"file {c_path}: line 5 is incomplete and was skipped" in report.as_json()["notes"]
    assert report.added == 13 and report.already == 0
    assert report.duplicates == 3  # Anna and Bob at door 2, Zoë's second walk-in
    assert report.guests_created == 3  # Zoë once, John Smith twice
    with db.read() as s:
        rows = {c: n for c, n in s.execute(
            select(Registration.code, func.count(CheckIn.id))
            .join(CheckIn, CheckIn.registration_id == Registration.id)
            .group_by(Registration.code)
        )}  # fmt: skip
    assert rows["1001"] == 2 and rows["1002"] == 2  # the duplicates stay in the log

    (anna, _), = _reg(db, code="1001")  # fmt: skip
    assert anna.checked_in_at == _at(1) and anna.checked_in_device == "Door 1"
    assert anna.first_time is True
    (bob, _), = _reg(db, code="1002")  # fmt: skip
    assert bob.checked_in_at == _at(2)
    (carl, _), = _reg(db, code="1003")  # fmt: skip
    assert carl.checked_in_at == _at(10) and carl.checked_out_at == _at(40)
    (dan, _), = _reg(db, code="1004")  # fmt: skip
    assert dan.checked_in_at is None and dan.first_time is None  # undone at door 3

    zoes = _reg(db, email_key="zoe@example.com")
    assert len(zoes) == 1  # matched by email across doors
    zoe, zoe_person = zoes[0]
    (door1_zoe, _), = _reg(setup["a"], email_key="zoe@example.com")  # fmt: skip
    assert zoe.code == door1_zoe.code  # the earliest walk-in's code
    assert zoe_person.first_name == "Zoë"  # and spelling
    assert zoe.source == "walkin" and zoe.checked_in_device == "Door 1"
    assert len(_reg(db, first_name="John", last_name="Smith")) == 2  # never matched by name

    with db.read() as s:
        hosted = s.execute(
            select(Registration.code, Assignment.status).join(
                Assignment, Assignment.newcomer_id == Registration.id
            )
        ).all()
    assert ("1001", "active") in hosted  # Anna's host from door 1 came along

    before = snapshot(db)
    again = merge_files(db, EVENT, paths)
    assert again.added == 0 and again.already == 13
    assert snapshot(db) == before

    other = fresh()
    for path in reversed(paths):
        merge_files(other, EVENT, [path])
    assert snapshot(other) == before


def test_a_corrupt_file_merges_nothing(db, laptop, tmp_path):
    event_with_guests(db, EVENT, guests())
    share_event_key(db, EVENT)
    paths = _three_laptops(laptop, tmp_path / "stick")["paths"]
    lines = paths[1].read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:40]  # damaged in the middle, not torn at the end
    paths[1].write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=rf"{paths[1].name}: line 3"):
        merge_files(db, EVENT, paths)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 0
        assert s.scalar(select(func.count()).select_from(Registration)) == len(guests())


def test_another_events_journal_is_refused(db, tmp_path):
    event_with_guests(db, EVENT, guests())
    share_event_key(db, EVENT)
    journal = Journal(tmp_path, event="Other Night", event_date=None, device="Door 1")
    journal.append([])
    journal.append([{"type": "checkin", "id": "x", "nonce": "y", "at": T0.isoformat()}])
    with pytest.raises(InvalidInput, match="Other Night"):
        merge_files(db, EVENT, [journal.path])


def test_an_export_and_its_journal_count_once_in_either_order(db, laptop, fresh, tmp_path):
    event_with_guests(db, EVENT, guests())
    share_event_key(db, EVENT)
    b = laptop("b")
    (tmp_path / "stick").mkdir()
    journal = Journal.for_event(b, EVENT, tmp_path / "stick", "Door 2")
    check_in(b, EVENT, "1001", device="Door 2", now=_at(3), journal=journal)
    walk_in(b, EVENT, name="Wanda Walker", email="wanda@example.com", device="Door 2",
            journal=journal)  # fmt: skip
    export = tmp_path / "door2.json"
    export_attendance(b, EVENT, export, "json")
    merge_files(db, EVENT, [export])
    merge_files(db, EVENT, [journal.path])
    other = fresh()
    merge_files(other, EVENT, [journal.path, export])
    assert snapshot(db) == snapshot(other)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 2
        nonces = set(s.scalars(select(CheckIn.nonce)))
    assert not any(n.startswith("export:") for n in nonces)  # the real records won
    (wanda, _), = _reg(db, email_key="wanda@example.com")  # fmt: skip
    assert wanda.source == "walkin" and wanda.checked_in_device == "Door 2"


def test_an_export_alone_is_merged_and_merging_it_twice_changes_nothing(db, laptop, tmp_path):
    event_with_guests(db, EVENT, guests())
    share_event_key(db, EVENT)
    b = laptop("b")
    check_in(b, EVENT, "1003", device="Door 2", now=_at(7))
    export = tmp_path / "door2.json"
    export_attendance(b, EVENT, export, "json")
    first = merge_files(db, EVENT, [export])
    second = merge_files(db, EVENT, [export])
    assert first.added == 1 and second.added == 0
    (carl, _), = _reg(db, code="1003")  # fmt: skip
    assert carl.checked_in_at == _at(7) and carl.checked_in_device == "Door 2"


# ---- property tests -----------------------------------------------------------------------

WALKERS = [
    ("w1@example.com", "Wanda", "Walker"),
    ("w2@example.com", "Will", "Wu"),
    (None, "Nia", "Noemail"),
]
BASE = ["1001", "1002", "1003", "1004", "1005"]
HOSTS = ["2001", "2002"]

# Few guests, few minutes: doors collide on the same people, times and assignments often.
action = st.tuples(
    st.sampled_from(["checkin"] * 3 + ["undo", "checkout"] + ["walkin", "assign"] * 2),
    st.integers(0, 2),  # which guest (or walk-in, or host)
    st.integers(0, 30),  # minutes after the doors opened
    st.sampled_from(["active", "met", "released"]),
)
doors = st.lists(st.lists(action, max_size=7), min_size=2, max_size=3)


def _ident(code, email, first, last) -> dict:
    return {"code": code, "email": email, "external_id": None, "first_name": first,
            "last_name": last}  # fmt: skip


def _base(code: str) -> dict:
    return _ident(code, f"g{code}@example.org", "Guest", code)


def write_journal(folder: Path, door: int, actions: list[tuple]) -> Path:
    device = f"Door {door}"
    lines = [{"type": "header", "format": FORMAT, "version": 1, "event": EVENT,
              "device": device}]  # fmt: skip
    last_checkin: dict[str, str] = {}
    walkins: dict[int, tuple[str, str]] = {}
    for n, (kind, who, minute, status) in enumerate(actions):
        at = _at(minute + door / 100)  # doors' clocks differ a little
        rid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{door}/{n}"))
        base = {"id": rid, "nonce": f"n-{rid}", "at": at.isoformat(), "device": device}
        if kind == "walkin":
            email, first, last = WALKERS[who % 3]
            code, registered = walkins.setdefault(who % 3, (f"WD{door}X{who % 3}", at.isoformat()))
            # The same person typed differently at each door: the earliest must win.
            person = _ident(code, email, first, f"{last}{door}")
            person.update(company=f"Co {door}", job_title=None, interests="AI",
                          first_time_flag=door % 2 == 0, registered_at=registered)  # fmt: skip
            lines.append({**base, "type": "walkin", "guest": person})
            last_checkin[code] = rid
        elif kind == "assign":
            # The same assignment (newcomer, host, minute) seen at several doors, differently.
            created = _at(minute % 4)
            host = HOSTS[(minute // 4) % 2]
            ended = None if status == "active" else (at + dt.timedelta(minutes=5)).isoformat()
            change = {"newcomer": _base(BASE[who]), "host": _base(host),
                      "created_at": created.isoformat(), "status": status, "ended_at": ended,
                      "device": device, "introductions": [_base(BASE[(who + 1) % 5])],
                      "shared_interests": "", "score": 0}  # fmt: skip
            lines.append({**base, "type": "met", "guest": _base(BASE[who]),
                          "assignments": [change]})  # fmt: skip
        else:
            code = BASE[who]
            record = {**base, "type": kind, "guest": _base(code)}
            if kind == "undo":
                if code not in last_checkin:
                    continue
                record["ref"] = last_checkin.pop(code)
            if kind == "checkin":
                last_checkin[code] = rid
            lines.append(record)
    path = folder / f"merge-evening__door-{door}.jsonl"
    path.write_bytes(signed_journal(lines))
    return path


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(doors=doors, order=st.randoms(use_true_random=False))
def test_merge_is_idempotent_and_order_independent(fresh, doors, order):
    with tempfile.TemporaryDirectory() as tmp:
        paths = [write_journal(Path(tmp), i + 1, acts) for i, acts in enumerate(doors)]
        together = fresh()
        merge_files(together, EVENT, paths)
        expected = snapshot(together)

        one_by_one = fresh()
        shuffled = list(paths)
        order.shuffle(shuffled)
        for path in shuffled:
            merge_files(one_by_one, EVENT, [path])
        assert snapshot(one_by_one) == expected  # commutative

        merge_files(together, EVENT, list(reversed(paths)))
        merge_files(together, EVENT, [paths[0]])
        assert snapshot(together) == expected  # idempotent


def test_an_undo_that_arrives_before_its_check_in_still_applies(fresh, tmp_path):
    ci = ("checkin", 0, 10, "active")
    undo_ = ("undo", 0, 12, "active")
    path = write_journal(tmp_path, 1, [ci, undo_])
    header, checkin, undo_line = path.read_text(encoding="utf-8").splitlines()
    first = tmp_path / "first.jsonl"
    second = tmp_path / "second.jsonl"
    first.write_text(f"{header}\n{undo_line}\n", encoding="utf-8")
    second.write_text(f"{header}\n{checkin}\n", encoding="utf-8")
    target = fresh()
    merge_files(target, EVENT, [first])
    merge_files(target, EVENT, [second])
    (anna, _), = _reg(target, code="1001")  # fmt: skip
    assert anna.checked_in_at is None
    with target.read() as s:
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 2


def test_hosts_given_at_two_doors_settle_the_same_in_every_order(fresh, tmp_path):
    # Door 1 gives Anna to Hana, door 2 later to Henk; door 3 saw Hana mark her met.
    files = [
        write_journal(tmp_path, 1, [("checkin", 0, 0, ""), ("assign", 0, 0, "active")]),
        write_journal(tmp_path, 2, [("assign", 0, 5, "active")]),
        write_journal(tmp_path, 3, [("assign", 0, 0, "met")]),
    ]
    together = fresh()
    merge_files(together, EVENT, files)
    expected = snapshot(together)
    statuses = sorted((h[1], h[3]) for h in expected["hosting"])
    assert statuses == [("2001", "met"), ("2002", "active")]  # the door's own end wins
    for order in itertools.permutations(files):
        target = fresh()
        for path in order:
            merge_files(target, EVENT, [path])
        assert snapshot(target) == expected, order


def test_a_newcomer_hosted_at_two_doors_keeps_the_later_host(fresh, tmp_path):
    files = [
        write_journal(tmp_path, 1, [("checkin", 0, 0, ""), ("assign", 0, 0, "active")]),
        write_journal(tmp_path, 2, [("assign", 0, 5, "active")]),
    ]
    target = fresh()
    for path in reversed(files):
        merge_files(target, EVENT, [path])
    statuses = sorted((h[1], h[3]) for h in snapshot(target)["hosting"])
    assert statuses == [("2001", "superseded"), ("2002", "active")]
    assert ("2002", 1) in snapshot(target)["hosts"]  # Henk's load follows


# ---- the bulk writes ------------------------------------------------------------------------


def test_merged_times_are_stored_exactly_as_the_door_stores_them(db, tmp_path):
    """The merge writes its rows straight to the driver: its times must be the very values
    SQLAlchemy writes (SQLite compares them as text), whatever offset the file used."""
    event_with_guests(db, EVENT, guests())
    share_event_key(db, EVENT)
    berlin = dt.timezone(dt.timedelta(hours=2))
    whole = _at(3).astimezone(berlin)  # a whole second, in another offset
    fine = _at(4) + dt.timedelta(microseconds=7)
    lines = [{"type": "header", "format": FORMAT, "version": 1, "event": EVENT,
              "device": "Door 1"}]  # fmt: skip
    for n, (code, at) in enumerate((("1001", whole), ("1002", fine))):
        rid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"times/{n}"))
        lines.append({"type": "checkin", "id": rid, "nonce": rid, "at": at.isoformat(),
                      "device": "Door 1", "guest": _base(code)})  # fmt: skip
    path = tmp_path / "door-1.jsonl"
    path.write_bytes(signed_journal(lines))
    merge_files(db, EVENT, [path])
    check_in(db, EVENT, "1003", device="Door 1", now=whole)  # the same times, as doors write
    check_in(db, EVENT, "1004", device="Door 1", now=fine)
    with db.read() as s:  # raw values, as the driver hands them back
        log = dict(s.execute(text(
            "SELECT r.code, c.at FROM checkin c JOIN registration r ON r.id = c.registration_id"
        )).all())  # fmt: skip
        seen = dict(s.execute(text("SELECT code, checked_in_at FROM registration")).all())
    assert log["1001"] == log["1003"] and log["1002"] == log["1004"]
    assert seen["1001"] == seen["1003"] and seen["1002"] == seen["1004"]
    (anna, _), = _reg(db, code="1001")  # fmt: skip
    assert anna.checked_in_at == whole and anna.first_time is True


def test_the_driver_writes_times_in_sqlalchemys_own_sqlite_format():
    store = sqlite.DATETIME().bind_processor(sqlite.dialect())
    berlin = dt.timezone(dt.timedelta(hours=2))
    for value in (T0, _at(1.5) + dt.timedelta(microseconds=7), T0.astimezone(berlin),
                  dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=dt.UTC)):  # fmt: skip
        assert _sqlite_time(value) == store(as_utc(value).replace(tzinfo=None))
    assert _sqlite_time(None) is None


def test_a_merge_leaves_the_garbage_collector_as_it_found_it(sqlite_db, tmp_path):
    event_with_guests(sqlite_db, EVENT, guests())
    share_event_key(sqlite_db, EVENT)
    path = write_journal(tmp_path, 1, [("checkin", 0, 1, "active")])
    bad = tmp_path / "bad.jsonl"
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    bad.write_text(f"{header}\ngarbage{{\n{rest}", encoding="utf-8")  # corrupt mid-file
    assert gc.isenabled()
    merge_files(sqlite_db, EVENT, [path])
    assert gc.isenabled()
    with pytest.raises(InvalidInput):
        merge_files(sqlite_db, EVENT, [bad])
    assert gc.isenabled()
    gc.disable()
    try:
        merge_files(sqlite_db, EVENT, [path])
        assert not gc.isenabled()  # the caller's choice stands
    finally:
        gc.enable()
