"""The roll-out now as the export's cells (ROLLOUT_HEADERS), read from its projection with the
status worked out in the query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, String, case, cast, func, select

from logic.store.rollout_projection import status_of, where_administration
from logic.store.schema import rollout
from logic.store.units import reported_now

if TYPE_CHECKING:  # the store's Tx uses the store's modules: no import at run time
    from logic.store.store import Tx


def rows_now(
    tx: Tx,
    as_of: dt.date,
    forvaltning: str | None,
    arendetyp: str | None = None,
    status: str | None = None,
    dates_as_text: bool = False,
) -> Iterator[tuple[Any, ...]]:
    """Every row as the roll-out export's cells, with its status as of the date, in the
    export's order, streamed. `dates_as_text`: dates as YYYY-MM-DD strings, as stored, and
    "" for none (a CSV needs nothing else)."""
    statement = _now(tx, as_of, forvaltning, arendetyp, status, dates_as_text)
    if dates_as_text:  # text and numbers only: as the driver gives them
        yield from tx.rollout.plain_rows(statement)
        return
    result = tx.connection.execute(statement.execution_options(yield_per=5000))
    for part in result.partitions():  # dates as dates
        yield from map(tuple, part)


def _now(
    tx: Tx,
    as_of: dt.date,
    forvaltning: str | None,
    arendetyp: str | None,
    status: str | None,
    dates_as_text: bool,
) -> Select[Any]:
    def day(column: Any) -> Any:
        if not dates_as_text:
            return column
        if tx.postgresql:  # whatever the server's DateStyle
            return func.coalesce(func.to_char(column, "YYYY-MM-DD"), "")
        return func.coalesce(cast(column, String), "")  # SQLite keeps dates as ISO text

    state = status_of(as_of)
    reported = reported_now().subquery()  # the rows resting on a unit's own report
    statement = select(
        rollout.c.hsa_id,
        rollout.c.enhet,
        rollout.c.forvaltning,
        rollout.c.arendetyp,
        state,
        day(rollout.c.infort_efter),
        day(rollout.c.infort_senast),
        day(rollout.c.frist),
        rollout.c.i_tid,
        case((rollout.c.mall, "ja"), else_="nej"),
        rollout.c.basis,
        day(reported.c.observed),
    )
    statement = statement.select_from(
        rollout.outerjoin(reported, reported.c.hsa_id == rollout.c.hsa_id)
    ).where(where_administration(forvaltning))
    if arendetyp is not None:
        statement = statement.where(rollout.c.arendetyp == arendetyp)
    if status is not None:
        statement = statement.where(state == status)
    return statement.order_by(
        *map(
            tx.rollout.by_code_point,
            (rollout.c.forvaltning, rollout.c.enhet, rollout.c.hsa_id, rollout.c.arendetyp),
        )
    )
