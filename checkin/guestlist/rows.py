"""What a guest-list file turns into: plain rows and row-numbered problems.

The reader (``reading.py``) produces these; the importer (``importer.py``) applies them
to the database in one transaction. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class GuestRow:
    """One guest as read from a list, already cleaned (stripped, emails lower-cased).

    Slotted: a 200,000-row list holds 200,000 of these (a per-row ``__dict__`` would be
    about a third of an import's memory)."""

    row: int  # spreadsheet row of the record (header = row 1; a multi-line cell is one row)
    first_name: str
    last_name: str
    email: str | None = None  # normalised: stripped + lower-cased
    company: str | None = None
    job_title: str | None = None
    ticket_code: str | None = None  # as the ticketing tool made it; None -> the app issues one
    ticket_type: str | None = None
    external_id: str | None = None  # e.g. Meetup member id, Eventbrite attendee id
    cancelled: bool = False  # cancelled / refunded / not attending: kept, never admitted
    first_time: bool | None = None  # the list says so (True/False); None = decide from history
    is_host: bool = False
    host_capacity: int | None = None
    interests: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    profession: str | None = None
    phone: str | None = None
    # The door status: registered | unpaid | cancelled (``cancelled`` above says the same),
    # and for cancelled why, in our words (statuses.REASONS): declined, waitlisted ...
    status: str = "registered"
    status_reason: str | None = None
    title: str | None = None  # "Dr", "Mr": kept out of first_name
    # "Happy to welcome if needed": a backup host (hosts once enlisted, 1 newcomer unless
    # the list gives a capacity). A full host (``is_host``) stays a full host.
    backup_host: bool = False

    def __post_init__(self) -> None:
        # Rows built by hand (demo, tests) say only ``cancelled=True``.
        if self.cancelled and self.status == "registered":
            object.__setattr__(self, "status", "cancelled")

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


@dataclass(frozen=True)
class ImportProblem:
    """Something wrong with the file: where (row, column) and what."""

    row: int | None  # None for file-level problems (encoding, no header ...)
    column: str | None  # the header name as written in the file
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class GuestList:
    """The result of reading a file: rows when clean, problems otherwise (never both used)."""

    path: str
    format: str  # detected or chosen preset: a key of presets.PRESETS
    encoding: str
    delimiter: str
    mapping: dict[str, str]  # our field name -> the file's header
    rows: list[GuestRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    tool: str = ""  # the tool as a person names it: "pretix check-in list (German)"
    notes: list[str] = field(default_factory=list)  # what was cleaned, for the summary

    @property
    def ok(self) -> bool:
        return not self.problems
