"""Reading what the doors wrote: journals and JSON attendance exports, as plain facts.

Everything is parsed and checked before the database is touched, so a corrupt file refuses
the whole merge (naming the file and line) and nothing is half merged.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from checkin.errors import InvalidInput
from checkin.journal.reader import find_journals, looks_like_journal, read_journal
from checkin.journal.records import HOST_ACTIONS
from checkin.text import email_key, fold
from checkin.timeutil import as_utc

EXPORT_NAMESPACE = uuid.UUID("8f4d1c1e-5b0a-4c53-9a0e-6c3b2f6d7a10")
EXPORT_NONCE = "export:"


# Named tuples, not dataclasses: a merge makes a hundred thousand of them.
class GuestFact(NamedTuple):
    code: str
    email: str | None  # normalised
    external_id: str | None
    first_name: str
    last_name: str
    origin: dt.datetime  # when this door registered or first saw them
    walkin: dict | None = None  # company, job_title, interests, first_time_flag


class LogFact(NamedTuple):
    id: str
    nonce: str
    action: str  # checkin, undo, checkout
    at: dt.datetime
    device: str
    guest: GuestFact
    ref: str | None = None
    synthetic: bool = False  # from an export: no real UUID


@dataclass(frozen=True)
class AssignmentFact:
    newcomer: GuestFact
    host: GuestFact
    created_at: dt.datetime
    status: str
    ended_at: dt.datetime | None
    device: str
    introductions: tuple[GuestFact, ...]
    shared_interests: str
    score: int


class AnswerFact(NamedTuple):
    """A host's answer from their phone, about the assignment (newcomer, host, created_at)."""

    newcomer: GuestFact
    host: GuestFact
    created_at: dt.datetime
    answer: str
    at: dt.datetime


@dataclass
class FileSummary:
    path: str
    kind: str  # journal or export
    device: str
    records: int
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Parsed:
    logs: list[LogFact] = field(default_factory=list)
    assignments: list[AssignmentFact] = field(default_factory=list)
    followed_up: list[tuple[GuestFact, dt.datetime]] = field(default_factory=list)  # hosting
    answers: list[AnswerFact] = field(default_factory=list)  # hosts' phones: on my way
    files: list[FileSummary] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "file: line N: why", each line refused


# An event's day is local time somewhere between UTC-12 and UTC+14, and evenings run past
# midnight: a door's record of it falls between these bounds around the day in UTC.
EARLIEST = dt.timedelta(hours=-14)
LATEST = dt.timedelta(days=1, hours=18)
# A host's follow-up call comes in the days after: a quarter is plenty, never before the day.
FOLLOW_UP_LATEST = dt.timedelta(days=92)
FUTURE_SLACK = dt.timedelta(hours=1)  # laptop clocks drift; a journal is never from tomorrow
TEXT_LIMIT = 200
_INVISIBLE = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}


@dataclass(frozen=True)
class Trust:
    """What a merge accepts: journals signed with these keys, times around the event's day."""

    keys: dict[str, bytes] | None = None  # None: signatures are not checked
    allow_unsigned: bool = False
    day: dt.date | None = None
    now: dt.datetime | None = None

    def time_problem(self, at: dt.datetime, latest: dt.timedelta = LATEST) -> str | None:
        if self.now is not None and at > self.now + FUTURE_SLACK:
            return f"dated {at.isoformat(timespec='seconds')}, in the future"
        if self.day is None:
            return None
        start = dt.datetime.combine(self.day, dt.time(), tzinfo=dt.UTC)
        if not start + EARLIEST <= at <= start + latest:
            return (
                f"dated {at.isoformat(timespec='seconds')}, outside the event's day "
                f"({self.day.isoformat()})"
            )
        return None


def _text_problem(guest: object) -> str | None:
    """A walk-in that would create a guest: no field a door could not have typed."""
    if not isinstance(guest, dict):
        return None
    for name in ("first_name", "last_name", "company", "job_title", "email", "code", "interests"):
        value = guest.get(name)
        if not isinstance(value, str):
            continue
        if len(value) > TEXT_LIMIT:
            return f"the walk-in's {name} is longer than {TEXT_LIMIT} characters"
        if any(c < " " or "\x7f" <= c <= "\x9f" or c in _INVISIBLE for c in value):
            return f"the walk-in's {name} holds control or direction-changing characters"
    return None


