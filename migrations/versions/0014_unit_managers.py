"""Unit managers (enhetschefer): the units a user holds, beside their roles. A unit manager
sees and acts on those units only.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:  # SQLite copies the table, PostgreSQL alters
        batch.add_column(sa.Column("units", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("units")
