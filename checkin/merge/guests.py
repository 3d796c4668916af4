"""Finding each guest of the files in this database, and adding the ones it does not know.

A guest is matched by ticket code, then normalised email, then external id; never by name
(two people can share one, and a visible duplicate is better than two people made one).
Registrations a merge can create (walk-ins, guests seen only at another door) take the
earliest door's code, time and spelling, so the result does not depend on file order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from checkin.door.codes import normalise_app_code
from checkin.hosting.tags import tag_rows
from checkin.merge.inputs import GuestFact
from checkin.store.models import Event, Person, PersonTag, Registration

CREATABLE = ("walkin", "merge")  # sources a merge may create, and so may also correct
_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)  # an imported guest's times: never compared


@dataclass
class _Reg:
    code: str
    source: str
    created_at: dt.datetime
    person_id: int
    status: str
    person_created: dt.datetime  # when the details we hold were typed (see _correct)
    shared: bool  # the person has other events here: their record is not ours to change


class Guests:
    """This event's registrations, by code, email and external id."""

    def __init__(self, conn: Connection, ev: Event) -> None:
        self.conn = conn
        self.ev = ev
        self.regs: dict[int, _Reg] = {}
        self.by_code: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_ext: dict[str, int] = {}
        self.created = 0
        self.updated = 0
        # Times only for the registrations a merge may correct (few): 50,000 imported
        # guests need no datetime conversion.
        creatable = Registration.source.in_(CREATABLE)
        rows = conn.execute(
            select(
                Registration.id,
                Registration.code,
                Registration.source,
                Registration.person_id,
                Registration.status,
                Person.email_key,
                Person.external_id,
            )
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == ev.id)
        ).all()
        times = {
            rid: (created, born)
            for rid, created, born in conn.execute(
                select(Registration.id, Registration.created_at, Person.created_at)
                .join(Person, Person.id == Registration.person_id)
                .where(Registration.event_id == ev.id, creatable)
            )
        }
        self.shared = set(
            conn.scalars(select(Registration.person_id).where(Registration.event_id != ev.id))
        )
        never = (_NEVER, _NEVER)
        for rid, code, source, person_id, status, email, ext in rows:
            created, born = times.get(rid, never)
            reg = _Reg(code, source, created, person_id, status, born, person_id in self.shared)
            self._index(rid, reg, email, ext)

    def _index(self, rid: int, reg: _Reg, email: str | None, ext: str | None) -> None:
        self.regs[rid] = reg
        self.by_code.setdefault(reg.code, rid)
        if email:
            self.by_email.setdefault(email, rid)
        if ext:
            self.by_ext.setdefault(ext, rid)

    def resolve(self, g: GuestFact) -> int | None:
        rid = self.by_code.get(g.code)
        if rid is None and (app := normalise_app_code(g.code)):
            rid = self.by_code.get(app)
        if rid is None and g.email:
            rid = self.by_email.get(g.email)
        if rid is None and g.external_id:
            rid = self.by_ext.get(g.external_id)
        return rid

    def place_all(self, guests: list[GuestFact]) -> None:
        """Every guest found or created; earliest first, so the earliest door creates them."""
        # Most facts are about imported guests, whom a plain record never changes.
        fixed = {rid for rid, reg in self.regs.items() if reg.source not in CREATABLE}
        todo = [g for g in guests if g.walkin is not None or self.resolve(g) not in fixed]
        for g in sorted(todo, key=lambda g: (g.origin, g.code, g.email or "")):
            rid = self.resolve(g)
            if rid is None:
                self._create(g)
            else:
                self._correct(rid, g)

    def _correct(self, rid: int, g: GuestFact) -> None:
        """Bring a registration in line with one more fact about it (see the module doc).

        Code and registration time: the earliest fact's, for registrations a merge may
        create. The person's details: the earliest walk-in's; a guest only ever seen in
        plain check-ins takes the earliest one's name. Every rule is "earliest wins",
        so the result does not depend on which fact came first.
        """
        reg = self.regs[rid]
        changes: dict = {}
        if g.walkin is not None and reg.status == "cancelled":
            changes["status"] = reg.status = "registered"  # they came after all
        earlier = (g.origin, g.code) < (reg.created_at, reg.code)
        if reg.source in CREATABLE and earlier and self.by_code.get(g.code, rid) == rid:
            changes.update(code=g.code, created_at=g.origin)
            reg.code, reg.created_at = g.code, g.origin
            self.by_code[g.code] = rid  # the old code still finds them during this merge
        first_walkin = g.walkin is not None and reg.source == "merge"
        earliest = g.origin < reg.person_created and not reg.shared
        if reg.source in CREATABLE and g.walkin is not None and (first_walkin or earliest):
            changes["first_time_flag"] = g.walkin.get("first_time_flag")
            if not reg.shared:
                self._describe(reg, g)
        elif reg.source == "merge" and earliest:
            self._describe(reg, g)
        if first_walkin:
            changes["source"] = reg.source = "walkin"
        if changes:
            self.conn.execute(update(Registration).where(Registration.id == rid).values(**changes))
            self.updated += 1

    def _describe(self, reg: _Reg, g: GuestFact) -> None:
        """The person as this (earlier) door typed them."""
        values: dict = {"first_name": g.first_name, "last_name": g.last_name}
        values["created_at"] = reg.person_created = g.origin
        if g.walkin is not None:
            values.update(
                company=g.walkin["company"],
                job_title=g.walkin["job_title"],
                interests=g.walkin["interests"],
            )
            self._set_tags(reg.person_id, g.walkin["interests"])
        self.conn.execute(update(Person).where(Person.id == reg.person_id).values(**values))

    def _set_tags(self, person_id: int, interests: str) -> None:
        languages, profession = self.conn.execute(
            select(Person.languages, Person.profession).where(Person.id == person_id)
        ).one()
        self.conn.execute(delete(PersonTag).where(PersonTag.person_id == person_id))
        rows = tag_rows(person_id, interests, languages, profession)
        if rows:
            self.conn.execute(insert(PersonTag), rows)

    def _create(self, g: GuestFact) -> int:
        person_id, born = None, g.origin
        for column, value in ((Person.email_key, g.email), (Person.external_id, g.external_id)):
            if value and person_id is None:
                found = self.conn.execute(
                    select(Person.id, Person.created_at).where(column == value)
                ).first()
                if found is not None:
                    person_id, born = found
        details = g.walkin or {}
        if person_id is None:
            person_id = self.conn.execute(
                insert(Person).values(
                    email=g.email,
                    email_key=g.email,
                    external_id=g.external_id,
                    first_name=g.first_name,
                    last_name=g.last_name,
                    company=details.get("company"),
                    job_title=details.get("job_title"),
                    interests=details.get("interests", ""),
                    languages="",
                    created_at=g.origin,
                )
            ).inserted_primary_key[0]
            if details.get("interests"):
                self._set_tags(person_id, details["interests"])
        source = "walkin" if g.walkin is not None else "merge"
        rid = self.conn.execute(
            insert(Registration).values(
                event_id=self.ev.id,
                person_id=person_id,
                code=g.code,
                code_issued=normalise_app_code(g.code) == g.code,
                status="registered",
                first_time_flag=details.get("first_time_flag"),
                source=source,
                created_at=g.origin,
                updated_at=g.origin,
            )
        ).inserted_primary_key[0]
        shared = person_id in self.shared
        reg = _Reg(g.code, source, g.origin, person_id, "registered", born, shared)
        self._index(rid, reg, g.email, None)
        if g.external_id:
            self.by_ext.setdefault(g.external_id, rid)
        self.created += 1
        return rid
