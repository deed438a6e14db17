"""The policy kept in the record: catalog versions (the catalog's files as text, the date
each takes effect, who proposed it) and their verdicts (approved by another person, or
withdrawn), both append-only. The starting catalog is recorded at the next start
(logic/bootstrap.py), from data/catalog, as in force from the beginning.

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

TABLES = {"catalog_versions": "number", "catalog_verdicts": "number"}


def upgrade() -> None:
    op.create_table(
        "catalog_versions",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.String(20), nullable=False),
        sa.Column("based_on", sa.Integer, nullable=True),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("proposed_by", sa.String(254), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
    )
    op.create_table(
        "catalog_verdicts",
        sa.Column(
            "number",
            sa.Integer,
            sa.ForeignKey("catalog_versions.number"),
            primary_key=True,
        ),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("by", sa.String(254), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.String(20), nullable=False),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, key in TABLES.items():
        if postgresql:  # refuse_change() comes from 0001
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
            )
            continue
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
            )
        op.execute(  # as 0008: INSERT OR REPLACE would delete the row it collides with
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {key} = NEW.{key}) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: replacing a row refused'); END"
        )


def downgrade() -> None:
    op.drop_table("catalog_verdicts")
    op.drop_table("catalog_versions")
