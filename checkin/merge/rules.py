"""The pure rules of a merge: a guest's state from their log, and which assignment end wins.

Both are functions of a set of records (never of the order they arrived in), which is what
makes merging order independent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from operator import attrgetter
from typing import NamedTuple


class Log(NamedTuple):  # a named tuple: a merge holds the whole log in memory
    id: str
    action: str
    at: dt.datetime
    device: str
    ref: str | None


class State(NamedTuple):  # one per guest touched: a named tuple is quick to make
    checked_in_at: dt.datetime | None = None
    device: str | None = None
    checkin_id: str | None = None
    checked_out_at: dt.datetime | None = None
    last_undo: dt.datetime | None = None


def _cancelled(logs: Collection) -> tuple[set[str], dt.datetime | None]:
    """What the undos cancel (see checkin.merge), and when the last one was."""
    by_id = {r.id: r for r in logs}
    cancelled: set[str] = set()
    last_undo = None
    for u in logs:
        ref = by_id.get(u.ref or "") if u.action == "undo" else None
        if ref is None or ref.action != "checkin":
            continue
        last_undo = max(last_undo or u.at, u.at)
        cancelled.add(ref.id)
        cancelled.update(
            r.id
            for r in logs
            if r.action in ("checkin", "checkout")
            and r.device == u.device
            and ref.at <= r.at <= u.at
        )
    return cancelled, last_undo


_BY_TIME = attrgetter("at", "id")  # works on Log and on a LogFact alike


def project(logs: Collection) -> tuple[State, set[str]]:
    """One guest's state from their log, and which check-ins were duplicates (see above)."""
    cancelled: set[str] = set()
    last_undo = None
    for r in logs:  # (not any(): fifty thousand guests with a record or two each)
        if r.action == "undo":
            cancelled, last_undo = _cancelled(logs)
            break
    first: Log | None = None
    out_at: dt.datetime | None = None
    present = False
    duplicates: set[str] = set()
    for r in sorted(logs, key=_BY_TIME):
        if r.id in cancelled:
            continue
        if r.action == "checkin":
            if first is None:
                first, present = r, True
            elif present:
                duplicates.add(r.id)
            else:  # back again after a checkout
                out_at, present = None, True
        elif r.action == "checkout" and present:
            out_at, present = r.at, False
    if first is None:
        return State(last_undo=last_undo), duplicates
    return State(first.at, first.device, first.id, out_at, last_undo), duplicates


# Ends a merge derives (not a door's decision): recomputed on every merge that touches the
# newcomer, and overridden by any real end. "superseded": another door gave them a later
# host; "absent": they are no longer checked in.
DERIVED = ("superseded", "absent")
AssignmentState = tuple[str, dt.datetime | None]  # (status, ended_at)


def _rank(s: AssignmentState) -> tuple:
    status, ended = s
    if status == "active" or ended is None:
        return (2, "", status)  # open: loses to any end
    if status in DERIVED:
        return (1, ended.isoformat(), status)
    return (0, ended.isoformat(), status)  # a door's own end: the earliest wins


def ended_first(a: AssignmentState, b: AssignmentState) -> AssignmentState:
    """The assignment state that wins: a door's end, the earliest; then derived; then open."""
    return min(a, b, key=_rank)


def is_open(s: AssignmentState) -> bool:
    """Still open for the merge's own tidying: active, or ended only by an earlier merge."""
    return s[0] == "active" or s[0] in DERIVED


def other_content(record_id: str, here: tuple | None, incoming: tuple) -> str | None:
    """Why a record whose id is already known is a conflict (None when it is a repeat).

    Both are (registration, action, time, door); the one here is kept, and the other is
    reported rather than silently ignored."""
    if here is None or here == incoming:
        return None
    what = []
    if here[0] != incoming[0]:
        what.append("another guest")
    if here[1] != incoming[1]:
        what.append(f"action {incoming[1]} instead of {here[1]}")
    if here[2] != incoming[2]:
        what.append(f"time {incoming[2].isoformat()} instead of {here[2].isoformat()}")
    if here[3] != incoming[3]:
        what.append(f"door {incoming[3]!r} instead of {here[3]!r}")
    return (
        f"record {record_id} is already here with other content ({', '.join(what)}); "
        "the record here was kept"
    )
