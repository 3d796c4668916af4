"""A big list's new guests are made before their chunk's transaction (newguests.py): what a
door does between two chunks — a walk-in taking the next ids, a person appearing with an
email of the list — is seen by the next chunk, and the result is what one transaction
would have written."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from checkin.door.codes import normalise_app_code
from checkin.door.walkins import walk_in
from checkin.events import create_event
from checkin.guestlist import importer, newguests
from checkin.guestlist.importer import import_guest_list
from checkin.guestlist.reading import _lines, read_guest_list
from checkin.store.models import Event, Person, PersonTag, Registration

EVENT, OTHER = "Big Night", "Side Room"


@pytest.fixture
def small_chunks(monkeypatch):
    for name in ("WRITE_CHUNK", "MIN_CHUNK", "MAX_CHUNK"):
        monkeypatch.setattr(importer, name, 3)
    monkeypatch.setattr(importer, "PAUSE_S", 0)


@pytest.fixture
def fast_chunks(monkeypatch):
    """How many chunks went the fast way (so a test knows it tested that way)."""
    calls = []
    real = newguests.write_batch

    def counting(session, batch, *args):
        calls.append(len(batch.rows))
        return real(session, batch, *args)

    monkeypatch.setattr(importer, "write_batch", counting)
    return calls


def write_list(tmp_path, n: int, codes: bool = True):
    path = tmp_path / "list.csv"
    head = "Name,Email,Company,Ticket,Interests" if codes else "Name,Email,Company,Interests"
    rows = [
        f"Guest{i} Example,g{i}@example.org,Acme,C-{i},AI; Hiring"
        if codes
        else f"Guest{i} Example,g{i}@example.org,Acme,AI; Hiring"
        for i in range(n)
    ]
    path.write_text(head + "\n" + "\n".join(rows) + "\n")
    return path


def guests_of(db, event: str) -> dict[str, tuple]:
    """code -> (email, first name, the person's tags) of the event's registrations."""
    with db.read() as s:
        event_id = s.scalar(select(Event.id).where(Event.name == event))
        rows = s.execute(
            select(Registration.code, Person.id, Person.email, Person.first_name)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == event_id)
        ).all()
        tags: dict[int, list[str]] = {}
        for pid, tag in s.execute(select(PersonTag.person_id, PersonTag.tag)):
            tags.setdefault(pid, []).append(tag)
    return {code: (email, first, sorted(tags.get(pid, []))) for code, pid, email, first in rows}


def between_first_chunks(action):
    """A ``between_chunks`` hook that runs ``action`` once, after the first chunk."""
    calls = []

    def hook():
        calls.append(1)
        if len(calls) == 1:
            action()

    return hook


def test_a_walk_in_between_chunks_moves_the_next_chunks_ids_up(
    db, tmp_path, small_chunks, fast_chunks
):
    create_event(db, EVENT)
    create_event(db, OTHER)
    walk = between_first_chunks(lambda: walk_in(db, OTHER, name="Wanda Walkin"))
    import_guest_list(db, EVENT, write_list(tmp_path, 10), between_chunks=walk)
    assert len(fast_chunks) >= 3  # the new guests went the fast way, in several chunks
    guests = guests_of(db, EVENT)
    assert guests == {
        f"C-{i}": (f"g{i}@example.org", f"Guest{i}", ["ai", "hiring"]) for i in range(10)
    }
    (walked,) = guests_of(db, OTHER).values()
    assert walked == (None, "Wanda", [])  # no tags of a guest landed on the walk-in


def test_a_person_known_by_email_since_the_plan_is_that_person(
    db, tmp_path, small_chunks, fast_chunks
):
    create_event(db, EVENT)
    create_event(db, OTHER)
    # Another door registers g7 for its own event while the first chunk is written.
    walk = between_first_chunks(
        lambda: walk_in(db, OTHER, name="Guest7 Example", email="g7@example.org")
    )
    import_guest_list(db, EVENT, write_list(tmp_path, 10), between_chunks=walk)
    assert fast_chunks
    with db.read() as s:
        people = s.scalars(select(Person.id).where(Person.email == "g7@example.org")).all()
        assert len(people) == 1  # one person, at both events
        events = s.scalars(select(Registration.event_id).where(Registration.person_id == people[0]))
        assert len(set(events)) == 2
    assert len(guests_of(db, EVENT)) == 10


def test_codes_issued_to_new_guests_are_app_codes(db, tmp_path, small_chunks, fast_chunks):
    create_event(db, EVENT)
    summary = import_guest_list(db, EVENT, write_list(tmp_path, 8, codes=False), issue_codes=True)
    assert fast_chunks
    with db.read() as s:
        regs = s.execute(select(Registration.code, Registration.code_issued)).all()
    assert summary.codes_issued == 8
    assert len({code for code, _ in regs}) == 8
    assert all(issued and normalise_app_code(code) == code for code, issued in regs)


def test_the_door_gets_a_turn_between_every_two_chunks(db, tmp_path, small_chunks, fast_chunks):
    create_event(db, EVENT)
    turns = []
    import_guest_list(db, EVENT, write_list(tmp_path, 10), between_chunks=lambda: turns.append(1))
    assert len(turns) == len(fast_chunks) >= 3


def test_a_guest_row_has_no_per_row_dict(tmp_path):
    # 200,000 of them are held during an import: a __dict__ each is ~100 MB more.
    row = read_guest_list(write_list(tmp_path, 1)).rows[0]
    assert not hasattr(row, "__dict__")


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1,2\n",
        "a,b\r\n1,2\r\n3,4",
        'a,b\n"two\nlines",x\n\n',
        "a,b\r1,2\r3,4\r",  # old Mac line ends
        "a\r\nb\rc\nd",
        "",
        "no newline at all",
    ],
)
def test_lines_are_split_as_io_splits_them(text):
    assert list(_lines(text)) == list(io.StringIO(text, newline=""))


_KILLED_IMPORT = """
import os, sys
from checkin.guestlist import importer, newguests
from checkin.guestlist.importer import import_guest_list
from checkin.store.db import open_database

for name in ("WRITE_CHUNK", "MIN_CHUNK", "MAX_CHUNK"):
    setattr(importer, name, 3)
real, calls = newguests.write_batch, []

def dies_in_the_third_chunk(session, batch, *args):
    done = real(session, batch, *args)
    calls.append(1)
    if len(calls) == 3:
        session.flush()
        os._exit(9)  # the power goes with the third chunk's rows written, not committed
    return done

importer.write_batch = dies_in_the_third_chunk
import_guest_list(open_database(sys.argv[1]), sys.argv[2], sys.argv[3])
"""


def test_importing_again_completes_an_import_killed_mid_chunk(db, db_url, tmp_path):
    create_event(db, EVENT)
    path = write_list(tmp_path, 10)
    root = Path(__file__).resolve().parents[2]
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_IMPORT, db_url, EVENT, str(path)],
        cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True,
    )  # fmt: skip
    assert killed.returncode == 9, killed.stderr
    assert len(guests_of(db, EVENT)) == 6  # two whole chunks, nothing of the third
    with db.read() as s:
        assert len(s.scalars(select(Person.id)).all()) == 6
    summary = import_guest_list(db, EVENT, path)
    assert (summary.added, summary.unchanged) == (4, 6)
    assert guests_of(db, EVENT) == {
        f"C-{i}": (f"g{i}@example.org", f"Guest{i}", ["ai", "hiring"]) for i in range(10)
    }
    with db.read() as s:
        assert len(s.scalars(select(Person.id)).all()) == 10  # nobody twice


def test_after_an_import_every_door_connection_checkpoints_again(
    sqlite_db, tmp_path, small_chunks, fast_chunks
):
    # The import's chunks leave the log's copying to the gaps between them; a door's
    # commit on any connection afterwards must checkpoint as SQLite does by default.
    create_event(sqlite_db, EVENT)
    import_guest_list(sqlite_db, EVENT, write_list(tmp_path, 10))
    assert fast_chunks
    held = [sqlite_db.engine.raw_connection() for _ in range(3)]
    try:
        settings = [
            c.driver_connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] for c in held
        ]
    finally:
        for c in held:
            c.close()
    assert settings == [1000, 1000, 1000]


def test_a_new_guest_row_holds_what_apply_plan_would_write_in_its_columns():
    """The fast rows take their values from plan.person_fields / reg_fields: a field added
    there and not to the column lists would be written into the wrong column, or lost."""
    from checkin.guestlist.plan import person_fields, reg_fields
    from checkin.guestlist.rows import GuestRow

    row = GuestRow(2, "Zoë", "Ångström", "zoe@example.org", ticket_code="T1", company="Acme")
    person, reg = person_fields(row), reg_fields(row)
    assert newguests.PERSON_COLUMNS[1 : 1 + len(person)] == tuple(person)
    assert newguests.REG_COLUMNS[-len(reg) :] == tuple(reg)
    assert len(newguests.PERSON_COLUMNS) == 1 + len(person) + 4
    assert len(newguests.REG_COLUMNS) == 8 + len(reg)