def _line_problem(rec: dict, trust: Trust) -> str | None:
    """Why a (signed, well-formed) line is still refused, or None."""
    if rec.get("type") == "followed_up":  # the days after the evening, by design
        return trust.time_problem(_time(rec.get("at")), FOLLOW_UP_LATEST)
    times = [_time(rec.get("at"))]
    if rec.get("type") == "answer":  # and the assignment it is about
        times.append(_time(rec.get("created_at")))
    times += [
        _time(a.get("created_at")) for a in rec.get("assignments") or () if isinstance(a, dict)
    ]
    for at in times:
        if problem := trust.time_problem(at):
            return problem
    return _text_problem(rec.get("guest")) if rec.get("type") == "walkin" else None


class _Bad(ValueError):
    """A malformed record; the caller says which file and line (built only on failure)."""


def _time(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise _Bad("a time is missing")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise _Bad(f"{value!r} is not a time") from exc
    if parsed.tzinfo is dt.UTC:  # what journals hold: no conversion needed
        return parsed
    if parsed.tzinfo is None:
        raise _Bad(f"{value!r} has no time zone")
    return as_utc(parsed)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _guest(raw: object, origin: dt.datetime, walkin: bool = False) -> GuestFact:
    if not walkin:
        try:  # the common case, as our journals write it: strings, a code, maybe an email
            code, email = raw["code"].strip(), raw.get("email")  # type: ignore[index]
            if code:
                return GuestFact(
                    code,
                    email.strip().lower() or None if email else None,
                    raw.get("external_id") or None,  # type: ignore[union-attr]
                    raw.get("first_name") or "",  # type: ignore[union-attr]
                    raw.get("last_name") or "",  # type: ignore[union-attr]
                    origin,
                )
        except (KeyError, TypeError, AttributeError):
            pass  # the careful path below says what is wrong
    if not isinstance(raw, dict) or not (code := _text(raw.get("code"))):
        raise _Bad("the guest has no code")
    email = raw.get("email")
    details = None
    if walkin:
        origin = _time(raw["registered_at"]) if raw.get("registered_at") else origin
        details = {
            "company": _text(raw.get("company")) or None,
            "job_title": _text(raw.get("job_title")) or None,
            "interests": _text(raw.get("interests")),
            "first_time_flag": raw.get("first_time_flag"),
        }
    return GuestFact(
        code,
        email_key(email) if isinstance(email, str) else None,
        _text(raw.get("external_id")) or None,
        _text(raw.get("first_name")),
        _text(raw.get("last_name")),
        origin,
        details,
    )


def _assignment(raw: object) -> AssignmentFact:
    if not isinstance(raw, dict):
        raise _Bad("an assignment is not an object")
    created = _time(raw.get("created_at"))
    ended = _time(raw["ended_at"]) if raw.get("ended_at") else None
    intros = raw.get("introductions") or []
    return AssignmentFact(
        newcomer=_guest(raw.get("newcomer"), created),
        host=_guest(raw.get("host"), created),
        created_at=created,
        status=_text(raw.get("status")) or "active",
        ended_at=ended,
        device=_text(raw.get("device")),
        introductions=tuple(_guest(i, created) for i in intros if isinstance(i, dict)),
        shared_interests=_text(raw.get("shared_interests")),
        score=int(raw.get("score") or 0),
    )


ANSWERS = ("on_my_way", "no_answer")


def _answer(rec: dict, at: dt.datetime) -> AnswerFact:
    created = _time(rec.get("created_at"))
    answer = _text(rec.get("answer"))
    if answer not in ANSWERS:
        raise _Bad(f"an answer {answer!r} is none of {', '.join(ANSWERS)}")
    host = _guest(rec.get("host"), created)
    return AnswerFact(_guest(rec.get("guest"), created), host, created, answer, at)


LOG_TYPES = {"checkin": "checkin", "walkin": "checkin", "undo": "undo", "checkout": "checkout"}


def _parse_journal(path: Path, event: str, out: Parsed, trust: Trust) -> None:
    journal = read_journal(path, keys=trust.keys, allow_unsigned=trust.allow_unsigned, event=event)
    if fold(str(journal.header.get("event", ""))) != fold(event):
        raise InvalidInput(
            f"{path}: this is the journal of {journal.header.get('event')!r}, not {event!r}; "
            "nothing was merged."
        )
    summary = FileSummary(str(path), "journal", str(journal.header.get("device", "")), 0)
    summary.notes.extend(journal.notes)
    out.refused.extend(f"{path}: line {n}: refused, {why}" for n, why in journal.refused)
    logs, assignments = out.logs, out.assignments
    checking = trust.day is not None or trust.now is not None
    for number, rec in journal.lines:
        kind = rec.get("type")
        try:
            if checking and (problem := _line_problem(rec, trust)):
                out.refused.append(f"{path}: line {number}: refused, {problem}")
                continue
            at = _time(rec.get("at"))
            action = LOG_TYPES.get(kind)  # type: ignore[arg-type]
            if action is not None:
                rid, nonce = _text(rec.get("id")), _text(rec.get("nonce"))
                if not rid or not nonce:
                    raise _Bad(f"a {kind} record without id or nonce")
                guest = _guest(rec.get("guest"), at, walkin=kind == "walkin")
                ref = _text(rec.get("ref")) or None
                logs.append(LogFact(rid, nonce, action, at, _text(rec.get("device")), guest, ref))
            elif kind == "followed_up":  # a host's follow-up after the evening (hosting)
                out.followed_up.append((_guest(rec.get("guest"), at), at))
            elif kind == "answer":  # a host's answer from their phone (hosting/replies.py)
                out.answers.append(_answer(rec, at))
            elif kind not in HOST_ACTIONS:
                summary.notes.append(f"{path}: line {number}: unknown record type {kind!r} skipped")
                continue
            if changes := rec.get("assignments"):
                assignments.extend(_assignment(a) for a in changes)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(
                f"{path}: line {number}: a malformed record ({exc}); nothing was merged."
            ) from exc
        summary.records += 1
    out.files.append(summary)


def _parse_export(path: Path, doc: object, event: str, out: Parsed, trust: Trust) -> None:
    if not isinstance(doc, dict) or not isinstance(doc.get("attendees"), list):
        raise InvalidInput(f"{path}: neither a journal nor an attendance export.")
    if fold(str(doc.get("event", ""))) != fold(event):
        raise InvalidInput(f"{path}: this export is of {doc.get('event')!r}, not {event!r}.")
    summary = FileSummary(str(path), "export", "", 0)
    for n, row in enumerate(doc["attendees"], start=1):
        if not isinstance(row, dict) or not row.get("checked_in") or not row.get("checked_in_at"):
            continue
        try:
            at = _time(row["checked_in_at"])
            if problem := trust.time_problem(at):
                out.refused.append(f"{path}: attendee {n}: refused, {problem}")
                continue
            device = _text(row.get("door"))
            walkin = row.get("source") == "walkin"
            # Known only to the second, an export row yields to the door's own record of
            # the same registration (which has the exact time, and the guest's interests).
            later = at + dt.timedelta(seconds=1)
            guest = _guest({**row, "registered_at": None}, later, walkin=walkin)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"{path}: attendee {n}: {exc}; nothing was merged.") from exc
        # A stable id: exporting the same attendance twice must merge as one record.
        key = f"{fold(event)}|{guest.code}|{at.isoformat()}|{device}"
        rid = str(uuid.uuid5(EXPORT_NAMESPACE, key))
        out.logs.append(
            LogFact(rid, EXPORT_NONCE + rid, "checkin", at, device, guest, synthetic=True)
        )
        summary.records += 1
    out.files.append(summary)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: for reading and merging many records.

    A merge holds a few hundred thousand small objects (records, facts, rows), none of them
    in a reference cycle, and the collector would walk them over and over as they pile up:
    a third of the time of a 100,000-record merge. Reference counting still frees
    everything as usual; cycles made meanwhile (anywhere in the process) are collected once
    the collector resumes. Re-enabled only if it was enabled: a caller's choice stands.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_inputs(paths: list[str | os.PathLike], event: str, trust: Trust | None = None) -> Parsed:
    """Every file (a folder means its journals), parsed before the database is touched."""
    with collector_paused():
        return _read_inputs(paths, event, trust or Trust())


def _read_inputs(paths: list[str | os.PathLike], event: str, trust: Trust) -> Parsed:
    out = Parsed()
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(find_journals(p) if p.is_dir() else [p])
    if not files:
        raise InvalidInput("No files to merge.")
    for path in files:
        try:
            head = path.open("rb").read(4096)
        except OSError as exc:
            raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
        if looks_like_journal(head):
            _parse_journal(path, event, out, trust)
            continue
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{path}: neither a journal nor a JSON export ({exc}).") from exc
        _parse_export(path, doc, event, out, trust)
    return out
