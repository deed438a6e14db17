"""Search key, current revision and current decision on units; decision columns on revisions.

- `units.sok`: name and HSA-id without case or diacritics, so a search for "sodervarn" finds
  "Södervärn" on SQLite and PostgreSQL alike.
- `units.current_revision` points at the newest revision, so "current decision" joins are
  index lookups, and `units.decision_*` / `kontakt_since` hold the current decision in brief
  for the dashboard's aggregates. Both are set in the transaction that appends a revision.
- Revision columns repeat, at insert time, what the decision JSON says (revisions are never
  updated): required and missing case types, grounds, rationale, review date, deviation and
  the ids of the rules that fired, so the register filters, sorts and exports in SQL.

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

UNIT_COLUMNS = (
    sa.Column("sok", sa.String(600), nullable=False, server_default=""),
    sa.Column("current_revision", sa.Integer, nullable=True),
    sa.Column("decision_outcome", sa.String(30), nullable=True),
    sa.Column("decision_variant", sa.String(30), nullable=True),
    sa.Column("decision_required", sa.String(400), nullable=True),
    sa.Column("decision_missing", sa.String(400), nullable=True),
    sa.Column("decision_grounds", sa.String(400), nullable=True),
    sa.Column("decision_review_date", sa.Date, nullable=True),
    sa.Column("decision_deviates", sa.Boolean, nullable=True),
    sa.Column("kontakt_since", sa.DateTime(timezone=True), nullable=True),
)
REVISION_COLUMNS = (
    sa.Column("required", sa.String(400), nullable=True),
    sa.Column("missing", sa.String(400), nullable=True),
    sa.Column("grounds", sa.String(400), nullable=True),
    sa.Column("rationale", sa.Text, nullable=True),
    sa.Column("review_date", sa.Date, nullable=True),
    sa.Column("deviates", sa.Boolean, nullable=True),
    sa.Column("rule_ids", sa.String(600), nullable=True),
)


def _key(text: str) -> str:  # a copy of logic.text.search_key: migrations do not import app code
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def upgrade() -> None:
    for column in UNIT_COLUMNS:
        op.add_column("units", column)
    for column in REVISION_COLUMNS:
        op.add_column("assessment_revisions", column)
    op.create_index(
        "ix_assessment_revisions_review_date", "assessment_revisions", ["review_date"]
    )
    # the register lists units by name (and administration): an index lets a page stream
    op.create_index("ix_units_namn", "units", ["namn", "hsa_id"])
    bind = op.get_bind()
    units = sa.table("units", sa.column("hsa_id"), sa.column("namn"), sa.column("sok"))
    for hsa_id, namn in bind.execute(sa.select(units.c.hsa_id, units.c.namn)).all():
        bind.execute(
            units.update().where(units.c.hsa_id == hsa_id).values(sok=_key(f"{namn} {hsa_id}"))
        )
    # Revisions from before 0003 carry their decision only as JSON: point at the newest one;
    # the brief decision columns fill as units are decided anew.
    op.execute(
        "UPDATE units SET current_revision = (SELECT MAX(r.revision) FROM assessment_revisions r"
        " WHERE r.hsa_id = units.hsa_id), decision_outcome = (SELECT r.outcome FROM"
        " assessment_revisions r WHERE r.hsa_id = units.hsa_id AND r.revision = (SELECT"
        " MAX(q.revision) FROM assessment_revisions q WHERE q.hsa_id = units.hsa_id))"
    )


def downgrade() -> None:
    op.drop_index("ix_units_namn", "units")
    op.drop_index("ix_assessment_revisions_review_date", "assessment_revisions")
    for column in REVISION_COLUMNS:
        op.drop_column("assessment_revisions", column.name)
    for column in UNIT_COLUMNS:
        op.drop_column("units", column.name)
