"""Tampering is detected: a revision or audit row altered directly in the database (with the
append-only triggers switched off, as only an administrator of the server could), on SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, text

from logic.services.audit import verify_audit
from logic.services.units import import_units
from logic.store.store import Store
from tests.factories import ADAM, HEADER, ROW, decide, on_day

HSA = "SE162321000255-T0001"


@pytest.fixture
def recorded(store: Store) -> Store:
    store = on_day(store, dt.date(2026, 11, 25))
    import_units(store, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")
    for rationale in ("Första.", "Andra."):
        decide(store, HSA, rationale=rationale)
    return store


@contextmanager
def triggers_off(store: Store, table: str) -> Iterator[Connection]:
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            yield conn
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        else:
            names = [
                r[0]
                for r in conn.execute(
                    text("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name=:t"),
                    {"t": table},
                )
            ]
            sql = [
                r[0]
                for r in conn.execute(
                    text("SELECT sql FROM sqlite_master WHERE type='trigger' AND tbl_name=:t"),
                    {"t": table},
                )
            ]
            for name in names:
                conn.execute(text(f"DROP TRIGGER {name}"))
            yield conn
            for statement in sql:
                conn.execute(text(statement))


def test_an_untouched_record_is_intact(recorded: Store) -> None:
    result = verify_audit(recorded, ADAM)
    assert result.intact
    # import, then open_draft and submit_decision twice
    assert (result.events, result.revisions) == (5, 2)


def test_an_altered_decision_is_detected(recorded: Store) -> None:
    with triggers_off(recorded, "assessment_revisions") as conn:
        conn.execute(text("UPDATE assessment_revisions SET author = 'mallory' WHERE revision = 1"))
    result = verify_audit(recorded, ADAM)
    assert (result.problem, result.where) == ("audit.altered_revision", f"{HSA} rev 1")


def test_an_altered_rationale_in_the_json_is_detected(recorded: Store) -> None:
    with recorded.transaction() as tx:
        revision = tx.revisions.of_unit(HSA)[1]
    decision = dict(revision.decision, rationale="Ändrad i efterhand.")
    with triggers_off(recorded, "assessment_revisions") as conn:
        conn.execute(
            text("UPDATE assessment_revisions SET decision = :d WHERE revision = 2"),
            {"d": json.dumps(decision)},
        )
    assert verify_audit(recorded, ADAM).where == f"{HSA} rev 2"


def test_an_altered_audit_event_is_detected(recorded: Store) -> None:
    with triggers_off(recorded, "audit_events") as conn:
        conn.execute(
            text(
                "UPDATE audit_events SET actor = 'mallory' WHERE id = "
                "(SELECT MIN(id) FROM audit_events)"
            )
        )
    result = verify_audit(recorded, ADAM)
    assert result.problem == "audit.altered_event"


def test_a_removed_audit_event_breaks_the_chain(recorded: Store) -> None:
    with triggers_off(recorded, "audit_events") as conn:
        second = conn.execute(text("SELECT id FROM audit_events ORDER BY id")).all()[1][0]
        conn.execute(text("DELETE FROM audit_events WHERE id = :i"), {"i": second})
    result = verify_audit(recorded, ADAM)
    assert result.problem == "audit.broken_link"
