"""The edges of the policy where a small slip would change a decision or a file unseen: the
last day allowed, the longest text allowed, the lowest level's justification, the facts the
recommendation depends on, the late units counted, a tab that starts a cell."""

from __future__ import annotations

import datetime as dt

from logic.domain.assessment import Draft, Exemption, add_months, new_draft, review_bounds
from logic.domain.rollout import RolloutRow
from logic.domain.rollout_summary import late_units
from logic.domain.rules import FACTS, Recommendations, recommend
from logic.domain.validation import TEXT_MAX, text_errors, validate_step
from logic.files.export import neutralise
from logic.files.reference_data import catalog
from tests.factories import make_unit

CAT = catalog()
TODAY = dt.date(2026, 11, 25)


def exempt_whole(review: dt.date) -> Draft:
    return new_draft(make_unit()).model_copy(
        update={
            "exemption": Exemption(
                scope="hela_enheten",
                grounds=("under_avveckling",),
                rationale="Enheten stänger.",
                review_date=review,
            )
        }
    )


def test_the_latest_review_date_allowed_is_taken_and_the_day_after_refused() -> None:
    earliest, _, latest = review_bounds(TODAY, CAT)
    assert latest == add_months(TODAY, CAT.policy.review_max_months)
    for day in (earliest, latest):
        assert validate_step("undantag", exempt_whole(day), CAT, TODAY) == []
    for day in (TODAY, latest + dt.timedelta(days=1)):
        [error] = validate_step("undantag", exempt_whole(day), CAT, TODAY)
        assert error.message == "wizard.err.review_range"
        assert error.params == {  # the refusal names the dates allowed
            "earliest": earliest.isoformat(),
            "latest": latest.isoformat(),
            "months": CAT.policy.review_max_months,
        }


def test_a_text_of_exactly_the_longest_length_is_taken_one_more_refused() -> None:
    assert text_errors("rationale", "a" * TEXT_MAX, required=True) == []
    [error] = text_errors("rationale", "a" * (TEXT_MAX + 1), required=True)
    assert error.message == "wizard.err.too_long" and error.params == {"max": TEXT_MAX}


def test_leaving_out_the_lowest_level_needs_its_own_justification() -> None:
    unit = make_unit(e_tjanster=())  # offers nothing digitally yet: kontakt is required
    exempted = new_draft(unit).model_copy(
        update={
            "outcome": "delvis_undantagen",
            "response_time": "samma_vardag",
            "rationale": "Motivering.",
            "exemption": Exemption(
                scope="per_arendetyp",
                case_types=("kontakt",),
                grounds=("erbjuds_inte",),
                rationale="Ingen kanal.",
                review_date=add_months(TODAY, 6),
            ),
        }
    )
    fields = {e.field for e in validate_step("beslut", exempted, CAT, TODAY)}
    assert "justification_lagstaniva" in fields
    justified = exempted.model_copy(update={"justifications": {"lagstaniva": "Skäl."}})
    fields = {e.field for e in validate_step("beslut", justified, CAT, TODAY)}
    assert "justification_lagstaniva" not in fields


def test_the_recommendation_cache_tells_apart_units_that_differ_in_any_one_fact() -> None:
    """Recommendations works each distinct set of facts out once: a unit differing from the
    one before only in one fact gets its own recommendation, never the other's."""
    base = make_unit()
    variants = {
        "enhetstyp": "avdelning",
        "verksamhet": "psykiatri",
        "driftsform": "avtal_upphandlad",
        "avtalsanalys_klar": True,
        "vardutforande": False,
        "kontaktkort": False,
        "patientkontakt": False,
        "bokar_besok": False,
        "telefon_papper": ("kontakt",),
        "e_tjanster": (),
    }
    assert set(variants) == set(FACTS)  # every fact the rules read is tried
    for fact, value in variants.items():
        other = base.model_copy(update={fact: value})
        cached = Recommendations(CAT, TODAY)
        cached(base)
        assert cached(other) == recommend(other, CAT, TODAY), fact


def late(hsa_id: str, forvaltning: str) -> RolloutRow:
    return RolloutRow(
        hsa_id=hsa_id,
        enhet=hsa_id,
        forvaltning=forvaltning,
        arendetyp="kontakt",
        status="forsenat",
        mall=False,
        infort_efter=None,
        infort_senast=None,
        removed_efter=None,
        removed_senast=None,
        frist=dt.date(2022, 9, 30),
        i_tid="nej",
        basis="beslut",
    )


def test_exactly_the_limit_of_late_units_is_listed_and_every_one_counted() -> None:
    rows = [late(f"SE{n}", "A") for n in range(5)] + [late("SE9", "B")]
    kept, total = late_units(rows, limit=3)
    assert sorted(u.hsa_id for u in kept if u.forvaltning == "A") == ["SE0", "SE1", "SE2"]
    assert [u.hsa_id for u in kept if u.forvaltning == "B"] == ["SE9"]
    assert total == {"A": 5, "B": 1}


def test_a_cell_starting_with_a_tab_or_a_line_break_is_neutralised() -> None:
    for start in ("\t", "\r", "\n", "\0"):
        assert neutralise(f"{start}plain") == f"'{start}plain"
    assert neutralise(" \t=1+2") == "' \t=1+2"
    assert neutralise("plain") == "plain"
