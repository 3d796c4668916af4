"""Every name prints right: fallback fonts, shaping, right-to-left order, no empty boxes."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from checkin.badges import bidi
from checkin.badges.fonts import FALLBACK_CHAIN, font_for_char, segment
from checkin.badges.layout import layout_badge
from checkin.badges.render import render_badges
from checkin.badges.templates import get_template
from checkin.badges.text import prepare_line
from checkin.resources import fonts_dir
from tests.badges.samples import TRICKY_NAMES, tricky_badges

PdfToPng = Callable[[bytes, int], list[Image.Image]]
ALL_TRICKY = [text for pair in TRICKY_NAMES for text in pair]


@pytest.mark.parametrize("bold", [True, False])
@pytest.mark.parametrize("text", ALL_TRICKY)
def test_every_character_gets_a_font_that_has_its_glyph(text: str, bold: bool) -> None:
    runs, dropped = segment(text, bold)
    for chunk, face in runs:
        for ch in chunk:
            assert face.has_glyph(ch), f"{ch!r} in {face.name}"
    assert dropped == []  # the emoji too: a bundled outline emoji font has it


@pytest.mark.parametrize("text", ALL_TRICKY)
def test_every_drawn_glyph_is_a_real_glyph(text: str) -> None:
    """After shaping too: no glyph 0 (.notdef, the empty box) reaches the PDF."""
    line, _ = prepare_line(text, True)
    assert line.runs
    for run in line.runs:
        for ch in run.text:
            assert run.face.glyph_id(ch) != 0, f"{ch!r} of {text!r} in {run.face.name}"


def test_scripts_go_to_the_right_fonts() -> None:
    expect = {
        "Ö": "NotoSans",
        "λ": "NotoSans",
        "Д": "NotoSans",
        "王": "DroidSansFallback",
        "花": "DroidSansFallback",
        "김": "DroidSansFallback",
        "ف": "NotoSansArabic",
        "ש": "NotoSansHebrew",
        "अ": "NotoSansDevanagari",
    }
    for ch, family in expect.items():
        face = font_for_char(ch, True)
        assert face is not None and face.family.key == family, ch
    symbols = {
        "🚀": "NotoEmoji",
        "≈": "NotoSansMath",
        "√": "NotoSansMath",
        "∫": "NotoSansMath",
        "Ⓐ": "NotoSansSymbols",
        "①": "NotoSansSymbols",
        "★": "NotoSansSymbols2",
        "┌": "NotoSansMono",
        "━": "NotoSansMono",
    }
    for ch, family in symbols.items():
        face = font_for_char(ch, False)
        assert face is not None and face.family.key == family, ch
    assert font_for_char("\U00013000", True) is None  # Egyptian hieroglyphs: no bundled font


def test_hebrew_is_drawn_right_to_left() -> None:
    line, _ = prepare_line("שרה כהן", False)
    assert [str(r.text) for r in line.runs] == ["ןהכ הרש"]


def test_arabic_is_shaped_into_joined_forms() -> None:
    line, _ = prepare_line("فاطمة", False)
    (run,) = line.runs
    drawn = str(run.text)
    assert drawn != "فاطمة" and drawn != "فاطمة"[::-1]  # contextual forms, not the letters
    assert hasattr(run.text, "__shapeData__")


def test_devanagari_vowel_sign_is_reordered() -> None:
    # In अनिल the i-sign (ि) follows न in memory but is drawn before it.
    line, _ = prepare_line("अनिल", False)
    (run,) = line.runs
    assert hasattr(run.text, "__shapeData__") and len(str(run.text)) == 4


def test_mixed_direction_runs_are_ordered_as_the_bidi_algorithm_says() -> None:
    line, _ = prepare_line("שרה כהן (Acme Ltd) 2024", False)
    visual = "".join(str(r.text) for r in line.runs)
    assert visual == "2024 (Acme Ltd) ןהכ הרש"
    line, _ = prepare_line("Dana Levi שרה", False)
    assert "".join(str(r.text) for r in line.runs) == "Dana Levi הרש"


def test_bidi_levels() -> None:
    assert bidi.levels("abc") == [0, 0, 0]
    assert bidi.levels("אב") == [1, 1]
    assert bidi.levels("אב 12") == [1, 1, 1, 2, 2]
    assert bidi.visual_order(["a", "b", "c"], [1, 1, 1]) == ["c", "b", "a"]
    assert bidi.visual_order(["a", "b", "c"], [1, 2, 1]) == ["c", "b", "a"]


def test_latin_text_keeps_its_letters_for_search_and_copy() -> None:
    # No optional ligatures: "ffi" stays three characters in the PDF text layer.
    line, _ = prepare_line("Jeffrey Griffin", True)
    assert "".join(str(r.text) for r in line.runs) == "Jeffrey Griffin"


def test_the_tricky_names_sheet_renders(pdf_to_png: PdfToPng, tmp_path: Path) -> None:
    out = io.BytesIO()
    t = get_template("avery-l7418")
    report = render_badges(tricky_badges(), t, out)
    assert (report.badges, report.pages) == (13, 2)
    assert all("U+1F680" in w for w in report.warnings if "dropped" in w)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(out.getvalue())).pages)
    for latin in ("Zoë Ångström", "Дмитрий Иванов", "Ελένη Παπαδοπούλου", "Featherstonehaugh"):
        assert latin in text
    pages = pdf_to_png(out.getvalue(), 60)
    pages[0].save(tmp_path / "tricky-1.png")  # kept in tmp for a look when a test fails
    # Every badge has ink in its name area (nothing came out blank).
    scale = 60 / 72
    for index, badge in enumerate(tricky_badges()):
        page = pages[index // t.per_page]
        x, y = t.slot_origin(index % t.per_page)
        layout = layout_badge(badge, t)
        box = next(b for b in layout.texts if b.role == "first_name")
        left = int((x + box.x) * scale)
        top = int((t.page_height - (y + box.y + box.height)) * scale)
        crop = page.crop((left, top, left + int(box.width * scale), top + int(box.height * scale)))
        white = Image.new("RGB", crop.size, "white")
        assert ImageChops.difference(crop, white).getbbox() is not None, badge.first_name


def test_fonts_are_bundled_truetype_with_licences() -> None:
    folder = fonts_dir()
    total = 0
    for family in FALLBACK_CHAIN:
        for filename in filter(None, (family.regular, family.bold)):
            data = (folder / filename).read_bytes()
            assert data[:4] == b"\x00\x01\x00\x00", f"{filename} is not TrueType outlines"
            total += len(data)
    assert total < 25 * 1024 * 1024
    assert (folder / "LICENSE-OFL-1.1.txt").is_file()
    assert (folder / "LICENSE-Apache-2.0.txt").is_file()


def test_fonts_load_lazily_so_the_first_badge_is_quick() -> None:
    """A Latin badge in a fresh process registers Noto Sans only, not the 3 MB CJK font."""
    code = (
        "from reportlab.pdfbase import pdfmetrics\n"
        "from checkin.badges.render import render_badge_pdf\n"
        "from checkin.badges.templates import get_template\n"
        "from tests.badges.samples import guest\n"
        "render_badge_pdf(guest(), get_template('zebra-4x3'))\n"
        "print(sorted(n for n in pdfmetrics.getRegisteredFontNames() if n.startswith('WD-')))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['WD-NotoSans-Bold', 'WD-NotoSans-Regular']"


def test_a_space_after_an_emoji_or_symbol_is_a_normal_space() -> None:
    """Symbol and emoji fonts have very wide spaces: "Sam 🚀 Rocket" must not gape."""
    runs, _ = segment("Sam 🚀 Rocket ≈ √ Ⓐ ┻━┻ end", False)
    for chunk, face in runs:
        if " " in chunk:
            assert face.family.key == "NotoSans", (chunk, face.family.key)
