"""A big import is written in short chunks (doors keep answering) and is still all or nothing:
a chunk that fails undoes every earlier chunk, except check-ins that happened meanwhile."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from checkin.door.engine import check_in
from checkin.door.outcomes import OutcomeKind
from checkin.errors import ImportRefused
from checkin.events import create_event
from checkin.guestlist import apply, importer, newguests
from checkin.guestlist.importer import import_guest_list
from checkin.store.models import Person, PersonTag, Registration

EVENT = "Big Night"


def write_list(tmp_path, n: int, company: str = "Acme", name: str = "list.csv"):
    path = tmp_path / name
    rows = [f"Guest{i} Example,g{i}@example.org,{company},C-{i},AI" for i in range(n)]
    path.write_text("Name,Email,Company,Ticket,Interests\n" + "\n".join(rows) + "\n")
    return path


def snapshot(db):
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Person)),
            s.scalar(select(func.count()).select_from(Registration)),
            sorted(s.execute(select(Person.email, Person.company)).all()),
            sorted(s.execute(select(PersonTag.person_id, PersonTag.tag)).all()),
        )


@pytest.fixture
def small_chunks(monkeypatch):
    for name in ("WRITE_CHUNK", "MIN_CHUNK", "MAX_CHUNK"):
        monkeypatch.setattr(importer, name, 3)
    monkeypatch.setattr(importer, "PAUSE_S", 0)


def test_chunks_write_the_same_as_one_transaction(db, tmp_path, small_chunks):
    create_event(db, EVENT)
    summary = import_guest_list(db, EVENT, write_list(tmp_path, 10))
    assert (summary.added, summary.rows) == (10, 10)
    assert snapshot(db)[:2] == (10, 10)
    again = import_guest_list(db, EVENT, write_list(tmp_path, 10))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 10)
    assert check_in(db, EVENT, "C-9").kind is OutcomeKind.CHECKED_IN


def fail_chunk(monkeypatch, n: int, before=None) -> None:
    """The ``n``-th chunk written (by either way of writing one) fails; ``before`` runs
    first, given the chunk's session."""
    calls = []

    def wrap(real):
        def chunk(session, *args):
            calls.append(1)
            if len(calls) == n:
                if before is not None:
                    before(session)
                raise OSError("disk full")
            return real(session, *args)

        return chunk

    monkeypatch.setattr(importer, "apply_plan", wrap(apply.apply_plan))
    monkeypatch.setattr(importer, "write_batch", wrap(newguests.write_batch))


def test_a_failing_chunk_undoes_every_earlier_one(db, tmp_path, small_chunks, monkeypatch):
    create_event(db, EVENT)
    import_guest_list(db, EVENT, write_list(tmp_path, 4))  # 4 guests, 2 chunks
    before = snapshot(db)
    fail_chunk(monkeypatch, 3)
    # 4 updated companies + 6 new guests = 4 chunks; the third fails.
    with pytest.raises(ImportRefused) as refused:
        import_guest_list(db, EVENT, write_list(tmp_path, 10, company="Globex", name="b.csv"))
    assert "failed part-way (OSError)" in str(refused.value.problems[0])
    assert snapshot(db) == before  # new guests gone, changed companies back, tags back


def test_a_check_in_during_the_import_is_never_undone(db, tmp_path, small_chunks, monkeypatch):
    create_event(db, EVENT)

    def door_scans(session):
        session.rollback()  # (the door's scan runs in its own transaction)
        assert check_in(db, EVENT, "C-0").kind is OutcomeKind.CHECKED_IN

    fail_chunk(monkeypatch, 2, door_scans)
    with pytest.raises(ImportRefused) as refused:
        import_guest_list(db, EVENT, write_list(tmp_path, 6))
    assert "except 1 guests checked in at the door meanwhile" in str(refused.value.problems[0])
    with db.read() as s:
        assert s.scalars(select(Registration.code)).all() == ["C-0"]
