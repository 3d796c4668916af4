"""The follow-up list: per host, their newcomers with the contact details the guest agreed to
share, whom they met, and the due date — as a PDF (a page per host), a CSV, and optionally a
folder of e-mail drafts (one .eml per host, openable in any mail client; nothing is sent).

    checkin report follow-up --event E --out follow-up.pdf [--eml-folder drafts/]
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

from reportlab.platypus import PageBreak, Paragraph, Spacer

from checkin.errors import InvalidInput
from checkin.files import whole_file
from checkin.hosting.followup import FollowUpItem, FollowUpList, HostFollowUp, follow_up_list
from checkin.reports.export import spreadsheet_safe
from checkin.reports.fonts import choose_fonts
from checkin.reports.pdf import Styles, render, styles, table
from checkin.store.db import Database

NO_CONSENT = "did not agree to share contact details: ask the organiser"


@dataclass(frozen=True)
class FollowUpResult:
    out: str
    format: str
    hosts: int
    newcomers: int
    followed_up: int
    due: str
    drafts: tuple[str, ...]

    def as_json(self) -> dict:
        return {**self.__dict__, "drafts": list(self.drafts)}


def _contact(n: FollowUpItem) -> str:
    if not n.shared_contact:
        return NO_CONSENT
    return " · ".join(x for x in (n.email, n.phone) if x) or "no contact details given"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _host_story(st: Styles, fl: FollowUpList, h: HostFollowUp) -> list:
    done = sum(1 for n in h.newcomers if n.followed_up_at)
    story = [
        Paragraph(st.fonts.markup(f"Follow-up for {h.host_name}", True), st.title),
        Paragraph(
            f"{_plural(len(h.newcomers), 'newcomer')} welcomed · call or write by "
            f"{fl.due:%A %d %B %Y} · {done} done",
            st.subtitle,
        ),
    ]
    rows = [
        [
            n.name,
            " · ".join(x for x in (n.company, n.job_title) if x),
            _contact(n),
            ", ".join(n.met) or "—",
            "done" if n.followed_up_at else "☐",
        ]
        for n in h.newcomers
    ]
    headers = ["Newcomer", "Company · role", "Contact", "Met", "Done"]
    story.append(table(st, headers, rows, [22, 22, 28, 22, 6]))
    story.append(Spacer(1, 12))
    return story


def render_pdf(fl: FollowUpList) -> bytes:
    st = styles(choose_fonts())
    story: list = []
    for i, h in enumerate(fl.hosts):
        if i:
            story.append(PageBreak())
        story += _host_story(st, fl, h)
    if not story:
        story = [Paragraph("Follow-up", st.title), Paragraph("Nobody was hosted.", st.subtitle)]
    return render(st, story, event=fl.event, day=fl.day, report="Follow-up")


def render_csv(fl: FollowUpList) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["host", "host_email", "newcomer", "company", "job_title", "email", "phone",
                "met", "due", "followed_up_at"])  # fmt: skip
    for h in fl.hosts:
        for n in h.newcomers:
            done = n.followed_up_at.isoformat(timespec="seconds") if n.followed_up_at else ""
            row = [h.host_name, h.host_email, n.name, n.company, n.job_title,
                   n.email if n.shared_contact else NO_CONSENT, n.phone, "; ".join(n.met),
                   fl.due.isoformat(), done]  # fmt: skip
            w.writerow([spreadsheet_safe(c) for c in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def draft(fl: FollowUpList, h: HostFollowUp) -> bytes:
    """An unsent e-mail to the host with their list (X-Unsent opens it as a draft)."""
    msg = EmailMessage()
    msg["To"] = formataddr((h.host_name, h.host_email or ""))
    msg["Subject"] = f"Your follow-up from {fl.event}: {_plural(len(h.newcomers), 'newcomer')}"
    msg["X-Unsent"] = "1"
    lines = [
        f"Hello {h.host_name.split(' ')[0]},",
        "",
        f"Thank you for welcoming newcomers at {fl.event}. Please call or write to them by "
        f"{fl.due:%A %d %B}:",
        "",
    ]
    for n in h.newcomers:
        who = " · ".join(x for x in (n.company, n.job_title) if x)
        lines.append(f"- {n.name}" + (f" ({who})" if who else ""))
        lines.append(f"  contact: {_contact(n)}")
        if n.met:
            lines.append(f"  met: {', '.join(n.met)}")
    lines += ["", "When done, tell the organiser (checkin followed-up) so nobody calls twice."]
    msg.set_content("\n".join(lines))
    return bytes(msg)


def _filename(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip("-") or "host"
    stem, n = base, 2
    while stem.casefold() in taken:
        stem, n = f"{base}-{n}", n + 1
    taken.add(stem.casefold())
    return f"{stem}.eml"


def write_follow_up(
    db: Database,
    event: str | int,
    out: str | os.PathLike,
    *,
    eml_folder: str | os.PathLike | None = None,
) -> FollowUpResult:
    path = Path(out)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "csv"):
        raise InvalidInput(f"{path.name}: the file must end in .pdf or .csv.")
    fl = follow_up_list(db, event)
    data = render_pdf(fl) if fmt == "pdf" else render_csv(fl)
    with whole_file(path) as tmp:
        tmp.write_bytes(data)
    drafts: list[str] = []
    if eml_folder is not None:
        folder, taken = Path(eml_folder), set()
        for h in fl.hosts:
            target = folder / _filename(h.host_name, taken)
            with whole_file(target) as tmp:
                tmp.write_bytes(draft(fl, h))
            drafts.append(str(target))
    return FollowUpResult(
        str(path), fmt, len(fl.hosts), fl.newcomers, fl.done, fl.due.isoformat(), tuple(drafts)
    )
