"""A decision is one coherent thing, on SQLite and PostgreSQL: the submission writes nothing
that contradicts itself, whatever it is sent, and a re-assessment that changes the outcome
does not carry the earlier decision's texts into it unseen."""

from __future__ import annotations

import datetime as dt

import pytest

from logic.domain.assessment import Exemption, review_bounds
from logic.domain.errors import DecisionInvalid
from logic.files.reference_data import catalog
from logic.services import assessment
from logic.services.assessment import open_assessment, submit_decision
from logic.services.register import unit_history
from logic.services.units import import_units
from logic.services.verdicts import approve_decision
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, HEADER, ROW, completed, on_day

TODAY = dt.date(2026, 11, 25)
HSA = "SE162321000255-T0001"


@pytest.fixture
def loaded(store: Store) -> Store:
    store = on_day(store, TODAY)
    import_units(store, "\n".join([HEADER, ROW]).encode(), ADAM, source="t.csv")
    return store


def test_the_submission_refuses_a_contradiction_the_wizard_did_not_catch(
    loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the wizard's validation out of the way (a page's bug, a caller of its own), an
    "omfattas" that exempts case types is still refused, in words, and nothing is written."""
    monkeypatch.setattr(assessment, "validate_all", lambda *args, **kwargs: {})
    draft = open_assessment(loaded, HSA, ANNA).draft
    exemption = Exemption(
        scope="per_arendetyp",
        case_types=("fornya_recept",),
        grounds=("erbjuds_inte",),
        rationale="Skäl.",
        review_date=review_bounds(TODAY, catalog())[1],
    )
    contradictory = completed(draft).model_copy(update={"exemption": exemption})
    with pytest.raises(DecisionInvalid) as refused:
        submit_decision(loaded, contradictory, ANNA)
    assert "coherence.scope" in [e.message for e in refused.value.errors["beslut"]]
    assert unit_history(loaded, HSA, ANNA) == []
    assert open_assessment(loaded, HSA, ANNA).resumed  # the draft is still open


def test_a_changed_outcome_takes_the_earlier_rationale_only_when_confirmed(loaded: Store) -> None:
    first = submit_decision(loaded, completed(open_assessment(loaded, HSA, ANNA).draft), ANNA)
    approve_decision(loaded, HSA, first.revision, first.content_hash, BERIT)
    again = open_assessment(loaded, HSA, ANNA).draft
    assert again.earlier is not None and again.earlier.outcome == "omfattas"
    assert again.rationale == first.decision["rationale"]  # carried, shown as the earlier's
    changed = again.model_copy(
        update={"outcome": "ej_omfattad", "justifications": {"utfall": "x", "lagstaniva": "x"}}
    )
    with pytest.raises(DecisionInvalid) as refused:
        submit_decision(loaded, changed, ANNA)
    assert [e.field for e in refused.value.errors["beslut"]] == ["earlier_texts_confirmed"]
    assert [r.revision for r in unit_history(loaded, HSA, ANNA)] == [1]
    # rewritten: recorded
    rewritten = changed.model_copy(update={"rationale": "Enheten har lämnat vården."})
    second = submit_decision(loaded, rewritten, ANNA)
    assert second.decision["rationale"] == "Enheten har lämnat vården."
    approve_decision(loaded, HSA, second.revision, second.content_hash, BERIT)
    # or confirmed as it stands: recorded with the same words
    third = open_assessment(loaded, HSA, ANNA).draft
    back = completed(third).model_copy(
        update={"rationale": third.rationale, "earlier_texts_confirmed": True}
    )
    assert submit_decision(loaded, back, ANNA).decision["rationale"] == rewritten.rationale
