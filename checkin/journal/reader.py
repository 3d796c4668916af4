"""Reading journals back: a torn last line is skipped and noted, anything else odd refuses."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from checkin.errors import InvalidInput
from checkin.journal.writer import FORMAT, SUFFIX, VERSION


@dataclass(frozen=True)
class JournalFile:
    path: str
    header: dict
    lines: list[tuple[int, dict]]  # (line number, record), headers excluded
    notes: list[str]  # torn lines that were skipped


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


def read_journal(path: str | os.PathLike) -> JournalFile:
    """Parse a journal. A torn line (the last one, or one right before a resumed header) is
    skipped and noted; any other unreadable line refuses the whole file."""
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
    return JournalFile(name, header, lines, notes)


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
