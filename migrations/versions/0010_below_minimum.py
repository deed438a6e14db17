"""A decision that drops the lowest level (digital contact) for a unit in scope is flagged on
the register's projection, for the register, the exports and the follow-up report. Earlier
decisions could not be flagged (the deviation did not exist): they are recorded as not.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("units", sa.Column("decision_below_minimum", sa.Boolean, nullable=True))
    op.execute(
        "UPDATE units SET decision_below_minimum = false WHERE current_revision IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_column("units", "decision_below_minimum")  # SQLite 3.35+ drops a column in place
