"""The impact of a proposed catalog: every unit of the register whose recommendation or
roll-out would change under it, as of a date (domain/policy_impact.py says what changes).
The history is read once; each unit is worked out under both catalogs, the rules once per
distinct set of facts and catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from logic.domain.catalog import Catalog
from logic.domain.policy_impact import Change, recommendation_changes, rollout_changes
from logic.domain.rules import Recommendations
from logic.readmodels.rollout_history import rows_of, unit_histories
from logic.store.store import Tx


def impact(tx: Tx, as_of: dt.date, current: Catalog, proposed: Catalog) -> Iterator[Change]:
    """The changes, unit by unit in the register's order (administration, name, HSA-id), each
    unit's recommendation first and then its roll-out by case type."""
    before, after = Recommendations(current, as_of), Recommendations(proposed, as_of)
    found: list[list[Change]] = []
    for unit, seen, decision in unit_histories(tx, as_of, None):
        who = (unit.hsa_id, unit.namn, unit.forvaltning)
        changes = recommendation_changes(who, before(unit), after(unit))
        changes += rollout_changes(
            who,
            rows_of(unit, seen, decision, current, before),
            rows_of(unit, seen, decision, proposed, after),
        )
        if changes:
            found.append(changes)
    found.sort(key=lambda changes: (changes[0].forvaltning, changes[0].enhet, changes[0].hsa_id))
    for changes in found:
        yield from changes
