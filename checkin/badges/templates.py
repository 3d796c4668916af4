"""Badge stock described by JSON data files (see resources/badge_templates/README.md).

All lengths are stored in PDF points (1/72 in) once loaded; the JSON may use mm, in or pt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from checkin.resources import templates_dir

UNITS = {"mm": 72 / 25.4, "in": 72.0, "pt": 1.0}
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_TOP_KEYS = {"name", "description", "unit", "badge", "sheet", "source", "notes"}
_BADGE_KEYS = {"width", "height", "safe_margin"}
_SHEET_KEYS = {
    "width",
    "height",
    "columns",
    "rows",
    "margin_left",
    "margin_top",
    "pitch_x",
    "pitch_y",
}
_TOLERANCE = 0.5  # pt: rounding in published inch/mm figures


class TemplateError(ValueError):
    """A template file is unreadable or wrong; names the file and the field."""

    def __init__(self, message: str, *, path: str | None = None, field: str | None = None):
        where = path or "<template>"
        text = f"{where}: field '{field}': {message}" if field else f"{where}: {message}"
        super().__init__(text)
        self.path = path
        self.field = field


@dataclass(frozen=True)
class BadgeTemplate:
    name: str
    description: str
    badge_width: float  # pt
    badge_height: float
    safe_margin: float  # pt kept clear inside each badge (unprintable edge, holder window)
    page_width: float
    page_height: float
    columns: int = 1
    rows: int = 1
    margin_left: float = 0.0  # left page edge to the first column
    margin_top: float = 0.0  # top page edge to the first row
    pitch_x: float = 0.0  # left edge to left edge of neighbouring badges
    pitch_y: float = 0.0
    sheet: bool = False  # False: one badge per page (roll or single label)
    source: str = ""
    path: str | None = None

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def page_size(self) -> tuple[float, float]:
        return (self.page_width, self.page_height)

    @property
    def badge_size(self) -> tuple[float, float]:
        return (self.badge_width, self.badge_height)

    def slot_origin(self, slot: int) -> tuple[float, float]:
        """Bottom-left corner (PDF coordinates) of the 0-based slot, filled row by row."""
        if not 0 <= slot < self.per_page:
            raise ValueError(f"slot {slot} is outside 0..{self.per_page - 1}")
        row, col = divmod(slot, self.columns)
        x = self.margin_left + col * self.pitch_x
        top = self.page_height - self.margin_top - row * self.pitch_y
        return (x, top - self.badge_height)


def _number(
    obj: Mapping[str, Any], key: str, field: str, path: str, *, positive: bool = True
) -> float:
    if key not in obj:
        raise TemplateError("is required", path=path, field=field)
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TemplateError(f"must be a number, got {value!r}", path=path, field=field)
    if value < 0 or (positive and value == 0):
        rule = "greater than 0" if positive else "0 or more"
        raise TemplateError(f"must be {rule}, got {value!r}", path=path, field=field)
    return float(value)


def _count(obj: Mapping[str, Any], key: str, field: str, path: str) -> int:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TemplateError(f"must be a whole number >= 1, got {value!r}", path=path, field=field)
    return value


def _object(value: Any, field: str, path: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise TemplateError("must be a JSON object", path=path, field=field)
    for key in value:
        if key not in allowed:
            prefix = f"{field}." if field else ""
            raise TemplateError(
                f"unknown field (allowed: {', '.join(sorted(allowed))})",
                path=path,
                field=f"{prefix}{key}",
            )
    return value


def _text(obj: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str:
    value = obj.get(key, "")
    if required and key not in obj:
        raise TemplateError("is required", path=path, field=key)
    if not isinstance(value, str):
        raise TemplateError(f"must be a string, got {value!r}", path=path, field=key)
    return value


def parse_template(data: Any, path: str = "<template>") -> BadgeTemplate:
    """Validate one decoded JSON document and convert it to points."""
    top = _object(data, "", path, _TOP_KEYS)
    name = _text(top, "name", path, required=True)
    if not _NAME_RE.match(name):
        raise TemplateError(
            f"must be lower-case letters, digits, '.', '_' or '-', got {name!r}",
            path=path,
            field="name",
        )
    unit = top.get("unit", "mm")
    if unit not in UNITS:
        raise TemplateError(
            f"must be one of {sorted(UNITS)}, got {unit!r}", path=path, field="unit"
        )
    k = UNITS[unit]
    if "badge" not in top:
        raise TemplateError("is required", path=path, field="badge")
    badge = _object(top["badge"], "badge", path, _BADGE_KEYS)
    width = _number(badge, "width", "badge.width", path) * k
    height = _number(badge, "height", "badge.height", path) * k
    safe = 0.0
    if "safe_margin" in badge:
        safe = _number(badge, "safe_margin", "badge.safe_margin", path, positive=False) * k
    if safe * 4 >= min(width, height):
        raise TemplateError(
            "leaves less than half the badge to print on", path=path, field="badge.safe_margin"
        )
    common = dict(
        name=name,
        description=_text(top, "description", path),
        badge_width=width,
        badge_height=height,
        safe_margin=safe,
        source=_text(top, "source", path),
        path=path,
    )
    _text(top, "notes", path)
    if "sheet" not in top:
        return BadgeTemplate(page_width=width, page_height=height, **common)  # type: ignore[arg-type]

    sheet = _object(top["sheet"], "sheet", path, _SHEET_KEYS)
    page_w = _number(sheet, "width", "sheet.width", path) * k
    page_h = _number(sheet, "height", "sheet.height", path) * k
    cols = _count(sheet, "columns", "sheet.columns", path)
    rows = _count(sheet, "rows", "sheet.rows", path)
    left = _number(sheet, "margin_left", "sheet.margin_left", path, positive=False) * k
    top_m = _number(sheet, "margin_top", "sheet.margin_top", path, positive=False) * k
    pitch_x = sheet.get("pitch_x", badge["width"])
    pitch_y = sheet.get("pitch_y", badge["height"])
    pitch_x = _number({"p": pitch_x}, "p", "sheet.pitch_x", path) * k
    pitch_y = _number({"p": pitch_y}, "p", "sheet.pitch_y", path) * k
    if cols > 1 and pitch_x + _TOLERANCE < width:
        raise TemplateError("is smaller than badge.width", path=path, field="sheet.pitch_x")
    if rows > 1 and pitch_y + _TOLERANCE < height:
        raise TemplateError("is smaller than badge.height", path=path, field="sheet.pitch_y")
    if left + (cols - 1) * pitch_x + width > page_w + _TOLERANCE:
        raise TemplateError("the columns run off the sheet", path=path, field="sheet.columns")
    if top_m + (rows - 1) * pitch_y + height > page_h + _TOLERANCE:
        raise TemplateError("the rows run off the sheet", path=path, field="sheet.rows")
    return BadgeTemplate(
        page_width=page_w,
        page_height=page_h,
        columns=cols,
        rows=rows,
        margin_left=left,
        margin_top=top_m,
        pitch_x=pitch_x,
        pitch_y=pitch_y,
        sheet=True,
        **common,  # type: ignore[arg-type]
    )


def load_template_file(path: str | Path) -> BadgeTemplate:
    path_s = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read: {exc}", path=path_s) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", path=path_s
        ) from exc
    return parse_template(data, path_s)


def _load_dir(folder: Path) -> dict[str, BadgeTemplate]:
    found: dict[str, BadgeTemplate] = {}
    if not folder.is_dir():
        return found
    for file in sorted(folder.glob("*.json")):
        template = load_template_file(file)
        if template.name in found:
            raise TemplateError(
                f"name {template.name!r} is already used by {found[template.name].path}",
                path=str(file),
                field="name",
            )
        found[template.name] = template
    return found


def load_templates(extra_dirs: Iterable[str | Path] = ()) -> dict[str, BadgeTemplate]:
    """The shipped templates, then each extra folder's (a later folder wins on a name clash)."""
    templates = _load_dir(templates_dir())
    for folder in extra_dirs:
        templates.update(_load_dir(Path(folder)))
    return templates


@lru_cache(maxsize=1)
def _shipped() -> dict[str, BadgeTemplate]:
    return load_templates()


def get_template(name: str, extra_dirs: Iterable[str | Path] = ()) -> BadgeTemplate:
    extra = tuple(extra_dirs)
    templates = load_templates(extra) if extra else _shipped()
    try:
        return templates[name]
    except KeyError:
        known = ", ".join(sorted(templates)) or "none"
        raise TemplateError(f"no badge template named {name!r} (known: {known})") from None
