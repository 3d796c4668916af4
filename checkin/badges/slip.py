"""The host slip: a small label for a host the moment they are given a newcomer.

Printed on the door's badge stock, so it comes out of the same printer: whom to look for,
what they share, and whom to introduce them to; and, when the hosts' phone server runs, a
QR of the host's personal link (their newcomers on their own phone).
"""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from checkin.badges.lines import draw_line
from checkin.badges.qr import qr_image
from checkin.badges.templates import BadgeTemplate
from checkin.door.outcomes import Outcome

PURPLE = HexColor("#6a1b9a")


def render_host_slip(
    outcome: Outcome, template: BadgeTemplate, link_url: str | None = None
) -> bytes:
    """One slip (one page, the template's badge size) for the host of ``outcome``; with
    ``link_url`` (the host's phone link), its QR in the bottom right corner."""
    if outcome.host is None or outcome.guest is None:
        raise ValueError("a host slip needs a newcomer with a host")
    width, height = template.badge_width, template.badge_height
    margin = min(width, height) * 0.07
    inner = width - 2 * margin
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    canvas.setTitle(f"Host slip — {outcome.guest.name}")
    band = height * 0.2
    canvas.setFillColor(PURPLE)
    canvas.rect(0, height - band, width, band, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#ffffff"))
    draw_line(canvas, f"{outcome.host.name}: your newcomer", width / 2,
              height - band * 0.68, inner, band * 0.42, bold=True)  # fmt: skip
    canvas.setFillColor(HexColor("#111111"))
    y = height - band - height * 0.18
    draw_line(canvas, outcome.guest.name, width / 2, y, inner, height * 0.16, bold=True)
    lines = []
    if outcome.guest.company:
        lines.append(outcome.guest.company)
    if outcome.host.shared_interests:
        lines.append("You both like " + ", ".join(outcome.host.shared_interests))
    if outcome.introductions:
        lines.append("Introduce to: " + ", ".join(i.name for i in outcome.introductions))
    size = height * 0.075
    centre, room = width / 2, inner
    if link_url:
        side = height * 0.34
        canvas.drawImage(ImageReader(qr_image(link_url)), width - margin - side, margin, side, side)
        room = inner - side - margin  # the lines beside the code, not under it
        centre = margin + room / 2
    for text in lines:
        y -= size * 1.6
        draw_line(canvas, text, centre, y, room, size)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
