"""A read guest list into the database: all or nothing, updating, never duplicating.

Matching an incoming row to an existing registration of the event: by ticket code, then by
email and name together, then by email alone (for the first row carrying that email; a
buyer who registered friends under their own email gives later rows no email identity).
A person is shared across events by their normalised email, else their external id.

Fast on big lists: everything is read in a few queries up front and written with bulk
statements, in one transaction; a dry run plans the same and writes nothing.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field, replace

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from checkin.door.codes import issue_code, signing_key
from checkin.errors import ImportRefused
from checkin.events import find_event
from checkin.guestlist.rows import GuestList, GuestRow, ImportProblem
from checkin.hosting.tags import tag_rows
from checkin.store.bulk import insert_many, reserve_ids
from checkin.store.db import Database
from checkin.store.models import Event, Host, Person, PersonTag, Registration
from checkin.text import fold, join_tags
from checkin.timeutil import utcnow

CHUNK = 500  # stays under SQLite's bound-parameter limit in IN (...) lists


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
        if self.unpaid or self.refused:
            parts = [f"{self.unpaid} unpaid"] if self.unpaid else []
            parts += [f"{n} {reason}" for reason, n in sorted(self.refused.items())]
            lines.append(f"  not admitted at the door: {', '.join(parts)}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return lines


def _person_fields(row: GuestRow) -> dict:
    return {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "title": row.title,
        "email": row.email,
        "company": row.company,
        "job_title": row.job_title,
        "profession": row.profession,
        "phone": row.phone,
        "interests": join_tags(row.interests),
        "languages": join_tags(row.languages),
    }


def _reg_fields(row: GuestRow) -> dict:
    return {
        "status": row.status,
        "status_reason": row.status_reason,
        "first_time_flag": False if row.is_host else row.first_time,
        "ticket_type": row.ticket_type,
    }


def _chunks(items: list, n: int = CHUNK):
    for i in range(0, len(items), n):
        yield items[i : i + n]


@dataclass
class _Existing:
    reg_id: int
    person_id: int
    code: str
    person: dict
    reg: dict
    external_id: str | None = None


def _load_existing(session: Session, event_id: int) -> list[_Existing]:
    rows = session.execute(
        select(
            Registration.id,
            Registration.person_id,
            Registration.code,
            Registration.status,
            Registration.first_time_flag,
            Registration.ticket_type,
            Registration.status_reason,
            Person.first_name,
            Person.last_name,
            Person.title,
            Person.email,
            Person.company,
            Person.job_title,
            Person.profession,
            Person.phone,
            Person.interests,
            Person.languages,
            Person.external_id,
        )
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.event_id == event_id)
    ).all()
    out = []
    for r in rows:
        person = dict(
            zip(
                (
                    "first_name",
                    "last_name",
                    "title",
                    "email",
                    "company",
                    "job_title",
                    "profession",
                    "phone",
                    "interests",
                    "languages",
                ),
                r[7:17],
                strict=True,
            )
        )
        reg = {"status": r[3], "status_reason": r[6], "first_time_flag": r[4], "ticket_type": r[5]}
        out.append(_Existing(r[0], r[1], r[2], person, reg, r[17]))
    return out


@dataclass
class _Plan:
    new: list[GuestRow] = field(default_factory=list)
    updates: list[tuple[GuestRow, _Existing]] = field(default_factory=list)
    unchanged: list[tuple[GuestRow, _Existing]] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def _plan(session: Session, event: Event, guests: GuestList) -> _Plan:
    existing = _load_existing(session, event.id)
    by_code = {e.code: e for e in existing}
    by_email_name: dict[tuple[str, str], _Existing] = {}
    by_email: dict[str, _Existing] = {}
    by_external = {e.external_id: e for e in existing if e.external_id}
    by_name: dict[str, list[_Existing]] = {}
    for e in existing:
        by_name.setdefault(fold(f"{e.person['first_name']} {e.person['last_name']}"), []).append(e)
    for e in existing:
        if e.person["email"]:
            name = fold(f"{e.person['first_name']} {e.person['last_name']}")
            by_email_name[(e.person["email"], name)] = e
            by_email.setdefault(e.person["email"], e)
    plan = _Plan()
    claimed: dict[int, int] = {}  # registration id -> file row that matched it
    file_codes = {r.ticket_code for r in guests.rows if r.ticket_code}
    for row in guests.rows:
        match = by_code.get(row.ticket_code) if row.ticket_code else None
        if match is None and (ident := _identity(guests.format, row.external_id)):
            match = by_external.get(ident)
        if match is None and not (row.ticket_code or row.email or row.external_id):
            # A list of bare names: the same name, if only one guest has it, is the same guest.
            same = by_name.get(fold(row.full_name), [])
            if len(same) == 1 and same[0].reg_id not in claimed:
                match = same[0]
        if match is None and row.email:
            match = by_email_name.get((row.email, fold(row.full_name)))
            if match is None:
                candidate = by_email.get(row.email)
                # By email alone only if no other row of the file claims that guest's code.
                if (
                    candidate is not None
                    and candidate.reg_id not in claimed
                    and candidate.code not in file_codes
                ):
                    match = candidate
        if match is None:
            plan.new.append(row)
            continue
        if match.reg_id in claimed:
            plan.problems.append(
                ImportProblem(
                    row.row, None, f"same guest as row {claimed[match.reg_id]} of this file"
                )
            )
            continue
        claimed[match.reg_id] = row.row
        if row.ticket_code and row.ticket_code != match.code and row.ticket_code in by_code:
            plan.problems.append(
                ImportProblem(
                    row.row,
                    guests.mapping.get("ticket_code"),
                    f"ticket code {row.ticket_code} already belongs to another guest",
                )
            )
            continue
        wanted_person = _person_fields(row)
        wanted_reg = _reg_fields(row)
        code_changes = bool(row.ticket_code) and row.ticket_code != match.code
        if wanted_person == match.person and wanted_reg == match.reg and not code_changes:
            plan.unchanged.append((row, match))
        else:
            plan.updates.append((row, match))
    return plan


# Ids that name a person (a Meetup member, a club's member number) identify them across
# events; Eventbrite attendee numbers and pretix positions name a ticket, so they do not.
PERSON_ID_FORMATS = {"meetup", "generic"}


def _identity(fmt: str, external_id: str | None) -> str | None:
    return f"{fmt}:{external_id}" if external_id and fmt in PERSON_ID_FORMATS else None


def _apply(session: Session, event: Event, plan: _Plan, summary: ImportSummary, fmt: str) -> None:
    now = utcnow()
    plan.new = [
        replace(r, external_id=_identity(fmt, r.external_id)) if r.external_id else r
        for r in plan.new
    ]
    key = signing_key(session)
    emails = sorted({r.email for r in plan.new if r.email})
    externals = sorted({r.external_id for r in plan.new if r.external_id})
    known_email: dict[str, int] = {}
    for chunk in _chunks(emails):
        known_email.update(
            session.execute(
                select(Person.email_key, Person.id).where(Person.email_key.in_(chunk))
            ).all()
        )
    known_ext: dict[str, int] = {}
    for chunk in _chunks(externals):
        known_ext.update(
            session.execute(
                select(Person.external_id, Person.id).where(Person.external_id.in_(chunk))
            ).all()
        )
    taken_in_event = set(
        session.scalars(select(Registration.person_id).where(Registration.event_id == event.id))
    )

    # People: reuse a known person (updating their details), else create.
    person_ids: list[int | None] = []
    new_people: list[dict] = []
    new_people_rows: list[int] = []
    person_updates: list[dict] = []
    seen_email: set[str] = set()
    for i, row in enumerate(plan.new):
        pid = None
        if row.email and row.email not in seen_email:
            pid = known_email.get(row.email)
        if pid is None and row.external_id:
            pid = known_ext.get(row.external_id)
        if pid is not None and pid in taken_in_event:
            pid = None  # that person is already at this event under another row: a new person
        person_ids.append(pid)
        fields = _person_fields(row)
        if pid is None:
            ident = row.email if row.email and row.email not in seen_email else None
            if ident and ident in known_email:
                ident = None
            ext = row.external_id if row.external_id and row.external_id not in known_ext else None
            new_people.append(
                {
                    **fields,
                    "email_key": ident,
                    "external_id": ext,
                    "created_at": now,
                    "vcard_consent": False,
                }
            )
            new_people_rows.append(i)
            if ext:
                known_ext[ext] = -1  # reserved within this file
        else:
            person_updates.append({"id": pid, **fields})
            taken_in_event.add(pid)
        if row.email:
            seen_email.add(row.email)
    ids = reserve_ids(session, Person.__table__, len(new_people))
    for i, pid, person in zip(new_people_rows, ids, new_people, strict=True):
        person_ids[i] = person["id"] = pid
    insert_many(session, Person.__table__, new_people)

    # Registrations.
    used_codes = set(
        session.scalars(select(Registration.code).where(Registration.event_id == event.id))
    )
    new_regs = []
    for row, pid in zip(plan.new, person_ids, strict=True):
        code = row.ticket_code
        issued = False
        if not code:
            code = issue_code(key)
            while code in used_codes:
                code = issue_code(key)
            issued = True
            summary.codes_issued += 1
        used_codes.add(code)
        new_regs.append(
            {
                "event_id": event.id,
                "person_id": pid,
                "code": code,
                "code_issued": issued,
                "source": "import",
                "created_at": now,
                "updated_at": now,
                **_reg_fields(row),
            }
        )
    reg_ids = reserve_ids(session, Registration.__table__, len(new_regs))
    for reg, rid in zip(new_regs, reg_ids, strict=True):
        reg["id"] = rid
    insert_many(session, Registration.__table__, new_regs)

    reg_updates = []
    new_keys = _moved_identities(session, plan.updates)
    for row, match in plan.updates:
        fields = _person_fields(row)
        if match.person_id in new_keys:
            fields["email_key"] = new_keys[match.person_id]
        person_updates.append({"id": match.person_id, **fields})
        values = {"id": match.reg_id, "updated_at": now, **_reg_fields(row)}
        if row.ticket_code and row.ticket_code != match.code:
            values["code"] = row.ticket_code
            values["code_issued"] = False
        reg_updates.append(values)
    _update_many(session, Person.__table__, person_updates)
    _update_many(session, Registration.__table__, reg_updates)

    # Interest tags of everyone touched.
    touched: dict[int, GuestRow] = {}
    for row, pid in zip(plan.new, person_ids, strict=True):
        touched[pid] = row
    for row, match in plan.updates:
        touched[match.person_id] = row
    ids = list(touched)
    for chunk in _chunks(ids):
        session.execute(delete(PersonTag).where(PersonTag.person_id.in_(chunk)))
    tags = [
        t
        for pid, r in touched.items()
        for t in tag_rows(pid, join_tags(r.interests), join_tags(r.languages), r.profession)
    ]
    insert_many(session, PersonTag.__table__, tags)

    # Hosts marked in the list.
    host_regs: list[tuple[int, GuestRow]] = [
        (rid, row) for row, rid in zip(plan.new, reg_ids, strict=True) if row.is_host
    ]
    host_regs += [(m.reg_id, row) for row, m in plan.updates + plan.unchanged if row.is_host]
    if host_regs:
        existing_hosts = {
            h.registration_id: h
            for h in session.scalars(select(Host).where(Host.event_id == event.id))
        }
        for rid, row in host_regs:
            h = existing_hosts.get(rid)
            if h is None:
                session.add(
                    Host(
                        event_id=event.id,
                        registration_id=rid,
                        capacity=row.host_capacity or event.default_host_capacity,
                    )
                )
            elif row.host_capacity:
                h.capacity = row.host_capacity
            summary.hosts += 1
        session.flush()
        _hosts_changed(session, event, [rid for rid, _ in host_regs], now)
    session.flush()


def _hosts_changed(session: Session, event: Event, host_reg_ids: list[int], now) -> None:
    """During an evening, a re-import may make a guest a host or give a host more room:
    a newcomer who becomes a host stops being hosted, and the queue is served."""
    from checkin.hosting import assignments, policy

    policy.lock_event(session, event.id)
    newcomers = session.scalars(
        select(Registration.id).where(
            Registration.id.in_(host_reg_ids), Registration.first_time.is_(True)
        )
    ).all()
    for rid in newcomers:
        assignments.person_left(session, event.id, rid, now, "became_host")
        session.execute(update(Registration).where(Registration.id == rid).values(first_time=False))
    assignments.serve_queue(session, event.id, now)


def _moved_identities(session: Session, updates: list[tuple[GuestRow, _Existing]]) -> dict:
    """Person id -> new email identity, for guests whose updated row has a new email.

    The identity follows the address (so forget, walk-ins and `host add --email` find them
    by it), unless another person already owns that address.
    """
    changed = {m.person_id: r.email for r, m in updates if r.email and r.email != m.person["email"]}
    if not changed:
        return {}
    owners: dict[str, int] = {}
    keys = sorted(set(changed.values()))
    for chunk in _chunks(keys):
        owners.update(
            session.execute(
                select(Person.email_key, Person.id).where(Person.email_key.in_(chunk))
            ).all()
        )
    moved: dict[int, str] = {}
    for pid, key in changed.items():
        if owners.get(key, pid) == pid and key not in moved.values():
            moved[pid] = key
    return moved


def _update_many(session: Session, table, rows: list[dict]) -> None:
    """UPDATE by primary key, one executemany per set of columns."""
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        values = {k: v for k, v in row.items() if k != "id"}
        groups.setdefault(tuple(sorted(values)), []).append({"b_id": row["id"], **values})
    for _cols, params in groups.items():
        stmt = table.update().where(table.c.id == bindparam("b_id"))
        session.connection().execute(stmt, params)


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
) -> ImportSummary:
    """Import (or with ``dry_run``, only plan) a guest list. Raises ImportRefused, writing
    nothing, when the file or its match against the database has any problem."""
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
    ctx = db.read() if dry_run else db.write()
    with ctx as session:
        ev = find_event(session, event)
        plan = _plan(session, ev, guests)
        if plan.problems:
            raise ImportRefused(str(path), plan.problems)
        summary.added = len(plan.new)
        summary.updated = len(plan.updates)
        summary.unchanged = len(plan.unchanged)
        summary.cancelled = sum(1 for r in guests.rows if r.cancelled)
        summary.changes = [f"row {r.row}: new guest {r.full_name}" for r in plan.new[:25]] + [
            f"row {r.row}: update {r.full_name}" for r, _ in plan.updates[:25]
        ]
        if dry_run:
            summary.hosts = sum(1 for r in guests.rows if r.is_host)
            summary.codes_issued = sum(1 for r in plan.new if not r.ticket_code)
            return summary
        _apply(session, ev, plan, summary, guests.format)
    return summary


def status_counts(guests: GuestList) -> Counter:
    return Counter(r.status for r in guests.rows)
