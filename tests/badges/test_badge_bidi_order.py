"""Words come out in reading order: right-to-left names, mixed lines, numbers (UAX #9).

Three checks of the same thing, from the inside out:

- the layout: each glyph of a prepared line knows the character it draws and its x, so the
  order of the words on the line can be read off (in a right-to-left line the first word
  has the largest x);
- the printed badge: the PDF rasterised at 200 dpi, each word drawn alone at the same size
  and found in the picture by its shape, the words' x-positions compared;
- an independent reference: Pillow with libraqm (FriBidi + HarfBuzz) draws the same text;
  the words are found in its picture the same way, and the orders must agree.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat, features
from reportlab.pdfgen.canvas import Canvas

from checkin.badges import bidi
from checkin.badges.data import BadgeData
from checkin.badges.draw import draw_badge
from checkin.badges.layout import BadgeLayout, TextBox, layout_badge
from checkin.badges.render import render_badges
from checkin.badges.templates import BadgeTemplate, get_template
from checkin.badges.text import Fitted, Line, fit_text, prepare_line
from checkin.resources import fonts_dir

PdfToPng = Callable[[bytes, int], list[Image.Image]]
DPI = 200
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# (text, its words and marks from left to right as printed). Each token occurs once in the
# text. Read right to left, a right-to-left line gives its first word first.
ORDER_CASES = [
    ("محمد علي", ["علي", "محمد"]),
    ("فاطمة الزهراء", ["الزهراء", "فاطمة"]),
    ("שרה כהן", ["כהן", "שרה"]),
    ("अनिल कुमार", ["अनिल", "कुमार"]),
    # Arabic first: a right-to-left line with a left-to-right island (the brackets are
    # mirrored there, see below).
    ("فاطمة الزهراء (Acme Ltd)", ["Acme", "Ltd", "الزهراء", "فاطمة"]),
    # Latin first: a left-to-right line with a right-to-left island.
    ("Sarah (سارة) Smith", ["Sarah", "(", "سارة", ")", "Smith"]),
    ("Dana Levi שרה כהן", ["Dana", "Levi", "כהן", "שרה"]),
    ("علي 12 محمد", ["محمد", "12", "علي"]),
    # Numbers read left to right, with their separators, inside right-to-left text ...
    ("שרה 12.5", ["1", "2", ".", "5", "שרה"]),
    ("שרה 2024-2025", ["2024", "-", "2025", "שרה"]),
    # ... Arabic-Indic digits too, on their own and after Latin.
    ("محمد ٤٧٨", ["٤", "٧", "٨", "محمد"]),
    ("Room ٤٧", ["Room", "٤", "٧"]),
]


def _spans(text: str, tokens: Sequence[str]) -> dict[str, range]:
    spans = {}
    for token in tokens:
        assert text.count(token) == 1, (text, token)
        start = text.index(token)
        spans[token] = range(start, start + len(token))
    return spans


def _visual_tokens(line: Line, tokens: Sequence[str]) -> list[str]:
    """The tokens sorted by the mean x of the glyphs that draw them."""
    spans = _spans(line.text, tokens)
    centre: dict[str, list[float]] = {token: [] for token in tokens}
    for index, x, advance in line.glyphs():
        for token, span in spans.items():
            if index in span:
                centre[token].append(x + advance / 2)
    assert all(centre.values()), centre
    return sorted(tokens, key=lambda t: sum(centre[t]) / len(centre[t]))


@pytest.mark.parametrize("bold", [True, False])
@pytest.mark.parametrize(("text", "visual"), ORDER_CASES)
def test_words_are_laid_out_in_reading_order(text: str, visual: list[str], bold: bool) -> None:
    line, _ = prepare_line(text, bold)
    assert _visual_tokens(line, visual) == visual


def test_brackets_around_a_latin_island_in_arabic_face_the_right_way() -> None:
    line, _ = prepare_line("فاطمة الزهراء (Acme Ltd)", True)
    assert "".join(str(r.text) for r in line.runs).startswith("(Acme Ltd) ")


def test_arabic_indic_digits_are_not_reversed() -> None:
    line, _ = prepare_line("٢٠٢٤", True)
    assert "".join(str(r.text) for r in line.runs) == "٢٠٢٤"
    line, _ = prepare_line("محمد ٢٠٢٤", True)
    assert "".join(str(r.text) for r in line.runs).startswith("٢٠٢٤ ")


def test_a_wrapped_right_to_left_line_keeps_its_direction_on_the_second_line() -> None:
    """UAX #9 orders lines after breaking: the second line of an Arabic company name that
    starts with a Latin word is still a right-to-left line (the Latin word at its right)."""
    text = "مجموعة Acme للتقنية"
    wide = fit_text(text, bold=True, width=1000, height=100, max_size=30, min_size=20)
    (one,) = wide.lines
    assert _visual_tokens(one, ["مجموعة", "Acme", "للتقنية"]) == ["للتقنية", "Acme", "مجموعة"]
    narrow = fit_text(text, bold=True, width=90, height=100, max_size=30, min_size=20)
    first, second = narrow.lines
    assert first.text == "مجموعة"
    assert _visual_tokens(second, ["Acme", "للتقنية"]) == ["للتقنية", "Acme"]


def test_bidi_levels_of_numbers() -> None:
    assert bidi.levels("אב 1.5") == [1, 1, 1, 2, 2, 2]  # W4: 1.5 is one number
    assert bidi.levels("אב 1-2") == [1, 1, 1, 2, 2, 2]
    assert bidi.levels("אב $12 30%") == [1, 1, 1, 2, 2, 2, 1, 2, 2, 2]  # W5
    assert bidi.levels("אב 1. ") == [1, 1, 1, 2, 1, 1]  # a trailing stop is not in it
    assert bidi.levels("ab ١٢") == [0, 0, 0, 2, 2]  # Arabic-Indic digits: AN, level 2
    assert bidi.levels("ab 12 אב") == [0, 0, 0, 0, 0, 0, 1, 1]  # W7: 12 after Latin is L
    assert bidi.levels("(Acme)", rtl=True) == [1, 2, 2, 2, 2, 1]  # given paragraph direction


# --- the printed badge --------------------------------------------------------------------


def _ink_box(image: Image.Image) -> tuple[int, int, int, int]:
    box = ImageChops.invert(image).getbbox()
    assert box is not None, "nothing drawn"
    return box


def _locate(image: Image.Image, template: Image.Image, top: int, x0: int, x1: int) -> int:
    """x where template (ink on white, its top row at top) matches image best."""
    w, h = template.size

    def cost(x: int) -> float:
        crop = image.crop((x, top, x + w, top + h))
        return ImageStat.Stat(ImageChops.difference(crop, template)).sum[0]

    x0, x1 = max(0, x0), min(image.width - w, x1 - w)
    coarse = min(range(x0, x1 + 1, 3), key=cost)
    best = min(range(max(x0, coarse - 3), min(x1, coarse + 3) + 1), key=cost)
    # Found, not just the least bad place: the ink matches to within a small fraction.
    ink = ImageStat.Stat(ImageChops.invert(template)).sum[0]
    assert cost(best) < 0.25 * ink, "word not found in the picture"
    return best


def _order(
    image: Image.Image, templates: dict[str, Image.Image], tops: dict[str, int], x0: int, x1: int
) -> list[str]:
    found = {t: _locate(image, templates[t], tops[t], x0, x1) for t in templates}
    return sorted(found, key=found.__getitem__)


def _pdf_line(template: BadgeTemplate, box: TextBox, line: Line, baseline: float) -> bytes:
    """One line drawn alone, at box's size and with its baseline at baseline (page pt)."""
    size = box.fitted.size
    fitted = Fitted((line,), size, (), box.fitted.leading)
    x, y = template.slot_origin(0)
    # A TextBox puts its first baseline one ascent below its top.
    bottom = baseline - y - line.descent * size
    alone = TextBox("t", box.x, bottom, line.width * size, line.height * size, fitted, "#000")
    layout = BadgeLayout(
        template.badge_width, template.badge_height, (), (), (alone,), (), None, None
    )
    out = io.BytesIO()
    c = Canvas(out, pagesize=template.page_size)
    draw_badge(c, layout, x, y)
    c.showPage()
    c.save()
    return out.getvalue()


