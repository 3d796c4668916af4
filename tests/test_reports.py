"""The organiser's lists: PDFs whose text holds the names and headers, CSVs safe to open."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from checkin.cli.main import main
from checkin.door.engine import check_in
from checkin.door.leave import check_out
from checkin.door.walkins import walk_in
from checkin.errors import InvalidInput
from checkin.hosting.actions import mark_met
from checkin.reports import KINDS, snapshot, write_report
from checkin.reports.fonts import choose_fonts
from checkin.timeutil import utcnow
from tests.support.factories import event_with_guests, guest

EVENT = "Reports Evening"
START = (utcnow() - dt.timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)


def _setup(db, extra: int = 0) -> None:
    rows = [
        guest(2, "Anna", "Müller", ticket_code="1001", company="Harbour Bank", first_time=True),
        guest(3, "José", "García", ticket_code="1002", first_time=True, interests=("AI",)),
        guest(4, "Bob", "Absent", ticket_code="1003", company='=HYPERLINK("x")'),
        guest(5, "Carla", "Cancelled", ticket_code="1004", cancelled=True),
        guest(6, "Hana", "Host", ticket_code="2001", is_host=True, interests=("AI",)),
        guest(7, "Henk", "Gastheer", ticket_code="2002", is_host=True),
        guest(8, "Rita", "Regular", ticket_code="1005", first_time=False),
    ]
    rows += [
        guest(10 + i, f"Guest{i:03}", f"Zimmer{i:03}", ticket_code=f"9{i:03}") for i in range(extra)
    ]
    event_with_guests(db, EVENT, rows, day=dt.date(2026, 12, 3))
    at = START
    for code in ("2001", "2002", "1005", "1001", "1002", *[f"9{i:03}" for i in range(extra)]):
        at += dt.timedelta(minutes=3)
        check_in(db, EVENT, code, device="Door 1" if code < "5" else "Door 2", now=at)
    mark_met(db, EVENT, "1001", now=at + dt.timedelta(minutes=5))
    walk_in(db, EVENT, name="Zoë Ångström", email="zoe@example.com", device="Door 2")
    check_out(db, EVENT, "1005", device="Door 1", now=at + dt.timedelta(minutes=30))


def _pdf_text(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_every_list_as_pdf_holds_its_headers_and_names(db, tmp_path):
    _setup(db)
    expected = {
        "attendance": ["Attendance", "Anna Müller", "José García", "Zoë Ångström", "Arrived"],
        "newcomers": ["follow-up", "Anna Müller", "Hana Host", "Introduced to", "met"],
        "hosts": ["Hana Host", "Henk Gastheer", "Anna Müller", "Newcomer"],
        "no-shows": ["No-shows", "Bob Absent", "Email"],
        "summary": ["Summary", "Registered", "Checked in", "First-timers", "Walk-ins", "Arrivals"],
    }
    for kind in KINDS:
        out = tmp_path / f"{kind}.pdf"
        result = write_report(db, EVENT, kind, out)
        assert result.format == "pdf" and result.fonts == "bundled"
        pages = _pdf_text(out)
        text = "\n".join(pages)
        for needle in expected[kind]:
            assert needle in text, (kind, needle)
        assert EVENT in pages[0] and "December 2026" in pages[0]
        assert f"Page 1 of {len(pages)}" in pages[0]
    no_shows = "\n".join(_pdf_text(tmp_path / "no-shows.pdf"))
    assert "Carla" not in no_shows and "Anna" not in no_shows  # cancelled / came


def test_long_lists_repeat_the_table_header_and_number_pages(db, tmp_path):
    _setup(db, extra=90)
    out = tmp_path / "attendance.pdf"
    write_report(db, EVENT, "attendance", out)
    pages = _pdf_text(out)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "Name" in text and "Arrived" in text  # the header row on every page
        assert f"Page {number} of {len(pages)}" in text and EVENT in text
    assert "Guest089 Zimmer089" in pages[-1]


def test_one_sheet_per_host(db, tmp_path):
    _setup(db)
    out = tmp_path / "hosts.pdf"
    write_report(db, EVENT, "hosts", out)
    pages = _pdf_text(out)
    assert len(pages) == 2  # alphabetical by last name: Gastheer, then Host
    assert "Henk Gastheer" in pages[0] and "Anna Müller" not in pages[0]
    assert "Hana Host" in pages[1] and "Anna Müller" in pages[1]


def test_summary_counts(db):
    _setup(db)
    snap = snapshot(db, EVENT)
    assert snap.counts() == {
        "registered": 7,
        "checked_in": 6,
        "first_timers": 3,  # Anna, José, Zoë
        "hosted": 3,
        "waiting": 0,
        "no_shows": 1,
        "walk_ins": 1,
        "cancelled": 1,
    }
    arrivals = snap.arrivals()
    assert sum(n for _, n in arrivals) == 6
    assert all(t.minute % 10 == 0 for t, _ in arrivals)


def test_csv_lists_are_utf8_with_bom_and_formula_safe(db, tmp_path):
    _setup(db)
    for kind in KINDS:
        out = tmp_path / f"{kind}.csv"
        write_report(db, EVENT, kind, out)
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0] and all(len(r) == len(rows[0]) for r in rows)
        for row in rows:
            assert not any(c.startswith(("=", "+", "-", "@")) for c in row), row
    no_shows = list(csv.DictReader(io.StringIO((tmp_path / "no-shows.csv").read_text("utf-8-sig"))))
    assert [r["last_name"] for r in no_shows] == ["Absent"]
    assert no_shows[0]["company"] == '\'=HYPERLINK("x")'
    newcomers = (tmp_path / "newcomers.csv").read_text("utf-8-sig")
    assert "Zoë" in newcomers and "Hana Host" in newcomers


@pytest.mark.parametrize("bundled, system", [(False, True), (False, False)])
def test_lists_print_without_the_bundled_fonts(db, tmp_path, bundled, system):
    _setup(db)
    fonts = choose_fonts(bundled=bundled, system=system)
    assert fonts.source in ("system", "builtin")
    out = tmp_path / "attendance.pdf"
    assert write_report(db, EVENT, "attendance", out, fonts=fonts).fonts == fonts.source
    assert "Anna Müller" in "\n".join(_pdf_text(out))


def test_wrong_kind_or_suffix_is_refused(db, tmp_path):
    _setup(db)
    with pytest.raises(InvalidInput, match=r"\.pdf or \.csv"):
        write_report(db, EVENT, "attendance", tmp_path / "a.docx")
    with pytest.raises(InvalidInput, match="Unknown report"):
        write_report(db, EVENT, "everything", tmp_path / "a.pdf")


def test_report_command(db, db_url, capsys, tmp_path):
    _setup(db)
    out = tmp_path / "summary.pdf"
    code = main(["--database", db_url, "report", "summary", "-e", EVENT, "--out", str(out),
                 "--json"])  # fmt: skip
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "summary" and doc["format"] == "pdf" and out.exists()


def test_right_to_left_names_print_in_order_and_without_boxes(db, tmp_path):
    """Arabic and Hebrew names go through the badges' line engine: glyphs, order, fonts."""
    from pypdf import PdfReader

    from checkin.door.engine import check_in
    from checkin.reports import write_report
    from tests.support.factories import event_with_guests, guest

    event_with_guests(
        db,
        "RTL Evening",
        [
            guest(2, "محمد", "علي", ticket_code="A1", email="a@example.org"),
            guest(3, "Sarah (سارة)", "Smith", ticket_code="A2", email="b@example.org"),
        ],
    )
    check_in(db, "RTL Evening", "A1")
    check_in(db, "RTL Evening", "A2")
    out = tmp_path / "attendance.pdf"
    write_report(db, "RTL Evening", "attendance", out)
    page = PdfReader(out).pages[0]
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    text = page.extract_text()
    assert "Smith" in text and "Sarah" in text
    # The Arabic runs are set in the Arabic font, not as boxes in the Latin one.
    assert any("Arabic" in f for f in fonts), fonts


