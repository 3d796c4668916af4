"""New guests written with the write lock held only for the inserts themselves.

Most of a big list is new guests who are new people (a first import). Their rows — people,
registrations, interest tags — are made here as plain tuples *before* the chunk's write
transaction begins (while the doors have the lock), so the transaction is a few checks and
one executemany per table:

- the ids planned are still free (on SQLite a door may have added a walk-in meanwhile: the
  chunk's ids move up past it; on PostgreSQL they come from the sequences, so they are);
- an email or external id the chunk would claim is not a known person's now (a walk-in of
  a moment ago): those rows go through ``apply_plan`` in the same transaction instead,
  which reuses that person, as a one-transaction import would have;
- an issued app code is not taken (random, so practically never): then the whole chunk
  goes through ``apply_plan``.

A unique index that still objects (a door on PostgreSQL inserting the same identity at that
moment) rolls the chunk back, and ``apply_plan`` writes it again in a new transaction.
Hosts and backup hosts are not new-guest rows: they go through ``apply_plan``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checkin.door.codes import issue_code
from checkin.guestlist.apply import Applied, apply_plan, hosts_row
from checkin.guestlist.plan import Plan, identity, person_fields, reg_fields
from checkin.guestlist.rows import GuestRow
from checkin.hosting.tags import tags_of
from checkin.store.bulk import existing_values, insert_tuples, reserve_ids
from checkin.store.models import Event, Person, PersonTag, Registration

PERSON_COLUMNS = (
    "id", "first_name", "last_name", "title", "email", "company", "job_title", "profession",
    "phone", "interests", "languages", "email_key", "external_id", "created_at", "vcard_consent",
)  # fmt: skip
REG_COLUMNS = (
    "id", "event_id", "person_id", "code", "code_issued", "source", "created_at", "updated_at",
    "status", "status_reason", "first_time_flag", "ticket_type",
)  # fmt: skip
TAG_COLUMNS = ("person_id", "tag")
_MEMO = 50_000  # distinct interest sets remembered (a list of unique ones gains nothing)
_EMAIL_KEY, _EXTERNAL = PERSON_COLUMNS.index("email_key"), PERSON_COLUMNS.index("external_id")


def is_new_guest(row: GuestRow) -> bool:
    """A row ``prepare`` writes (any other new row goes through ``apply_plan``)."""
    return not hosts_row(row)


@dataclass(slots=True)
class Batch:
    """One chunk's rows, ready to insert; ``rows[i]`` made ``people[i]`` and ``regs[i]``."""

    rows: list[GuestRow]
    people: list[tuple]
    regs: list[tuple]
    tags: list[tuple]
    issued: list[str]
    first_person: int  # the lowest id planned in ``people`` (and so, in ``tags``)
    first_reg: int
    sequences: bool  # ids from PostgreSQL's sequences: exact, never moved


@dataclass
class NewGuests:
    """The new guests of a plan, handed out a batch at a time (``next_batch``)."""

    rows: list[GuestRow]
    event_id: int
    fmt: str
    now: object  # the import's time, as the driver takes it
    key: bytes | None  # the signing key, when some guests need an app code
    sequences: bool
    next_person: int = 0  # SQLite: the next id planned (ids only ever move up)
    next_reg: int = 0
    start: int = 0
    seen_email: set[str] = field(default_factory=set)
    # A list repeats a few interests across thousands of guests: fold each set once.
    tag_memo: dict[tuple, list[str]] = field(default_factory=dict)

    def next_batch(self, session: Session | None, size: int) -> Batch | None:
        """The next ``size`` rows as a Batch; ``session`` (a read) only to reserve
        PostgreSQL ids. Nothing is written."""
        part = self.rows[self.start : self.start + size]
        if not part:
            return None
        self.start += len(part)
        n = len(part)
        if self.sequences:
            pids = reserve_ids(session, Person.__table__, n)
            rids = reserve_ids(session, Registration.__table__, n)
        else:
            pids = range(self.next_person, self.next_person + n)
            rids = range(self.next_reg, self.next_reg + n)
            self.next_person += n
            self.next_reg += n
        issued = {issue_code(self.key) for r in part if not r.ticket_code} if self.key else set()
        while len(issued) < sum(1 for r in part if not r.ticket_code):
            issued.add(issue_code(self.key))
        codes = sorted(issued)
        now, event_id, fmt, seen = self.now, self.event_id, self.fmt, self.seen_email
        memo = self.tag_memo
        people, regs, tags = [], [], []
        for row, pid, rid in zip(part, pids, rids, strict=True):
            email = row.email
            ident = email if email and email not in seen else None
            if email:
                seen.add(email)
            # The values are apply_plan's own (plan.person_fields / reg_fields), in the
            # column order above (a test holds the two together).
            fields = person_fields(row)
            people.append(
                (pid, *fields.values(), ident, identity(fmt, row.external_id), now, False)
            )
            code, issued_here = (row.ticket_code, False) if row.ticket_code else (codes.pop(), True)
            regs.append(
                (rid, event_id, pid, code, issued_here, "import", now, now,
                 *reg_fields(row).values())
            )  # fmt: skip
            what = (fields["interests"], fields["languages"], row.profession)
            if (folded := memo.get(what)) is None:
                folded = tags_of(*what)
                if len(memo) < _MEMO:
                    memo[what] = folded
            tags.extend([(pid, t) for t in folded])
        return Batch(part, people, regs, tags, sorted(issued), pids[0], rids[0], self.sequences)

    def plan_ids(self, session: Session) -> None:
        """SQLite: start planning ids after the highest now taken (a read)."""
        if not self.sequences:
            self.next_person = _top(session, Person) + 1
            self.next_reg = _top(session, Registration) + 1


