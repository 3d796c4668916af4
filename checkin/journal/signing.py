"""Journal lines signed with the event's key, so a line added or changed by hand is refused.

Every event has a secret key (32 random bytes), kept in the ``meta`` table under
``event_key:<event id>`` (no schema change). The doors of one event share it: on a shared
PostgreSQL database they simply read it; a SQLite laptop gets it with
``checkin event key --event E --set KEY`` (the organiser reads it on the laptop that
created the event with ``checkin event key --event E``). A key replaced with ``--set``
stays trusted for merging, so journals written before still merge.

A signed line is the usual JSON line with a last member ``"sig"``: the first 32 hex digits
of HMAC-SHA256(key, the line's bytes without that member). The header carries ``key_id``
(a hash of the key, never the key), which tells "written with another database's key"
apart from "changed by hand".
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets

from sqlalchemy.orm import Session

from checkin.errors import InvalidInput
from checkin.store.models import Meta

SIG_FIELD = "sig"
SIG_HEX = 32
_SUFFIX = re.compile(r',"sig":"([0-9a-f]{' + str(SIG_HEX) + r'})"\}$')
_PREFIX = "event_key:"


def key_id(key: bytes) -> str:
    """A public name for a key: which key signed a journal, without revealing it."""
    return hashlib.sha256(b"welcome-desk journal key id|" + key).hexdigest()[:16]


def _signature(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()[:SIG_HEX]


def signed_line(key: bytes | None, record: dict) -> bytes:
    """One journal line, ending in a newline; signed when there is a key."""
    body = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    if key is None:
        return (body + "\n").encode()
    raw = body.encode()
    sig = _signature(key, raw)
    tail = f'"{SIG_FIELD}":"{sig}"}}'
    joined = body[:-1] + ("," if body != "{}" else "") + tail
    return (joined + "\n").encode()


def verify_line(key: bytes, text: str) -> bool:
    """Whether ``text`` (one line as read, without its newline) carries a good signature."""
    text = text.rstrip("\r")
    found = _SUFFIX.search(text)
    if found is None:
        return False
    body = (text[: found.start()] + "}").encode()
    return hmac.compare_digest(_signature(key, body), found.group(1))


# ---- where the keys live ------------------------------------------------------------------


def _load(session: Session, event_id: int) -> dict | None:
    row = session.get(Meta, f"{_PREFIX}{event_id}")
    return json.loads(row.value) if row is not None else None


def event_key(session: Session, event_id: int) -> bytes:
    """The key this event's doors sign with, created on first use."""
    found = _load(session, event_id)
    if found is None:
        found = {"key": secrets.token_hex(32), "trusted": []}
        session.add(Meta(key=f"{_PREFIX}{event_id}", value=json.dumps(found)))
        session.flush()
    return bytes.fromhex(found["key"])


def trusted_keys(session: Session, event_id: int) -> dict[str, bytes]:
    """Every key a journal of this event may be signed with, by key id."""
    found = _load(session, event_id)
    if found is None:
        return {}
    keys = [bytes.fromhex(k) for k in (found["key"], *found.get("trusted", ()))]
    return {key_id(k): k for k in keys}


def set_event_key(session: Session, event_id: int, text: str) -> bytes:
    """Use the key another laptop of the event printed; the one replaced stays trusted."""
    value = text.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise InvalidInput(
            "An event key is 64 hexadecimal characters, as `checkin event key` prints it."
        )
    found = _load(session, event_id)
    row = session.get(Meta, f"{_PREFIX}{event_id}")
    if found is None or row is None:
        session.add(Meta(key=f"{_PREFIX}{event_id}", value=json.dumps({"key": value})))
    else:
        trusted = [k for k in (found["key"], *found.get("trusted", ())) if k != value]
        row.value = json.dumps({"key": value, "trusted": trusted})
    session.flush()
    return bytes.fromhex(value)
