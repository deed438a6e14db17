"""Services: one function per user action, each in one transaction. `actor` is always a
parameter, so sign-in (a later step) only has to supply who it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from logic.catalog import Catalog, catalog
from logic.models import Unit
from logic.rules import recommend
from logic.store.store import Store
from logic.unit_file import read_units


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


def import_units(
    store: Store,
    data: bytes,
    actor: str,
    source: str,
    lang: str = "sv",
    cat: Catalog | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Validate every row first (UnitFileError lists them all, nothing written); then upsert
    by hsa_id with each unit's recommendation, and record the import in the audit log."""
    cat = cat or catalog()
    units = read_units(data, lang)
    pairs = [(u, recommend(u, cat, today)) for u in units]
    with store.transaction() as tx:
        counts = tx.upsert_units(pairs, actor)
        tx.append_audit(actor, "import_units", {"source": source, **counts})
    return ImportResult(**counts)


def seed_sample_units(store: Store, path: Path, actor: str = "system") -> ImportResult | None:
    """Load the sample units into an empty register; leave a register with units alone."""
    with store.transaction() as tx:
        if tx.unit_count() > 0:
            return None
    return import_units(store, path.read_bytes(), actor, source=f"sample:{path.name}")


def refresh_recommendations(store: Store, actor: str = "system", cat: Catalog | None = None) -> int:
    """Recompute cached recommendations made under another catalog version (after an edit of
    the reference data). Returns how many units were refreshed."""
    cat = cat or catalog()
    with store.transaction() as tx:
        stale: list[Unit] = tx.units_with_other_catalog(cat.version)
        if stale:
            tx.upsert_units([(u, recommend(u, cat)) for u in stale], actor)
            tx.append_audit(
                actor,
                "refresh_recommendations",
                {"catalog_version": cat.version, "units": len(stale)},
            )
    return len(stale)


def overview(store: Store) -> list[dict[str, object]]:
    """Units per administration, recommended outcome and variant (for the start page)."""
    with store.transaction() as tx:
        return tx.recommendation_counts()
