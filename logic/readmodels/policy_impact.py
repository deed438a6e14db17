"""The impact of a proposed catalog: every unit of the register whose recommendation or
roll-out would change under it, as of a date (domain/policy_impact.py says what changes).
The history is read once; each unit is worked out under both catalogs, the rules once per
distinct set of facts and catalog, and its roll-out rows only when what they depend on
differs (what is asked of it, or a deadline or template of a case type asked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import cache

from logic.domain.catalog import Catalog
from logic.domain.policy_impact import Change, recommendation_changes, rollout_changes
from logic.domain.rules import Recommendations
from logic.readmodels.rollout_history import RowsFor, requirement, unit_histories
from logic.store.store import Tx


def impact(tx: Tx, as_of: dt.date, current: Catalog, proposed: Catalog) -> Iterator[Change]:
    """The changes, unit by unit in the register's order (administration, name, HSA-id), each
    unit's recommendation first and then its roll-out by case type."""
    before, after = Recommendations(current, as_of), Recommendations(proposed, as_of)
    rows_before, rows_after = RowsFor(current, as_of), RowsFor(proposed, as_of)
    moved = moved_case_types(current, proposed)
    found: list[list[Change]] = []
    for unit, seen, decision in unit_histories(tx, as_of, None):
        who = (unit.hsa_id, unit.namn, unit.forvaltning)
        changes = recommendation_changes(who, before(unit), after(unit))
        was = requirement(unit, decision, current, before)
        will = requirement(unit, decision, proposed, after)
        asked = {*was.required, *was.exempted} if was is not None else set()
        if was != will or asked & moved(unit.forvaltning):
            changes += rollout_changes(
                who,
                None if was is None else rows_before(unit, seen, was),
                None if will is None else rows_after(unit, seen, will),
            )
        if changes:
            found.append(changes)
    found.sort(key=lambda changes: (changes[0].forvaltning, changes[0].enhet, changes[0].hsa_id))
    for changes in found:
        yield from changes


def moved_case_types(current: Catalog, proposed: Catalog) -> Callable[[str], frozenset[str]]:
    """Per administration, the case types whose deadline or template differs between the two
    catalogs: only a unit asked for one of them can see its roll-out rows change (when what
    is asked of it is the same)."""
    codes = [c.code for c in current.case_types]  # every catalog has the same (Catalog)

    @cache
    def moved(forvaltning: str) -> frozenset[str]:
        return frozenset(
            code
            for code in codes
            if current.deadline(code, forvaltning) != proposed.deadline(code, forvaltning)
            or (current.template(code) is None) != (proposed.template(code) is None)
        )

    return moved
