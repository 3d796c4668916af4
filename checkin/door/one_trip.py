"""A returning guest on PostgreSQL in one round trip: read, log and mark them in one statement.

Several doors share one PostgreSQL server over the network, where every statement (and
BEGIN and COMMIT) is a round trip. The common case at a door, a guest who has been before
arriving, needs no decision the database cannot make itself: one statement with
data-modifying CTEs reads and locks the registration, inserts the check-in row and updates
the registration, committed on its own (autocommit). It changes something only for exactly
that case (on the list, registered, not here, not a host, not a first-timer by the same rule
as ``door/first_time.py``); anything else changes nothing and the caller takes the usual
path. The server commits before it answers, so the door still says "checked in" only once
it is on disk.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    column,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert

from checkin.store.models import CheckIn, Registration


def _statement(by_code):
    reg = by_code.cte("reg")
    c = reg.c  # the door's own read (door/engine.py _BY_CODE), not a copy of it
    flag = c.first_time_flag
    returning_guest = and_(
        c.status == literal_column("'registered'"),
        c.checked_in_at.is_(None),
        c.host_id.is_(None),
        or_(flag.is_(False), and_(flag.is_(None), c.been_before.is_(True))),
    )
    logged = (
        insert(CheckIn)
        .from_select(
            ["id", "event_id", "registration_id", "action", "at", "device", "nonce"],
            select(
                bindparam("log_id", type_=String),
                bindparam("event_id", type_=Integer),
                c.id,
                literal_column("'checkin'"),
                bindparam("now", type_=CheckIn.at.type),
                bindparam("device", type_=String),
                bindparam("nonce", type_=String),
            ).where(returning_guest),
        )
        .on_conflict_do_nothing(index_elements=["nonce"])
        .returning(CheckIn.registration_id)
        .cte("logged")
    )
    marked = (
        update(Registration)
        .where(Registration.id == logged.c.registration_id)
        .values(
            checked_in_at=bindparam("now", type_=Registration.checked_in_at.type),
            checked_in_device=bindparam("device"),
            checkin_id=bindparam("log_id"),
            first_time=false(),
            checked_out_at=null(),
        )
        .returning(Registration.id)
        .cte("marked")
    )
    done = select(func.count()).select_from(marked).scalar_subquery()
    return select(reg, done.label("done"))


def _as_text(stmt, dialect):
    """The statement as SQL text with typed binds and result columns: SQLAlchemy's statement
    cache mixes up the parameters of DML inside CTEs, and text is compiled only once."""
    compiled = stmt.compile(dialect=dialect)
    # ":name ::TYPE": text() does not see a bind directly followed by a cast's "::".
    sql = re.sub(r"%\((\w+)\)s", r":\1 ", compiled.string).replace("%%", "%")
    binds = [bindparam(name, type_=b.type) for name, b in compiled.binds.items()]
    columns = [column(c.name, c.type) for c in stmt.selected_columns]
    return text(sql).bindparams(*binds).columns(*columns)


_CACHE: dict[tuple[int, str], object] = {}


def returning_guest(
    engine,
    by_code,
    *,
    event_id: int,
    code: str,
    device: str,
    nonce: str,
    log_id: str,
    now: dt.datetime,
) -> tuple[tuple, bool] | None:
    """(the registration row as the door reads it, True when it was checked in by this
    statement), or None when the code is not on the event's list as written."""
    key = (id(by_code), engine.dialect.name)
    stmt = _CACHE.get(key)
    if stmt is None:
        stmt = _CACHE[key] = _as_text(_statement(by_code), engine.dialect)
    params = {
        "event_id": event_id,
        "code": code,
        "now": now,
        "device": device,
        "nonce": nonce,
        "log_id": log_id,
    }
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        row = conn.execute(stmt, params).first()
    if row is None:
        return None
    return tuple(row[:-1]), bool(row[-1])
