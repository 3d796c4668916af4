"""The stored shape of Welcome Desk (SQLAlchemy 2.0 typed models).

Person is someone across events; Registration is a person at one event; CheckIn is the
append-only log of door actions (current state is derived from it, and the denormalised
``Registration.checked_in_*`` columns are a projection kept in the same transaction so the
door can answer in one indexed read); Host and Assignment are the welcoming-host side.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from checkin.timeutil import as_utc, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores naive UTC (SQLite has no time zones), always hands back aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return as_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        return None if value is None else as_utc(value)


class IdList(TypeDecorator[tuple[int, ...]]):
    """A short ordered list of row ids (the people a newcomer should meet), stored as JSON."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect) -> str:
        return json.dumps([int(i) for i in value or ()], separators=(",", ":"))

    def process_result_value(self, value: str | None, dialect) -> tuple[int, ...]:
        return tuple(json.loads(value)) if value else ()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Meta(Base):
    """Per-database settings, such as the key that signs app-issued codes."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Event(Base):
    __tablename__ = "event"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    day: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Groups that keep one member per profession want a warning on a clash.
    one_per_profession: Mapped[bool] = mapped_column(Boolean, default=False)
    default_host_capacity: Mapped[int] = mapped_column(Integer, default=3)
    # Hosting when hosts run short (docs/hosting.md): a full host may welcome two newcomers
    # who share an interest together; a backup is proposed once a newcomer waited this long.
    pairs: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    backup_after_s: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    # pretix's "allow checking in unpaid tickets": unpaid guests are admitted, not refused.
    admit_unpaid: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class Person(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Identity across events: the normalised email, else an external id (e.g. Meetup member).
    email_key: Mapped[str | None] = mapped_column(String(320), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    first_name: Mapped[str] = mapped_column(String(200), default="")
    last_name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str | None] = mapped_column(String(100))  # "Dr", "Mr": never in first_name
    company: Mapped[str | None] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    profession: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(64))
    interests: Mapped[str] = mapped_column(Text, default="")  # comma-separated, as entered
    languages: Mapped[str] = mapped_column(Text, default="")
    vcard_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


class PersonTag(Base):
    """One interest of a person in folded form, so "who here shares X" is an indexed query."""

    __tablename__ = "person_tag"
    __table_args__ = (Index("ix_person_tag_tag", "tag", "person_id"),)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)


class Registration(Base):
    __tablename__ = "registration"
    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        UniqueConstraint("event_id", "person_id"),
        Index("ix_registration_code", "code"),
        Index("ix_registration_present", "event_id", "checked_in_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(200))
    code_issued: Mapped[bool] = mapped_column(Boolean, default=False)  # True: signed app code
    # registered | unpaid | cancelled (never admitted); status_reason says why in our words
    # (see checkin/guestlist/statuses.py): declined, waitlisted, refunded, expired ...
    status: Mapped[str] = mapped_column(String(20), default="registered")
    status_reason: Mapped[str | None] = mapped_column(String(40))
    first_time_flag: Mapped[bool | None] = mapped_column(Boolean)  # what the imported list said
    ticket_type: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20), default="import")  # import, walkin, demo
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Projection of the CheckIn log (see module docstring).
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    checked_in_device: Mapped[str | None] = mapped_column(String(100))
    checkin_id: Mapped[str | None] = mapped_column(String(36))
    checked_out_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    first_time: Mapped[bool | None] = mapped_column(Boolean)  # decided at check-in
    # A newcomer's host called or wrote after the evening (the earliest mark wins a merge).
    followed_up_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(lazy="joined", innerjoin=True)
    event: Mapped[Event] = relationship()


class CheckIn(Base):
    """One door action, never changed or deleted (append-only log)."""

    __tablename__ = "checkin"
    __table_args__ = (Index("ix_checkin_registration_at", "registration_id", "at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))  # checkin, undo, checkout
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    device: Mapped[str] = mapped_column(String(100), default="")
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    ref_id: Mapped[str | None] = mapped_column(String(36))  # the check-in an undo cancels


class Host(Base):
    __tablename__ = "host"
    __table_args__ = (UniqueConstraint("registration_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    capacity: Mapped[int] = mapped_column(Integer, default=3)
    interests: Mapped[str] = mapped_column(Text, default="")  # empty: the person's own
    languages: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # When the host last received a newcomer: "longest without one" breaks ties.
    last_assigned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Newcomers with this host now (active assignments), kept in step under the event lock
    # so "who has room" is one indexed read.
    load: Mapped[int] = mapped_column(Integer, default=0)
    # True: match on this host's HostTag rows (interests given for this event), not the
    # person's own tags.
    own_tags: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A regular who offered to welcome if needed: hosts only once enlisted at the door.
    backup: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    enlisted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration] = relationship(lazy="joined", innerjoin=True)


class HostTag(Base):
    """A host's interests/languages for one event, when given apart from the person's."""

    __tablename__ = "host_tag"
    __table_args__ = (Index("ix_host_tag_tag", "tag", "host_id"),)
    host_id: Mapped[int] = mapped_column(
        ForeignKey("host.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)


class Assignment(Base):
    """A newcomer given to a host. Ending it sets status/ended_at; history stays as rows."""

    __tablename__ = "assignment"
    __table_args__ = (Index("ix_assignment_event_status", "event_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    newcomer_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    host_id: Mapped[int] = mapped_column(ForeignKey("host.id", ondelete="CASCADE"), index=True)
    # active, met, released, reassigned, host_left, undone
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    device: Mapped[str] = mapped_column(String(100), default="")
    introductions: Mapped[tuple[int, ...]] = mapped_column(IdList, default=())  # registrations
    score: Mapped[int] = mapped_column(Integer, default=0)
    shared_interests: Mapped[str] = mapped_column(Text, default="")
    # The host's answer from their phone: on_my_way, or no_answer when it was escalated.
    answer: Mapped[str | None] = mapped_column(String(20))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Set by a merge: this host already had their capacity from another door (see merge).
    over_capacity: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A pair: the assignment whose conversation this newcomer joined (one slot for both).
    pair_of: Mapped[int | None] = mapped_column(Integer)


class HostLink(Base):
    """A host's personal page link for one event (kind "host"), or the organiser's board
    page (kind "board", no host). The token is the whole secret: no login."""

    __tablename__ = "host_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    host_id: Mapped[int | None] = mapped_column(
        ForeignKey("host.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="host")
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # first seen on a phone
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class QueueEntry(Base):
    """A newcomer waiting for a host, first come first served (``queued_at`` orders)."""

    __tablename__ = "queue_entry"
    __table_args__ = (Index("ix_queue_entry_event_open", "event_id", "resolved_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    newcomer_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # earlier = nearer the front
    arrived_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # for "minutes waiting"
    reason: Mapped[str] = mapped_column(String(20), default="arrival")
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PrintLog(Base):
    """Every badge print, so auto-print prints once and reprints are deliberate and visible."""

    __tablename__ = "print_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # auto, reprint, batch
    printer: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="sent")  # sent, failed
    detail: Mapped[str] = mapped_column(Text, default="")


class PretixPush(Base):
    """What a door action became at a pretix check-in list, so a second push sends only
    what is new. ``target`` names the list: "<pretix url> <organizer> <list id>"."""

    __tablename__ = "pretix_push"
    checkin_id: Mapped[str] = mapped_column(
        ForeignKey("checkin.id", ondelete="CASCADE"), primary_key=True
    )
    target: Mapped[str] = mapped_column(String(300), primary_key=True)
    result: Mapped[str] = mapped_column(String(20))  # sent, already, refused, skipped
    detail: Mapped[str] = mapped_column(Text, default="")
    pretix_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # pretix's own time
    pushed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
