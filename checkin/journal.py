"""The attendance journal: every door action also goes, as one JSON line, to a file that
survives the laptop (a USB stick, a shared folder).

One file per event and device, ``<folder>/<event-slug>__<device-slug>.jsonl``. The first line
is a header; every other line is one door action::

    {"type": "header", "format": "welcome-desk-journal", "version": 1, "event": "Chamber
     Evening", "event_date": "2026-12-03", "device": "Door 1", "machine": "laptop-3",
     "app_version": "0.1.0", "started_at": "2026-12-03T17:01:02.123456+00:00"}
    {"type": "checkin", "id": UUID, "nonce": "...", "at": ISO-UTC, "device": "Door 1",
     "guest": {"code", "email", "external_id", "first_name", "last_name"},
     "first_time": true, "assignments": [...]}

Types: ``checkin``, ``walkin`` (a check-in whose guest also carries company, job title,
interests, first_time_flag and registered_at, so another database can re-create them),
``undo`` (with ``ref``, the check-in it cancels), ``checkout``, and the host actions
``met``, ``release``, ``reassign``. ``assignments`` holds the final state of every
newcomer-host assignment the action created or ended (newcomer, host, created_at, status,
ended_at, introductions ...), so the follow-up lists survive a merge too.

Ordering: the line is written after the database commit succeeded and before the door shows
the result. The commit is the acknowledgement (the door's own truth); the journal is the
survivable copy. Writing first would journal actions that then failed to commit; writing
after means a crash between the two loses a line that the database still has, and the
pending lines are retried on the next action. If the folder is unwritable (stick pulled)
the check-in still succeeds: the outcome carries a warning, and ``Journal.problem`` says
what is wrong until a write succeeds again (lines waiting in memory are written first).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from checkin import __version__
from checkin.db import Database
from checkin.errors import InvalidInput
from checkin.events import find_event
from checkin.models import Assignment, CheckIn, Host, Person, Registration
from checkin.outcomes import Outcome, UndoResult
from checkin.text import fold
from checkin.timeutil import as_utc, utcnow

FORMAT = "welcome-desk-journal"
VERSION = 1
SUFFIX = ".jsonl"
HOST_ACTIONS = ("met", "release", "reassign")
T = TypeVar("T")


def slug(text: str) -> str:
    """'Chamber Evening' -> 'chamber-evening' (file names that work on every stick)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "x"


