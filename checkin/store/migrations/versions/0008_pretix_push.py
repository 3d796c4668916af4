"""What each door action became at a pretix check-in list (so a push sends only what is new).

Revision ID: 0008
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pretix_push",
        sa.Column("checkin_id", sa.String(length=36), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("pretix_at", sa.DateTime(), nullable=True),
        sa.Column("pushed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkin.id"],
            name=op.f("fk_pretix_push_checkin_id_checkin"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("checkin_id", "target", name=op.f("pk_pretix_push")),
    )


def downgrade() -> None:
    op.drop_table("pretix_push")
