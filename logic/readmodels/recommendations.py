"""The register's cached recommendations (the units' recommended_* columns, which the
overviews aggregate in SQL), made again where they were made under another catalog."""

from __future__ import annotations

import datetime as dt

from logic.domain.catalog import Catalog
from logic.domain.models import Unit
from logic.domain.rules import recommend
from logic.store.store import Tx


def refresh_stale(tx: Tx, cat: Catalog, today: dt.date, actor: str) -> int:
    """In the caller's transaction (which serializes "units"): recompute the recommendations
    made under another catalog version, on the record. Returns how many units."""
    stale: list[Unit] = tx.units.with_other_catalog(cat.version)
    if stale:
        tx.units.upsert([(u, recommend(u, cat, today)) for u in stale], actor)
        tx.audit.append(
            actor, "refresh_recommendations", {"catalog_version": cat.version, "units": len(stale)}
        )
    return len(stale)
