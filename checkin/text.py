"""Text normalisation shared by import, search and matching."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'José Müller' -> 'jose muller'."""
    if text.isascii():
        return text.lower()  # most names: skip the Unicode decomposition
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def email_key(email: str | None) -> str | None:
    """The identity form of an email: trimmed and lower-cased (we do not guess at dots or +tags)."""
    if not email:
        return None
    email = email.strip().lower()
    return email or None


# A sane email check, not RFC 5322: one "@", no spaces, a dotted domain without empty labels.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


def is_email(text: str) -> bool:
    """The one email rule, for imports and walk-ins alike."""
    return len(text) <= 254 and ".." not in text and _EMAIL.fullmatch(text) is not None


def split_tags(text: str | None) -> tuple[str, ...]:
    """'Fintech; AI, fintech' -> ('Fintech', 'AI'): trimmed, de-duplicated ignoring case."""
    if not text:
        return ()
    seen: set[str] = set()
    out: list[str] = []
    for raw in text.replace(";", ",").replace("|", ",").split(","):
        tag = raw.strip()
        if tag and fold(tag) not in seen:
            seen.add(fold(tag))
            out.append(tag)
    return tuple(out)


def join_tags(tags: tuple[str, ...] | list[str]) -> str:
    return ", ".join(tags)


def tag_keys(text: str | None) -> frozenset[str]:
    return frozenset(fold(t) for t in split_tags(text))
