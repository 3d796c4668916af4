"""Codes the app issues to guests who have no ticket code.

An app code is ``WD`` + 8 random characters + 4 signature characters, in Crockford's base32
(no I, L, O, U: nothing a volunteer can misread). The signature is an HMAC with a key kept
in the database, so a mistyped or forged code is told apart ("invalid") from a genuine code
that is simply not on this list ("unknown"). One wrong character passes with odds 1 in 2^20.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy.orm import Session

from checkin.store.models import Meta

PREFIX = "WD"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PAYLOAD_LEN = 8
SIG_LEN = 4
CODE_LEN = len(PREFIX) + PAYLOAD_LEN + SIG_LEN
_KEY_NAME = "code_signing_key"
# Characters people and scanners confuse, read the way Crockford's base32 intends.
_TYPO_MAP = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def signing_key(session: Session) -> bytes:
    """This database's key, created on first use."""
    row = session.get(Meta, _KEY_NAME)
    if row is None:
        row = Meta(key=_KEY_NAME, value=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return bytes.fromhex(row.value)


def _signature(key: bytes, payload: str) -> str:
    digest = hmac.new(key, (PREFIX + payload).encode("ascii"), hashlib.sha256).digest()
    value = int.from_bytes(digest[:4], "big") >> (32 - 5 * SIG_LEN)
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(SIG_LEN)))


def issue_code(key: bytes) -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_LEN))
    return PREFIX + payload + _signature(key, payload)


def normalise_app_code(text: str) -> str | None:
    """The canonical form if ``text`` has the shape of an app code, else None."""
    candidate = text.strip().upper().translate(_TYPO_MAP)
    if len(candidate) != CODE_LEN or not candidate.startswith(PREFIX):
        return None
    if any(c not in ALPHABET for c in candidate[len(PREFIX) :]):
        return None
    return candidate


def looks_like_mistyped_app_code(text: str) -> bool:
    """Near enough to an app code to be one mistyped: say INVALID CODE, not NOT ON THE LIST.

    Close means: up to two characters too few or too many, with the WD prefix (or, at the
    exact length, a prefix one character off), and at most two characters outside the
    alphabet (a U, a stray punctuation mark). Ticket codes of other tools have other
    shapes (pretix: 32 characters; Eventbrite: digits), so they are not caught by this.
    """
    candidate = text.strip().upper().translate(_TYPO_MAP)
    if not CODE_LEN - 2 <= len(candidate) <= CODE_LEN + 2:
        return False
    head, body = candidate[: len(PREFIX)], candidate[len(PREFIX) :]
    if head != PREFIX:
        off = sum(a != b for a, b in zip(head, PREFIX, strict=True))
        if off > 1 or len(candidate) != CODE_LEN or any(c not in ALPHABET for c in body):
            return False
    return sum(c not in ALPHABET for c in body) <= 2


def is_valid_app_code(key: bytes, code: str) -> bool:
    payload = code[len(PREFIX) : len(PREFIX) + PAYLOAD_LEN]
    return hmac.compare_digest(_signature(key, payload), code[-SIG_LEN:])


def display_code(code: str) -> str:
    """App codes grouped for reading aloud: WD-7K3M-9Q2X-H4TP. Ticket codes unchanged."""
    if normalise_app_code(code) == code:
        body = code[len(PREFIX) :]
        return "-".join([PREFIX, body[:4], body[4:8], body[8:]])
    return code
