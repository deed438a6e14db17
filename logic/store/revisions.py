"""Assessment revisions: append-only (the database refuses UPDATE and DELETE); (hsa_id,
revision) is unique, so two submissions based on the same revision cannot both land."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, func, insert, select
from sqlalchemy.exc import IntegrityError

from logic.domain.errors import StaleRevision
from logic.domain.record import NewRevision, RevisionRow, StoredRevision, seal
from logic.store.rows import Rows, codes, utc
from logic.store.schema import assessment_revisions as revisions
from logic.store.schema import units


def _revision_from(row: Any) -> StoredRevision:
    data = row._asdict()
    data.pop("id")
    data["created_at"] = utc(data["created_at"])
    for column in ("required", "missing", "grounds"):
        data[column] = codes(data[column])
    data["rationale"] = data["rationale"] or ""
    data["deviates"] = bool(data["deviates"])
    data.pop("rule_ids")  # derived from the recommendation, which the revision carries
    return StoredRevision.model_validate(data)


def revision_row(stored: StoredRevision) -> dict[str, Any]:
    """A sealed revision as its table row: the JSON parts as JSON, the key facts repeated as
    columns for the register's filters and exports."""
    return stored.model_dump(mode="json") | {
        "created_at": stored.created_at,
        "review_date": stored.review_date,
        "required": "|".join(stored.required),
        "missing": "|".join(stored.missing),
        "grounds": "|".join(stored.grounds),
        "rule_ids": "|".join(dict.fromkeys(stored.recommendation.rule_ids)),
    }


class RevisionRows(Rows):
    def latest_number(self, hsa_id: str) -> int | None:
        return self.connection.execute(
            select(func.max(revisions.c.revision)).where(revisions.c.hsa_id == hsa_id)
        ).scalar_one()

    def add(self, new: NewRevision) -> StoredRevision:
        """Append a revision, sealed with its content hash; refuse (StaleRevision) unless it
        is based on the newest one."""
        current = self.latest_number(new.hsa_id)
        if new.based_on_revision != current:
            raise StaleRevision(new.hsa_id, new.based_on_revision, current)
        stored = seal(new, (current or 0) + 1, self.now)
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(revisions).values(**revision_row(stored)))
        except IntegrityError as exc:  # a concurrent save took this revision number first
            raise StaleRevision(new.hsa_id, new.based_on_revision, stored.revision) from exc
        return stored

    def latest(self, hsa_id: str) -> StoredRevision | None:
        row = self.connection.execute(
            select(revisions)
            .where(revisions.c.hsa_id == hsa_id)
            .order_by(revisions.c.revision.desc())
            .limit(1)
        ).first()
        return _revision_from(row) if row else None

    def of_unit(self, hsa_id: str) -> list[StoredRevision]:
        rows = self.connection.execute(
            select(revisions).where(revisions.c.hsa_id == hsa_id).order_by(revisions.c.revision)
        )
        return [_revision_from(r) for r in rows]

    def get(self, hsa_id: str, number: int) -> StoredRevision | None:
        row = self.connection.execute(
            select(revisions).where(revisions.c.hsa_id == hsa_id, revisions.c.revision == number)
        ).first()
        return _revision_from(row) if row else None

    def all(self) -> Iterator[RevisionRow]:
        """Every revision in the order written, with its repeated columns, streamed (for
        verification)."""
        statement = select(revisions).order_by(revisions.c.id)
        for row in self.connection.execute(statement.execution_options(yield_per=1000)):
            where = f"{row.hsa_id} rev {row.revision}"
            try:
                yield RevisionRow(_revision_from(row), row.rule_ids or "", where)
            except (ValidationError, TypeError, ValueError):  # forged into another shape
                yield RevisionRow(None, row.rule_ids or "", where)

    def in_force_under_other(self, version: str) -> Iterator[tuple[str, str, str, Any, Any]]:
        """Each decision in force made under another catalog version: the unit (HSA-id, name,
        administration), and the revision's inputs and recommendation as stored (JSON)."""
        statement = (
            select(
                units.c.hsa_id,
                units.c.namn,
                units.c.forvaltning,
                revisions.c.inputs,
                revisions.c.recommendation,
            )
            .select_from(
                units.join(
                    revisions,
                    and_(
                        revisions.c.hsa_id == units.c.hsa_id,
                        revisions.c.revision == units.c.in_force_revision,
                    ),
                )
            )
            .where(revisions.c.catalog_version != version)
            .order_by(units.c.forvaltning, units.c.namn, units.c.hsa_id)
        )
        for row in self.connection.execute(statement):
            yield tuple(row)  # type: ignore[misc]
