"""Building test data through the real import path, the way an organiser would."""

from __future__ import annotations

from checkin.events import create_event
from checkin.guestlist.importer import import_guest_list
from checkin.guestlist.rows import GuestList, GuestRow
from checkin.store.db import Database


def guest(row: int, first: str, last: str, **kw) -> GuestRow:
    email = kw.pop("email", f"{first}.{last}@example.org".lower().replace(" ", ""))
    return GuestRow(row=row, first_name=first, last_name=last, email=email, **kw)


def event_with_guests(db: Database, name: str, guests: list[GuestRow], day=None) -> str:
    create_event(db, name, day, exist_ok=True)
    import_guest_list(
        db, name, "test", guests=GuestList("test", "generic", "utf-8", ",", {}, rows=guests)
    )
    return name
