"""One name per concept (README glossary): the approver of a verdict is `approver`, and the
register's decision in force is `in_force_revision`, `in_force_approver`, `in_force_at`.
Renames only; no data changes. Content hashes do not cover these column names.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

RENAMES = (
    ("approvals", "actor", "approver"),
    ("units", "approved_revision", "in_force_revision"),
    ("units", "decision_approved_by", "in_force_approver"),
    ("units", "decision_approved_at", "in_force_at"),
)


def upgrade() -> None:
    # ALTER TABLE ... RENAME COLUMN: SQLite 3.25+ and PostgreSQL; triggers are kept
    for table, old, new in RENAMES:
        op.execute(f"ALTER TABLE {table} RENAME COLUMN {old} TO {new}")


def downgrade() -> None:
    for table, old, new in reversed(RENAMES):
        op.execute(f"ALTER TABLE {table} RENAME COLUMN {new} TO {old}")
