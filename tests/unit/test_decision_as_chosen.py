"""What the assessor chose is what counts: the variant chosen sets what is required, the
recommendation is dated by the day of the assessment, what was typed under a scope since
withdrawn is never decided, and two tabs' edits merge without losing a justification."""

from __future__ import annotations

import datetime as dt

from logic.domain.assessment import (
    Exemption,
    decision_record,
    merge_edits,
    new_draft,
    review_date_of,
)
from logic.domain.draft_view import view
from logic.domain.rules import recommend
from logic.files.reference_data import catalog
from tests.factories import make_unit

CAT = catalog()
TODAY = dt.date(2026, 11, 25)
# books visits (av_omboka in primary care's variant, not a ward's); renews prescriptions by phone
UNIT = make_unit(telefon_papper=("kontakt", "fornya_recept"), e_tjanster=("kontakt",))
EXEMPTION = Exemption(
    scope="per_arendetyp",
    case_types=("fornya_recept",),
    grounds=("erbjuds_inte",),
    rationale="Skäl.",
    review_date=dt.date(2027, 5, 1),
)


def test_the_variant_chosen_sets_what_is_required_on_screen_and_in_the_record() -> None:
    recommended = new_draft(UNIT).model_copy(update={"outcome": "omfattas"})
    rec = recommend(UNIT, CAT, TODAY)
    assert rec.variant == "primarvard"
    assert view(recommended, CAT, TODAY).required == ("av_omboka", "fornya_recept", "kontakt")
    ward = recommended.model_copy(update={"variant": "avdelning", "variant_justification": "V."})
    shown = view(ward, CAT, TODAY)
    assert (shown.variant, shown.required, shown.missing) == (
        "avdelning",
        ("fornya_recept", "kontakt"),
        ("fornya_recept",),
    )
    record = decision_record(ward, rec, CAT, TODAY)
    assert (record["variant"], record["required"], record["missing"]) == (
        "avdelning",
        ["fornya_recept", "kontakt"],
        ["fornya_recept"],
    )


def test_the_deadline_for_digital_contact_is_judged_on_the_day_of_the_assessment() -> None:
    lacking = new_draft(make_unit(e_tjanster=()))
    deadline = CAT.policy.deadline_digital_kontakt
    before = view(lacking, CAT, deadline - dt.timedelta(days=1)).recommendation
    after = view(lacking, CAT, deadline + dt.timedelta(days=1)).recommendation
    assert (before.deadline_status, after.deadline_status) == ("inom_frist", "forsenad")


def test_an_exemption_withdrawn_is_not_decided_whatever_was_typed_under_it() -> None:
    typed = new_draft(UNIT).model_copy(
        update={"outcome": "omfattas", "exemption": EXEMPTION.model_copy(update={"scope": "ingen"})}
    )
    rec = recommend(UNIT, CAT, TODAY)
    assert decision_record(typed, rec, CAT, TODAY)["exemption"] == Exemption().model_dump(
        mode="json"
    )
    assert review_date_of(typed) is None  # no review date: nothing is exempted
    whole = typed.model_copy(
        update={
            "outcome": "undantagen",
            "exemption": EXEMPTION.model_copy(update={"scope": "hela_enheten"}),
        }
    )
    decided = decision_record(whole, rec, CAT, TODAY)["exemption"]
    assert decided == {  # the whole unit: no case types, the rest as typed
        "scope": "hela_enheten",
        "case_types": [],
        "grounds": ["erbjuds_inte"],
        "other_ground": "",
        "rationale": "Skäl.",
        "review_date": "2027-05-01",
    }
    assert review_date_of(whole) == dt.date(2027, 5, 1)


def test_a_merge_keeps_a_justification_written_in_either_tab() -> None:
    base = {"rationale": "", "justifications": {}}
    mine = {"rationale": "Min.", "justifications": {"variant": "Därför."}}
    theirs = {"rationale": "", "justifications": {"utfall": "Deras."}}
    assert merge_edits(base, mine, theirs) == {
        "rationale": "Min.",
        "justifications": {"variant": "Därför.", "utfall": "Deras."},
    }


def test_the_grounds_offered_are_those_for_the_scope_chosen() -> None:
    from logic.domain.assessment import grounds_for

    whole = grounds_for(UNIT, "hela_enheten", CAT)
    per_case_type = grounds_for(UNIT, "per_arendetyp", CAT)
    assert "ambulans" in whole and "ambulans" not in per_case_type  # a whole unit's ground
    assert "erbjuds_inte" in per_case_type and "erbjuds_inte" not in whole  # a case type's
    assert {"endast_akut", "annat"} <= set(whole) & set(per_case_type)  # either


