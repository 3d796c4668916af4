"""Writing a plan: people, registrations, tags and hosts, with bulk statements.

``apply_plan`` writes one plan (or one chunk of it) inside the caller's write transaction
and returns what it did, with the before-images of what it changed, so a chunked import
that fails later can be undone (``undo``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from checkin.door.codes import issue_code, signing_key
from checkin.guestlist.plan import Existing, Plan, chunks, identity, person_fields, reg_fields
from checkin.guestlist.rows import GuestRow
from checkin.hosting.tags import tag_rows
from checkin.store.bulk import insert_many, reserve_ids
from checkin.store.models import Assignment, CheckIn, Event, Host, Person, PersonTag, Registration
from checkin.text import join_tags
from checkin.timeutil import utcnow


@dataclass
class Applied:
    """What one ``apply_plan`` wrote, and what it overwrote (to undo it)."""

    people: list[int] = field(default_factory=list)  # created
    registrations: list[int] = field(default_factory=list)  # created
    hosts: list[int] = field(default_factory=list)  # created
    people_before: list[dict] = field(default_factory=list)  # rows as they were, with "id"
    registrations_before: list[dict] = field(default_factory=list)
    capacity_before: dict[int, int] = field(default_factory=dict)  # host id -> capacity
    codes_issued: int = 0
    host_rows: int = 0
    backup_rows: int = 0
    were_backups: list[int] = field(default_factory=list)  # host ids made full hosts


def _registered(session: Session, event_id: int, column, values: set) -> set:
    """Which of ``values`` (person ids or codes) this event's registrations already hold."""
    found: set = set()
    for part in chunks(sorted(v for v in values if v is not None and v != -1)):
        found.update(
            session.scalars(
                select(column).where(Registration.event_id == event_id, column.in_(part))
            )
        )
    return found


def _fresh_codes(session: Session, event_id: int, key: bytes, n: int) -> list[str]:
    """``n`` new app codes no registration of the event has (random, so clashes are rare)."""
    codes: set[str] = set()
    while len(codes) < n:
        wanted = {issue_code(key) for _ in range(n - len(codes))} - codes
        codes |= wanted - _registered(session, event_id, Registration.code, wanted)
    return sorted(codes)


def _before(session: Session, table, rows: list[dict]) -> list[dict]:
    """The current values of the columns ``rows`` are about to overwrite."""
    if not rows:
        return []
    names = sorted({k for r in rows for k in r if k != "id"})
    cols = [table.c.id, *(table.c[n] for n in names)]
    out: list[dict] = []
    for part in chunks([r["id"] for r in rows]):
        found = session.execute(select(*cols).where(table.c.id.in_(part))).all()
        out.extend(dict(zip(["id", *names], r, strict=True)) for r in found)
    return out


