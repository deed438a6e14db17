"""Work in progress: one open draft per unit, updated in place, removed when submitted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, update

from logic.domain.record import StoredDraft
from logic.store.rows import Rows, utc
from logic.store.schema import drafts


class DraftRows(Rows):
    def draft(self, hsa_id: str) -> StoredDraft | None:
        row = self.connection.execute(select(drafts).where(drafts.c.hsa_id == hsa_id)).first()
        if row is None:
            return None
        return StoredDraft.model_validate(
            row._asdict() | {"since": utc(row.since), "updated_at": utc(row.updated_at)}
        )

    def insert_draft(self, hsa_id: str, holder: str, data: dict[str, Any]) -> StoredDraft:
        values = {
            "hsa_id": hsa_id,
            "holder": holder,
            "since": self.now,
            "updated_at": self.now,
            "data": data,
        }
        self.connection.execute(insert(drafts).values(**values))
        return StoredDraft.model_validate(values)

    def update_draft(self, hsa_id: str, holder: str, data: dict[str, Any]) -> bool:
        """Save the draft if `holder` still holds it; False when someone took it over."""
        result = self.connection.execute(
            update(drafts)
            .where(drafts.c.hsa_id == hsa_id, drafts.c.holder == holder)
            .values(data=data, updated_at=self.now)
        )
        return result.rowcount == 1

    def take_over_draft(self, hsa_id: str, holder: str) -> bool:
        result = self.connection.execute(
            update(drafts)
            .where(drafts.c.hsa_id == hsa_id)
            .values(holder=holder, since=self.now, updated_at=self.now)
        )
        return result.rowcount == 1

    def delete_draft(self, hsa_id: str) -> None:
        self.connection.execute(delete(drafts).where(drafts.c.hsa_id == hsa_id))
