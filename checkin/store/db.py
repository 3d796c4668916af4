"""Opening a database: a SQLite file by default, PostgreSQL when doors share one.

One ``Database`` per process. ``write()`` is a unit of work that changes data; ``read()``
only looks. On SQLite a write begins with ``BEGIN IMMEDIATE`` so two processes never deadlock
upgrading a read lock, and every commit is durable (WAL + ``synchronous=FULL``) before the
door shows its result.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from checkin.errors import DatabaseError, DatabaseGone

ENV_URL = "CHECKIN_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def default_sqlite_path() -> Path:
    import platformdirs

    folder = Path(platformdirs.user_data_dir("welcome-desk", "WelcomeDesk"))
    return folder / "welcome-desk.sqlite3"


def resolve_url(url: str | None) -> str:
    """The --database option, else CHECKIN_DATABASE_URL, else the user's SQLite file.

    A bare path is accepted as a SQLite file, because that is what people type.
    """
    url = url or os.environ.get(ENV_URL)
    if not url:
        return f"sqlite:///{default_sqlite_path()}"
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # We issue BEGIN ourselves (below), so pysqlite must not.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA secure_delete=ON")  # forgotten guests must not linger in free pages
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@dataclass
class Database:
    url: str
    engine: Engine  # writes
    read_engine: Engine  # reads (the same engine on PostgreSQL)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def sqlite_path(self) -> str | None:
        return make_url(self.url).database if self.is_sqlite else None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work; committed on leaving the block, rolled back on an exception.

        On SQLite the commit happens only while the file at the path is still the file this
        door opened (see ``check_file``): nothing is acknowledged that is not on disk."""
        with _translate_errors(), self._writer.begin() as session:
            yield session
            self.check_file()

    def check_file(self) -> None:
        """Refuse (``DatabaseGone``) when the SQLite file was deleted, moved or replaced.

        SQLite keeps writing to the inode it opened: a deleted file takes every later commit
        with it into nothing, a replaced one sends them to the old copy. One ``stat`` of the
        path, compared with the identity recorded at open (a few microseconds)."""
        if self._identity is None:
            return
        try:
            st = os.stat(self._identity[0])
            now = (st.st_dev, st.st_ino)
        except OSError:
            now = None
        if now != self._identity[1]:
            raise DatabaseGone(
                f"The database file {self._identity[0]} is gone or was replaced — nothing "
                "was saved; put the file back (or reconnect the drive) and restart Welcome "
                "Desk on it."
            )

    def remember_file(self) -> None:
        """Record which file the path names now: the one every later commit must go to."""
        path = self.sqlite_path
        if not path or path == ":memory:" or path.startswith("file:"):
            return
        path = os.path.abspath(path)
        st = os.stat(path)
        self._identity = (path, (st.st_dev, st.st_ino))

    @contextmanager
    def read(self) -> Iterator[Session]:
        with _translate_errors(), self._reader() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()

    def __post_init__(self) -> None:
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False)
        self._identity: tuple[str, tuple[int, int] | None] | None = None


@contextmanager
def _translate_errors() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        raise DatabaseError(_plain_db_message(exc)) from exc


def _plain_db_message(exc: OperationalError) -> str:
    detail = str(exc.orig) if exc.orig is not None else str(exc)
    if "disk" in detail.lower() and "full" in detail.lower():
        return "The disk is full: the database could not be written."
    if "locked" in detail.lower():
        return "The database is busy (another program holds it); try again."
    return f"Database error: {detail.splitlines()[0] if detail else exc}"


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and bring the schema up to date."""
    url = resolve_url(url)
    try:
        if url.startswith("sqlite"):
            db = Database(url, _sqlite_engine(url, True), _sqlite_engine(url, False))
        else:
            engine = create_engine(url)  # no pre-ping: one more round trip on every scan
            db = Database(url, engine, engine)
        if migrate:
            from checkin.store.migrate import upgrade

            upgrade(db)
        if db.is_sqlite:
            if not migrate:  # the file exists once a connection was made
                with db.read() as session:
                    session.execute(text("SELECT 1"))
            db.remember_file()
        return db
    except OperationalError as exc:
        raise DatabaseError(f"Cannot open the database: {_plain_db_message(exc)}") from exc
