"""A refused action leaves the database exactly as it was, on both databases: the refusal is
on the record, nothing else is (issue: on SQLite a refused submission and a refused approval
used to be stored, through a savepoint whose release committed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from logic.domain.errors import DraftNotHeld, StaleRevision, VerdictRefused
from logic.services.assessment import open_assessment, submit_decision, take_over_draft
from logic.services.audit import verify_audit
from logic.services.units import import_units
from logic.services.verdicts import approve_decision
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, BERTIL, HEADER, ROW, completed, on_day

TODAY = dt.date(2026, 11, 25)
HSA = "SE162321000255-T0001"
TABLES = ("units", "assessment_revisions", "approvals", "drafts", "users")


def snapshot(store: Store) -> dict[str, list[Any]]:
    """Every row of every table but the audit log (which records the refusal)."""
    with store.engine.connect() as conn:
        return {
            table: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {table}"))), key=repr)
            for table in TABLES
        }


@pytest.fixture
def loaded(store: Store) -> Store:
    store = on_day(store, TODAY)
    import_units(store, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")
    return store


def test_a_submission_from_a_draft_taken_over_writes_nothing(loaded: Store) -> None:
    annas = open_assessment(loaded, HSA, ANNA).draft
    bertils = take_over_draft(loaded, HSA, BERTIL).draft
    before = snapshot(loaded)
    with pytest.raises(DraftNotHeld):
        submit_decision(loaded, completed(annas), ANNA)
    assert snapshot(loaded) == before
    revision = submit_decision(loaded, completed(bertils), BERTIL)  # Bertil still can
    assert revision.revision == 1
    assert verify_audit(loaded, ADAM).intact


def test_a_stale_approval_writes_nothing_and_the_record_verifies(loaded: Store) -> None:
    first = submit_decision(loaded, completed(open_assessment(loaded, HSA, ANNA).draft), ANNA)
    second_draft = open_assessment(loaded, HSA, BERTIL).draft
    submit_decision(loaded, completed(second_draft), BERTIL)
    before = snapshot(loaded)
    with pytest.raises(VerdictRefused):
        approve_decision(loaded, HSA, first.revision, first.content_hash, BERIT)
    assert snapshot(loaded) == before
    assert verify_audit(loaded, ADAM).intact


def test_a_stale_submission_writes_nothing(loaded: Store) -> None:
    draft = completed(open_assessment(loaded, HSA, ANNA).draft)
    submit_decision(loaded, draft, ANNA)
    open_assessment(loaded, HSA, ANNA)  # a new draft, based on revision 1
    before = snapshot(loaded)
    with pytest.raises(StaleRevision):  # the old copy, based on no revision
        submit_decision(loaded, draft, ANNA)
    assert snapshot(loaded) == before


@pytest.mark.parametrize("text", ["Motivering\x00med NUL", "Ring 19121212–1212"])
def test_a_text_the_record_must_never_hold_is_refused_before_the_database(
    loaded: Store, text: str
) -> None:
    """A NUL used to reach PostgreSQL as a raw DataError; now both databases refuse it in
    words at the field, with the draft save and the submission alike."""
    from logic.domain.errors import DecisionInvalid
    from logic.services.assessment import save_draft

    draft = completed(open_assessment(loaded, HSA, ANNA).draft).model_copy(
        update={"rationale": text}
    )
    before = snapshot(loaded)
    with pytest.raises(DecisionInvalid) as saved:
        save_draft(loaded, draft, ANNA)
    with pytest.raises(DecisionInvalid) as submitted:
        submit_decision(loaded, draft, ANNA)
    for refusal in (saved.value, submitted.value):
        fields = [e.field for errors in refusal.errors.values() for e in errors]
        assert fields == ["rationale"]
    assert snapshot(loaded) == before


def test_a_draft_save_based_on_a_revision_no_longer_the_newest_is_refused(loaded: Store) -> None:
    """An old tab's copy: Anna's draft was taken over and submitted; she opened the unit again
    (a new draft, based on revision 1); the old tab's save must not overwrite it."""
    from logic.services.assessment import save_draft

    old_tab = open_assessment(loaded, HSA, ANNA).draft
    submit_decision(loaded, completed(take_over_draft(loaded, HSA, BERTIL).draft), BERTIL)
    fresh = open_assessment(loaded, HSA, ANNA).draft
    assert fresh.based_on_revision == 1
    before = snapshot(loaded)
    with pytest.raises(StaleRevision):
        save_draft(loaded, old_tab.model_copy(update={"rationale": "Gammal flik."}), ANNA)
    assert snapshot(loaded) == before
