"""Property (issue 13, Tests): arbitrary Unicode — controls, bidi marks, zero-width and
combining characters, astral planes — through import → search → every export, on SQLite and
PostgreSQL. Nothing crashes; what import accepted comes back unchanged in CSV and JSON; no
CSV cell starts a formula; XLSX cells are text. (Badges and reports: tests/badges.)"""

from __future__ import annotations

import csv
import io
import itertools
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from checkin.door.search import search_guests
from checkin.errors import ImportRefused
from checkin.events import create_event
from checkin.guestlist.cleaning import clean_text
from checkin.guestlist.importer import import_guest_list
from checkin.reports.export import export_attendance, looks_like_formula

# Every code point but lone surrogates (not encodable), weighted towards the troublemakers.
_NASTY = st.sampled_from(
    list("\x00\x07\x1b\x7f\x85\x9b\u00a0\u00ad\u034f\u061c\u200b\u200c\u200d\u200e\u200f")
    + list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2060\ufeff\ufffd")
    + list("=+-@\t\r\n\"',;|\\")
    + ["\u0301", "\u0308", "\U0001f680", "\U0001d54f", "ツ", "张"]
)
_ANY = st.characters(blacklist_categories=("Cs",))
# A formula behind characters a spreadsheet may skip (issue 12: "=" after NBSP, U+200B …).
_HIDDEN_FORMULA = st.builds(
    lambda lead, start, rest: lead + start + rest,
    st.text(st.sampled_from("\u00a0\u00ad\u200b\u200e\u202e\u2060\ufeff \t"), min_size=1),
    st.sampled_from("=+-@＝"),
    st.text(_ANY, max_size=8),
)
TEXT = st.one_of(st.text(st.one_of(_NASTY, _ANY), min_size=0, max_size=24), _HIDDEN_FORMULA)
_events = itertools.count()


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    w = csv.writer(buffer)
    w.writerow(["First name", "Last name", "Company", "Ticket"])
    w.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and looks_like_formula(cell[1:]) else cell


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=4))
def test_any_text_through_import_search_and_every_export(db, guests):
    event = f"Prop {next(_events)}"
    create_event(db, event)
    rows = [(first, last, company, f"T{i}") for i, (first, last, company) in enumerate(guests)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.csv"
        path.write_bytes(_csv(rows))
        try:
            import_guest_list(db, event, path)
        except ImportRefused as refused:
            assert refused.problems  # refused with a reason, never a crash
            return
        expected = {
            code: (clean_text(f.strip()), clean_text(la.strip()), clean_text(c.strip()) or None)
            for f, la, c, code in rows
        }
        for code, (first, last, _) in expected.items():
            for hit in search_guests(db, event, f"{first} {last}".strip() or code):
                assert hit.name is not None  # searching any accepted name never crashes

        export_attendance(db, event, Path(folder) / "a.csv")
        text = (Path(folder) / "a.csv").read_text(encoding="utf-8-sig")
        got = {r["code"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
        for code, (first, last, company) in expected.items():
            r = got[code]
            assert (_unguarded(r["first_name"]), _unguarded(r["last_name"])) == (first, last)
            assert _unguarded(r["company"]) == (company or "")
            for cell in r.values():
                assert not looks_like_formula(cell), cell

        export_attendance(db, event, Path(folder) / "a.json")
        doc = json.loads((Path(folder) / "a.json").read_text(encoding="utf-8"))
        for a in doc["attendees"]:
            assert (a["first_name"], a["last_name"], a["company"]) == expected[a["code"]]

        export_attendance(db, event, Path(folder) / "a.xlsx")
        ws = load_workbook(Path(folder) / "a.xlsx").active
        for cell in itertools.chain.from_iterable(ws.iter_rows()):
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                if looks_like_formula(cell.value):
                    assert cell.quotePrefix
