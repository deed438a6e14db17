"""Beslut's page of the register is kept until something is written: the page's reruns reuse
it; a decision or an import makes it anew; another filter, page or day is its own; a reader
changing the list they were given changes no one else's; on both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from logic.domain.register import RegisterFilter, RegisterView
from logic.readmodels import register as register_model
from logic.readmodels.kept import Kept
from logic.services.register import forvaltningar, register_page
from logic.services.units import import_units
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, CECILIA, HEADER, ROW, decide, on_day

TODAY = dt.date(2026, 11, 25)
OTHER = "Psykiatri Skåne"


@pytest.fixture
def worked_out(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[RegisterView]:
    """The views the page was worked out for, in order (this test's own)."""
    monkeypatch.setattr(register_model, "_PAGES", Kept())
    monkeypatch.setattr(register_model, "_ADMINISTRATIONS", Kept())
    made: list[RegisterView] = []
    real = register_model.register_rows.register_page

    def counted(tx: Any, view: RegisterView, today: dt.date, review: Any = ()) -> Any:
        made.append(view)
        return real(tx, view, today, review)

    monkeypatch.setattr(register_model.register_rows, "register_page", counted)
    return made


def test_the_page_is_reused_until_something_is_written(
    store: Store, worked_out: list[RegisterView]
) -> None:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002").replace("Primärvård Skåne", OTHER)]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    everything, other = RegisterView(), RegisterView(filter=RegisterFilter(forvaltning=OTHER))
    first, total = register_page(store, everything, CECILIA)
    assert total == 2 and register_page(store, everything, CECILIA) == (first, total)  # rerun
    assert worked_out == [everything]
    assert [r.forvaltning for r in register_page(store, other, CECILIA)[0]] == [OTHER]
    assert worked_out == [everything, other]  # another filter: its own

    first.clear()  # what one reader does to their list is theirs
    assert len(register_page(store, everything, CECILIA)[0]) == 2

    decide(store, "SE162321000255-T0001", ANNA, approver=BERIT)  # a decision and a verdict
    after, _ = register_page(store, everything, CECILIA)
    assert worked_out == [everything, other, everything]
    assert [r.hsa_id for r in after if r.outcome != "ej_bedomd"] == ["SE162321000255-T0001"]

    later = on_day(store, TODAY + dt.timedelta(days=1))  # another day: reviews fall due
    register_page(later, everything, CECILIA)
    assert worked_out == [everything, other, everything, everything]


def test_a_new_administration_is_offered_after_the_import_that_brings_it(store: Store) -> None:
    store = on_day(store, TODAY)
    import_units(store, "\n".join([HEADER, ROW]).encode(), ADAM, source="t.csv")
    forvaltningar(store, CECILIA).clear()  # a reader's own list
    assert forvaltningar(store, CECILIA) == ["Primärvård Skåne"]
    more = ROW.replace("T0001", "T0002").replace("Primärvård Skåne", OTHER)
    import_units(store, "\n".join([HEADER, more]).encode(), ADAM, source="u.csv")
    assert forvaltningar(store, CECILIA) == ["Primärvård Skåne", OTHER]
