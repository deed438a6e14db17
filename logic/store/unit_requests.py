"""A unit manager's requests and their answers (answered once)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select, update

from logic.domain.unit_requests import UnitRequest
from logic.store.rows import Rows, utc
from logic.store.schema import unit_requests


def _from(row: Any) -> UnitRequest:
    return UnitRequest(
        number=int(row.number),
        hsa_id=str(row.hsa_id),
        kind=str(row.kind),
        reason=str(row.reason),
        asked_by=str(row.asked_by),
        asked_at=utc(row.asked_at),
        answer=row.answer,
        answered_by=row.answered_by,
        answered_at=utc(row.answered_at) if row.answered_at else None,
        answered_revision=row.answered_revision,
    )


class UnitRequestRows(Rows):
    def add(self, hsa_id: str, kind: str, reason: str, email: str) -> UnitRequest:
        values = {"hsa_id": hsa_id, "kind": kind, "reason": reason}
        values |= {"asked_by": email, "asked_at": self.now}
        result = self.connection.execute(insert(unit_requests).values(**values))
        number = int(result.inserted_primary_key[0])
        return UnitRequest(number=number, **values)

    def get(self, number: int) -> UnitRequest | None:
        statement = select(unit_requests).where(unit_requests.c.number == number)
        row = self.connection.execute(statement).first()
        return _from(row) if row else None

    def answer(self, number: int, answer: str, email: str, revision: int | None = None) -> bool:
        """The answer (in words, or the `revision` approved that answers it), if the request
        has none yet (a second answer at once writes nothing: False)."""
        statement = (
            update(unit_requests)
            .where(unit_requests.c.number == number, unit_requests.c.answered_at.is_(None))
            .values(
                answer=answer, answered_by=email, answered_at=self.now, answered_revision=revision
            )
        )
        return self.connection.execute(statement).rowcount == 1

    def of_units(self, hsa_ids: Iterable[str]) -> list[UnitRequest]:
        statement = (
            select(unit_requests)
            .where(unit_requests.c.hsa_id.in_(list(hsa_ids)))
            .order_by(unit_requests.c.number)
        )
        return [_from(r) for r in self.connection.execute(statement)]

    def unanswered(self, hsa_id: str | None = None) -> list[UnitRequest]:
        """The requests not answered yet (about one unit, or every unit), oldest first."""
        statement = (
            select(unit_requests)
            .where(unit_requests.c.answered_at.is_(None))
            .order_by(unit_requests.c.number)
        )
        if hsa_id is not None:
            statement = statement.where(unit_requests.c.hsa_id == hsa_id)
        return [_from(r) for r in self.connection.execute(statement)]

    def all(self) -> list[UnitRequest]:
        statement = select(unit_requests).order_by(unit_requests.c.number)
        return [_from(r) for r in self.connection.execute(statement)]
