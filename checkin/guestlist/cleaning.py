"""Text from a file made safe before any database sees it: invisible characters and lengths.

Decided per field (issue 12, "bad input"):

* **Names, company, job title and the other text fields** are *cleaned*, and the import
  summary says where: control characters (C0/C1, and whole terminal escape sequences such as
  ESC[31m) are removed, tabs and line breaks become spaces; bidi embeddings, overrides and
  isolates (U+202A–U+202E, U+2066–U+2069) and the zero-width space, word joiner and BOM are
  removed. Zero-width (non-)joiners and the left-/right-to-left marks stay: Persian, Indic
  scripts and emoji need them in real names.
* **Ticket codes** lose every invisible character (format and control characters, spaces at
  the ends), so a code copied with a stray U+200B still matches what the scanner reads.
* **Lengths** are those of the database columns (read from the models, so SQLite and
  PostgreSQL refuse nothing the other accepts); a longer cell is refused with its row and
  column, never cut silently.
* **NUL** anywhere in the file is refused before reading (``encoding.py``).
"""

from __future__ import annotations

import re

from checkin.errors import InvalidInput
from checkin.store.models import CheckIn, Person, Registration

_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_SPACES = re.compile(" {2,}")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_REMOVED = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\u2060\ufeff\u180e\u202a-\u202e\u2066-\u2069]"
)
# Every invisible character a code may pick up on its way through a spreadsheet or a chat.
_INVISIBLE = re.compile(
    "[\x00-\x20\x7f-\xa0\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)


def clean_text(value: str, *, lines: bool = False) -> str:
    """The value without control characters, bidi overrides and zero-width spaces; with
    ``lines``, line breaks stay (a list written one item per line)."""
    if value.isprintable():
        return value
    out = _ESCAPE.sub("", value)
    out = _LINE_BREAKS.sub("\n", out) if lines else _BREAKS.sub(" ", out)
    out = _REMOVED.sub("", out)
    return _SPACES.sub(" ", out).strip() if out != value else out


def clean_code(value: str) -> str:
    """A ticket code as it compares: without any invisible character (inner spaces too:
    a scanner never sends them)."""
    if value.isascii() and value.isprintable() and " " not in value:
        return value
    return _INVISIBLE.sub("", _ESCAPE.sub("", value))


def _length(column) -> int:
    return int(column.type.length)


# The most characters each field may hold: the database column's own length.
LIMITS: dict[str, int] = {
    "first_name": _length(Person.__table__.c.first_name),
    "last_name": _length(Person.__table__.c.last_name),
    "title": _length(Person.__table__.c.title),
    "email": _length(Person.__table__.c.email),
    "company": _length(Person.__table__.c.company),
    "job_title": _length(Person.__table__.c.job_title),
    "profession": _length(Person.__table__.c.profession),
    "phone": _length(Person.__table__.c.phone),
    "ticket_code": _length(Registration.__table__.c.code),
    "ticket_type": _length(Registration.__table__.c.ticket_type),
    # Stored as "<format>:<id>" for tools whose ids name a person (importer.PERSON_ID_FORMATS).
    "external_id": _length(Person.__table__.c.external_id) - len("generic:"),
    # Text columns: no database limit, but a cell this long is not a list of interests.
    "interests": 4000,
    "languages": 1000,
}
LIMITS["device"] = _length(CheckIn.__table__.c.device)
# A full name is split into first and last: each part must fit, so the whole may be twice.
LIMITS["name"] = LIMITS["first_name"] + LIMITS["last_name"]


def too_long(field: str, value: str) -> str | None:
    """The message for a value longer than its column, else None."""
    limit = LIMITS.get(field)
    if limit is None or len(value) <= limit:
        return None
    what = field.replace("_", " ")
    return (
        f"is {len(value):,} characters long; a {what} can have at most {limit:,}, "
        "so this is probably not the right column or a damaged file"
    )


def checked(what: str, field: str, value: str | None) -> str | None:
    """A value typed at the door (a walk-in's name, a door's name) made safe, or
    InvalidInput saying what is wrong — before any database sees it, so SQLite and
    PostgreSQL accept exactly the same."""
    if value is None:
        return None
    if "\x00" in value:
        raise InvalidInput(f"The {what} contains a NUL character; type it again.")
    value = clean_text(value)
    limit = LIMITS[field]
    if len(value) > limit:
        raise InvalidInput(
            f"The {what} is {len(value):,} characters long; it can have at most {limit:,}."
        )
    return value
