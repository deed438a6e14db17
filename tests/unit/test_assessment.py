"""The assessment draft's pure rules: validation at the field, deviations, review dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from logic.domain.assessment import (
    STEPS,
    Draft,
    Exemption,
    WardChecklist,
    add_months,
    decided_requirements,
    decision_record,
    deviations,
    expected_outcome,
    new_draft,
    review_bounds,
    review_date_of,
)
from logic.domain.draft_view import view
from logic.domain.rules import recommend
from logic.domain.text import contains_personnummer
from logic.domain.validation import validate_step
from logic.files.reference_data import catalog
from tests.factories import make_unit

CAT = catalog()
TODAY = dt.date(2026, 11, 25)


def draft(**overrides) -> Draft:  # type: ignore[no-untyped-def]
    return new_draft(make_unit()).model_copy(update=overrides)


def fields(step: str, d: Draft) -> set[str]:
    return {e.field for e in validate_step(step, d, CAT, TODAY)}


def test_exemption_needs_ground_rationale_and_review_date() -> None:
    d = draft(exemption=Exemption(scope="hela_enheten"))
    assert fields("undantag", d) == {
        "exemption_grounds",
        "exemption_rationale",
        "exemption_review_date",
    }
    ok = Exemption(
        scope="hela_enheten",
        grounds=("under_avveckling",),
        rationale="Enheten stänger 2027.",
        review_date=add_months(TODAY, 12),
    )
    assert fields("undantag", draft(exemption=ok)) == set()


def test_ground_other_needs_a_description() -> None:
    ex = Exemption(
        scope="hela_enheten",
        grounds=("annat",),
        rationale="Skäl.",
        review_date=add_months(TODAY, 6),
    )
    assert fields("undantag", draft(exemption=ex)) == {"exemption_other_ground"}


def test_review_date_defaults_to_12_months_and_may_not_be_more_than_36() -> None:
    earliest, default, latest = review_bounds(TODAY, CAT)
    assert (earliest, default, latest) == (
        dt.date(2026, 11, 26),
        dt.date(2027, 11, 25),
        dt.date(2029, 11, 25),
    )
    ex = Exemption(
        scope="hela_enheten",
        grounds=("ambulans",),
        rationale="x",
        review_date=latest + dt.timedelta(days=1),
    )
    errors = validate_step("undantag", draft(exemption=ex), CAT, TODAY)
    assert [e.message for e in errors] == ["wizard.err.review_range"]


def test_per_case_type_exemption_needs_case_types() -> None:
    ex = Exemption(
        scope="per_arendetyp",
        grounds=("erbjuds_inte",),
        rationale="x",
        review_date=add_months(TODAY, 6),
    )
    assert fields("undantag", draft(exemption=ex)) == {"exemption_case_types"}


def test_variant_change_needs_a_justification() -> None:
    assert fields("variant", draft(variant="specialistmottagning")) == {"variant_justification"}
    assert fields("variant", draft(variant="primarvard")) == set()  # the recommended one
    justified = draft(variant="specialistmottagning", variant_justification="Har specialister.")
    assert fields("variant", justified) == set()


def test_a_response_time_beyond_the_goal_requires_that_the_citizen_is_told() -> None:
    assert fields("svarstid", draft()) == {"response_time"}
    assert fields("svarstid", draft(response_time="nasta_vardag")) == {"citizen_informed"}
    assert fields("svarstid", draft(response_time="nasta_vardag", citizen_informed=True)) == set()
    assert fields("svarstid", draft(response_time="inom_2_timmar")) == set()


def test_decision_needs_outcome_rationale_and_a_justified_deviation() -> None:
    assert fields("beslut", draft()) == {"outcome", "rationale"}  # the text is generated
    d = draft(outcome="avvaktar", rationale="Skäl.", analysis_expected=TODAY + dt.timedelta(9))
    assert fields("beslut", d) == {"justification_utfall"}
    assert (
        fields("beslut", d.model_copy(update={"justifications": {"utfall": "För att."}})) == set()
    )


def messages(step: str, d: Draft) -> list[str]:
    return [e.message for e in validate_step(step, d, CAT, TODAY)]


def test_the_outcome_and_the_exemption_can_never_disagree() -> None:
    """ "Omfattas" that exempts, "delvis undantagen" that exempts nothing, "avvaktar" that
    drops a case type unseen: each refused, saying what goes with what."""
    part = Exemption(scope="per_arendetyp", case_types=("kontakt",), grounds=("erbjuds_inte",))
    whole = Exemption(scope="hela_enheten", grounds=("ingen_patientkontakt",))
    cases = [
        ("omfattas", part, "wizard.err.outcome_needs_ingen"),
        ("avvaktar", part, "wizard.err.outcome_needs_ingen"),
        ("ej_omfattad", whole, "wizard.err.outcome_needs_ingen"),
        ("delvis_undantagen", Exemption(), "wizard.err.outcome_needs_per_arendetyp"),
        ("delvis_undantagen", whole, "wizard.err.outcome_needs_per_arendetyp"),
        ("undantagen", part, "wizard.err.outcome_needs_hela_enheten"),
        ("undantagen", Exemption(), "wizard.err.outcome_needs_hela_enheten"),
    ]
    for outcome, exemption, message in cases:
        d = draft(outcome=outcome, exemption=exemption, rationale="Skäl.")
        assert message in messages("beslut", d), (outcome, exemption.scope)
    for outcome, exemption in (("delvis_undantagen", part), ("undantagen", whole)):
        d = draft(outcome=outcome, exemption=exemption, rationale="Skäl.")
        assert not [m for m in messages("beslut", d) if "outcome_needs" in m]


def test_free_text_with_a_personal_identity_number_is_refused() -> None:
    d = draft(outcome="omfattas", remark="Bra.", rationale="Patient 19121212-1212 ringde.")
    errors = validate_step("beslut", d, CAT, TODAY)
    assert [(e.field, e.message) for e in errors] == [("rationale", "wizard.err.personnummer")]
    assert contains_personnummer("121212-1212") and not contains_personnummer("2022-09-30")
    assert not contains_personnummer("SE162321000255-O10553")


def test_deviations_list_every_departure_from_the_recommendation() -> None:
    unit = make_unit()
    rec = recommend(unit, CAT, TODAY)
    d = new_draft(unit).model_copy(
        update={
            "variant": "specialistmottagning",
            "outcome": "undantagen",
            "exemption": Exemption(scope="hela_enheten"),
        }
    )
    assert [x.code for x in deviations(d, rec)] == ["variant", "undantag"]
    assert expected_outcome(rec, d.exemption) == "undantagen"
    d2 = d.model_copy(update={"outcome": "omfattas"})
    # "in scope" with nothing required: the lowest level is dropped too
    assert [x.code for x in deviations(d2, rec)] == ["variant", "undantag", "utfall", "lagstaniva"]


def exempting(outcome: str, **exemption: object) -> list[str]:
    d = new_draft(make_unit()).model_copy(
        update={"outcome": outcome, "exemption": Exemption(**exemption)}  # type: ignore[arg-type]
    )
    return [x.code for x in deviations(d, recommend(d.unit, CAT, TODAY))]


def test_exempting_digital_contact_deviates_from_the_policy_itself() -> None:
    """The seed: the lowest level is being able to contact a unit digitally."""
    part = {"scope": "per_arendetyp", "grounds": ("erbjuds_inte",)}
    assert exempting("delvis_undantagen", **part, case_types=("fornya_recept",)) == []
    assert exempting("delvis_undantagen", **part, case_types=("kontakt",)) == ["lagstaniva"]
    assert exempting("omfattas", **part, case_types=("kontakt",)) == ["utfall", "lagstaniva"]
    # "not in scope" for a care-providing unit with a contact card
    assert exempting("ej_omfattad") == ["utfall", "lagstaniva"]
    # a whole-unit exemption is judged case by case, with its own deviation
    assert exempting("undantagen", scope="hela_enheten") == ["undantag"]
    assert exempting("avvaktar") == ["utfall"]
    no_contact = new_draft(make_unit(patientkontakt=False)).model_copy(
        update={"outcome": "undantagen", "exemption": Exemption(scope="hela_enheten")}
    )
    assert deviations(no_contact, recommend(no_contact.unit, CAT, TODAY)) == []
    outside = new_draft(make_unit(vardutforande=False, kontaktkort=False))
    outside = outside.model_copy(update={"outcome": "ej_omfattad"})
    assert deviations(outside, recommend(outside.unit, CAT, TODAY)) == []


def test_a_per_case_type_exemption_of_everything_required_is_named_a_whole_one() -> None:
    unit = make_unit()
    required = recommend(unit, CAT, TODAY).required
    d = draft(
        step=STEPS.index("undantag"),
        exemption=Exemption(
            scope="per_arendetyp",
            case_types=required,
            grounds=("erbjuds_inte",),
            rationale="Skäl.",
            review_date=TODAY + dt.timedelta(days=30),
        ),
    )
    assert [e.message for e in validate_step("undantag", d, CAT, TODAY)] == [
        "wizard.err.exempts_everything"
    ]
    fewer = d.exemption.model_copy(update={"case_types": required[1:]})
    assert validate_step("undantag", d.model_copy(update={"exemption": fewer}), CAT, TODAY) == []


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)),
    st.integers(min_value=0, max_value=60),
)
def test_add_months_stays_in_the_target_month(day: dt.date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


@given(
    st.sampled_from(["hela_enheten", "per_arendetyp"]),
    st.text(max_size=20),
    st.one_of(st.none(), st.dates()),
)
def test_an_accepted_exemption_always_has_a_ground_a_rationale_and_a_review_date(
    scope: str, rationale: str, review: dt.date | None
) -> None:
    ex = Exemption(
        scope=scope,
        case_types=("kontakt",),
        grounds=("ambulans",),
        rationale=rationale,
        review_date=review,
    )
    if not validate_step("undantag", draft(exemption=ex), CAT, TODAY):
        assert ex.grounds and ex.rationale.strip() and ex.review_date is not None


def test_the_decision_record_holds_exactly_what_was_decided() -> None:
    """The record's shape is the public record's format: every key and value pinned (a
    change to it is a change to what is stored with every decision from then on)."""
    unit = make_unit()
    d = new_draft(unit.model_copy(update={"namn": "Gammalt namn"})).model_copy(
        update={
            "unit": unit,
            "variant": "specialistmottagning",
            "variant_justification": "Spec.",
            "outcome": "delvis_undantagen",
            "response_time": "nasta_vardag",
            "citizen_informed": True,
            "rationale": "Skäl.",
            "remark": "Anm.",
            "update_register": False,
            "ward": WardChecklist(ask_patient=True),
            "exemption": Exemption(
                scope="per_arendetyp",
                case_types=("fornya_recept",),
                grounds=("erbjuds_inte",),
                rationale="Ex.",
                review_date=dt.date(2027, 5, 1),
            ),
            "justifications": {"utfall": "U."},  # typed, but no such deviation is made
        }
    )
    record = decision_record(d, recommend(d.unit, CAT, TODAY), CAT, TODAY)
    assert record == {
        "required": ["av_omboka", "kontakt"],  # the chosen variant's, less what is exempted
        "missing": ["av_omboka"],
        "outcome": "delvis_undantagen",
        "variant": "specialistmottagning",
        "variant_justification": "Spec.",
        "ward": {
            "ask_patient": True,
            "cannot_consent": False,
            "general_questions": False,
            "release_rule": False,
            "discharged_routine": False,
        },
        "exemption": {
            "scope": "per_arendetyp",
            "case_types": ["fornya_recept"],
            "grounds": ["erbjuds_inte"],
            "other_ground": "",
            "rationale": "Ex.",
            "review_date": "2027-05-01",
        },
        "response_time": "nasta_vardag",
        "citizen_informed": True,
        "analysis_expected": None,
        "rationale": "Skäl.",
        "remark": "Anm.",
        "deviations": [
            {
                "code": "variant",
                "recommended": "primarvard",
                "chosen": "specialistmottagning",
                "justification": "Spec.",
            }
        ],
        "justifications": {},
        "corrections": {"namn": ["Gammalt namn", "Vårdcentralen Test"]},
        "update_register": False,
    }
    waiting = d.model_copy(
        update={
            "outcome": "avvaktar",
            "analysis_expected": dt.date(2027, 2, 1),
            "exemption": Exemption(),
        }
    )
    record = decision_record(waiting, recommend(d.unit, CAT, TODAY), CAT, TODAY)
    assert record["analysis_expected"] == "2027-02-01"
    assert (record["response_time"], record["citizen_informed"]) == ("", False)  # none to keep
    assert review_date_of(waiting) == dt.date(2027, 2, 1)  # the review queue's date
    assert review_date_of(d) == dt.date(2027, 5, 1)
    assert (
        review_date_of(d.model_copy(update={"outcome": "omfattas", "exemption": Exemption()}))
        is None
    )
    assert (
        decision_record(
            d.model_copy(update={"outcome": "omfattas"}), recommend(d.unit, CAT, TODAY), CAT, TODAY
        )["analysis_expected"]
        is None
    )


def test_the_outcome_that_follows_from_each_recommendation_and_exemption() -> None:
    units = {
        "omfattas": make_unit(),
        "prova_undantag": make_unit(patientkontakt=False),
        "ej_omfattad": make_unit(vardutforande=False, kontaktkort=False),
        "avvaktar_avtalsanalys": make_unit(driftsform="avtal_upphandlad", avtalsanalys_klar=False),
    }
    expected = {
        ("omfattas", "ingen"): "omfattas",
        ("omfattas", "per_arendetyp"): "delvis_undantagen",
        ("omfattas", "hela_enheten"): "undantagen",
        ("prova_undantag", "ingen"): "undantagen",
        ("prova_undantag", "per_arendetyp"): "delvis_undantagen",
        ("prova_undantag", "hela_enheten"): "undantagen",
        ("ej_omfattad", "ingen"): "ej_omfattad",
        ("ej_omfattad", "hela_enheten"): "ej_omfattad",
        ("avvaktar_avtalsanalys", "ingen"): "avvaktar",
        ("avvaktar_avtalsanalys", "per_arendetyp"): "avvaktar",
    }
    for (outcome, scope), follows in expected.items():
        rec = recommend(units[outcome], CAT, TODAY)
        assert rec.outcome == outcome
        assert expected_outcome(rec, Exemption(scope=scope)) == follows, (outcome, scope)


def test_what_is_required_as_decided_for_each_outcome_and_exemption() -> None:
    unit = make_unit()  # requires kontakt, fornya_recept (by phone), av_omboka (books visits)
    rec = recommend(unit, CAT, TODAY)
    assert set(rec.required) == {"av_omboka", "fornya_recept", "kontakt"}
    part = Exemption(scope="per_arendetyp", case_types=("fornya_recept",))
    less = (
        tuple(c for c in rec.required if c != "fornya_recept"),
        tuple(c for c in rec.missing if c != "fornya_recept"),
    )
    cases = [
        ("omfattas", Exemption(), (rec.required, rec.missing)),
        ("avvaktar", Exemption(), (rec.required, rec.missing)),
        ("delvis_undantagen", part, less),
        ("undantagen", Exemption(scope="hela_enheten"), ((), ())),
        ("undantagen", Exemption(), ((), ())),
        ("ej_omfattad", Exemption(), ((), ())),
        ("omfattas", Exemption(scope="hela_enheten"), ((), ())),
    ]
    for outcome, exemption, want in cases:
        d = new_draft(unit).model_copy(update={"outcome": outcome, "exemption": exemption})
        assert decided_requirements(d, rec) == want, (outcome, exemption.scope)
        assert view(d, CAT, TODAY).required == want[0], (outcome, exemption.scope)


def test_a_ground_not_offered_is_named_in_the_refusal() -> None:
    from logic.domain.assessment import grounds_for

    offered = grounds_for(make_unit(), "hela_enheten", CAT)
    foreign = next(g.code for g in CAT.grounds if g.code not in offered)
    ex = Exemption(
        scope="hela_enheten",
        grounds=(offered[0], foreign),
        rationale="Skäl.",
        review_date=add_months(TODAY, 6),
    )
    [error] = [e for e in validate_step("undantag", draft(exemption=ex), CAT, TODAY)]
    assert (error.field, error.params) == ("exemption_grounds", {"grounds": [foreign]})


def test_an_identity_number_in_a_text_is_refused_on_the_step_that_asks_for_it() -> None:
    from logic.domain.validation import validate_all

    number = "Ring 19121212-1212."
    ex = Exemption(scope="hela_enheten", rationale=number)
    found = validate_all(draft(exemption=ex, rationale=number), CAT, TODAY)
    texts = {
        step: [e.field for e in errors if e.message == "wizard.err.personnummer"]
        for step, errors in found.items()
    }
    assert texts["undantag"] == ["exemption_rationale"]
    assert texts["beslut"] == ["rationale"]
    # a text no step asks for any more (the exemption withdrawn): still refused, by its step
    left = validate_all(draft(exemption=Exemption(scope="ingen", rationale=number)), CAT, TODAY)
    assert "exemption_rationale" in [e.field for e in left["undantag"]]
