"""Lines of text ready to draw: font runs, shaping, visual order, widths; and fitting."""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeFragWord

from checkin.badges import bidi
from checkin.badges.fonts import (
    FontFace,
    describe_dropped,
    normalize,
    segment,
    without_invisible,
)

# Kerning and the script's required forms, but no optional ligatures: "fi" must stay two
# characters so the PDF text can still be searched and copied.
_FEATURES = {"kern": True, "liga": False, "dlig": False, "clig": False}
_SHAPING = threading.Lock()
_SHAPE_SIZE = 10.0  # shaping results are in 1/1000 em, so any size works for every size


@dataclass(frozen=True)
class Run:
    text: str  # visual order; a reportlab ShapedStr when HarfBuzz positioned the glyphs
    face: FontFace
    width: float  # advance at 1 pt
    # Per drawn glyph, left to right: the index in Line.text of the character it draws
    # (of the first one, for a glyph that joins several).
    clusters: tuple[int, ...] = ()

    def advances(self) -> list[tuple[float, float, float]]:
        """(x offset, y offset, advance) in em of each drawn glyph, left to right."""
        shape_data = getattr(self.text, "__shapeData__", None)
        if shape_data is not None:
            return [(d.x_offset / 1000, d.y_offset / 1000, d.x_advance / 1000) for d in shape_data]
        return [(0.0, 0.0, self.face.advance(ch)) for ch in self.text]


# Nominal extent of a line of Latin text (cap height + a little, descender), in em: lines
# are at least this tall so spacing stays even; taller ink (Å, Arabic marks) widens them.
NOMINAL_ASCENT = 0.76
NOMINAL_DESCENT = 0.24


@dataclass(frozen=True)
class Line:
    text: str  # the logical text (what the guest typed, normalised)
    runs: tuple[Run, ...]
    advance: float  # pen advance at 1 pt
    left: float  # ink overhanging left of the pen start (<= 0), at 1 pt
    width: float  # from the leftmost to the rightmost ink or pen position, at 1 pt
    ascent: float  # per 1 pt: covers the highest ink of the line
    descent: float  # per 1 pt, positive: covers the lowest ink

    @property
    def height(self) -> float:
        return self.ascent + self.descent

    def glyphs(self) -> list[tuple[int, float, float]]:
        """(index in text, pen x, advance) of each glyph as drawn, left to right, at 1 pt.

        What the tests check the visual order against: in a right-to-left line the first
        word's glyphs have the largest x.
        """
        out = []
        x = 0.0
        for run in self.runs:
            for index, (_, _, advance) in zip(run.clusters, run.advances(), strict=True):
                out.append((index, x, advance))
                x += advance
        return out


def _shape(text: str, face: FontFace) -> tuple[str, float]:
    plain = pdfmetrics.stringWidth(text, face.name, _SHAPE_SIZE)
    word = [plain, (ABag(fontName=face.name, fontSize=_SHAPE_SIZE), text)]
    with _SHAPING:  # reportlab adds shaped-only glyphs to the font's shared tables
        shaped = shapeFragWord(word, features=_FEATURES)
    if shaped is word or len(shaped) != 2:  # nothing changed, or split frags: draw plainly
        return text, plain / _SHAPE_SIZE
    out = shaped[1][1]
    if isinstance(out, ShapedStr):
        return out, sum(d.x_advance for d in out.__shapeData__) / 1000.0
    return out, pdfmetrics.stringWidth(out, face.name, 1.0)


def _harfbuzz_guesses_rtl(text: str) -> bool:
    """The direction reportlab's shaping will use: HarfBuzz guesses it from the script."""
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    return buffer.direction == "rtl"


def _make_run(text: str, face: FontFace, level: int, start: int) -> Run:
    """One run of one font and one level; start is its place in the line's logical text."""
    rtl = level % 2 == 1
    if (face.shaping or rtl) and _harfbuzz_guesses_rtl(text) == rtl:
        # Right-to-left scripts come out in visual order; Latin gets kerning; Devanagari
        # its conjuncts and vowel signs.
        drawn, width = _shape(text, face)
        shape_data = getattr(drawn, "__shapeData__", None)
        if shape_data is not None:
            clusters = tuple(start + d.cluster for d in shape_data)
        else:  # one glyph per character
            clusters = _plain_clusters(len(drawn), start, rtl)
        return Run(drawn, face, width, clusters)
    # HarfBuzz would guess the other direction. Right to left: only spaces and punctuation
    # inside right-to-left text, reversed and mirrored by hand. Left to right: drawn plainly
    # in logical order, e.g. Arabic-Indic digits (٢٠٢٤), which read left to right but which
    # HarfBuzz, guessing from their script, would reverse.
    drawn = bidi.mirror(text[::-1]) if rtl else text
    width = pdfmetrics.stringWidth(drawn, face.name, 1.0)
    return Run(drawn, face, width, _plain_clusters(len(drawn), start, rtl))