def iso(value: dt.datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def encode(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class Journal:
    """Appends door actions to this device's journal file, fsynced, never raising."""

    def __init__(
        self,
        folder: str | os.PathLike,
        *,
        event: str,
        event_date: dt.date | None,
        device: str,
        machine: str | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.event = event
        self.event_date = event_date
        self.device = device or "door"
        self.machine = machine or socket.gethostname()
        self.path = self.folder / f"{slug(event)}__{slug(self.device)}{SUFFIX}"
        self.problem: str | None = None  # the last failure, until a write succeeds
        self._fd: int | None = None
        self._pending: list[bytes] = []
        self._lock = threading.Lock()

    @classmethod
    def for_event(
        cls, db: Database, event: str | int, folder: str | os.PathLike, device: str
    ) -> Journal:
        with db.read() as session:
            ev = find_event(session, event)
            return cls(folder, event=ev.name, event_date=ev.day, device=device)

    def header(self, **extra: Any) -> dict:
        return {
            "type": "header",
            "format": FORMAT,
            "version": VERSION,
            "event": self.event,
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "device": self.device,
            "machine": self.machine,
            "app_version": __version__,
            "started_at": iso(utcnow()),
            **extra,
        }

    def append(self, records: list[dict]) -> str | None:
        """Write and fsync the records (and any still pending). Returns a warning on failure."""
        with self._lock:
            self._pending.extend(encode(r) for r in records)
            if not self._pending:
                return None
            try:
                fd = self._open()
                data = b"".join(self._pending)
                while data:  # os.write may write less than asked on some file systems
                    data = data[os.write(fd, data) :]
                os.fsync(fd)
            except OSError as exc:
                self._close()
                self.problem = f"{self.path}: {exc.strerror or exc}"
                waiting = len(self._pending)
                return (
                    f"Attendance journal not written ({self.problem}); saved in the database, "
                    f"{waiting} action(s) wait for the journal folder to come back."
                )
            self._pending.clear()
            self.problem = None
            return None

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):  # the stick may be gone already
                os.close(self._fd)
            self._fd = None

    def _open(self) -> int:
        if self._fd is not None:
            return self._fd
        self.folder.mkdir(parents=True, exist_ok=True)
        self._choose_path()
        created = not self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            if size == 0:
                os.write(fd, encode(self.header()))
            elif not _ends_with_newline(self.path, size):
                # A power cut tore the last line: end it, and mark where writing resumed so
                # merge knows the line before is torn, not corrupt.
                os.write(fd, b"\n" + encode(self.header(resumed=True)))
            os.fsync(fd)
            if created:
                _fsync_dir(self.folder)  # the new file's name must survive a power cut too
        except OSError:
            os.close(fd)
            raise
        self._fd = fd
        return fd

    def _choose_path(self) -> None:
        """Never append to another event's or another machine's file of the same name."""
        base = self.path.with_suffix("")
        for n in range(1, 100):
            path = self.path if n == 1 else Path(f"{base}-{n}{SUFFIX}")
            first = _first_line(path)
            if first is None or (
                first.get("event") == self.event and first.get("machine") == self.machine
            ):
                self.path = path
                return
        raise OSError(f"too many journal files named like {self.path.name}")


def _ends_with_newline(path: Path, size: int) -> bool:
    with open(path, "rb") as fh:
        fh.seek(size - 1)
        return fh.read(1) == b"\n"


def _first_line(path: Path) -> dict | None:
    """The header of an existing journal, or None when there is no file (or it is empty)."""
    try:
        with open(path, "rb") as fh:
            line = fh.readline(65536)
    except FileNotFoundError:
        return None
    if not line.strip():
        return None
    try:
        found = json.loads(line)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory; NTFS journals the name itself
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---- the hook the door, walk-in and host actions call ------------------------------------


def journaled(
    db: Database,
    journal: Journal | None,
    work: Callable[[Session], T],
    *,
    nonce: str | None = None,
    action: str | None = None,
    at: dt.datetime | None = None,
    event: str | int | None = None,
    code: str | None = None,
) -> T:
    """Run ``work`` like ``with_retry`` and journal what it changed, after the commit.

    Door actions are found by their ``nonce`` (a replayed nonce writes no line); host
    actions (``action`` in met/release/reassign) by the time ``at`` they ran with and the
    newcomer's ``code``. The lines are built inside the transaction, written after it.
    """
    from checkin.door import with_retry  # door imports this module

    if journal is None:
        return with_retry(db, work)

    def captured(session: Session) -> tuple[T, list[dict]]:
        seen = nonce is not None and _nonce_seen(session, nonce)
        result = work(session)
        session.flush()
        if nonce is not None:
            lines = [] if seen else _door_lines(session, nonce, action)
        else:
            lines = _host_lines(session, action or "", at, event, code, journal.device)
        return result, lines

    result, lines = with_retry(db, captured)
    warning = journal.append(lines)
    return with_warning(result, warning) if warning else result


def with_warning(result: T, warning: str) -> T:
    if isinstance(result, Outcome):
        return replace(result, warnings=(*result.warnings, warning))  # type: ignore[return-value]
    if isinstance(result, UndoResult):
        return replace(result, message=f"{result.message} ({warning})")  # type: ignore[return-value]
    if isinstance(result, str):
        return f"{result} ({warning})"  # type: ignore[return-value]
    return result


def _nonce_seen(session: Session, nonce: str) -> bool:
    return session.scalar(select(CheckIn.id).where(CheckIn.nonce == nonce)) is not None


def _door_lines(session: Session, nonce: str, action: str | None) -> list[dict]:
    log = session.scalar(select(CheckIn).where(CheckIn.nonce == nonce))
    if log is None:
        return []  # nothing was written (an unknown code, an "already checked in")
    kind = "walkin" if action == "walkin" and log.action == "checkin" else log.action
    idents = guest_idents(session, [log.registration_id], details=kind == "walkin")
    line: dict[str, Any] = {
        "type": kind,
        "id": log.id,
        "nonce": log.nonce,
        "at": iso(log.at),
        "device": log.device,
        "guest": idents[log.registration_id],
    }
    if log.action == "undo":
        line["ref"] = log.ref_id
    if log.action == "checkin":
        line["first_time"] = session.scalar(
            select(Registration.first_time).where(Registration.id == log.registration_id)
        )
    line["assignments"] = assignment_states(session, log.event_id, log.at)
    return [line]


def _host_lines(
    session: Session,
    action: str,
    at: dt.datetime | None,
    event: str | int | None,
    code: str | None,
    device: str,
) -> list[dict]:
    if action not in HOST_ACTIONS or at is None or event is None or not code:
        return []
    ev = find_event(session, event)
    changes = assignment_states(session, ev.id, at)
    if not changes:
        return []  # e.g. "already with that host": nothing changed
    from checkin.door import find_registration

    reg = find_registration(session, ev, code)
    guest = guest_idents(session, [reg.id])[reg.id] if reg else {"code": code}
    line = {"type": action, "id": str(uuid.uuid4()), "at": iso(at), "device": device}
    return [{**line, "guest": guest, "assignments": changes}]


def guest_idents(session: Session, reg_ids: list[int], *, details: bool = False) -> dict:
    """What another database needs to find (or, with details, re-create) each guest."""
    cols = [
        Registration.id,
        Registration.code,
        Person.email,
        Person.email_key,
        Person.external_id,
        Person.first_name,
        Person.last_name,
    ]
    extra = [
        Person.company,
        Person.job_title,
        Person.interests,
        Registration.first_time_flag,
        Registration.created_at,
    ]
    rows = session.execute(
        select(*cols, *extra)
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.id.in_(set(reg_ids)))
    ).all()
    out = {}
    for r in rows:
        ident = {
            "code": r.code,
            "email": r.email_key or r.email,
            "external_id": r.external_id,
            "first_name": r.first_name,
            "last_name": r.last_name,
        }
        if details:
            ident.update(
                company=r.company,
                job_title=r.job_title,
                interests=r.interests,
                first_time_flag=r.first_time_flag,
                registered_at=iso(r.created_at),
            )
        out[r.id] = ident
    return out


def assignment_states(session: Session, event_id: int, at: dt.datetime) -> list[dict]:
    """Every assignment created or ended at ``at``: the ones this action changed.

    Everything one door action does runs with one clock reading, so the time finds its
    changes (a concurrent action at the same microsecond would only add a harmless repeat).
    """
    rows = session.execute(
        select(Assignment, Host.registration_id)
        .join(Host, Host.id == Assignment.host_id)
        .where(
            Assignment.event_id == event_id,
            or_(Assignment.created_at == at, Assignment.ended_at == at),
        )
        .order_by(Assignment.id)
    ).all()
    if not rows:
        return []
    ids: set[int] = set()
    for a, host_reg in rows:
        ids.update((a.newcomer_id, host_reg))
        ids.update(int(i) for i in a.introductions.split(",") if i)
    idents = guest_idents(session, list(ids))
    return [
        {
            "newcomer": idents.get(a.newcomer_id),
            "host": idents.get(host_reg),
            "created_at": iso(a.created_at),
            "status": a.status,
            "ended_at": iso(a.ended_at),
            "device": a.device,
            "introductions": [
                idents[int(i)] for i in a.introductions.split(",") if i and int(i) in idents
            ],
            "shared_interests": a.shared_interests,
            "score": a.score,
        }
        for a, host_reg in rows
    ]


# ---- reading ------------------------------------------------------------------------------


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
