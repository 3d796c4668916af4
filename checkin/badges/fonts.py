"""Bundled fonts and the per-character fallback chain that lets every name print.

Fonts are registered with reportlab lazily, the first time a character needs them, so a
badge with a plain Latin name only ever loads Noto Sans (fast first badge).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import uharfbuzz
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from checkin.resources import fonts_dir


@dataclass(frozen=True)
class FontFamily:
    key: str
    regular: str  # file in resources/fonts/
    bold: str | None  # None: draw the regular outlines with a stroke (synthetic bold)
    shaping: bool  # run through HarfBuzz (kerning, joining, reordering, right to left)
    # Spaces and punctuation after a character of this font stay in it (a script's own
    # forms); not so for symbol and emoji fonts, whose spaces are as wide as an emoji.
    keeps_neighbours: bool = True


# Order matters: the first family whose cmap has a character gets it.
FALLBACK_CHAIN: tuple[FontFamily, ...] = (
    FontFamily("NotoSans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", True),
    FontFamily("NotoSansArabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", True),
    FontFamily("NotoSansHebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", True),
    FontFamily(
        "NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", True
    ),
    FontFamily("NotoSansBengali", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", True),
    FontFamily("NotoSansTamil", "NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf", True),
    FontFamily("NotoSansThai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", True),
    FontFamily(
        "NotoSansArmenian", "NotoSansArmenian-Regular.ttf", "NotoSansArmenian-Bold.ttf", True
    ),
    FontFamily(
        "NotoSansGeorgian", "NotoSansGeorgian-Regular.ttf", "NotoSansGeorgian-Bold.ttf", True
    ),
    # Chinese, Japanese and Korean (the "Full" variant lacks Hangul). No shaping needed.
    FontFamily("DroidSansFallback", "DroidSansFallback.ttf", None, False),
    # Symbols and emoji, after every script so they only fill gaps: mathematics (≈ √ ∫),
    # enclosed letters (Ⓐ ①), emoji in outline (🚀), other symbols (◕ ★ ✓), then box
    # drawing and what else only a monospaced face has (┻━┻). Drawn as they come (the
    # emoji joiners are dropped, so a family prints as its members).
    FontFamily("NotoSansMath", "NotoSansMath-Regular.ttf", None, False, keeps_neighbours=False),
    FontFamily(
        "NotoSansSymbols",
        "NotoSansSymbols-Regular.ttf",
        "NotoSansSymbols-Bold.ttf",
        False,
        keeps_neighbours=False,
    ),
    FontFamily("NotoEmoji", "NotoEmoji-Regular.ttf", None, False, keeps_neighbours=False),
    FontFamily(
        "NotoSansSymbols2", "NotoSansSymbols2-Regular.ttf", None, False, keeps_neighbours=False
    ),
    FontFamily("NotoSansMono", "NotoSansMono-Regular.ttf", None, False, keeps_neighbours=False),
)


@dataclass(frozen=True, eq=False)
class FontFace:
    """One registered reportlab font in one weight."""

    name: str  # reportlab font name
    family: FontFamily
    synthetic_bold: bool
    _cmap: dict[int, int] = field(repr=False)
    _widths: dict[int, float] = field(repr=False)

    @property
    def shaping(self) -> bool:
        return self.family.shaping

    def has_glyph(self, ch: str) -> bool:
        return self._cmap.get(ord(ch), 0) != 0

    def glyph_id(self, ch: str) -> int:
        """Glyph drawn for ch (also for the private codes reportlab gives shaped forms)."""
        return self._cmap.get(ord(ch), 0)

    def ink(self, gid: int) -> tuple[float, float, float, float]:
        """(left, right, top, bottom) of the glyph's outline in em from its origin."""
        return _ink(self.name, gid)

    def advance(self, ch: str) -> float:
        """Unshaped advance width of ch in em."""
        return self._widths.get(ord(ch), 0) / 1000.0


# Invisible format characters: dropped without a warning (emoji joiners, variation
# selectors, bidi controls our own reordering replaces, BOM).
_SILENT = set("\u200b\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e")
_SILENT |= {chr(c) for c in range(0x2066, 0x206A)}
_SILENT |= {chr(c) for c in range(0xFE00, 0xFE10)}
_lock = threading.Lock()
_faces: dict[tuple[str, bool], FontFace] = {}
_hb_fonts: dict[str, uharfbuzz.Font] = {}  # for glyph outlines' extents


