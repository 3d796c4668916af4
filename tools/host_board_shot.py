"""Screenshots of the host board as a room display (docs/screenshots/08-host-board*.png).

Run under a real X display, e.g.:
  xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb PYTHONPATH=. \
      python tools/host_board_shot.py docs/screenshots
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from checkin.door.engine import check_in
from checkin.events import create_event
from checkin.guestlist.importer import import_guest_list
from checkin.guestlist.rows import GuestList, GuestRow
from checkin.hosting.actions import add_host
from checkin.store.db import open_database
from checkin.timeutil import utcnow
from ui.organiser.host_board import HostBoardWindow
from ui.tasks import TaskRunner

EVENT = "Riverside Business Breakfast"
HOSTS = [
    ("Amara", "Okafor", "Fintech", "Okafor Advisory"),
    ("Lukas", "Schneider", "AI", "Nordlicht Labs"),
    ("Sofia", "Rossi", "Marketing", "Rossi & Partners"),
    ("Kenji", "Watanabe", "Export", "Pacific Trade"),
    ("Priya", "Raman", "Healthcare", "CareBridge"),
    ("Diego", "Fernández", "Startups", "Faro Ventures"),
]
NEWCOMERS = [
    ("Anna", "Kowalska", "Fintech"), ("Ben", "Hughes", "AI"), ("Chloé", "Martin", "Marketing"),
    ("Dev", "Patel", "Export"), ("Elif", "Yılmaz", "Healthcare"), ("Finn", "O'Brien", "Startups"),
    ("Greta", "Lindqvist", "AI"), ("Hamid", "Karimi", "Fintech"), ("Isla", "Campbell", "Design"),
    ("Jonas", "Weber", "Sales"), ("Kofi", "Mensah", "AI"), ("Lena", "Novak", "Legal"),
    ("Mateo", "Silva", "Design"), ("Nadia", "Haddad", "Fintech"), ("Oskar", "Berg", "AI"),
    ("Paula", "Ortiz", "Sales"),
]  # fmt: skip


def seed(db) -> None:
    create_event(db, EVENT, dt.date.today())
    rows = []
    for i, (first, last, topic, company) in enumerate(HOSTS):
        rows.append(
            GuestRow(row=len(rows) + 2, first_name=first, last_name=last, company=company,
                     email=f"host{i}@example.org", ticket_code=f"H{i}", is_host=True,
                     host_capacity=2, interests=(topic,))
        )  # fmt: skip
    for i, (first, last, topic) in enumerate(NEWCOMERS):
        rows.append(
            GuestRow(row=len(rows) + 2, first_name=first, last_name=last, first_time=True,
                     email=f"new{i}@example.org", ticket_code=f"N{i}", interests=(topic,))
        )  # fmt: skip
    rows.append(
        GuestRow(row=len(rows) + 2, first_name="Tom", last_name="Baker", first_time=False,
                 email="tom@example.org", ticket_code="R1", interests=("Design",))
    )  # fmt: skip
    import_guest_list(
        db, EVENT, "demo", guests=GuestList("demo", "generic", "utf-8", ",", {}, rows=rows)
    )
    add_host(db, EVENT, code="R1", backup=True)
    now = utcnow()
    for i in range(len(HOSTS)):
        check_in(db, EVENT, f"H{i}", now=now - dt.timedelta(minutes=30))
    check_in(db, EVENT, "R1", now=now - dt.timedelta(minutes=20))
    for i in range(len(NEWCOMERS)):  # the last four wait: 6, 4, 2 and 1 minute(s)
        minutes = (16 - i) * 1.6 if i < 12 else (6, 4, 2, 1)[i - 12]
        check_in(db, EVENT, f"N{i}", now=now - dt.timedelta(minutes=minutes, seconds=5))


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'shot.sqlite3'}")
        seed(db)
        runner = TaskRunner()
        board = HostBoardWindow(db, EVENT, runner)
        shown: list = []
        board.refreshed.connect(shown.append)
        for (w, h), name in (
            ((1920, 1080), "08-host-board.png"),
            ((1280, 720), "08-host-board-720p.png"),
        ):
            board.resize(w, h)
            board.show()
            shown.clear()
            board.refresh()
            while not shown:
                app.processEvents()
            for _ in range(20):
                app.processEvents()
            first = next(iter(board.cards.values()))
            next(iter(first.chips.values())).setFocus()
            for _ in range(20):
                app.processEvents()
            board.grab().save(str(out / name))
            print(out / name, board.size().toTuple())
        board.close()
        runner.stop()
        db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
