"""Alembic environment: runs on the connection handed over by checkin.store.migrate."""

from alembic import context

from checkin.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic revision --autogenerate` during development
        from checkin.store.db import open_database

        db = open_database(config.get_main_option("sqlalchemy.url"), migrate=False)
        with db.engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
