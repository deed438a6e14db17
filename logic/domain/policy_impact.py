"""What a changed catalog (the policy: case types, variants, grounds, rules, parameters,
templates and timetables) changes for one unit, before it takes effect: its recommendation
(outcome, variant, required, missing) and its roll-out per case type (deadline, status, on
time), each as it is under the catalog in force and as it would be under the proposed one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from logic.domain.models import Recommendation
from logic.domain.rollout import RolloutRow

# what can change, in the order a reader takes it in: the recommendation, then the roll-out
What = Literal["utfall", "variant", "kravda", "saknas", "frist", "status", "i_tid"]
RECOMMENDATION: tuple[What, ...] = ("utfall", "variant", "kravda", "saknas")
ROLLOUT: tuple[What, ...] = ("frist", "status", "i_tid")
NOT_ASKED = "inte_kravd"  # a case type asked under one catalog only, under the other


@dataclass(frozen=True)
class Change:
    """One thing that changes for one unit: codes as stored (a list joined by "|", a date
    as YYYY-MM-DD, "" for none); `arendetyp` names the case type of a roll-out change."""

    hsa_id: str
    enhet: str
    forvaltning: str
    what: What
    arendetyp: str
    before: str
    after: str


def _code(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "|".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def recommendation_changes(
    unit: tuple[str, str, str], before: Recommendation, after: Recommendation
) -> list[Change]:
    """What the rules recommend under the two catalogs (`unit`: HSA-id, name, administration)."""
    return [
        Change(*unit, what, "", _code(old), _code(new))
        for what, old, new in (
            ("utfall", before.outcome, after.outcome),
            ("variant", before.variant, after.variant),
            ("kravda", before.required, after.required),
            ("saknas", before.missing, after.missing),
        )
        if old != new
    ]


def rollout_changes(
    unit: tuple[str, str, str],
    before: Sequence[RolloutRow] | None,
    after: Sequence[RolloutRow] | None,
) -> list[Change]:
    """The roll-out per case type under the two catalogs (None: the unit is out of scope; a
    case type asked under one catalog only is NOT_ASKED under the other, which is not the
    same as asked without a deadline: "")."""
    old = {r.arendetyp: r for r in before or ()}
    new = {r.arendetyp: r for r in after or ()}
    found = []
    for case_type in sorted(old.keys() | new.keys()):
        for what in ROLLOUT:
            was = _code(getattr(old[case_type], what)) if case_type in old else NOT_ASKED
            will = _code(getattr(new[case_type], what)) if case_type in new else NOT_ASKED
            if was != will:
                found.append(Change(*unit, what, case_type, was, will))
    return found


def units_per_forvaltning(changes: Iterable[Change]) -> dict[str, int]:
    """How many units change, per administration (each unit once, however much changes)."""
    return dict(sorted(Counter(f for _, f in {(c.hsa_id, c.forvaltning) for c in changes}).items()))
