"""What every service promises beyond its result, checked across the services at once: a
reader never waits for a writer (SQLite), an action on a unit waits for another on the same
unit (PostgreSQL's row lock), each action leaves exactly its event on the record, and the
files say the region's time."""

from __future__ import annotations

import datetime as dt
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, text

from logic.domain.auth import User
from logic.domain.register import RegisterFilter, RegisterView
from logic.services import assessment as a
from logic.services import register as r
from logic.services import rollout, verdicts
from logic.services.audit import audit_log
from logic.services.units import import_units, search_units
from logic.services.users import (
    ensure_demo_users,
    ensure_first_administrator,
    list_users,
    retire_demo_users,
    save_user,
)
from logic.store.db import make_engine, migrate
from logic.store.store import Store
from tests.conftest import TEST_AUDIT_KEY
from tests.factories import ADAM, ANNA, BERTIL, CECILIA, HEADER, ROW, decide, on_day

TODAY = dt.date(2026, 11, 25)
UNIT, OTHER = "SE162321000255-T0001", "SE162321000255-T0002"

READERS: dict[str, Callable[[Store], Any]] = {
    "unit_history": lambda s: r.unit_history(s, UNIT, CECILIA),
    "forvaltningar": lambda s: r.forvaltningar(s, CECILIA),
    "review_queue": lambda s: r.review_queue(s, ANNA),
    "follow_up": lambda s: r.follow_up(s, None, CECILIA),
    "recommendation_overview": lambda s: r.recommendation_overview(s, CECILIA),
    "unit_status": lambda s: a.unit_status(s, UNIT, ANNA),
    "unit_verdicts": lambda s: verdicts.unit_verdicts(s, UNIT, ANNA),
    "pending_decisions": lambda s: verdicts.pending_decisions(
        s, ADAM.model_copy(update={"roles": ("beslutsfattare",)})
    ),
    "read_rollout": lambda s: rollout.read_rollout(s, CECILIA, TODAY),
    "unit_rollout": lambda s: rollout.unit_rollout(s, CECILIA, UNIT, TODAY),
    "read_summary": lambda s: rollout.read_summary(s, CECILIA, TODAY),
    "management": lambda s: rollout.management(s, CECILIA, TODAY),
    "register_page": lambda s: r.register_page(s, RegisterView(), CECILIA),
    "returned_decisions": lambda s: verdicts.returned_decisions(s, ANNA),
    "search_units": lambda s: search_units(s, "Test", ANNA),
    "list_users": lambda s: list_users(s, ADAM),
    "audit_log": lambda s: audit_log(s, ADAM),
}


