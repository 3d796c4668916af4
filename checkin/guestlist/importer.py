"""A read guest list into the database: all or nothing, updating, never duplicating.

Matching is ``plan.py``'s, writing ``apply.py``'s. A person is shared across events by their
normalised email, else their external id.

**The door keeps answering during a big import.** The importer runs on the same database as
the doors, and one transaction of 200,000 rows would hold SQLite's only write lock (or, on
PostgreSQL, the rows it updates) for seconds. So the plan is made in a *read* transaction
(no lock), and written in chunks, each in its own short write transaction sized to hold the
lock about ``TARGET_S``, with the lock left free between them long enough for a waiting
door's busy handler to find it free (``_gap``). New guests' rows are made in that gap,
before their transaction (``newguests.py``); updates and hosts go through ``apply_plan``.

**All or nothing, still.** Every problem a file can have is found before the first write
(the reader checks every cell, the plan every match). Should a chunk fail anyway (the disk
fills, another door took an identity at that moment), everything the earlier chunks wrote is
undone from the before-images each chunk kept (``apply.undo``), and the import is refused.
The one thing never undone is a check-in: a guest from an early chunk who was checked in
meanwhile stays on the list, and the refusal says so. A process killed between two chunks
leaves the chunks written so far (each is whole); importing the same file again completes
it, since a re-import only adds what is missing. Small lists (up to one chunk) are written
in one transaction, as before.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from checkin.door.codes import signing_key
from checkin.errors import CheckinError, DatabaseError, ImportRefused
from checkin.events import find_event
from checkin.guestlist.apply import Applied, apply_plan, undo
from checkin.guestlist.newguests import Batch, NewGuests, is_new_guest, write_batch
from checkin.guestlist.plan import Plan, make_plan
from checkin.guestlist.rows import GuestList, ImportProblem
from checkin.store.bulk import CheckpointInGaps, db_datetime
from checkin.store.db import Database
from checkin.timeutil import utcnow

log = logging.getLogger(__name__)

# Rows in the first write transaction (and the most a small list has: written at once);
# later chunks are sized to hold the write lock about TARGET_S each (see _write).
WRITE_CHUNK = 250
MIN_CHUNK, MAX_CHUNK = 20, 20_000
TARGET_S = 0.06
# Between chunks the lock stays free long enough for any door waiting for it. SQLite's busy
# handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100, 100 ... ms between a waiting
# door's tries: a door that began waiting while a chunk of ``took`` ms ran is by then in the
# sleep that spans ``took``, and tries again within that sleep (see _gap).
PAUSE_S = 0.03  # at least
_SLEEPS_MS = (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50)  # then 100 each
BUSY_ATTEMPTS = 5  # a chunk that waited out the busy timeout this often fails the import


@dataclass
class ImportSummary:
    path: str
    format: str
    encoding: str
    delimiter: str
    rows: int
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    hosts: int = 0
    backups: int = 0  # happy to welcome if needed (backup hosts)
    codes_issued: int = 0
    dry_run: bool = False
    changes: list[str] = field(default_factory=list)  # "row 12: new" ... (first 50)
    tool: str = ""  # "pretix check-in list (German)"
    mapping: dict[str, str] = field(default_factory=dict)  # our field -> the file's column
    unpaid: int = 0
    refused: dict[str, int] = field(default_factory=dict)  # reason -> guests not admitted
    notes: list[str] = field(default_factory=list)  # what was cleaned on the way in

    def as_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}

    def describe(self) -> list[str]:
        """The summary an organiser checks at a glance: tool, mapping, statuses."""
        verb = "Would import" if self.dry_run else "Imported"
        lines = [
            f"{verb} {self.rows} rows from {self.tool or self.format} ({self.encoding}): "
            f"{self.added} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.hosts} hosts, {self.codes_issued} codes issued",
            "  columns: "
            + ", ".join(f"{f.replace('_', ' ')} ← '{h}'" for f, h in self.mapping.items()),
        ]
        if self.backups:
            lines.append(f"  {self.backups} happy to welcome if the hosts run short (backups)")
        if self.unpaid or self.refused:
            parts = [f"{self.unpaid} unpaid"] if self.unpaid else []
            parts += [f"{n} {reason}" for reason, n in sorted(self.refused.items())]
            lines.append(f"  not admitted at the door: {', '.join(parts)}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return lines


def _part(work: list, start: int, size: int, unchanged: list) -> Plan:
    part = Plan()
    for kind, item in work[start : start + size]:
        (part.new if kind == "new" else part.updates).append(item)
    if start + size >= len(work):
        part.unchanged = unchanged  # hosts marked in unchanged rows go with the last chunk
    return part


class _Careful:
    """Chunks written by ``apply_plan``: updates, hosts, and the unchanged rows' hosts."""

    def __init__(self, db: Database, event_id: int, plan: Plan, fmt: str) -> None:
        self.db, self.event_id, self.fmt, self.unchanged = db, event_id, fmt, plan.unchanged
        self.work = [("new", r) for r in plan.new if not is_new_guest(r)]
        self.work += [("update", u) for u in plan.updates]
        self.start, self.size = 0, WRITE_CHUNK
        self.pending = bool(self.work or plan.unchanged)

    def next(self):
        if not self.pending:
            return None
        part = _part(self.work, self.start, self.size, self.unchanged)
        self.start += self.size
        self.pending = self.start < len(self.work)
        return lambda: _retrying(self.db, lambda s: self._apply(s, part))

    def after(self) -> None:
        pass

    def close(self) -> None:
        pass

    def _apply(self, session, part: Plan) -> Applied:
        return apply_plan(session, find_event(session, self.event_id), part, self.fmt)