# Printed on a badge: the reported names, and lines mixing Latin and Arabic (each word in
# its own script's font; test_badge_scripts checks that no glyph is the empty box).
PRINT_CASES = [
    ("محمد علي", ["علي", "محمد"]),
    ("שרה כהן", ["כהן", "שרה"]),
    ("अनिल कुमार", ["अनिल", "कुमार"]),
    ("فاطمة الزهراء (Acme Ltd)", ["Acme", "Ltd", "الزهراء", "فاطمة"]),
    ("Sarah (سارة) Smith", ["Sarah", "سارة", "Smith"]),
]


@pytest.mark.parametrize(("text", "visual"), PRINT_CASES)
def test_printed_words_are_in_reading_order(
    text: str, visual: list[str], pdf_to_png: PdfToPng
) -> None:
    template = get_template("zebra-4x3")
    badge = BadgeData("Guest", text, event_name="Names test")
    out = io.BytesIO()
    render_badges([badge], template, out)
    (page,) = pdf_to_png(out.getvalue(), DPI)
    page = page.convert("L")
    box = next(b for b in layout_badge(badge, template).texts if b.role == "full_name")
    assert len(box.fitted.lines) == 1
    ox, oy = template.slot_origin(0)
    baseline = oy + box.baselines()[0]
    scale = DPI / 72
    templates, tops = {}, {}
    for token in visual:
        line, _ = prepare_line(token, False)
        (alone,) = pdf_to_png(_pdf_line(template, box, line, baseline), DPI)
        alone = alone.convert("L")
        left, top, right, bottom = _ink_box(alone)
        templates[token] = alone.crop((left, top, right, bottom))
        tops[token] = top
    x0, x1 = int((ox + box.x) * scale), int((ox + box.x + box.width) * scale) + 1
    assert _order(page, templates, tops, x0, x1) == visual


