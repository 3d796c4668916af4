"""The printed page every list shares: A4, event name and date on top, "page X of Y" below,
tables whose header row repeats on every page."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from checkin.badges.text import Line, paragraph_is_rtl, wrap_lines
from checkin.reports.fonts import Fonts

PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
TOP = 24 * mm  # room for the running header
WIDTH = PAGE_W - 2 * MARGIN
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
RULE = colors.HexColor("#cbd2d9")
STRIPE = colors.HexColor("#f5f7fa")
HEAD = colors.HexColor("#e4e7eb")
ACCENT = colors.HexColor("#2f6f9f")


@dataclass(frozen=True)
class Styles:
    fonts: Fonts
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle
    small: ParagraphStyle
    number: ParagraphStyle

    def p(self, text: str | None, style: ParagraphStyle | None = None, bold: bool = False):
        """A paragraph of user text (a name, a company) in fonts that have its glyphs.

        With the bundled fonts it goes through the badges' own line engine (per-run fonts,
        shaping, bidi order): reportlab's paragraph shaping shapes a word that mixes fonts
        ("¯\\_(ツ)_/¯": Latin and Japanese) with its first font only and fails, and it swaps
        Arabic words.
        """
        style = style or self.cell
        if text and self.fonts.source == "bundled":
            return TextBlock(text, style, bold)
        return Paragraph(self.fonts.markup(text, bold), style)


class TextBlock(Flowable):
    """User text wrapped to the available width and drawn as the badges draw their lines;
    right-aligned when it is right to left (or when the style says so)."""

    def __init__(self, text: str, style: ParagraphStyle, bold: bool) -> None:
        super().__init__()
        self.text, self.style, self.bold = text, style, bold
        self.rtl = paragraph_is_rtl(text)
        self._wrapped: tuple[float, tuple[Line, ...]] | None = None

    def _lines(self, avail_width: float) -> tuple[Line, ...]:
        if self._wrapped is None or self._wrapped[0] != avail_width:  # tables ask repeatedly
            lines = wrap_lines(self.text, self.bold, avail_width / self.style.fontSize)
            self._wrapped = (avail_width, lines)
        return self._wrapped[1]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.lines = self._lines(avail_width)
        self.width = avail_width
        self.height = max(1, len(self.lines)) * self.style.leading
        return self.width, self.height

    def draw(self) -> None:
        c, size, leading = self.canv, self.style.fontSize, self.style.leading
        c.setFillColor(self.style.textColor)
        right = self.rtl or self.style.alignment == TA_RIGHT
        for i, line in enumerate(self.lines):
            drawn = line.width * size
            x = (self.width - drawn if right else 0.0) - line.left * size
            baseline = self.height - (i + 1) * leading + (leading - size) + 0.2 * size
            text = c.beginText()
            for run in line.runs:  # shaped runs keep HarfBuzz's glyph positions
                text.setTextOrigin(x, baseline)
                text.setFont(run.face.name, size)
                text.textOut(run.text)
                x += run.width * size
            c.drawText(text)


def styles(fonts: Fonts) -> Styles:
    def style(name: str, size: float, bold: bool = False, color=INK, **kw) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=fonts.bold if bold else fonts.regular,
            fontSize=size,
            leading=size * 1.25,
            textColor=color,
            # With the bundled fonts user text is drawn by the badges' engine (Styles.p), and
            # reportlab's own shaping stays off: it shapes a word that mixes fonts with the
            # first font only and fails. One system font: its shaping joins Arabic.
            shaping=0 if fonts.source == "bundled" else 1,
            **kw,
        )

    return Styles(
        fonts,
        title=style("title", 17, True, spaceAfter=2 * mm),
        subtitle=style("subtitle", 10, color=MUTED, spaceAfter=5 * mm),
        heading=style("heading", 13, True, spaceBefore=4 * mm, spaceAfter=2 * mm),
        body=style("body", 10),
        cell=style("cell", 8.5),
        head=style("head", 8.5, True),
        small=style("small", 7.5, color=MUTED),
        number=style("number", 8.5, alignment=TA_RIGHT),
    )


def table(
    st: Styles, headers: list[str], rows: list[list], widths: list[float], numeric=()
) -> Table:
    """A striped table; cells that are strings become wrapping paragraphs."""
    fractions = sum(widths)
    col_widths = [WIDTH * w / fractions for w in widths]
    head = ParagraphStyle("head-right", st.head, alignment=TA_RIGHT)
    body = [[Paragraph(h, head if i in numeric else st.head) for i, h in enumerate(headers)]]
    for row in rows:
        body.append(
            [
                st.p(c, st.number if i in numeric else st.cell)
                if isinstance(c, str) or c is None
                else c
                for i, c in enumerate(row)
            ]
        )
    t = Table(body, colWidths=col_widths, repeatRows=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    commands += [("BACKGROUND", (0, i), (-1, i), STRIPE) for i in range(2, len(body), 2)]
    t.setStyle(TableStyle(commands))
    return t


def _numbered_canvas(st: Styles, event: str, day: dt.date | None, report: str):
    """A canvas that draws the running header and "page X of Y" once it knows Y."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # reportlab's name; called at each page end
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            self.saveState()
            date = day.strftime("%A %d %B %Y") if day else ""
            head = st.p(event, st.body, bold=True)
            _, h = head.wrap(WIDTH * 0.65, 20 * mm)
            head.drawOn(self, MARGIN, PAGE_H - 12 * mm - h)
            self.setFont(st.fonts.regular, 9)
            self.setFillColor(MUTED)
            self.drawRightString(PAGE_W - MARGIN, PAGE_H - 12 * mm - 10, f"{report}  ·  {date}")
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            self.line(MARGIN, PAGE_H - 16 * mm, PAGE_W - MARGIN, PAGE_H - 16 * mm)
            self.line(MARGIN, 13 * mm, PAGE_W - MARGIN, 13 * mm)
            self.drawString(MARGIN, 9 * mm, "Welcome Desk")
            self.drawRightString(PAGE_W - MARGIN, 9 * mm, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas


def render(
    st: Styles, story: list[Flowable], *, event: str, day: dt.date | None, report: str
) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=18 * mm,
        title=f"{report} — {event}",
        author="Welcome Desk",
    )
    doc.build(story, canvasmaker=_numbered_canvas(st, event, day, report))
    return buf.getvalue()
