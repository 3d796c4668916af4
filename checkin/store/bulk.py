"""Writing many rows fast: ids reserved up front, then one executemany per table.

An INSERT ... RETURNING per row (what the ORM's bulk insert does to learn the new ids)
costs most of a 50,000-guest import. Reserving the ids first lets the driver run one
plain executemany, and the caller knows every id before writing.
"""

from __future__ import annotations

import datetime as dt
import json
from operator import itemgetter

from sqlalchemy import DateTime, Table, TypeDecorator, event, func, select, text
from sqlalchemy.orm import Session

from checkin.timeutil import as_utc


def reserve_ids(session: Session, table: Table, n: int) -> list[int]:
    """``n`` primary keys nobody else will use. Call inside the write transaction."""
    if n == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        # Taken from the column's sequence, so concurrent doors inserting rows never clash.
        seq = session.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        return list(
            session.scalars(
                text("SELECT nextval(CAST(:s AS regclass)) FROM generate_series(1, :n)"),
                {"s": seq, "n": n},
            )
        )
    # SQLite: the write transaction holds the only write lock, so max(id) is stable.
    top = session.scalar(select(func.coalesce(func.max(table.c.id), 0)))
    return list(range(top + 1, top + 1 + n))


def db_datetime(dialect, value: dt.datetime) -> object:
    """A datetime as the driver takes it for a ``UTCDateTime`` column: naive UTC, and on
    SQLite the same text SQLAlchemy's DateTime type stores and reads back."""
    naive = as_utc(value).replace(tzinfo=None)
    return naive.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect.name == "sqlite" else naive


def existing_values(
    session: Session, table: Table, column: str, values: list, event_id: int | None = None
) -> set:
    """Which of ``values`` ``table.column`` holds (of one event's rows when ``event_id``
    is given): one statement, the values passed as one parameter (no IN list to build)."""
    wanted = sorted({v for v in values if v is not None})
    if not wanted:
        return set()
    conn = session.connection()
    quote = conn.dialect.identifier_preparer.quote
    col, name = quote(column), quote(table.name)
    if conn.dialect.name == "sqlite":
        sql = f"SELECT {col} FROM {name} WHERE {col} IN (SELECT value FROM json_each(?))"
        params: tuple = (json.dumps(wanted),)
        if event_id is not None:
            sql, params = sql + " AND event_id = ?", (*params, event_id)
    else:
        sql = f"SELECT {col} FROM {name} WHERE {col} = ANY(%s)"
        params = (wanted,)
        if event_id is not None:
            sql, params = sql + " AND event_id = %s", (*params, event_id)
    return set(conn.exec_driver_sql(sql, params).scalars())


def insert_tuples(session: Session, table: Table, columns: tuple | list, rows: list) -> None:
    """One executemany of plain tuples (values already as the driver takes them)."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
    )
    conn.exec_driver_sql(sql, rows)


def insert_many(session: Session, table: Table, rows: list[dict]) -> None:
    """One executemany straight to the driver (the rows must share their keys).

    SQLAlchemy's per-value type processing is most of the cost at 100,000 rows, so values
    are converted here once, and only in the columns that hold datetimes.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect
    columns = list(rows[0])
    timed = [c for c in columns if isinstance(table.c[c].type, (DateTime, TypeDecorator))]
    get = itemgetter(*columns) if len(columns) > 1 else (lambda r: (r[columns[0]],))
    if not timed:
        insert_tuples(session, table, columns, [get(r) for r in rows])
        return
    converted: dict[dt.datetime, object] = {}

    def value(v: object) -> object:
        if isinstance(v, dt.datetime):
            if v not in converted:
                converted[v] = db_datetime(dialect, v)
            return converted[v]
        return v

    at = [columns.index(c) for c in timed]
    out = []
    for r in rows:
        values = list(get(r))
        for i in at:
            values[i] = value(values[i])
        out.append(tuple(values))
    insert_tuples(session, table, columns, out)


class CheckpointInGaps:
    """SQLite: the write-ahead log copied into the database between a bulk writer's
    transactions, not inside its commits.

    SQLite checkpoints in the commit that takes the log past 1,000 pages, after the write
    lock is let go but before the commit returns: a bulk writer would count that copying as
    time it held the lock, and pay it inside each chunk. With ``off_in(session)`` called in
    its transaction, that connection's commit does not checkpoint (the setting is restored
    as the connection goes back to the pool, so no door ever commits without it), and
    ``run()`` checkpoints between two chunks, while a door may already have the lock (a
    passive checkpoint never blocks a writer)."""

    AUTOCHECKPOINT = 1000  # SQLite's default, which the app keeps

    def __init__(self, engine) -> None:
        self.engine = engine
        self.on = engine.dialect.name == "sqlite"
        if self.on:
            event.listen(engine, "checkin", self._restore)

    def off_in(self, session: Session) -> None:
        if self.on:
            session.connection().exec_driver_sql("PRAGMA wal_autocheckpoint=0")

    def run(self) -> None:
        if not self.on:
            return
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            raw.close()

    def close(self) -> None:
        if self.on:
            event.remove(self.engine, "checkin", self._restore)
            self.on = False

    def _restore(self, dbapi_conn, _record) -> None:
        if dbapi_conn is not None:
            dbapi_conn.execute(f"PRAGMA wal_autocheckpoint={self.AUTOCHECKPOINT}")
