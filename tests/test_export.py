"""The attendance file: CSV safe for spreadsheets, JSON, XLSX."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook

from checkin.door.engine import check_in
from checkin.reports.export import export_attendance
from tests.support.factories import event_with_guests, guest

EVENT = "Export Evening"


def _setup(db):
    event_with_guests(
        db,
        EVENT,
        [
            guest(2, "Zoë", "Ångström", ticket_code="1", company='=HYPERLINK("x")'),
            guest(3, "Anna", "Müller", ticket_code="2", company="+44 Ltd"),
            guest(4, "Bob", "Absent", ticket_code="3"),
        ],
    )
    check_in(db, EVENT, "1", device="Door 1")
    check_in(db, EVENT, "2", device="Door 2")


def test_csv_is_utf8_bom_sorted_and_formula_safe(db, tmp_path):
    _setup(db)
    out = tmp_path / "attendance.csv"
    assert export_attendance(db, EVENT, out) == 3
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [r["last_name"] for r in rows] == ["Absent", "Ångström", "Müller"]
    by_name = {r["first_name"]: r for r in rows}
    assert by_name["Zoë"]["company"] == '\'=HYPERLINK("x")'
    assert by_name["Anna"]["company"] == "'+44 Ltd"
    assert by_name["Zoë"]["checked_in"] == "yes" and by_name["Bob"]["checked_in"] == "no"
    assert by_name["Anna"]["door"] == "Door 2"
    for r in rows:
        for value in r.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_json_and_xlsx(db, tmp_path):
    _setup(db)
    export_attendance(db, EVENT, tmp_path / "a.json")
    doc = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert doc["event"] == EVENT and len(doc["attendees"]) == 3
    export_attendance(db, EVENT, tmp_path / "a.xlsx")
    ws = load_workbook(tmp_path / "a.xlsx").active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Zoë" in values
    # Text cells, never formulas; the formula-like ones carry Excel's quote-prefix flag.
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert all(c.data_type == "s" for c in cells.values())
    assert cells['=HYPERLINK("x")'].quotePrefix and cells["+44 Ltd"].quotePrefix
    assert not cells["Zoë"].quotePrefix


INVISIBLE = ["\u00a0", "\u200b", "\ufeff", "\u202e", " \u2060", "\u200e"]


def test_invisible_characters_before_a_formula_do_not_hide_it(db, tmp_path):
    event_with_guests(
        db,
        EVENT,
        [
            guest(
                i + 2, "Eve", f"Sneaky{i}", ticket_code=str(i), company=f'{lead}=cmd|"/c calc"!A1'
            )
            for i, lead in enumerate(INVISIBLE)
        ],
    )
    out = tmp_path / "a.csv"
    export_attendance(db, EVENT, out)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == len(INVISIBLE)
    assert all(r["company"].startswith("'") for r in rows), [r["company"] for r in rows]


def test_xlsx_keeps_a_phone_number_readable_and_survives_control_characters(db, tmp_path):
    event_with_guests(
        db,
        EVENT,
        [
            guest(2, "Ann", "Phone", ticket_code="1", company="+44 20 7946 0000"),
            guest(3, "Bell\x07", "Esc\x1b[31m", ticket_code="2", company="a\x01b"),
        ],
    )
    export_attendance(db, EVENT, tmp_path / "a.xlsx")
    ws = load_workbook(tmp_path / "a.xlsx").active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "+44 20 7946 0000" in values  # as typed: no apostrophe
    assert "Bell\ufffd" in values
