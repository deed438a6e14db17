"""Validation of an assessment: the problems that keep the assessor from leaving a step or
submitting, each at its field, and the checks on every free text (length, no personal
identity numbers: a public record must never carry patient data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from logic.domain.assessment import (
    SCOPE_OF_OUTCOME,
    STEPS,
    Draft,
    Recommended,
    carried_texts,
    deviations,
    grounds_for,
    needs_response_time,
    recommended,
    review_bounds,
)
from logic.domain.catalog import Catalog
from logic.domain.models import Recommendation
from logic.domain.text import contains_personnummer, invisible_characters

TEXT_MAX = 4000


class FieldError(BaseModel):
    """A validation problem at one field: the message key (i18n) and its parameters."""

    model_config = ConfigDict(frozen=True)

    field: str
    message: str
    params: dict[str, Any] = Field(default_factory=dict)


def text_errors(
    field: str,
    value: str,
    required: bool,
    missing: str = "wizard.err.required",
    one_line: bool = False,
) -> list[FieldError]:
    """What is wrong with a free text: missing, too long, an invisible or control character
    (named by its code point; in a text of `one_line`, a line break too), or something that
    reads as a personal identity number (a public record must never carry patient data)."""
    if required and not value.strip():
        return [FieldError(field=field, message=missing)]
    if len(value) > TEXT_MAX:
        return [FieldError(field=field, message="wizard.err.too_long", params={"max": TEXT_MAX})]
    if contains_personnummer(value):  # first: it is what must never be kept
        return [FieldError(field=field, message="wizard.err.personnummer")]
    invisible = invisible_characters(value)
    if one_line:
        invisible += [f"U+{ord(c):04X}" for c in dict.fromkeys(value) if c in "\t\n"]
    if invisible:
        return [
            FieldError(
                field=field, message="wizard.err.invisible", params={"chars": ", ".join(invisible)}
            )
        ]
    return []


def draft_text_errors(draft: Draft) -> list[FieldError]:
    """Every free text of a draft, checked whenever it is saved (nothing is required yet):
    what the record must never hold is refused before it reaches the database."""
    ex = draft.exemption
    texts = {
        "namn": draft.unit.namn,
        "forvaltning": draft.unit.forvaltning,
        "variant_justification": draft.variant_justification,
        "exemption_other_ground": ex.other_ground,
        "exemption_rationale": ex.rationale,
        "rationale": draft.rationale,
        "remark": draft.remark,
        **{f"justification_{code}": text for code, text in draft.justifications.items()},
    }
    return [
        e
        for field, value in texts.items()
        for e in text_errors(field, value, False, one_line=field in ONE_LINE)
    ]


# The texts typed on one line: a line break in one (a pasted line separator) is refused.
ONE_LINE = frozenset({"namn", "forvaltning", "exemption_other_ground"})


def validate_step(
    step: str, draft: Draft, cat: Catalog, today: dt.date, found: Recommended | None = None
) -> list[FieldError]:
    """The problems that keep the assessor from leaving `step`, each at its field. `found`:
    the recommendation when the caller has it (worked out once per action)."""
    found = found or recommended(draft, cat, today)
    rec = found.recommendation
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
        errors += _validate_exemption(draft, cat, today, found.chosen)
    elif step == "svarstid":
        if needs_response_time(draft, rec):
            offered = {r.code for r in cat.policy.response_times}
            if draft.response_time not in offered:  # none chosen, or none the policy has
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
        elif rec.outcome == "ej_omfattad" and draft.outcome != "ej_omfattad":
            errors.append(FieldError(field="outcome", message="wizard.err.outside_scope"))
        elif draft.exemption.scope != SCOPE_OF_OUTCOME[draft.outcome]:
            errors.append(
                FieldError(
                    field="outcome",
                    message=f"wizard.err.outcome_needs_{SCOPE_OF_OUTCOME[draft.outcome]}",
                )
            )
        if draft.outcome == "avvaktar":
            errors += _date_errors(
                "analysis_expected", draft.analysis_expected, cat, today, "wizard.err.analysis"
            )
        errors += text_errors("remark", draft.remark, required=False)
        errors += text_errors(
            "rationale", draft.rationale, required=True, missing="wizard.err.rationale"
        )
        carried = carried_texts(draft)
        if carried and not draft.earlier_texts_confirmed and draft.earlier is not None:
            texts = "both" if len(carried) > 1 else carried[0]
            errors.append(
                FieldError(
                    field="earlier_texts_confirmed",
                    message="wizard.err.earlier_texts",
                    params={"outcome": draft.earlier.outcome, "texts": texts},
                )
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


def _validate_exemption(
    draft: Draft, cat: Catalog, today: dt.date, chosen: Recommendation
) -> list[FieldError]:
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
                params={"grounds": [g for g in ex.grounds if g not in offered]},
            )
        )
    if ex.scope == "per_arendetyp" and not ex.case_types:
        errors.append(FieldError(field="exemption_case_types", message="wizard.err.case_types"))
    elif ex.scope == "per_arendetyp" and not set(ex.case_types) <= set(chosen.required):
        errors.append(
            FieldError(
                field="exemption_case_types",
                message="wizard.err.case_type_not_required",
                params={"codes": [c for c in ex.case_types if c not in chosen.required]},
            )
        )
    elif ex.scope == "per_arendetyp" and set(chosen.required) <= set(ex.case_types):
        # nothing left: named for what it is
        errors.append(
            FieldError(field="exemption_case_types", message="wizard.err.exempts_everything")
        )
    if not ex.grounds:
        errors.append(FieldError(field="exemption_grounds", message="wizard.err.grounds"))
    if "annat" in ex.grounds:
        errors += text_errors(
            "exemption_other_ground",
            ex.other_ground,
            required=True,
            missing="wizard.err.other_ground",
            one_line=True,
        )
    errors += text_errors(
        "exemption_rationale", ex.rationale, required=True, missing="wizard.err.exemption_rationale"
    )
    return errors + _date_errors("exemption_review_date", ex.review_date, cat, today)


def _date_errors(
    field: str,
    day: dt.date | None,
    cat: Catalog,
    today: dt.date,
    missing: str = "wizard.err.review_date",
) -> list[FieldError]:
    """A date the decision is looked at again: given, from tomorrow, within the period; a
    date outside it is refused in words, never replaced."""
    earliest, _, latest = review_bounds(today, cat)
    if day is None:
        return [FieldError(field=field, message=missing)]
    if not earliest <= day <= latest:
        params = {
            "earliest": earliest.isoformat(),
            "latest": latest.isoformat(),
            "months": cat.policy.review_max_months,
        }
        return [FieldError(field=field, message="wizard.err.review_range", params=params)]
    return []


# The step where each free text is typed (its problems are shown there).
TEXT_STEP = {
    "namn": "enheten",
    "forvaltning": "enheten",
    "variant_justification": "variant",
    "exemption_other_ground": "undantag",
    "exemption_rationale": "undantag",
}


def validate_all(
    draft: Draft, cat: Catalog, today: dt.date, found: Recommended | None = None
) -> dict[str, list[FieldError]]:
    """Every step's problems, and every free text's (even one no step asks for any more);
    empty when the draft can be recorded as a decision."""
    found = found or recommended(draft, cat, today)
    problems = {step: validate_step(step, draft, cat, today, found) for step in STEPS}
    for error in draft_text_errors(draft):
        errors = problems[TEXT_STEP.get(error.field, "beslut")]
        if error not in errors:
            errors.append(error)
    return {step: errors for step, errors in problems.items() if errors}
