"""Hosts' phones: a personal link per host per event, and the host's answer on an assignment.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None

# On PostgreSQL every door's hosting change (assignment, queue, host) wakes the phone
# servers (LISTEN welcome_desk).
_PG_NOTIFY = """
CREATE OR REPLACE FUNCTION welcome_desk_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('welcome_desk', NEW.event_id::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER assignment_notify AFTER INSERT OR UPDATE ON assignment
    FOR EACH ROW EXECUTE FUNCTION welcome_desk_notify();
CREATE TRIGGER queue_entry_notify AFTER INSERT OR UPDATE ON queue_entry
    FOR EACH ROW EXECUTE FUNCTION welcome_desk_notify();
CREATE TRIGGER host_notify AFTER INSERT OR UPDATE ON host
    FOR EACH ROW EXECUTE FUNCTION welcome_desk_notify();
"""


def upgrade() -> None:
    op.create_table(
        "host_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_host_link_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["host_id"], ["host.id"], name=op.f("fk_host_link_host_id_host"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_host_link")),
        sa.UniqueConstraint("token", name=op.f("uq_host_link_token")),
    )
    op.create_index(op.f("ix_host_link_host_id"), "host_link", ["host_id"])
    with op.batch_alter_table("assignment") as batch:
        batch.add_column(sa.Column("answer", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("answered_at", sa.DateTime(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_NOTIFY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS assignment_notify ON assignment")
        op.execute("DROP TRIGGER IF EXISTS queue_entry_notify ON queue_entry")
        op.execute("DROP TRIGGER IF EXISTS host_notify ON host")
        op.execute("DROP FUNCTION IF EXISTS welcome_desk_notify()")
    with op.batch_alter_table("assignment") as batch:
        batch.drop_column("answered_at")
        batch.drop_column("answer")
    op.drop_index(op.f("ix_host_link_host_id"), table_name="host_link")
    op.drop_table("host_link")