class _Fast:
    """Chunks of new guests, made before their transaction (``newguests``)."""

    def __init__(self, db: Database, event_id: int, plan: Plan, fmt: str) -> None:
        self.db, self.fmt = db, fmt
        rows = [r for r in plan.new if is_new_guest(r)]
        key = _retrying(db, signing_key) if any(not r.ticket_code for r in rows) else None
        now = db_datetime(db.engine.dialect, utcnow())
        self.guests = NewGuests(rows, event_id, fmt, now, key, db.is_postgresql)
        self.size = WRITE_CHUNK
        if rows:
            with db.read() as session:
                self.guests.plan_ids(session)
        self.checkpoints = CheckpointInGaps(db.engine)

    def after(self) -> None:
        """Between two chunks, the lock already free: the log copied into the database."""
        self.checkpoints.run()

    def close(self) -> None:
        self.checkpoints.close()

    def next(self):
        if self.guests.start >= len(self.guests.rows):
            return None
        if self.db.is_postgresql:
            with self.db.read() as session:
                batch = self.guests.next_batch(session, self.size)
        else:
            batch = self.guests.next_batch(None, self.size)
        return lambda: self._write(batch)

    def _write(self, batch: Batch) -> Applied:
        try:
            return _retrying(self.db, lambda s: write_batch(s, batch, self.fmt, self.checkpoints))
        except IntegrityError:  # a door took an identity this very moment: the careful way
            return _retrying(
                self.db,
                lambda s: apply_plan(
                    s, find_event(s, self.guests.event_id), Plan(new=batch.rows), self.fmt
                ),
            )


def _gap(took: float) -> float:
    """How long the lock stays free after a chunk that held it ``took`` seconds: as long as
    the busy-handler sleep a door that waited all that time is in, and ``PAUSE_S`` at least."""
    waited = 0
    for sleep in _SLEEPS_MS:
        if waited + sleep > took * 1000:
            return max(PAUSE_S, (sleep + 5) / 1000)
        waited += sleep
    return 0.105


def _chunks(source, done: list[Applied], between_chunks, last):
    """Every chunk of ``source``, the lock left free ``_gap`` between two."""
    while (chunk := source.next()) is not None:  # (made while the doors may write)
        if last is not None:
            time.sleep(max(0.0, last[1] - (time.perf_counter() - last[0])))
        began = time.perf_counter()
        done.append(chunk())
        released = time.perf_counter()
        took = released - began
        last = (released, _gap(took))
        # Grown by half at most: one quick chunk is no promise that twice as many rows are.
        scale = min(1.5, TARGET_S / max(took, 1e-3))
        source.size = max(MIN_CHUNK, min(MAX_CHUNK, int(source.size * scale)))
        source.after()
        if between_chunks is not None:
            between_chunks()  # the app's door actions queued behind us go now
    return last


