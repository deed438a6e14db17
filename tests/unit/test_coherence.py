"""A decision is one coherent thing: its outcome, exemption, requirements and deviations
agree, and its text names every exemption and deviation it holds. The wizard's validation
refuses each contradiction at its field; coherence.incoherences is the submission's last
word on the record; a property test over generated drafts holds the two together."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logic.domain.assessment import (
    DECISION_OUTCOMES,
    EXEMPTION_SCOPES,
    SCOPE_OF_OUTCOME,
    Draft,
    EarlierDecision,
    Exemption,
    carried_texts,
    decision_record,
    deviations,
    expected_outcome,
    grounds_for,
    new_draft,
    recommended,
    review_bounds,
)
from logic.domain.codes import (
    CASE_TYPES,
    DRIFTSFORMER,
    ENHETSTYPER,
    VARIANTS,
    VERKSAMHETER,
)
from logic.domain.coherence import incoherences
from logic.domain.decision_text import decision_text, deviation_words
from logic.domain.models import Unit
from logic.domain.rules import recommend
from logic.domain.validation import draft_text_errors, validate_all, validate_step
from logic.files.reference_data import catalog
from logic.i18n import t
from tests.factories import make_unit

CAT = catalog()
TODAY = dt.date(2026, 11, 25)
REVIEW = review_bounds(TODAY, CAT)[1]
GROUNDS = tuple(g.code for g in CAT.grounds)
NO_EXEMPTION = Exemption().model_dump(mode="json")


def rules_broken(record: dict[str, Any], unit: Unit | None = None) -> set[str]:
    chosen = recommend(unit or make_unit(), CAT, TODAY, variant=record.get("variant"))
    return {e.message.removeprefix("coherence.") for e in incoherences(record, chosen)}


def coherent(**overrides: Any) -> dict[str, Any]:
    """A coherent decision on the factories' unit: omfattas, its requirements."""
    rec = recommend(make_unit(), CAT, TODAY)
    return {
        "outcome": "omfattas",
        "variant": rec.variant,
        "required": list(rec.required),
        "missing": list(rec.missing),
        "exemption": Exemption().model_dump(mode="json"),
        "response_time": "samma_vardag",
        "analysis_expected": None,
        "deviations": [],
    } | overrides


def exemption(**fields: Any) -> dict[str, Any]:
    return Exemption(
        **{"grounds": ("under_avveckling",), "rationale": "Skäl.", "review_date": REVIEW} | fields
    ).model_dump(mode="json")


def test_a_coherent_decision_breaks_no_rule() -> None:
    assert rules_broken(coherent()) == set()


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"exemption": exemption(scope="per_arendetyp", case_types=["fornya_recept"])}, "scope"),
        ({"outcome": "delvis_undantagen"}, "scope"),
        ({"exemption": NO_EXEMPTION | {"review_date": "2027-01-01"}}, "review_without_exemption"),
        ({"exemption": NO_EXEMPTION | {"rationale": "Kvar."}}, "exemption_without_scope"),
        (
            {"outcome": "undantagen", "required": [], "missing": [], "response_time": "",
             "exemption": exemption(scope="hela_enheten", review_date=None)},
            "exemption_without_review",
        ),
        (
            {"outcome": "undantagen", "required": [], "missing": [], "response_time": "",
             "exemption": exemption(scope="hela_enheten", grounds=("annat",))},
            "other_ground",
        ),
        (
            {"outcome": "delvis_undantagen",
             "exemption": exemption(scope="per_arendetyp", case_types=["radgivning"])},
            "case_types",
        ),
        ({"response_time": ""}, "response_time"),
        ({"required": []}, "requirements"),
        ({"missing": ["radgivning"]}, "requirements"),
        (
            {"outcome": "ej_omfattad", "response_time": ""},
            "requirements_without_offer",
        ),
        ({"analysis_expected": "2027-03-01"}, "analysis_expected"),
        (
            {"deviations": [{"code": "utfall", "recommended": "omfattas", "chosen": "x",
                             "justification": " "}]},
            "deviation_unjustified",
        ),
    ],
)  # fmt: skip
def test_each_contradiction_is_named(overrides: dict[str, Any], rule: str) -> None:
    assert rule in rules_broken(coherent(**overrides))


def test_a_unit_outside_the_baseline_is_decided_outside_it_and_nothing_else() -> None:
    outside = make_unit(vardutforande=False, kontaktkort=False)
    record = coherent(outcome="omfattas", variant=None, required=[], missing=[])
    assert "outside_scope" in rules_broken(record, outside)
    d = new_draft(outside).model_copy(update={"outcome": "omfattas", "rationale": "x"})
    assert {e.message for e in validate_step("beslut", d, CAT, TODAY)} >= {
        "wizard.err.outside_scope"
    }


