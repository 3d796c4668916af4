"""Where everything goes on one badge, in badge coordinates (points, origin bottom-left).

Pure geometry: no canvas here, so tests can check that every box stays on the badge.
"""

from __future__ import annotations

from dataclasses import dataclass

from checkin.badges.data import BadgeData
from checkin.badges.fonts import normalize
from checkin.badges.templates import BadgeTemplate
from checkin.badges.text import Fitted, fit_text, prepare_line

NAVY = "#14325C"  # header band; white text on it, 12:1 contrast
AMBER = "#FFC72C"  # first-timer band; black text on it
INK = "#111111"
GREY = "#3A3A3A"
WHITE = "#FFFFFF"

FIRST_TIME_TEXT = "First time — say hello!"
HOST_PREFIX = "Your host: "


@dataclass(frozen=True)
class TextBox:
    role: str
    x: float
    y: float  # bottom
    width: float
    height: float
    fitted: Fitted
    color: str

    def baselines(self) -> list[float]:
        """Baseline of each line, top line first."""
        f = self.fitted
        top = self.y + self.height
        first = top - f.lines[0].ascent * f.size if f.lines else top
        return [first - i * f.leading * f.size for i in range(len(f.lines))]

    def line_x(self, index: int) -> float:
        """Pen start of a centred line (its ink, not its advance, is centred)."""
        line = self.fitted.lines[index]
        size = self.fitted.size
        return self.x + (self.width - line.width * size) / 2 - line.left * size


@dataclass(frozen=True)
class Box:
    role: str  # "header", "footer", "logo_tile" (filled rectangles), "logo", "qr" (images)
    x: float
    y: float
    width: float
    height: float
    color: str = ""
    radius: float = 0.0


@dataclass(frozen=True)
class BadgeLayout:
    width: float
    height: float
    fills: tuple[Box, ...]
    images: tuple[Box, ...]
    texts: tuple[TextBox, ...]
    warnings: tuple[str, ...]
    qr_data: str | None
    logo_path: str | None

    def all_boxes(self) -> list[Box | TextBox]:
        return [*self.fills, *self.images, *self.texts]


@dataclass(frozen=True)
class _Spec:
    role: str
    text: str
    bold: bool
    max_size: float
    min_size: float  # below this, wrap to two lines (it still shrinks further if it must)
    color: str
    max_lines: int = 2
    primary: bool = False  # shrinks last


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


SMALLEST_TEXT = 7.0  # pt: secondary lines do not shrink below this to make room


def _text_box(
    spec: _Spec,
    x: float,
    width: float,
    height: float,
    scale: float = 1.0,
    *,
    hard: bool = False,
) -> TextBox:
    """Fit one spec into width x height; hard=True lets secondary lines go below 7 pt."""
    size = spec.max_size * scale
    if not (spec.primary or hard):
        size = max(size, min(spec.max_size, SMALLEST_TEXT))
    fitted = fit_text(
        spec.text,
        bold=spec.bold,
        width=width,
        height=height,
        max_size=size,
        min_size=min(spec.min_size, size),
        max_lines=spec.max_lines,
    )
    h = fitted.height()
    return TextBox(spec.role, x, 0.0, width, h, fitted, spec.color)


def _measure(
    specs: list[_Spec],
    x: float,
    width: float,
    height: float,
    gap: float,
    primary: float,
    secondary: float,
    hard: bool = False,
) -> tuple[list[TextBox], float]:
    boxes = []
    for spec in specs:
        scale = primary if spec.primary else secondary
        box = _text_box(spec, x, width, height, scale, hard=hard)
        if box.fitted.lines:
            boxes.append(box)
    total = sum(b.height for b in boxes) + gap * secondary * max(0, len(boxes) - 1)
    return boxes, total


def _fit_stack(
    specs: list[_Spec], x: float, width: float, height: float, gap: float
) -> tuple[list[TextBox], float]:
    """Shrink until the stack fits: secondary lines first (to 60 %), then the first name
    down to its floor; give up (for the caller to leave a line off) below that."""
    primary, secondary = 1.0, 1.0
    while True:
        boxes, total = _measure(specs, x, width, height, gap, primary, secondary)
        if total <= height:
            return boxes, total
        if secondary > 0.6:
            secondary *= 0.92
            continue
        first = next((b for b in boxes if b.role == "first_name"), None)
        spec = next((s for s in specs if s.primary), None)
        if first is None or spec is None or first.fitted.size <= spec.min_size * 1.001:
            return boxes, total
        primary *= 0.92


