"""Append-only also against SQLite's INSERT OR REPLACE (and REPLACE INTO): it deletes the
row it collides with without firing delete triggers, so an audit event, a revision or a
verdict could be rewritten. A BEFORE INSERT trigger refuses any insert that collides with an
existing row. (PostgreSQL's ON CONFLICT DO UPDATE fires the update triggers: refused already.)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLLISIONS = {
    "assessment_revisions": "id = NEW.id OR (hsa_id = NEW.hsa_id AND revision = NEW.revision)",
    "approvals": "id = NEW.id OR (hsa_id = NEW.hsa_id AND revision = NEW.revision)",
    "audit_events": "id = NEW.id OR prev_hash = NEW.prev_hash",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, collision in COLLISIONS.items():
        op.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {collision}) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: replacing a row refused'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in COLLISIONS:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
