"""The hosts' phone server inside the desktop app: on a background thread while the door
window is open (setting "phones/on"), stopped with it.

Hook (one line, after the door window is made in ui/app.py ``open_door``)::

    window.phones = attach_phones(window, db, event, settings)
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject

from checkin.errors import CheckinError
from checkin.events import find_event
from checkin.hosting.links import lan_address
from ui import settings as S

log = logging.getLogger(__name__)


class PhonesService:
    """Owns one phone server; stops it when its window goes, or when the app quits."""

    def __init__(self, parent: QObject, db, event: str, settings) -> None:
        self.db, self.event, self.settings = db, event, settings
        self.server = None
        self.problem: str | None = None
        parent.destroyed.connect(lambda *_: self.stop())
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(lambda: self.stop())

    @property
    def url(self) -> str | None:
        return self.server.url if self.server else None

    def start(self) -> bool:
        from web.server import PhoneServer  # uvicorn loads only when the setting is on

        if self.server is not None:
            return True
        address = self.settings.get(S.PHONES_ADDRESS) or lan_address()
        port = self.settings.get(S.PHONES_PORT)
        try:
            with self.db.read() as session:
                event_id = find_event(session, self.event).id
            self.server = PhoneServer(
                self.db, event_id, host=address, port=port, journal=self._journal()
            )
        except (OSError, CheckinError) as exc:
            self.problem = f"Hosts' phones could not start on {address}:{port}: {exc}"
            log.warning("phone server did not start: %s", type(exc).__name__)
            return False
        self.server.start()
        self.problem = None
        return True

    def _journal(self):
        folder = self.settings.get(S.JOURNAL_FOLDER)
        if not folder:
            return None
        from checkin.journal.writer import Journal

        device = f"{self.settings.get(S.DEVICE_NAME)} phones"
        return Journal.for_event(self.db, self.event, folder, device)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def attach_phones(window: QObject, db, event: str, settings) -> PhonesService:
    service = PhonesService(window, db, event, settings)
    if settings.get(S.PHONES_ON):
        service.start()
    return service