def _stack(
    specs: list[_Spec], x: float, y0: float, width: float, height: float, gap: float
) -> list[TextBox]:
    """Fit the lines top to bottom and centre the stack in the area. When even shrinking
    will not do, lines are left off (job title, then company, then full name)."""
    active = list(specs)
    boxes, total = _fit_stack(active, x, width, height, gap)
    while total > height:
        droppable = [s for s in active if not s.primary]
        if not droppable:
            break
        active.remove(max(droppable, key=lambda s: _DROP_ORDER.get(s.role, 0)))
        boxes, total = _fit_stack(active, x, width, height, gap)
    scale = 1.0
    while total > height and scale > 0.05:  # last resort: below every floor, never overflow
        scale *= 0.9
        boxes, total = _measure(active, x, width, height, gap, scale, scale, hard=True)
    # Sit a little above the centre: big names read better high on the badge.
    free = max(0.0, height - total)
    top = y0 + height - free * 0.42
    used_gap = (total - sum(b.height for b in boxes)) / max(1, len(boxes) - 1)
    placed: list[TextBox] = []
    for box in boxes:
        placed.append(
            TextBox(box.role, x, top - box.height, width, box.height, box.fitted, box.color)
        )
        top -= box.height + used_gap
    return placed


_DROP_ORDER = {"job_title": 3, "company": 2, "full_name": 1, "host": 1}


def _dropped(label: str, spec: _Spec) -> list[str]:
    return [f"{label}: dropped {d}" for d in prepare_line(spec.text, spec.bold)[1]]


def _specs(badge: BadgeData, unit: float) -> list[_Spec]:
    first = normalize(badge.first_name)
    full = normalize(badge.full_name)
    if not first:
        first, full = full, ""
    if full.casefold() == first.casefold():
        full = ""
    big = min(unit * 0.46, 80.0)
    # Floor for the first name: the size that still reads at 2 m on this stock.
    specs = [_Spec("first_name", first, True, big, max(16.0, big * 0.6), INK, primary=True)]
    if full:
        specs.append(_Spec("full_name", full, False, big * 0.38, 9.0, INK))
    if badge.job_title and normalize(badge.job_title):
        specs.append(_Spec("job_title", badge.job_title, False, big * 0.27, 7.5, GREY))
    if badge.company and normalize(badge.company):
        specs.append(_Spec("company", badge.company, True, big * 0.29, 7.5, NAVY))
    return specs


def _header(
    badge: BadgeData, area: tuple[float, float, float, float], pad: float, logo_aspect: float
) -> tuple[list[Box], list[Box], list[TextBox], list[str], float]:
    """Navy band with the event name in white; the logo on a white tile at its left."""
    x0, _, x1, y1 = area
    h = area[3] - area[1]
    hh = _clamp(h * 0.15, 18.0, 40.0)
    fills = [Box("header", x0, y1 - hh, x1 - x0, hh, NAVY, min(6.0, hh * 0.2))]
    images: list[Box] = []
    texts: list[TextBox] = []
    middle = y1 - hh / 2
    inner = hh - 2 * max(2.5, hh * 0.14)
    tx0 = x0 + pad
    if logo_aspect > 0:
        tile_h = inner + 2
        img_w = min((tile_h - 4) * logo_aspect, (x1 - x0) * 0.35 - 4)
        img_h = img_w / logo_aspect
        tile_w = img_w + 4
        fills.append(Box("logo_tile", tx0 - 1, middle - tile_h / 2, tile_w, tile_h, WHITE, 2.5))
        images.append(Box("logo", tx0 + 1, middle - img_h / 2, img_w, img_h))
        tx0 += tile_w + pad * 0.6
    warnings: list[str] = []
    event = normalize(badge.event_name)
    if event:
        spec = _Spec("event", event, True, inner * 0.62, 5.0, WHITE)
        box = _text_box(spec, tx0, x1 - pad - tx0, inner)
        bottom = middle - box.height / 2
        texts.append(TextBox("event", tx0, bottom, box.width, box.height, box.fitted, WHITE))
        warnings += _dropped("event name", spec)
    return fills, images, texts, warnings, hh


