"""QR codes for guests: a folder of PNGs (to email) or one printable PDF (to hand out)."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from checkin.door.codes import display_code
from checkin.events import find_event
from checkin.files import whole_file
from checkin.store.db import Database
from checkin.store.models import Person, Registration

_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class CodeCard:
    name: str
    company: str | None
    code: str


def qr_image(text: str, box_size: int = 10):
    """A PIL image of the QR code; error correction M survives a creased printout."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image()


def qr_png_bytes(text: str, box_size: int = 10) -> bytes:
    buf = io.BytesIO()
    qr_image(text, box_size).save(buf, format="PNG")
    return buf.getvalue()


def cards(db: Database, event: str | int, codes: list[str] | None = None) -> list[CodeCard]:
    with db.read() as session:
        ev = find_event(session, event)
        q = (
            select(Person.first_name, Person.last_name, Person.company, Registration.code)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == ev.id, Registration.status != "cancelled")
            .order_by(Person.last_name, Person.first_name)
        )
        if codes:
            q = q.where(Registration.code.in_(codes))
        return [CodeCard(f"{f} {last}".strip(), c, code) for f, last, c, code in session.execute(q)]


def safe_filename(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("_")[:80] or "guest"


def write_png_folder(
    items: list[CodeCard], folder: Path, progress: Callable[[int, int], None] | None = None
) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    for i, card in enumerate(items):
        name = safe_filename(f"{card.name}_{card.code}") + ".png"
        (folder / name).write_bytes(qr_png_bytes(card.code))
        if progress:
            progress(i + 1, len(items))
    return len(items)


def write_pdf(
    items: list[CodeCard],
    path: Path,
    title: str,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """A4 sheets, 3 × 4 cards to cut out: QR, name, company, the code in readable form."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    with whole_file(path) as tmp:
        _write_sheets(Canvas(str(tmp), pagesize=A4), items, title, progress)
    return len(items)


def _write_sheets(canvas, items: list[CodeCard], title: str, progress) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader

    cols, rows = 3, 4
    width, height = A4
    cell_w, cell_h = (width - 20 * mm) / cols, (height - 30 * mm) / rows
    canvas.setTitle(f"QR codes — {title}")
    for i, card in enumerate(items):
        slot = i % (cols * rows)
        if slot == 0 and i:
            canvas.showPage()
        if slot == 0:
            heading = f"{title} — check-in codes"
            _centred(canvas, heading, width / 2, height - 12 * mm, width - 20 * mm, 10)
        c, r = slot % cols, slot // cols
        x0 = 10 * mm + c * cell_w
        y0 = height - 20 * mm - (r + 1) * cell_h
        canvas.setDash(2, 3)
        canvas.setStrokeGray(0.7)
        canvas.rect(x0, y0, cell_w, cell_h)
        canvas.setDash()
        size = min(cell_w, cell_h) - 22 * mm
        img = ImageReader(qr_image(card.code, box_size=6))
        canvas.drawImage(img, x0 + (cell_w - size) / 2, y0 + 16 * mm, size, size)
        _centred(canvas, card.name, x0 + cell_w / 2, y0 + 10 * mm, cell_w - 6 * mm, 11)
        _centred(canvas, display_code(card.code), x0 + cell_w / 2, y0 + 4.5 * mm, cell_w, 8)
        if progress:
            progress(i + 1, len(items))
    canvas.save()


def _centred(canvas, text: str, x: float, y: float, width: float, size: float) -> None:
    """One line centred on x, in the badge fonts: every script prints, shaped and in order."""
    from checkin.badges.lines import draw_line

    draw_line(canvas, text, x, y, width, size)


def write_codes(db: Database, event: str | int, out: str | os.PathLike, codes=None) -> int:
    path = Path(out)
    items = cards(db, event, codes)
    with db.read() as session:
        title = find_event(session, event).name
    if path.suffix.lower() == ".pdf":
        return write_pdf(items, path, title)
    return write_png_folder(items, path)