# --- an independent reference: Pillow + libraqm (FriBidi, HarfBuzz) ------------------------

needs_raqm = pytest.mark.skipif(
    not features.check("raqm"), reason="Pillow without libraqm: no reference bidi/shaping"
)


def _raqm(text: str, font: ImageFont.FreeTypeFont, width: int) -> Image.Image:
    image = Image.new("L", (width, 300), 255)
    ImageDraw.Draw(image).text((20, 200), text, font=font, fill=0, anchor="ls")
    return image


@needs_raqm
@pytest.mark.parametrize(("text", "visual"), ORDER_CASES)
def test_reference_renderer_agrees_on_the_order(text: str, visual: list[str]) -> None:
    """libraqm finds the same visual order (this checks the expectations above).

    Drawn in one font that has every script of the line: the bundled one for a single
    script, DejaVu Sans Bold from the system for the mixed lines (skipped without it).
    """
    line, _ = prepare_line(text, True)
    faces = {run.face.name for run in line.runs}
    if len(faces) == 1:
        path = fonts_dir() / (line.runs[0].face.name.removeprefix("WD-") + ".ttf")
    elif DEJAVU_BOLD.is_file() and "अ" not in text:
        path = DEJAVU_BOLD
    else:
        pytest.skip("not applicable here: no single font has this mix of scripts")
    font = ImageFont.truetype(str(path), 60, layout_engine=ImageFont.Layout.RAQM)
    width = int(font.getlength(text)) + 200
    image = _raqm(text, font, width)
    templates, tops = {}, {}
    for token in visual:
        alone = _raqm(token, font, width)
        left, top, right, bottom = _ink_box(alone)
        templates[token] = alone.crop((left, top, right, bottom))
        tops[token] = top
    assert _order(image, templates, tops, 0, width) == visual


SHAPING_CASES = [
    ("محمد علي", "علي محمد"),
    ("فاطمة الزهراء", "الزهراء فاطمة"),
    ("שרה כהן", "כהן שרה"),
    ("अनिल कुमार", "कुमार अनिल"),
]


@needs_raqm
@pytest.mark.parametrize(("text", "swapped"), SHAPING_CASES)
def test_printed_line_matches_the_reference_rendering(
    text: str, swapped: str, pdf_to_png: PdfToPng
) -> None:
    """Same font, same size: our PDF and libraqm's picture agree pixel for pixel (up to
    anti-aliasing), far more closely than libraqm's picture of the words swapped."""
    size = 36.0
    line, _ = prepare_line(text, True)
    (face,) = {run.face.name for run in line.runs}
    fitted = Fitted((line,), size, (), 1.12)
    box = TextBox("t", 20, 20, line.width * size, line.height * size, fitted, "#000000")
    page_w, page_h = line.width * size + 40, line.height * size + 40
    out = io.BytesIO()
    c = Canvas(out, pagesize=(page_w, page_h))
    layout = BadgeLayout(page_w, page_h, (), (), (box,), (), None, None)
    draw_badge(c, layout, 0, 0)
    c.showPage()
    c.save()
    (ours,) = pdf_to_png(out.getvalue(), DPI)
    ours = ours.convert("L")
    ours = ours.crop(_ink_box(ours))
    font = ImageFont.truetype(
        str(fonts_dir() / (face.removeprefix("WD-") + ".ttf")),
        round(size * DPI / 72),
        layout_engine=ImageFont.Layout.RAQM,
    )

    def reference(s: str) -> Image.Image:
        image = _raqm(s, font, int(font.getlength(s)) + 100)
        return image.crop(_ink_box(image))

    def distance(a: Image.Image, b: Image.Image) -> float:
        w, h = max(a.width, b.width), max(a.height, b.height)
        pa, pb = Image.new("L", (w, h), 255), Image.new("L", (w, h), 255)
        pa.paste(a)
        pb.paste(b)
        return ImageStat.Stat(ImageChops.difference(pa, pb)).mean[0]

    right = reference(text)
    assert abs(ours.width - right.width) <= 3
    good, bad = distance(ours, right), distance(ours, reference(swapped))
    assert good < 12 and good < bad / 4, (good, bad)
