"""Saving a draft: each refusal names the unit and what stands in the way (the holder and
since when, the revisions, the text field), and two tabs of one person never undo each
other's fields, dates included; on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from logic.domain.errors import DecisionInvalid, DraftNotHeld, StaleRevision
from logic.services.assessment import (
    discard_draft,
    open_assessment,
    save_draft,
    take_over_draft,
)
from logic.services.units import import_units
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, BERTIL, HEADER, ROW, decide, on_day

TODAY = dt.date(2026, 11, 25)
HSA = "SE162321000255-T0001"
PERSONNUMMER = "Ring 19121212-1212 om något."


@pytest.fixture
def loaded(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    return store


def test_a_draft_taken_over_names_who_holds_it_and_since_when(loaded: Store) -> None:
    draft = open_assessment(loaded, HSA, ANNA).draft
    take_over_draft(loaded, HSA, BERTIL)
    with pytest.raises(DraftNotHeld) as refused:
        save_draft(loaded, draft.model_copy(update={"rationale": "Min."}), ANNA)
    assert (refused.value.hsa_id, refused.value.holder) == (HSA, BERTIL.email)
    assert refused.value.since is not None


def test_a_draft_over_a_newer_decision_names_both_revisions(loaded: Store) -> None:
    decide(loaded, HSA, ANNA, approver=BERIT)  # revision 1
    draft = open_assessment(loaded, HSA, ANNA).draft  # based on it
    take_over_draft(loaded, HSA, BERTIL)  # someone else takes it over and decides again
    decide(loaded, HSA, BERTIL, approver=BERIT)
    with pytest.raises(StaleRevision) as refused:
        save_draft(loaded, draft, ANNA)
    assert (refused.value.hsa_id, refused.value.based_on, refused.value.current) == (HSA, 1, 2)


def test_a_draft_no_one_holds_any_longer_says_so(loaded: Store) -> None:
    draft = open_assessment(loaded, HSA, ANNA).draft
    discard_draft(loaded, HSA, ANNA)
    with pytest.raises(DraftNotHeld) as refused:
        save_draft(loaded, draft, ANNA)
    assert (refused.value.hsa_id, refused.value.holder, refused.value.since) == (HSA, None, None)


@pytest.mark.parametrize("merged", [False, True])
def test_a_draft_with_an_identity_number_is_refused_by_its_field(
    loaded: Store, merged: bool
) -> None:
    base = open_assessment(loaded, HSA, ANNA).draft
    if merged:  # the other tab wrote it: refused when laid over this tab's save
        with loaded.transaction() as tx:  # stored behind the checks, as an older version might
            stored = base.model_dump(mode="json") | {"rationale": PERSONNUMMER}
            assert tx.drafts.update(HSA, ANNA.email, stored)
        mine = base.model_copy(update={"remark": "Annat."})
        with pytest.raises(DecisionInvalid) as refused:
            save_draft(loaded, mine, ANNA, base=base)
    else:
        with pytest.raises(DecisionInvalid) as refused:
            save_draft(loaded, base.model_copy(update={"rationale": PERSONNUMMER}), ANNA)
    assert list(refused.value.errors) == ["utkast"]
    assert [e.field for e in refused.value.errors["utkast"]] == ["rationale"]


def test_two_tabs_keep_each_other_s_dates(loaded: Store) -> None:
    opened = open_assessment(loaded, HSA, ANNA).draft
    base = save_draft(
        loaded, opened.model_copy(update={"analysis_expected": dt.date(2027, 1, 4)}), ANNA
    )
    later = dt.date(2027, 3, 1)
    save_draft(loaded, base.model_copy(update={"analysis_expected": later}), ANNA, base=base)
    second = base.model_copy(update={"rationale": "Den andra fliken."})
    saved = save_draft(loaded, second, ANNA, base=base)  # the other tab, from the same base
    assert saved.analysis_expected == later and saved.rationale == "Den andra fliken."
    stored = open_assessment(loaded, HSA, ANNA).draft
    assert (stored.analysis_expected, stored.rationale) == (later, "Den andra fliken.")
