"""Drafts: one open assessment per unit, saved after every wizard step.

A draft is work in progress, not a record: it is updated in place and removed when the
decision is recorded. Who holds it and since when is shown to anyone else opening the unit.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("hsa_id", sa.String(31), sa.ForeignKey("units.hsa_id"), primary_key=True),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("drafts")
