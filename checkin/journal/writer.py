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
from pathlib import Path
from typing import Any, TypeVar

from checkin import __version__
from checkin.events import find_event
from checkin.journal.records import lines_for
from checkin.store.db import Database
from checkin.text import fold
from checkin.timeutil import iso, utcnow

FORMAT = "welcome-desk-journal"
VERSION = 1
SUFFIX = ".jsonl"
T = TypeVar("T")


def slug(text: str) -> str:
    """'Chamber Evening' -> 'chamber-evening' (file names that work on every stick)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "x"


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

    def prepare(self, session, changes, kind: str | None) -> list[dict]:
        """The lines for one action's change records, built inside its transaction."""
        return lines_for(session, changes, kind, self.device)

    def write(self, lines: list[dict]) -> str | None:
        return self.append(lines)

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
