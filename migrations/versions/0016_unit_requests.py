"""A unit manager's requests (begäran: a new assessment or an exemption, with the reason)
and the regional team's answer in words, given once.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_requests",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("hsa_id", sa.String(31), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("asked_by", sa.String(254), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text, nullable=True),
        sa.Column("answered_by", sa.String(254), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("unit_requests")
