"""The demo history `make run` starts with: made through the services, varied, intact."""

from __future__ import annotations

import datetime as dt

from logic.demo.history import seed_demo_history
from logic.domain.auth import SYSTEM
from logic.files.reference_data import catalog
from logic.services.audit import verify_audit
from logic.services.register import follow_up
from logic.settings import settings
from logic.store.store import Store
from tests.factories import CECILIA, on_day

TODAY = dt.date(2026, 11, 29)


def test_the_demo_history_shows_every_part_of_the_record(store: Store) -> None:
    made = seed_demo_history(store, settings().sample_units, catalog(), TODAY)
    assert made == 36  # about half of the 72 demo units
    board = follow_up(on_day(store, TODAY), None, CECILIA)
    total = {name: sum(getattr(r, name) for r in board.by_forvaltning) for name in (
        "faststallda", "for_beslut", "aterremitterade", "undantagna", "delvis_undantagna",
        "avvaktar", "omprovning_forsenad", "omprovas_30", "avviker",
    )}  # fmt: skip
    assert total["faststallda"] > 20 and total["for_beslut"] >= 3
    assert total["aterremitterade"] >= 2 and total["undantagna"] >= 1
    assert total["delvis_undantagna"] >= 3 and total["avvaktar"] >= 1
    assert total["omprovning_forsenad"] >= 1 and total["avviker"] >= 1
    with store.transaction() as tx:
        events = tx.audit.events()
    times = [e.at for e in events]
    assert times == sorted(times) and times[0].date() == dt.date(2021, 9, 1)  # the roll-out
    imports = [e for e in events if e.action == "import_units"]
    assert [e.details["observed"] for e in imports] == [
        "2021-09-01", "2021-12-01", "2022-03-01", "2022-06-01", "2022-09-01", "2022-12-01",
        "2023-03-01", (TODAY - dt.timedelta(days=420)).isoformat(),
    ]  # fmt: skip
    approvals = [e for e in events if e.action == "approve_decision"]
    # a decision-maker's own decision, approved by the other decision-maker
    own = [e for e in approvals if e.actor == "britta.beslutsfattare@demo.local"]
    assert len(own) == 1
    assert all(e.details.get("hsa_id", "").startswith("SE162321000255-DEMO") for e in approvals)
    result = verify_audit(store, SYSTEM)
    assert result.intact, (result.problem, result.where)


def test_the_demo_history_goes_only_into_an_empty_database(store: Store) -> None:
    from logic.services.users import ensure_demo_users

    ensure_demo_users(store)  # anything at all in the database: no demo beside it
    assert seed_demo_history(store, settings().sample_units, catalog(), TODAY) is None
    with store.transaction() as tx:
        assert tx.units.count() == 0
