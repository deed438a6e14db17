"""The follow-up page's figures are kept until something is written: the page's reruns and
the next manager reuse them; a decision, a verdict or an import, in any process, makes them
anew; another administration or another day is its own; on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from logic.readmodels import follow_up as follow_up_model
from logic.readmodels.kept import Kept
from logic.services.register import follow_up
from logic.services.units import import_units
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, CECILIA, HEADER, ROW, decide, on_day

TODAY = dt.date(2026, 11, 25)
OTHER = "Psykiatri Skåne"


@pytest.fixture
def worked_out(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The administrations the figures were worked out for, in order (this test's own)."""
    monkeypatch.setattr(follow_up_model, "_KEPT", Kept())
    made: list[str | None] = []
    real = follow_up_model.follow_up_rows.follow_up

    def counted(tx: Any, forvaltning: str | None, today: dt.date) -> Any:
        made.append(forvaltning)
        return real(tx, forvaltning, today)

    monkeypatch.setattr(follow_up_model.follow_up_rows, "follow_up", counted)
    return made


def test_the_figures_are_reused_until_something_is_written(
    store: Store, worked_out: list[str | None]
) -> None:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002").replace("Primärvård Skåne", OTHER)]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    first = follow_up(store, None, CECILIA)
    assert follow_up(store, None, CECILIA) == first  # a rerun
    assert worked_out == [None]
    assert follow_up(store, OTHER, CECILIA).by_forvaltning[0].forvaltning == OTHER
    assert worked_out == [None, OTHER]  # another administration: its own

    decide(store, "SE162321000255-T0001", ANNA, approver=BERIT)  # a decision and a verdict
    after = follow_up(store, None, CECILIA)
    assert worked_out == [None, OTHER, None]
    assert sum(r.med_faststallt_beslut for r in after.by_forvaltning) == 1
    assert sum(r.med_faststallt_beslut for r in first.by_forvaltning) == 0

    later = on_day(store, TODAY + dt.timedelta(days=1))  # another day: reviews fall due
    follow_up(later, None, CECILIA)
    assert worked_out == [None, OTHER, None, None]


def test_the_overview_s_counts_and_review_queue_are_kept_likewise(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logic.readmodels import overview
    from logic.services.register import recommendation_overview, review_queue

    monkeypatch.setattr(overview, "_COUNTS", Kept())
    monkeypatch.setattr(overview, "_REVIEWS", Kept())
    asked: list[str] = []
    for name, module in (("counts", overview.follow_up_rows), ("queue", overview.register_rows)):
        attribute = "recommendation_counts" if name == "counts" else "review_queue"
        real = getattr(module, attribute)

        def counted(*args: Any, real: Any = real, name: str = name) -> Any:
            asked.append(name)
            return real(*args)

        monkeypatch.setattr(module, attribute, counted)
    store = on_day(store, TODAY)
    import_units(store, f"{HEADER}\n{ROW}".encode(), ADAM, source="t.csv")
    first = recommendation_overview(store, CECILIA)
    first.clear()  # a reader's own list: what it does to it is its own business
    assert sum(c.count for c in recommendation_overview(store, CECILIA)) == 1
    assert review_queue(store, ANNA) == review_queue(store, ANNA) == []
    assert asked == ["counts", "queue"]
    import_units(store, f"{HEADER}\n{ROW.replace('T0001', 'T0002')}".encode(), ADAM, source="u.csv")
    assert sum(c.count for c in recommendation_overview(store, CECILIA)) == 2
    review_queue(store, ANNA)
    review_queue(on_day(store, TODAY + dt.timedelta(days=1)), ANNA)  # another day
    assert asked == ["counts", "queue", "counts", "queue", "queue"]


def test_the_unit_picker_s_search_is_kept_until_something_is_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logic.readmodels import overview
    from logic.services.units import search_units

    monkeypatch.setattr(overview, "_FOUND", Kept())
    store = on_day(store, TODAY)
    import_units(store, f"{HEADER}\n{ROW}".encode(), ADAM, source="t.csv")
    first = search_units(store, "test", ANNA)
    with store.transaction() as tx:  # behind the app's back: no audit event, so kept
        tx.connection.exec_driver_sql("UPDATE units SET namn = 'Ändrad' WHERE 1 = 1")
    assert search_units(store, "test", ANNA) == first
    first.clear()  # a reader's own list
    assert len(search_units(store, "test", ANNA)) == 1
    import_units(store, f"{HEADER}\n{ROW.replace('T0001', 'T0002')}".encode(), ADAM, source="u.csv")
    found = sorted(u.namn for u in search_units(store, "test", ANNA))
    assert found == ["Vårdcentralen Test", "Ändrad"]  # an import: asked again
    assert len(search_units(store, "test", ANNA, limit=1)) == 1  # the picker's limit holds
