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
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
