"""The history's columns (readmodel_rollout.seen_columns) read as one text per column and
split by Arrow: the same rows as read one by one, on both databases, also when a value
holds the separator (written behind the app's back) or the rows come in another order."""

from __future__ import annotations

import datetime as dt
import random

import pyarrow as pa
import pytest
from sqlalchemy import insert, select, text

from logic.services.units import import_units
from logic.store import readmodel_rollout
from logic.store.readmodel_rollout import SEEN, SEPARATOR, by_unit, seen_columns
from logic.store.schema import observations
from logic.store.store import Store
from tests.factories import ADAM, HEADER, ROW, on_day

TODAY = dt.date(2026, 11, 25)
UNITS = [ROW.replace("T0001", f"T000{i}") for i in (3, 1, 2)]


def one_by_one(store: Store, as_of: dt.date) -> list[tuple]:
    """The rows read as plain tuples, ordered in SQL (what seen_columns must give)."""
    columns = [observations.c[name] for name in SEEN]
    statement = select(*columns).where(observations.c.observed <= as_of)
    statement = statement.order_by(
        observations.c.hsa_id, observations.c.observed, observations.c.id
    )
    with store.engine.connect() as conn:
        return [(h, str(o), i, e, r, s) for h, o, i, e, r, s in conn.execute(statement)]


def as_rows(table: pa.Table) -> list[tuple]:
    return list(zip(*(table[name].to_pylist() for name in SEEN), strict=True))


@pytest.fixture
def recorded(store: Store) -> Store:
    """Three units seen on two days, two of them twice on the second."""
    import_units(on_day(store, TODAY), "\n".join([HEADER, *UNITS]).encode(), ADAM, source="a.csv")
    later = on_day(store, TODAY + dt.timedelta(days=1))
    for e_tjanster in ("kontakt", ""):
        changed = [u.rsplit(";", 1)[0] + f";{e_tjanster}" for u in UNITS[:2]]
        import_units(later, "\n".join([HEADER, *changed]).encode(), ADAM, source="b.csv")
    return store


def read(store: Store, as_of: dt.date) -> pa.Table:
    with store.transaction(readonly=True) as tx:
        return seen_columns(tx, as_of, tx.now)


def test_the_columns_are_the_rows_read_one_by_one(recorded: Store) -> None:
    for as_of in (TODAY - dt.timedelta(days=1), TODAY, TODAY + dt.timedelta(days=1)):
        expected = one_by_one(recorded, as_of)
        assert as_rows(read(recorded, as_of)) == expected
    assert len(expected) == 7 and (expected[1][3], expected[2][3]) == ("kontakt", "")


def test_a_value_holding_the_separator_is_read_whole(recorded: Store) -> None:
    """Written behind the app's back (appending is what the triggers allow): the joined
    text splits into one value too many, so the rows are read one by one instead."""
    with recorded.engine.begin() as conn:
        row = conn.execute(select(observations).limit(1)).mappings().one()
        forged = {**row, "id": 10_000, "e_tjanster": f"kontakt{SEPARATOR}tidbok"}
        conn.execute(insert(observations).values(**forged))
    columns = read(recorded, TODAY + dt.timedelta(days=1))
    assert as_rows(columns) == one_by_one(recorded, TODAY + dt.timedelta(days=1))
    assert f"kontakt{SEPARATOR}tidbok" in columns["e_tjanster"].to_pylist()


def test_ids_are_in_order_as_numbers(recorded: Store) -> None:
    """Two observations of a unit on one date, ids 9 and 10 (as text, "10" comes first)."""
    with recorded.engine.begin() as conn:
        row = conn.execute(select(observations).order_by(observations.c.id.desc())).mappings()
        newest = row.first()
        for id_ in (9, 10):
            conn.execute(insert(observations).values(**{**newest, "id": id_}))
    rows = as_rows(read(recorded, TODAY + dt.timedelta(days=1)))
    assert rows == one_by_one(recorded, TODAY + dt.timedelta(days=1))
    assert [r[2] for r in rows if r[0] == newest["hsa_id"]][-2:] == [9, 10]


def test_a_date_is_iso_text_whatever_the_datestyle(recorded: Store) -> None:
    """PostgreSQL writes a date as its DateStyle says (25/11/2026 under 'SQL, DMY')."""
    with recorded.transaction(readonly=True) as tx:
        if tx.postgresql:
            tx.connection.execute(text("SET LOCAL DateStyle = 'SQL, DMY'"))
        days = seen_columns(tx, TODAY, tx.now)["observed"].to_pylist()
    assert days == [TODAY.isoformat()] * 3


def test_more_rows_than_joined_are_read_one_by_one(
    recorded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past JOINED_ROWS the texts would pass PostgreSQL's 1 GB: the rows come one by one."""
    as_of = TODAY + dt.timedelta(days=1)
    monkeypatch.setattr(readmodel_rollout, "JOINED_ROWS", 5)
    assert as_rows(read(recorded, as_of)) == one_by_one(recorded, as_of)
    monkeypatch.setattr(readmodel_rollout, "JOINED_ROWS", 7)
    assert as_rows(read(recorded, as_of)) == one_by_one(recorded, as_of)


def test_nothing_seen_yet_is_an_empty_table(store: Store) -> None:
    columns = read(store, TODAY)
    assert len(columns) == 0 and columns.column_names == list(SEEN)


ROWS = [
    ("A", "2026-01-01", 1, "", "", "fil"),
    ("A", "2026-01-01", 4, "", "", "fil"),
    ("A", "2026-02-01", 2, "", "", "hand"),
    ("B", "2025-12-01", 3, "", "", "fil"),
]


def table_of(rows: list[tuple]) -> pa.Table:
    return pa.table(dict(zip(SEEN, zip(*rows, strict=True), strict=True)))


def test_rows_in_another_order_are_sorted_by_unit_date_and_id() -> None:
    table = table_of(ROWS)
    assert by_unit(table) is table  # in order: as given
    for _ in range(20):
        shuffled = random.sample(ROWS, len(ROWS))
        assert as_rows(by_unit(table_of(shuffled))) == ROWS or shuffled == [ROWS[3], *ROWS[:3]]


@pytest.mark.parametrize(
    ("order", "in_order"),
    [
        ([0, 1, 2, 3], True),
        ([3, 0, 1, 2], True),  # B's run first: each unit's run together is what counts
        ([0, 2, 1, 3], False),  # A's dates backwards
        ([1, 0, 2, 3], False),  # the same date, the later id first
        ([0, 3, 1, 2], False),  # A's run split by B's
    ],
)
def test_the_order_check(order: list[int], in_order: bool) -> None:
    assert readmodel_rollout._in_order(table_of([ROWS[i] for i in order])) is in_order
