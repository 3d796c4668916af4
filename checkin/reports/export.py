"""The attendance file: CSV (safe to open in a spreadsheet), JSON and XLSX.

Spreadsheets run a cell that starts with = + - @ (or a tab/CR before them) as a formula, so
in CSV such a cell is written with a leading apostrophe: it shows as text, and a guest named
"=HYPERLINK(...)" cannot run anything on the organiser's machine (CSV injection). Invisible
characters in front (a no-break space, U+200B, U+FEFF, U+202E …) do not hide the formula:
spreadsheets skip some of them, so the guard skips them all.

XLSX can say "this is text" itself: every string is stored as a string cell, and a
formula-like one also carries Excel's own quote-prefix flag, so "+44 20 7946 0000" reads as
typed (no apostrophe) and stays text even when the cell is edited.
"""

from __future__ import annotations

import csv
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from checkin.errors import InvalidInput
from checkin.events import find_event
from checkin.files import whole_file
from checkin.store.db import Database
from checkin.store.models import Assignment, Host, Person, Registration
from checkin.text import fold
from checkin.timeutil import as_utc

COLUMNS = (
    "first_name",
    "last_name",
    "email",
    "company",
    "job_title",
    "code",
    "status",
    "checked_in",
    "checked_in_at",
    "door",
    "first_time",
    "host",
    "source",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Spaces, controls and format characters (zero-width, bidi, BOM) a spreadsheet may skip.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn"})


def looks_like_formula(value: str) -> bool:
    if not value:
        return False
    if value[0].isalnum():
        return False  # nearly every value: no scan needed
    for ch in value:
        if ch in _FORMULA_START:
            return True
        if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES:
            return False
    return False


def spreadsheet_safe(value: object) -> object:
    # Leading spaces and invisible characters too: some spreadsheets trim them and then
    # read a formula.
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


@dataclass(frozen=True)
class AttendanceRow:
    first_name: str
    last_name: str
    email: str | None
    company: str | None
    job_title: str | None
    code: str
    status: str
    checked_in: bool
    checked_in_at: str | None  # ISO 8601 with the machine's local offset
    door: str | None
    first_time: bool | None
    host: str | None
    source: str

    def values(self) -> list:
        return [getattr(self, c) for c in COLUMNS]


def attendance(
    db: Database, event: str | int, *, present_only: bool = False
) -> list[AttendanceRow]:
    """Everyone on the list (or only those checked in), alphabetical by last name."""
    with db.read() as session:
        ev = find_event(session, event)
        hosts = dict(
            session.execute(
                select(Assignment.newcomer_id, Person.first_name + " " + Person.last_name)
                .join(Host, Host.id == Assignment.host_id)
                .join(Registration, Registration.id == Host.registration_id)
                .join(Person, Person.id == Registration.person_id)
                .where(Assignment.event_id == ev.id, Assignment.status.in_(("active", "met")))
                .order_by(Assignment.created_at)
            ).all()
        )
        q = (
            select(Registration, Person)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == ev.id)
        )
        if present_only:
            q = q.where(Registration.checked_in_at.is_not(None))
        rows = []
        for reg, p in session.execute(q).all():
            at = reg.checked_in_at
            rows.append(
                AttendanceRow(
                    p.first_name,
                    p.last_name,
                    p.email,
                    p.company,
                    p.job_title,
                    reg.code,
                    reg.status,
                    at is not None,
                    as_utc(at).astimezone().isoformat(timespec="seconds") if at else None,
                    reg.checked_in_device,
                    reg.first_time,
                    hosts.get(reg.id),
                    reg.source,
                )
            )
    rows.sort(key=lambda r: (fold(r.last_name), fold(r.first_name), r.code))
    return rows


def _atomic_write(path: Path, write) -> None:
    """Write through ``write(file)``, whole or not at all."""
    with whole_file(path) as tmp, open(tmp, "wb") as fh:
        write(fh)


def write_csv(rows: list[AttendanceRow], path: Path) -> None:
    def write(fh) -> None:
        import io

        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        w = csv.writer(text)
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([_csv_cell(v) for v in r.values()])
        text.flush()
        text.detach()

    _atomic_write(path, write)


def _csv_cell(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else spreadsheet_safe(value)


def write_json(rows: list[AttendanceRow], path: Path, event: str) -> None:
    doc = {"event": event, "attendees": [dict(zip(COLUMNS, r.values(), strict=True)) for r in rows]}
    _atomic_write(path, lambda fh: fh.write(json.dumps(doc, ensure_ascii=False, indent=2).encode()))


def write_xlsx(rows: list[AttendanceRow], path: Path, event: str) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="Attendance")
    ws.append(list(COLUMNS))
    for r in rows:
        ws.append([xlsx_cell(ws, v) for v in r.values()])
    _atomic_write(path, wb.save)


def xlsx_cell(ws, value: object):
    """A cell that is text when the value is text: never a formula, no visible apostrophe."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return value
    # XML cannot hold most control characters at all: shown as U+FFFD instead of failing.
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    cell.data_type = "s"  # openpyxl would make "=..." a formula
    if looks_like_formula(value):
        cell.quotePrefix = True  # Excel's own "this is text", kept when the cell is edited
    return cell


FORMATS = ("csv", "json", "xlsx")


def export_attendance(
    db: Database, event: str | int, out: str | os.PathLike, fmt: str | None = None
) -> int:
    path = Path(out)
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown export format '{fmt}': use one of {', '.join(FORMATS)}.")
    rows = attendance(db, event)
    with db.read() as session:
        name = find_event(session, event).name
    if fmt == "csv":
        write_csv(rows, path)
    elif fmt == "json":
        write_json(rows, path, name)
    else:
        write_xlsx(rows, path, name)
    return len(rows)
