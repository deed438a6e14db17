"""A verdict that loses a race is refused in words and leaves only its refusal: the checks
read no verdict yet but one lands before this one is written (another approver, a moment
earlier), or a newer revision lands before the register takes the verdict. Both are
closed by the unit's lock today; the refusals are what a page says if a lock is ever lost,
so they are tested by making the checks read the world as it was a moment earlier."""

from __future__ import annotations

import datetime as dt

import pytest

from logic.domain.auth import User
from logic.domain.errors import VerdictRefused
from logic.services import verdicts as verdict_service
from logic.services.units import import_units
from logic.services.verdicts import approve_decision, unit_verdicts
from logic.store.store import Store
from logic.store.verdicts import VerdictRows
from tests.factories import ADAM, ANNA, BERIT, HEADER, ROW, decide, on_day

HSA = "SE162321000255-T0001"
BRITT = User(email="britt@region.se", namn="Britt Beslutsfattare", roles=("beslutsfattare",))


@pytest.fixture
def submitted(store: Store) -> Store:
    store = on_day(store, dt.date(2026, 11, 25))
    import_units(store, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")
    return store


def refusals(store: Store) -> list[dict[str, object]]:
    with store.transaction() as tx:
        return [e.details for e in tx.audit.events() if e.action == "verdict_refused"]


def test_a_verdict_landing_first_refuses_the_second_in_words(
    submitted: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    revision = decide(submitted, HSA, ANNA)
    approve_decision(submitted, HSA, revision.revision, revision.content_hash, BERIT)
    monkeypatch.setattr(VerdictRows, "given", lambda self, hsa_id=None: [])  # read before it
    with pytest.raises(VerdictRefused) as exc:
        approve_decision(submitted, HSA, revision.revision, revision.content_hash, BRITT)
    assert (exc.value.hsa_id, exc.value.revision, exc.value.reason) == (
        HSA,
        revision.revision,
        "already_decided",
    )
    assert exc.value.words() == ("workflow.refused.already_decided", {})
    monkeypatch.undo()
    assert [v.approver for v in unit_verdicts(submitted, HSA, ANNA)] == [BERIT.email]
    assert refusals(submitted) == [
        {"hsa_id": HSA, "revision": 1, "verdict": "faststalld", "reason": "already_decided"}
    ]


def test_a_newer_revision_landing_first_refuses_the_verdict_as_stale(
    submitted: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = decide(submitted, HSA, ANNA)
    decide(submitted, HSA, ANNA, rationale="Andra.")  # revision 2, the newest
    monkeypatch.setattr(verdict_service, "refusal", lambda **_: None)  # checked before it
    with pytest.raises(VerdictRefused) as exc:
        approve_decision(submitted, HSA, first.revision, first.content_hash, BERIT)
    assert (exc.value.revision, exc.value.reason) == (1, "stale")
    assert exc.value.words() == ("workflow.refused.stale", {})
    assert unit_verdicts(submitted, HSA, ANNA) == []  # nothing of it was kept
    assert refusals(submitted) == [
        {"hsa_id": HSA, "revision": 1, "verdict": "faststalld", "reason": "stale"}
    ]
