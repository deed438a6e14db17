"""What the wizard shows beside a draft: the recommendation for the unit as corrected, the
variant chosen, what is then required and still missing as decided, the outcome that
follows, every deviation and every correction; worked out in one call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from logic.domain.assessment import (
    Deviation,
    Draft,
    corrections,
    decided_requirements,
    deviations,
    expected_outcome,
    needs_response_time,
    recommended,
)
from logic.domain.catalog import Catalog
from logic.domain.models import Recommendation


class DraftView(BaseModel):
    """What the wizard shows beside a draft, computed in one call: the recommendation for the
    unit as corrected, the variant chosen, what is then required and still missing as
    decided, the outcome that follows, every deviation and every correction."""

    model_config = ConfigDict(frozen=True)

    recommendation: Recommendation
    variant: str | None  # the variant chosen (the recommended one unless changed)
    required: tuple[str, ...]
    missing: tuple[str, ...]
    expected_outcome: str
    deviations: tuple[Deviation, ...]
    corrections: dict[str, tuple[Any, Any]]
    needs_response_time: bool


def view(draft: Draft, cat: Catalog, today: dt.date) -> DraftView:
    """The draft as the wizard presents it (see DraftView)."""
    found = recommended(draft, cat, today)
    rec, chosen = found.recommendation, found.chosen
    required, missing = decided_requirements(draft, chosen)
    return DraftView(
        recommendation=rec,
        variant=draft.chosen_variant(rec),
        required=required,
        missing=missing,
        expected_outcome=expected_outcome(rec, draft.exemption),
        deviations=tuple(deviations(draft, rec)),
        corrections=corrections(draft),
        needs_response_time=needs_response_time(draft, rec),
    )
