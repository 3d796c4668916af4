"""`checkin badges` and `checkin templates`, and the badge data they read (both backends)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from checkin.badges.lookup import badge_for_registration, badges_for_event
from checkin.badges.templates import get_template, load_templates
from checkin.cli.main import main
from checkin.door.engine import check_in
from checkin.store.models import Person, PrintLog, Registration
from tests.support.factories import event_with_guests, guest

EVENT = "Badge Night"
# Sorted by last name ignoring accents: Adams, Ångström, García, Müller, Zola.
ORDER = ["Bob Adams", "Zoë Ångström", "José García", "Anna Müller", "Émile Zola"]


def run(capsys, db_url: str, *args: str) -> tuple[int, dict | str, str]:
    code = main(["--database", db_url, *args])
    out, err = capsys.readouterr()
    try:
        return code, json.loads(out), err
    except json.JSONDecodeError:
        return code, out, err


@pytest.fixture
def event(db) -> str:
    return event_with_guests(
        db,
        EVENT,
        [
            guest(2, "Émile", "Zola", ticket_code="B005", company="Les Éditions"),
            guest(3, "Anna", "Müller", ticket_code="B004", first_time=False),
            guest(4, "Zoë", "Ångström", ticket_code="B002", first_time=True, interests=("AI",)),
            guest(5, "Carl", "Cancelled", ticket_code="B009", cancelled=True),
            guest(6, "Bob", "Adams", ticket_code="B001", is_host=True, interests=("AI",)),
            guest(7, "José", "García", ticket_code="B003", first_time=False),
        ],
    )


def _page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _prints(db) -> list[tuple[int, str, str, str]]:
    with db.read() as s:
        rows = s.execute(
            select(PrintLog.registration_id, PrintLog.kind, PrintLog.status, PrintLog.detail)
        )
        return [tuple(r) for r in rows]


def test_batch_pdf_is_sorted_by_last_name_on_the_template_page(db, db_url, event, capsys, tmp_path):
    out = tmp_path / "badges.pdf"
    code, doc, _ = run(
        capsys, db_url, "badges", "-e", EVENT, "--out", str(out), "--template", "zebra-4x3",
        "--json",
    )  # fmt: skip
    assert code == 0
    assert doc["badges"] == 5 and doc["pages"] == 5 and doc["template"] == "zebra-4x3"
    assert doc["codes"] == ["B001", "B002", "B003", "B004", "B005"]  # Carl is cancelled
    template = get_template("zebra-4x3")
    reader = PdfReader(out)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            template.page_size
        )
    texts = _page_texts(out)
    for name, text in zip(ORDER, texts, strict=True):
        assert name in text
    assert all("Carl" not in t for t in texts)
    assert _prints(db) == [], "a PDF file is not a print: nothing is logged"
    assert not list(tmp_path.glob(".*part")), "no temporary file is left behind"


def _name_position(page, name: str) -> tuple[float, float]:
    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, _font, _size):
        if name in text and not found:
            found.append((cm[4] + tm[4], cm[5] + tm[5]))

    page.extract_text(visitor_text=visit)
    assert found, f"{name} not on the page"
    return found[0]


def test_start_position_uses_up_a_half_used_sheet(db_url, event, capsys, tmp_path):
    out = tmp_path / "sheet.pdf"
    code, doc, _ = run(
        capsys, db_url, "badges", "-e", EVENT, "--out", str(out), "--template", "avery-5392",
        "--start-position", "5", "--json",
    )  # fmt: skip
    assert code == 0
    # 2 x 3 per Letter sheet: positions 5 and 6 (the bottom row), then a second sheet.
    assert (doc["badges"], doc["pages"], doc["start_position"]) == (5, 2, 5)
    reader = PdfReader(out)
    template = get_template("avery-5392")
    assert float(reader.pages[0].mediabox.height) == pytest.approx(template.page_height)
    first, second = _page_texts(out)
    assert "Bob Adams" in first and "Zoë Ångström" in first
    assert "José García" in second and "Émile Zola" in second and "Bob Adams" not in second
    x5, y5 = _name_position(reader.pages[0], "Bob Adams")
    x6, _ = _name_position(reader.pages[0], "Zoë Ångström")
    bottom_row_top = template.page_height - template.margin_top - 2 * template.pitch_y
    assert y5 < bottom_row_top, "position 5 is in the bottom row"
    assert x5 < template.margin_left + template.pitch_x < x6, "5 left, 6 right"

    code, _, err = run(
        capsys, db_url, "badges", "-e", EVENT, "--out", str(tmp_path / "x.pdf"),
        "--template", "avery-5392", "--start-position", "7",
    )  # fmt: skip
    assert code == 1 and "1..6" in err and not (tmp_path / "x.pdf").exists()


def test_only_given_codes_or_only_checked_in(db, db_url, event, capsys, tmp_path):
    out = tmp_path / "some.pdf"
    code, doc, _ = run(
        capsys, db_url, "badges", "-e", EVENT, "--out", str(out), "--template", "zebra-4x3",
        "--code", "B005", "--code", "B002", "--code", "B009", "--json",
    )  # fmt: skip
    assert code == 0 and doc["codes"] == ["B002", "B005"]
    assert doc["warnings"] == ["B009: cancelled, no badge"]
    texts = _page_texts(out)
    assert "Zoë Ångström" in texts[0] and "Émile Zola" in texts[1]

    code, _, err = run(capsys, db_url, "badges", "-e", EVENT, "--out", str(out), "--code", "NOPE")
    assert code == 1 and "NOPE" in err

    check_in(db, EVENT, "B004", device="Door 1")
    code, doc, _ = run(
        capsys, db_url, "badges", "-e", EVENT, "--out", str(out), "--only-checked-in", "--json"
    )
    assert code == 0 and doc["codes"] == ["B004"] and doc["template"] == "avery-5392"
    assert "Anna Müller" in _page_texts(out)[0]
    code, doc, _ = run(
        capsys, db_url, "badges", "-e", EVENT, "--out", str(out), "--only-checked-in",
        "--code", "B004", "--code", "B005", "--json",
    )  # fmt: skip
    assert code == 0 and doc["codes"] == ["B004"]
    assert doc["warnings"] == ["B005: not checked in, no badge"]


def test_templates_are_listed(db_url, capsys):
    code, doc, _ = run(capsys, db_url, "templates", "--json")
    assert code == 0
    shipped = load_templates()
    by_name = {t["name"]: t for t in doc["templates"]}
    assert set(by_name) == set(shipped)
    for name, t in shipped.items():
        entry = by_name[name]
        assert entry["badges_per_page"] == t.per_page
        assert entry["description"] == t.description
        assert entry["page_size"]["width_pt"] == pytest.approx(t.page_width, abs=0.01)
        assert entry["page_size"]["height_pt"] == pytest.approx(t.page_height, abs=0.01)
    assert by_name["avery-l7418"]["page_size"]["width_mm"] == pytest.approx(210, abs=0.1)

    code, text, _ = run(capsys, db_url, "templates")
    assert code == 0
    assert all(name in text for name in shipped)


def _fake_lp(folder: Path, script: str) -> None:
    lp = folder / "lp"
    lp.write_text(f"#!/bin/sh\n{script}\n")
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)


def test_sending_to_a_printer_logs_a_batch_print(db, db_url, event, capsys, tmp_path, monkeypatch):
    # A stand-in for CUPS's `lp`: the real print system is tested in tests/ui/test_printing.py.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    args_file = tmp_path / "lp-args"
    _fake_lp(bin_dir, f'echo "$@" > {args_file}\necho "request id is Office-7 (1 file(s))"')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "batch.pdf"
    code, doc, _ = run(
        capsys, db_url, "badges", "-e", EVENT, "--out", str(out), "--code", "B001",
        "--code", "B003", "--printer", "Office", "--json",
    )  # fmt: skip
    assert code == 0 and doc["printed"] == {"printer": "Office", "job": "Office-7"}
    sent = args_file.read_text()
    assert "-d Office" in sent and "media=Letter" in sent and str(out) in sent
    rows = _prints(db)
    assert sorted(r[1:] for r in rows) == [("batch", "sent", "job Office-7")] * 2

    _fake_lp(bin_dir, 'echo "lp: The printer or class does not exist." >&2\nexit 1')
    code, _, err = run(
        capsys, db_url, "badges", "-e", EVENT, "--out", str(out), "--code", "B002",
        "--printer", "Gone",
    )  # fmt: skip
    assert code == 1 and "does not exist" in err
    assert [r[1:3] for r in _prints(db) if r[2] == "failed"] == [("batch", "failed")]


def _registration_id(db, code: str) -> int:
    with db.read() as s:
        return s.scalar(select(Registration.id).where(Registration.code == code))


def test_badge_data_names_the_host_and_shares_a_vcard_only_with_consent(db, event):
    outcome = check_in(db, EVENT, "B001", device="Door 1")  # the host arrives first
    outcome = check_in(db, EVENT, "B002", device="Door 1")
    assert outcome.first_time and outcome.host is not None

    badge = badge_for_registration(db, _registration_id(db, "B002"))
    assert badge.first_name == "Zoë" and badge.full_name == "Zoë Ångström"
    assert badge.event_name == EVENT and badge.first_time
    assert badge.host_name == "Bob Adams"
    assert badge.vcard is None, "no consent, no contact card"

    with db.write() as s:
        s.execute(update(Person).where(Person.last_name == "Zola").values(vcard_consent=True))
    zola = badge_for_registration(db, _registration_id(db, "B005"))
    assert zola.vcard is not None
    assert "FN:Émile Zola" in zola.vcard and "ORG:Les Éditions" in zola.vcard
    assert zola.company == "Les Éditions" and not zola.host_name

    host = badge_for_registration(db, _registration_id(db, "B001"))
    assert not host.first_time and host.host_name is None

    # Before anyone came, the batch decides "first time" the way the door will.
    by_code = {item.code: item.badge for item in badges_for_event(db, EVENT)}
    assert by_code["B004"].first_time is False  # the list says a regular
    assert by_code["B002"].first_time is True
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(PrintLog)) == 0
