"""Writing a merge into the database: the CheckIn log, assignments, then the projections.

Bulk statements throughout (one query to read what is there, executemany to write), so a
hundred thousand records merge in seconds: the big writes (the new CheckIn rows, the
projections) go straight to the driver with their values converted once, see _Driver.
See checkin.merge for the rules.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from itertools import pairwise
from operator import itemgetter

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from checkin.merge.answers import merge_answers
from checkin.merge.capacity import mark_over_capacity
from checkin.merge.guests import Guests
from checkin.merge.inputs import EXPORT_NONCE, AssignmentFact, LogFact, Parsed
from checkin.merge.rules import Log, State, ended_first, is_open, other_content, project
from checkin.store.models import Assignment, CheckIn, Event, Host, QueueEntry, Registration
from checkin.timeutil import as_utc

CHUNK = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit
MERGE_CACHE_KIB = 64 * 1024
LOG_COLUMNS = ("id", "event_id", "registration_id", "action", "at", "device", "nonce", "ref_id")
PROJECTION = ("checked_in_at", "checked_in_device", "checkin_id", "checked_out_at", "first_time")
_NOTHING = State()


class _Driver:
    """Many rows in one executemany straight to the DB-API driver, values converted here once.

    SQLAlchemy's per-row parameter processing would be most of the cost at 100,000 rows
    (see checkin.store.bulk). Times are written as UTCDateTime stores them: naive UTC, and on
    SQLite the text form SQLAlchemy's DateTime writes and reads back.
    """

    def __init__(self, conn) -> None:
        self.conn = conn
        dialect = conn.dialect
        self.mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.quote = dialect.identifier_preparer.quote
        self.time = _sqlite_time if dialect.name == "sqlite" else _naive_utc

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if rows:
            names = ", ".join(map(self.quote, columns))
            marks = ", ".join(self.mark for _ in columns)
            sql = f"INSERT INTO {self.quote(table)} ({names}) VALUES ({marks})"
            self.conn.exec_driver_sql(sql, rows)

    def update(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """UPDATE by primary key: each row is the new values of ``columns``, then the id."""
        if rows:
            values = ", ".join(f"{self.quote(c)} = {self.mark}" for c in columns)
            sql = f"UPDATE {self.quote(table)} SET {values} WHERE id = {self.mark}"
            self.conn.exec_driver_sql(sql, rows)


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return (value if value.tzinfo is dt.UTC else as_utc(value)).replace(tzinfo=None)


def _sqlite_time(value: dt.datetime | None) -> str | None:
    """The text SQLAlchemy's SQLite DATETIME stores (its own storage format): UTC, to the µs."""
    if value is None:
        return None
    v = value if value.tzinfo is dt.UTC else as_utc(value)
    return "%04d-%02d-%02d %02d:%02d:%02d.%06d" % (  # noqa: UP031 (faster than isoformat())
        v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond
    )  # fmt: skip


