"""An import of many units on SQLite makes the tally index once at its end instead of entry
by entry: the figures are the same, the index is there afterwards, and an import that fails
half way leaves the index and the register as they were. PostgreSQL keeps its index (DROP
INDEX there would lock every reader out until the import commits)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import inspect

from logic.services import units as units_service
from logic.services.units import import_units
from logic.settings import settings
from logic.store import rollout_projection
from logic.store.store import Store
from tests.factories import ADAM, on_day

TODAY = dt.date(2026, 11, 25)


def tally_index_there(store: Store) -> bool:
    indexes = inspect(store.engine).get_indexes("rollout")
    return "ix_rollout_tally" in [index["name"] for index in indexes]


def imported(store: Store) -> tuple[int, list[Any]]:
    result = import_units(store, settings().sample_units, ADAM, source="sample.csv")
    with store.transaction(readonly=True) as tx:
        return result.added, tx.rollout.tallies(TODAY, None)


class Spy:
    """The tally index, with its drops and makes counted."""

    def __init__(self) -> None:
        self.index = rollout_projection.TALLY_INDEX
        self.calls: list[str] = []

    def drop(self, connection: Any) -> None:
        self.calls.append("drop")
        self.index.drop(connection)

    def create(self, connection: Any) -> None:
        self.calls.append("create")
        self.index.create(connection)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    made = Spy()
    monkeypatch.setattr(rollout_projection, "TALLY_INDEX", made)
    return made


def test_many_units_give_the_same_figures_with_the_index_made_at_the_end(
    store: Store, tmp_path: Any, engine: Any, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = on_day(store, TODAY)
    few = imported(store)  # the sample is fewer than MANY_UNITS: index kept as it is
    assert spy.calls == []
    monkeypatch.setattr(rollout_projection, "MANY_UNITS", 1)
    many = imported(store)  # the same file again, now counted as many
    postgresql = store.engine.dialect.name == "postgresql"
    assert spy.calls == ([] if postgresql else ["drop", "create"])
    assert tally_index_there(store)
    assert many[1] == few[1] and few[1]  # the same figures, and some


def test_a_few_units_into_a_large_register_keep_the_index(
    store: Store, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = on_day(store, TODAY)
    added, _ = imported(store)
    # the file's units are MANY_UNITS but fewer than a tenth of the register
    monkeypatch.setattr(rollout_projection, "MANY_UNITS", 1)
    monkeypatch.setattr(units_service, "check_units", lambda data, lang: added // 10 - 1)
    imported(store)
    assert spy.calls == []


def test_an_import_failing_half_way_leaves_the_index_and_the_register(
    store: Store, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = on_day(store, TODAY)
    monkeypatch.setattr(rollout_projection, "MANY_UNITS", 1)

    def broken(*args: Any) -> None:
        raise RuntimeError("the process dies half way")

    monkeypatch.setattr(units_service, "refresh_units", broken)
    with pytest.raises(RuntimeError):
        imported(store)
    assert spy.calls == ([] if store.engine.dialect.name == "postgresql" else ["drop"])
    assert tally_index_there(store)
    with store.transaction(readonly=True) as tx:
        assert tx.units.count() == 0
