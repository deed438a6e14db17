"""A unit manager's request answered by a decision: the revision approved that answers it
(the answer in words is then empty). And the observations by source, with who recorded
each: a unit's own reports (source "enhet") are found without reading every observation.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("unit_requests", sa.Column("answered_revision", sa.Integer, nullable=True))
    op.create_index("ix_observations_source", "observations", ["source"])
    # who recorded each observation (an import's administrator, a reporting unit manager):
    # shown with a unit's own report; not part of what the audit event commits to
    op.add_column("observations", sa.Column("recorded_by", sa.String(254), nullable=True))


def downgrade() -> None:
    op.drop_column("observations", "recorded_by")
    op.drop_index("ix_observations_source", "observations")
    op.drop_column("unit_requests", "answered_revision")