def test_only_a_required_case_type_can_be_exempted() -> None:
    d = new_draft(make_unit()).model_copy(
        update={
            "exemption": Exemption(**exemption(scope="per_arendetyp", case_types=["radgivning"]))
        }
    )
    errors = validate_step("undantag", d, CAT, TODAY)
    assert ("wizard.err.case_type_not_required", {"codes": ["radgivning"]}) in [
        (e.message, e.params) for e in errors
    ]


def test_a_text_written_for_another_outcome_is_confirmed_or_rewritten() -> None:
    earlier = EarlierDecision(
        revision=3, outcome="omfattas", rationale="Den erbjuder allt.", exemption_rationale=""
    )
    d = new_draft(make_unit()).model_copy(
        update={"earlier": earlier, "rationale": "Den erbjuder allt.", "outcome": "ej_omfattad"}
    )
    assert carried_texts(d) == ("rationale",)
    messages = {e.message for e in validate_step("beslut", d, CAT, TODAY)}
    assert "wizard.err.earlier_texts" in messages
    assert carried_texts(d.model_copy(update={"rationale": "Ny motivering."})) == ()
    assert carried_texts(d.model_copy(update={"outcome": "omfattas"})) == ()  # same outcome
    confirmed = d.model_copy(update={"earlier_texts_confirmed": True})
    assert "wizard.err.earlier_texts" not in {
        e.message for e in validate_step("beslut", confirmed, CAT, TODAY)
    }


def test_a_re_assessment_remembers_the_decision_it_starts_from() -> None:
    previous = {
        "outcome": "undantagen",
        "rationale": "Enheten stänger.",
        "exemption": exemption(scope="hela_enheten"),
    }
    d = new_draft(make_unit(), based_on=4, previous=previous)
    assert d.earlier == EarlierDecision(
        revision=4, outcome="undantagen", rationale="Enheten stänger.", exemption_rationale="Skäl."
    )
    assert not d.earlier_texts_confirmed
    again = d.model_copy(update={"outcome": "omfattas", "exemption": Exemption()})
    assert carried_texts(again) == ("rationale",)  # the exemption is not decided any more
    # its rationale still in the draft, but no exemption decided: nothing carried into one
    undecided = d.exemption.model_copy(update={"scope": "ingen"})
    kept = d.model_copy(update={"outcome": "omfattas", "exemption": undecided})
    assert kept.exemption.rationale == "Skäl." and carried_texts(kept) == ("rationale",)


def test_a_remark_is_checked_at_its_own_field() -> None:
    d = new_draft(make_unit()).model_copy(update={"remark": "Ring 19121212-1212."})
    assert [e.field for e in draft_text_errors(d)] == ["remark"]
    assert "remark" in {e.field for e in validate_step("beslut", d, CAT, TODAY)}


def test_every_deviation_but_the_variant_is_justified_at_the_last_step() -> None:
    """The variant's deviation is justified at its own step; the others after it are
    still asked for at the decision step."""
    d = new_draft(make_unit()).model_copy(
        update={"variant": "barnmorskemottagning", "outcome": "ej_omfattad"}
    )
    rec = recommend(d.unit, CAT, TODAY)
    assert [x.code for x in deviations(d, rec)][:1] == ["variant"]
    assert "utfall" in [x.code for x in deviations(d, rec)]
    fields = {e.field for e in validate_step("beslut", d, CAT, TODAY)}
    assert "justification_utfall" in fields and "justification_variant" not in fields


# ---- the property: whatever the wizard accepts is coherent and said in full -------------

units = st.builds(
    make_unit,
    enhetstyp=st.sampled_from(ENHETSTYPER),
    verksamhet=st.sampled_from(VERKSAMHETER),
    driftsform=st.sampled_from(DRIFTSFORMER),
    avtalsanalys_klar=st.sampled_from([True, False]),
    vardutforande=st.booleans(),
    kontaktkort=st.booleans(),
    patientkontakt=st.booleans(),
    bokar_besok=st.booleans(),
    telefon_papper=st.lists(st.sampled_from(CASE_TYPES), max_size=3, unique=True).map(tuple),
    e_tjanster=st.lists(st.sampled_from(CASE_TYPES), max_size=4, unique=True).map(tuple),
)
texts = st.sampled_from(["", "Skäl.", "Motivering som gäller."])


def mostly(draw: st.DrawFn, fitting: Any, anything: st.SearchStrategy[Any]) -> Any:
    """What a careful assessor enters (most of the time), or anything at all."""
    return fitting if draw(st.integers(0, 4)) else draw(anything)


