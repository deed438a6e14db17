"""What is read from the register and kept (readmodels/kept.py) outlives the actions that
only read: an export, a report, a decision document, a verification, a sign-in. Each of
them is still on the record under its name; any action that writes makes it anew."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from logic.domain.auth import PermissionDenied
from logic.domain.record import READING_ACTIONS
from logic.domain.register import RegisterFilter, RegisterView
from logic.files.reference_data import catalog
from logic.services.audit import verify_audit
from logic.services.decision_documents import decision_document, decision_documents
from logic.services.policy import policy_impact
from logic.services.register import export_decisions, export_table, register_page
from logic.services.rollout import export_rollout, rollout_report
from logic.services.units import import_units
from logic.services.users import record_sign_out, save_user, sign_in
from logic.store.schema import audit_events
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, CECILIA, HEADER, ROW, decide, on_day
from tests.integration.test_register_page_kept import worked_out  # noqa: F401 (a fixture)

TODAY = dt.date(2026, 11, 25)
HSA_ID = "SE162321000255-T0001"


def version(store: Store) -> object:
    with store.transaction() as tx:
        return tx.audit.data_version()


def actions_since(store: Store, event_id: object) -> list[str]:
    with store.transaction() as tx:
        statement = select(audit_events.c.action).where(audit_events.c.id > event_id)
        return list(tx.connection.execute(statement.order_by(audit_events.c.id)).scalars())


def test_reading_leaves_the_version_and_is_on_the_record(
    store: Store,
    worked_out: list[RegisterView],  # noqa: F811 (the fixture imported above)
) -> None:
    store = on_day(store, TODAY)
    import_units(store, "\n".join([HEADER, ROW]).encode(), ADAM, source="t.csv")
    decide(store, HSA_ID, ANNA, approver=BERIT)
    before = version(store)
    assert before is not None
    register_page(store, RegisterView(), CECILIA)

    export_decisions(store, RegisterFilter(), "csv", CECILIA)
    export_table(store, "tabell", ["a"], [["1"]], "csv", CECILIA)
    export_rollout(store, CECILIA, "csv", TODAY)
    rollout_report(store, CECILIA, "xlsx", TODAY)
    policy_impact(store, CECILIA, catalog(), "csv")
    decision_document(store, HSA_ID, CECILIA)
    decision_documents(store, "Primärvård Skåne", CECILIA)
    verify_audit(store, ADAM)
    with pytest.raises(PermissionDenied):  # refused, and the refusal on the record
        export_decisions(store, RegisterFilter(), "csv", ANNA.model_copy(update={"roles": ()}))
    signed_in = sign_in(store, CECILIA.email, CECILIA.namn, "lokal")
    record_sign_out(store, signed_in)

    assert version(store) == before
    register_page(store, RegisterView(), CECILIA)
    assert len(worked_out) == 1  # what was kept before them is kept still
    assert sorted(set(actions_since(store, before))) == sorted(READING_ACTIONS)


def test_every_other_action_is_a_new_version(store: Store) -> None:
    store = on_day(store, TODAY)
    first = version(store)
    import_units(store, "\n".join([HEADER, ROW]).encode(), ADAM, source="t.csv")
    imported = version(store)
    assert imported != first
    export_rollout(store, CECILIA, "csv", TODAY)  # a reading action in between
    save_user(store, CECILIA.model_copy(update={"namn": "Cecilia C"}), ADAM)
    assert version(store) not in (first, imported)
