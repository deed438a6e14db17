"""The store, the same suite on SQLite and PostgreSQL (see conftest)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from logic.domain.errors import StaleRevision
from logic.domain.record import GENESIS, NewRevision, canonical_hash, key_id
from logic.domain.rules import recommend
from logic.files.reference_data import catalog
from logic.files.unit_file import UnitFileError
from logic.services.register import recommendation_overview
from logic.services.units import import_units, seed_sample_units
from logic.settings import settings
from logic.store.store import Store
from tests.conftest import TEST_AUDIT_KEY
from tests.factories import ADAM, HEADER, ROW, make_unit


def new_revision(based_on: int | None, author: str = "anna", **decision: object) -> NewRevision:
    unit = make_unit()
    return NewRevision(
        hsa_id=unit.hsa_id,
        based_on_revision=based_on,
        author=author,
        inputs=unit.model_dump(mode="json"),
        recommendation=recommend(unit, catalog(), dt.date(2026, 11, 25)),
        outcome="omfattas",
        variant="primarvard",
        decision={"rationale": "Enheten erbjuder recept via telefon.", **decision},
    )


def load_one(store: Store) -> None:
    import_units(store, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="test.csv")


def test_sample_units_are_seeded_once_into_an_empty_register(store: Store) -> None:
    first = seed_sample_units(store, settings().sample_units)
    assert first is not None and first.added >= 60
    assert seed_sample_units(store, settings().sample_units) is None
    counts = recommendation_overview(store, ADAM)
    assert sum(r.count for r in counts) == first.added
    assert {r.outcome for r in counts} == {
        "omfattas",
        "avvaktar_avtalsanalys",
        "prova_undantag",
        "ej_omfattad",
    }


def test_import_upserts_by_hsa_id_and_counts(store: Store) -> None:
    load_one(store)
    changed = ROW.replace("Vårdcentralen Test", "Vårdcentralen Ändrad")
    other = ROW.replace("T0001", "T0002")
    result = import_units(store, f"{HEADER}\n{changed}\n{other}\n".encode(), ADAM, "b.csv")
    assert (result.added, result.updated, result.unchanged) == (1, 1, 0)
    with store.transaction() as tx:
        unit = tx.units.get("SE162321000255-T0001")
        assert unit is not None and unit.namn == "Vårdcentralen Ändrad"
        assert tx.units.count() == 2


def test_a_file_with_a_bad_row_writes_nothing(store: Store) -> None:
    bad = ROW.replace("T0001", "T0002").replace(";primarvard;", ";allmanmedicin;")
    with pytest.raises(UnitFileError):
        import_units(store, f"{HEADER}\n{ROW}\n{bad}\n".encode(), ADAM, "bad.csv")
    with store.transaction() as tx:
        assert tx.units.count() == 0
        assert tx.audit.events() == []


def test_revisions_append_with_who_when_trace_and_catalog_version(store: Store) -> None:
    load_one(store)
    with store.transaction() as tx:
        first = tx.revisions.add(new_revision(None))
        second = tx.revisions.add(new_revision(1, author="bertil"))
    assert (first.revision, second.revision) == (1, 2)
    with store.transaction() as tx:
        history = tx.revisions.of_unit("SE162321000255-T0001")
    assert [r.author for r in history] == ["anna", "bertil"]
    assert history[1].based_on_revision == 1
    assert history[0].catalog_version == catalog().version
    assert "minsta_niva_kontakt" in history[0].recommendation.rule_ids
    assert history[0].content_hash == first.content_hash


def test_a_save_based_on_a_stale_revision_is_refused_and_nothing_is_written(store: Store) -> None:
    load_one(store)
    with store.transaction() as tx:
        tx.revisions.add(new_revision(None))
        tx.revisions.add(new_revision(1))
    with pytest.raises(StaleRevision) as info, store.transaction() as tx:
        tx.revisions.add(new_revision(1, author="cecilia"))
    assert (info.value.based_on, info.value.current) == (1, 2)
    with store.transaction() as tx:
        assert [r.author for r in tx.revisions.of_unit("SE162321000255-T0001")] == ["anna", "anna"]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE assessment_revisions SET author = 'mallory'",
        "DELETE FROM assessment_revisions",
        "UPDATE audit_events SET actor = 'mallory'",
        "DELETE FROM audit_events",
    ],
)
def test_the_database_refuses_to_update_or_delete_the_record(store: Store, statement: str) -> None:
    load_one(store)
    with store.transaction() as tx:
        tx.revisions.add(new_revision(None))
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    with store.transaction() as tx:
        assert tx.revisions.of_unit("SE162321000255-T0001")[0].author == "anna"
        assert len(tx.audit.events()) == 1


def test_audit_events_form_a_hash_chain(store: Store) -> None:
    load_one(store)
    load_one(store)
    with store.transaction() as tx:
        events = tx.audit.events()
    assert [e.action for e in events] == ["import_units", "import_units"]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    e = events[1]
    body = {
        "at": e.at.isoformat(),
        "actor": e.actor,
        "action": e.action,
        "details": e.details,
        "prev_hash": e.prev_hash,
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    keyed = hmac.new(TEST_AUDIT_KEY, text.encode(), hashlib.sha256).hexdigest()
    assert e.hash == keyed != canonical_hash(body)  # an HMAC with the key, not a plain hash
    assert e.key_id == key_id(TEST_AUDIT_KEY)


@pytest.mark.parametrize("table", ["audit_events", "assessment_revisions"])
def test_a_row_cannot_be_replaced_by_an_insert_either(store: Store, table: str) -> None:
    """SQLite's INSERT OR REPLACE deletes the row it collides with, without delete triggers;
    PostgreSQL's ON CONFLICT DO UPDATE updates it. Both are refused; the row stands."""
    load_one(store)
    with store.transaction() as tx:
        tx.revisions.add(new_revision(None))
    with store.engine.connect() as conn:
        before = [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
    if store.engine.dialect.name == "sqlite":
        statement = (
            f"INSERT OR REPLACE INTO {table} SELECT * FROM {table} WHERE id = {before[0][0]}"
        )
    else:
        first = before[0][0]
        statement = (
            f"INSERT INTO {table} SELECT * FROM {table} WHERE id = {first} "
            f"ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id"
        )
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    with store.engine.connect() as conn:
        after = [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
    assert after == before
