"""Four-eyes approval: an append-only verdict per revision, bound to its content hash; the
unit's current decision in brief gains its status and who approved it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("hsa_id", sa.String(31), sa.ForeignKey("units.hsa_id"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("hsa_id", "revision", name="uq_approvals_hsa_id_revision"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # refuse_change() comes from 0001
        op.execute(
            "CREATE TRIGGER approvals_append_only BEFORE UPDATE OR DELETE ON approvals "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
        )
        op.execute(
            "CREATE TRIGGER approvals_no_truncate BEFORE TRUNCATE ON approvals "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER approvals_no_{action.lower()} BEFORE {action} ON approvals "
                f"BEGIN SELECT RAISE(ABORT, 'approvals is append-only: {action} refused'); END"
            )
    op.add_column("units", sa.Column("decision_status", sa.String(20), nullable=True))
    op.add_column("units", sa.Column("decision_approved_by", sa.String(254), nullable=True))
    op.add_column(
        "units", sa.Column("decision_approved_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("units", sa.Column("approved_revision", sa.Integer, nullable=True))
    # the queues of decisions awaiting approval and returned ones look up by status
    op.create_index("ix_units_decision_status", "units", ["decision_status"])
    # Decisions recorded before four-eyes approval existed wait for one, like any proposal.
    op.execute(
        "UPDATE units SET decision_status = 'for_beslut' WHERE current_revision IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_table("approvals")  # first: it refers to units
    op.drop_index("ix_units_decision_status", table_name="units")
    for column in (
        "approved_revision",
        "decision_approved_at",
        "decision_approved_by",
        "decision_status",
    ):
        op.drop_column("units", column)
