"""The wizard's form: which widget holds which field of the draft, both ways. Free of
Streamlit, so the mapping has unit tests: the page puts `values_for` into st.session_state
and hands st.session_state (any mapping of widget key -> value) to `collect`.

Widget keys are "w_<name>" (the language switch re-sends exactly those).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from logic.domain.assessment import (
    SCOPE_OF_OUTCOME,
    STEPS,
    WARD_ITEMS,
    Draft,
    Exemption,
    WardChecklist,
    decision_record,
    deviations,
    expected_outcome,
    grounds_for,
    review_bounds,
)
from logic.domain.catalog import Catalog
from logic.domain.codes import CASE_TYPES
from logic.domain.decision_text import decision_text
from logic.domain.models import TextRefused, Unit
from logic.domain.rules import recommend
from logic.domain.validation import FieldError
from logic.i18n import t

# The unit's facts each step asks for (the others are the draft's own fields).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "enheten": ("namn", "forvaltning", "enhetstyp", "verksamhet"),
    "omfattning": (
        "vardutforande",
        "kontaktkort",
        "patientkontakt",
        "driftsform",
        "avtalsanalys_klar",
    ),
    "kanaler": ("bokar_besok", "telefon_papper", "e_tjanster"),
}


def key(name: str) -> str:
    """The widget key of a draft field."""
    return f"w_{name}"


def wording(d: Draft, cat: Catalog, today: dt.date) -> str:
    """The decision text the submission will store, as the draft stands now (the outcome
    the recommendation gives until one is chosen). In Swedish whatever the UI language: a
    public record."""
    rec = recommend(d.unit, cat, today)
    d = d.model_copy(update={"outcome": d.outcome or expected_outcome(rec, d.exemption)})
    return decision_text(decision_record(d, rec, cat, today), d.unit.namn, cat, "sv", t)


def values_for(d: Draft, cat: Catalog, today: dt.date) -> dict[str, Any]:
    """The widget values for the draft's current step."""
    rec = recommend(d.unit, cat, today)
    step = STEPS[d.step]
    values: dict[str, Any] = {}
    for field in STEP_FIELDS.get(step, ()):
        value = getattr(d.unit, field)
        values[key(field)] = list(value) if isinstance(value, tuple) else value
    if step == "variant":
        values[key("variant")] = d.chosen_variant(rec)
        values[key("variant_justification")] = d.variant_justification
        for item in WARD_ITEMS:
            values[key(f"ward_{item}")] = getattr(d.ward, item)
    elif step == "undantag":
        ex = d.exemption
        values[key("ex_scope")] = ex.scope
        # only what the lists offer now (kept from another scope, a code may not be offered)
        offered = grounds_for(d.unit, ex.scope, cat) if ex.scope != "ingen" else ex.grounds
        values[key("ex_case_types")] = [
            c for c in ex.case_types if c in (rec.required or CASE_TYPES)
        ]
        values[key("ex_grounds")] = [g for g in ex.grounds if g in offered]
        values[key("ex_other")] = ex.other_ground
        values[key("ex_rationale")] = ex.rationale
        values[key("ex_review_date")] = ex.review_date or review_bounds(today, cat)[1]
    elif step == "svarstid":
        values[key("response_time")] = d.response_time or None
        values[key("citizen_informed")] = d.citizen_informed
    elif step == "beslut":
        values[key("outcome")] = d.outcome or expected_outcome(rec, d.exemption)
        d = d.model_copy(update={"outcome": values[key("outcome")]})
        values[key("analysis_expected")] = d.analysis_expected  # asked, never defaulted
        values[key("rationale")] = d.rationale
        values[key("remark")] = d.remark
        for dev in deviations(d, rec):
            values[key(f"justification_{dev.code}")] = d.justifications.get(dev.code, "")
        values[key("update_register")] = d.update_register
        values[key("earlier_texts_confirmed")] = d.earlier_texts_confirmed
    return values


