"""Regenerate the sample report pictures in docs/reports/ (needs pdftoppm from poppler-utils).

    .venv/bin/python docs/reports/make_samples.py

Plays the demo evening through the real engine (arrivals over two hours, hosts marking
newcomers met, a few walk-ins with names in other scripts), writes every report as PDF,
and renders each page at 60 dpi.
"""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from pypdf import PdfReader  # noqa: E402
from sqlalchemy import select  # noqa: E402

from checkin.demo import make_demo  # noqa: E402
from checkin.door.engine import check_in  # noqa: E402
from checkin.door.walkins import walk_in  # noqa: E402
from checkin.events import find_event  # noqa: E402
from checkin.hosting.actions import mark_met  # noqa: E402
from checkin.reports import KINDS, write_report  # noqa: E402
from checkin.store.db import open_database  # noqa: E402
from checkin.store.models import Assignment, Registration  # noqa: E402
from checkin.timeutil import utcnow  # noqa: E402

# Which pages to keep: the first of each list, and the pages that show something more
# (the header repeated, the names in other scripts at the end, a second host's sheet).
PAGES = {
    "attendance": [("1", 1), ("last", "last")],
    "newcomers": [("1", 1)],
    "hosts": [("1", 1), ("2", 2)],
    "no-shows": [("1", 1)],
    "summary": [("1", 1)],
}
WALK_INS = [
    ("محمد علي", "mohammed.ali@example.com", "Nile Logistics"),
    ("王小明", "xiaoming.wang@example.com", "Pearl River Robotics"),
    ("अनिल कुमार", "anil.kumar@example.com", "Ganges Analytics"),
    ("Zoë Ångström", "zoe@example.com", "Ångström & Søn"),
    ("דוד כהן", None, "Carmel Design"),
]


def play(db, event: str, rng: random.Random) -> None:
    start = utcnow()
    with db.read() as s:
        ev = find_event(s, event)
        codes = s.scalars(
            select(Registration.code).where(
                Registration.event_id == ev.id,
                Registration.checked_in_at.is_(None),
                Registration.status != "cancelled",
            )
        ).all()
    for name, email, company in WALK_INS:
        walk_in(db, event, name=name, email=email, company=company, device="Door 2")
    arrivals = sorted(rng.sample(list(codes), int(len(codes) * 0.8)))
    # Bunched near the start, as guests really arrive.
    times = sorted(
        start + dt.timedelta(minutes=min(115, rng.expovariate(1 / 30))) for _ in arrivals
    )
    for code, at in zip(arrivals, times, strict=True):
        check_in(db, event, code, device=rng.choice(["Door 1", "Door 2"]), now=at)
        if rng.random() < 0.35:
            _meet_someone(db, event, ev.id, at + dt.timedelta(minutes=4))


def _meet_someone(db, event: str, event_id: int, at: dt.datetime) -> None:
    with db.read() as s:
        code = s.scalar(
            select(Registration.code)
            .join(Assignment, Assignment.newcomer_id == Registration.id)
            .where(Assignment.event_id == event_id, Assignment.status == "active")
            .order_by(Assignment.created_at)
            .limit(1)
        )
    if code:
        mark_met(db, event, code, now=at)


def _evening_clock() -> None:
    """Samples look like an evening (doors at 18:00 local), whenever they are made."""
    import checkin.demo
    import checkin.door.engine
    import checkin.door.leave
    import checkin.door.walkins
    import checkin.hosting.actions

    today = dt.datetime.now().astimezone()
    opening = today.replace(hour=17, minute=55, second=0, microsecond=0).astimezone(dt.UTC)
    offset = opening - utcnow()

    def clock() -> dt.datetime:
        return dt.datetime.now(dt.UTC) + offset

    for module in (
        checkin.demo,
        checkin.door.engine,
        checkin.hosting.actions,
        checkin.door.walkins,
    ):
        module.utcnow = clock  # type: ignore[attr-defined]
    globals()["utcnow"] = clock


def main() -> int:
    _evening_clock()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(str(Path(tmp) / "samples.sqlite3"))
        event = make_demo(db)
        play(db, event, random.Random(3))
        for kind in KINDS:
            pdf = Path(tmp) / f"{kind}.pdf"
            write_report(db, event, kind, pdf)
            for old in HERE.glob(f"{kind}*.png"):
                old.unlink()
            for label, page in PAGES[kind]:
                number = str(len(PdfReader(pdf).pages)) if page == "last" else str(page)
                out = HERE / f"{kind}-{label}"
                pages = ["-f", number, "-l", number]
                command = ["pdftoppm", "-r", "60", "-png", "-singlefile", *pages, str(pdf)]
                subprocess.run([*command, str(out)], check=True)
        db.dispose()
    print("\n".join(sorted(p.name for p in HERE.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
