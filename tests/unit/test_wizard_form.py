"""The wizard's form without Streamlit: what each step's widgets are given, what they hand
back, and the draft's view in one call."""

from __future__ import annotations

import datetime as dt

import pytest

from logic.domain.assessment import STEPS, Draft, Exemption, new_draft
from logic.domain.draft_view import view
from logic.files.reference_data import catalog
from logic.presentation.wizard_form import collect, key, values_for, wording
from tests.factories import make_unit

CAT = catalog()
TODAY = dt.date(2026, 11, 25)


def at_step(name: str, **overrides: object) -> Draft:
    return new_draft(make_unit()).model_copy(update={"step": STEPS.index(name), **overrides})


@pytest.mark.parametrize("step", STEPS)
def test_what_a_step_shows_comes_back_unchanged_when_nothing_is_touched(step: str) -> None:
    d = at_step(step, rationale="Skäl.", response_time="samma_vardag")
    values = values_for(d, CAT, TODAY)
    back, errors = collect(d, values, CAT, TODAY)
    assert errors == []
    if step == "beslut":  # the decision step fills in the outcome that follows
        assert back.outcome == "omfattas"
        back = back.model_copy(update={"outcome": None})
    if step == "undantag":  # a review date is offered, used only with an exemption
        assert values[key("ex_review_date")] > TODAY
    assert back == d


def test_the_unit_step_carries_corrected_facts_into_the_draft() -> None:
    d = at_step("enheten")
    values = values_for(d, CAT, TODAY)
    assert values[key("namn")] == "Vårdcentralen Test"
    changed, errors = collect(d, values | {key("namn"): "Nytt namn"}, CAT, TODAY)
    assert errors == [] and changed.unit.namn == "Nytt namn"
    assert changed.register_unit.namn == "Vårdcentralen Test"  # the register's stays


def test_a_fact_the_unit_refuses_is_an_error_at_its_field() -> None:
    d = at_step("enheten")
    values = values_for(d, CAT, TODAY)
    same, errors = collect(d, values | {key("namn"): ""}, CAT, TODAY)
    assert [e.field for e in errors] == ["namn"] and same.unit.namn == "Vårdcentralen Test"


def test_choosing_the_recommended_variant_keeps_none_and_another_is_recorded() -> None:
    d = at_step("variant")
    values = values_for(d, CAT, TODAY)
    assert values[key("variant")] == "primarvard"
    same, _ = collect(d, values, CAT, TODAY)
    assert same.variant is None
    other, _ = collect(
        d,
        values | {key("variant"): "specialistmottagning", key("variant_justification"): "Varför"},
        CAT,
        TODAY,
    )
    assert (other.variant, other.variant_justification) == ("specialistmottagning", "Varför")


def test_no_exemption_clears_what_was_typed_for_one() -> None:
    d = at_step("undantag")
    values = {
        key("ex_scope"): "ingen",
        key("ex_grounds"): ["ingen_patientkontakt"],
        key("ex_rationale"): "Text",
        key("ex_review_date"): TODAY,
    }
    back, _ = collect(d, values, CAT, TODAY)
    assert back.exemption == Exemption()
    partly, _ = collect(
        d,
        values | {key("ex_scope"): "per_arendetyp", key("ex_case_types"): ["boka_tid"]},
        CAT,
        TODAY,
    )
    assert partly.exemption.case_types == ("boka_tid",)
    assert partly.exemption.rationale == "Text" and partly.exemption.review_date == TODAY


def test_a_widget_not_yet_rendered_leaves_its_field_as_it_was() -> None:
    d = at_step("svarstid", response_time="samma_vardag")
    back, _ = collect(d, {}, CAT, TODAY)
    assert back.response_time == "samma_vardag"


def test_a_deviations_justification_is_kept_for_the_outcome_chosen() -> None:
    d = at_step("beslut")
    values = values_for(d, CAT, TODAY)
    chosen = values | {key("outcome"): "undantagen", key("justification_utfall"): "Därför"}
    back, _ = collect(d, chosen, CAT, TODAY)
    assert back.outcome == "undantagen" and back.justifications == {"utfall": "Därför"}


