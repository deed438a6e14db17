"""A unit manager acknowledges (kvitterar) the decision in force on their unit: once per
person and revision, bound to the content they saw, never a decision no longer in force nor
another's unit; the regional team sees which decisions in force no unit manager has
acknowledged; every acknowledgement is in the audit chain and verified. SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from logic.domain.acknowledgements import Acknowledgement, AcknowledgementRefused
from logic.domain.auth import PermissionDenied
from logic.services.audit import verify_audit
from logic.services.unit_managers import (
    acknowledge_decision,
    acknowledgements,
    unacknowledged_decisions,
)
from logic.services.units import import_units
from logic.services.users import save_user
from logic.services.verdicts import approve_decision
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, CECILIA, ELIN, HEADER, ROW, decide, on_day
from tests.integration.test_audit import triggers_off

TODAY = dt.date(2026, 11, 25)
T1, T2 = "SE162321000255-T0001", "SE162321000255-T0002"


@pytest.fixture
def held(store: Store) -> Store:
    """T1 and T2 in the register, Elin unit manager of T1, a decision in force on each."""
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    save_user(store, ELIN, ADAM)
    for unit in (T1, T2):
        decide(store, unit, ANNA, approver=BERIT)
    return store


def test_a_unit_manager_acknowledges_the_decision_in_force_once(held: Store) -> None:
    [waiting] = unacknowledged_decisions(held, ANNA)  # T2 has no unit manager: not asked
    assert (waiting.hsa_id, waiting.revision, waiting.managers) == (T1, 1, (ELIN.email,))
    first = decide(held, T1, ANNA)  # revision 2 waits: revision 1 stays in force
    with held.transaction() as tx:
        in_force = tx.revisions.get(T1, 1)
    assert in_force is not None
    for revision, seen, refused in [
        (2, first.content_hash, "not_in_force"),  # waiting, not in force
        (1, first.content_hash, "changed"),  # not the content of revision 1
    ]:
        with pytest.raises(AcknowledgementRefused) as exc:
            acknowledge_decision(held, ELIN, T1, revision, seen)
        assert exc.value.reason == refused
    made = acknowledge_decision(held, ELIN, T1, 1, in_force.content_hash)
    assert (made.hsa_id, made.revision, made.email) == (T1, 1, ELIN.email)
    with pytest.raises(AcknowledgementRefused) as exc:
        acknowledge_decision(held, ELIN, T1, 1, in_force.content_hash)
    assert exc.value.reason == "already"
    assert unacknowledged_decisions(held, ANNA) == []
    assert acknowledgements(held, ELIN, T1) == [made] == acknowledgements(held, CECILIA, T1)

    # a newer decision approved: to be acknowledged again, and the old one no longer can be
    approve_decision(held, T1, first.revision, first.content_hash, BERIT)
    assert [(u.hsa_id, u.revision) for u in unacknowledged_decisions(held, ANNA)] == [(T1, 2)]
    with pytest.raises(AcknowledgementRefused) as exc:
        acknowledge_decision(held, ELIN, T1, 1, in_force.content_hash)
    assert exc.value.reason == "not_in_force"
    acknowledge_decision(held, ELIN, T1, 2, first.content_hash)
    with held.transaction() as tx:
        said = [e.details for e in tx.audit.events() if e.action == "acknowledge_decision"]
    assert said == [
        {"hsa_id": T1, "revision": 1, "content_hash": in_force.content_hash},
        {"hsa_id": T1, "revision": 2, "content_hash": first.content_hash},
    ]
    assert verify_audit(held, ADAM).intact


def test_only_the_unit_s_own_manager_acknowledges(held: Store) -> None:
    with held.transaction() as tx:
        other = tx.revisions.get(T2, 1)
        own = tx.revisions.get(T1, 1)
    assert other is not None and own is not None
    with pytest.raises(PermissionDenied):  # not a unit she holds
        acknowledge_decision(held, ELIN, T2, 1, other.content_hash)
    for someone in (ANNA, BERIT, CECILIA, ADAM):  # no other role acknowledges for the unit
        with pytest.raises(PermissionDenied):
            acknowledge_decision(held, someone, T1, 1, own.content_hash)
    with pytest.raises(PermissionDenied):
        acknowledgements(held, ELIN, T2)


def test_two_acknowledgements_at_once_make_one(held: Store) -> None:
    with held.transaction() as tx:
        own = tx.revisions.get(T1, 1)
    assert own is not None

    def once() -> object:
        try:
            return acknowledge_decision(held, ELIN, T1, 1, own.content_hash)
        except AcknowledgementRefused as exc:
            return exc.reason

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda _: once(), range(2)))
    assert sorted(map(type, outcomes), key=str) == sorted([Acknowledgement, str], key=str), outcomes
    assert "already" in outcomes and len(acknowledgements(held, ELIN, T1)) == 1


@pytest.mark.parametrize(
    "forgery",
    [
        "UPDATE acknowledgements SET revision = 2",
        "DELETE FROM acknowledgements",
        "INSERT INTO acknowledgements (hsa_id, revision, email, at, content_hash) "
        "SELECT hsa_id, revision, 'annan@region.se', at, content_hash FROM acknowledgements",
    ],
    ids=["moved", "deleted", "inserted"],
)
def test_an_acknowledgement_changed_behind_the_app_s_back_is_named(
    held: Store, forgery: str
) -> None:
    with held.transaction() as tx:
        own = tx.revisions.get(T1, 1)
    assert own is not None
    acknowledge_decision(held, ELIN, T1, 1, own.content_hash)
    with triggers_off(held, "acknowledgements") as conn:
        conn.execute(text(forgery))
    result = verify_audit(held, ADAM)
    assert result.problem == "audit.altered_acknowledgement"
    assert result.where.startswith(T1)