def _footer(
    host: str, area: tuple[float, float, float, float], pad: float
) -> tuple[Box, list[TextBox], list[str], float]:
    """Amber band: the first-timer mark, and who their host is."""
    x0, y0, x1, _ = area
    h = area[3] - area[1]
    fh = _clamp(h * (0.2 if host else 0.13), 16.0, 56.0 if host else 34.0)
    band = Box("footer", x0, y0, x1 - x0, fh, AMBER, min(6.0, fh * 0.2))
    fpad = max(2.0, fh * 0.08)
    size = fh * (0.36 if host else 0.5)
    lines = [_Spec("first_time", FIRST_TIME_TEXT, True, size, 5.0, INK, primary=True)]
    if host:
        lines.append(_Spec("host", HOST_PREFIX + host, False, fh * 0.28, 5.0, INK, 1))
    texts = _stack(lines, x0 + pad, y0 + fpad, x1 - x0 - 2 * pad, fh - 2 * fpad, fh * 0.06)
    warnings = _dropped("host name", lines[-1]) if host else []
    return band, texts, warnings, fh


def layout_badge(
    badge: BadgeData, template: BadgeTemplate, *, logo_aspect: float | None = None
) -> BadgeLayout:
    """Lay out one badge. logo_aspect (width / height) is needed to place a logo."""
    w, h = template.badge_width, template.badge_height
    m = template.safe_margin
    area = (m, m, w - m, h - m)  # the printable, safe part of the badge
    short = min(w, h)
    pad = max(3.0, short * 0.035)
    fills: list[Box] = []
    images: list[Box] = []
    texts: list[TextBox] = []
    warnings: list[str] = []

    aspect = logo_aspect if (badge.logo_path and logo_aspect and logo_aspect > 0) else 0.0
    body_x0, body_y0, body_x1, body_y1 = area[0] + pad, area[1], area[2] - pad, area[3]
    if normalize(badge.event_name) or aspect:
        band_fills, band_images, band_texts, notes, hh = _header(badge, area, pad, aspect)
        fills += band_fills
        images += band_images
        texts += band_texts
        warnings += notes
        body_y1 = area[3] - hh - pad
    if badge.first_time:
        band, band_texts, notes, fh = _footer(normalize(badge.host_name or ""), area, pad)
        fills.append(band)
        texts += band_texts
        warnings += notes
        body_y0 = area[1] + fh + pad

    if badge.vcard:
        body_w, body_h = body_x1 - body_x0, body_y1 - body_y0
        if h > w * 1.15:  # portrait: QR centred under the text
            q = min(body_w * 0.5, body_h * 0.36)
            images.append(Box("qr", (w - q) / 2, body_y0, q, q))
            body_y0 += q + pad
        else:  # landscape: QR on the right, text column to its left
            q = min(body_h, body_w * 0.32)
            images.append(Box("qr", body_x1 - q, body_y0 + (body_h - q) / 2, q, q))
            body_x1 -= q + pad

    specs = _specs(badge, min(body_y1 - body_y0, short))
    gap = max(1.5, short * 0.012)
    placed = _stack(specs, body_x0, body_y0, body_x1 - body_x0, body_y1 - body_y0, gap)
    texts += placed
    shown = {box.role for box in placed}
    for spec in specs:
        label = spec.role.replace("_", " ")
        warnings += _dropped(label, spec)
        if spec.role not in shown and prepare_line(spec.text, spec.bold)[0].runs:
            warnings.append(f"{label}: left off, no room on this badge")

    return BadgeLayout(
        width=w,
        height=h,
        fills=tuple(fills),
        images=tuple(images),
        texts=tuple(texts),
        warnings=tuple(warnings),
        qr_data=badge.vcard or None,
        logo_path=badge.logo_path if aspect else None,
    )