def _plain_clusters(n: int, start: int, rtl: bool) -> tuple[int, ...]:
    return tuple(start + (n - 1 - i if rtl else i) for i in range(n))


# Small: guest names are unique, the cache is for the event name and the fixed phrases.
@lru_cache(maxsize=256)
def prepare_line(text: str, bold: bool, rtl: bool | None = None) -> tuple[Line, tuple[str, ...]]:
    """One line ready to draw, plus the characters no bundled font could print.

    rtl is the paragraph direction (None: from the first strong character); a wrapped
    paragraph's lines all take the direction of the whole (UAX #9 orders lines after
    breaking, the paragraph's direction does not change at the break).
    """
    text = normalize(text)
    chunks, dropped = segment(text, bold)
    if dropped:  # "Sam 🚀" -> "Sam": no stray space left where the emoji was
        chunks, _ = segment(normalize("".join(chunk for chunk, _ in chunks)), bold)
    logical = "".join(chunk for chunk, _ in chunks)
    char_levels = bidi.levels(logical, rtl)
    pieces: list[tuple[str, FontFace, int, int]] = []  # text, face, level, start
    pos = 0
    for chunk, face in chunks:
        start = pos
        for i in range(1, len(chunk) + 1):
            if i == len(chunk) or char_levels[pos + i] != char_levels[start]:
                pieces.append((logical[start : pos + i], face, char_levels[start], start))
                start = pos + i
        pos += len(chunk)
    visual = bidi.visual_order(pieces, [level for _, _, level, _ in pieces])
    runs = tuple(_make_run(*piece) for piece in visual)
    advance = sum(r.width for r in runs)
    left, right, top, bottom = _ink_box(runs)
    line = Line(
        text=logical,
        runs=runs,
        advance=advance,
        left=min(0.0, left),
        width=max(advance, right) - min(0.0, left),
        ascent=max(NOMINAL_ASCENT, top),
        descent=max(NOMINAL_DESCENT, -bottom),
    )
    return line, tuple(describe_dropped(ch) for ch in dropped)


def _ink_box(runs: tuple[Run, ...]) -> tuple[float, float, float, float]:
    """Left, right, top and bottom of the glyph outlines of a line, in em from its origin.

    Marks raised by HarfBuzz and glyphs that overhang their advance are included, so a
    box sized from this never cuts a letter.
    """
    left, right, top, bottom = 0.0, 0.0, 0.0, 0.0
    x = 0.0
    for run in runs:
        grow = 0.03 if run.face.synthetic_bold else 0.0  # the stroke sticks out a little
        for ch, (dx, dy, advance) in zip(run.text, run.advances(), strict=True):
            g_left, g_right, g_top, g_bottom = run.face.ink(run.face.glyph_id(ch))
            if g_right > g_left:
                left = min(left, x + dx + g_left - grow)
                right = max(right, x + dx + g_right + grow)
                top = max(top, dy + g_top + grow)
                bottom = min(bottom, dy + g_bottom - grow)
            x += advance
    return left, right, top, bottom


