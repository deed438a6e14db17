"""Initial schema: units, append-only assessment revisions and audit events.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = ("assessment_revisions", "audit_events")


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("hsa_id", sa.String(31), primary_key=True),
        sa.Column("namn", sa.String(200), nullable=False),
        sa.Column("forvaltning", sa.String(200), nullable=False),
        sa.Column("enhetstyp", sa.String(20), nullable=False),
        sa.Column("verksamhet", sa.String(30), nullable=False),
        sa.Column("driftsform", sa.String(20), nullable=False),
        sa.Column("avtalsanalys_klar", sa.Boolean, nullable=True),
        sa.Column("vardutforande", sa.Boolean, nullable=False),
        sa.Column("kontaktkort", sa.Boolean, nullable=False),
        sa.Column("patientkontakt", sa.Boolean, nullable=False),
        sa.Column("bokar_besok", sa.Boolean, nullable=False),
        sa.Column("telefon_papper", sa.String(400), nullable=False),
        sa.Column("e_tjanster", sa.String(400), nullable=False),
        sa.Column("recommended_outcome", sa.String(30), nullable=False),
        sa.Column("recommended_variant", sa.String(30), nullable=True),
        sa.Column("recommended_missing", sa.String(400), nullable=False),
        sa.Column("catalog_version", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_units_forvaltning", "units", ["forvaltning"])
    op.create_index("ix_units_recommended", "units", ["recommended_outcome", "recommended_variant"])
    op.create_table(
        "assessment_revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("hsa_id", sa.String(31), sa.ForeignKey("units.hsa_id"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("based_on_revision", sa.Integer, nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("recommendation", sa.JSON, nullable=False),
        sa.Column("catalog_version", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("variant", sa.String(30), nullable=True),
        sa.Column("decision", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("hsa_id", "revision", name="uq_assessment_revisions_hsa_id_revision"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    # Append-only in the database itself, not only in code: a public record is never
    # updated or deleted, whoever holds a connection.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
            END $$
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
            )
    else:
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
                )


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("assessment_revisions")
    op.drop_table("units")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS refuse_change()")
