"""Introductions stored as a JSON list of registration ids instead of a comma string.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # '12,40,7' -> '[12,40,7]', '' -> '[]': the same SQL on SQLite and PostgreSQL.
    op.execute("UPDATE assignment SET introductions = '[' || introductions || ']'")


def downgrade() -> None:
    op.execute(
        "UPDATE assignment SET introductions = replace(replace(introductions, '[', ''), ']', '')"
    )