@st.composite
def drafts(draw: st.DrawFn) -> Draft:
    """Drafts near what an assessor enters, each field now and then anything at all, so the
    generated decisions are both often accepted and often contradictory."""
    unit = draw(units)
    rec = recommend(unit, CAT, TODAY)
    variant = mostly(draw, None, st.sampled_from(VARIANTS))
    chosen = recommend(unit, CAT, TODAY, variant=variant or rec.variant)
    outcome = mostly(draw, expected_outcome(rec, Exemption()), st.sampled_from(DECISION_OUTCOMES))
    scope = mostly(draw, SCOPE_OF_OUTCOME[outcome], st.sampled_from(EXEMPTION_SCOPES))
    some = (
        draw(st.lists(st.sampled_from(chosen.required), max_size=2, unique=True))
        if chosen.required
        else []
    )
    grounds = grounds_for(unit, scope, CAT) if scope != "ingen" else ()
    ground_list = (
        draw(st.lists(st.sampled_from(grounds), min_size=1, max_size=2, unique=True))
        if grounds
        else []
    )
    ex = Exemption(
        scope=scope,
        case_types=tuple(
            mostly(draw, some, st.lists(st.sampled_from(CASE_TYPES), max_size=3, unique=True))
        ),
        grounds=tuple(
            mostly(draw, ground_list, st.lists(st.sampled_from(GROUNDS), max_size=2, unique=True))
        ),
        other_ground=mostly(draw, "Verksamheten flyttar.", st.sampled_from(["", "Annat skäl."])),
        rationale=mostly(draw, "Skälen för undantaget.", texts),
        review_date=mostly(draw, REVIEW, st.sampled_from([None, TODAY])),
    )
    earlier = draw(
        st.none()
        | st.builds(
            EarlierDecision,
            revision=st.just(1),
            outcome=st.sampled_from(DECISION_OUTCOMES),
            rationale=texts,
            exemption_rationale=texts,
        )
    )
    return new_draft(unit).model_copy(
        update={
            "variant": variant,
            "variant_justification": mostly(draw, "Enheten arbetar så.", texts),
            "exemption": ex,
            # "inom_en_vecka": no response time the policy has (refused, never a crash)
            "response_time": mostly(
                draw,
                "samma_vardag",
                st.sampled_from(["", "inom_5_vardagar", "inom_en_vecka"]),
            ),
            "citizen_informed": draw(st.booleans()),
            "outcome": outcome,
            "analysis_expected": mostly(draw, REVIEW, st.sampled_from([None, TODAY])),
            "rationale": mostly(draw, "Motivering som gäller.", texts),
            "justifications": {
                code: mostly(draw, "Skäl.", texts) for code in ("utfall", "undantag", "lagstaniva")
            },
            "earlier": earlier,
            "earlier_texts_confirmed": draw(st.booleans()),
        }
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(drafts())
def test_every_decision_the_wizard_accepts_is_coherent_and_its_text_says_it_all(
    d: Draft,
) -> None:
    found = recommended(d, CAT, TODAY)
    if validate_all(d, CAT, TODAY, found):
        return  # refused at a field: nothing recorded
    record = decision_record(d, found.recommendation, CAT, TODAY, found.chosen)
    assert incoherences(record, found.chosen) == []
    assert carried_texts(d) == () or d.earlier_texts_confirmed
    text = decision_text(record, d.unit.namn, CAT, "sv", t)
    ex = record["exemption"]
    for code in ex["case_types"]:
        assert CAT.case_type(code).name("sv") in text
    for ground in ex["grounds"]:
        said = ex["other_ground"] if ground == "annat" else CAT.ground(ground).name("sv")
        assert said in text
    assert CAT.ground("annat").name("sv") not in text  # the prompt, never the ground
    if ex["review_date"]:
        assert ex["review_date"] in text
    for dev in deviations(d, found.recommendation):
        assert deviation_words(dev.code, dev.recommended, dev.chosen, CAT, "sv", t) in text
    for dev in record["deviations"]:
        assert dev["justification"].strip() in text


def test_a_contracted_unit_s_analysis_is_chosen_before_the_scope_is_decided() -> None:
    contracted = make_unit(driftsform="avtal_upphandlad", avtalsanalys_klar=None)
    errors = validate_step("omfattning", new_draft(contracted), CAT, TODAY)
    assert ("avtalsanalys_klar", "wizard.err.choose") in [(e.field, e.message) for e in errors]
    done = make_unit(driftsform="avtal_upphandlad", avtalsanalys_klar=True)
    assert "avtalsanalys_klar" not in {
        e.field for e in validate_step("omfattning", new_draft(done), CAT, TODAY)
    }
