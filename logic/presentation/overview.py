"""Tables for the start page (Översikt), built from the recommendation counts,
with the words of the chosen language. Charts and their data tables use the same frames."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from logic.domain.catalog import Catalog
from logic.domain.codes import RECOMMENDED_OUTCOMES
from logic.domain.follow_up import RecommendationCount
from logic.i18n import t
from logic.presentation import labels


def outcome_label(code: str, lang: str) -> str:
    return t(f"outcome.{code}", lang)


def forvaltningar(rows: Sequence[RecommendationCount]) -> list[str]:
    return sorted({str(r.forvaltning) for r in rows})


def filter_rows(
    rows: Sequence[RecommendationCount], forvaltning: str | None
) -> list[RecommendationCount]:
    return [r for r in rows if forvaltning is None or r.forvaltning == forvaltning]


def totals(rows: Sequence[RecommendationCount]) -> dict[str, int]:
    """Units per recommended outcome, every outcome present (0 when none)."""
    counts = dict.fromkeys(RECOMMENDED_OUTCOMES, 0)
    for r in rows:
        counts[r.outcome] += r.count
    return counts


def by_outcome(rows: Sequence[RecommendationCount], lang: str) -> pd.DataFrame:
    counts = totals(rows)
    return pd.DataFrame(
        {
            t("overview.col_outcome", lang): [outcome_label(o, lang) for o in RECOMMENDED_OUTCOMES],
            t("overview.col_units", lang): [counts[o] for o in RECOMMENDED_OUTCOMES],
        }
    )


def by_variant(rows: Sequence[RecommendationCount], cat: Catalog, lang: str) -> pd.DataFrame:
    """Units in scope per recommended variant (units not in scope have no variant)."""
    counts = {v.code: 0 for v in cat.variants}
    for r in rows:
        if r.variant:
            counts[r.variant] += r.count
    return pd.DataFrame(
        {
            t("overview.col_variant", lang): [labels.variant(v, cat, lang) for v in counts],
            t("overview.col_units", lang): list(counts.values()),
        }
    )


def by_forvaltning(rows: Sequence[RecommendationCount], lang: str) -> pd.DataFrame:
    """One row per administration, one column per outcome, and the total."""
    names = forvaltningar(rows)
    table: dict[str, list[Any]] = {t("overview.col_forvaltning", lang): names}
    for outcome in RECOMMENDED_OUTCOMES:
        table[outcome_label(outcome, lang)] = [
            sum(r.count for r in rows if r.forvaltning == f and r.outcome == outcome) for f in names
        ]
    table[t("overview.col_total", lang)] = [
        sum(r.count for r in rows if r.forvaltning == f) for f in names
    ]
    return pd.DataFrame(table)
