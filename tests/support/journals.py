"""Journals for tests: the key the doors of one test event share, and hand-made lines."""

from __future__ import annotations

from checkin.events import find_event
from checkin.journal.signing import set_event_key, signed_line
from checkin.store.db import Database

# What `checkin event key --event E --set KEY` would give every laptop of the test event.
SHARED_KEY = "5e" * 32


def share_event_key(db: Database, event: str, key: str = SHARED_KEY) -> bytes:
    with db.write() as session:
        return set_event_key(session, find_event(session, event).id, key)


def line(record: dict, key: bytes | None = None) -> bytes:
    """One journal line as a door writes it (signed when a key is given)."""
    return signed_line(key, record)


def signed_journal(records: list[dict], key: str | None = SHARED_KEY) -> bytes:
    """A whole journal from its header and lines, signed as a door of the event signs it."""
    from checkin.journal.signing import key_id

    raw = bytes.fromhex(key) if key else None
    first, *rest = records
    header = {**first, "key_id": key_id(raw)} if raw else first
    return b"".join(line(r, raw) for r in (header, *rest))