def test_each_deviation_recorded_says_what_was_recommended_and_what_was_chosen() -> None:
    rec = recommend(UNIT, CAT, TODAY)
    whole = new_draft(UNIT).model_copy(
        update={
            "variant": "avdelning",
            "variant_justification": "Vårdar inneliggande.",
            "outcome": "omfattas",  # not what an exemption of the whole unit gives
            "exemption": EXEMPTION.model_copy(update={"scope": "hela_enheten"}),
            "justifications": {"undantag": "Läggs ned."},
        }
    )
    recorded = decision_record(whole, rec, CAT, TODAY)["deviations"]
    assert recorded == [
        {"code": "variant", "recommended": "primarvard", "chosen": "avdelning",
         "justification": "Vårdar inneliggande."},
        {"code": "undantag", "recommended": "ingen", "chosen": "hela_enheten",
         "justification": "Läggs ned."},
        {"code": "utfall", "recommended": "undantagen", "chosen": "omfattas",
         "justification": ""},
        {"code": "lagstaniva", "recommended": "kontakt", "chosen": "undantas",
         "justification": ""},
    ]  # fmt: skip
    out_of_scope = make_unit(vardutforande=False, kontaktkort=False)
    chosen = new_draft(out_of_scope).model_copy(update={"variant": "primarvard"})
    [variant] = decision_record(chosen, recommend(out_of_scope, CAT, TODAY), CAT, TODAY)[
        "deviations"
    ]
    assert (variant["recommended"], variant["chosen"]) == ("", "primarvard")


def test_what_was_typed_under_another_outcome_or_scope_is_not_decided() -> None:
    """A decision that waits exempts nothing and drops nothing, whatever exemption was typed
    before; an analysis date typed under "avvaktar" is not kept once the outcome changes."""
    rec = recommend(UNIT, CAT, TODAY)
    kontakt = EXEMPTION.model_copy(update={"case_types": ("kontakt",)})
    waiting = new_draft(UNIT).model_copy(update={"outcome": "avvaktar", "exemption": kontakt})
    assert [d.code for d in view(waiting, CAT, TODAY).deviations] == ["utfall"]
    typed = new_draft(UNIT).model_copy(
        update={
            "outcome": "omfattas",
            "analysis_expected": dt.date(2027, 2, 1),
            "exemption": EXEMPTION.model_copy(update={"scope": "ingen"}),
        }
    )
    record = decision_record(typed, rec, CAT, TODAY)
    assert record["analysis_expected"] is None
    assert record["required"] == ["av_omboka", "fornya_recept", "kontakt"]  # none exempted


def test_a_unit_to_be_tried_for_exemption_commits_to_a_response_time_unless_exempted_whole() -> (
    None
):
    trial = make_unit(patientkontakt=False)
    rec = recommend(trial, CAT, TODAY)
    assert rec.outcome == "prova_undantag"
    part = new_draft(trial).model_copy(update={"exemption": EXEMPTION})
    assert view(part, CAT, TODAY).needs_response_time
    whole = part.model_copy(
        update={"exemption": EXEMPTION.model_copy(update={"scope": "hela_enheten"})}
    )
    assert not view(whole, CAT, TODAY).needs_response_time


def test_reassessing_starts_at_the_first_step_from_the_previous_decision() -> None:
    decided = new_draft(UNIT).model_copy(
        update={
            "variant": "avdelning",
            "variant_justification": "V.",
            "outcome": "ej_omfattad",
            "rationale": "Skäl.",
            "justifications": {
                "utfall": "Därför.",
                "lagstaniva": "Också.",
                "undantag": "Inaktuell.",
            },
            "step": 5,
        }
    )
    previous = decision_record(decided, recommend(UNIT, CAT, TODAY), CAT, TODAY)
    again = new_draft(UNIT, based_on=3, previous=previous)
    assert (again.step, again.based_on_revision) == (0, 3)
    assert (again.variant, again.rationale) == ("avdelning", "Skäl.")
    # the justifications of the deviations it made; not one typed for a deviation it did not
    assert again.justifications == {"utfall": "Därför.", "lagstaniva": "Också."}
    older = {k: v for k, v in previous.items() if k != "justifications"}  # before they were kept
    assert new_draft(UNIT, based_on=1, previous=older).justifications == {}
