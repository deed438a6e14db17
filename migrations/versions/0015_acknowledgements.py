"""A unit manager's acknowledgement (kvittens) of the decision in force on their unit:
append-only, one per person and revision, bound to the revision's content hash as seen.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLE = "acknowledgements"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("hsa_id", sa.String(31), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("hsa_id", "revision", "email", name="uq_acknowledgements_once"),
    )
    if op.get_bind().dialect.name == "postgresql":  # refuse_change() comes from 0001
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: {action} refused'); END"
        )
    op.execute(  # as 0008: INSERT OR REPLACE would delete the row it collides with
        f"CREATE TRIGGER {TABLE}_no_replace BEFORE INSERT ON {TABLE} "
        f"WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id OR (hsa_id = NEW.hsa_id "
        "AND revision = NEW.revision AND email = NEW.email)) "
        f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: replacing a row refused'); END"
    )


def downgrade() -> None:
    op.drop_table(TABLE)
