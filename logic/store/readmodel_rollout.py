"""What the roll-out is derived from, as known at a moment: the observations of the units up
to a date (append-only, so "known at T" is the rows recorded by T) and the decisions in force
(the newest revision approved by then)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Date, String, and_, bindparam, cast, func, select, true

from logic.store.rows import IN_LIST, codes
from logic.store.schema import approvals, observations
from logic.store.schema import assessment_revisions as rev
from logic.store.units import UNIT_COLUMNS

CHUNK = IN_LIST  # ids per IN list

if TYPE_CHECKING:  # the store's Tx uses this module's queries: no import at run time
    from logic.store.store import Tx


@dataclass(frozen=True)
class InForce:
    """A unit's decision in force: what it requires and exempts."""

    outcome: str
    variant: str | None
    required: tuple[str, ...]
    exemption: dict[str, Any]


def decisions_in_force(
    tx: Tx, at: dt.datetime | None, hsa_ids: Sequence[str] | None = None
) -> dict[str, InForce]:
    """Every unit's decision in force at the moment `at` (UTC; None: every verdict
    committed): its newest revision approved by then. A verdict is only ever given on a
    unit's newest revision, so the highest approved revision is the one in force."""
    approved = (
        select(approvals.c.hsa_id, func.max(approvals.c.revision).label("revision"))
        .where(approvals.c.verdict == "faststalld")
        .where(approvals.c.at <= at if at is not None else true())
        .where(approvals.c.hsa_id.in_(hsa_ids) if hsa_ids is not None else true())
        .group_by(approvals.c.hsa_id)
        .subquery()
    )
    statement = select(
        rev.c.hsa_id, rev.c.outcome, rev.c.variant, rev.c.required, rev.c.decision["exemption"]
    ).select_from(
        rev.join(
            approved,
            and_(rev.c.hsa_id == approved.c.hsa_id, rev.c.revision == approved.c.revision),
        )
    )
    return {
        row[0]: InForce(row[1], row[2], codes(row[3]), row[4] or {})
        for row in tx.connection.execute(statement)
    }


# A unit's history as read: each observation's date, source and facts (plain tuples)
HISTORY_COLUMNS = ("observed", "source", *UNIT_COLUMNS)


def observation_history(
    tx: Tx, as_of: dt.date, known_at: dt.datetime | None, hsa_ids: Sequence[str] | None = None
) -> Iterator[tuple[Any, ...]]:
    """Every observation dated on or before `as_of` and recorded by `known_at`, by unit and
    then in the order seen and recorded, streamed (a country's history is never a list), as
    plain tuples of HISTORY_COLUMNS, the date as a date (SQLAlchemy's rows of every column:
    2.2 s more in a policy impact at 50,000 units)."""
    statement = (
        select(*(observations.c[c] for c in HISTORY_COLUMNS))
        .where(observations.c.observed <= as_of)
        .where(observations.c.recorded_at <= known_at if known_at is not None else true())
        .where(observations.c.hsa_id.in_(hsa_ids) if hsa_ids is not None else true())
        .order_by(observations.c.hsa_id, observations.c.observed, observations.c.id)
    )
    dates: dict[Any, dt.date] = {}  # a few distinct dates: each read once
    for row in tx.rollout.plain_rows(statement):
        day = row[0]
        if day not in dates:  # SQLite hands over its ISO text, PostgreSQL a date
            dates[day] = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
        yield (dates[day], *row[1:])


def _seen_by(as_of: dt.date, known_at: dt.datetime | None) -> Any:
    """Observations dated on or before `as_of` and recorded by `known_at` (None: all)."""
    return and_(
        observations.c.observed <= as_of,
        observations.c.recorded_at <= known_at if known_at is not None else true(),
    )


# The history's columns, in the order the figures are worked out in (readmodels/history_figures)
SEEN = ("hsa_id", "observed", "id", "e_tjanster", "regionala_mallar", "source")
SEPARATOR = "\x1f"  # between the values of one column: no stored value holds it (see seen_columns)


