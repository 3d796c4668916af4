"""Bad input where it enters: control characters, invisible characters, lengths, NUL,
duplicate headers and messages that say what is really wrong — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from checkin.door.engine import check_in
from checkin.door.outcomes import OutcomeKind
from checkin.errors import ImportRefused
from checkin.events import create_event
from checkin.guestlist.cleaning import LIMITS
from checkin.guestlist.importer import import_guest_list
from checkin.guestlist.reading import read_guest_list
from checkin.store.models import Person, Registration

EVENT = "Hardened"


def write(tmp_path, text: str, name: str = "list.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_control_characters_and_escape_sequences_are_cleaned_and_reported(tmp_path):
    path = write(tmp_path, "Name,Company,Ticket\nAn\x07n\x1b[31m Lee,Acme\x9b Ltd,T1\n")
    guests = read_guest_list(path)
    assert guests.ok, guests.problems
    row = guests.rows[0]
    assert (row.first_name, row.last_name, row.company) == ("Ann", "Lee", "Acme Ltd")
    assert any("column 'Name'" in n and "rows: 2" in n for n in guests.notes)
    assert any("column 'Company'" in n for n in guests.notes)


def test_bidi_overrides_and_zero_width_spaces_leave_names_and_codes(tmp_path):
    path = write(
        tmp_path,
        "First name,Last name,Ticket\nA\u202eli,Kh\u200ban,\u200bT-\u202e1\ufeff\n"
        # Joiners are real parts of Persian and Indic names: they stay.
        "\u0645\u06cc\u200c\u0631\u0627,Singh,T-2\n",
    )
    guests = read_guest_list(path)
    assert guests.ok, guests.problems
    ali, mira = guests.rows
    assert (ali.first_name, ali.last_name, ali.ticket_code) == ("Ali", "Khan", "T-1")
    assert "\u200c" in mira.first_name


def test_a_code_with_invisible_characters_scans(db, tmp_path):
    create_event(db, EVENT)
    import_guest_list(db, EVENT, write(tmp_path, "Name,Ticket\nAda Lovelace,\u200bAB-12\u2060\n"))
    assert check_in(db, EVENT, "AB-12").kind is OutcomeKind.CHECKED_IN


@pytest.mark.parametrize(
    ("header", "cell", "field"),
    [
        ("Name", "x" * 10_000, "name"),
        ("Company", "c" * 201, "company"),
        ("Ticket", "t" * 201, "ticket_code"),
        ("Phone", "1" * 65, "phone"),
    ],
)
def test_too_long_values_are_refused_with_row_and_column_on_every_database(
    db, tmp_path, header, cell, field
):
    create_event(db, EVENT)
    text = f"Name,{header}\nAda Lovelace,ok\nBob Bee,{cell}\n" if header != "Name" else ""
    if header == "Name":
        text = f"Name\nAda Lovelace\n{cell}\n"
    with pytest.raises(ImportRefused) as refused:
        import_guest_list(db, EVENT, write(tmp_path, text))
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (3, header)
    assert f"at most {LIMITS[field]:,}" in problem.message
    assert "x" * 50 not in problem.message  # the guest's data is not echoed back
    with db.read() as s:
        assert s.scalars(select(Person.id)).all() == []  # nothing was written


def test_the_longest_accepted_values_fit_every_database(db, tmp_path):
    create_event(db, EVENT)
    first, company = "F" * LIMITS["first_name"], "C" * LIMITS["company"]
    code = "K" * LIMITS["ticket_code"]
    text = f"First name,Last name,Company,Ticket\n{first},L,{company},{code}\n"
    import_guest_list(db, EVENT, write(tmp_path, text))
    with db.read() as s:
        assert s.scalar(select(Person.first_name)) == first
        assert s.scalar(select(Registration.code)) == code


def test_nul_anywhere_in_the_file_is_refused(tmp_path):
    body = "Name\n" + "Ada Lovelace\n" * 2000 + "Bob\x00Bee\n"
    path = tmp_path / "list.csv"
    path.write_bytes(body.encode())
    guests = read_guest_list(path)
    assert [str(p) for p in guests.problems] == [
        "line 2002 contains a NUL byte, so this is not a text (CSV) file or it is damaged; "
        "save the guest list as CSV again and try once more"
    ]


def test_duplicate_headers_that_are_read_are_refused_naming_them(tmp_path):
    guests = read_guest_list(write(tmp_path, "Name,Email,Email\nAda,a@example.org,b@example.org\n"))
    (problem,) = guests.problems
    assert problem.column == "Email"
    assert "'Email' (column 2) and 'Email' (column 3)" in problem.message
    # Two unread columns with one name (custom questions) are no problem.
    fine = read_guest_list(write(tmp_path, "Name,Notes,Notes\nAda,x,y\n", "b.csv"))
    assert fine.ok, fine.problems


def test_a_huge_cell_without_quotes_is_not_called_an_unclosed_quote(tmp_path):
    guests = read_guest_list(write(tmp_path, "Name,Company\nAda Lovelace," + "c" * 131_072 + "\n"))
    (problem,) = guests.problems
    assert (problem.row, problem.column) == (2, "Company")
    assert "131,072 characters long" in problem.message and "quote" not in problem.message


def test_a_cell_longer_than_any_guest_list_has(tmp_path):
    guests = read_guest_list(write(tmp_path, "Name,Company\nAda," + "c" * (2 << 20) + "\n"))
    (problem,) = guests.problems
    assert problem.row == 2 and "longer than 1,048,576 characters" in problem.message


def test_a_ten_megabyte_header_line_is_not_an_empty_file(tmp_path):
    guests = read_guest_list(write(tmp_path, "N" * (10 << 20) + "\nAda\n"))
    (problem,) = guests.problems
    assert problem.row == 1 and "empty" not in problem.message
    assert "longer than 1,048,576 characters" in problem.message
    wide = read_guest_list(write(tmp_path, "N" * 5000 + ",Email\nAda,a@example.org\n", "w.csv"))
    assert "column name 5,000 characters long" in wide.problems[0].message


def test_walk_ins_and_door_names_have_the_same_limits_on_every_database(db):
    from checkin.door.walkins import walk_in
    from checkin.errors import InvalidInput

    create_event(db, EVENT)
    with pytest.raises(InvalidInput, match="at most"):
        walk_in(db, EVENT, name="W" * 300)
    with pytest.raises(InvalidInput, match="NUL"):
        walk_in(db, EVENT, name="Ann\x00 Lee")
    with pytest.raises(InvalidInput, match="door name is 150 characters long"):
        walk_in(db, EVENT, name="Ann Lee", device="D" * 150)
    ok = walk_in(db, EVENT, name="An\x1b[31mn Lee\u202e", device="Door 1")
    assert ok.guest.name == "Ann Lee"
    with pytest.raises(InvalidInput, match="door name"):
        check_in(db, EVENT, ok.guest.code, device="D" * 150)
    # A scanned code with a NUL or invisible characters is looked up without them.
    assert check_in(db, EVENT, "\u200b" + ok.guest.code + "\x00").kind is (
        OutcomeKind.ALREADY_CHECKED_IN
    )
