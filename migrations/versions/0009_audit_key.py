"""The audit chain keyed with a secret kept outside the database (HMAC-SHA256): each event
names the key that chained it (`key_id`, a fingerprint, never the key). Events from before
are unkeyed; verification accepts them only before the first keyed event.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("key_id", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("key_id")