def seen_columns(tx: Tx, as_of: dt.date, known_at: dt.datetime | None) -> pa.Table:
    """The SEEN columns (each text but `id`) of every observation dated on or before `as_of`
    and recorded by `known_at`, by unit and then in the order seen and recorded: what the
    roll-out's figures are worked out from (readmodels/history_figures.py).

    Each column comes as one text, its values joined in SQL (group_concat, string_agg) and
    split by Arrow: a country's 250,000 observations as six texts, not 1,500,000 Python
    objects (0.6-0.8 s to 0.3-0.4 s with the columns made). One aggregate steps through the
    rows as the others do, so the columns stay aligned whatever the order; the order is
    checked, and the rows sorted if the database gave another. The rows are read one by
    one instead when a value holds the separator (no import writes one: the codes, dates
    and HSA-ids are checked, control characters refused; the counts tell), or when there
    are more than JOINED_ROWS (the texts in one row must stay under PostgreSQL's 1 GB)."""
    seen = select(*(_as_text(tx, observations.c[name]) for name in SEEN))
    seen = seen.where(_seen_by(as_of, known_at))
    seen = seen.order_by(observations.c.hsa_id, observations.c.observed, observations.c.id)
    inner = seen.limit(JOINED_ROWS + 1).subquery()
    joined = select(func.count(), *(func.aggregate_strings(c, SEPARATOR) for c in inner.c))
    count, *texts = tx.connection.execute(joined).one()
    if count == 0:
        return pa.table({name: pa.array([], pa.string()) for name in SEEN})
    columns: list[pa.Array] = []
    if count <= JOINED_ROWS:
        columns = [pc.list_flatten(pc.split_pattern(pa.array([t]), SEPARATOR)) for t in texts]
    if count > JOINED_ROWS or any(len(column) != count for column in columns):
        rows = list(zip(*tx.rollout.plain_rows(seen), strict=True))
        columns = [pa.array(column, pa.string()) for column in rows]
    table = pa.table(dict(zip(SEEN, columns, strict=True)))
    table = table.set_column(2, "id", pc.cast(table["id"], pa.int64()))
    return by_unit(table)


# Rows joined into one text per column at most: at the columns' widest (the HSA-id 31
# characters, the two code lists 400 each) 870 MB in the one row PostgreSQL returns
JOINED_ROWS = 1_000_000


def _as_text(tx: Tx, column: Any) -> Any:
    """A column as text in SQL: a date as ISO text whatever PostgreSQL's DateStyle (SQLite
    stores it so), a number as its digits, the text ones as they are."""
    if isinstance(column.type, String):
        return column
    if isinstance(column.type, Date) and tx.postgresql:
        return func.to_char(column, "YYYY-MM-DD")
    return cast(column, String)


def by_unit(table: pa.Table) -> pa.Table:
    """The SEEN columns by unit, then date, then id: as the database gave them (it does, from
    its index), sorted if it gave another order (neither database promises a subquery's)."""
    return table if _in_order(table) else table.sort_by([(n, "ascending") for n in SEEN[:3]])


def _in_order(table: pa.Table) -> bool:
    """Is each unit's run together, and by date and then id within it?"""
    unit, day, ids = (table[name].combine_chunks() for name in SEEN[:3])
    same = pc.equal(unit[1:], unit[:-1])
    later = pc.or_(
        pc.greater(day[1:], day[:-1]),
        pc.and_(pc.equal(day[1:], day[:-1]), pc.greater(ids[1:], ids[:-1])),
    )
    apart = pc.invert(same)  # where the next unit's run starts
    runs = 1 + (pc.sum(apart).as_py() or 0)
    return pc.all(pc.or_(apart, later)).as_py() and runs == pc.count_distinct(unit).as_py()


def facts_of(tx: Tx, ids: Sequence[int]) -> Iterator[tuple]:
    """The facts (UNIT_COLUMNS, as stored) of the observations with these ids."""
    chosen = bindparam("ids", expanding=True)  # one statement, its list filled in per part
    statement = select(*(observations.c[c] for c in UNIT_COLUMNS))
    statement = statement.where(observations.c.id.in_(chosen))
    for start in range(0, len(ids), CHUNK):
        yield from tx.rollout.plain_rows(statement, {"ids": ids[start : start + CHUNK]})


def waiting_subquery(at: dt.datetime, hsa_ids: Sequence[str] | None = None) -> Any:
    """Units (these, or all) whose newest revision submitted by `at` had no verdict by then:
    a proposal waiting for approval (beside, or instead of, a decision in force)."""
    newest = select(rev.c.hsa_id, func.max(rev.c.revision).label("revision")).where(
        rev.c.created_at <= at
    )
    if hsa_ids is not None:  # a few units (one unit's page): their revisions only
        newest = newest.where(rev.c.hsa_id.in_(list(hsa_ids)))
    newest = newest.group_by(rev.c.hsa_id).subquery()
    judged = and_(
        approvals.c.hsa_id == newest.c.hsa_id,
        approvals.c.revision == newest.c.revision,
        approvals.c.at <= at,
    )
    return (
        select(newest.c.hsa_id)
        .select_from(newest.outerjoin(approvals, judged))
        .where(approvals.c.id.is_(None))
        .subquery()
    )


def waiting_for_approval(tx: Tx, at: dt.datetime, hsa_ids: Sequence[str] | None = None) -> set[str]:
    """The units (of these, or of all) with a proposal waiting for approval at `at`."""
    if hsa_ids is not None and len(hsa_ids) > IN_LIST:  # many: read all, as before
        hsa_ids = None
    found = tx.connection.execute(select(waiting_subquery(at, hsa_ids)))
    return {row[0] for row in found}


def waiting_rows(tx: Tx, at: dt.datetime) -> Iterator[tuple]:
    """The units with a proposal waiting for approval at `at`, as plain tuples."""
    return tx.rollout.plain_rows(select(waiting_subquery(at)))
