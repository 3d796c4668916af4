"""The five lists as reportlab stories: attendance, newcomers, hosts, no-shows, summary."""

from __future__ import annotations

import math

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from checkin.reports.data import HOSTED, Guest, Snapshot, hhmm, local
from checkin.reports.pdf import ACCENT, INK, MUTED, RULE, WIDTH, Styles, table

STATUS = {
    "active": "with host",
    "met": "met",
    "released": "released",
    "reassigned": "reassigned",
    "host_left": "host left",
    "undone": "undone",
    "superseded": "other host",  # a merge found a later host at another door
    "absent": "left",  # a merge found them no longer checked in
}


def _title(st: Styles, title: str, subtitle: str) -> list[Flowable]:
    return [Paragraph(title, st.title), Paragraph(subtitle, st.subtitle)]


def _who(g: Guest) -> str:
    return " · ".join(x for x in (g.company, g.job_title) if x)


def _guest(st: Styles, g: Guest) -> list[Flowable]:
    """Name, and the email under it in small type: the follow-up needs both, side by side."""
    cell: list[Flowable] = [st.p(g.name)]
    if g.email:
        cell.append(st.p(g.email, st.small))
    return cell


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def attendance(snap: Snapshot, st: Styles) -> list[Flowable]:
    rows = snap.attendance()
    story = _title(
        st, "Attendance", f"{_plural(len(rows), 'guest')} checked in, alphabetical by last name"
    )
    body = [
        [str(i), g.name, _who(g), hhmm(g.checked_in_at), g.door, "yes" if g.first_time else ""]
        for i, g in enumerate(rows, start=1)
    ]
    headers = ["#", "Name", "Company · role", "Arrived", "Door", "First time"]
    story.append(table(st, headers, body, [6, 30, 35, 9, 10, 10], numeric=(0,)))
    return story


def newcomers(snap: Snapshot, st: Styles) -> list[Flowable]:
    rows = snap.newcomers()
    story = _title(
        st,
        "First-timers: the follow-up list",
        f"{_plural(len(rows), 'first-timer')}, with their host and the people they were "
        "introduced to",
    )
    body = []
    for g in rows:
        h = snap.host_of(g)
        status = STATUS.get(h.status, h.status) if h else snap.unhosted_status(g)
        body.append(
            [
                _guest(st, g),
                _who(g),
                hhmm(g.checked_in_at),
                h.host.name if h else "",
                status,
                ", ".join(h.introductions) if h else "",
            ]
        )
    headers = ["Guest", "Company · role", "Arrived", "Host", "Status", "Introduced to"]
    story.append(table(st, headers, body, [25, 19, 9, 15, 9, 23]))
    return story


def hosts(snap: Snapshot, st: Styles) -> list[Flowable]:
    story: list[Flowable] = []
    if not snap.hosts:
        return _title(st, "Hosts", "No hosts at this event.")
    for i, sheet in enumerate(snap.hosts):
        if i:
            story.append(PageBreak())
        h = sheet.host
        kept = [x for x in sheet.hosted if x.status in HOSTED]
        story.append(st.p(h.name, st.title, bold=True))
        facts = [_who(h), f"hosted {_plural(len(kept), 'newcomer')}", f"capacity {sheet.capacity}"]
        story.append(st.p(" · ".join(f for f in facts if f), st.subtitle))
        if not sheet.hosted:
            story.append(Paragraph("No newcomers this time.", st.body))
            continue
        body = [
            [
                _guest(st, x.newcomer),
                _who(x.newcomer),
                hhmm(x.created_at),
                STATUS.get(x.status, x.status),
                ", ".join(x.introductions),
            ]
            for x in sheet.hosted
        ]
        headers = ["Newcomer", "Company · role", "Given at", "Status", "Introduced to"]
        story.append(table(st, headers, body, [28, 24, 10, 11, 27]))
    return story