def apply_plan(session: Session, event: Event, plan: Plan, fmt: str) -> Applied:
    done = Applied()
    now = utcnow()
    plan.new = [
        replace(r, external_id=identity(fmt, r.external_id)) if r.external_id else r
        for r in plan.new
    ]
    key = signing_key(session)
    emails = sorted({r.email for r in plan.new if r.email})
    externals = sorted({r.external_id for r in plan.new if r.external_id})
    known_email: dict[str, int] = {}
    for chunk in chunks(emails):
        known_email.update(
            session.execute(
                select(Person.email_key, Person.id).where(Person.email_key.in_(chunk))
            ).all()
        )
    known_ext: dict[str, int] = {}
    for chunk in chunks(externals):
        known_ext.update(
            session.execute(
                select(Person.external_id, Person.id).where(Person.external_id.in_(chunk))
            ).all()
        )
    # Only the people this chunk could reuse: a chunk's reads stay as small as the chunk.
    taken_in_event = _registered(
        session, event.id, Registration.person_id, {*known_email.values(), *known_ext.values()}
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
        fields = person_fields(row)
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
    done.people = list(ids)

    # Registrations.
    issued_codes = _fresh_codes(
        session, event.id, key, sum(1 for r in plan.new if not r.ticket_code)
    )
    new_regs = []
    for row, pid in zip(plan.new, person_ids, strict=True):
        code = row.ticket_code
        issued = False
        if not code:
            code = issued_codes.pop()
            issued = True
            done.codes_issued += 1
        new_regs.append(
            {
                "event_id": event.id,
                "person_id": pid,
                "code": code,
                "code_issued": issued,
                "source": "import",
                "created_at": now,
                "updated_at": now,
                **reg_fields(row),
            }
        )
    reg_ids = reserve_ids(session, Registration.__table__, len(new_regs))
    for reg, rid in zip(new_regs, reg_ids, strict=True):
        reg["id"] = rid
    insert_many(session, Registration.__table__, new_regs)
    done.registrations = list(reg_ids)

    reg_updates = []
    new_keys = _moved_identities(session, plan.updates)
    for row, match in plan.updates:
        fields = person_fields(row)
        if match.person_id in new_keys:
            fields["email_key"] = new_keys[match.person_id]
        person_updates.append({"id": match.person_id, **fields})
        values = {"id": match.reg_id, "updated_at": now, **reg_fields(row)}
        if row.ticket_code and row.ticket_code != match.code:
            values["code"] = row.ticket_code
            values["code_issued"] = False
        reg_updates.append(values)
    done.people_before = _before(session, Person.__table__, person_updates)
    done.registrations_before = _before(session, Registration.__table__, reg_updates)
    _update_many(session, Person.__table__, person_updates)
    _update_many(session, Registration.__table__, reg_updates)

    # Interest tags of everyone touched.
    touched: dict[int, GuestRow] = {}
    for row, pid in zip(plan.new, person_ids, strict=True):
        touched[pid] = row
    for row, match in plan.updates:
        touched[match.person_id] = row
    ids = list(touched)
    for chunk in chunks(ids):
        session.execute(delete(PersonTag).where(PersonTag.person_id.in_(chunk)))
    tags = [
        t
        for pid, r in touched.items()
        for t in tag_rows(pid, join_tags(r.interests), join_tags(r.languages), r.profession)
    ]
    insert_many(session, PersonTag.__table__, tags)

    # Hosts marked in the list, and regulars happy to welcome if needed (backup hosts).
    host_regs: list[tuple[int, GuestRow]] = [
        (rid, row) for row, rid in zip(plan.new, reg_ids, strict=True) if hosts_row(row)
    ]
    host_regs += [(m.reg_id, row) for row, m in plan.updates + plan.unchanged if hosts_row(row)]
    if host_regs:
        existing_hosts = {
            h.registration_id: h
            for h in session.scalars(select(Host).where(Host.event_id == event.id))
        }
        created: list[Host] = []
        for rid, row in host_regs:
            h = existing_hosts.get(rid)
            backup = not row.is_host  # a full host in the list stays a full host
            if h is None:
                default = 1 if backup else event.default_host_capacity
                h = Host(
                    event_id=event.id,
                    registration_id=rid,
                    capacity=row.host_capacity or default,
                    backup=backup,
                )
                session.add(h)
                created.append(h)
            elif row.host_capacity:
                done.capacity_before.setdefault(h.id, h.capacity)
                h.capacity = row.host_capacity
            if h.backup and not backup:  # signed up properly now (as `host add` does)
                h.backup = False
                done.were_backups.append(h.id)
                if not row.host_capacity:
                    done.capacity_before.setdefault(h.id, h.capacity)
                    h.capacity = event.default_host_capacity
            done.host_rows += not backup
            done.backup_rows += backup
        session.flush()
        done.hosts = [h.id for h in created]
        full = [rid for rid, row in host_regs if row.is_host]
        if full:
            _hosts_changed(session, event, full, now)
    session.flush()
    return done


def undo(session: Session, done: Applied) -> list[int]:
    """Put back what ``apply_plan`` changed; returns the registrations kept because a door
    checked them in meanwhile (a check-in that happened is never deleted)."""
    kept: set[int] = set()
    for part in chunks(done.registrations):
        kept.update(
            session.scalars(
                select(CheckIn.registration_id).where(CheckIn.registration_id.in_(part))
            )
        )
    busy_hosts: set[int] = set()
    for part in chunks(done.hosts):
        busy_hosts.update(
            session.scalars(select(Assignment.host_id).where(Assignment.host_id.in_(part)))
        )
    for part in chunks([h for h in done.hosts if h not in busy_hosts]):
        session.execute(delete(Host).where(Host.id.in_(part)))
    for host_id, capacity in done.capacity_before.items():
        session.execute(update(Host).where(Host.id == host_id).values(capacity=capacity))
    for part in chunks(done.were_backups):
        session.execute(update(Host).where(Host.id.in_(part)).values(backup=True))
    for part in chunks([r for r in done.registrations if r not in kept]):
        session.execute(delete(Registration).where(Registration.id.in_(part)))
    still_used: set[int] = set()
    for part in chunks(done.people):
        still_used.update(
            session.scalars(select(Registration.person_id).where(Registration.person_id.in_(part)))
        )
    for part in chunks([p for p in done.people if p not in still_used]):
        session.execute(delete(PersonTag).where(PersonTag.person_id.in_(part)))
        session.execute(delete(Person).where(Person.id.in_(part)))
    _update_many(session, Registration.__table__, done.registrations_before)
    _update_many(session, Person.__table__, done.people_before)
    # Tags follow the restored interests.
    restored = [r["id"] for r in done.people_before]
    for part in chunks(restored):
        session.execute(delete(PersonTag).where(PersonTag.person_id.in_(part)))
        rows = session.execute(
            select(Person.id, Person.interests, Person.languages, Person.profession).where(
                Person.id.in_(part)
            )
        ).all()
        insert_many(session, PersonTag.__table__, [t for r in rows for t in tag_rows(*r)])
    return sorted(kept)


def hosts_row(row: GuestRow) -> bool:
    """A host, or a returning guest happy to welcome if needed (never a first-timer)."""
    return row.is_host or (row.backup_host and row.first_time is not True)


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


def _moved_identities(session: Session, updates: list[tuple[GuestRow, Existing]]) -> dict:
    """Person id -> new email identity, for guests whose updated row has a new email.

    The identity follows the address (so forget, walk-ins and `host add --email` find them
    by it), unless another person already owns that address.
    """
    changed = {m.person_id: r.email for r, m in updates if r.email and r.email != m.person["email"]}
    if not changed:
        return {}
    owners: dict[str, int] = {}
    keys = sorted(set(changed.values()))
    for chunk in chunks(keys):
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
