"""Whole-file situations: encodings, delimiters, empty and broken files, previews."""

from __future__ import annotations

import codecs
import dataclasses

import pytest

from checkin.guestlist.reading import preview_guest_list, read_guest_list
from checkin.guestlist.rows import GuestRow

HEADER = "First name,Last name,Email,Ticket code\n"


def write(tmp_path, data: bytes | str, name="list.csv"):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def only_problem(guests):
    assert len(guests.problems) == 1, guests.problems
    return guests.problems[0]


TEXT = "Vorname;Nachname;Code\r\nZoë;Müller;007\r\nJosé;Núñez;008\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # no byte-order mark: found by its NULs
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_encodings(tmp_path, data, encoding):
    guests = read_guest_list(write(tmp_path, data))
    assert guests.ok, guests.problems
    assert guests.encoding == encoding
    assert guests.delimiter == ";"
    assert guests.headers[0] == "Vorname"  # no BOM left on the first header
    assert [(g.full_name, g.ticket_code) for g in guests.rows] == [
        ("Zoë Müller", "007"),
        ("José Núñez", "008"),
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed_from_the_header(tmp_path, delimiter):
    lines = [["Name", "Company", "Email"], ["Ada Lovelace", "Engines, Ltd; UK", "ada@example.com"]]
    body = "".join(
        delimiter.join(f'"{c}"' if ("," in c or ";" in c) else c for c in line) + "\n"
        for line in lines
    )
    guests = read_guest_list(write(tmp_path, body))
    assert guests.ok, guests.problems
    assert guests.delimiter == delimiter
    assert guests.rows[0].company == "Engines, Ltd; UK"


def test_excel_sep_line_is_obeyed_and_not_counted(tmp_path):
    guests = read_guest_list(write(tmp_path, "sep=,\r\nName,Notes;misc,Email\r\nAda L,x;y,bad\r\n"))
    assert guests.delimiter == ","
    assert guests.headers == ["Name", "Notes;misc", "Email"]
    assert [(p.row, p.column) for p in guests.problems] == [(2, "Email")]


def test_whitespace_is_stripped_but_apostrophes_kept(tmp_path):
    data = HEADER + "  Ada \t, Lovelace ,  ADA@Example.COM  , '00042 \n"
    row = read_guest_list(write(tmp_path, data)).rows[0]
    assert (row.first_name, row.last_name, row.email) == ("Ada", "Lovelace", "ada@example.com")
    assert row.ticket_code == "'00042"


def test_long_digit_codes_stay_strings(tmp_path):
    code = "0012345678901234567890001"
    row = read_guest_list(write(tmp_path, HEADER + f"Ada,Lovelace,,{code}\n")).rows[0]
    assert row.ticket_code == code


def test_blank_lines_count_as_rows_but_are_not_guests(tmp_path):
    guests = read_guest_list(write(tmp_path, HEADER + "\nAda,L,,A1\n,,,\n\nBob,M,x@,B1\n"))
    assert [g.row for g in guests.rows] == [3, 6]
    assert [(p.row, p.column) for p in guests.problems] == [(6, "Email")]


def test_same_email_on_several_rows_is_fine(tmp_path):
    data = HEADER + "Ada,L,boss@example.com,A1\nBob,M,boss@example.com,B1\n"
    assert read_guest_list(write(tmp_path, data)).ok


def test_duplicate_code_names_the_first_row_and_is_case_sensitive(tmp_path):
    data = HEADER + "Ada,L,,abc\nBob,M,,ABC\nCy,N,,abc\nDee,O,,abc\n"
    guests = read_guest_list(write(tmp_path, data))
    assert [str(p) for p in guests.problems] == [
        "row 4, column 'Ticket code': ticket code \"abc\" is already used in row 2",
        "row 5, column 'Ticket code': ticket code \"abc\" is already used in row 2",
    ]


def test_duplicate_member_id(tmp_path):
    data = "Name,User ID,RSVP\nAda L,42,Yes\nBob M,43,Yes\nAda L,42,Yes\n"
    guests = read_guest_list(write(tmp_path, data))
    assert [(p.row, p.column) for p in guests.problems] == [(4, "User ID")]
    assert "row 2" in guests.problems[0].message


def test_trailing_delimiters_on_every_row_are_a_habit_not_a_problem(tmp_path):
    data = "Name;Email\nAda L;ada@example.com;;\nBob M;bob@example.com;;\n"
    assert read_guest_list(write(tmp_path, data)).ok


def test_missing_cells_read_as_empty(tmp_path):
    guests = read_guest_list(write(tmp_path, HEADER + "Ada,Lovelace\n"))
    assert guests.ok
    assert guests.rows[0].email is None and guests.rows[0].ticket_code is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\r\n\r\n  \r\n", "the file is empty"),
        (codecs.BOM_UTF8, "the file is empty"),
        (b";;;\r\n;;;\r\n", "the file is empty"),
        (HEADER.encode(), "the file has a header row but no guests below it"),
        ((HEADER + "\n,,,\n").encode(), "the file has a header row but no guests below it"),
    ],
)
def test_empty_files(tmp_path, data, message):
    problem = only_problem(read_guest_list(write(tmp_path, data)))
    assert (problem.row, problem.column, problem.message) == (None, None, message)


