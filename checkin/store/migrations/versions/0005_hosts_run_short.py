"""Hosting when hosts run short: backup hosts, pairs, the wait before a backup, follow-up.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event") as t:
        t.add_column(sa.Column("pairs", sa.Boolean(), nullable=False, server_default="0"))
        t.add_column(sa.Column("backup_after_s", sa.Integer(), nullable=False, server_default="60"))
    with op.batch_alter_table("host") as t:
        t.add_column(sa.Column("backup", sa.Boolean(), nullable=False, server_default="0"))
        t.add_column(sa.Column("enlisted_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("assignment") as t:
        t.add_column(sa.Column("pair_of", sa.Integer(), nullable=True))
    with op.batch_alter_table("registration") as t:
        t.add_column(sa.Column("followed_up_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("registration") as t:
        t.drop_column("followed_up_at")
    with op.batch_alter_table("assignment") as t:
        t.drop_column("pair_of")
    with op.batch_alter_table("host") as t:
        t.drop_column("enlisted_at")
        t.drop_column("backup")
    with op.batch_alter_table("event") as t:
        t.drop_column("backup_after_s")
        t.drop_column("pairs")