def _fact_error(error: Any) -> FieldError:
    """A unit fact the unit refuses, at its field: what is wrong with the text, or missing."""
    refused = error.get("ctx", {}).get("error")
    if isinstance(refused, TextRefused):
        return FieldError(
            field=str(error["loc"][0]),
            message=f"wizard.err.{refused.reason}",
            params=refused.params,
        )
    return FieldError(field=str(error["loc"][0]), message="wizard.err.required")


def collect(
    d: Draft, values: Mapping[str, Any], cat: Catalog, today: dt.date
) -> tuple[Draft, list[FieldError]]:
    """The draft with the current step's widget values; errors for facts the unit refuses.
    A widget missing from `values` (not rendered yet) leaves its field as it was."""
    step = STEPS[d.step]
    errors: list[FieldError] = []
    fields = {f: values[key(f)] for f in STEP_FIELDS.get(step, ()) if key(f) in values}
    if fields:
        facts = d.unit.model_dump() | fields
        # a regional template goes with its e-service: one no longer offered uses none
        facts["regionala_mallar"] = [
            c for c in facts["regionala_mallar"] if c in facts["e_tjanster"]
        ]
        try:
            d = d.model_copy(update={"unit": Unit.model_validate(facts)})
        except ValidationError as exc:
            errors = [_fact_error(e) for e in exc.errors()]
        if d.exemption.scope != "ingen" and recommend(d.unit, cat, today).outcome == "ej_omfattad":
            # out of scope now: its exemption step is not shown, so the exemption is set aside
            # (kept, never decided) rather than left to contradict "omfattas inte"
            d = d.model_copy(
                update={"exemption": d.exemption.model_copy(update={"scope": "ingen"})}
            )
    if step == "variant" and key("variant") in values:
        rec = recommend(d.unit, cat, today)
        chosen = values[key("variant")]
        d = d.model_copy(
            update={
                "variant": None if chosen == rec.variant else chosen,
                "variant_justification": values.get(key("variant_justification"), ""),
                "ward": WardChecklist(
                    **{item: values.get(key(f"ward_{item}"), False) for item in WARD_ITEMS}
                ),
            }
        )
    elif step == "undantag" and key("ex_scope") in values:
        scope, before = values[key("ex_scope")], d.exemption
        if scope == "ingen":  # its fields are not shown: what was typed stays (decided())
            exemption = before.model_copy(update={"scope": "ingen"})
        else:
            exemption = Exemption(
                scope=scope,
                case_types=tuple(values.get(key("ex_case_types"), before.case_types)),
                grounds=tuple(values.get(key("ex_grounds"), before.grounds)),
                other_ground=values.get(key("ex_other"), before.other_ground),
                rationale=values.get(key("ex_rationale"), before.rationale),
                review_date=values.get(key("ex_review_date"), before.review_date),
            )
        outcome = d.outcome
        if outcome is not None and SCOPE_OF_OUTCOME[outcome] != exemption.scope:
            outcome = None  # it no longer goes with the exemption: the step proposes anew
        d = d.model_copy(update={"exemption": exemption, "outcome": outcome})
    elif step == "svarstid" and key("response_time") in values:
        d = d.model_copy(
            update={
                "response_time": values[key("response_time")] or "",
                "citizen_informed": values.get(key("citizen_informed"), False),
            }
        )
    elif step == "beslut" and key("outcome") in values:
        d = d.model_copy(
            update={
                "outcome": values[key("outcome")],
                "rationale": values.get(key("rationale"), ""),
                "remark": values.get(key("remark"), ""),
                "analysis_expected": values.get(key("analysis_expected"))
                if values[key("outcome")] == "avvaktar"
                else None,
                "update_register": values.get(key("update_register"), True),
                "earlier_texts_confirmed": values.get(
                    key("earlier_texts_confirmed"), d.earlier_texts_confirmed
                ),
            }
        )
        # the deviations follow from the outcome just chosen; keep each one's justification
        justifications = dict(d.justifications)
        for dev in deviations(d, recommend(d.unit, cat, today)):
            if key(f"justification_{dev.code}") in values:
                justifications[dev.code] = values[key(f"justification_{dev.code}")]
        d = d.model_copy(update={"justifications": justifications})
    return d, errors
