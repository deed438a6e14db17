"""The roll-out now, as a projection the Införande page and the exports aggregate in SQL:
one row per unit in scope and case type, and the progress per observation date. Derived
data: filled at the next start (logic/bootstrap.py refreshes it when it is empty or was made
under another catalog version).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rollout",
        sa.Column("hsa_id", sa.String(31), sa.ForeignKey("units.hsa_id"), primary_key=True),
        sa.Column("arendetyp", sa.String(30), primary_key=True),
        sa.Column("enhet", sa.String(200), nullable=False),
        sa.Column("forvaltning", sa.String(200), nullable=False),
        sa.Column("exempted", sa.Boolean, nullable=False),
        sa.Column("in_place", sa.Boolean, nullable=False),
        sa.Column("mall", sa.Boolean, nullable=False),
        sa.Column("infort_efter", sa.Date, nullable=True),
        sa.Column("infort_senast", sa.Date, nullable=True),
        sa.Column("removed_efter", sa.Date, nullable=True),
        sa.Column("removed_senast", sa.Date, nullable=True),
        sa.Column("frist", sa.Date, nullable=True),
        sa.Column("frist_scope", sa.String(200), nullable=False),
        sa.Column("i_tid", sa.String(5), nullable=False),
        sa.Column("basis", sa.String(10), nullable=False),
        sa.Column("catalog_version", sa.String(20), nullable=False),
    )
    op.create_index(
        "ix_rollout_order", "rollout", ["forvaltning", "enhet", "hsa_id", "arendetyp"]
    )  # the export streams in this order
    op.create_table(
        "rollout_progress",
        sa.Column("observed", sa.Date, primary_key=True),
        sa.Column("forvaltning", sa.String(200), primary_key=True),
        sa.Column("arendetyp", sa.String(30), primary_key=True),
        sa.Column("units", sa.Integer, nullable=False),
        sa.Column("in_place", sa.Integer, nullable=False),
        sa.Column("on_template", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rollout_progress")
    op.drop_table("rollout")
