"""The assessment of one unit: the draft the wizard fills in, step by step, and the pure rules
that validate it, list its deviations from the recommendation and build the decision record.

No I/O here: services load and save drafts; pages render them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field

from logic.catalog import Catalog
from logic.codes import CaseType, Variant
from logic.models import Recommendation, Unit
from logic.rules import facts, recommend

STEPS = ("enheten", "omfattning", "kanaler", "variant", "undantag", "svarstid", "beslut")
DecisionOutcome = Literal["omfattas", "delvis_undantagen", "undantagen", "ej_omfattad", "avvaktar"]
DECISION_OUTCOMES: tuple[str, ...] = (
    "omfattas",
    "delvis_undantagen",
    "undantagen",
    "ej_omfattad",
    "avvaktar",
)
ExemptionScope = Literal["ingen", "hela_enheten", "per_arendetyp"]
# Fields the wizard lets the assessor correct; the rest of the unit (hsa_id) is fixed.
FACT_FIELDS = tuple(f for f in Unit.model_fields if f != "hsa_id")
TEXT_MAX = 4000

# A Swedish personal identity number (personnummer / samordningsnummer), with or without
# century and separator. Free text in a public record must never carry patient data.
PERSONNUMMER = re.compile(r"(?<!\d)(\d{2})?\d{2}[01]\d[0-9]\d[-+ ]?\d{4}(?!\d)")


class Exemption(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: ExemptionScope = "ingen"
    case_types: tuple[CaseType, ...] = ()  # for scope per_arendetyp
    grounds: tuple[str, ...] = ()
    other_ground: str = ""  # required when the ground "annat" is chosen
    rationale: str = ""
    review_date: dt.date | None = None


class WardChecklist(BaseModel):
    model_config = ConfigDict(extra="forbid")

    relatives_routine: bool = False  # OSL 25 kap. 1 §
    discharged_routine: bool = False


class Draft(BaseModel):
    """Everything the assessor has entered so far. Stored after every step."""

    model_config = ConfigDict(extra="forbid")

    hsa_id: str
    step: int = 0
    based_on_revision: int | None = None
    register_unit: Unit  # the unit as the register had it when the assessment began
    unit: Unit  # the facts as the assessor has confirmed or corrected them
    variant: Variant | None = None  # None: the recommended variant
    variant_justification: str = ""
    ward: WardChecklist = Field(default_factory=WardChecklist)
    exemption: Exemption = Field(default_factory=Exemption)
    response_time: str = ""
    citizen_informed: bool = False
    outcome: DecisionOutcome | None = None
    decision_text: str = ""
    decision_text_generated: str = ""  # the tool's wording, replaced while left unedited
    rationale: str = ""
    justifications: dict[str, str] = Field(default_factory=dict)  # deviation code -> why
    update_register: bool = True

    def chosen_variant(self, rec: Recommendation) -> str | None:
        return self.variant or rec.variant


class FieldError(BaseModel):
    """A validation problem at one field: the message key (i18n) and its parameters."""

    model_config = ConfigDict(frozen=True)

    field: str
    message: str
    params: dict[str, Any] = Field(default_factory=dict)


class Deviation(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str  # "variant", "utfall", "undantag"
    recommended: str
    chosen: str


def new_draft(
    unit: Unit, based_on: int | None = None, previous: dict[str, Any] | None = None
) -> Draft:
    """A fresh draft from the register, or from the previous decision when re-assessing."""
    if previous is None:
        return Draft(hsa_id=unit.hsa_id, register_unit=unit, unit=unit, based_on_revision=based_on)
    data = {k: v for k, v in previous.items() if k in Draft.model_fields}
    data.update(
        hsa_id=unit.hsa_id,
        register_unit=unit,
        unit=unit,
        based_on_revision=based_on,
        step=0,
        justifications=previous.get("justifications", {}),
    )
    return Draft.model_validate(data)


def corrections(draft: Draft) -> dict[str, tuple[Any, Any]]:
    """Facts the assessor changed compared with the register: field -> (register, now)."""
    old, new = draft.register_unit.model_dump(), draft.unit.model_dump()
    return {f: (old[f], new[f]) for f in FACT_FIELDS if old[f] != new[f]}


def expected_outcome(rec: Recommendation, exemption: Exemption) -> str:
    """The decision outcome that follows from the recommendation and the exemption chosen."""
    if rec.outcome == "ej_omfattad":
        return "ej_omfattad"
    if rec.outcome == "avvaktar_avtalsanalys":
        return "avvaktar"
    if exemption.scope == "hela_enheten":
        return "undantagen"
    if exemption.scope == "per_arendetyp":
        return "delvis_undantagen"
    return "undantagen" if rec.outcome == "prova_undantag" else "omfattas"


def deviations(draft: Draft, rec: Recommendation) -> list[Deviation]:
    """Every place the assessor departs from the recommendation; each needs a justification."""
    found: list[Deviation] = []
    if draft.variant is not None and draft.variant != rec.variant:
        found.append(Deviation(code="variant", recommended=rec.variant or "", chosen=draft.variant))
    if draft.exemption.scope == "hela_enheten" and rec.outcome == "omfattas":
        found.append(Deviation(code="undantag", recommended="ingen", chosen="hela_enheten"))
    expected = expected_outcome(rec, draft.exemption)
    if draft.outcome is not None and draft.outcome != expected:
        found.append(Deviation(code="utfall", recommended=expected, chosen=draft.outcome))
    return found


def grounds_for(unit: Unit, scope: str, cat: Catalog) -> tuple[str, ...]:
    """The exemption grounds that can apply: to this scope, and to a unit like this one."""
    applies = "enhet" if scope == "hela_enheten" else "arendetyp"
    unit_facts = facts(unit)
    return tuple(
        g.code for g in cat.grounds if applies in g.applies_to and g.offered_for(unit_facts)
    )


def review_bounds(today: dt.date, cat: Catalog) -> tuple[dt.date, dt.date, dt.date]:
    """(earliest, default, latest) review date for an exemption."""
    return (
        today + dt.timedelta(days=1),
        add_months(today, cat.policy.review_default_months),
        add_months(today, cat.policy.review_max_months),
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months; the 31st becomes the month's last day (dateutil's rule)."""
    return day + relativedelta(months=months)


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


