"""The roll-out now is served from the projection and cached by the data it depends on: the
page's reruns and the next reader reuse it, yet each reader is told their own moment, and
the administration and catalog it was made for; on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from logic.files.reference_data import catalog
from logic.readmodels import rollout_summary
from logic.readmodels.kept import Kept
from logic.services.rollout import read_summary
from logic.services.units import import_units
from logic.store.store import Store
from tests.factories import ADAM, CECILIA, HEADER, ROW, on_day

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def loaded(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setattr(rollout_summary, "_KEPT", Kept())  # this test's own, empty
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002").replace("Primärvård Skåne", "Psykiatri Skåne")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    return store


def counting(monkeypatch: pytest.MonkeyPatch, how: str = "_summary_now") -> list[dt.date]:
    """The dates the roll-out was worked out for afresh: now (from the projection) or, with
    `how` "history_summary", from the history."""
    made: list[dt.date] = []
    work_out = getattr(rollout_summary, how)

    def counted(tx: Any, made_at: dt.datetime, as_of: dt.date, *args: Any) -> Any:
        made.append(as_of)
        return work_out(tx, made_at, as_of, *args)

    monkeypatch.setattr(rollout_summary, how, counted)
    return made


def test_today_is_read_from_the_projection_never_from_the_history(
    loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_history(*args: Any) -> None:
        raise AssertionError("the roll-out today was worked out from the history")

    monkeypatch.setattr(rollout_summary, "history_summary", no_history)
    assert read_summary(loaded, CECILIA, TODAY).tallies


def test_a_second_reader_reuses_it_and_is_told_their_own_moment(
    loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = counting(monkeypatch)
    first = read_summary(loaded, CECILIA, TODAY)
    second = read_summary(loaded, CECILIA, TODAY)
    assert made == [TODAY]  # worked out once
    assert second.made_at > first.made_at  # the clock ticks at every reading
    assert second.known_at == second.made_at and first.known_at == first.made_at
    import_units(
        loaded, "\n".join([HEADER, ROW.replace("T0001", "T0003")]).encode(), ADAM, source="u.csv"
    )
    read_summary(loaded, CECILIA, TODAY)
    assert made == [TODAY, TODAY]  # a write: worked out again


def test_it_says_which_administration_and_catalog_it_was_made_for(loaded: Store) -> None:
    summary = read_summary(loaded, CECILIA, TODAY, forvaltning="Psykiatri Skåne")
    assert summary.forvaltning == "Psykiatri Skåne"
    assert summary.catalog_version == catalog().version
    again = read_summary(loaded, CECILIA, TODAY, forvaltning="Psykiatri Skåne")  # cached
    assert (again.forvaltning, again.catalog_version) == ("Psykiatri Skåne", catalog().version)


def test_it_keeps_as_many_as_it_may_and_drops_the_oldest(
    loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rollout_summary, "_KEPT", Kept(3))
    made = counting(monkeypatch)
    days = [TODAY + dt.timedelta(days=n) for n in range(4)]
    for day in days[:3]:
        read_summary(loaded, CECILIA, day)
    for day in days[:3]:
        read_summary(loaded, CECILIA, day)  # all three kept
    assert made == days[:3]
    read_summary(loaded, CECILIA, days[3])
    read_summary(loaded, CECILIA, days[0])  # the oldest was dropped for the fourth
    assert made == [*days, days[0]]


def test_an_earlier_date_is_worked_out_from_the_history_once_until_a_write(
    loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    worked_out = counting(monkeypatch, "history_summary")
    earlier = TODAY - dt.timedelta(days=1)
    first = read_summary(loaded, CECILIA, earlier)
    again = read_summary(loaded, CECILIA, earlier)  # the page's rerun
    assert worked_out == [earlier]
    assert again.made_at > first.made_at and again.known_at == again.made_at  # their own
    moment = first.made_at
    known = read_summary(loaded, CECILIA, earlier, known_at=moment)
    assert known.known_at == moment and worked_out == [earlier, earlier]  # another moment
    import_units(
        loaded, "\n".join([HEADER, ROW.replace("T0001", "T0003")]).encode(), ADAM, source="u.csv"
    )
    read_summary(loaded, CECILIA, earlier)
    assert worked_out == [earlier, earlier, earlier]  # a write: worked out again
