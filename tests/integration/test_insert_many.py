"""Rows written by the driver's own executemany (Rows.insert_many, the import's path) are
stored exactly as SQLAlchemy's insert stores them, every column type, on both databases:
dates, moments with their zone, booleans, numbers, text, empty values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select

from logic.store.schema import observations, units
from logic.store.store import Store
from logic.store.units import unit_facts
from tests.factories import make_unit

MOMENT = dt.datetime(2026, 12, 6, 8, 30, 0, tzinfo=dt.UTC)


def _unit(hsa_id: str, **changes: Any) -> dict[str, Any]:
    """A row of `units`: a unit's facts (a name with quotes and a formula sign) and what the
    register keeps beside them."""
    facts = unit_facts(make_unit(hsa_id=hsa_id, namn="Vårdcentral 'Söder' = \"x\""))
    return (
        facts
        | {
            "recommended_outcome": "omfattas",
            "recommended_variant": "mottagning",
            "recommended_missing": "",
            "catalog_version": "abc",
            "updated_at": MOMENT,
            "updated_by": "test@example.se",
            "observed": dt.date(2026, 12, 6),
        }
        | changes
    )


def test_rows_written_by_the_driver_read_back_as_sqlalchemy_s(store: Store) -> None:
    mine = [
        _unit("SE162321000255-I1"),
        _unit(
            "SE162321000255-I2", avtalsanalys_klar=True, updated_at=MOMENT.replace(microsecond=0)
        ),
        _unit("SE162321000255-I3", avtalsanalys_klar=False, observed=dt.date(2000, 1, 1)),
        # the same moment as I1's, in another zone: equal, but not the same value to write
        _unit(
            "SE162321000255-I4", updated_at=MOMENT.astimezone(dt.timezone(dt.timedelta(hours=1)))
        ),
    ]
    theirs = [r | {"hsa_id": r["hsa_id"].replace("-I", "-J")} for r in mine]
    facts = [
        {k: r[k] for k in r if k in observations.c} | {"recorded_at": MOMENT, "source": "fil"}
        for r in mine
    ]
    with store.transaction() as tx:
        tx.rollout.insert_many(units, mine)
        tx.connection.execute(insert(units), theirs)
        tx.rollout.insert_many(observations, facts)
        tx.rollout.insert_many(units, [])  # nothing to write: nothing written
    with store.transaction(readonly=True) as tx:
        read = {r.hsa_id: r._asdict() for r in tx.connection.execute(select(units))}
        seen = [r._asdict() for r in tx.connection.execute(select(observations))]
    assert len(read) == 8
    for row in mine:
        ours, reference = read[row["hsa_id"]], read[row["hsa_id"].replace("-I", "-J")]
        assert {**ours, "hsa_id": ""} == {**reference, "hsa_id": ""}
        assert ours["avtalsanalys_klar"] is row["avtalsanalys_klar"]
        assert ours["observed"] == row["observed"] and ours["namn"] == row["namn"]
    assert sorted((s["hsa_id"], s["observed"], s["vardutforande"]) for s in seen) == sorted(
        (r["hsa_id"], r["observed"], True) for r in mine
    )


def test_each_distinct_date_or_flag_is_converted_once_and_nothing_else_is() -> None:
    """_kept: a date or flag once per value (True and 1 apart); any other value, such as a
    moment equal to one in another zone, each time."""
    from logic.store.rows import _kept

    calls: list[object] = []
    kept = _kept(lambda value: calls.append(value) or repr(value))
    day = dt.date(2026, 12, 6)
    moment = MOMENT.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert [kept(v) for v in (day, day, True, 1, True, MOMENT, moment)] == [
        repr(day), repr(day), "True", "1", "True", repr(MOMENT), repr(moment),
    ]  # fmt: skip
    assert calls == [day, True, 1, MOMENT, moment]
