"""Catalog versions and their verdicts: append-only; a proposal's number is the next one,
taken under a lock, and a verdict is given once (its primary key is the proposal's)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from logic.domain.catalog_versions import CatalogProposal, CatalogVerdict
from logic.store.rows import Rows, utc
from logic.store.schema import catalog_verdicts, catalog_versions

_BRIEF = [c for c in catalog_versions.c if c.name != "files"]
T = TypeVar("T", bound=BaseModel)


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
        return dict(found) if isinstance(found, dict) else {}  # edited into something else

    def verdicts(self) -> list[CatalogVerdict]:
        rows = self.connection.execute(select(catalog_verdicts).order_by(catalog_verdicts.c.at))
        return [_read(CatalogVerdict, r._asdict() | {"at": utc(r.at)}) for r in rows]


def _proposal(row: dict[str, Any]) -> CatalogProposal:
    return _read(CatalogProposal, {"files": {}} | row | {"proposed_at": utc(row["proposed_at"])})


def _read(model: type[T], row: dict[str, Any]) -> T:
    """A row as stored. One that no longer passes the rules (edited behind the app's back)
    is read as it is, never a crash: verification names it, and a verdict that is neither
    approved nor withdrawn puts nothing in force."""
    try:
        return model.model_validate(row)
    except ValidationError:
        return model.model_construct(**row)
