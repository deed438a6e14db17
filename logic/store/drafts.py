"""Work in progress: one open draft per unit, updated in place, removed when submitted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, update

from logic.domain.record import StoredDraft
from logic.store.rows import Rows, codes, utc
from logic.store.schema import drafts


class DraftRows(Rows):
    def get(self, hsa_id: str) -> StoredDraft | None:
        row = self.connection.execute(select(drafts).where(drafts.c.hsa_id == hsa_id)).first()
        if row is None:
            return None
        return StoredDraft.model_validate(
            row._asdict()
            | {
                "since": utc(row.since),
                "updated_at": utc(row.updated_at),
                "editors": codes(row.editors),
            }
        )

    def insert(
        self, hsa_id: str, holder: str, data: dict[str, Any], editors: tuple[str, ...] = ()
    ) -> StoredDraft:
        """A new draft held by `holder`; `editors` are earlier writers carried on with it."""
        values = {
            "hsa_id": hsa_id,
            "holder": holder,
            "since": self.now,
            "updated_at": self.now,
            "data": data,
        }
        everyone = tuple(dict.fromkeys([*editors, holder]))
        self.connection.execute(insert(drafts).values(**values, editors="|".join(everyone)))
        return StoredDraft.model_validate(values | {"editors": everyone})

    def update(self, hsa_id: str, holder: str, data: dict[str, Any]) -> bool:
        """Save the draft if `holder` still holds it; False when someone took it over."""
        result = self.connection.execute(
            update(drafts)
            .where(drafts.c.hsa_id == hsa_id, drafts.c.holder == holder)
            .values(data=data, updated_at=self.now, editors=self._with_editor(hsa_id, holder))
        )
        return result.rowcount == 1

    def take_over(self, hsa_id: str, holder: str) -> bool:
        result = self.connection.execute(
            update(drafts)
            .where(drafts.c.hsa_id == hsa_id)
            .values(
                holder=holder,
                since=self.now,
                updated_at=self.now,
                editors=self._with_editor(hsa_id, holder),
            )
        )
        return result.rowcount == 1

    def _with_editor(self, hsa_id: str, editor: str) -> str:
        """The draft's editors with `editor` added (in the order they first wrote)."""
        stored = self.connection.execute(
            select(drafts.c.editors).where(drafts.c.hsa_id == hsa_id)
        ).scalar_one_or_none()
        return "|".join(dict.fromkeys([*codes(stored), editor]))

    def delete(self, hsa_id: str) -> None:
        self.connection.execute(delete(drafts).where(drafts.c.hsa_id == hsa_id))
