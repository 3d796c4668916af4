"""Trust between laptops: signed journals, forged and re-dated lines refused and listed, another
database's event refused without its key, hosts over capacity and reused ids reported."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from checkin.cli.main import main
from checkin.door.engine import check_in
from checkin.errors import InvalidInput
from checkin.journal.signing import key_id, signed_line
from checkin.journal.writer import FORMAT, Journal
from checkin.merge import merge_files
from checkin.store.db import Database, open_database
from checkin.store.models import Assignment, CheckIn, Host, Person, Registration
from checkin.timeutil import utcnow
from tests.support.factories import event_with_guests, guest
from tests.support.journals import SHARED_KEY, share_event_key, signed_journal

EVENT = "Trust Evening"
DAY = utcnow().date()
T0 = (utcnow() - dt.timedelta(hours=1)).replace(microsecond=0)
KEY = bytes.fromhex(SHARED_KEY)


def guests(host_capacity: int = 3):
    return [
        guest(2, "Anna", "Müller", ticket_code="1001", first_time=True),
        guest(3, "Bob", "Brown", ticket_code="1002", first_time=True),
        guest(4, "Carl", "Chen", ticket_code="1003", first_time=True),
        guest(5, "Henk", "Host", ticket_code="2001", is_host=True, host_capacity=host_capacity),
    ]


def _event(db: Database, *, shared: bool = True, host_capacity: int = 3) -> Database:
    event_with_guests(db, EVENT, guests(host_capacity), day=DAY)
    if shared:
        share_event_key(db, EVENT)
    return db


@pytest.fixture
def laptop(sqlite_template, tmp_path):
    made: list[Database] = []

    def make(name: str, **kw) -> Database:
        path = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        made.append(open_database(f"sqlite:///{path}"))
        return _event(made[-1], **kw)

    yield make
    for d in made:
        d.dispose()


def _door_journal(db: Database, folder: Path, device: str = "Door 1") -> Journal:
    folder.mkdir(exist_ok=True)
    return Journal.for_event(db, EVENT, folder, device)


def _state(db: Database) -> dict:
    with db.read() as s:
        regs = s.execute(
            select(Registration.code, Registration.checked_in_at, Registration.checked_in_device)
        ).all()
        return {
            "checked_in": sorted((c, at, d) for c, at, d in regs if at is not None),
            "people": s.scalar(select(func.count()).select_from(Person)),
            "log": s.scalar(select(func.count()).select_from(CheckIn)),
        }


def _records(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


OLD = "2020-01-01T10:00:00+00:00"


def _bare(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "sig"}


def _walkin(nonce: str, at: str, person: dict) -> dict:
    return {"type": "walkin", "id": str(uuid.uuid4()), "nonce": nonce, "at": at,
            "device": "Door 1", "guest": person, "first_time": True, "assignments": []}  # fmt: skip


def _raw(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def test_forged_and_redated_lines_are_refused_each_listed_and_change_nothing(db, laptop, tmp_path):
    _event(db)
    door = laptop("door")
    journal = _door_journal(door, tmp_path / "stick")
    check_in(door, EVENT, "1001", device="Door 1", now=T0, journal=journal)
    check_in(door, EVENT, "1002", device="Door 1", now=T0 + dt.timedelta(minutes=5),
             journal=journal)  # fmt: skip
    journal.close()
    _header, anna, bob = _records(journal.path)
    clean = journal.path.read_bytes()
    walkin_guest = {
        "code": "WDFAKE", "email": "x@example.com", "external_id": None, "first_name": "Eve",
        "last_name": "\u202eliam", "company": "=HYPERLINK(\"http://x\")" + "A" * 5000,
        "job_title": None, "interests": "", "first_time_flag": None, "registered_at": None,
    }  # fmt: skip
    new = {"id": str(uuid.uuid4())}
    forged = [
        # a hand-added line, dated 2020, that would take over Anna's check-in (earliest wins)
        _raw({**_bare(anna), **new, "nonce": "f1", "at": OLD, "sig": anna["sig"]}),
        # Bob's own line, re-dated: the signature no longer matches
        _raw({**bob, "at": (T0 - dt.timedelta(hours=3)).isoformat()}),
        # no signature at all: Carl never came
        _raw({**_bare(bob), **new, "nonce": "f3", "guest": {**bob["guest"], "code": "1003"}}),
        # a walk-in from 2099 with a formula, a bidi override and 5,000 characters, unsigned
        _raw(_walkin("f4", "2099-01-01T10:00:00+00:00", walkin_guest)),
        # signed, but with somebody else's key
        signed_line(b"k" * 32, {**_bare(bob), **new, "nonce": "f5"}),
        # signed with the event's key (a door whose clock says 2020): refused for its date
        signed_line(KEY, {**_bare(anna), **new, "nonce": "f6", "at": OLD}),
        # signed, in time, but a walk-in no door could have typed
        signed_line(KEY, _walkin("f7", T0.isoformat(), walkin_guest)),
    ]
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_bytes(clean + b"".join(forged))
    report = merge_files(db, EVENT, [tampered])
    assert len(report.refused) == len(forged)
    for n, line in enumerate(report.refused, start=4):  # header, Anna, Bob, then the forgeries
        assert line.startswith(f"{tampered}: line {n}: refused, ")
    assert "signature does not match" in report.refused[0]
    assert "not signed" in report.refused[2]
    assert "outside the event's day" in report.refused[5]
    assert "longer than 200" in report.refused[6] or "control" in report.refused[6]
    assert report.added == 2
    other = laptop("reference")
    merge_files(other, EVENT, [journal.path])
    assert _state(db)["checked_in"] == _state(other)["checked_in"]
    assert _state(db)["people"] == _state(other)["people"]  # no walk-in was created


def test_no_mutation_of_a_signed_line_gets_in(sqlite_db, laptop, tmp_path):
    _event(sqlite_db)
    door = laptop("door")
    journal = _door_journal(door, tmp_path / "stick")
    check_in(door, EVENT, "1001", device="Door 1", now=T0, journal=journal)
    journal.close()
    _header, anna = _records(journal.path)
    rng = random.Random(7)
    edits = [
        lambda r: r.update(at=(T0 - dt.timedelta(minutes=rng.randint(1, 10**6))).isoformat()),
        lambda r: r.update(guest={**r["guest"], "code": rng.choice(["1002", "1003", "2001"])}),
        lambda r: r.update(device=f"Door {rng.randint(2, 99)}"),
        lambda r: r.update(type=rng.choice(["undo", "checkout", "walkin"]), ref=anna["id"]),
        lambda r: r.update(first_time=not r["first_time"]),
        lambda r: r.update(sig="".join(rng.choice("0123456789abcdef") for _ in range(32))),
    ]
    lines = []
    for n in range(300):
        record = {**anna, "id": str(uuid.UUID(int=rng.getrandbits(128))), "nonce": f"m{n}"}
        rng.choice(edits)(record)
        lines.append(_raw(record))
    path = tmp_path / "mutated.jsonl"
    path.write_bytes(journal.path.read_bytes() + b"".join(lines))
    report = merge_files(sqlite_db, EVENT, [path])
    admitted = report.added - 1  # Anna's real line
    print(f"\nforged tried {len(lines)}, admitted {admitted}")
    assert admitted == 0 and len(report.refused) == len(lines)


def test_another_databases_journal_is_refused_until_its_key_is_set(db, laptop, tmp_path):
    _event(db, shared=False)
    stranger = laptop("stranger", shared=False)  # never given this event's key
    journal = _door_journal(stranger, tmp_path / "stick")
    check_in(stranger, EVENT, "1001", device="Door 9", now=T0, journal=journal)
    journal.close()
    before = _state(db)
    with pytest.raises(InvalidInput, match="another database's event") as refused:
        merge_files(db, EVENT, [journal.path])
    assert "checkin event key" in str(refused.value)
    assert _state(db) == before
    # The organiser copies the stranger laptop's key here, then merges.
    with stranger.read() as s:
        from checkin.journal.signing import event_key

        ev = s.scalar(select(Registration.event_id).limit(1))
        their_key = event_key(s, ev).hex()
    own_door = _door_journal(db, tmp_path / "own")
    check_in(db, EVENT, "1002", device="Door 1", now=T0, journal=own_door)
    own_door.close()
    rc = main(["--database", db.url, "event", "key", "--event", EVENT, "--set", their_key])
    assert rc == 0
    report = merge_files(db, EVENT, [journal.path, own_door.path])  # the old key stays trusted
    assert report.added == 1 and report.already == 1 and not report.refused


def test_unsigned_journals_merge_only_with_the_explicit_flag(db, tmp_path):
    _event(db)
    old = tmp_path / "old.jsonl"
    header = {"type": "header", "format": FORMAT, "version": 1, "event": EVENT, "device": "D"}
    line = {"type": "checkin", "id": str(uuid.uuid4()), "nonce": "n", "at": T0.isoformat(),
            "device": "D", "guest": {"code": "1001"}}  # fmt: skip
    old.write_bytes(signed_journal([header, line], key=None))
    with pytest.raises(InvalidInput, match="--accept-unsigned"):
        merge_files(db, EVENT, [old])
    report = merge_files(db, EVENT, [old], accept_unsigned=True)
    assert report.added == 1 and any("not signed" in n for n in report.as_json()["notes"])


def test_two_doors_filling_one_host_keep_both_and_mark_the_later_over_capacity(
    db, laptop, tmp_path, capsys
):
    _event(db, host_capacity=1)
    a, b = laptop("a", host_capacity=1), laptop("b", host_capacity=1)
    ja, jb = _door_journal(a, tmp_path / "s", "Door 1"), _door_journal(b, tmp_path / "s", "Door 2")
    check_in(a, EVENT, "2001", device="Door 1", now=T0, journal=ja)
    check_in(b, EVENT, "2001", device="Door 2", now=T0, journal=jb)
    anna = check_in(a, EVENT, "1001", device="Door 1", now=T0 + dt.timedelta(minutes=1),
                    journal=ja)  # fmt: skip
    bob = check_in(b, EVENT, "1002", device="Door 2", now=T0 + dt.timedelta(minutes=2),
                   journal=jb)  # fmt: skip
    assert anna.host is not None and bob.host is not None  # each door gave Henk his one place
    ja.close(), jb.close()
    report = merge_files(db, EVENT, [jb.path, ja.path])
    assert any("host 2001 has 2 newcomers at once, capacity 1" in c for c in report.conflicts)
    with db.read() as s:
        rows = s.execute(
            select(Registration.code, Assignment.status, Assignment.over_capacity)
            .join(Registration, Registration.id == Assignment.newcomer_id)
            .order_by(Registration.code)
        ).all()
        load = s.scalar(select(Host.load))
    assert [tuple(r) for r in rows] == [("1001", "active", False), ("1002", "active", True)]
    assert load == 2
    rc = main(["--database", db.url, "hosts", "-e", EVENT, "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 0 and [o["newcomer"]["code"] for o in doc["over_capacity"]] == ["1002"]
    main(["--database", db.url, "hosts", "-e", EVENT])
    assert "Henk Host is over capacity (1): Bob Brown was also sent" in capsys.readouterr().out
    # The other order gives the same marks.
    other = laptop("other", host_capacity=1)
    merge_files(other, EVENT, [ja.path])
    merge_files(other, EVENT, [jb.path])
    with other.read() as s:
        marked = (
            s.execute(
                select(Registration.code)
                .join(Assignment, Assignment.newcomer_id == Registration.id)
                .where(Assignment.over_capacity.is_(True))
            )
            .scalars()
            .all()
        )
    assert marked == ["1002"]


def test_a_record_reusing_a_known_id_with_other_content_is_reported(db, laptop, tmp_path):
    _event(db)
    door = laptop("door")
    journal = _door_journal(door, tmp_path / "stick")
    check_in(door, EVENT, "1001", device="Door 1", now=T0, journal=journal)
    journal.close()
    merge_files(db, EVENT, [journal.path])
    header, anna = _records(journal.path)
    unsigned = {k: v for k, v in anna.items() if k != "sig"}
    reused = {**unsigned, "nonce": "other", "at": (T0 + dt.timedelta(minutes=9)).isoformat(),
              "guest": {**anna["guest"], "code": "1002"}}  # fmt: skip
    path = tmp_path / "reused.jsonl"
    hdr = {k: v for k, v in header.items() if k != "sig"}
    path.write_bytes(signed_line(KEY, hdr) + signed_line(KEY, reused))
    assert hdr["key_id"] == key_id(KEY)
    before = _state(db)
    report = merge_files(db, EVENT, [path])
    assert report.added == 0 and not report.refused
    (conflict,) = report.conflicts
    assert conflict.startswith(f"record {anna['id']} is already here with other content")
    assert "another guest" in conflict and "time" in conflict
    assert _state(db) == before


def test_event_key_command_shows_the_key_the_doors_sign_with(db, tmp_path, capsys):
    _event(db, shared=False)
    assert main(["--database", db.url, "event", "key", "--event", EVENT, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    journal = _door_journal(db, tmp_path / "stick")
    assert journal.key is not None and shown["key"] == journal.key.hex()
    assert shown["key_id"] == key_id(journal.key)
    assert main(["--database", db.url, "event", "key", "--event", EVENT, "--set", "nothex"]) == 1
    assert "64 hexadecimal characters" in capsys.readouterr().err
