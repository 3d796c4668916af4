"""Badge stock as JSON data files: shipped sizes, sheet order, and clear errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from checkin.badges.render import render_badge_pdf, render_badges
from checkin.badges.templates import (
    BadgeTemplate,
    TemplateError,
    get_template,
    load_template_file,
    load_templates,
)
from checkin.resources import resources_dir
from tests.badges.samples import guest

MM = 72 / 25.4
IN = 72.0

# name: (page w, page h, badge w, badge h, columns, rows) in points
SHIPPED = {
    "brother-ql-62x100": (62 * MM, 100 * MM, 62 * MM, 100 * MM, 1, 1),
    "dymo-30857": (4 * IN, 2.25 * IN, 4 * IN, 2.25 * IN, 1, 1),
    "zebra-4x3": (4 * IN, 3 * IN, 4 * IN, 3 * IN, 1, 1),
    "avery-5392": (8.5 * IN, 11 * IN, 4 * IN, 3 * IN, 2, 3),
    "avery-74541": (8.5 * IN, 11 * IN, 4 * IN, 3 * IN, 2, 3),
    "avery-l7418": (210 * MM, 297 * MM, 86 * MM, 55 * MM, 2, 4),
}


def test_shipped_templates_have_the_published_sizes() -> None:
    templates = load_templates()
    assert set(SHIPPED) <= set(templates)
    for name, (pw, ph, bw, bh, cols, rows) in SHIPPED.items():
        t = templates[name]
        assert t.page_size == pytest.approx((pw, ph)), name
        assert t.badge_size == pytest.approx((bw, bh)), name
        assert (t.columns, t.rows) == (cols, rows), name
        assert t.sheet == (cols * rows > 1), name
        assert t.source, f"{name} should say where its numbers come from"


def test_every_badge_of_every_sheet_lies_on_the_page() -> None:
    for t in load_templates().values():
        for slot in range(t.per_page):
            x, y = t.slot_origin(slot)
            assert x >= -0.01 and y >= -0.01
            assert x + t.badge_width <= t.page_width + 0.01
            assert y + t.badge_height <= t.page_height + 0.01


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_pdf_page_size_equals_the_template(name: str) -> None:
    template = get_template(name)
    pdf = PdfReader(io.BytesIO(render_badge_pdf(guest(), template)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(template.page_size, abs=0.01)


def test_sheets_fill_row_by_row_from_the_top_left() -> None:
    t = get_template("avery-5392")
    # 0.25 in side margin, 1 in top margin, 4 x 3 in badges, 2 columns.
    assert t.slot_origin(0) == pytest.approx((18, 792 - 72 - 216))
    assert t.slot_origin(1) == pytest.approx((18 + 288, 792 - 72 - 216))
    assert t.slot_origin(2) == pytest.approx((18, 792 - 72 - 2 * 216))
    assert t.slot_origin(5) == pytest.approx((306, 72))
    with pytest.raises(ValueError):
        t.slot_origin(6)


def _first_name_positions(
    pdf_bytes: bytes, names: set[str]
) -> list[list[tuple[str, float, float]]]:
    """Per page: (name, x, y) where each first name is drawn."""
    pages: list[list[tuple[str, float, float]]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip() in names:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pages[-1].append((text.strip(), x, y))

    for page in PdfReader(io.BytesIO(pdf_bytes)).pages:
        pages.append([])
        page.extract_text(visitor_text=visit)
    return pages


def _slot_of(t: BadgeTemplate, x: float, y: float) -> int:
    for slot in range(t.per_page):
        sx, sy = t.slot_origin(slot)
        if sx <= x <= sx + t.badge_width and sy <= y <= sy + t.badge_height:
            return slot
    raise AssertionError(f"({x}, {y}) is on no badge")


def test_start_position_uses_a_half_used_sheet() -> None:
    t = get_template("avery-5392")
    names = [f"Guest{i}" for i in range(1, 9)]
    out = io.BytesIO()
    report = render_badges(
        (guest(first_name=n, full_name=f"{n} Test") for n in names), t, out, start_position=5
    )
    assert (report.pages, report.badges) == (2, 8)
    pages = _first_name_positions(out.getvalue(), set(names))
    placed = [[(name, _slot_of(t, x, y)) for name, x, y in page] for page in pages]
    # Page 1 keeps slots 1-4 (already used) empty; the rest flows onto page 2 row by row.
    assert sorted(placed[0], key=lambda p: p[1]) == [("Guest1", 4), ("Guest2", 5)]
    assert sorted(placed[1], key=lambda p: p[1]) == [(f"Guest{i + 3}", i) for i in range(6)]


def test_start_position_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="start_position"):
        render_badges([guest()], get_template("avery-l7418"), io.BytesIO(), start_position=9)
    with pytest.raises(ValueError, match="start_position"):
        render_badges([guest()], get_template("zebra-4x3"), io.BytesIO(), start_position=2)


def _write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


GOOD = {
    "name": "my-stock",
    "unit": "mm",
    "badge": {"width": 90, "height": 55, "safe_margin": 3},
    "sheet": {
        "width": 210,
        "height": 297,
        "columns": 2,
        "rows": 5,
        "margin_left": 10,
        "margin_top": 10,
        "pitch_x": 95,
        "pitch_y": 55,
    },
}


def test_an_organiser_can_drop_in_their_own_stock(tmp_path: Path) -> None:
    _write(tmp_path, "my-stock.json", GOOD)
    t = get_template("my-stock", extra_dirs=[tmp_path])
    assert t.per_page == 10
    assert t.badge_size == pytest.approx((90 * MM, 55 * MM))
    assert "zebra-4x3" in load_templates([tmp_path])  # the shipped ones are still there


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["badge"].__setitem__("width", "ninety"), "badge.width"),
        (lambda d: d["badge"].__setitem__("height", -5), "badge.height"),
        (lambda d: d["badge"].pop("height"), "badge.height"),
        (lambda d: d["badge"].__setitem__("colour", "red"), "badge.colour"),
        (lambda d: d.__setitem__("unit", "furlong"), "unit"),
        (lambda d: d.__setitem__("name", "My Stock!"), "name"),
        (lambda d: d.pop("name"), "name"),
        (lambda d: d["sheet"].__setitem__("columns", 2.5), "sheet.columns"),
        (lambda d: d["sheet"].__setitem__("columns", 3), "sheet.columns"),
        (lambda d: d["sheet"].__setitem__("pitch_y", 40), "sheet.pitch_y"),
        (lambda d: d.__setitem__("sheet", [1, 2]), "sheet"),
    ],
)
def test_a_wrong_template_names_the_file_and_the_field(tmp_path: Path, change, field) -> None:
    data = json.loads(json.dumps(GOOD))
    change(data)
    path = _write(tmp_path, "bad.json", data)
    with pytest.raises(TemplateError) as err:
        load_template_file(path)
    assert str(path) in str(err.value)
    assert f"'{field}'" in str(err.value)
    assert err.value.field == field
    assert err.value.path == str(path)


def test_broken_json_names_the_file_and_the_line(tmp_path: Path) -> None:
    _write(tmp_path, "broken.json", '{\n  "name": "x",\n  "badge": {"width": 10,,}\n}')
    with pytest.raises(TemplateError, match=r"broken\.json.*line 3"):
        load_templates([tmp_path])


def test_two_files_with_one_name_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, "a.json", GOOD)
    _write(tmp_path, "b.json", GOOD)
    with pytest.raises(TemplateError, match=r"b\.json.*already used"):
        load_templates([tmp_path])


def test_unknown_template_lists_the_known_ones() -> None:
    with pytest.raises(TemplateError, match="zebra-4x3"):
        get_template("no-such-stock")


def test_resources_dir_can_be_moved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert (resources_dir() / "badge_templates" / "zebra-4x3.json").is_file()
    monkeypatch.setenv("CHECKIN_RESOURCES", str(tmp_path))
    assert resources_dir() == tmp_path
    monkeypatch.delenv("CHECKIN_RESOURCES")
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"
