"""Reading a guest-list CSV into clean ``GuestRow``s and row-numbered ``ImportProblem``s.

Pure Python, no database. ``read_guest_list`` for an import, ``preview_guest_list`` for the
mapping screen (few rows, but every problem), ``detect_format`` for the header alone.

Decisions an organiser may ask about:

* Row numbers are *spreadsheet* rows: the header is row 1, the first guest row 2, and a quoted
  cell spanning several lines counts once, as Excel, LibreOffice and Numbers show it. Blank
  lines count too (a spreadsheet shows them as empty rows) but produce no guest. An Excel
  "sep=;" first line is not shown by Excel, so it is not counted either.
* Nothing is dropped: cancelled, refunded, "not attending" and "No"-RSVP guests come back with
  ``cancelled=True`` so the desk can say "your ticket was cancelled" instead of "not found".
* Meetup "Waitlist" counts as cancelled: a waitlisted member has no seat at export time, and
  Meetup moves them to "Yes" by itself when a seat frees up (its RSVP API documents that
  waitlist answers are turned into yes when there is space), so exporting again shortly before
  the doors open gives the right list.
* pretix "pending" orders are kept as valid (they may pay at the door; pretix's default export
  holds paid orders only); "expired" and "canceled" are cancelled.
* The same email on several rows is fine (one buyer registering colleagues); the same ticket
  code (or the same member/attendee id) on two rows is a problem on the later row.
* ``rows`` holds every guest row read, also when there are problems (so a preview can show
  them); an importer must only use them when ``GuestList.ok``.

Column names were checked against the tools' real exports: pretix's order-positions sheet
(``pretix/pretix``, ``src/pretix/base/exporters/orderlist.py``: "Order code", "Position ID",
"Status", "Email", "Product", "Variation", "Attendee name", "Attendee name: Given name",
"Attendee email", "Company", "Ticket secret" ...), Eventbrite's attendee report ("Order #",
"Order Date", "First Name", "Last Name", "Email", "Ticket Type", "Attendee #", "Attendee
Status", "Job Title", "Company", optional "Barcode #") and Meetup's attendee download ("Name",
"User ID", "Title", "Event Host", "RSVP", "Guests", "RSVPed on", "Joined Group on", "URL of
Member Profile").
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import os
from collections.abc import Iterator

from checkin.guestlist.builder import RowBuilder
from checkin.guestlist.cleaning import clean_text
from checkin.guestlist.columns import Columns, describe_headers, resolve, suggest
from checkin.guestlist.encoding import DecodeError, decode
from checkin.guestlist.presets import PRESETS, Preset, describe_format, detect_format
from checkin.guestlist.rows import GuestList, GuestRow, ImportProblem
from checkin.guestlist.synonyms import FIELDS

__all__ = ["FIELDS", "detect_format", "preview_guest_list", "read_guest_list"]

# The longest cell read at all (a longer one is a damaged file, not a long name: the length
# limits of cleaning.py then say which column), and the longest column name.
CELL_LIMIT = 1 << 20
HEADER_LIMIT = 1000
csv.field_size_limit(max(csv.field_size_limit(), CELL_LIMIT))
_DELIMITERS = (",", ";", "\t")  # ties go to the first: comma


def read_guest_list(
    path: str | os.PathLike[str],
    format: str = "auto",
    mapping: dict[str, str] | None = None,
    *,
    issue_codes: bool = False,
) -> GuestList:
    """Read and validate a whole guest-list file.

    ``format`` is "auto" (detect from the header) or one of "eventbrite", "meetup", "pretix",
    "generic". ``mapping`` (our field -> the file's header) overrides what the preset and the
    synonym table chose; an empty header means "don't read this field". A ticketing tool's
    export without its ticket codes is refused unless ``issue_codes`` says to give every
    guest an app code knowingly (their own tickets will then not scan).
    """
    return _read(path, format, mapping, limit=None, issue_codes=issue_codes)


def preview_guest_list(
    path: str | os.PathLike[str],
    format: str = "auto",
    mapping: dict[str, str] | None = None,
    limit: int = 20,
    *,
    issue_codes: bool = False,
) -> GuestList:
    """Like ``read_guest_list`` but with at most ``limit`` rows; problems are still complete."""
    return _read(path, format, mapping, limit=max(0, limit), issue_codes=issue_codes)


def _read(
    path: str | os.PathLike[str],
    format: str,
    mapping: dict[str, str] | None,
    limit: int | None,
    issue_codes: bool = False,
) -> GuestList:
    if format != "auto" and format not in PRESETS:
        raise ValueError(f"unknown guest-list format {format!r}; use 'auto' or {list(PRESETS)}")
    name = os.fspath(path)
    empty = GuestList(path=name, format=format, encoding="", delimiter="", mapping={})
    try:
        with open(name, "rb") as f:
            data = f.read()
    except OSError as exc:
        why = exc.strerror or str(exc)
        return dataclasses.replace(empty, problems=[_file_problem(f"cannot open the file: {why}")])
    try:
        decoded = decode(data)
    except DecodeError as exc:
        return dataclasses.replace(empty, problems=[_file_problem(str(exc))])
    del data  # the text is all that is read from here on (a big list's bytes need not stay)

    text = decoded.text
    if (nul := text.find("\x00")) >= 0:  # UTF-16 text can hold a NUL character too
        line = text.count("\n", 0, nul) + 1
        message = f"line {line} contains a NUL character; the file is damaged"
        return dataclasses.replace(empty, problems=[_file_problem(message)])
    delimiter, start = _sniff(text)
    result = dataclasses.replace(empty, encoding=decoded.encoding, delimiter=delimiter)
    if not text[start:].strip():
        return dataclasses.replace(result, problems=[_file_problem("the file is empty")])

    reader = _Records(text[start:], delimiter)
    raw_headers = reader.header()
    if not raw_headers:
        why = reader.error or _file_problem("the file is empty")
        return dataclasses.replace(result, problems=[why])
    headers = [clean_text(h.replace("\ufeff", "")).strip() for h in raw_headers]
    if (longest := max(len(h) for h in headers)) > HEADER_LIMIT:
        return dataclasses.replace(
            result,
            problems=[
                ImportProblem(
                    1,
                    None,
                    f"the header row has a column name {longest:,} characters long; the "
                    "first row must name the columns (Name, Email …), so this is not a guest "
                    "list or its first row is damaged",
                )
            ],
        )
    fmt = detect_format(headers) if format == "auto" else format
    preset = PRESETS[fmt]
    cols = resolve(headers, preset, mapping)
    result = dataclasses.replace(
        result,
        format=fmt,
        tool=describe_format(fmt, headers),
        headers=headers,
        mapping=cols.mapping(headers),
    )
    problems = list(cols.problems)
    has_names = any(f in cols.index for f in ("first_name", "last_name", "name"))
    if not has_names:
        hints = suggest(headers, ("first_name", "last_name", "name"))
        hint = f"; perhaps: {', '.join(hints)}" if hints else ""
        problems.append(
            _file_problem(
                "no column with the guests' names was found; expected 'First name' and "
                f"'Last name', or 'Name' (the file has: {describe_headers(headers)}){hint}; "
                "choose the name column in the column mapping"
            )
        )
    if preset.has_codes and "ticket_code" not in cols.index and not issue_codes:
        problems.append(_file_problem(_no_codes(fmt, result.tool)))
    rows, row_problems, guests, notes = _read_rows(reader, headers, cols, preset, has_names, limit)
    problems.extend(row_problems)
    if guests == 0 and not reader.failed:
        problems.append(_file_problem("the file has a header row but no guests below it"))
    return dataclasses.replace(result, rows=rows, problems=problems, notes=notes)


class _Records:
    """csv records numbered as spreadsheet rows, remembering where the last one started."""

    def __init__(self, text: str, delimiter: str) -> None:
        self._text = text
        self._reader = csv.reader(_lines(text), delimiter=delimiter)
        self.delimiter = delimiter
        self.row = 0  # spreadsheet row of the record last returned
        self.start_line = 1  # physical line where that record started
        self.failed = False
        self.error: ImportProblem | None = None

    def header(self) -> list[str]:
        """The first record with any text in it (blank rows above it still count as rows)."""
        for cells in self:
            if any(c.strip() for c in cells):
                return cells
        return []

    def __iter__(self) -> Iterator[list[str]]:
        reader = self._reader
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.failed = True
                self.error = self._explain(exc, start)
                return
            self.row += 1
            self.start_line = start
            yield cells

    def _explain(self, exc: csv.Error, start: int) -> ImportProblem:
        if "field larger than field limit" in str(exc):
            # Too long a cell: an unclosed quote swallowing the file, or really one cell that
            # big (a damaged file, or not a guest list). The quotes tell which.
            lines = _lines(self._text)
            tail = "".join(itertools.islice(lines, start - 1, None))
            if tail.count('"') % 2:
                return self.unclosed_quote(self.row + 1)
            return ImportProblem(
                self.row + 1,
                None,
                f"a cell in this row is longer than {CELL_LIMIT:,} characters, which no guest "
                "list has; the file is damaged or is not a guest list",
            )
        return ImportProblem(self.row + 1, None, f"the file cannot be read as CSV from here: {exc}")

    def unclosed_quote(self, row: int) -> ImportProblem:
        return ImportProblem(
            row,
            None,
            'a quote (") opened in this row is never closed, so everything after it was read '
            "as one cell; remove the stray quote or close it",
        )

    def last_record_unclosed(self) -> bool:
        """Did the final record end inside quotes? (the lenient reader accepts that silently)"""
        lines = _lines(self._text)
        tail = "".join(itertools.islice(lines, self.start_line - 1, None))
        try:
            for _ in csv.reader(
                io.StringIO(tail, newline=""), delimiter=self.delimiter, strict=True
            ):
                pass
        except csv.Error as exc:
            return "unexpected end of data" in str(exc)
        return False


def _lines(text: str) -> Iterator[str]:
    """The lines as ``io.StringIO(text, newline="")`` gives them, without its copy of the
    whole text (four bytes a character: 70 MB for a 200,000-guest list)."""
    if text.count("\r") != text.count("\r\n"):  # a lone CR ends a line too: let io split
        yield from io.StringIO(text, newline="")
        return
    find, start, end = text.find, 0, len(text)
    while start < end:
        stop = find("\n", start)
        if stop < 0:
            yield text[start:]
            return
        yield text[start : stop + 1]
        start = stop + 1


def _read_rows(
    reader: _Records,
    headers: list[str],
    cols: Columns,
    preset: Preset,
    has_names: bool,
    limit: int | None,
) -> tuple[list[GuestRow], list[ImportProblem], int, list[str]]:
    """Every guest record: rows (up to ``limit``), all problems, and how many guests there were."""
    builder = RowBuilder(headers, cols, preset, has_names, reader.delimiter)
    rows: list[GuestRow] = []
    guests = 0
    for cells in reader:
        if not cells or not "".join(cells).strip():
            continue  # blank line, or ";;;;" as Excel writes an empty row
        guests += 1
        guest = builder.build(cells, reader.row)
        if limit is None or len(rows) < limit:
            rows.append(guest)
    problems = builder.finish(guests)
    if reader.error is not None:
        problems.append(reader.error)
    elif guests and reader.last_record_unclosed():
        # Everything after the stray quote is one cell: what else is wrong there is noise.
        problems = [p for p in problems if p.row != reader.row]
        problems.append(reader.unclosed_quote(reader.row))
    return rows, problems, guests, builder.notes()


def _sniff(text: str) -> tuple[str, int]:
    """The delimiter, from the header line, and where the CSV starts (after a "sep=" line)."""
    first_end = text.find("\n")
    first = (text if first_end < 0 else text[:first_end]).rstrip("\r")
    if len(first) == 5 and first[:4].lower() == "sep=" and first[4] in ",;\t|":
        return first[4], (len(text) if first_end < 0 else first_end + 1)
    counts = dict.fromkeys(_DELIMITERS, 0)
    in_quotes = False
    pos = len(text) - len(text.lstrip("\r\n"))  # skip blank lines above the header
    for ch in itertools.islice(text, pos, None):
        if ch == '"':
            in_quotes = not in_quotes
        elif in_quotes:
            continue
        elif ch in "\r\n":
            break
        elif ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])  # max() keeps the first of equals
    return best, 0


def _no_codes(fmt: str, tool: str) -> str:
    if fmt == "pretix-checkin":
        again = (
            'export it again with "Include QR-code secret" ticked (German: "QR-Code-Geheimnis '
            'anzeigen")'
        )
    else:
        again = "export it again with the ticket code (barcode/QR) column"
    return (
        f"this {tool} has no column with the ticket codes, so the guests' own tickets could "
        f"not be scanned at the door; {again}, or import with --issue-codes to give every "
        "guest a new code from this app knowingly (their tickets from the tool will then not "
        "scan)"
    )


def _file_problem(message: str) -> ImportProblem:
    return ImportProblem(None, None, message)
