"""The door's check-ins sent to a pretix check-in list, once, however often it is run.

What is sent: every check-in the door admitted (the log only holds admitted scans), as an
entry with the door's own nonce and time; a check-out as an exit; an undo as pretix's
"annul" of that same check-in (pretix allows it within 15 minutes of the check-in, else
it is listed as not sent). A walk-in or a guest with a Welcome Desk code is no pretix
ticket: listed, not sent. A check-in undone before it was pushed is never sent.

Force. pretix's offline devices upload their scans with ``force: true`` because they
happened — but a forced redeem is recorded even for a cancelled ticket, and a second
forced entry doubles a guest pretix's own app already let in. So an entry is sent without
force first, and pretix's answer decides:

- ok -> sent; ``already_redeemed`` -> already checked in at pretix, with pretix's time;
- refusals about pretix's own online rules, which the door could not see and overruled by
  admitting the guest (entry rules, validity window, unanswered questions) -> sent again
  with force, as an offline scan;
- ``unpaid`` for a guest the door knowingly admitted unpaid -> sent with ``ignore_unpaid``
  (pretix accepts it if its list admits pending orders, as the door's setting did);
- anything saying the ticket is not valid (cancelled, unpaid, blocked, revoked, unknown,
  another product) -> refused, reported with pretix's reason, never forced.

What happened to each door action is kept (table ``pretix_push``), so a second push sends
only what is new; a repeat of a lost answer is harmless anyway: pretix ignores a nonce it
has already recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from checkin import changes
from checkin.changes import PretixSynced
from checkin.events import find_event
from checkin.pretix.client import PretixClient, PretixError
from checkin.store.actions import run_action
from checkin.store.db import Database
from checkin.store.models import CheckIn, Person, PretixPush, Registration
from checkin.timeutil import as_utc, utcnow

Report = Callable[[str, int, int | None], None]

FORCE_REASONS = {"rules", "invalid_time", "incomplete"}
REASON_TEXT = {
    "canceled": "the order is cancelled in pretix",
    "unpaid": "the order is not paid in pretix",
    "blocked": "the ticket is blocked in pretix",
    "revoked": "pretix revoked this ticket code (it was reissued)",
    "invalid": "pretix does not know this ticket code",
    "product": "the ticket's product is not on this check-in list",
    "unapproved": "the order is waiting for approval in pretix",
    "ambiguous": "the code matches several tickets in pretix",
    "already_redeemed": "already checked in at pretix",
}
FINAL = {"sent", "already", "skipped"}


def target_of(client: PretixClient, list_id: int) -> str:
    return f"{client.url} {client.organizer} {list_id}"


@dataclass(frozen=True)
class PushLine:
    """One door action and what pretix made of it."""

    registration_id: int
    name: str
    action: str  # entry | exit | annul
    at: dt.datetime  # the door's time
    result: str  # sent | already | refused | skipped (+ "would …" in a dry run)
    detail: str = ""
    pretix_at: dt.datetime | None = None  # for "already": when pretix let them in

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "action": self.action,
            "at": self.at.isoformat(),
            "result": self.result,
            "detail": self.detail,
            "pretix_at": self.pretix_at.isoformat() if self.pretix_at else None,
        }


@dataclass
class PushReport:
    target: str
    dry_run: bool
    lines: list[PushLine] = field(default_factory=list)
    earlier: int = 0  # door actions a previous push already handled

    def count(self, result: str) -> int:
        return sum(1 for line in self.lines if line.result == result)

    def as_json(self) -> dict:
        counts = {r: self.count(r) for r in ("sent", "already", "refused", "skipped")}
        return {
            "target": self.target,
            "dry_run": self.dry_run,
            **counts,
            "earlier": self.earlier,
            "lines": [line.as_json() for line in self.lines],
        }


@dataclass(frozen=True)
class _Logged:
    id: str
    registration_id: int
    action: str
    at: dt.datetime
    nonce: str
    ref_id: str | None
    code: str
    code_issued: bool
    status: str
    name: str


def _read_log(session: Session, event: str | int, target: str) -> tuple[list[_Logged], dict]:
    ev = find_event(session, event)
    rows = session.execute(
        select(
            CheckIn.id,
            CheckIn.registration_id,
            CheckIn.action,
            CheckIn.at,
            CheckIn.nonce,
            CheckIn.ref_id,
            Registration.code,
            Registration.code_issued,
            Registration.status,
            Person.first_name,
            Person.last_name,
        )
        .join(Registration, Registration.id == CheckIn.registration_id)
        .join(Person, Person.id == Registration.person_id)
        .where(CheckIn.event_id == ev.id)
        .order_by(CheckIn.at, CheckIn.id)
    ).all()
    log = [_Logged(*r[:9], f"{r[9]} {r[10]}".strip()) for r in rows]
    done = dict(
        session.execute(
            select(PretixPush.checkin_id, PretixPush.result)
            .join(CheckIn, CheckIn.id == PretixPush.checkin_id)
            .where(CheckIn.event_id == ev.id, PretixPush.target == target)
        ).all()
    )
    return log, done


def _first_entry(position: dict | None, list_id: int) -> dt.datetime | None:
    times = [
        dt.datetime.fromisoformat(c["datetime"].replace("Z", "+00:00"))
        for c in (position or {}).get("checkins", [])
        if c.get("type", "entry") == "entry" and c.get("list") in (list_id, None)
    ]
    return as_utc(min(times)) if times else None


class _Sender:
    def __init__(self, client: PretixClient, list_id: int, dry_run: bool) -> None:
        self.client, self.list_id, self.dry_run = client, list_id, dry_run

    def redeem(self, item: _Logged, kind: str, **extra) -> tuple[int, dict]:
        body = {
            "secret": item.code,
            "lists": [self.list_id],
            "nonce": item.nonce,
            "datetime": item.at.isoformat(),
            "type": kind,
            "force": False,
            "questions_supported": False,  # the door asks none: pretix must not wait for them
            "canceled_supported": True,  # "canceled" said as such, not as "unpaid"
            "simulate": self.dry_run,
            **extra,
        }
        status, answer = self.client.post(self.client.org_path("checkinrpc/redeem/"), body)
        answer = answer if isinstance(answer, dict) else {}
        if status == 400 and "lists" in answer and "reason" not in answer:
            raise PretixError(
                f"pretix has no check-in list {self.list_id} that this token may use "
                "(see the list's number in pretix under Check-in)"
            )
        return status, answer

    def entry(self, item: _Logged) -> tuple[str, str, dt.datetime | None]:
        status, answer = self.redeem(item, "entry")
        reason = answer.get("reason")
        if status < 300:
            return "sent", "", None
        if reason == "already_redeemed":
            when = _first_entry(answer.get("position"), self.list_id)
            return "already", REASON_TEXT[reason], when
        if reason == "unpaid" and item.status == "unpaid":
            status, answer = self.redeem(item, "entry", ignore_unpaid=True)
            if status < 300:
                return "sent", "admitted unpaid, as the door did", None
            reason = answer.get("reason")
        if reason in FORCE_REASONS:
            status, answer = self.redeem(item, "entry", force=True)
            if status < 300:
                return "sent", f"pretix's {reason} check overruled: the door admitted them", None
            reason = answer.get("reason")
        return "refused", _why(status, answer), None

    def exit(self, item: _Logged) -> tuple[str, str, dt.datetime | None]:
        status, answer = self.redeem(item, "exit")
        return ("sent", "", None) if status < 300 else ("refused", _why(status, answer), None)

    def annul(self, item: _Logged, entry: _Logged) -> tuple[str, str, dt.datetime | None]:
        if self.dry_run:
            return "sent", "", None
        body = {
            "nonce": entry.nonce,
            "lists": [self.list_id],
            "datetime": item.at.isoformat(),
            "error_explanation": "undone at the Welcome Desk door",
        }
        status, answer = self.client.post(self.client.org_path("checkinrpc/annul/"), body)
        if status < 300:
            return "sent", "check-in annulled at pretix", None
        return "refused", _why(status, answer if isinstance(answer, dict) else {}), None


def _why(status: int, answer: dict) -> str:
    reason = answer.get("reason")
    text = REASON_TEXT.get(reason or "", reason or "")
    extra = answer.get("reason_explanation") or " ".join(answer.get("non_field_errors", []))
    if extra:
        text = f"{text}: {extra}" if text else str(extra)
    return text or f"pretix answered HTTP {status}"


def _decide(
    item: _Logged, results: dict[str, str], log: list[_Logged], undone: set[str]
) -> tuple[str, _Logged | None] | str:
    """What to send for this door action: ("entry"/"exit"/"annul", the entry it concerns),
    or why nothing is sent."""
    if item.code_issued:
        return "a Welcome Desk code, not a pretix ticket (walk-in or list without codes)"
    if item.action == "checkin":
        return "undone at the door before it was sent" if item.id in undone else ("entry", None)
    if item.action == "checkout":
        entry = next(
            (
                e
                for e in reversed(log)
                if e.registration_id == item.registration_id
                and e.action == "checkin"
                and e.at <= item.at
            ),
            None,
        )
        if entry is None or results.get(entry.id) not in ("sent", "already"):
            return "their check-in is not at pretix"
        return ("exit", entry)
    if item.action == "undo":
        entry = next((e for e in log if e.id == item.ref_id), None)
        if entry is None or results.get(entry.id) != "sent":
            return "nothing of it reached pretix"
        return ("annul", entry)
    return f"a door action pretix has no counterpart for ({item.action})"


def push(
    db: Database,
    client: PretixClient,
    event: str | int,
    list_id: int,
    *,
    dry_run: bool = False,
    retry_refused: bool = False,
    report: Report | None = None,
) -> PushReport:
    target = target_of(client, list_id)
    client.get(client.org_path(""))  # the token and organizer, before anything is read
    with db.read() as session:
        log, done = _read_log(session, event, target)
    out = PushReport(target, dry_run)
    results = {k: v for k, v in done.items() if v in FINAL or not retry_refused}
    undone = {e.ref_id for e in log if e.action == "undo" and e.ref_id}
    sender = _Sender(client, list_id, dry_run)
    todo = [e for e in log if e.id not in results]
    out.earlier = len(log) - len(todo)
    try:
        _send_all(todo, results, log, undone, sender, out, report)
    finally:  # what reached pretix is kept even when the connection drops halfway
        if not dry_run and out.lines:
            pairs = list(zip(todo, out.lines, strict=False))
            _record(db, event, target, [(e.id, line) for e, line in pairs])
    return out


def _send_all(
    todo: list[_Logged],
    results: dict[str, str],
    log: list[_Logged],
    undone: set[str],
    sender: _Sender,
    out: PushReport,
    report: Report | None,
) -> None:
    kinds = {"entry": "entry", "exit": "exit", "annul": "annul", "checkin": "entry"}
    for n, item in enumerate(todo, start=1):
        decision = _decide(item, results, log, undone)
        if isinstance(decision, str):
            kind = {"checkout": "exit", "undo": "annul"}.get(item.action, "entry")
            result, detail, when = "skipped", decision, None
        else:
            kind, entry = decision
            if kind == "entry":
                result, detail, when = sender.entry(item)
            elif kind == "exit":
                result, detail, when = sender.exit(item)
            else:
                result, detail, when = sender.annul(item, entry)  # type: ignore[arg-type]
        results[item.id] = result
        out.lines.append(
            PushLine(item.registration_id, item.name, kinds[kind], item.at, result, detail, when)
        )
        if report:
            report("push", n, len(todo))


def _record(db: Database, event: str | int, target: str, done: list[tuple[str, PushLine]]) -> None:
    def work(session: Session) -> None:
        ev = find_event(session, event)
        now = utcnow()
        for checkin_id, line in done:
            session.merge(
                PretixPush(
                    checkin_id=checkin_id,
                    target=target,
                    result=line.result,
                    detail=line.detail[:1000],
                    pretix_at=line.pretix_at,
                    pushed_at=now,
                )
            )
        counts = {r: sum(1 for _, line in done if line.result == r) for r in FINAL | {"refused"}}
        changes.note(
            session,
            PretixSynced(
                ev.id,
                target,
                counts["sent"],
                counts["already"],
                counts["refused"],
                counts["skipped"],
            ),
        )

    run_action(db, work)
