"""Why a guest may not enter, and the event option that lets unpaid tickets in.

``registration.status`` stays one of three words every query already understands
(``registered``, ``unpaid``, ``cancelled``); ``status_reason`` keeps the ticketing tool's
reason in our words (declined, waitlisted, refunded, not attending, expired …) so the door
can say which. ``event.admit_unpaid`` is the organiser's "let unpaid tickets in" setting.
``person.title`` holds a name title (Dr, Mr …) kept apart from the first name.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registration") as batch:
        batch.add_column(sa.Column("status_reason", sa.String(40), nullable=True))
    with op.batch_alter_table("event") as batch:
        batch.add_column(
            sa.Column("admit_unpaid", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("title", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("title")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("admit_unpaid")
    with op.batch_alter_table("registration") as batch:
        batch.drop_column("status_reason")
