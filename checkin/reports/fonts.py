"""Fonts for the lists: every guest's name must print, whatever its script.

First choice: the fonts bundled for badges (checkin.badges.fonts), with their per-character
fallback chain, so a list mixing Latin, Arabic, Devanagari and CJK names prints each in a
font that has it. Else DejaVu Sans from the system (wide Latin, Greek, Cyrillic, Hebrew,
Arabic). Else Helvetica: Western European names only, but the report is still made.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

Segmenter = Callable[[str, bool], list[tuple[str, str]]]  # text, bold -> [(chunk, font name)]


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    source: str  # bundled, system, builtin
    segment: Segmenter | None = None  # per-character fallback, when there is one

    def markup(self, text: str | None, bold: bool = False) -> str:
        """Paragraph markup for ``text``: escaped, each run in a font that has its glyphs.

        For a paragraph without reportlab's shaping (see reports.pdf.styles); user text in
        a list goes through ``Styles.p``, which draws it with the badges' line engine."""
        if not text:
            return ""
        if self.segment is None:
            return escape(text)
        try:
            runs = self.segment(text, bold)
        except Exception:  # a font that fails to load must not stop the list
            log.exception("font fallback failed (text not logged: guest data)")
            return escape(text)
        base = self.bold if bold else self.regular
        return "".join(
            escape(chunk) if name == base else f'<font name="{name}">{escape(chunk)}</font>'
            for chunk, name in runs
        )


def _bundled() -> Fonts:
    from checkin.badges import fonts as badge_fonts

    chain = badge_fonts.FALLBACK_CHAIN
    regular = badge_fonts.face(chain[0], False).name
    bold = badge_fonts.face(chain[0], True).name

    def segment(text: str, bold: bool) -> list[tuple[str, str]]:
        runs, _dropped = badge_fonts.segment(badge_fonts.normalize(text), bold)
        return [(chunk, face.name) for chunk, face in runs]

    return Fonts(regular, bold, "bundled", segment)


def _system() -> Fonts:
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    for name, path in (("WD-DejaVuSans", regular), ("WD-DejaVuSans-Bold", bold)):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
    return Fonts("WD-DejaVuSans", "WD-DejaVuSans-Bold", "system")


BUILTIN = Fonts("Helvetica", "Helvetica-Bold", "builtin")


@lru_cache(maxsize=4)
def choose_fonts(bundled: bool = True, system: bool = True) -> Fonts:
    """The best fonts this machine has (the flags let tests take the fallbacks)."""
    for allowed, make in ((bundled, _bundled), (system, _system)):
        if not allowed:
            continue
        try:
            return make()
        except Exception as exc:  # missing files, an older badges module ...
            log.info("report fonts: %s unavailable (%s)", make.__name__, exc)
    return BUILTIN
