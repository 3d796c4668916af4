"""Paint a BadgeLayout onto a reportlab canvas."""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from checkin.badges.layout import BadgeLayout, TextBox
from checkin.badges.qr import qr_image

SYNTHETIC_BOLD_STROKE = 0.04  # of the font size: outline stroke that thickens a regular font


@lru_cache(maxsize=32)
def _color(hex_value: str) -> Color:
    return HexColor(hex_value)


def _draw_text(c: Canvas, box: TextBox) -> None:
    fitted = box.fitted
    size = fitted.size
    color = _color(box.color)
    c.setFillColor(color)
    if any(run.face.synthetic_bold for line in fitted.lines for run in line.runs):
        c.setStrokeColor(color)
        c.setLineWidth(size * SYNTHETIC_BOLD_STROKE)
    text = c.beginText()
    mode = 0
    for index, (line, baseline) in enumerate(zip(fitted.lines, box.baselines(), strict=True)):
        x = box.line_x(index)
        for run in line.runs:
            wanted = 2 if run.face.synthetic_bold else 0  # 2 = fill and stroke
            if wanted != mode:
                text.setTextRenderMode(wanted)
                mode = wanted
            text.setTextOrigin(x, baseline)
            text.setFont(run.face.name, size)
            text.textOut(run.text)
            x += run.width * size
    if mode:
        text.setTextRenderMode(0)  # the mode outlives the text object: reset it
    c.drawText(text)


def draw_badge(c: Canvas, layout: BadgeLayout, x: float, y: float) -> None:
    """Draw the badge with its bottom-left corner at (x, y) on the current page."""
    c.saveState()
    c.translate(x, y)
    for fill in layout.fills:
        c.setFillColor(_color(fill.color))
        if fill.radius:
            c.roundRect(fill.x, fill.y, fill.width, fill.height, fill.radius, stroke=0, fill=1)
        else:
            c.rect(fill.x, fill.y, fill.width, fill.height, stroke=0, fill=1)
    for image in layout.images:
        if image.role == "qr" and layout.qr_data:
            reader = ImageReader(qr_image(layout.qr_data))
            c.drawImage(reader, image.x, image.y, image.width, image.height)
        elif image.role == "logo" and layout.logo_path:
            # By file name: reportlab embeds the logo once per PDF however many badges.
            c.drawImage(layout.logo_path, image.x, image.y, image.width, image.height, mask="auto")
    for box in layout.texts:
        _draw_text(c, box)
    c.restoreState()
