"""Wizard services without the UI: drafts and submit_decision, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from logic.domain.assessment import Exemption
from logic.domain.errors import DecisionInvalid, DraftNotHeld, StaleRevision, UnknownUnit
from logic.services.assessment import open_assessment, save_draft, submit_decision, take_over_draft
from logic.services.register import unit_history
from logic.services.units import import_units, search_units
from logic.services.verdicts import approve_decision, return_decision
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, BERTIL, HEADER, ROW, completed, on_day

TODAY = dt.date(2026, 11, 25)
HSA = "SE162321000255-T0001"


@pytest.fixture
def loaded(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002").replace("Vårdcentralen Test", "Avdelning 7")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    return store


def test_a_new_draft_is_held_by_who_opened_it_and_resumes_after_a_save(loaded: Store) -> None:
    opened = open_assessment(loaded, HSA, ANNA)
    assert (opened.holder, opened.resumed) == (ANNA.email, False)
    save_draft(loaded, opened.draft.model_copy(update={"step": 3, "rationale": "x"}), ANNA)
    again = open_assessment(loaded, HSA, ANNA)
    assert again.resumed and again.draft.step == 3 and again.draft.rationale == "x"


def test_opening_is_recorded_with_the_revision_it_starts_from(loaded: Store) -> None:
    with pytest.raises(UnknownUnit) as refused:  # a unit the register does not hold: named
        open_assessment(loaded, "SE162321000255-X0009", ANNA)
    assert refused.value.hsa_id == "SE162321000255-X0009"
    first = open_assessment(loaded, HSA, ANNA)
    submit_decision(loaded, completed(first.draft), ANNA)
    open_assessment(loaded, HSA, ANNA)
    with loaded.transaction() as tx:
        opened = [e.details for e in tx.audit.events() if e.action == "open_draft"]
    assert opened == [{"hsa_id": HSA, "based_on": None}, {"hsa_id": HSA, "based_on": 1}]


def test_a_second_person_sees_the_holder_and_can_take_over(loaded: Store) -> None:
    open_assessment(loaded, HSA, ANNA)
    seen = open_assessment(loaded, HSA, BERTIL)
    assert seen.held_by_other(BERTIL) and seen.holder == ANNA.email
    taken = take_over_draft(loaded, HSA, BERTIL)
    assert taken.holder == BERTIL.email
    with pytest.raises(DraftNotHeld) as info:
        save_draft(loaded, seen.draft, ANNA)
    assert info.value.holder == BERTIL.email


def test_submit_decision_appends_a_revision_with_trace_author_and_closes_the_draft(
    loaded: Store,
) -> None:
    opened = open_assessment(loaded, HSA, ANNA)
    revision = submit_decision(loaded, completed(opened.draft), ANNA)
    assert (revision.revision, revision.author, revision.outcome) == (1, ANNA.email, "omfattas")
    assert revision.decision["rationale"].startswith("Enheten erbjuder recept")
    assert "telefon_papper" in revision.recommendation.rule_ids
    history = unit_history(loaded, HSA, ANNA)
    assert [r.revision for r in history] == [1]
    # re-assessing starts from that decision, as a new revision
    again = open_assessment(loaded, HSA, ANNA)
    assert not again.resumed and again.draft.based_on_revision == 1
    assert again.draft.rationale == revision.decision["rationale"]
    submit_decision(loaded, completed(again.draft), ANNA)
    assert [r.revision for r in unit_history(loaded, HSA, ANNA)] == [1, 2]


def test_an_invalid_decision_is_refused_and_nothing_is_written(loaded: Store) -> None:
    opened = open_assessment(loaded, HSA, ANNA)
    bad = completed(opened.draft).model_copy(
        update={
            "exemption": Exemption(scope="per_arendetyp", case_types=("fornya_recept",)),
        }
    )
    with pytest.raises(DecisionInvalid) as info:
        submit_decision(loaded, bad, ANNA)
    fields = {e.field for e in info.value.errors["undantag"]}
    assert fields == {"exemption_grounds", "exemption_rationale", "exemption_review_date"}
    assert unit_history(loaded, HSA, ANNA) == []


def test_a_decision_based_on_a_stale_revision_is_refused(loaded: Store) -> None:
    opened = open_assessment(loaded, HSA, ANNA)
    stale = completed(opened.draft)
    taken = take_over_draft(loaded, HSA, BERTIL)
    submit_decision(loaded, completed(taken.draft), BERTIL)
    with pytest.raises(StaleRevision) as refused:
        submit_decision(loaded, stale, ANNA)
    assert (refused.value.based_on, refused.value.current) == (None, 1)  # opened on none
    assert [r.author for r in unit_history(loaded, HSA, ANNA)] == [BERTIL.email]
    again = open_assessment(loaded, HSA, ANNA).draft  # based on revision 1
    submit_decision(loaded, completed(take_over_draft(loaded, HSA, BERTIL).draft), BERTIL)
    with pytest.raises(StaleRevision) as refused:
        submit_decision(loaded, completed(again), ANNA)
    assert (refused.value.based_on, refused.value.current) == (1, 2)


def test_corrections_update_the_register_when_asked_and_approved(loaded: Store) -> None:
    opened = open_assessment(loaded, HSA, ANNA)
    corrected = completed(opened.draft).model_copy(
        update={
            "unit": opened.draft.unit.model_copy(update={"namn": "Vårdcentralen Rättad"}),
        }
    )
    revision = submit_decision(loaded, corrected, ANNA)
    assert revision.decision["corrections"] == {
        "namn": ["Vårdcentralen Test", "Vårdcentralen Rättad"]
    }
    assert search_units(loaded, "rättad", ANNA) == []  # not before a second person approves
    approve_decision(loaded, HSA, revision.revision, revision.content_hash, BERIT)
    assert search_units(loaded, "rättad", ANNA)[0].hsa_id == HSA


def test_search_lists_undecided_units_first(loaded: Store) -> None:
    opened = open_assessment(loaded, HSA, ANNA)
    submit_decision(loaded, completed(opened.draft), ANNA)
    found = search_units(loaded, "", ANNA)
    assert [u.hsa_id for u in found] == ["SE162321000255-T0002", HSA]
    assert found[1].latest_revision == 1
    assert [u.hsa_id for u in search_units(loaded, "t0002", ANNA)] == ["SE162321000255-T0002"]
    assert search_units(loaded, "%", ANNA) == []


def test_search_ignores_case_and_diacritics_and_matches_every_word(loaded: Store) -> None:
    assert [u.hsa_id for u in search_units(loaded, "VARDCENTRALEN test", ANNA)] == [HSA]
    assert [u.hsa_id for u in search_units(loaded, "avdelning 7", ANNA)] == ["SE162321000255-T0002"]
    assert search_units(loaded, "vårdcentralen 7", ANNA) == []


def test_a_recorded_decision_keeps_its_key_facts_as_columns(loaded: Store) -> None:
    opened = open_assessment(loaded, HSA, ANNA)
    exempt = completed(opened.draft).model_copy(
        update={
            "outcome": "delvis_undantagen",
            "exemption": Exemption(
                scope="per_arendetyp",
                case_types=("fornya_recept",),
                grounds=("erbjuds_inte",),
                rationale="Inga recept.",
                review_date=dt.date(2027, 5, 1),
            ),
        }
    )
    revision = submit_decision(loaded, exempt, ANNA)
    [stored] = unit_history(loaded, HSA, ANNA)
    assert stored.review_date == dt.date(2027, 5, 1)
    assert stored.grounds == ("erbjuds_inte",)
    assert "fornya_recept" not in stored.required  # exempted, so not required
    assert stored.rationale == revision.rationale
    assert stored.deviates is False


def test_the_decision_text_is_made_from_the_decision_at_every_submission(loaded: Store) -> None:
    """Decided "omfattas inte", returned, re-assessed as "omfattas": the text stored with the
    new revision says "Omfattas" and lists what is required, whatever an earlier text said."""
    draft = open_assessment(loaded, HSA, ANNA).draft
    first = submit_decision(
        loaded,
        completed(draft).model_copy(
            update={
                "outcome": "ej_omfattad",
                "justifications": {"utfall": "Ingen kontakt.", "lagstaniva": "Ingen kontakt."},
            }
        ),
        ANNA,
    )
    assert first.decision["decision_text"].startswith("Vårdcentralen Test: Omfattas inte. ")
    return_decision(loaded, HSA, first.revision, first.content_hash, "Den omfattas.", BERIT)
    again = open_assessment(loaded, HSA, ANNA).draft
    assert again.outcome == "ej_omfattad"  # carried over from the returned decision
    # a draft saved before the text was generated: its own wording becomes the remark
    legacy = again.model_dump(mode="json") | {
        "outcome": "omfattas",
        "response_time": "samma_vardag",  # "omfattas inte" recorded none to carry over
        "justifications": {},
        "decision_text": "Vårdcentralen Test: Omfattas inte. Undantas: Kontakta oss.",
        "earlier_texts_confirmed": True,  # the rationale holds for "omfattas" too
    }
    second = submit_decision(loaded, type(again).model_validate(legacy), ANNA)
    text = second.decision["decision_text"]
    assert text.startswith("Vårdcentralen Test: Omfattas. Variant: Vårdcentral (primärvård).")
    assert "Kontakta oss / Skriv till oss. Saknas i dag: Av- och omboka tid" in text
    assert "Omfattas inte" not in text and "undantas" not in text
    assert second.decision["remark"].startswith("Vårdcentralen Test: Omfattas inte.")
    assert second.outcome == "omfattas" and "kontakt" in second.required


def test_a_draft_saved_before_a_field_existed_can_still_be_saved(loaded: Store) -> None:
    opened = open_assessment(loaded, HSA, ANNA).draft
    old = opened.model_dump(mode="json")
    del old["remark"], old["analysis_expected"], old["ward"]["ask_patient"]
    with loaded.transaction() as tx:  # as an older version of the tool stored it
        assert tx.drafts.update(HSA, ANNA.email, old)
    base = open_assessment(loaded, HSA, ANNA).draft
    saved = save_draft(loaded, base.model_copy(update={"rationale": "Nu."}), ANNA, base=base)
    assert saved.rationale == "Nu." and saved.remark == ""
    assert open_assessment(loaded, HSA, ANNA).draft.rationale == "Nu."


def test_a_submission_works_out_the_recommendation_once(
    loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every check and the record use one recommendation (and what the variant chosen
    requires), not one each."""
    import logic.domain.assessment
    import logic.domain.rules

    real = logic.domain.rules.recommend
    calls: list[str] = []

    def counted(*args: object, **kwargs: object) -> object:
        calls.append("recommend")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    for module in (logic.domain.assessment, logic.domain.rules):
        monkeypatch.setattr(module, "recommend", counted)
    draft = open_assessment(loaded, HSA, ANNA).draft
    submit_decision(loaded, completed(draft), ANNA)
    assert calls == ["recommend", "recommend"]  # the recommendation, the variant chosen


def test_a_returned_decision_writes_none_of_its_corrections_to_the_register(
    loaded: Store,
) -> None:
    opened = open_assessment(loaded, HSA, ANNA)
    corrected = completed(opened.draft).model_copy(
        update={
            "unit": opened.draft.unit.model_copy(update={"namn": "Vårdcentralen Rättad"}),
            "update_register": True,
        }
    )
    revision = submit_decision(loaded, corrected, ANNA)
    assert revision.decision["update_register"] and revision.decision["corrections"]
    return_decision(loaded, HSA, revision.revision, revision.content_hash, "Ändra.", BERIT)
    assert search_units(loaded, "rättad", ANNA) == []  # only an approval writes them
    assert search_units(loaded, "vårdcentralen test", ANNA)[0].hsa_id == HSA
    with loaded.transaction() as tx:  # nor does its event commit to an observation
        [returned] = [e.details for e in tx.audit.events() if e.action == "return_decision"]
    assert set(returned) == {"hsa_id", "revision", "content_hash", "comment"}
