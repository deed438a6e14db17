"""The roll-out: every import of the unit file is an observation of each unit's facts on a
date, kept append-only; the unit file gains the optional column `regionala_mallar`; the
register's row names the date of the observation it shows. Units already in the register get
one observation each, of the facts the register holds, dated the day they were last changed
(what was known then).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

FACTS = (
    "namn, forvaltning, enhetstyp, verksamhet, driftsform, avtalsanalys_klar, vardutforande, "
    "kontaktkort, patientkontakt, bokar_besok, telefon_papper, e_tjanster, regionala_mallar"
)


def upgrade() -> None:
    op.add_column(
        "units", sa.Column("regionala_mallar", sa.String(400), nullable=False, server_default="")
    )
    op.add_column("units", sa.Column("observed", sa.Date, nullable=True))
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("hsa_id", sa.String(31), sa.ForeignKey("units.hsa_id"), nullable=False),
        sa.Column("observed", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
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
        sa.Column("regionala_mallar", sa.String(400), nullable=False),
        sa.Column("source", sa.String(10), nullable=False, server_default="fil"),
    )
    op.create_index("ix_observations_hsa_id_observed", "observations", ["hsa_id", "observed"])
    op.create_index("ix_observations_observed", "observations", ["observed"])
    postgresql = op.get_bind().dialect.name == "postgresql"
    day = "CAST(updated_at AS DATE)" if postgresql else "date(updated_at)"
    op.execute(f"UPDATE units SET observed = {day}")
    op.execute(
        f"INSERT INTO observations (hsa_id, observed, recorded_at, {FACTS}) "
        f"SELECT hsa_id, observed, updated_at, {FACTS} FROM units"
    )
    if postgresql:  # refuse_change() comes from 0001
        op.execute(
            "CREATE TRIGGER observations_append_only BEFORE UPDATE OR DELETE ON observations "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
        )
        op.execute(
            "CREATE TRIGGER observations_no_truncate BEFORE TRUNCATE ON observations "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER observations_no_{action.lower()} BEFORE {action} ON observations "
                f"BEGIN SELECT RAISE(ABORT, 'observations is append-only: {action} refused'); END"
            )
        op.execute(  # as 0008: INSERT OR REPLACE would delete the row it collides with
            "CREATE TRIGGER observations_no_replace BEFORE INSERT ON observations "
            "WHEN EXISTS (SELECT 1 FROM observations WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'observations is append-only: replacing a row refused'); END"
        )


def downgrade() -> None:
    op.drop_table("observations")
    op.drop_column("units", "observed")
    op.drop_column("units", "regionala_mallar")