def _is_cjk(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH", "HIRAGANA", "KATAKANA"))


def break_points(text: str) -> list[tuple[str, str]]:
    """Ways to split text into two lines: at spaces, and between Chinese/Japanese characters."""
    text = normalize(text)
    splits: list[tuple[str, str]] = []
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1:
            splits.append((text[:i], text[i + 1 :]))
        elif i > 0 and _is_cjk(ch) and _is_cjk(text[i - 1]):
            splits.append((text[:i], text[i:]))
    return splits


@dataclass(frozen=True)
class Fitted:
    lines: tuple[Line, ...]
    size: float
    warnings: tuple[str, ...]
    leading: float  # baseline to baseline, per 1 pt

    def height(self) -> float:
        """Top of the tallest glyph of the first line to the bottom of the last."""
        if not self.lines:
            return 0.0
        first, last = self.lines[0], self.lines[-1]
        inner = (len(self.lines) - 1) * self.leading
        return (first.ascent + inner + last.descent) * self.size

    def width(self) -> float:
        return max((line.width for line in self.lines), default=0.0) * self.size


def _size_for(
    lines: tuple[Line, ...], width: float, height: float, max_size: float, leading: float
) -> float:
    widest = max(line.width for line in lines)
    size = max_size if widest <= 0 else min(max_size, width / widest)
    em_height = lines[0].ascent + (len(lines) - 1) * leading + lines[-1].descent
    return min(size, height / em_height) if em_height > 0 else size


def fit_text(
    text: str,
    *,
    bold: bool,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    max_lines: int = 2,
    leading: float = 1.12,
) -> Fitted:
    """Largest size <= max_size at which text fits the box on one line; if that is below
    min_size, the best two-line split at a word boundary; never wider or taller than the box
    (below min_size it keeps shrinking rather than overflow or cut letters)."""
    one, warnings = prepare_line(text, bold)
    if not one.runs:
        return Fitted((), 0.0, warnings, leading)
    best = ((one,), _size_for((one,), width, height, max_size, leading))
    if best[1] >= min_size or max_lines < 2:
        return Fitted(best[0], best[1], warnings, leading)
    best_size, best_widest = best[1] * 1.0001, one.width
    rtl = bidi.base_is_rtl(one.text)
    for head, tail in break_points(text):
        first, _ = prepare_line(head, bold, rtl)
        second, _ = prepare_line(tail, bold, rtl)
        if not first.runs or not second.runs:
            continue
        size = _size_for((first, second), width, height, max_size, leading)
        # Ties (both capped at max_size) go to the more even split.
        if (size, -max(first.width, second.width)) > (best_size, -best_widest):
            best = ((first, second), size)
            best_size, best_widest = size, max(first.width, second.width)
    return Fitted(best[0], best[1], warnings, leading)


def paragraph_is_rtl(text: str) -> bool:
    """The direction prepare_line gives the text: from its first strong character, the
    invisible bidi marks left out as they are when drawn."""
    return bidi.base_is_rtl(without_invisible(normalize(text)))


def _tokens(text: str) -> list[str]:
    """Pieces a paragraph may break between: words (with their trailing space), and single
    Chinese/Japanese characters, which need no space to break."""
    out: list[str] = []
    for i, ch in enumerate(text):
        starts = not out or out[-1].endswith(" ") or (_is_cjk(ch) and _is_cjk(text[i - 1]))
        if starts and ch != " ":
            out.append(ch)
        else:
            out[-1] += ch
    return out


def _longest_prefix(text: str, bold: bool, rtl: bool, width: float) -> int:
    """How many characters of a word too wide for a line fit one (at least one character,
    never cutting a combining mark from its letter)."""
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if prepare_line(text[:mid], bold, rtl)[0].width <= width:
            low = mid
        else:
            high = mid - 1
    while low < len(text) and unicodedata.category(text[low]).startswith("M"):
        low += 1
    return low


def wrap_lines(text: str, bold: bool, width: float) -> tuple[Line, ...]:
    """The paragraph broken into lines no wider than width (in em where it can be): at
    spaces, between Chinese/Japanese characters, and inside a word only when the word alone
    is too wide. Every line keeps the direction of the whole paragraph."""
    text = normalize(text)
    rtl = paragraph_is_rtl(text)
    lines: list[Line] = []
    current = ""
    pending = _tokens(text)
    while pending:
        token = pending.pop(0)
        candidate = current + token
        if prepare_line(candidate, bold, rtl)[0].width <= width:
            current = candidate
            continue
        if current:
            lines.append(prepare_line(current, bold, rtl)[0])
            current = ""
            pending.insert(0, token)
            continue
        cut = _longest_prefix(token, bold, rtl, width)
        lines.append(prepare_line(token[:cut], bold, rtl)[0])
        if token[cut:]:
            pending.insert(0, token[cut:])
    if current:
        lines.append(prepare_line(current, bold, rtl)[0])
    return tuple(line for line in lines if line.runs)
