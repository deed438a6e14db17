"""Keeping the roll-out now (the projection the page and exports aggregate in SQL) true to
the history: a unit's rows made again when it is observed or a decision on it is approved,
and everything when the catalog changes. Inside the writing action's own transaction, so the
projection never disagrees with what was just written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from logic.clock import local_day
from logic.domain.catalog import Catalog
from logic.domain.rollout import RolloutRow, Seen, progress
from logic.readmodels.rollout_history import has_template, units_rows
from logic.store.store import Store, Tx

BATCH = 5000  # projection rows written per statement when everything is made again


def projection_row(row: RolloutRow, cat: Catalog) -> dict[str, Any]:
    return {
        "hsa_id": row.hsa_id,
        "arendetyp": row.arendetyp,
        "enhet": row.enhet,
        "forvaltning": row.forvaltning,
        "exempted": row.status == "undantaget",
        "in_place": row.status in ("infort_mall", "infort"),
        "mall": row.mall,
        "infort_efter": row.infort_efter,
        "infort_senast": row.infort_senast,
        "removed_efter": row.removed_efter,
        "removed_senast": row.removed_senast,
        "frist": row.frist,
        "frist_scope": cat.deadline_scope(row.arendetyp, row.forvaltning) if row.frist else "",
        "i_tid": row.i_tid,
        "basis": row.basis,
        "catalog_version": cat.version,
    }


def as_stored_and_made(tx: Tx, cat: Catalog) -> Iterator[tuple[str, Any, Any]]:
    """Each row of the roll-out now as stored beside the same row made again from the record
    as it stands (None where one side has none), unit by unit, then each of its progress
    counts over time likewise: what verification compares.
    Nothing when the projection was made under another catalog (the app makes it again at
    its start). The stored rows are held by unit while the made ones stream past."""
    if tx.rollout.is_stale(cat.version):
        return
    stored: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in tx.rollout.all_rows():
        stored[row["hsa_id"]][row["arendetyp"]] = row
    for unit, _, mine in units_rows(tx, local_day(tx.now), None, cat):
        theirs = stored.pop(unit.hsa_id, {})
        ours = {r.arendetyp: projection_row(r, cat) for r in mine}
        for arendetyp in sorted(theirs.keys() | ours.keys()):
            yield f"{unit.hsa_id} {arendetyp}", theirs.get(arendetyp), ours.get(arendetyp)
    for hsa_id in sorted(stored):  # rows of units the record puts nowhere in the roll-out
        for arendetyp, row in sorted(stored[hsa_id].items()):
            yield f"{hsa_id} {arendetyp}", row, None
    # and the progress over time, made from the observations and the projection just checked
    for where, counted, made in tx.rollout.progress_as_stored_and_made(templated_codes(cat)):
        yield f"{where} (progress)", counted, made


def refresh_units(tx: Tx, cat: Catalog, hsa_ids: Sequence[str]) -> None:
    """These units' rows made again from everything known now (after they were observed);
    the progress is made again once per import (rebuild_progress)."""
    today = local_day(tx.now)
    rows = [
        projection_row(r, cat)
        for _, _, mine in units_rows(tx, today, None, cat, hsa_ids)
        for r in mine
    ]
    tx.rollout.replace(hsa_ids, rows)


class UnitPart(NamedTuple):
    """One unit's observations (one per day) and roll-out rows: its part of the progress."""

    seen: list[Seen]
    rows: list[RolloutRow]


def unit_part(tx: Tx, cat: Catalog, hsa_id: str) -> UnitPart:
    found = list(units_rows(tx, local_day(tx.now), None, cat, [hsa_id], everyone=True))
    return UnitPart(found[0][1], found[0][2]) if found else UnitPart([], [])


def refresh_reported(tx: Tx, cat: Catalog, hsa_id: str, before: UnitPart) -> None:
    """After the unit reported an e-service: its rows made again, and its part of the
    progress moved from what it was `before` (a report on the day of a file observation
    stands for that day, as a correction does) to what it is now."""
    now = unit_part(tx, cat, hsa_id)
    deltas: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0])
    templated = has_template(cat)
    _add(deltas, progress(now.seen, now.rows, templated), 1)
    _add(deltas, progress(before.seen, before.rows, templated), -1)
    tx.rollout.replace([hsa_id], [projection_row(r, cat) for r in now.rows])
    tx.rollout.add_progress(deltas)


def refresh_decided(tx: Tx, cat: Catalog, hsa_id: str) -> None:
    """After a decision on the unit was approved: its rows, and its part of the progress,
    made again (what it is required to have may have changed)."""
    old = [
        _Brief(r.forvaltning, r.arendetyp, "undantaget" if r.exempted else "")
        for r in tx.rollout.rows_of([hsa_id])
    ]
    today = local_day(tx.now)
    found = list(units_rows(tx, today, None, cat, [hsa_id], everyone=True))
    seen, new = (found[0][1], found[0][2]) if found else ([], [])
    deltas: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0])
    templated = has_template(cat)
    _add(deltas, progress(seen, new, templated), 1)
    _add(deltas, progress(seen, old, templated), -1)
    tx.rollout.replace([hsa_id], [projection_row(r, cat) for r in new])
    tx.rollout.add_progress(deltas)


def refresh_all(store: Store, cat: Catalog) -> bool:
    """Everything made again when the projection was made under another catalog or never
    (after the upgrade that added it). Returns whether it was."""
    with store.transaction() as tx:
        tx.serialize("units")  # not beside an import
        return refresh_if_stale(tx, cat)


def refresh_if_stale(tx: Tx, cat: Catalog) -> bool:
    """In the caller's transaction (which serializes "units"): everything made again if the
    projection is stale."""
    if not tx.rollout.is_stale(cat.version):
        return False
    tx.rollout.clear()
    batch: list[dict[str, Any]] = []
    registered = tx.units.count()
    with tx.rollout.writing_many(registered, registered):  # every unit's rows
        for _, _, mine in units_rows(tx, local_day(tx.now), None, cat):
            batch += [projection_row(r, cat) for r in mine]
            if len(batch) >= BATCH:
                tx.rollout.replace([], batch)
                batch = []
        tx.rollout.replace([], batch)
    tx.rollout.rebuild_progress(templated_codes(cat))
    return True


class _Brief(NamedTuple):  # what a unit's part of the progress depends on
    forvaltning: str
    arendetyp: str
    status: str


def _add(deltas: dict[Any, list[int]], parts: Iterable[Any], sign: int) -> None:
    for key, (n, there, templated) in parts:
        total = deltas[key]
        total[0] += sign * n
        total[1] += sign * there
        total[2] += sign * templated


def templated_codes(cat: Catalog) -> list[str]:
    """The case types with a regional template (only they can be on one)."""
    return [m.case_type for m in cat.templates]