SYMBOL_NAMES = ["¯\\_(ツ)_/¯", "(╯°□°）╯︵ ┻━┻)", "(｡◕ ∀ ◕｡)", "Ana李 Wang", "."]


def test_symbol_names_print_in_every_list(db, tmp_path):
    """A word mixing fonts (Latin brackets around a katakana) crashed reportlab's shaping."""
    from checkin.door.engine import check_in

    rows = [
        guest(2 + i, name, "", ticket_code=f"S{i}", email=f"s{i}@example.org", first_time=True)
        for i, name in enumerate(SYMBOL_NAMES)
    ]
    rows.append(guest(20, "Hana", "Host", ticket_code="H1", is_host=True))
    event_with_guests(db, "Symbol Evening", rows)
    check_in(db, "Symbol Evening", "H1")
    check_in(db, "Symbol Evening", "S0")
    check_in(db, "Symbol Evening", "S1")
    for kind in KINDS:
        out = tmp_path / f"{kind}.pdf"
        write_report(db, "Symbol Evening", kind, out)
        assert _pdf_text(out)
    text = "\n".join(_pdf_text(tmp_path / "no-shows.pdf"))
    assert "¯\\_(ツ)_/¯" not in text and "Ana李 Wang" in text and "(｡" in text
    assert "¯\\_(ツ)_/¯" in "\n".join(_pdf_text(tmp_path / "attendance.pdf"))


@pytest.mark.parametrize(
    "text",
    [
        "Bartholomew Maximilian Alexander Featherstonehaugh-Whittaker-Smythe",
        "averyveryveryverylongemailaddresswithoutanybreak@example-company.org",
        "佐藤花子佐藤花子佐藤花子佐藤花子佐藤花子",
        "محمد بن عبد الله الهاشمي القرشي",
    ],
)
def test_user_text_wraps_inside_its_column_keeping_every_letter(text):
    from checkin.badges.text import wrap_lines

    width = 12.0  # em: a narrow column
    lines = wrap_lines(text, False, width)
    assert len(lines) >= 2
    assert all(line.width <= width for line in lines)
    assert "".join(line.text for line in lines).replace(" ", "") == text.replace(" ", "")
