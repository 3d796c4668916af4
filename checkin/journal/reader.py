"""Reading journals back: a torn last line is skipped and noted, anything else odd refuses.

Given the event's trusted keys (``keys``), every line's signature is checked: a line whose
signature is missing or wrong (added or changed by hand) is kept out of ``lines`` and
listed in ``refused`` with the reason; a journal signed with a key this database does not
trust, or not signed at all (written before journals were signed), is refused whole,
unless ``allow_unsigned`` says to take an unsigned one as it is.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from checkin.errors import InvalidInput
from checkin.journal.signing import verify_line
from checkin.journal.writer import FORMAT, SUFFIX, VERSION
from checkin.text import fold


@dataclass(frozen=True)
class JournalFile:
    path: str
    header: dict
    lines: list[tuple[int, dict]]  # (line number, record), headers excluded
    notes: list[str]  # torn lines that were skipped
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)
    signed: bool = False  # every line was checked against a trusted key


def looks_like_journal(first_bytes: bytes) -> bool:
    return b'"welcome-desk-journal"' in first_bytes.split(b"\n", 1)[0]


def _parse_line(text: str | bytes) -> dict | None:
    """The record on one line; {} for a blank line; None when it is not JSON (torn)."""
    try:
        value = json.loads(text)  # the fast path: a whole, clean line
    except ValueError:  # UnicodeDecodeError is a ValueError too
        text = text.strip("\x00 \t\r" if isinstance(text, str) else b"\x00 \t\r")
        try:
            value = json.loads(text) if text else {}
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def read_journal(
    path: str | os.PathLike,
    *,
    keys: dict[str, bytes] | None = None,
    allow_unsigned: bool = False,
    event: str = "",
) -> JournalFile:
    """Parse a journal. A torn line (the last one, or one right before a resumed header) is
    skipped and noted; any other unreadable line refuses the whole file. With ``keys``,
    signatures are checked (see the module doc)."""
    name = str(path)
    raw = Path(path).read_bytes().rstrip(b"\x00 \t\r\n")  # power cuts can leave NUL runs
    try:
        texts: list = raw.decode("utf-8").split("\n") if raw else []
    except UnicodeDecodeError:  # a torn multi-byte character: go line by line
        texts = raw.split(b"\n")
    header: dict | None = None
    lines: list[tuple[int, dict]] = []
    notes: list[str] = []
    last = len(texts)
    for number, text in enumerate(texts, start=1):
        value = _parse_line(text)
        if value is None:
            following = _parse_line(texts[number]) if number < last else None
            if number < last and (following or {}).get("type") != "header":
                raise InvalidInput(f"{name}: line {number} is not a journal record.")
            notes.append(f"file {name}: line {number} is incomplete and was skipped")
        elif value.get("type") == "header":
            _check_header(name, number, value, header)
            header = header or value
        elif value:
            if header is None:
                raise InvalidInput(f"{name}: line {number}: a record before the journal header.")
            lines.append((number, value))
    if header is None:
        raise InvalidInput(f"{name}: not a Welcome Desk journal (no header line).")
    found = JournalFile(name, header, lines, notes)
    if keys is None:
        return found
    return _checked(found, texts, keys, allow_unsigned, event)


def _checked(
    journal: JournalFile, texts: list, keys: dict[str, bytes], allow_unsigned: bool, event: str
) -> JournalFile:
    name, header = journal.path, journal.header
    if event and fold(str(header.get("event", ""))) != fold(event):
        return journal  # another event's journal: the caller says so, which is clearer
    ident = header.get("key_id")
    if ident is None:
        if not allow_unsigned:
            raise InvalidInput(
                f"{name}: this journal is not signed (an older Welcome Desk wrote it), so "
                "nothing in it can be told apart from a line added by hand; nothing was "
                "merged. If you trust the file, merge it with --accept-unsigned."
            )
        journal.notes.append(f"{name}: not signed; merged as it is (--accept-unsigned)")
        return journal
    key = keys.get(str(ident))
    if key is None:
        raise InvalidInput(
            f"{name}: signed with another key than event {event or header.get('event')!r} has "
            "here, so it comes from another database's event; nothing was merged. On the "
            "laptop that made the event run `checkin event key --event E`, then here "
            "`checkin event key --event E --set KEY`, and merge again."
        )
    kept: list[tuple[int, dict]] = []
    for number, text in enumerate(texts, start=1):
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        value = _parse_line(text)
        if not value:
            continue
        good = verify_line(key, text.strip("\x00 \t\r"))
        if value.get("type") == "header":
            if not good:
                raise InvalidInput(
                    f"{name}: line {number}: the journal header was changed by hand (its "
                    "signature does not match); nothing was merged."
                )
            continue
        if good:
            value.pop("sig", None)
            kept.append((number, value))
        else:
            why = "not signed" if '"sig":' not in text else "signature does not match"
            journal.refused.append((number, f"{why}: added or changed by hand"))
    journal.lines[:] = kept
    return JournalFile(name, header, kept, journal.notes, journal.refused, True)


def _check_header(name: str, number: int, value: dict, first: dict | None) -> None:
    if value.get("format") != FORMAT:
        raise InvalidInput(f"{name}: line {number}: not a Welcome Desk journal header.")
    if int(value.get("version", 0)) > VERSION:
        raise InvalidInput(
            f"{name}: journal format {value.get('version')} is newer than this app "
            f"understands ({VERSION}); update Welcome Desk."
        )
    if first is not None and value.get("event") != first.get("event"):
        raise InvalidInput(f"{name}: line {number}: a second event in one journal.")


def find_journals(folder: str | os.PathLike) -> list[Path]:
    return sorted(p for p in Path(folder).glob(f"*{SUFFIX}") if p.is_file())
