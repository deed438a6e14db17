"""Search key and current revision on units; decision columns on revisions.

`units.current_revision` points at the unit's newest revision (set in the same transaction
that appends it), so every "current decision" join is an index lookup, not a GROUP BY.

`units.sok` holds name and HSA-id without case or diacritics, so a search for "sodervarn"
finds "Södervärn" on SQLite and PostgreSQL alike. The new revision columns repeat, at insert
time, what the decision JSON says (revisions are never updated): required and missing case
types, exemption grounds, rationale, review date, whether it deviates from the
recommendation and the ids of the rules that fired, so the register filters, sorts and
exports in SQL without reading the JSON.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _key(text: str) -> str:  # a copy of logic.text.search_key: migrations do not import app code
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def upgrade() -> None:
    op.add_column("units", sa.Column("sok", sa.String(600), nullable=False, server_default=""))
    op.add_column("units", sa.Column("current_revision", sa.Integer, nullable=True))
    op.execute(
        "UPDATE units SET current_revision = (SELECT MAX(r.revision) FROM assessment_revisions r"
        " WHERE r.hsa_id = units.hsa_id)"
    )
    bind = op.get_bind()
    units = sa.table("units", sa.column("hsa_id"), sa.column("namn"), sa.column("sok"))
    for hsa_id, namn in bind.execute(sa.select(units.c.hsa_id, units.c.namn)).all():
        bind.execute(
            units.update().where(units.c.hsa_id == hsa_id).values(sok=_key(f"{namn} {hsa_id}"))
        )
    for column in (
        sa.Column("required", sa.String(400), nullable=True),
        sa.Column("missing", sa.String(400), nullable=True),
        sa.Column("grounds", sa.String(400), nullable=True),
        sa.Column("rationale", sa.Text, nullable=True),
        sa.Column("review_date", sa.Date, nullable=True),
        sa.Column("deviates", sa.Boolean, nullable=True),
        sa.Column("rule_ids", sa.String(600), nullable=True),
    ):
        op.add_column("assessment_revisions", column)
    op.create_index("ix_assessment_revisions_review_date", "assessment_revisions",
                    ["review_date"])


def downgrade() -> None:
    op.drop_index("ix_assessment_revisions_review_date", "assessment_revisions")
    for name in ("rule_ids", "deviates", "review_date", "rationale", "grounds", "missing", "required"):
        op.drop_column("assessment_revisions", name)
    op.drop_column("units", "current_revision")
    op.drop_column("units", "sok")
