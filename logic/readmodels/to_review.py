"""Decisions that should be reviewed (bör omprövas) since the policy changed: each decision
in force made under another catalog version whose recommendation, for the facts it was made
on, is now different under the catalog in force, with what changed. Kept until something is
written (kept.py): Översikt and the register's filter ask on every rerun."""

from __future__ import annotations

import datetime as dt

from logic.domain.catalog import Catalog
from logic.domain.models import Recommendation, Unit
from logic.domain.policy_impact import Change, recommendation_changes
from logic.domain.rules import Recommendations
from logic.readmodels.kept import Kept
from logic.store.store import Tx

_KEPT: Kept[list[Change]] = Kept()


def decisions_to_review(tx: Tx, cat: Catalog, today: dt.date) -> list[Change]:
    """What changed in each such decision's recommendation (outcome, variant, required,
    missing), one Change each, in the register's order (administration, name)."""
    return list(_KEPT.get(tx, (cat.version, today), lambda: _to_review(tx, cat, today)))


def _to_review(tx: Tx, cat: Catalog, today: dt.date) -> list[Change]:
    now = Recommendations(cat, today)
    found: list[Change] = []
    for hsa_id, namn, forvaltning, inputs, recommendation in tx.revisions.in_force_under_other(
        cat.version
    ):
        before = Recommendation.model_validate(recommendation)
        after = now(Unit.model_validate(inputs))
        found += recommendation_changes((hsa_id, namn, forvaltning), before, after)
    return found


def to_review_ids(changes: list[Change]) -> list[str]:
    """The units whose decisions should be reviewed, once each, in order."""
    return list(dict.fromkeys(c.hsa_id for c in changes))
