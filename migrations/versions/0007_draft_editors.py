"""Four eyes over the whole text: who wrote any part of a draft (opened, took it over, saved
it) is kept with the draft, and recorded with the revision, so none of them can approve it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("drafts", sa.Column("editors", sa.Text, nullable=False, server_default=""))
    op.execute("UPDATE drafts SET editors = holder")  # an open draft: at least its holder


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("editors")
