"""The roll-out export now, as CSV, is written over Arrow columns (files/arrow_csv.py): the
same file, rows and audit event as the csv module's writer makes of the same rows, filtered
alike, on both databases. A cell that is not text (a BLOB written behind the app's back) is
left to the csv module's writer; text that is not UTF-8 is refused in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from logic.domain.errors import DatabaseError
from logic.files import arrow_csv
from logic.services.audit import audit_log
from logic.services.rollout import RolloutFilter, export_rollout
from logic.services.units import import_units
from logic.settings import settings
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
def test_the_arrow_writer_makes_the_file_the_csv_writer_makes(
    held: Store, monkeypatch: pytest.MonkeyPatch, profile: str, f: RolloutFilter | None
) -> None:
    written: list[int] = []
    to_csv = arrow_csv.to_csv

    def counted(headers: Any, table: Any, profile: Any) -> bytes:
        written.append(table.num_rows)
        return to_csv(headers, table, profile)

    monkeypatch.setattr(arrow_csv, "to_csv", counted)
    by_columns = exported(held, profile, f)
    assert written == [by_columns[1]]  # written over columns
    monkeypatch.setattr(arrow_csv, "table_of", lambda *args, **kwargs: None)
    by_rows = exported(held, profile, f)  # by the csv module's writer
    assert by_columns == by_rows
    assert by_columns[1] > 0 and by_columns[1] == by_columns[3]  # rows counted, on the record


def test_a_cell_that_is_not_text_is_left_to_the_csv_writer() -> None:
    assert arrow_csv.table_of([("a", None), ("b", "c")], 2) is not None
    assert arrow_csv.table_of([("a", b"\xff")], 2) is None  # a BLOB
    assert arrow_csv.table_of([("a", 1)], 2) is None
    assert arrow_csv.table_of([("a", "b")] * 3 + [("c", 2.5)], 2, size=2) is None  # late
    empty = arrow_csv.table_of([], 2)
    assert empty is not None and empty.num_rows == 0 and empty.num_columns == 2


def sqlite_only(store: Store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL refuses such values when they are written")


def test_a_blob_written_behind_the_app_s_back_is_exported_as_before(held: Store) -> None:
    sqlite_only(held)
    with held.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE rollout SET enhet = x'414243' WHERE rowid = (SELECT min(rowid) FROM rollout)"
        )
    made = export_rollout(held, CECILIA, "csv", TODAY)
    assert b"b'ABC'" in made.data  # the csv module's writer's, as before Arrow
    assert made.rows > 0


def test_text_that_is_not_utf_8_is_refused_in_words(held: Store) -> None:
    """SQLite keeps any bytes as text: such a file is refused in words, the column named,
    and nothing is on the record."""
    sqlite_only(held)
    with held.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE rollout SET enhet = CAST(x'4162ff43' AS TEXT) "
            "WHERE rowid = (SELECT min(rowid) FROM rollout)"
        )
    with pytest.raises(DatabaseError, match="UTF-8 column 'enhet'"):
        export_rollout(held, CECILIA, "csv-excel", TODAY)
    assert [e for e in audit_log(held, ADAM) if e.action == "export_rollout"] == []
