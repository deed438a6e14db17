"""Bedömning's unit picker runs on every rerun of the wizard: the undecided first, by
administration and name, filtered on the search key. This index holds all of it, so the
picker reads the index alone (at 50,000 units: 24 ms to 0.1 ms with no search words, 16 ms
to 6 ms with words that match nothing).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_units_pick",
        "units",
        [
            sa.text("(current_revision IS NOT NULL)"),
            "forvaltning",
            "namn",
            "sok",
            "hsa_id",
            "current_revision",
        ],
    )


def downgrade() -> None:
    op.drop_index("ix_units_pick", table_name="units")
