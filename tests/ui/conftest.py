"""UI test set-up: a real door window on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from checkin.store.db import Database
from tests.support.factories import event_with_guests, guest
from ui import settings as S
from ui.door.window import DoorWindow
from ui.settings import Settings

EVENT = "Door Test Evening"


def door_settings(tmp_path: Path) -> Settings:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.set(S.DEVICE_NAME, "Door 1")
    settings.set(S.SOUNDS, False)
    settings.set(S.CAMERA_ON, False)
    return settings


def seed(db: Database) -> None:
    event_with_guests(
        db,
        EVENT,
        [
            guest(2, "Hana", "Host", ticket_code="HOST0001", is_host=True, interests=("AI",),
                  company="Alpha"),
            guest(3, "Anna", "Müller", ticket_code="ANNA0001", first_time=False,
                  company="Kite Analytics"),
            guest(4, "Nora", "Newcomer", ticket_code="NORA0001", first_time=True,
                  interests=("AI",), company="Gamma"),
            guest(5, "José", "García", ticket_code="JOSE0001", first_time=False),
        ],
    )  # fmt: skip


@pytest.fixture
def door(qtbot, db: Database, tmp_path: Path) -> DoorWindow:
    seed(db)
    window = DoorWindow(db, EVENT, door_settings(tmp_path))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: len(window.search.index) == 4, timeout=10_000)
    yield window
    window.close()
    window.runner.stop()