def test_no_name_column(tmp_path):
    guests = read_guest_list(write(tmp_path, "Email,Ticket\nada@example.com,A1\n"))
    problem = only_problem(guests)
    assert problem.row is None
    assert "no column with the guests' names" in problem.message
    assert "'Email', 'Ticket'" in problem.message


def test_bytes_that_are_no_text_encoding(tmp_path):
    data = (HEADER + "Ada,L,,A1\nBob,M,,B1\n").encode() + b"Cy,\x81\x8d,,C1\n"
    problem = only_problem(read_guest_list(write(tmp_path, data)))
    assert problem.row is None
    assert "line 4" in problem.message and "0x81" in problem.message


def test_utf8_and_windows_1252_mixed_in_one_file(tmp_path):
    data = (HEADER + "Zoë,Müller,,A1\n").encode() + "José,Núñez,,B1\n".encode("cp1252")
    problem = only_problem(read_guest_list(write(tmp_path, data)))
    assert "mixes two text encodings" in problem.message and "line 3" in problem.message


def test_broken_utf16(tmp_path):
    data = codecs.BOM_UTF16_LE + "Name\nAda\n".encode("utf-16-le") + b"\x00"
    assert "UTF-16" in only_problem(read_guest_list(write(tmp_path, data))).message


def test_spreadsheet_workbook_instead_of_csv(tmp_path):
    problem = only_problem(read_guest_list(write(tmp_path, b"PK\x03\x04rest-of-zip", "l.xlsx")))
    assert "Excel workbook" in problem.message and "CSV UTF-8" in problem.message


def test_missing_file(tmp_path):
    guests = read_guest_list(tmp_path / "nope.csv")
    assert "cannot open the file" in only_problem(guests).message


def test_unclosed_quote_at_the_end(tmp_path):
    data = HEADER + 'Ada,L,,A1\nBob,"M,,B1\nCy,N,,C1\n'
    guests = read_guest_list(write(tmp_path, data))
    assert [(p.row, p.column) for p in guests.problems] == [(3, None)]
    assert "never closed" in guests.problems[0].message


def test_unclosed_quote_swallowing_a_huge_rest(tmp_path):
    rest = "".join(f"P{i},Q,,C{i}\n" for i in range(20_000))
    guests = read_guest_list(write(tmp_path, HEADER + 'Ada,"L,,A1\n' + rest))
    assert [(p.row, p.column) for p in guests.problems] == [(2, None)]
    assert "never closed" in guests.problems[0].message


def test_preview_limits_rows_but_not_problems(tmp_path):
    lines = [f"P{i},Q,{'bad' if i % 10 == 9 else ''},C{i}" for i in range(100)]
    path = write(tmp_path, HEADER + "\n".join(lines) + "\n")
    preview = preview_guest_list(path, limit=5)
    full = read_guest_list(path)
    assert [g.row for g in preview.rows] == [2, 3, 4, 5, 6]
    assert len(full.rows) == 100
    assert preview.problems == full.problems and len(preview.problems) == 10
    assert preview.mapping == full.mapping and preview.format == full.format


def test_guest_row_field_order_is_what_the_reader_builds_positionally():
    # reading.py builds GuestRow positionally for speed; a reorder in rows.py must fail here.
    names = [f.name for f in dataclasses.fields(GuestRow)][:17]
    assert names == [
        "row", "first_name", "last_name", "email", "company", "job_title", "ticket_code",
        "ticket_type", "external_id", "cancelled", "first_time", "is_host", "host_capacity",
        "interests", "languages", "profession", "phone",
    ]  # fmt: skip


def test_utf8_mark_but_not_utf8(tmp_path):
    data = codecs.BOM_UTF8 + b"Name\nAda\nJos\xe9 N\n"
    problem = only_problem(read_guest_list(write(tmp_path, data)))
    assert "line 3" in problem.message and "0xE9" in problem.message
