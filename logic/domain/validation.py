"""Validation of an assessment: the problems that keep the assessor from leaving a step or
submitting, each at its field, and the checks on every free text (length, no personal
identity numbers: a public record must never carry patient data)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from logic.domain.assessment import (
    STEPS,
    Draft,
    deviations,
    grounds_for,
    needs_response_time,
    review_bounds,
)
from logic.domain.catalog import Catalog
from logic.domain.rules import recommend

TEXT_MAX = 4000

# A Swedish personal identity number (personnummer / samordningsnummer), with or without
# century and separator. Free text in a public record must never carry patient data.
PERSONNUMMER = re.compile(r"(?<!\d)(\d{2})?\d{2}[01]\d[0-9]\d[-+ ]?\d{4}(?!\d)")


class FieldError(BaseModel):
    """A validation problem at one field: the message key (i18n) and its parameters."""

    model_config = ConfigDict(frozen=True)

    field: str
    message: str
    params: dict[str, Any] = Field(default_factory=dict)


def text_errors(
    field: str, value: str, required: bool, missing: str = "wizard.err.required"
) -> list[FieldError]:
    if required and not value.strip():
        return [FieldError(field=field, message=missing)]
    if len(value) > TEXT_MAX:
        return [FieldError(field=field, message="wizard.err.too_long", params={"max": TEXT_MAX})]
    if PERSONNUMMER.search(value):
        return [FieldError(field=field, message="wizard.err.personnummer")]
    return []


def validate_step(step: str, draft: Draft, cat: Catalog, today: dt.date) -> list[FieldError]:
    """The problems that keep the assessor from leaving `step`, each at its field."""
    rec = recommend(draft.unit, cat, today)
    errors: list[FieldError] = []
    if step == "enheten":
        for field in ("namn", "forvaltning"):
            errors += text_errors(field, getattr(draft.unit, field), required=True)
    elif step == "omfattning":
        if draft.unit.driftsform == "avtal_upphandlad" and draft.unit.avtalsanalys_klar is None:
            errors.append(FieldError(field="avtalsanalys_klar", message="wizard.err.choose"))
    elif step == "variant":
        if draft.variant is not None and draft.variant != rec.variant:
            errors += text_errors(
                "variant_justification",
                draft.variant_justification,
                required=True,
                missing="wizard.err.justify_variant",
            )
    elif step == "undantag":
        errors += _validate_exemption(draft, cat, today)
    elif step == "svarstid":
        if needs_response_time(draft, rec):
            if not draft.response_time:
                errors.append(FieldError(field="response_time", message="wizard.err.choose"))
            elif (
                not cat.policy.response_time(draft.response_time).within_goal
                and not draft.citizen_informed
            ):
                errors.append(
                    FieldError(field="citizen_informed", message="wizard.err.citizen_informed")
                )
    elif step == "beslut":
        if draft.outcome is None:
            errors.append(FieldError(field="outcome", message="wizard.err.choose"))
        errors += text_errors(
            "decision_text", draft.decision_text, required=True, missing="wizard.err.decision_text"
        )
        errors += text_errors(
            "rationale", draft.rationale, required=True, missing="wizard.err.rationale"
        )
        for deviation in deviations(draft, rec):
            if deviation.code == "variant":
                continue  # justified at the variant step
            errors += text_errors(
                f"justification_{deviation.code}",
                draft.justifications.get(deviation.code, ""),
                required=True,
                missing="wizard.err.justify_deviation",
            )
    return errors


def _validate_exemption(draft: Draft, cat: Catalog, today: dt.date) -> list[FieldError]:
    ex = draft.exemption
    if ex.scope == "ingen":
        return []
    errors: list[FieldError] = []
    offered = grounds_for(draft.unit, ex.scope, cat)
    if any(g not in offered for g in ex.grounds):
        errors.append(
            FieldError(
                field="exemption_grounds",
                message="wizard.err.ground_not_offered",
                params={"grounds": ", ".join(g for g in ex.grounds if g not in offered)},
            )
        )
    if ex.scope == "per_arendetyp" and not ex.case_types:
        errors.append(FieldError(field="exemption_case_types", message="wizard.err.case_types"))
    if not ex.grounds:
        errors.append(FieldError(field="exemption_grounds", message="wizard.err.grounds"))
    if "annat" in ex.grounds:
        errors += text_errors(
            "exemption_other_ground",
            ex.other_ground,
            required=True,
            missing="wizard.err.other_ground",
        )
    errors += text_errors(
        "exemption_rationale", ex.rationale, required=True, missing="wizard.err.exemption_rationale"
    )
    earliest, _, latest = review_bounds(today, cat)
    if ex.review_date is None:
        errors.append(FieldError(field="exemption_review_date", message="wizard.err.review_date"))
    elif not earliest <= ex.review_date <= latest:
        errors.append(
            FieldError(
                field="exemption_review_date",
                message="wizard.err.review_range",
                params={
                    "earliest": earliest.isoformat(),
                    "latest": latest.isoformat(),
                    "months": cat.policy.review_max_months,
                },
            )
        )
    return errors


def validate_all(draft: Draft, cat: Catalog, today: dt.date) -> dict[str, list[FieldError]]:
    """Every step's problems; empty when the draft can be recorded as a decision."""
    found = {step: validate_step(step, draft, cat, today) for step in STEPS}
    return {step: errors for step, errors in found.items() if errors}
