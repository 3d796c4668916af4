"""Starting the desktop app."""

from __future__ import annotations

import sys


def run(database: str | None = None, event: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv)
    label = QLabel("Welcome Desk — the door screen is on its way. Use `checkin --help` meanwhile.")
    label.setWindowTitle("Welcome Desk")
    label.resize(640, 200)
    label.show()
    return app.exec()
