"""One CSV record into a clean ``GuestRow``, collecting row-numbered problems on the way.

State is only what spans rows: codes and ids seen (a repeat is a problem on the later row),
rows with extra cells, and where text was cleaned (for the import summary).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TypeVar

from checkin.guestlist.cleaning import LIMITS, clean_code, clean_text, too_long
from checkin.guestlist.columns import Columns
from checkin.guestlist.presets import Preset
from checkin.guestlist.rows import GuestRow, ImportProblem
from checkin.guestlist.statuses import classify
from checkin.guestlist.validation import (
    BadValue,
    check_ticket_code,
    merge_lists,
    parse_bool,
    parse_capacity,
    parse_email,
    parse_list,
    split_name,
    split_title,
)

_T = TypeVar("_T")
_SHORTEST = min(LIMITS.values())
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


class RowBuilder:
    """Turns one record into a GuestRow, collecting problems; state is only what spans rows."""

    def __init__(
        self, headers: list[str], cols: Columns, preset: Preset, has_names: bool, delimiter: str
    ) -> None:
        self.headers = headers
        # Fields and their columns (plus helper columns) fetched in one C-level call per row.
        wanted = [*cols.index.items(), *cols.extras.items()]
        self.keys = [k for k, _ in wanted]
        self.fetch = _getter([i for _, i in wanted])
        self.needed = max((i for _, i in wanted), default=-1) + 1
        self.fallback = list(cols.fallback.items())
        self.options = list(cols.options.items())
        self.adjust = preset.adjust
        self.has_names = has_names
        self.column = {f: headers[i] for f, i in cols.index.items()}
        self.name_column = next(
            (self.column[f] for f in ("first_name", "name", "last_name") if f in self.column), None
        )
        self.delimiter_name = _DELIMITER_NAMES.get(delimiter, repr(delimiter))
        self.problems: list[ImportProblem] = []
        self.first_of_code: dict[str, int] = {}
        self.first_of_id: dict[str, int] = {}
        self.long_rows: list[tuple[int, int]] = []
        self.cleaned: dict[str, list[int]] = {}  # column -> rows where text was cleaned
        # Per record: its row and which fields came from a fallback column.
        self.row = 0
        self.source: dict[str, str] = {}
        self.refused = False  # a value of this record was too long (already reported)

    def too_many_cells(self, row: int, n: int) -> ImportProblem:
        return ImportProblem(
            row,
            None,
            f"has {n} cells but the header has {len(self.headers)} columns; a value probably "
            f"contains a {self.delimiter_name} without quotes around it",
        )

    def notes(self) -> list[str]:
        out = []
        for column, rows in self.cleaned.items():
            shown = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
            out.append(
                f"column '{column}': removed control or invisible characters (such as "
                f"escape codes, bidi overrides, zero-width spaces) in {len(rows)} rows: {shown}"
            )
        return out

    def finish(self, guests: int) -> list[ImportProblem]:
        """All problems: file-level first, then by row; in a row, whole-row ones, then by column."""
        # Extra empty cells on *every* row are a tool's habit (a trailing delimiter); on some
        # rows only, they mean a value was split, e.g. an unquoted "Müller, Jr.".
        if len(self.long_rows) < guests:
            self.problems.extend(self.too_many_cells(row, n) for row, n in self.long_rows)
        position = {h: i for i, h in reversed(list(enumerate(self.headers)))}
        return sorted(
            self.problems,
            key=lambda p: (p.row is not None, p.row or 0, position.get(p.column or "", -1)),
        )

    def problem(self, field: str | None, message: str) -> None:
        column = (self.source.get(field) or self.column.get(field)) if field else None
        self.problems.append(ImportProblem(self.row, column, message))

    def checked(self, parse: Callable[[str], _T], values: dict[str, str], field: str) -> _T | None:
        """The parsed cell, or None when it is empty or bad (then a problem is recorded)."""
        raw = values.get(field)
        if not raw:
            return None
        try:
            return parse(raw)
        except BadValue as exc:
            self.problem(field, str(exc))
            return None

    def values(self, cells: list[str]) -> dict[str, str]:
        n = len(cells)
        full = cells if n >= self.needed else cells + [""] * (self.needed - n)
        values = dict(zip(self.keys, map(str.strip, self.fetch(full)), strict=True))
        for f, alternatives in self.fallback:
            if not values.get(f):
                for i in alternatives:
                    if i < n and cells[i].strip():
                        values[f] = cells[i].strip()
                        self.source[f] = self.headers[i]
                        break
        if self.adjust is not None:
            self.adjust(values)
        # Nearly every row: visible text, every cell shorter than the shortest limit, and a
        # code without spaces. One look at the whole row, not one per cell.
        cells = values.values()
        whole = "".join(cells)
        if (
            whole.isprintable()
            and (len(whole) <= _SHORTEST or max(map(len, cells)) <= _SHORTEST)
            and " " not in values.get("ticket_code", "")
        ):
            return values
        limits = LIMITS
        for f, v in values.items():
            if not v or (v.isprintable() and len(v) <= limits.get(f, 200) and f != "ticket_code"):
                continue
            if f == "ticket_code":
                fixed = clean_code(v)
            else:
                fixed = clean_text(v, lines=f in ("interests", "languages"))
            if fixed != v:
                values[f] = fixed
                column = self.source.get(f) or self.column.get(f)
                if column:
                    self.cleaned.setdefault(column, []).append(self.row)
            if (message := too_long(f, fixed)) is not None:
                self.problem(f, message)
                values[f] = ""  # reported; not checked again as an email, a code ...
                self.refused = True
        return values

    def build(self, cells: list[str], row: int) -> GuestRow:
        self.row = row
        self.refused = False
        if self.source:
            self.source = {}
        values = self.values(cells)
        n, width = len(cells), len(self.headers)
        if n > width:
            if any(c.strip() for c in cells[width:]):
                self.problems.append(self.too_many_cells(row, n))
            else:
                self.long_rows.append((row, n))  # judged in finish(): may be the tool's habit

        first = values.get("first_name", "")
        last = values.get("last_name", "")
        title = values.get("title") or None
        if not first and not last:
            full = values.get("name", "")
            if full:
                # "Dr Ingrid M": the title is not part of the first name.
                found, rest = split_title(full) if title is None else (None, full)
                title = title or found
                first, last = split_name(rest)
            elif self.has_names and not self.refused:
                self.problems.append(ImportProblem(row, self.name_column, "the guest has no name"))

        code = self.checked(check_ticket_code, values, "ticket_code")
        if code is not None:
            earlier = self.first_of_code.setdefault(code, row)
            if earlier != row:
                self.problem(
                    "ticket_code", f'ticket code "{code}" is already used in row {earlier}'
                )
        external_id = values.get("external_id") or None
        if external_id is not None:
            earlier = self.first_of_id.setdefault(external_id, row)
            if earlier != row:
                self.problem("external_id", f'"{external_id}" already appears in row {earlier}')

        interests = parse_list(values.get("interests", ""))
        languages = parse_list(values.get("languages", ""))
        for f, group in self.options:
            chosen = merge_lists(tuple(opt for i, opt in group if i < n and _is_yes(cells[i])))
            if f == "interests":
                interests = chosen
            else:
                languages = chosen

        # Positional on purpose: keyword arguments make a frozen dataclass about twice as slow
        # to build, which shows at 50,000 rows. tests/guestlist pins the field order.
        return GuestRow(
            row,
            first,
            last,
            self.checked(parse_email, values, "email"),
            values.get("company") or None,
            _job_title(values.get("job_title", "")),
            code,
            values.get("ticket_type") or None,
            external_id,
            (status := classify(values.get("status", ""))).cancelled,
            self.checked(parse_bool, values, "first_time"),
            bool(self.checked(parse_bool, values, "is_host")),
            self.checked(parse_capacity, values, "host_capacity"),
            interests,
            languages,
            values.get("profession") or None,
            values.get("phone") or None,
            status.status,
            status.reason,
            title,
            bool(self.checked(parse_bool, values, "backup_host")),
        )


def _job_title(value: str) -> str | None:
    # A bare number is never a job title: it is a position number (pretix's German
    # "Position") or a row count that a synonym mapped by mistake.
    return None if not value or value.isdigit() else value


def _getter(indices: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    # itemgetter returns a bare item for one index and fails for none: always give a tuple.
    if not indices:
        return lambda cells: ()
    if len(indices) == 1:
        only = indices[0]
        return lambda cells: (cells[only],)
    return operator.itemgetter(*indices)


def _is_yes(cell: str) -> bool:
    try:
        return parse_bool(cell.strip()) is True
    except BadValue:
        return False
