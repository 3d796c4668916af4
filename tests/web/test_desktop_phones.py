"""The phone server inside the desktop app: on when the setting says so, on its port,
answering phones from a background thread, and gone when the door window goes."""

from __future__ import annotations

import urllib.request

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from tests.support.factories import event_with_guests, guest
from ui import settings as S
from ui.phones import attach_phones
from ui.settings import Settings


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))


def test_the_app_serves_phones_only_when_the_setting_is_on(qtbot, sqlite_db, settings):
    event_with_guests(sqlite_db, "App Evening", [guest(2, "Hana", "Host", is_host=True)])
    off = QWidget()
    qtbot.addWidget(off)
    assert attach_phones(off, sqlite_db, "App Evening", settings).url is None
    settings.set(S.PHONES_ON, True)
    settings.set(S.PHONES_ADDRESS, "127.0.0.1")
    settings.set(S.PHONES_PORT, 0)
    window = QWidget()
    service = attach_phones(window, sqlite_db, "App Evening", settings)
    assert service.url and service.url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(service.url, timeout=5) as r:
        assert r.status == 200
    server = service.server
    window.destroy()
    window.deleteLater()
    qtbot.waitUntil(lambda: service.server is None, timeout=5000)
    assert not server._thread.is_alive()


def test_the_host_board_shows_a_hosts_answer_from_their_phone(qtbot):
    import datetime as dt

    from checkin.hosting.board import NewcomerCard
    from checkin.timeutil import utcnow
    from ui.organiser.host_cards import NewcomerChip

    now = utcnow()
    card = NewcomerCard(1, "Nora Newby", "N1", None, (), "assigned", now, 0)
    answered = NewcomerCard(
        1, "Nora Newby", "N1", None, (), "assigned", now, 0,
        answer="on_my_way", answered_at=now - dt.timedelta(seconds=20),
    )  # fmt: skip
    for c, expected in ((card, []), (answered, ["Maria Garcia is on the way · 20 s ago"])):
        chip = NewcomerChip(c, host_name="Maria Garcia")
        qtbot.addWidget(chip)
        assert [w for w in expected if w in chip.info.text()] == expected
        assert ("on the way" in chip.info.text()) == bool(expected)
