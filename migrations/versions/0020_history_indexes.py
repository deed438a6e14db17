"""The history path (the roll-out as of an earlier date or moment) read from indexes alone:

- each unit's observations by date with the columns the figures are worked out from
  (e-services offered and on the template, the source, when recorded), in the order read, in place of the index
  of unit and date alone: the 250,000 observations at 50,000 units were read row by row from
  the table, wide with every fact (0.6-0.7 s; from the index 0.4 s). An import writes it as
  fast (26 s at 50,000 units either way);
- each unit's revisions with the moment each was submitted: the proposals waiting for
  approval at a moment are each unit's newest revision submitted by then, and were found by
  reading every revision's whole row, decision JSON and all (0.24 s; from the index 0.10 s).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

HISTORY = ["hsa_id", "observed", "id", "recorded_at", "e_tjanster", "regionala_mallar", "source"]


def upgrade() -> None:
    op.create_index("ix_observations_history", "observations", HISTORY)
    op.drop_index("ix_observations_hsa_id_observed", "observations")
    op.create_index(
        "ix_assessment_revisions_submitted",
        "assessment_revisions",
        ["hsa_id", "revision", "created_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_assessment_revisions_submitted", "assessment_revisions")
    op.create_index("ix_observations_hsa_id_observed", "observations", ["hsa_id", "observed"])
    op.drop_index("ix_observations_history", "observations")
