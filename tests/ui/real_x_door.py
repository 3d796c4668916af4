"""Run by tests/ui/test_real_x.py inside Xvfb with openbox: the door as a volunteer meets it,
real key presses from xdotool, focus decided by a real window manager. Prints one JSON line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from checkin.door.search import search_guests
from checkin.store.db import open_database
from tests.ui.conftest import EVENT, door_settings, seed
from tools.screenshots import _until, _wait, scan, xdotool
from ui.app import make_application
from ui.door.walkin_dialog import WalkInDialog
from ui.door.window import DoorWindow


def main(folder: str) -> int:
    tmp = Path(folder)
    app = make_application()
    db = open_database(f"sqlite:///{tmp / 'door.sqlite3'}")
    seed(db)
    settings = door_settings(tmp)
    assert isinstance(settings.store, QSettings)
    window = DoorWindow(db, EVENT, settings)
    window.resize(1280, 680)
    window.show()
    window.activateWindow()
    _until(app, lambda: len(window.search.index) == 4)
    _wait(app, 500)
    result: dict = {}

    # 1. A scan on the door screen.
    scan(app, window, "ANNA0001")
    result["first"] = window.result.name.text()
    result["box_after_scan"] = window.search.box.text()

    # 2. F3 opens the walk-in form; a name half typed, then the next guest's code scanned.
    def during_the_form() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WalkInDialog)
        xdotool(app, "type", "--delay", "120", "Peter Par")
        _wait(app, 300)
        scan(app, window, "JOSE0001")
        result["name_field"] = dialog.name.text()
        result["dialog_open"] = dialog.isVisible()
        result["door_shows"] = window.result.name.text()
        result["fake_guest"] = bool(search_guests(db, EVENT, "peter"))
        dialog.reject()

    QTimer.singleShot(1000, during_the_form)  # runs inside the form's own event loop
    xdotool(app, "key", "F3")
    _until(app, lambda: "dialog_open" in result, timeout_ms=20_000)
    _wait(app, 300)

    # 3. Back on the door: a person types a name slowly, and it is a search.
    window.activateWindow()
    window.search.box.setFocus()
    _wait(app, 300)
    xdotool(app, "type", "--delay", "150", "nora")
    _wait(app, 400)
    result["search_box"] = window.search.box.text()
    print(json.dumps(result))
    window.confirm_quit = False
    window.close()
    window.runner.stop()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
