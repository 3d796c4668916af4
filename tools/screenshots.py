"""Screenshots of the door on a real X display, driven as a volunteer drives it.

    make screenshots          # 1280×720, 1366×768 and 1920×1080 into docs/screenshots
    xvfb-run -a -s "-screen 0 1280x720x24" sh -c \
        'openbox & python -m tools.screenshots docs/screenshots'

Runs the real app on a scratch copy of the demo event under the window manager already on
the display (openbox), and types with ``xdotool``: scanner bursts (``type --delay 8``) and a
person's slow typing, also while a dialog is open. Each picture is the whole screen, title
bar included, so what does not fit shows. Files are named after the screen size.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from checkin.demo import DEMO_EVENT, make_demo
from checkin.store.db import open_database
from checkin.store.models import Registration
from ui import settings as S
from ui.app import fit_to_screen, make_application
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


def xdotool(app: QApplication, *args: str) -> None:
    """Real key presses through the X server; the app keeps running meanwhile."""
    proc = subprocess.Popen(["xdotool", *args])
    while proc.poll() is None:
        _wait(app, 10)


def scan(app: QApplication, window: DoorWindow, code: str) -> None:
    """A USB scanner: the code as one fast burst, then Enter (codes are letters and digits,
    which are their own key names)."""
    shown: list = []
    window.result_shown.connect(lambda o, _ms: shown.append(o))
    # One xdotool run for the code and its Enter, 8 ms apart, as a scanner sends them.
    xdotool(app, "key", "--delay", "8", *code, "Return")
    _until(app, lambda: bool(shown))
    _wait(app, 300)


class Shooter:
    def __init__(self, app: QApplication, folder: Path, size: str) -> None:
        self.app, self.folder, self.size = app, folder, size

    def __call__(self, name: str) -> None:
        _wait(self.app, 250)
        path = self.folder / f"{self.size}-{name}.png"
        screen = self.app.primaryScreen()
        screen.grabWindow(0).save(str(path))  # the whole screen, window frame included
        print(f"wrote {path}")


def _codes(db, first_time: bool | None, checked_in: bool, limit: int = 3) -> list[str]:
    from sqlalchemy import select

    from checkin.store.models import Event, Host, Person

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
            seen = (
                select(Person.id)
                .join(Registration, Registration.person_id == Person.id)
                .where(Registration.event_id != ev.id)
            )
            cond = Registration.person_id.in_(seen)
            q = q.where(~cond if first_time else cond)
        return list(s.scalars(q.order_by(Registration.id).limit(limit)))


def main(out: str = "docs/screenshots") -> int:
    if shutil.which("xdotool") is None:
        print("screenshots: needs xdotool and a window manager on an X display", file=sys.stderr)
        return 1
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    app = make_application()
    geometry = app.primaryScreen().geometry()
    shoot = Shooter(app, folder, f"{geometry.width()}x{geometry.height()}")
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        make_demo(db)
        settings = Settings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        settings.set(S.DEVICE_NAME, "Door 1")
        settings.set(S.SOUNDS, False)
        settings.set(S.CAMERA_ON, False)
        settings.set(S.RESULT_SECONDS, 600)
        window = DoorWindow(db, DEMO_EVENT, settings)
        fit_to_screen(window, settings)
        window.show()
        window.activateWindow()
        _until(app, lambda: len(window.search.index) > 0)
        _wait(app, 800)
        shoot("01-ready")

        newcomers = _codes(db, first_time=True, checked_in=False)
        scan(app, window, newcomers[0])
        shoot("02-first-timer")

        regular = _codes(db, first_time=False, checked_in=False)[0]
        scan(app, window, regular)
        scan(app, window, regular)
        shoot("03-already-checked-in")

        scan(app, window, newcomers[0])
        shoot("04-first-timer-rescanned")

        scan(app, window, "4711000123")
        shoot("05-unknown-code")

        window.result.show_ready()
        xdotool(app, "type", "--delay", "150", "mull")  # a person typing
        _wait(app, 400)
        shoot("06-search")
        window.search.clear()

        # The walk-in form open, a name half typed, and the next guest's code scanned.
        from ui.door.walkin_dialog import WalkInDialog

        dialog = WalkInDialog(window)
        dialog.accepted.connect(lambda: window.door_actions.register_walkin(dialog.value()))
        dialog.open()  # modal, as F3 opens it (exec would block this script)
        _until(app, lambda: QApplication.activeModalWidget() is dialog)
        _wait(app, 300)
        xdotool(app, "type", "--delay", "120", "Peter Par")
        scan(app, window, _codes(db, first_time=False, checked_in=False)[0])
        shoot("07-scan-while-walk-in-open")
        dialog.name.setText("Zoë Ångström")
        dialog.email.setText("zoe@example.com")
        dialog.company.setText("Kite Analytics")
        shown: list = []
        window.result_shown.connect(lambda o, _ms: shown.append(o))
        dialog.accept()
        _until(app, lambda: bool(shown))
        _wait(app, 800)  # the counters count again once the door pauses
        shoot("08-walk-in-checked-in")

        window.open_host_board()
        board = window.host_board
        board.showMaximized()
        _until(app, lambda: board.board is not None)
        _wait(app, 600)
        shoot("09-host-board")
        board.close()
        window.confirm_quit = False
        window.close()
        window.runner.stop()
        db.dispose()
    QTimer.singleShot(0, app.quit)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
