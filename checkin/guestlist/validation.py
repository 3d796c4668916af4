"""Reading single cell values: yes/no answers, lists, emails, names, statuses, capacities.

Each parser returns the clean value or raises ``BadValue`` with a message that completes
"row 14, column 'Email': ...". Everything here is called once per cell, so patterns are compiled
once at import and lookups are set membership.
"""

from __future__ import annotations

import re
from functools import lru_cache

from checkin.guestlist.statuses import classify
from checkin.text import is_email

# What Excel makes of a long digit string it took for a number: "1.23457E+21".
_EXCEL_NUMBER = re.compile(r"\d+(?:[.,]\d+)?E\+\d+", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"[,;|\r\n]")  # also one-per-line, as forms write it
_WORD = re.compile(r"[^\W_]+")

_YES = frozenset({"yes", "y", "true", "1", "x", "ja", "j", "oui", "si", "sí", "✓", "✔", "wahr"})
_NO = frozenset({"no", "n", "false", "0", "nein", "non", "falsch", "-"})


class BadValue(ValueError):
    """A cell the organiser must fix; str() is the message."""


def parse_email(raw: str) -> str | None:
    if not raw:
        return None
    email = raw.lower()
    if not is_email(email):
        raise BadValue(f'"{raw}" is not an email address')
    return email


@lru_cache(maxsize=1024)  # answers repeat a lot ("Yes", "No"): parse each spelling once
def parse_bool(raw: str) -> bool | None:
    """yes/no in the usual spellings; None for an empty cell."""
    if not raw:
        return None
    value = raw.casefold()
    if value in _YES:
        return True
    if value in _NO:
        return False
    # Answers to custom questions are often sentences: "Yes, first time!", "No - 3rd visit".
    word = _WORD.match(value)
    if word:
        if word.group() in _YES:
            return True
        if word.group() in _NO:
            return False
    raise BadValue(f'"{raw}" is not a yes or no answer (use yes/no, true/false, 1/0 or x)')


def parse_capacity(raw: str) -> int | None:
    if not raw:
        return None
    text = raw[:-2] if raw.endswith(".0") else raw  # Excel may write a whole number as "3.0"
    if text.isdigit() and text.isascii() and int(text) > 0:
        return int(text)
    raise BadValue(f'"{raw}" is not a number of newcomers (a whole number of 1 or more)')


@lru_cache(maxsize=4096)
def parse_list(raw: str) -> tuple[str, ...]:
    """Split on , ; | or line breaks; trim; drop empties and repeats (any case); keep order."""
    if not raw:
        return ()
    seen: set[str] = set()
    out: list[str] = []
    for part in _LIST_SPLIT.split(raw):
        item = part.strip()
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return tuple(out)


def merge_lists(*parts: tuple[str, ...]) -> tuple[str, ...]:
    return parse_list(",".join(item for part in parts for item in part))


def is_cancelled(raw: str) -> bool:
    """Holds no valid ticket (see statuses.py; unpaid is not cancelled)."""
    return classify(raw).cancelled


def check_ticket_code(raw: str) -> str | None:
    """The code exactly as the tool made it (never a number); None when empty."""
    if not raw:
        return None
    if "+" in raw and _EXCEL_NUMBER.fullmatch(raw):
        raise BadValue(
            f'"{raw}" is a ticket number that a spreadsheet turned into a rounded number, so '
            "the real code is lost; export the list again and open it without saving it from "
            "Excel"
        )
    return raw


def split_name(full: str) -> tuple[str, str]:
    """A full name into (first, last).

    "Last, First" when there is exactly one comma (a common export style); otherwise the last
    word is the last name ("Anna Maria Schmidt" -> "Anna Maria", "Schmidt"). Spanish double
    surnames come out wrong ("José García López" -> "José García", "López"); the full name is
    still right, which is what badges and search use.
    """
    if full.count(",") == 1:
        last, first = (p.strip() for p in full.split(","))
        if first and last:
            return first, last
    parts = full.split()
    if len(parts) <= 1:
        return full.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


# Titles a full name may start with (a tool that exports parts keeps them in their own column).
_TITLES = frozenset(
    {
        "dr", "prof", "mr", "mrs", "ms", "mx", "miss", "sir", "dame", "herr", "frau", "mme",
        "mlle", "sr", "sra", "srta", "dott", "rev",
    }
)  # fmt: skip


def split_title(full: str) -> tuple[str | None, str]:
    """("Dr", "Ingrid M") from "Dr Ingrid M"; a title is taken only when a name is left after
    it, so "Dr Who" -> (None, "Dr Who")."""
    parts = full.split()
    title: list[str] = []
    while len(parts) - len(title) > 2 and parts[len(title)].casefold().rstrip(".") in _TITLES:
        title.append(parts[len(title)])
    if not title:
        return None, full
    return " ".join(title), " ".join(parts[len(title) :])
