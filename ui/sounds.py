"""A distinct sound per outcome (bundled WAVs), so the door can be run by ear."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl

from checkin.resources import resources_dir

NAMES = ("welcome", "again", "error", "first_time")


class Sounds(QObject):
    def __init__(self, parent: QObject | None = None, enabled: bool = True) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self._effects: dict = {}
        self.last_played: str | None = None  # for tests and the status line

    def _effect(self, name: str):
        if name not in self._effects:
            # Imported here: QtMultimedia is slow to load and the door starts without it.
            from PySide6.QtMultimedia import QSoundEffect

            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(resources_dir() / "sounds" / f"{name}.wav")))
            effect.setVolume(0.8)
            self._effects[name] = effect
        return self._effects[name]

    def play(self, name: str) -> None:
        if not name:
            return
        self.last_played = name
        if self.enabled:
            self._effect(name).play()