def needs_response_time(draft: Draft, rec: Recommendation) -> bool:
    """Units that will offer e-services commit to a response time; exempt, pending and
    out-of-scope units do not."""
    return rec.outcome in ("omfattas", "prova_undantag") and draft.exemption.scope != "hela_enheten"


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


def decided_requirements(
    draft: Draft, chosen: Recommendation
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required, missing) as decided: under the chosen variant, less what is exempted."""
    if draft.outcome in ("ej_omfattad", "undantagen") or draft.exemption.scope == "hela_enheten":
        return (), ()
    exempt = set(draft.exemption.case_types) if draft.exemption.scope == "per_arendetyp" else set()
    return (
        tuple(c for c in chosen.required if c not in exempt),
        tuple(c for c in chosen.missing if c not in exempt),
    )


def decision_record(
    draft: Draft, rec: Recommendation, cat: Catalog, today: dt.date
) -> dict[str, Any]:
    """The decision fields stored with a revision: everything decided and why."""
    chosen = recommend(draft.unit, cat, today, variant=draft.chosen_variant(rec))
    required, missing = decided_requirements(draft, chosen)
    return {
        "required": list(required),
        "missing": list(missing),
        "outcome": draft.outcome,
        "variant": draft.chosen_variant(rec),
        "variant_justification": draft.variant_justification,
        "ward": draft.ward.model_dump(),
        "exemption": draft.exemption.model_dump(mode="json"),
        "response_time": draft.response_time,
        "citizen_informed": draft.citizen_informed,
        "decision_text": draft.decision_text,
        "rationale": draft.rationale,
        "deviations": [
            d.model_dump()
            | {
                "justification": draft.variant_justification
                if d.code == "variant"
                else draft.justifications.get(d.code, "")
            }
            for d in deviations(draft, rec)
        ],
        "justifications": draft.justifications,
        "corrections": {f: list(v) for f, v in corrections(draft).items()},
        "update_register": draft.update_register,
    }