def no_shows(snap: Snapshot, st: Styles) -> list[Flowable]:
    rows = snap.no_shows()
    story = _title(
        st, "No-shows", f"{_plural(len(rows), 'guest')} registered, not cancelled, never checked in"
    )
    tickets = any(g.ticket_type for g in rows)  # most lists have none: no empty column
    body = [[g.name, _who(g), g.email, *([g.ticket_type] if tickets else []), g.code] for g in rows]
    headers = ["Name", "Company · role", "Email", *(["Ticket"] if tickets else []), "Code"]
    widths = [22, 26, 30, *([12] if tickets else []), 18]
    story.append(table(st, headers, body, widths))
    return story


LABELS = {
    "registered": "Registered",
    "checked_in": "Checked in",
    "first_timers": "First-timers",
    "hosted": "Hosted",
    "waiting": "Waiting for a host",
    "no_shows": "No-shows",
    "walk_ins": "Walk-ins",
    "cancelled": "Cancelled",
}


def summary(snap: Snapshot, st: Styles) -> list[Flowable]:
    counts = snap.counts()
    story = _title(st, "Summary", "The evening in numbers")
    cells = [_count_cell(st, LABELS[k], v) for k, v in counts.items()]
    grid = Table([cells[:4], cells[4:]], colWidths=[WIDTH / 4] * 4, rowHeights=[21 * mm] * 2)
    grid.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 0.6, RULE),
            ("INNERGRID", (0, 0), (-1, -1), 0.6, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ]
    )
    story.append(grid)
    done, hosted = snap.follow_up_rate()
    if hosted:  # hosting's follow-up (checkin followed-up)
        rate = f"Followed up: {done} of {hosted} hosted newcomers ({done / hosted:.0%})"
        story += [Spacer(1, 4 * mm), Paragraph(rate, st.body)]
    story += [Spacer(1, 8 * mm), Paragraph("Arrivals per 10 minutes", st.heading)]
    story.append(KeepTogether([arrivals_chart(snap, st)]))
    doors = snap.doors()
    if doors:
        story.append(Paragraph("Check-ins per door", st.heading))
        rows = [[door, str(n)] for door, n in doors.items()]
        story.append(table(st, ["Door", "Guests"], rows, [80, 20], numeric=(1,)))
    return story


def nice_step(top: int, ticks: int = 5) -> int:
    """A round axis step (1, 2, 5, 10, 20 ...) giving about ``ticks`` lines."""
    raw = max(1.0, top / ticks)
    magnitude = 10 ** int(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def _count_cell(st: Styles, label: str, value: int) -> list[Flowable]:
    number = Paragraph(f"{value}", st.title)
    return [number, Paragraph(label, st.small)]


def arrivals_chart(snap: Snapshot, st: Styles) -> Drawing:
    data = snap.arrivals()
    height = 70 * mm
    d = Drawing(WIDTH, height)
    if not data:
        d.add(String(0, height / 2, "Nobody has checked in yet.", fontName=st.fonts.regular))
        return d
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 10 * mm
    chart.width, chart.height = WIDTH - 14 * mm, height - 16 * mm
    chart.data = [[n for _, n in data]]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    step = max(1, len(data) // 12)  # about a dozen time labels, whatever the length
    labels = [t.strftime("%H:%M") if i % step == 0 else "" for i, (t, _) in enumerate(data)]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = st.fonts.regular
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.fillColor = MUTED
    chart.categoryAxis.strokeColor = INK
    chart.valueAxis.labels.fontName = st.fonts.regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.valueMin = 0
    top = max(n for _, n in data)
    step = nice_step(top)
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = step * math.ceil(top / step)
    chart.valueAxis.strokeColor = None
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.4
    d.add(chart)
    first = local(data[0][0]).strftime("%H:%M")
    note = f"{sum(n for _, n in data)} arrivals from {first}; busiest 10 minutes: {top}"
    d.add(String(12 * mm, 0, note, fontName=st.fonts.regular, fontSize=7.5, fillColor=MUTED))
    return d


STORIES = {
    "attendance": ("Attendance", attendance),
    "newcomers": ("First-timers", newcomers),
    "hosts": ("Hosts", hosts),
    "no-shows": ("No-shows", no_shows),
    "summary": ("Summary", summary),
}