@lru_cache(maxsize=16384)
def _ink(font_name: str, gid: int) -> tuple[float, float, float, float]:
    hb_font = _hb_fonts.get(font_name)
    if hb_font is None:
        hb_face = pdfmetrics._fonts[font_name].hbFace
        hb_font = _hb_fonts[font_name] = uharfbuzz.Font(hb_face)
    extents = hb_font.get_glyph_extents(gid)
    if extents is None:  # a space: no outline
        return (0.0, 0.0, 0.0, 0.0)
    upem = float(hb_font.face.upem)
    left = extents.x_bearing / upem
    top = extents.y_bearing / upem
    return (left, left + extents.width / upem, top, top + extents.height / upem)


_make_cmap = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map, with characters beyond U+FFFF written as UTF-16 (the PDF
    rule): reportlab writes <1F680> for a rocket, and readers then lose the whole map, so
    an emoji badge could not be searched or copied."""
    text = _make_cmap(fontname, [c if c <= 0xFFFF else 0 for c in subset])
    for i, c in enumerate(subset):
        if c > 0xFFFF:
            utf16 = chr(c).encode("utf-16-be").hex().upper()
            text = text.replace(f"\n<{i:02X}> <0000>\n", f"\n<{i:02X}> <{utf16}>\n", 1)
    return text


ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # looked up by reportlab at each PDF save


def _register(family: FontFamily, bold: bool) -> FontFace:
    filename = family.bold if (bold and family.bold) else family.regular
    name = "WD-" + filename.rsplit(".", 1)[0]
    # Not pdfmetrics.getFont() to probe: on a miss it scans every AFM file it can find.
    font = pdfmetrics._fonts.get(name)
    if font is None:
        font = TTFont(name, str(fonts_dir() / filename))
        pdfmetrics.registerFont(font)
    face = font.face  # type: ignore[attr-defined]
    return FontFace(
        name=name,
        family=family,
        synthetic_bold=bold and family.bold is None,
        _cmap=face.charToGlyph,
        _widths=face.charWidths,
    )


def face(family: FontFamily, bold: bool) -> FontFace:
    """The registered face, loading and registering the file on first use."""
    key = (family.key, bold)
    found = _faces.get(key)
    if found is None:
        with _lock:
            found = _faces.get(key)
            if found is None:
                found = _faces[key] = _register(family, bold)
    return found


@lru_cache(maxsize=8192)
def font_for_char(ch: str, bold: bool) -> FontFace | None:
    """The first face in the fallback chain with a glyph for ch, or None."""
    for family in FALLBACK_CHAIN:
        candidate = face(family, bold)
        if candidate.has_glyph(ch):
            return candidate
    return None


def _sticky(ch: str) -> bool:
    """Characters that should stay in the font of the text around them."""
    category = unicodedata.category(ch)
    return category[0] in "MPZ" or ch in "\u200c" or category == "Sm"


def without_invisible(text: str) -> str:
    """The text as drawn: no joiners, bidi controls or variation selectors."""
    return "".join(ch for ch in text if ch not in _SILENT)


def normalize(text: str) -> str:
    """NFC (so 'e' + combining diaeresis uses the precomposed glyph) and single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def segment(text: str, bold: bool) -> tuple[list[tuple[str, FontFace]], list[str]]:
    """Split text into (chunk, face) runs in logical order; also the characters dropped.

    Spaces, punctuation and combining marks keep the current run's font when it has them,
    so an Arabic or CJK phrase is not broken into several fonts at every space.
    """
    runs: list[tuple[str, FontFace]] = []
    dropped: list[str] = []
    current: FontFace | None = None
    chunk: list[str] = []
    for ch in text:
        if ch in _SILENT:
            continue
        if (
            current is not None
            and current.family.keeps_neighbours
            and _sticky(ch)
            and current.has_glyph(ch)
        ):
            chosen: FontFace | None = current
        else:
            chosen = font_for_char(ch, bold)
        if chosen is None:
            if not unicodedata.category(ch).startswith(("M", "C")):
                dropped.append(ch)
            continue
        if chosen is not current and chunk:
            assert current is not None
            runs.append(("".join(chunk), current))
            chunk = []
        current = chosen
        chunk.append(ch)
    if chunk and current is not None:
        runs.append(("".join(chunk), current))
    return runs, dropped


def describe_dropped(ch: str) -> str:
    name = unicodedata.name(ch, "unnamed character")
    return f"{ch!r} (U+{ord(ch):04X} {name})"
