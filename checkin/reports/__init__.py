"""The organiser's lists: attendance, first-timers to follow up, a sheet per host, no-shows
and a one-page summary, as printable A4 PDFs (reportlab) or spreadsheet-safe CSV.

    write_report(db, "Chamber Evening", "newcomers", "follow-up.pdf")

The format comes from the file suffix. Files are written whole or not at all (a temporary
file renamed into place), like the attendance export.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from checkin.errors import InvalidInput
from checkin.files import whole_file
from checkin.reports.csv_out import rows_for, to_csv
from checkin.reports.data import Snapshot, snapshot
from checkin.reports.fonts import Fonts, choose_fonts
from checkin.reports.pdf import render, styles
from checkin.reports.sheets import STORIES
from checkin.store.db import Database

KINDS = tuple(STORIES)
FORMATS = ("pdf", "csv")

__all__ = ["FORMATS", "KINDS", "ReportResult", "render_pdf", "snapshot", "write_report"]


@dataclass(frozen=True)
class ReportResult:
    kind: str
    out: str
    format: str
    rows: int  # lines of the list (hosts: host-newcomer pairs; summary: measures)
    fonts: str  # bundled, system or builtin

    def as_json(self) -> dict:
        return dict(self.__dict__)


def render_pdf(kind: str, snap: Snapshot, fonts: Fonts | None = None) -> bytes:
    title, story = STORIES[kind]
    st = styles(fonts or choose_fonts())
    return render(st, story(snap, st), event=snap.event, day=snap.day, report=title)


def write_report(
    db: Database,
    event: str | int,
    kind: str,
    out: str | os.PathLike,
    *,
    fonts: Fonts | None = None,
) -> ReportResult:
    if kind not in STORIES:
        raise InvalidInput(f"Unknown report '{kind}': use one of {', '.join(KINDS)}.")
    path = Path(out)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidInput(f"{path.name}: the file must end in .pdf or .csv.")
    snap = snapshot(db, event)
    fonts = fonts or choose_fonts()
    data = render_pdf(kind, snap, fonts) if fmt == "pdf" else to_csv(kind, snap)
    with whole_file(path) as tmp:
        tmp.write_bytes(data)
    return ReportResult(kind, str(path), fmt, len(rows_for(kind, snap)[1]), fonts.source)