@pytest.mark.parametrize("reader", list(READERS))
def test_a_reader_never_waits_for_a_writer_on_sqlite(tmp_path: Path, reader: str) -> None:
    url = f"sqlite:///{tmp_path / 'locks.db'}"
    writer = on_day(Store(make_engine(url), TEST_AUDIT_KEY), TODAY)
    migrate(writer.engine)
    import_units(writer, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")
    decide(writer, UNIT, ANNA)
    impatient = make_engine(url)

    @event.listens_for(impatient, "connect")
    def _no_wait(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA busy_timeout = 0")

    with writer.transaction() as tx:  # a write in progress, holding the write lock
        tx.audit.append(ADAM.email, "long_import", {})
        READERS[reader](on_day(Store(impatient, TEST_AUDIT_KEY), TODAY))  # at once, no lock


@pytest.fixture
def loaded(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    return store


ON_A_UNIT: dict[str, Callable[[Store], Any]] = {
    "open_assessment": lambda s: a.open_assessment(s, OTHER, ANNA),
    "take_over_draft": lambda s: a.take_over_draft(s, UNIT, BERTIL),
    "save_draft": lambda s: a.save_draft(s, a.take_over_draft(s, UNIT, ANNA).draft, ANNA),
    "discard_draft": lambda s: a.discard_draft(s, UNIT, ANNA),
}


@pytest.mark.postgres
@pytest.mark.parametrize("action", list(ON_A_UNIT))
def test_an_action_on_a_unit_waits_for_another_on_it(loaded: Store, action: str) -> None:
    """PostgreSQL: the unit's row is locked for the action (two people on one unit one
    after the other); shown by holding that lock elsewhere and seeing the action wait."""
    if loaded.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises every write with its database lock")
    a.open_assessment(loaded, UNIT, ANNA)
    target = OTHER if action == "open_assessment" else UNIT
    lock = text("SELECT 1 FROM units WHERE hsa_id = :h FOR UPDATE")
    waits_for(loaded, lock, {"h": target}, lambda: ON_A_UNIT[action](loaded))


def waits_for(store: Store, lock: Any, params: dict[str, Any], act: Callable[[], Any]) -> None:
    """`act` waits while another transaction holds `lock`, and goes on once it is let go."""
    done = threading.Event()
    with store.engine.connect() as holder, holder.begin():
        holder.execute(lock, params)

        def acting() -> None:
            act()
            done.set()

        worker = threading.Thread(target=acting)
        worker.start()
        time.sleep(0.6)
        assert not done.is_set(), "it did not wait for the lock"
    worker.join(timeout=20)
    assert done.is_set()


def events(store: Store) -> list[tuple[str, str, dict[str, Any]]]:
    with store.transaction() as tx:
        return [(e.action, e.actor, e.details) for e in tx.audit.events()]


def test_each_draft_action_leaves_exactly_its_event(loaded: Store) -> None:
    opened = a.open_assessment(loaded, UNIT, ANNA)
    assert (opened.holder, opened.resumed) == (ANNA.email, False)
    before = len(events(loaded))
    taken = a.take_over_draft(loaded, UNIT, BERTIL)
    assert (taken.holder, taken.resumed, taken.since) == (BERTIL.email, True, taken.since)
    assert taken.since is not None and taken.draft == opened.draft
    saved = a.save_draft(
        loaded, taken.draft.model_copy(update={"step": 2, "rationale": "R"}), BERTIL
    )
    assert saved.rationale == "R"
    a.discard_draft(loaded, UNIT, BERTIL)
    assert events(loaded)[before:] == [
        ("take_over_draft", BERTIL.email, {"hsa_id": UNIT, "from": ANNA.email}),
        ("save_draft", BERTIL.email, {"hsa_id": UNIT, "step": 2}),
        ("discard_draft", BERTIL.email, {"hsa_id": UNIT}),
    ]
    status = a.unit_status(loaded, UNIT, ANNA)
    assert status is not None and (status.draft_holder, status.latest) == (None, None)
    a.open_assessment(loaded, UNIT, ANNA)
    held = a.unit_status(loaded, UNIT, CECILIA)
    assert held is not None and held.draft_holder == ANNA.email and held.draft_since is not None
    assert held.unit.hsa_id == UNIT and a.unit_status(loaded, "SE162321000255-X", ANNA) is None


def test_a_draft_nobody_holds_is_said_to_be_so(loaded: Store) -> None:
    from logic.domain.errors import DraftNotHeld

    with pytest.raises(DraftNotHeld) as none:
        a.take_over_draft(loaded, UNIT, ANNA)
    assert (none.value.hsa_id, none.value.holder, none.value.since) == (UNIT, None, None)
    opened = a.open_assessment(loaded, UNIT, ANNA)
    with pytest.raises(DraftNotHeld) as other:
        a.discard_draft(loaded, UNIT, BERTIL)
    assert (other.value.hsa_id, other.value.holder) == (UNIT, ANNA.email)
    assert other.value.since == opened.since


def test_an_export_is_recorded_with_its_file_and_in_the_regions_time(loaded: Store) -> None:
    decide(loaded, UNIT, ANNA)
    file = r.export_decisions(
        loaded, RegisterFilter(forvaltning="Primärvård Skåne"), "csv", CECILIA
    )
    lines = file.data.decode().splitlines()
    header, row = lines[0].split(","), next(x for x in lines if x.startswith(UNIT)).split(",")
    with loaded.transaction() as tx:
        submitted = tx.revisions.latest(UNIT).created_at  # type: ignore[union-attr]
    local = submitted.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%d %H:%M")
    assert row[header.index("beslutad")] == local  # 09:00 in the region, not 08:00 UTC
    stamp = loaded.clock().astimezone(ZoneInfo("Europe/Stockholm")).strftime("%Y%m%d")
    assert file.file_name.startswith(f"beslut-{stamp}-") and file.file_name.endswith(".csv")
    assert file.rows == 2 and len(file.sha256) == 64
    table = r.export_table(loaded, "utfall", ["a", "b"], [[1, "x"], [2, "y"]], "xlsx", CECILIA)
    assert (table.file_name, table.rows) == ("utfall.xlsx", 2)
    assert table.media_type.endswith("spreadsheetml.sheet") and table.data.startswith(b"PK")
    assert events(loaded)[-2:] == [
        (
            "export_decisions",
            CECILIA.email,
            {
                "filter": {"forvaltning": "Primärvård Skåne"},
                "profile": "csv",
                "rows": 2,
                "sha256": file.sha256,
            },
        ),
        (
            "export_table",
            CECILIA.email,
            {"table": "utfall", "profile": "xlsx", "rows": 2, "sha256": table.sha256},
        ),
    ]


def test_the_follow_up_is_of_the_administration_asked_for(loaded: Store) -> None:
    decide(loaded, UNIT, ANNA)
    one = r.follow_up(loaded, "Psykiatri Skåne", CECILIA)
    assert [o.forvaltning for o in one.outcomes] in ([], ["Psykiatri Skåne"])
    everyone = r.follow_up(loaded, None, CECILIA)
    assert {o.forvaltning for o in everyone.outcomes} == {"Primärvård Skåne"}


ON_THE_USERS: dict[str, Callable[[Store], Any]] = {
    "save_user": lambda s: save_user(s, User(email="ny@region.se", namn="Ny", roles=()), ADAM),
    "ensure_first_administrator": lambda s: ensure_first_administrator(s, "first@region.se"),
    "ensure_demo_users": ensure_demo_users,
    "retire_demo_users": retire_demo_users,
}


@pytest.mark.postgres
@pytest.mark.parametrize("action", list(ON_THE_USERS))
def test_a_change_of_the_users_waits_for_another(loaded: Store, action: str) -> None:
    """PostgreSQL: the users are changed one change at a time (the second sees the first,
    so two at once never remove the last administrator or add two first ones); shown by
    holding their lock elsewhere and seeing the change wait."""
    if loaded.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises every write with its database lock")
    lock = text("SELECT pg_advisory_xact_lock(:k)")
    waits_for(loaded, lock, {"k": zlib.crc32(b"users")}, lambda: ON_THE_USERS[action](loaded))
