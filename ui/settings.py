"""Every setting of the app in one place: typed, with defaults, stored in QSettings.

The core never reads these; the UI passes the values it needs as arguments.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QSettings

T = TypeVar("T")
ORGANISATION = "WelcomeDesk"
APPLICATION = "Welcome Desk"


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T
    label: str

    def read(self, store: QSettings) -> T:
        value: Any = store.value(self.key, self.default)
        if value is None:
            return self.default
        if isinstance(self.default, bool):
            if isinstance(value, str):
                value = value.strip().lower()
            if value in (True, "true", "1", 1, "yes", "on"):
                return True  # type: ignore[return-value]
            if value in (False, "false", "0", 0, "no", "off", ""):
                return False  # type: ignore[return-value]
            return self.default
        if isinstance(self.default, int):
            try:
                return int(str(value).strip())  # type: ignore[return-value]
            except (TypeError, ValueError):
                return self.default
        if isinstance(value, list):  # an INI value with a comma reads back as a list
            return ", ".join(str(v) for v in value)  # type: ignore[return-value]
        return str(value)  # type: ignore[return-value]


def _default_device() -> str:
    host = socket.gethostname().split(".")[0]
    return f"Door ({host})" if host else "Door 1"


DEVICE_NAME = Option("door/device_name", _default_device(), "Door name (shown to other doors)")
CAMERA = Option("door/camera", "", "Camera (empty: the system default)")
CAMERA_ON = Option("door/camera_on", True, "Scan with the camera")
SOUNDS = Option("door/sounds", True, "Play a sound for each scan")
RESULT_SECONDS = Option("door/result_seconds", 8, "Seconds a result stays on screen")
AUTO_PRINT = Option("badges/auto_print", False, "Print a badge at check-in")
HOST_SLIP = Option("badges/host_slip", False, "Print a slip for the host of each newcomer")
PRINTER = Option("badges/printer", "", "Badge printer (empty: the system default)")
BADGE_TEMPLATE = Option("badges/template", "brother-ql-62x100", "Badge stock")
LAST_EVENT = Option("event/last", "", "Last event opened")
JOURNAL_FOLDER = Option("event/journal_folder", "", "Attendance journal folder")
SCANNER_MAX_GAP_MS = Option("scanner/max_gap_ms", 35, "Keyboard scanner: max ms between keys")
SCANNER_MIN_LENGTH = Option("scanner/min_length", 4, "Keyboard scanner: shortest code")
PHONES_ON = Option("phones/on", False, "Hosts' phones: serve each host's page on this network")
PHONES_PORT = Option("phones/port", 8765, "Hosts' phones: port")
PHONES_ADDRESS = Option("phones/address", "", "Hosts' phones: address (empty: this laptop's)")
WINDOW_SIZE = Option("window/size", "", "Door window size when last closed (WxH)")


class Settings:
    """Typed access: ``settings.get(SOUNDS)``, ``settings.set(SOUNDS, False)``."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings(ORGANISATION, APPLICATION)

    def get(self, option: Option[T]) -> T:
        return option.read(self.store)

    def set(self, option: Option[T], value: T) -> None:
        self.store.setValue(option.key, value)
        self.store.sync()
