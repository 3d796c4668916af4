"""The hosts' phones setting takes effect when the door's settings are saved."""

from __future__ import annotations

import urllib.request

from tests.ui.conftest import EVENT
from ui import settings as S
from ui.phones import attach_phones


def test_saving_settings_starts_and_stops_the_phone_server(door):
    door.phones = attach_phones(door, door.db, EVENT, door.settings)
    assert door.phones.url is None  # off by default: nothing listens
    door.settings.set(S.PHONES_ON, True)
    door.settings.set(S.PHONES_ADDRESS, "127.0.0.1")
    door.settings.set(S.PHONES_PORT, 0)  # any free port
    door.door_actions.apply_settings()
    url = door.phones.url
    assert url and url.startswith("http://127.0.0.1:")
    assert "Hosts' phones: " + url in door.status_line.text()
    with urllib.request.urlopen(url, timeout=5) as r:
        assert r.status == 200
    door.settings.set(S.PHONES_ON, False)
    door.door_actions.apply_settings()
    assert door.phones.url is None
