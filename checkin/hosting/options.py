"""The organiser's hosting settings for an event: pairs, and when to propose a backup."""

from __future__ import annotations

from dataclasses import dataclass

from checkin.errors import InvalidInput
from checkin.events import find_event
from checkin.store.db import Database


@dataclass(frozen=True)
class HostingOptions:
    pairs: bool
    backup_after_s: int
    default_capacity: int

    def as_json(self) -> dict:
        return dict(self.__dict__)


def hosting_options(
    db: Database,
    event: str | int,
    *,
    pairs: bool | None = None,
    backup_after_s: int | None = None,
) -> HostingOptions:
    """Read (and, when given, change) the event's hosting settings."""
    if backup_after_s is not None and not 0 <= backup_after_s <= 3600:
        raise InvalidInput("--backup-after must be between 0 and 3600 seconds.")
    with db.write() as s:
        ev = find_event(s, event)
        if pairs is not None:
            ev.pairs = pairs
        if backup_after_s is not None:
            ev.backup_after_s = backup_after_s
        return HostingOptions(bool(ev.pairs), int(ev.backup_after_s), ev.default_host_capacity)
