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
pending lines are retried on the next action. If the folder is unwritable the check-in
still succeeds: the outcome carries a warning, and ``Journal.problem`` says what is wrong
until a write succeeds again (lines waiting in memory are written first).

The stick pulled: before each write the open file is compared with what the path names now
(``fstat`` of the descriptor against ``stat`` of the path); a file no longer reachable at
its path, or a missing folder, makes ``Journal.missing`` true and ``Journal.status_text``
the door's lasting amber warning, and every outcome carries a warning. The folder is never
created: the organiser chose it, and its absence means the stick is out. When it is back,
the journal goes on in a *new* file whose header records the gap (``resumed_after_gap``:
from, to) and the lines that waited are written there first.

Lines are signed with the event's key (see ``signing``) when the journal has one
(``Journal.for_event`` always does), so a line added or changed by hand is refused at merge.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
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
from checkin.journal.signing import event_key, key_id, signed_line
from checkin.store.db import Database
from checkin.text import fold
from checkin.timeutil import iso, utcnow

FORMAT = "welcome-desk-journal"
VERSION = 1
SUFFIX = ".jsonl"
MISSING = "Journal stick missing — check-ins are kept on this laptop only"
T = TypeVar("T")


def slug(text: str) -> str:
    """'Chamber Evening' -> 'chamber-evening' (file names that work on every stick)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "x"


def encode(record: dict, key: bytes | None = None) -> bytes:
    return signed_line(key, record)


class _Unreachable(OSError):
    """The journal file is no longer at its path (the stick was pulled, the folder removed)."""


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
        key: bytes | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.event = event
        self.event_date = event_date
        self.device = device or "door"
        self.machine = machine or socket.gethostname()
        self.path = self.folder / f"{slug(event)}__{slug(self.device)}{SUFFIX}"
        self.key = key
        self.problem: str | None = None  # the last failure, until a write succeeds
        self.missing = False  # the folder or the file is not reachable: the stick is out
        self._lost_since: dt.datetime | None = None  # when writing stopped, for the gap
        self._lost_file: str | None = None
        self._last_ok: dt.datetime | None = None
        self._notice: str | None = None  # said once on the next outcome
        self._fd: int | None = None
        self._pending: list[bytes] = []
        self._lock = threading.Lock()

    @classmethod
    def for_event(
        cls, db: Database, event: str | int, folder: str | os.PathLike, device: str
    ) -> Journal:
        with db.write() as session:  # a write: the event's key is made on first use
            ev = find_event(session, event)
            key = event_key(session, ev.id)
            return cls(folder, event=ev.name, event_date=ev.day, device=device, key=key)

    @property
    def status_text(self) -> str | None:
        """What the door shows while the journal is not being written (None when it is)."""
        if self.missing:
            return MISSING
        return f"Journal not written: {self.problem}" if self.problem else None

    def check(self) -> str | None:
        """Look whether the journal is still reachable (and write what waits, if it is back)
        without an action: for a timer in the door. Returns ``status_text``."""
        if self._fd is None and not self.missing and not self.folder.is_dir():
            with self._lock:  # not opened yet, and already the stick is out
                self.missing = True
                self._lost_since = self._lost_since or self._last_ok or utcnow()
        self.append([])
        return self.status_text

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
            **({"key_id": key_id(self.key)} if self.key else {}),
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
            self._pending.extend(encode(r, self.key) for r in records)
            if not self._pending and self._fd is None and not self.missing:
                return None
            try:
                fd = self._open()
                data = b"".join(self._pending)
                while data:  # os.write may write less than asked on some file systems
                    data = data[os.write(fd, data) :]
                if self._pending:
                    os.fsync(fd)
            except OSError as exc:
                return self._failed(exc)
            self._pending.clear()
            self.problem = None
            self.missing = False
            self._lost_since = self._lost_file = None
            self._last_ok = utcnow()
            notice, self._notice = self._notice, None
            return f"{notice}; continuing in {self.path.name}." if notice else None

    def _failed(self, exc: OSError) -> str | None:
        self._close()
        gone = isinstance(exc, _Unreachable) or not self.folder.is_dir()
        if gone:
            self.missing = True
            self._lost_since = self._lost_since or self._last_ok or utcnow()
        self.problem = f"{self.path}: {exc.strerror or exc}"
        waiting = len(self._pending)
        if not waiting:
            return None
        if gone:
            return f"{MISSING} ({self.folder} is not there); {waiting} action(s) wait for it."
        return (
            f"Attendance journal not written ({self.problem}); saved in the database, "
            f"{waiting} action(s) wait for the journal folder to come back."
        )

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
            if _same_file(self._fd, self.path):
                return self._fd
            self._close()  # the stick was pulled (or the file removed): never write into it
            self._lost_file = self.path.name
            self._lost_since = self._lost_since or self._last_ok or utcnow()
            if self.folder.is_dir():  # only the file went: say so, and go on in a new one
                self._notice = f"The journal file {self._lost_file} vanished from {self.folder}"
        if not self.folder.is_dir():  # never created: its absence means the stick is out
            raise _Unreachable(errno.ENOENT, "the journal folder is missing", str(self.folder))
        self._choose_path(fresh=self._lost_since is not None)
        created = not self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            if size == 0:
                os.write(fd, encode(self.header(**self._gap()), self.key))
            elif not _ends_with_newline(self.path, size):
                # A power cut tore the last line: end it, and mark where writing resumed so
                # merge knows the line before is torn, not corrupt.
                os.write(fd, b"\n" + encode(self.header(resumed=True), self.key))
            os.fsync(fd)
            if created:
                _fsync_dir(self.folder)  # the new file's name must survive a power cut too
        except OSError:
            os.close(fd)
            raise
        self._fd = fd
        return fd

    def _gap(self) -> dict:
        """For a file begun after the journal was unreachable: when writing stopped and began."""
        if self._lost_since is None:
            return {}
        gap = {"from": iso(self._lost_since), "to": iso(utcnow())}
        return {"resumed_after_gap": gap, "previous_file": self._lost_file}

    def _choose_path(self, *, fresh: bool = False) -> None:
        """Never append to another event's or another machine's file of the same name; after
        a gap (``fresh``), never to any existing file: the journal resumes in a new one."""
        first_name = self.folder / f"{slug(self.event)}__{slug(self.device)}{SUFFIX}"
        base = first_name.with_suffix("")
        for n in range(1, 1000):
            path = first_name if n == 1 else Path(f"{base}-{n}{SUFFIX}")
            first = _first_line(path)
            if first is None or (
                not fresh
                and first.get("event") == self.event
                and first.get("machine") == self.machine
            ):
                self.path = path
                return
        raise OSError(f"too many journal files named like {self.path.name}")


def _same_file(fd: int, path: Path) -> bool:
    """Whether the open file is still the one its path names (one stat, one fstat)."""
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


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
