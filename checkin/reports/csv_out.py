"""The same lists as CSV: UTF-8 with a BOM (so Excel reads accents), formula-safe cells."""

from __future__ import annotations

import csv
import io

from checkin.reports.data import HOSTED, Snapshot, local
from checkin.reports.export import spreadsheet_safe
from checkin.reports.sheets import LABELS, STATUS


def _time(value) -> str:
    return local(value).isoformat(timespec="seconds") if value else ""


PERSON = ["last_name", "first_name", "company", "job_title", "email"]


def _person(g) -> list:
    return [g.last_name, g.first_name, g.company, g.job_title, g.email]


def _newcomer(snap: Snapshot, g) -> list:
    h = snap.host_of(g)
    if h is None:
        return [*_person(g), _time(g.checked_in_at), "", snap.unhosted_status(g), ""]
    status = STATUS.get(h.status, h.status)
    return [*_person(g), _time(g.checked_in_at), h.host.name, status, "; ".join(h.introductions)]


def _hosting(sheet, x) -> list:
    hosted = "yes" if x.status in HOSTED else "no"
    return [
        sheet.host.name,
        sheet.host.email,
        x.newcomer.name,
        x.newcomer.email,
        x.newcomer.company,
        _time(x.created_at),
        STATUS.get(x.status, x.status),
        hosted,
        "; ".join(x.introductions),
    ]


def rows_for(kind: str, snap: Snapshot) -> tuple[list[str], list[list]]:
    if kind == "attendance":
        head = [*PERSON, "checked_in_at", "door", "first_time"]
        return head, [
            [*_person(g), _time(g.checked_in_at), g.door, "yes" if g.first_time else "no"]
            for g in snap.attendance()
        ]
    if kind == "newcomers":
        head = [*PERSON, "checked_in_at", "host", "status", "introduced_to"]
        return head, [_newcomer(snap, g) for g in snap.newcomers()]
    if kind == "hosts":
        head = ["host", "host_email", "newcomer", "newcomer_email", "company", "given_at"]
        head += ["status", "counts_as_hosted", "introduced_to"]
        return head, [_hosting(s, x) for s in snap.hosts for x in s.hosted]
    if kind == "no-shows":
        head = [*PERSON, "ticket_type", "code"]
        return head, [[*_person(g), g.ticket_type, g.code] for g in snap.no_shows()]
    if kind == "summary":
        rows = [[LABELS[k], v] for k, v in snap.counts().items()]
        rows += [[f"arrivals {t.strftime('%H:%M')}", n] for t, n in snap.arrivals()]
        rows += [[f"door {door}", n] for door, n in snap.doors().items()]
        return ["measure", "value"], rows
    raise ValueError(kind)


def to_csv(kind: str, snap: Snapshot) -> bytes:
    head, rows = rows_for(kind, snap)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(head)
    for row in rows:
        w.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")
