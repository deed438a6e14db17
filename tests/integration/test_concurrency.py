"""Many people at once (a short `make stress`): assessors and approvers in processes of their
own, on one unit and on different units, and imports at once. Nothing fails with a
traceback, nothing committed is lost, revision numbers stay 1..n, the record verifies, and
verification run while they work never says it is altered."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.stress import run_case
from tests.conftest import TEST_DATABASE_URL, skip_or_fail


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("case", ["same unit", "different units", "imports"])
def test_people_acting_at_once_wait_for_each_other_and_lose_nothing(
    kind: str, case: str, tmp_path: Path
) -> None:
    if kind == "postgresql" and not TEST_DATABASE_URL:
        skip_or_fail("PostgreSQL tests need TEST_DATABASE_URL")
    result = run_case(case, kind, workers=4, rounds=3, directory=tmp_path)
    assert result.errors == []
    assert result.lost == []
    assert result.alarms == []  # verification while everyone writes: never "altered"
    assert result.intact
    assert result.committed > 0
    if case == "same unit":  # four people meet on one unit: some find it taken or overtaken
        assert result.refused > 0


def test_reading_the_register_never_waits_for_a_write_on_sqlite(tmp_path: Path) -> None:
    """Every writing action holds SQLite's write lock from its start; a reader takes none,
    so a long import does not hold up every page view. Shown with a reader that gives up at
    once when it meets a lock."""
    from sqlalchemy import event

    from logic.domain.register import RegisterView
    from logic.services.register import register_page
    from logic.services.units import import_units
    from logic.store.db import make_engine, migrate
    from logic.store.store import Store
    from tests.factories import ADAM, CECILIA, HEADER, ROW

    url = f"sqlite:///{tmp_path / 'locks.db'}"
    writer = Store(make_engine(url))
    migrate(writer.engine)
    import_units(writer, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")
    impatient = make_engine(url)

    @event.listens_for(impatient, "connect")
    def _no_wait(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA busy_timeout = 0")

    with writer.transaction() as tx:  # a write in progress, holding the write lock
        tx.audit.append(ADAM.email, "long_import", {})
        rows, total = register_page(Store(impatient), RegisterView(), CECILIA)
    assert total == 1 and rows[0].hsa_id == "SE162321000255-T0001"
