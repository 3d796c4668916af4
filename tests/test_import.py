"""Guest lists into the database: real exports, all or nothing, re-import without duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from checkin.door.engine import check_in
from checkin.door.outcomes import OutcomeKind
from checkin.door.search import search_guests
from checkin.errors import ImportRefused
from checkin.events import create_event
from checkin.guestlist.importer import import_guest_list
from checkin.store.models import Host, Person, Registration

DATA = Path(__file__).parent / "data" / "guestlists"
EVENT = "Founders & Coffee"


def _counts(db) -> tuple[int, int]:
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Person)),
            s.scalar(select(func.count()).select_from(Registration)),
        )


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("eventbrite_attendee_report.csv", "eventbrite"),
        ("meetup_rsvps.csv", "meetup"),
        ("pretix_order_positions.csv", "pretix"),
        ("excel_semicolon_cp1252.csv", "generic"),
        ("excel_unicode_text_utf16.txt", "generic"),
    ],
)
def test_real_exports_import_without_hand_mapping(db, name, fmt):
    create_event(db, EVENT)
    summary = import_guest_list(db, EVENT, DATA / name)
    assert summary.format == fmt
    assert summary.added > 0 and summary.added == summary.rows
    # Importing the same file again changes nothing and duplicates nothing.
    before = _counts(db)
    again = import_guest_list(db, EVENT, DATA / name)
    assert again.added == 0 and again.updated == 0 and again.unchanged == summary.rows
    assert _counts(db) == before


def test_eventbrite_codes_scan_and_cancelled_rows_are_refused_at_the_door(db):
    create_event(db, EVENT)
    import_guest_list(db, EVENT, DATA / "eventbrite_attendee_report.csv")
    o = check_in(db, EVENT, "0105871234561701192340001")  # the barcode, leading zero kept
    assert o.kind is OutcomeKind.CHECKED_IN and o.guest.name == "Amara Okafor"
    with db.read() as s:
        cancelled = s.scalars(
            select(Registration.code).where(Registration.status == "cancelled")
        ).all()
        hosts = s.scalar(select(func.count()).select_from(Host))
    assert cancelled and hosts >= 1
    assert check_in(db, EVENT, cancelled[0]).kind is OutcomeKind.CANCELLED


def test_semicolon_windows_1252_names_are_right(db):
    create_event(db, EVENT)
    import_guest_list(db, EVENT, DATA / "excel_semicolon_cp1252.csv")
    assert search_guests(db, EVENT, "muller")[0].name.endswith("Müller")


def test_broken_file_imports_nothing_and_says_where(db):
    create_event(db, EVENT)
    before = _counts(db)
    with pytest.raises(ImportRefused) as refused:
        import_guest_list(db, EVENT, DATA / "broken_several_problems.csv")
    problems = refused.value.problems
    assert len(problems) >= 3
    assert all(p.row is not None or p.column is None for p in problems)
    assert any("email" in p.message.lower() for p in problems)
    assert _counts(db) == before


def test_multiline_cells_count_as_one_spreadsheet_row(db):
    create_event(db, EVENT)
    with pytest.raises(ImportRefused) as refused:
        import_guest_list(db, EVENT, DATA / "google_forms_multiline.csv")
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (4, "Email Address")
    assert "sam.lee@example" in problem.message


def test_updated_list_updates_and_adds_matching_by_code_then_email(db, tmp_path):
    create_event(db, EVENT)
    first = tmp_path / "v1.csv"
    first.write_text(
        "First name,Last name,Email,Company,Ticket\n"
        "Anna,Müller,anna@example.org,Kite,T1\n"
        "Ben,Ode,ben@example.org,Atlas,\n",
        encoding="utf-8",
    )
    import_guest_list(db, EVENT, first)
    ben_code = search_guests(db, EVENT, "ben ode")[0].code
    second = tmp_path / "v2.csv"
    second.write_text(
        "First name,Last name,Email,Company,Ticket\n"
        "Anna,Müller,anna@example.org,Kite Analytics,T1\n"  # company changed
        "Ben,Ode,BEN@example.org,Atlas,\n"  # matched by email, keeps his app code
        "Cleo,Nyx,cleo@example.org,,T3\n",  # new
        encoding="utf-8",
    )
    dry = import_guest_list(db, EVENT, second, dry_run=True)
    assert (dry.added, dry.updated, dry.unchanged) == (1, 1, 1)
    assert _counts(db) == (2, 2)  # the dry run wrote nothing
    real = import_guest_list(db, EVENT, second)
    assert (real.added, real.updated, real.unchanged) == (1, 1, 1)
    assert _counts(db) == (3, 3)
    assert search_guests(db, EVENT, "ben ode")[0].code == ben_code
    assert search_guests(db, EVENT, "anna")[0].company == "Kite Analytics"


def test_explicit_mapping_for_an_odd_file(db, tmp_path):
    create_event(db, EVENT)
    odd = tmp_path / "odd.csv"
    odd.write_text("Wer,Mail,Firma X\nJosé García,jose@example.org,Atlas\n", encoding="utf-8")
    summary = import_guest_list(
        db, EVENT, odd, mapping={"name": "Wer", "email": "Mail", "company": "Firma X"}
    )
    assert summary.added == 1
    hit = search_guests(db, EVENT, "jose")[0]
    assert hit.name == "José García" and hit.company == "Atlas"


def test_a_changed_email_moves_the_identity_with_it(db, tmp_path):
    from checkin.door.walkins import walk_in

    create_event(db, EVENT)
    v1, v2 = tmp_path / "v1.csv", tmp_path / "v2.csv"
    v1.write_text("Name,Email,Ticket\nAnna Müller,old@example.org,T1\n", encoding="utf-8")
    v2.write_text("Name,Email,Ticket\nAnna Müller,new@example.org,T1\n", encoding="utf-8")
    import_guest_list(db, EVENT, v1)
    import_guest_list(db, EVENT, v2)
    # A walk-in with the new address is the same guest, not a second registration.
    again = walk_in(db, EVENT, name="Anna Müller", email="new@example.org")
    assert again.guest.code == "T1"
    assert _counts(db) == (1, 1)


def test_re_import_during_the_evening_can_make_a_newcomer_a_host(db, tmp_path):
    from checkin.hosting.board import host_board

    create_event(db, EVENT)
    v1, v2 = tmp_path / "v1.csv", tmp_path / "v2.csv"
    v1.write_text(
        "Name,Email,Ticket,Host,First time\n"
        "Hana Host,h@example.org,H1,yes,\nNora New,n@example.org,N1,,yes\n"
        "Ned New,d@example.org,N2,,yes\n",
        encoding="utf-8",
    )
    v2.write_text(v1.read_text(encoding="utf-8").replace("N1,,yes", "N1,yes,"), encoding="utf-8")
    import_guest_list(db, EVENT, v1)
    check_in(db, EVENT, "H1")
    check_in(db, EVENT, "N1")  # hosted by Hana
    import_guest_list(db, EVENT, v2)  # Nora volunteers to host
    board = host_board(db, EVENT)
    assert {h.code for h in board.hosts} == {"H1", "N1"}
    assert all(not h.newcomers for h in board.hosts)  # Nora is no longer anyone's newcomer
    assert check_in(db, EVENT, "N2").host is not None
