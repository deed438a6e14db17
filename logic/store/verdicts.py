"""Four-eyes verdicts: append-only, one per revision, bound to the content hash the approver
saw."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from logic.domain.record import StoredVerdict
from logic.store.rows import Rows, utc
from logic.store.schema import approvals


class VerdictRows(Rows):
    def add(self, approval: StoredVerdict) -> str | None:
        """Append a verdict; refused with "already_decided" (nothing written) if the revision
        has one already (a concurrent verdict landed first)."""
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(approvals).values(**approval.model_dump()))
        except IntegrityError:
            return "already_decided"
        return None

    def given(self, hsa_id: str | None = None) -> list[StoredVerdict]:
        """Verdicts in the order given: one unit's, or every one (for verification)."""
        statement = select(approvals).order_by(approvals.c.id)
        if hsa_id is not None:
            statement = statement.where(approvals.c.hsa_id == hsa_id)
        return [
            StoredVerdict.model_validate(r._asdict() | {"at": utc(r.at)})
            for r in self.connection.execute(statement)
        ]
