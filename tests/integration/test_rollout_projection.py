"""The roll-out now, aggregated in SQL from the projection, is exactly what the history
gives (the same date, everything known): after imports, approvals, returns, exemptions and a
back-filled observation, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from logic.clock import local_today
from logic.demo.history import seed_demo_history
from logic.files.reference_data import catalog
from logic.services.rollout import RolloutFilter, export_rollout, read_summary
from logic.settings import settings
from logic.store.store import Store
from tests.factories import CECILIA, FIGURES


def both(store: Store) -> tuple[object, object]:
    today = local_today(store)
    now = store.clock()
    fast = read_summary(store, CECILIA, today)
    slow = read_summary(store, CECILIA, today, known_at=now)  # worked out from the history
    return fast, slow


def same(fast: object, slow: object) -> None:
    for name in FIGURES:
        assert getattr(fast, name) == getattr(slow, name), name


def test_the_projection_agrees_with_the_history(store: Store) -> None:
    seed_demo_history(store, settings().sample_units, catalog(), dt.date.today())
    fast, slow = both(store)
    assert fast.tallies and fast.progress and fast.late  # a real roll-out, not an empty one
    same(fast, slow)
    one = RolloutFilter(forvaltning="Primärvård Skåne")
    rows = export_rollout(store, CECILIA, "csv", local_today(store), None, one)
    again = export_rollout(store, CECILIA, "csv", local_today(store), store.clock(), one)
    assert rows.data == again.data and rows.rows > 0


def test_a_catalog_edit_or_an_upgrade_makes_the_projection_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logic.readmodels import rollout_projection
    from logic.readmodels.rollout_projection import refresh_all

    monkeypatch.setattr(rollout_projection, "BATCH", 7)  # written in many batches, as at scale
    seed_demo_history(store, settings().sample_units, catalog(), dt.date.today())
    before, _ = both(store)
    with store.transaction() as tx:
        tx.rollout.clear()  # as after the upgrade that added it
    assert refresh_all(store, catalog())
    assert not refresh_all(store, catalog())  # made: nothing to do
    newer = catalog().model_copy(update={"version": "x" * 12})
    assert refresh_all(store, newer)
    after, slow = both(store)
    same(after, slow)
    assert after.tallies == before.tallies


def test_a_deadline_today_is_not_late_yet_in_sql_as_in_the_domain(store: Store) -> None:
    from logic.domain.catalog import Deadline
    from logic.readmodels.rollout_projection import refresh_all

    seed_demo_history(store, settings().sample_units, catalog(), dt.date.today())
    today = local_today(store)
    templates = tuple(
        m.model_copy(update={"timetable": (Deadline(deadline=today),)})
        if m.case_type == "fornya_recept"
        else m
        for m in catalog().templates
    )
    due_today = catalog().model_copy(update={"templates": templates, "version": "t" * 12})
    assert refresh_all(store, due_today)
    under = store.with_catalog(due_today)
    fast = read_summary(under, CECILIA, today)
    slow = read_summary(under, CECILIA, today, known_at=store.clock())
    same(fast, slow)
    statuses = {x.status for x in fast.tallies if x.arendetyp == "fornya_recept"}
    assert "planerat" in statuses and "forsenat" not in statuses


def test_after_the_upgrade_an_import_of_some_units_first_makes_it_all(store: Store) -> None:
    from logic.services.units import import_units
    from tests.factories import ADAM

    seed_demo_history(store, settings().sample_units, catalog(), dt.date.today())
    with store.transaction() as tx:
        tx.rollout.clear()  # as after the upgrade that added it, before any start
    head = settings().sample_units.read_text(encoding="utf-8").splitlines()[:2]
    import_units(store, ("\n".join(head) + "\n").encode(), ADAM, source="one.csv")
    fast, slow = both(store)
    same(fast, slow)
    assert sum(u.units for u in fast.units) > 60  # every unit in scope, not the one imported


def test_register_corrections_approved_are_an_observation_the_roll_out_follows(
    store: Store,
) -> None:
    from logic.services.assessment import open_assessment, submit_decision
    from logic.services.verdicts import approve_decision
    from tests.factories import ANNA, BERIT, completed

    seed_demo_history(store, settings().sample_units, catalog(), dt.date.today())
    unit = "SE162321000255-DEMO0002"  # not assessed in the demo history
    opened = open_assessment(store, unit, ANNA)
    moved = opened.draft.unit.model_copy(update={"forvaltning": "Skånevård Sund"})
    revision = submit_decision(
        store, completed(opened.draft).model_copy(update={"unit": moved}), ANNA
    )
    approve_decision(store, unit, revision.revision, revision.content_hash, BERIT)
    fast, slow = both(store)
    same(fast, slow)
    with store.transaction() as tx:
        mine = tx.rollout.rows_of([unit])
    assert {r.forvaltning for r in mine} == {"Skånevård Sund"}
    assert local_today(store) not in fast.dates  # one unit corrected is no point on the curve


def test_the_figures_follow_a_write_at_once_and_an_earlier_moment_keeps_its_own(
    store: Store,
) -> None:
    """The roll-out now is cached by the data it depends on: a write shows at once; a report
    known at an earlier moment reads what was known then, never the projection of now."""
    from logic.services.units import import_units
    from tests.factories import ADAM, HEADER, ROW, on_day

    day = on_day(store, dt.date(2026, 11, 25))
    without = ";".join([*ROW.split(";")[:-1], ""])  # offers no e-service yet
    import_units(day, f"{HEADER}\n{without}\n".encode(), ADAM, source="a.csv")
    before = read_summary(day, CECILIA, dt.date(2026, 11, 25))
    moment = day.clock()
    import_units(day, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="b.csv")  # kontakt now
    after = read_summary(day, CECILIA, dt.date(2026, 11, 25))  # the same day, read again
    assert after.kontakt_observed_since != before.kontakt_observed_since  # not the cached one
    then = read_summary(day, CECILIA, dt.date(2026, 11, 25), known_at=moment)
    assert then.kontakt_observed_since == before.kontakt_observed_since
    assert then.tallies == before.tallies != after.tallies


def test_a_unit_decided_out_of_scope_leaves_the_roll_out_and_its_curve(store: Store) -> None:
    """Decided "Omfattas inte" (a deviation from the recommendation, justified): its rows
    go, and so do its counts on the curve at every observation date."""
    from logic.services.assessment import open_assessment, submit_decision
    from logic.services.verdicts import approve_decision
    from tests.factories import ANNA, BERIT, completed

    seed_demo_history(store, settings().sample_units, catalog(), dt.date.today())
    unit = "SE162321000255-DEMO0002"  # not assessed in the demo history
    with store.transaction() as tx:
        assert tx.rollout.rows_of([unit])  # in the roll-out by the recommendation
    draft = completed(open_assessment(store, unit, ANNA).draft)
    why = {"utfall": "Enheten läggs ned.", "lagstaniva": "Enheten läggs ned."}
    outside = draft.model_copy(update={"outcome": "ej_omfattad", "justifications": why})
    revision = submit_decision(store, outside, ANNA)
    approve_decision(store, unit, revision.revision, revision.content_hash, BERIT)
    fast, slow = both(store)
    same(fast, slow)
    with store.transaction() as tx:
        assert tx.rollout.rows_of([unit]) == []
