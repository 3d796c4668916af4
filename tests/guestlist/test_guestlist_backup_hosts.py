"""A guest-list column for regulars happy to welcome a newcomer if the hosts run short."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from checkin.door.engine import check_in
from checkin.events import create_event
from checkin.guestlist.importer import import_guest_list
from checkin.guestlist.reading import read_guest_list
from checkin.store.models import Host, Registration

EVENT = "Founders & Coffee"


def _hosts(db) -> dict[str, tuple[bool, int]]:
    with db.read() as s:
        rows = s.execute(select(Registration.code, Host.backup, Host.capacity).join(Host))
        return {code: (backup, capacity) for code, backup, capacity in rows}


@pytest.mark.parametrize(
    "header",
    [
        "Happy to welcome",
        "Happy to host if needed",
        "Backup host",
        "Backup host?",
        "Would you welcome a newcomer if needed?",  # a custom question, found by its words
    ],
)
def test_the_column_is_found_by_its_usual_names(tmp_path, header):
    path = tmp_path / "list.csv"
    path.write_text(f"Name,Email,Host,{header}\nTom Baker,t@example.org,,yes\n", encoding="utf-8")
    guests = read_guest_list(path)
    assert guests.ok and guests.mapping["backup_host"] == header
    assert guests.mapping["is_host"] == "Host"
    assert guests.rows[0].backup_host and not guests.rows[0].is_host


def test_a_returning_guest_happy_to_welcome_becomes_a_backup_host(db, tmp_path):
    create_event(db, EVENT)
    path = tmp_path / "list.csv"
    path.write_text(
        "Name,Email,Ticket,Host,Happy to welcome,Host capacity,First time\n"
        "Hana Host,h@example.org,H1,yes,,,\n"
        "Tom Baker,t@example.org,B1,,yes,,no\n"
        "Rhea Regular,r@example.org,B2,,Yes,2,\n"
        "Sam Both,s@example.org,H2,yes,yes,,\n"
        "Una Unwilling,u@example.org,R1,,no,,no\n"
        "Nora New,n@example.org,N1,,yes,,yes\n",  # a first-timer cannot welcome anyone yet
        encoding="utf-8",
    )
    summary = import_guest_list(db, EVENT, path)
    assert (summary.hosts, summary.backups) == (2, 2)
    assert any("2 happy to welcome" in line for line in summary.describe())
    assert _hosts(db) == {"H1": (False, 3), "B1": (True, 1), "B2": (True, 2), "H2": (False, 3)}
    # The door proposes the backup for a newcomer with no host here.
    check_in(db, EVENT, "B1")
    waiting = check_in(db, EVENT, "N1")
    assert waiting.queued and waiting.backup_proposal.backup.code == "B1"


def test_a_backup_who_signs_up_as_host_later_becomes_a_full_host(db, tmp_path):
    create_event(db, EVENT)
    path = tmp_path / "list.csv"
    path.write_text(
        "Name,Email,Ticket,Host,Backup host\nTom Baker,t@example.org,B1,,yes\n", encoding="utf-8"
    )
    import_guest_list(db, EVENT, path)
    assert _hosts(db) == {"B1": (True, 1)}
    path.write_text(path.read_text(encoding="utf-8").replace(",,yes", ",yes,"), encoding="utf-8")
    import_guest_list(db, EVENT, path)
    assert _hosts(db) == {"B1": (False, 3)}
