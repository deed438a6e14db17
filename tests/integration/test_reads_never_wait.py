"""Every action that only reads takes no write lock (a readonly unit of work), so on SQLite
no page view, list or report waits while someone imports or decides. Shown per read with a
reader that gives up at once when it meets a lock, while a write holds SQLite's lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from logic.domain.register import RegisterView
from logic.services import assessment, audit, register, rollout, units, users, verdicts
from logic.store.db import make_engine, migrate
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, CECILIA, HEADER, ROW, decide

UNIT = "SE162321000255-T0001"
TODAY = dt.date(2026, 1, 15)

READS: dict[str, Callable[[Store], Any]] = {
    "recommendation_overview": lambda s: register.recommendation_overview(s, CECILIA),
    "register_page": lambda s: register.register_page(s, RegisterView(), CECILIA),
    "unit_history": lambda s: register.unit_history(s, UNIT, CECILIA),
    "forvaltningar": lambda s: register.forvaltningar(s, CECILIA),
    "review_queue": lambda s: register.review_queue(s, ANNA),
    "follow_up": lambda s: register.follow_up(s, None, CECILIA),
    "read_rollout": lambda s: rollout.read_rollout(s, CECILIA, TODAY),
    "unit_rollout": lambda s: rollout.unit_rollout(s, CECILIA, UNIT, TODAY),
    "read_summary": lambda s: rollout.read_summary(s, CECILIA, TODAY),
    "management": lambda s: rollout.management(s, CECILIA, TODAY),
    "unit_status": lambda s: assessment.unit_status(s, UNIT, ANNA),
    "search_units": lambda s: units.search_units(s, "Test", ANNA),
    "list_users": lambda s: users.list_users(s, ADAM),
    "pending_decisions": lambda s: verdicts.pending_decisions(s, BERIT),
    "returned_decisions": lambda s: verdicts.returned_decisions(s, ANNA),
    "unit_verdicts": lambda s: verdicts.unit_verdicts(s, UNIT, CECILIA),
    "audit_log": lambda s: audit.audit_log(s, ADAM),
}


@pytest.fixture(scope="module")
def register_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reads") / "reads.db"
    writer = Store(make_engine(f"sqlite:///{path}"))
    migrate(writer.engine)
    units.import_units(writer, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")
    decide(writer, UNIT, ANNA)
    writer.engine.dispose()
    return path


@pytest.mark.parametrize("name", list(READS))
def test_a_read_never_waits_for_a_write_on_sqlite(register_file: Path, name: str) -> None:
    url = f"sqlite:///{register_file}"
    writer = Store(make_engine(url))
    impatient = make_engine(url)

    @event.listens_for(impatient, "connect")
    def _no_wait(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA busy_timeout = 0")

    try:
        with writer.transaction() as tx:  # a write in progress, holding the write lock
            tx.audit.append(ADAM.email, "long_import", {})
            READS[name](Store(impatient))  # raises "database is locked" if it waited
    finally:
        writer.engine.dispose()
        impatient.dispose()
