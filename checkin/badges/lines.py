"""One line of text drawn with the badge fonts: shaped, in bidi order, shrunk to fit."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from checkin.badges.text import fit_text


def draw_line(
    canvas: Canvas,
    text: str,
    x: float,
    y: float,
    width: float,
    size: float,
    *,
    bold: bool = False,
    align: str = "centre",
    min_size: float = 5,
) -> float:
    """Draw ``text`` on baseline ``y`` within [x, x+width] (``align``: left, centre, right;
    for centre, x is the middle). Returns the size used (0 when nothing was drawable)."""
    fitted = fit_text(
        text,
        bold=bold,
        width=width,
        height=size * 1.4,
        max_size=size,
        min_size=min_size,
        max_lines=1,
    )
    if not fitted.lines:
        return 0.0
    line, points = fitted.lines[0], fitted.size
    drawn = line.width * points
    start = {"left": x, "right": x + width - drawn}.get(align, x - drawn / 2)
    cursor = start - line.left * points
    out = canvas.beginText()
    for run in line.runs:  # shaped runs keep HarfBuzz's glyph positions
        out.setTextOrigin(cursor, y)
        out.setFont(run.face.name, points)
        out.textOut(run.text)
        cursor += run.width * points
    canvas.drawText(out)
    return points