def _top(session: Session, model) -> int:
    return session.scalar(select(func.coalesce(func.max(model.id), 0)))


def write_batch(session: Session, batch: Batch, fmt: str, checkpoints=None) -> Applied:
    """Inside the chunk's write transaction: check, then one executemany per table
    (``checkpoints``: a ``bulk.CheckpointInGaps`` that copies the log between chunks)."""
    if checkpoints is not None:
        checkpoints.off_in(session)
    event_id = batch.regs[0][1]
    if existing_values(session, Registration.__table__, "code", batch.issued, event_id):
        return apply_plan(session, session.get(Event, event_id), Plan(new=batch.rows), fmt)
    person = Person.__table__
    known = existing_values(session, person, "email_key", [p[_EMAIL_KEY] for p in batch.people])
    known |= existing_values(session, person, "external_id", [p[_EXTERNAL] for p in batch.people])
    diverted: list[GuestRow] = []
    people, regs, tags = batch.people, batch.regs, batch.tags
    if known:
        moved = {i for i, p in enumerate(people) if p[_EMAIL_KEY] in known or p[_EXTERNAL] in known}
        diverted = [batch.rows[i] for i in sorted(moved)]
        gone = {people[i][0] for i in moved}
        people = [p for i, p in enumerate(people) if i not in moved]
        regs = [r for i, r in enumerate(regs) if i not in moved]
        tags = [t for t in tags if t[0] not in gone]
    if not batch.sequences:
        people, regs, tags = _moved_up(session, batch, people, regs, tags)
    insert_tuples(session, Person.__table__, PERSON_COLUMNS, people)
    insert_tuples(session, Registration.__table__, REG_COLUMNS, regs)
    insert_tuples(session, PersonTag.__table__, TAG_COLUMNS, tags)
    done = Applied(
        people=[p[0] for p in people],
        registrations=[r[0] for r in regs],
        codes_issued=sum(1 for r in regs if r[4]),
    )
    if diverted:
        more = apply_plan(session, session.get(Event, event_id), Plan(new=diverted), fmt)
        _merge(done, more)
    return done


def _moved_up(session: Session, batch: Batch, people, regs, tags):
    """SQLite: ids taken since they were planned (a walk-in at a door) push ours up."""
    dp = max(0, _top(session, Person) + 1 - batch.first_person)
    dr = max(0, _top(session, Registration) + 1 - batch.first_reg)
    if not (dp or dr):
        return people, regs, tags
    first = batch.first_person  # ids below it are people who existed before: never moved

    def pid(p: int) -> int:
        return p + dp if p >= first else p

    people = [(p[0] + dp, *p[1:]) for p in people]
    regs = [(r[0] + dr, r[1], pid(r[2]), *r[3:]) for r in regs]
    tags = [(pid(t[0]), t[1]) for t in tags]
    return people, regs, tags


def _merge(done: Applied, more: Applied) -> None:
    done.people += more.people
    done.registrations += more.registrations
    done.hosts += more.hosts
    done.people_before += more.people_before
    done.registrations_before += more.registrations_before
    done.capacity_before.update(more.capacity_before)
    done.codes_issued += more.codes_issued
    done.host_rows += more.host_rows
    done.backup_rows += more.backup_rows
    done.were_backups += more.were_backups
