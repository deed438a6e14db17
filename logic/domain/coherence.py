"""What makes a decision one coherent thing: its outcome, its exemption, what it requires and
its deviations agree with each other. The wizard's validation keeps an assessor from such a
decision step by step (validation.py); this is the last word on the record itself, applied
by the submission to exactly what it is about to store, so a revision that contradicts
itself is never written, whatever a page or a caller sent.

Each broken rule is a FieldError at the decision step, its message saying the rule in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from logic.domain.assessment import DECISION_OUTCOMES, OFFERS, SCOPE_OF_OUTCOME
from logic.domain.models import Recommendation
from logic.domain.validation import FieldError


def incoherences(record: Mapping[str, Any], chosen: Recommendation) -> list[FieldError]:
    """The rules `record` (assessment.decision_record) breaks; `chosen`: what the rules
    require of the unit under the variant chosen. Empty for a coherent decision."""
    outcome = record.get("outcome")
    if outcome not in DECISION_OUTCOMES:
        return [_broken("outcome")]
    ex = record["exemption"]
    scope = ex.get("scope", "ingen")
    exempted = tuple(ex.get("case_types") or ())
    broken: list[str] = []
    if chosen.outcome == "ej_omfattad" and outcome != "ej_omfattad":
        broken.append("outside_scope")
    if scope != SCOPE_OF_OUTCOME[outcome]:
        broken.append("scope")
    if scope == "ingen":
        if exempted or ex.get("grounds") or ex.get("other_ground") or ex.get("rationale"):
            broken.append("exemption_without_scope")
        if ex.get("review_date"):
            broken.append("review_without_exemption")
    else:
        if not ex.get("grounds") or not str(ex.get("rationale") or "").strip():
            broken.append("exemption_incomplete")
        if not ex.get("review_date"):
            broken.append("exemption_without_review")
    if ("annat" in (ex.get("grounds") or ())) != bool(str(ex.get("other_ground") or "").strip()):
        broken.append("other_ground")
    if scope == "per_arendetyp" and (
        not exempted
        or not set(exempted) <= set(chosen.required)
        or set(chosen.required) <= set(exempted)
    ):
        broken.append("case_types")
    if scope == "hela_enheten" and exempted:
        broken.append("case_types")
    required, missing = tuple(record.get("required") or ()), tuple(record.get("missing") or ())
    if outcome in OFFERS:
        if not record.get("variant") or not required or not set(missing) <= set(required):
            broken.append("requirements")
        if set(required) & set(exempted):
            broken.append("requirements")
        if not record.get("response_time"):
            broken.append("response_time")
    elif record.get("response_time") or (outcome != "avvaktar" and (required or missing)):
        # a decision that waits keeps what will be asked (the roll-out follows it meanwhile)
        broken.append("requirements_without_offer")
    if (outcome == "avvaktar") != bool(record.get("analysis_expected")):
        broken.append("analysis_expected")
    if any(not str(d.get("justification") or "").strip() for d in record.get("deviations", ())):
        broken.append("deviation_unjustified")
    return [_broken(rule) for rule in dict.fromkeys(broken)]


def _broken(rule: str) -> FieldError:
    return FieldError(field="outcome", message=f"coherence.{rule}")
