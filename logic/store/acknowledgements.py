"""Acknowledgements (kvittenser) of decisions in force, append-only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select

from logic.domain.acknowledgements import Acknowledgement
from logic.store.rows import Rows, utc
from logic.store.schema import acknowledgements


def _from(row: Any) -> Acknowledgement:
    return Acknowledgement(
        str(row.hsa_id), int(row.revision), str(row.email), utc(row.at), str(row.content_hash)
    )


class AcknowledgementRows(Rows):
    def add(self, hsa_id: str, revision: int, email: str, content_hash: str) -> Acknowledgement:
        made = Acknowledgement(hsa_id, revision, email, self.now, content_hash)
        self.connection.execute(
            insert(acknowledgements).values(
                hsa_id=hsa_id,
                revision=revision,
                email=email,
                at=self.now,
                content_hash=content_hash,
            )
        )
        return made

    def of_units(self, hsa_ids: Iterable[str]) -> list[Acknowledgement]:
        statement = (
            select(acknowledgements)
            .where(acknowledgements.c.hsa_id.in_(list(hsa_ids)))
            .order_by(acknowledgements.c.id)
        )
        return [_from(r) for r in self.connection.execute(statement)]

    def all(self) -> list[Acknowledgement]:
        statement = select(acknowledgements).order_by(acknowledgements.c.id)
        return [_from(r) for r in self.connection.execute(statement)]
