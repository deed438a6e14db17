"""Catalog versions and their verdicts: append-only; a proposal's number is the next one,
taken under a lock, and a verdict is given once (its primary key is the proposal's)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from logic.domain.catalog_versions import CatalogProposal, CatalogVerdict
from logic.store.rows import Rows, utc
from logic.store.schema import catalog_verdicts, catalog_versions

_BRIEF = [c for c in catalog_versions.c if c.name != "files"]


class CatalogRows(Rows):
    def propose(self, proposal: CatalogProposal) -> CatalogProposal:
        """Append a proposal as the next number (the caller serializes "catalog")."""
        number = self.connection.execute(
            select(func.coalesce(func.max(catalog_versions.c.number), 0) + 1)
        ).scalar_one()
        stored = proposal.model_copy(update={"number": number})
        self.connection.execute(insert(catalog_versions).values(**stored.model_dump()))
        return stored

    def give(self, verdict: CatalogVerdict) -> str | None:
        """Append a verdict; "already_decided" (nothing written) if one landed first."""
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(catalog_verdicts).values(**verdict.model_dump()))
        except IntegrityError:
            return "already_decided"
        return None

    def proposals(self, with_files: bool = False) -> list[CatalogProposal]:
        """Every proposal in number order; without their files (the lists need none)."""
        columns = list(catalog_versions.c) if with_files else _BRIEF
        rows = self.connection.execute(select(*columns).order_by(catalog_versions.c.number))
        return [_proposal(r._asdict()) for r in rows]

    def files(self, number: int) -> dict[str, str]:
        """One version's files, by name."""
        found = self.connection.execute(
            select(catalog_versions.c.files).where(catalog_versions.c.number == number)
        ).scalar_one()
        return dict(found)

    def verdicts(self) -> list[CatalogVerdict]:
        rows = self.connection.execute(select(catalog_verdicts).order_by(catalog_verdicts.c.at))
        return [CatalogVerdict.model_validate(r._asdict() | {"at": utc(r.at)}) for r in rows]


def _proposal(row: dict[str, Any]) -> CatalogProposal:
    return CatalogProposal.model_validate(
        {"files": {}} | row | {"proposed_at": utc(row["proposed_at"])}
    )
