"""Badges to PDF: many on a sheet or roll (render_badges), or one at check-in."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import BinaryIO

from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from checkin.badges.data import BadgeData
from checkin.badges.draw import draw_badge
from checkin.badges.layout import layout_badge
from checkin.badges.templates import BadgeTemplate

log = logging.getLogger(__name__)


@dataclass
class RenderReport:
    pages: int
    badges: int
    warnings: list[str] = field(default_factory=list)


@lru_cache(maxsize=16)
def _logo_aspect(path: str) -> float | None:
    try:
        with Image.open(path) as img:
            width, height = img.size
    except (OSError, ValueError):
        return None
    return width / height if width and height else None


def render_badges(
    badges: Iterable[BadgeData],
    template: BadgeTemplate,
    out: str | os.PathLike[str] | BinaryIO,
    *,
    start_position: int = 1,
) -> RenderReport:
    """Write one PDF. Sheets fill row by row from start_position (1-based), so a half-used
    sheet can go back in the printer. Badges are consumed one at a time; a generator of
    1,000 guests is never held as a list."""
    if not 1 <= start_position <= template.per_page:
        raise ValueError(
            f"start_position must be 1..{template.per_page} for {template.name}, "
            f"got {start_position}"
        )
    target = os.fspath(out) if isinstance(out, str | os.PathLike) else out
    canvas = Canvas(target, pagesize=template.page_size, pageCompression=1)
    canvas.setTitle(f"Badges ({template.name})")
    canvas.setCreator("Welcome Desk")
    report = RenderReport(pages=0, badges=0)
    slot = start_position - 1
    for badge in badges:
        aspect = _logo_aspect(badge.logo_path) if badge.logo_path else None
        if badge.logo_path and aspect is None:
            report.warnings.append(
                f"badge {report.badges + 1}: logo {badge.logo_path} could not be read; left off"
            )
        layout = layout_badge(badge, template, logo_aspect=aspect)
        draw_badge(canvas, layout, *template.slot_origin(slot))
        report.badges += 1
        report.warnings += [f"badge {report.badges}: {w}" for w in layout.warnings]
        slot += 1
        if slot == template.per_page:
            canvas.showPage()
            report.pages += 1
            slot = 0
    if report.badges == 0:
        raise ValueError("no badges to render")
    if slot != 0:
        canvas.showPage()
        report.pages += 1
    canvas.save()
    return report


def render_badge_pdf(badge: BadgeData, template: BadgeTemplate) -> bytes:
    """One badge as PDF bytes, for printing at check-in (first slot of a sheet)."""
    buffer = io.BytesIO()
    report = render_badges([badge], template, buffer)
    for warning in report.warnings:
        log.warning("badge: %s", warning)
    return buffer.getvalue()
