"""Follow-up (Uppföljning and the start page): what the aggregates give the pages. Each unit
counts by its newest decision; `in_force` counts only approved ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class RecommendationCount:
    """Units per administration by the rules' recommendation (before any decision)."""

    forvaltning: str
    outcome: str  # the recommended outcome
    variant: str | None  # the recommended variant
    count: int


@dataclass(frozen=True, slots=True)
class OutcomeCount:
    forvaltning: str
    outcome: str  # the newest decision's outcome, or ej_bedomd
    count: int


@dataclass(frozen=True, slots=True)
class LatestApproval:
    hsa_id: str
    namn: str
    forvaltning: str
    outcome: str
    approver: str
    approved_at: dt.datetime


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    """The follow-up report's row for one administration (verksamhetsuppföljning). The field
    names are the report's column codes (report.<name> in the message catalog)."""

    forvaltning: str
    enheter: int
    ej_bedomda: int
    omfattas: int
    undantagna: int
    delvis_undantagna: int
    avvaktar: int
    ej_omfattade: int
    omprovning_forsenad: int
    omprovas_30: int
    omprovas_90: int
    avviker: int
    under_lagstaniva: int
    for_beslut: int
    faststallda: int
    med_faststallt_beslut: int
    aterremitterade: int


COUNTS = tuple(f.name for f in fields(FollowUpRow) if f.name != "forvaltning")


@dataclass(frozen=True)
class FollowUp:
    """Everything the follow-up page shows, from one transaction."""

    outcomes: list[OutcomeCount]
    grounds: dict[str, int]
    by_forvaltning: list[FollowUpRow]
    latest_approvals: list[LatestApproval]
