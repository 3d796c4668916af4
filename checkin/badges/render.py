"""Badges to PDF: many on a sheet or roll (render_badges), or one at check-in."""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from checkin.badges.data import BadgeData
from checkin.badges.draw import draw_badge
from checkin.badges.layout import layout_badge
from checkin.badges.pdf_join import join_pdfs
from checkin.badges.templates import BadgeTemplate

log = logging.getLogger(__name__)
CHUNK_PAGES = 250  # pages a canvas holds before it is saved and a fresh one started


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
    report = RenderReport(pages=0, badges=0)
    chunks = _Chunks(template)
    slot = start_position - 1
    for badge in badges:
        aspect = _logo_aspect(badge.logo_path) if badge.logo_path else None
        if badge.logo_path and aspect is None:
            report.warnings.append(
                f"badge {report.badges + 1}: logo {badge.logo_path} could not be read; left off"
            )
        layout = layout_badge(badge, template, logo_aspect=aspect)
        draw_badge(chunks.canvas, layout, *template.slot_origin(slot))
        report.badges += 1
        report.warnings += [f"badge {report.badges}: {w}" for w in layout.warnings]
        slot += 1
        if slot == template.per_page:
            chunks.end_page()
            report.pages += 1
            slot = 0
    if report.badges == 0:
        raise ValueError("no badges to render")
    if slot != 0:
        chunks.end_page()
        report.pages += 1
    chunks.write(out)
    return report


class _Chunks:
    """reportlab's canvas keeps every page until it saves: badges go to a fresh canvas every
    CHUNK_PAGES pages, each chunk is saved to a scratch file, and pdf_join streams them into
    one file at the end, so memory holds one chunk's pages, not ten thousand."""

    def __init__(self, template: BadgeTemplate) -> None:
        self.template = template
        self._scratch = tempfile.TemporaryDirectory(prefix="welcome-desk-badges-")
        self.done: list[Path] = []
        self.canvas = self._new_canvas()
        self._pages = 0

    def _new_canvas(self) -> Canvas:
        path = Path(self._scratch.name) / f"chunk-{len(self.done):05d}.pdf"
        canvas = Canvas(str(path), pagesize=self.template.page_size, pageCompression=1)
        canvas.setTitle(f"Badges ({self.template.name})")
        canvas.setCreator("Welcome Desk")
        self._path = path
        return canvas

    def end_page(self) -> None:
        self.canvas.showPage()
        self._pages += 1
        if self._pages == CHUNK_PAGES:
            self._save_chunk()

    def _save_chunk(self) -> None:
        self.canvas.save()
        self.done.append(self._path)
        self.canvas = self._new_canvas()
        self._pages = 0

    def write(self, out: str | os.PathLike[str] | BinaryIO) -> None:
        try:
            if self._pages or not self.done:
                self._save_chunk()
            if len(self.done) == 1:  # one chunk (a badge at the door): reportlab's file as is
                data = self.done[0].read_bytes()
                if isinstance(out, str | os.PathLike):
                    Path(out).write_bytes(data)
                else:
                    out.write(data)
            else:
                _join(self.done, f"Badges ({self.template.name})", out)
        finally:
            self._scratch.cleanup()


def _join(chunks: list[Path], title: str, out: str | os.PathLike[str] | BinaryIO) -> None:
    if isinstance(out, str | os.PathLike):
        with open(out, "wb") as fh:
            join_pdfs(chunks, fh, title, "Welcome Desk")
    else:
        join_pdfs(chunks, out, title, "Welcome Desk")


def render_badge_pdf(badge: BadgeData, template: BadgeTemplate) -> bytes:
    """One badge as PDF bytes, for printing at check-in (first slot of a sheet)."""
    buffer = io.BytesIO()
    report = render_badges([badge], template, buffer)
    for warning in report.warnings:
        log.warning("badge: %s", warning)
    return buffer.getvalue()