def test_the_decision_text_shown_follows_the_decision_and_no_one_types_it() -> None:
    d = at_step("beslut", outcome="omfattas")
    assert wording(d, CAT, TODAY).startswith("Vårdcentralen Test: Omfattas. Variant:")
    assert wording(d.model_copy(update={"outcome": "ej_omfattad"}), CAT, TODAY) == (
        "Vårdcentralen Test: Omfattas inte. Avvikelse från rekommendationen: annat beslut än det"
        " som följer av rekommendationen (Omfattas → Omfattas inte). Avvikelse från"
        " rekommendationen: lägstanivån undantas: enheten omfattas men ska inte kunna kontaktas"
        " digitalt (Kontakta oss / Skriv till oss), en avvikelse från själva basutbudsbeslutet."
    )
    assert key("decision_text") not in values_for(d, CAT, TODAY)
    assert wording(at_step("beslut"), CAT, TODAY).startswith("Vårdcentralen Test: Omfattas.")


def test_a_draft_saved_with_an_edited_decision_text_keeps_it_as_the_remark() -> None:
    saved = at_step("beslut").model_dump(mode="json")
    edited = saved | {"decision_text": "Egen text.", "decision_text_generated": "Verktygets."}
    assert Draft.model_validate(edited).remark == "Egen text."
    unedited = saved | {"decision_text": "Verktygets.", "decision_text_generated": "Verktygets."}
    assert Draft.model_validate(unedited).remark == ""


def test_the_view_gives_requirements_under_the_chosen_variant_less_what_is_exempted() -> None:
    d = new_draft(make_unit()).model_copy(
        update={
            "variant": "specialistmottagning",
            "exemption": Exemption(scope="per_arendetyp", case_types=("boka_tid",)),
        }
    )
    v = view(d, CAT, TODAY)
    assert v.recommendation.variant == "primarvard" and v.variant == "specialistmottagning"
    assert "boka_tid" not in v.required and "kontakt" in v.required
    assert v.expected_outcome == "delvis_undantagen"
    assert [x.code for x in v.deviations] == ["variant"]
    assert v.needs_response_time


def test_a_draft_saved_with_the_one_relatives_box_confirms_the_four_parts_anew() -> None:
    saved = at_step("variant").model_dump(mode="json")
    saved["ward"] = {"relatives_routine": True, "discharged_routine": True}
    ward = Draft.model_validate(saved).ward
    assert (ward.ask_patient, ward.release_rule, ward.discharged_routine) == (False, False, True)
    assert not ward.confirmed()


def test_a_merge_keeps_what_either_side_changed_and_mine_where_both_did() -> None:
    from logic.domain.assessment import merge_edits

    base = {"rationale": "", "remark": "", "unit": {"namn": "A", "driftsform": "region"}}
    mine = {"rationale": "Min.", "remark": "", "unit": {"namn": "A", "driftsform": "avtal_vardval"}}
    theirs = {
        "rationale": "Deras.",
        "remark": "Deras.",
        "unit": {"namn": "B", "driftsform": "region"},
    }
    assert merge_edits(base, mine, theirs) == {
        "rationale": "Min.",
        "remark": "Deras.",
        "unit": {"namn": "B", "driftsform": "avtal_vardval"},
    }


def test_changing_the_exemption_proposes_the_outcome_anew_unless_it_still_fits() -> None:
    """Opening the decision step once stores the outcome it proposed; an exemption chosen
    after that must not leave an outcome that no longer goes with it."""
    d = at_step("undantag", outcome="omfattas")
    values = values_for(d, CAT, TODAY) | {
        key("ex_scope"): "per_arendetyp",
        key("ex_case_types"): ["fornya_recept"],
    }
    back, _ = collect(d, values, CAT, TODAY)
    assert back.outcome is None
    beslut = back.model_copy(update={"step": STEPS.index("beslut")})
    assert values_for(beslut, CAT, TODAY)[key("outcome")] == "delvis_undantagen"
    kept = at_step("undantag", outcome="delvis_undantagen")
    back, _ = collect(kept, values, CAT, TODAY)
    assert back.outcome == "delvis_undantagen"  # chosen, and it still fits


def test_a_unit_found_out_of_scope_sets_its_exemption_aside() -> None:
    """Its exemption step is no longer shown: an exemption left standing would contradict
    "omfattas inte" with no way to change it."""
    d = at_step("omfattning", exemption=Exemption(scope="hela_enheten", rationale="Skäl."))
    values = values_for(d, CAT, TODAY) | {key("vardutforande"): False, key("kontaktkort"): False}
    back, errors = collect(d, values, CAT, TODAY)
    assert errors == []
    assert back.exemption.scope == "ingen" and back.exemption.rationale == "Skäl."  # kept