class Merge:
    def __init__(self, session: Session, ev: Event, report) -> None:
        self.conn = session.connection()
        self.driver = _Driver(self.conn)
        self.ev = ev
        self.report = report
        self.guests = Guests(self.conn, ev)
        # Each guest's log: the stored records as Log, the ones this merge adds as LogFact.
        self.logs: dict[int, dict[str, Log | LogFact]] = defaultdict(dict)

    def run(self, parsed: Parsed) -> None:
        sqlite = self.conn.dialect.name == "sqlite"
        if sqlite:
            # Room for the log's indexes while 100,000 rows go in: about a third faster.
            self.conn.exec_driver_sql(f"PRAGMA cache_size={-MERGE_CACHE_KIB}")
        try:
            self._run(parsed)
        finally:
            if sqlite:  # back to SQLite's default for this pooled connection
                with contextlib.suppress(DBAPIError):  # never hide the merge's own error
                    self.conn.exec_driver_sql("PRAGMA cache_size=-2000")

    def _run(self, parsed: Parsed) -> None:
        people = [f.guest for f in parsed.logs]
        people += [g for a in parsed.assignments for g in (a.newcomer, a.host)]
        people += [g for g, _ in parsed.followed_up]
        self.guests.place_all(people)
        touched = self._log(parsed.logs)
        touched |= self._assignments(parsed.assignments)
        states = self._project(touched)
        self._tidy_hosting(states)
        if self.report.assignments_added or self.report.assignments_updated:
            self._recount_hosts()
            self.report.conflicts.extend(mark_over_capacity(self.conn, self.ev.id))
        self._followed_up(parsed.followed_up)
        merge_answers(self.conn, self.ev.id, self.guests, parsed.answers)
        self.report.guests_created = self.guests.created
        self.report.guests_updated = self.guests.updated
        self.report.checked_in = self.conn.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.event_id == self.ev.id, Registration.checked_in_at.is_not(None))
        )

    # -- the log --

    def _log(self, facts: list[LogFact]) -> set[int]:
        """Add the new records to the CheckIn log; keep the whole log in memory for the
        projection (one read of the table, not two)."""
        nonces: set[str] = set()
        synthetic: dict[tuple, str] = {}  # an export's stand-ins, by (guest, door, second)
        real: set[tuple] = set()
        exports = any(f.synthetic for f in facts)
        known: dict[str, tuple] = {}  # each id's content, to tell a reused id apart
        for cid, nonce, rid, action, device, at, ref in self.conn.execute(
            select(
                CheckIn.id,
                CheckIn.nonce,
                CheckIn.registration_id,
                CheckIn.action,
                CheckIn.device,
                CheckIn.at,
                CheckIn.ref_id,
            ).where(CheckIn.event_id == self.ev.id)
        ):
            self.logs[rid][cid] = Log(cid, action, at, device, ref)
            known[cid] = (rid, action, at, device)
            nonces.add(nonce)
            if action == "checkin" and (exports or nonce.startswith(EXPORT_NONCE)):
                exports = True
                key = (rid, device, at.replace(microsecond=0))
                if nonce.startswith(EXPORT_NONCE):
                    synthetic[key] = cid
                else:
                    real.add(key)
        ids = {cid for log in self.logs.values() for cid in log}
        rows: list[tuple] = []  # the new CheckIn rows, in (at, id) order, ready for the driver
        replaced: dict[str, int] = {}
        touched: set[int] = set()
        logs, resolve, by_code = self.logs, self.guests.resolve, self.guests.by_code
        event_id, time, already = self.ev.id, self.driver.time, 0
        for f in sorted(facts, key=itemgetter(3, 0)):  # by (at, id); a hundred thousand
            fid, nonce, action, at, device, guest, ref, from_export = f
            rid = by_code.get(guest.code) or resolve(guest)
            assert rid is not None  # place_all created every guest
            if fid in ids or nonce in nonces:
                already += 1
                if problem := other_content(fid, known.get(fid), (rid, action, at, device)):
                    self.report.conflicts.append(problem)
                continue
            if exports and action == "checkin":
                key = (rid, device, at.replace(microsecond=0))
                if from_export and key in real:  # the door's own record of it is here
                    already += 1
                    continue
                if from_export:
                    synthetic[key] = fid
                else:
                    real.add(key)
                    if key in synthetic:  # the real record replaces an export's stand-in
                        replaced[synthetic.pop(key)] = rid
            ids.add(fid)
            known[fid] = (rid, action, at, device)
            nonces.add(nonce)
            touched.add(rid)
            logs[rid][fid] = f  # a LogFact has everything project() reads from a Log
            rows.append((fid, event_id, rid, action, time(at), device, nonce, ref))
        self.report.already += already
        if replaced:
            rows = [r for r in rows if r[0] not in replaced]
            gone = list(replaced)
            for i in range(0, len(gone), CHUNK):
                self.conn.execute(delete(CheckIn).where(CheckIn.id.in_(gone[i : i + CHUNK])))
            for cid, rid in replaced.items():
                self.logs[rid].pop(cid, None)
        self.driver.insert(CheckIn.__tablename__, LOG_COLUMNS, rows)
        self.report.added = len(rows)
        return touched

    # -- hosting --

    def _assignments(self, facts: list[AssignmentFact]) -> set[int]:
        if not facts:
            return set()
        hosts = dict(
            self.conn.execute(
                select(Host.registration_id, Host.id).where(Host.event_id == self.ev.id)
            ).all()
        )
        incoming: dict[tuple, AssignmentFact] = {}
        for f in facts:
            newcomer, host_reg = self.guests.resolve(f.newcomer), self.guests.resolve(f.host)
            assert newcomer is not None and host_reg is not None  # place_all created them
            if host_reg not in hosts:  # hosted at another door only: a host here too
                hosts[host_reg] = self.conn.execute(
                    insert(Host).values(
                        event_id=self.ev.id,
                        registration_id=host_reg,
                        capacity=self.ev.default_host_capacity,
                        active=True,
                        created_at=f.created_at,
                    )
                ).inserted_primary_key[0]
            key = (newcomer, hosts[host_reg], f.created_at)
            seen = incoming.get(key)
            if seen is not None:
                state = ended_first((seen.status, seen.ended_at), (f.status, f.ended_at))
                f = seen if state == (seen.status, seen.ended_at) else f
            incoming[key] = f
        existing = {
            (n, h, c): (aid, status, e)
            for aid, n, h, c, status, e in self.conn.execute(_assignments(self.ev.id))
        }
        touched: set[int] = set(hosts)
        for key, f in incoming.items():
            touched.add(key[0])
            if key in existing:
                aid, status, ended = existing[key]
                best = ended_first((status, ended), (f.status, f.ended_at))
                if best != (status, ended):
                    self.conn.execute(
                        update(Assignment)
                        .where(Assignment.id == aid)
                        .values(status=best[0], ended_at=best[1])
                    )
                    self.report.assignments_updated += 1
                continue
            intros = [self.guests.resolve(g) for g in f.introductions]
            self.conn.execute(
                insert(Assignment).values(
                    event_id=self.ev.id,
                    newcomer_id=key[0],
                    host_id=key[1],
                    status=f.status,
                    created_at=f.created_at,
                    ended_at=f.ended_at,
                    device=f.device,
                    introductions=tuple(i for i in intros if i is not None),
                    score=f.score,
                    shared_interests=f.shared_interests,
                )
            )
            self.report.assignments_added += 1
        return touched

    # -- the projection --

    def _project(self, touched: set[int]) -> dict[int, State]:
        if not touched:
            return {}
        current = {
            r[0]: r[1:]
            for r in self._rows_of(
                touched,
                Registration.id,
                Registration.id,
                Registration.checked_in_at,
                Registration.checked_in_device,
                Registration.checkin_id,
                Registration.checked_out_at,
                Registration.first_time,
                Registration.first_time_flag,
                Registration.person_id,
            )
        }
        hosts = set(
            self.conn.scalars(select(Host.registration_id).where(Host.event_id == self.ev.id))
        )
        earlier = self._earlier_check_ins({row[6] for row in current.values()})
        states: dict[int, State] = {}
        updates: list[tuple] = []
        logs, time = self.logs, self.driver.time
        duplicated = 0
        for rid, (at, device, cid, out, first, flag, person) in current.items():
            log = logs.get(rid)
            if log:
                state, duplicates = project(log.values())
                if duplicates:  # those this merge added
                    duplicated += sum(type(log[d]) is LogFact for d in duplicates)
            else:
                state = _NOTHING  # what project() makes of no records
            states[rid] = state
            new_first = None
            if state.checked_in_at is not None:
                if rid in hosts:
                    new_first = False
                elif flag is not None:
                    new_first = flag
                else:
                    new_first = not (person in earlier and earlier[person] < state.checked_in_at)
            old = (at, device, cid, out, first)  # aware UTC already (UTCDateTime)
            new = (state.checked_in_at, state.device, state.checkin_id, state.checked_out_at)
            if old != (*new, new_first):
                updates.append((time(new[0]), new[1], new[2], time(new[3]), new_first, rid))
        self.report.duplicates += duplicated
        self.driver.update(Registration.__tablename__, PROJECTION, updates)
        return states

    def _rows_of(self, rids: set[int], key, *columns) -> list[tuple]:
        """``columns`` of this event's rows whose ``key`` is in ``rids`` (one query when most)."""
        stmt = select(key, *columns).where(key.class_.event_id == self.ev.id)
        if len(rids) * 4 < len(self.guests.regs):
            ordered = sorted(rids)
            chunks = (
                stmt.where(key.in_(ordered[i : i + CHUNK])) for i in range(0, len(ordered), CHUNK)
            )
            return [tuple(r[1:]) for c in chunks for r in self.conn.execute(c)]
        return [tuple(r[1:]) for r in self.conn.execute(stmt) if r[0] in rids]

    def _earlier_check_ins(self, persons: set[int]) -> dict[int, dt.datetime]:
        """Each person's first check-in at another event (the door's first-timer rule)."""
        stmt = (
            select(Registration.person_id, func.min(Registration.checked_in_at))
            .where(Registration.event_id != self.ev.id, Registration.checked_in_at.is_not(None))
            .group_by(Registration.person_id)
        )
        return {p: at for p, at in self.conn.execute(stmt) if p in persons}

    def _tidy_hosting(self, states: dict[int, State]) -> None:
        """No newcomer keeps two hosts at once, or one while not here; nor waits with one.

        Only assignments no door has ended take part (active, or ended by an earlier
        merge), and their state is recomputed from scratch: a function of the records.
        """
        if not states:
            return
        current: dict[int, list[tuple]] = defaultdict(list)
        for aid, newcomer, host, created, status, ended in self.conn.execute(
            _assignments(self.ev.id)
        ):
            if newcomer in states and is_open((status, ended)):
                current[newcomer].append((created, host, aid, (status, ended)))
        changes: list[dict] = []
        resolved: dict[int, dt.datetime] = {}
        for newcomer, rows in current.items():
            rows.sort()
            state = states[newcomer]
            if state.checked_in_at is None or state.checked_out_at is not None:
                end = state.checked_out_at or state.last_undo
                wanted = [("absent", end) if end else ("active", None)] * len(rows)
                if end:
                    resolved[newcomer] = end
            else:  # a later door's host replaces an earlier one, as a reassignment would
                wanted = [("superseded", later[0]) for _, later in pairwise(rows)]
                wanted.append(("active", None))
                resolved[newcomer] = rows[-1][0]
            for (_, _, aid, old), new in zip(rows, wanted, strict=True):
                if old != new:
                    changes.append({"b_id": aid, "b_status": new[0], "b_end": new[1]})
        if changes:
            self.conn.execute(
                update(Assignment)
                .where(Assignment.id == bindparam("b_id"))
                .values(status=bindparam("b_status"), ended_at=bindparam("b_end")),
                changes,
            )
            self.report.assignments_updated += len(changes)
        waiting = [
            {"b_id": qid, "b_at": resolved[n]}
            for qid, n in self.conn.execute(
                select(QueueEntry.id, QueueEntry.newcomer_id).where(
                    QueueEntry.event_id == self.ev.id, QueueEntry.resolved_at.is_(None)
                )
            )
            if n in resolved
        ]
        if waiting:
            self.conn.execute(
                update(QueueEntry)
                .where(QueueEntry.id == bindparam("b_id"))
                .values(resolved_at=bindparam("b_at")),
                waiting,
            )

    def _followed_up(self, facts: list) -> None:
        """A host's follow-up mark: the earliest from any laptop stands (hosting)."""
        for g, at in facts:
            rid = self.guests.resolve(g)
            if rid is None:
                continue
            self.conn.execute(
                update(Registration)
                .where(
                    Registration.id == rid,
                    (Registration.followed_up_at.is_(None)) | (Registration.followed_up_at > at),
                )
                .values(followed_up_at=at)
            )

    def _recount_hosts(self) -> None:
        """Each host's load (newcomers with them now), which hosting keeps in step."""
        active = (
            select(func.count())
            .select_from(Assignment)
            .where(Assignment.host_id == Host.id, Assignment.status == "active")
            .scalar_subquery()
        )
        self.conn.execute(update(Host).where(Host.event_id == self.ev.id).values(load=active))


def _assignments(event_id: int):
    """(id, newcomer, host, created_at, status, ended_at) of every assignment of the event."""
    return select(
        Assignment.id,
        Assignment.newcomer_id,
        Assignment.host_id,
        Assignment.created_at,
        Assignment.status,
        Assignment.ended_at,
    ).where(Assignment.event_id == event_id)
