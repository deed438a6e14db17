"""The roll-out export now, on SQLite, is read as Arrow columns and written by the Arrow writer:
the same file, rows and audit event as the rows read one by one make; filtered alike. Where
the columns cannot be read so (PostgreSQL, a read-only transaction, a database in memory) the
rows are read as before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import create_engine

from logic.domain.errors import DatabaseError
from logic.files import arrow_csv
from logic.services.audit import audit_log
from logic.services.rollout import RolloutFilter, export_rollout
from logic.services.units import import_units
from logic.settings import settings
from logic.store import readmodel_rollout_export as now_rows
from logic.store.store import Store
from tests.factories import ADAM, CECILIA, on_day

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def held(store: Store) -> Store:
    store = on_day(store, TODAY)
    import_units(store, settings().sample_units, ADAM, source="sample.csv")
    return store


def exported(store: Store, profile: str, f: RolloutFilter | None = None) -> tuple[Any, ...]:
    made = export_rollout(store, CECILIA, profile, TODAY, f=f)  # type: ignore[arg-type]
    event = [e for e in audit_log(store, ADAM) if e.action == "export_rollout"][0]
    return made.data, made.rows, made.sha256, event.details["rows"], event.details["sha256"]


@pytest.mark.parametrize("profile", ["csv-excel", "csv"])
@pytest.mark.parametrize(
    "f", [None, RolloutFilter(arendetyp="kontakt"), RolloutFilter(status="forsenat")]
)
def test_the_arrow_path_makes_the_file_the_rows_make(
    held: Store, monkeypatch: pytest.MonkeyPatch, profile: str, f: RolloutFilter | None
) -> None:
    written: list[int] = []
    to_csv = arrow_csv.to_csv

    def counted(headers: Any, table: Any, profile: Any) -> bytes:
        written.append(table.num_rows)
        return to_csv(headers, table, profile)

    monkeypatch.setattr(arrow_csv, "to_csv", counted)
    by_columns = exported(held, profile, f)
    sqlite = held.engine.dialect.name == "sqlite"
    assert written == ([by_columns[1]] if sqlite else [])  # the Arrow path on SQLite only
    monkeypatch.setattr(now_rows, "table_now", lambda *args, **kwargs: None)
    by_rows = exported(held, profile, f)
    assert by_columns == by_rows
    assert by_columns[1] > 0 and by_columns[1] == by_columns[3]  # rows counted, on the record


def test_no_columns_where_they_cannot_be_read_as_the_transaction_reads(held: Store) -> None:
    with held.transaction(readonly=True) as tx:  # no write lock: another writer may commit
        assert now_rows.table_now(tx, TODAY, None) is None
    memory = Store(create_engine("sqlite://"))
    with memory.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x TEXT)")
    with memory.transaction() as tx:
        assert tx.rollout.arrow_table(rollout_select()) is None


def rollout_select() -> Any:
    from sqlalchemy import column, select, table

    return select(column("x")).select_from(table("t"))


def test_bytes_that_are_no_text_written_behind_the_app_s_back_are_refused(held: Store) -> None:
    """SQLite keeps any bytes as text: such a file is refused in words, the column named, as
    the sqlite3 module refuses it, and nothing is on the record."""
    if held.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL refuses such text when it is written")
    with held.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE rollout SET enhet = CAST(x'4162ff43' AS TEXT) "
            "WHERE rowid = (SELECT min(rowid) FROM rollout)"
        )
    with pytest.raises(DatabaseError, match="UTF-8 column 'enhet'"):
        export_rollout(held, CECILIA, "csv-excel", TODAY)
    assert [e for e in audit_log(held, ADAM) if e.action == "export_rollout"] == []
    # and read one by one (the sqlite3 module's own cursor): refused in words as well
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(now_rows, "table_now", lambda *args, **kwargs: None)
        with pytest.raises(DatabaseError, match="UTF-8 column 'enhet'"):
            export_rollout(held, CECILIA, "csv-excel", TODAY)
    assert [e for e in audit_log(held, ADAM) if e.action == "export_rollout"] == []
