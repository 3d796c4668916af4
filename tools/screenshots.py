"""Screenshots of the main states, for docs/ and for looking at what we built.

    xvfb-run -a -s "-screen 0 1366x768x24" python -m tools.screenshots docs/screenshots

Runs the real app on a scratch copy of the demo event and drives it like a volunteer.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from checkin.demo import DEMO_EVENT, make_demo
from checkin.store.db import open_database
from checkin.store.models import Registration
from ui import settings as S
from ui.app import make_application
from ui.door.window import DoorWindow
from ui.settings import Settings


def _wait(app: QApplication, ms: int) -> None:
    # Not QTest.qWait: it keeps Python's GIL while it waits, so the app's worker thread
    # (the database) would stand still for the whole wait.
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def _until(app: QApplication, check, timeout_ms: int = 10_000) -> None:
    waited = 0
    while not check() and waited < timeout_ms:
        _wait(app, 50)
        waited += 50


def _save(widget: QWidget, folder: Path, name: str) -> None:
    widget.grab().save(str(folder / f"{name}.png"))
    print(f"wrote {folder / name}.png")


def _scan(app: QApplication, window: DoorWindow, code: str) -> None:
    shown = []
    window.result_shown.connect(lambda o, _ms: shown.append(o))
    QTest.keyClicks(window.search.box, code)
    QTest.keyClick(window.search.box, Qt.Key.Key_Return)
    _until(app, lambda: bool(shown))
    _wait(app, 300)


def _codes(db, first_time: bool | None, checked_in: bool, limit: int = 3) -> list[str]:
    from sqlalchemy import select

    from checkin.store.models import Event, Host

    with db.read() as s:
        ev = s.scalar(select(Event).where(Event.name == DEMO_EVENT))
        q = select(Registration.code).where(Registration.event_id == ev.id)
        q = q.where(Registration.id.not_in(select(Host.registration_id)))
        q = q.where(
            Registration.checked_in_at.is_not(None)
            if checked_in
            else Registration.checked_in_at.is_(None)
        )
        if first_time is not None:
            # Tonight's list has no first-time column: new people are those not seen before.
            from checkin.store.models import Person

            seen = (
                select(Person.id)
                .join(Registration, Registration.person_id == Person.id)
                .where(Registration.event_id != ev.id)
            )
            cond = Registration.person_id.in_(seen)
            q = q.where(~cond if first_time else cond)
        return list(s.scalars(q.order_by(Registration.id).limit(limit)))


def main(out: str = "docs/screenshots") -> int:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    app = make_application()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        make_demo(db)
        settings = Settings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        settings.set(S.DEVICE_NAME, "Door 1")
        settings.set(S.SOUNDS, False)
        settings.set(S.RESULT_SECONDS, 600)
        window = DoorWindow(db, DEMO_EVENT, settings)
        window.resize(1366, 768)
        window.show()
        _until(app, lambda: len(window.search.index) > 0)
        _wait(app, 500)
        _save(window, folder, "01-ready")

        newcomer = _codes(db, first_time=True, checked_in=False)[0]
        _scan(app, window, newcomer)
        _save(window, folder, "02-first-timer-with-host")

        regular = _codes(db, first_time=False, checked_in=False)[0]
        _scan(app, window, regular)
        _scan(app, window, regular)
        _save(window, folder, "03-already-checked-in")

        _scan(app, window, "4711000123")
        _save(window, folder, "04-unknown-code")

        window.result.show_ready()
        for ch in "mull":  # a person typing
            QTest.keyClicks(window.search.box, ch)
            _wait(app, 90)
        _wait(app, 400)
        _save(window, folder, "05-search")
        window.search.clear()

        from ui.door.walkin_dialog import WalkInDialog

        dialog = WalkInDialog(window)
        dialog.name.setText("Zoë Ångström")
        dialog.email.setText("zoe@example.com")
        dialog.company.setText("Kite Analytics")
        dialog.interests.setText("AI, Design")
        dialog.show()
        _wait(app, 300)
        # The dialog over the window, as the volunteer sees it.
        screen = app.primaryScreen()
        if screen is not None and app.platformName() == "xcb":
            screen.grabWindow(0).save(str(folder / "06-walk-in.png"))
            print(f"wrote {folder / '06-walk-in.png'}")
        else:
            _save(dialog, folder, "06-walk-in")
        dialog.accept()
        window.register_walkin(dialog.value())
        _wait(app, 800)
        _save(window, folder, "07-walk-in-checked-in")

        window.open_host_board()
        board = window.host_board
        board.resize(1366, 768)
        _until(app, lambda: board.board is not None)
        _wait(app, 500)
        _save(board, folder, "08-host-board")
        board.close()
        window.close()
        window.runner.stop()
        db.dispose()
    QTimer.singleShot(0, app.quit)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