def _write(
    db: Database,
    event_id: int,
    plan: Plan,
    fmt: str,
    path: str,
    between_chunks: Callable[[], None] | None = None,
) -> list[Applied]:
    """Write the plan in short transactions, each sized to hold the lock about
    ``TARGET_S``, with the lock left free at least ``PAUSE_S`` between them: the next
    chunk is made in that gap, outside any transaction."""
    done: list[Applied] = []
    last: tuple[float, float] | None = None  # when the last chunk let the lock go, and gap
    try:
        # The new guests' ids are planned once the careful chunks (hosts) took theirs.
        for make in (_Careful, _Fast):
            source = make(db, event_id, plan, fmt)
            try:
                last = _chunks(source, done, between_chunks, last)
            finally:
                source.close()
    except Exception as exc:  # undo, then say what happened
        if not done:
            raise
        kept = _undo_all(db, done)
        log.warning("import failed after %d chunks; undone", len(done))
        why = str(exc) if isinstance(exc, CheckinError) else type(exc).__name__
        message = f"writing the list failed part-way ({why}); what was written was undone"
        if kept:
            message += (
                f", except {len(kept)} guests checked in at the door meanwhile, who stay on "
                "the list"
            )
        raise ImportRefused(path, [ImportProblem(None, None, message)]) from exc
    return done


def _busy(exc: DatabaseError) -> bool:
    return "locked" in str(exc.__cause__).lower() or "busy" in str(exc).lower()


def _undo_all(db: Database, done: list[Applied]) -> list[int]:
    kept: list[int] = []
    for applied in reversed(done):
        kept += _retrying(db, lambda session, a=applied: undo(session, a))
    return kept


def _retrying(db: Database, work):
    for attempt in range(BUSY_ATTEMPTS):
        try:
            with db.write() as session:
                return work(session)
        except DatabaseError as exc:
            if not _busy(exc) or attempt == BUSY_ATTEMPTS - 1:
                raise
            time.sleep(PAUSE_S * (attempt + 1))
    raise AssertionError("unreachable")


def import_guest_list(
    db: Database,
    event: str | int,
    path: str | os.PathLike,
    *,
    format: str = "auto",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    guests: GuestList | None = None,
    issue_codes: bool = False,
    between_chunks: Callable[[], None] | None = None,
) -> ImportSummary:
    """Import (or with ``dry_run``, only plan) a guest list. Raises ImportRefused, writing
    nothing, when the file or its match against the database has any problem.

    ``between_chunks`` runs between the short write transactions of a big list, outside
    any transaction: the desktop app lets the scans queued on its one writer thread in."""
    if guests is None:
        from checkin.guestlist.reading import read_guest_list

        guests = read_guest_list(path, format=format, mapping=mapping, issue_codes=issue_codes)
    if guests.problems:
        raise ImportRefused(str(path), guests.problems)
    summary = ImportSummary(
        str(path), guests.format, guests.encoding, guests.delimiter, len(guests.rows)
    )
    summary.dry_run = dry_run
    summary.tool, summary.mapping = guests.tool, dict(guests.mapping)
    summary.notes = list(guests.notes)
    summary.unpaid = sum(1 for r in guests.rows if r.status == "unpaid")
    summary.refused = dict(
        Counter(r.status_reason or "cancelled" for r in guests.rows if r.cancelled)
    )
    summary.cancelled = sum(1 for r in guests.rows if r.cancelled)
    small = len(guests.rows) <= WRITE_CHUNK
    # A small list is planned and written in one write transaction (nothing can change in
    # between); a big one is planned in a read, so the doors keep writing meanwhile.
    ctx = db.write() if small and not dry_run else db.read()
    with ctx as session:
        ev = find_event(session, event)
        event_id = ev.id
        plan = make_plan(session, ev, guests)
        if plan.problems:
            raise ImportRefused(str(path), plan.problems)
        summary.added = len(plan.new)
        summary.updated = len(plan.updates)
        summary.unchanged = len(plan.unchanged)
        summary.changes = [f"row {r.row}: new guest {r.full_name}" for r in plan.new[:25]] + [
            f"row {r.row}: update {r.full_name}" for r, _ in plan.updates[:25]
        ]
        if dry_run:
            summary.hosts = sum(1 for r in guests.rows if r.is_host)
            summary.backups = sum(
                1
                for r in guests.rows
                if r.backup_host and not r.is_host and r.first_time is not True
            )
            summary.codes_issued = sum(1 for r in plan.new if not r.ticket_code)
            return summary
        if small:
            done = [apply_plan(session, ev, plan, guests.format)]
    if not small:
        done = _write(db, event_id, plan, guests.format, str(path), between_chunks)
    summary.codes_issued = sum(d.codes_issued for d in done)
    summary.hosts = sum(d.host_rows for d in done)
    summary.backups = sum(d.backup_rows for d in done)
    return summary
