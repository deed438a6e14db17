"""The decision export's rows as whole text columns for the Arrow writer (arrow_csv): the
rows of its query as the database driver hands them over (readmodel_register's
export_plain_rows), never a Python object per cell made on the way.

What `export.record_row`, the service's moments in local time and `export.to_csv` make of
each row, made over whole columns: the moments in the region's local time by Arrow (its time
zone database), the dates and revision numbers as text, and the decision's JSON spread by
`export.decided_cells` once per distinct value (most decisions have no exemption and no
deviation). Anything not as the app writes it (a moment in another format, a number stored as
text, a BLOB: written behind the app's back) gives None, and the csv module's writer writes
the rows instead, as it always did. An agreement test holds the two files equal
(tests/integration/test_decision_export_writers_agree.py)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from logic.files.export import DECIDED, HEADERS, MOMENTS, REVISION, decided_cells

DATES = (HEADERS.index("omprovas_senast"),)
NUMBERS = (REVISION, HEADERS.index("faststalld_revision"))
# the query's columns from DECIDED on: the exemption (JSON), the response time, the remark,
# the deviations (JSON), then the verdict, who gave it, when and its comment
_EXEMPTION, _RESPONSE_TIME, _REMARK, _DEVIATIONS, _VERDICT = range(DECIDED, DECIDED + 5)
# a moment as SQLite keeps it (SQLAlchemy's format, in UTC); a date
_STORED_MOMENT = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?$"
_STORED_DATE = r"^\d{4}-\d{2}-\d{2}$"


class NotAsWritten(Exception):
    """A cell is not as the app writes it: the csv module's writer takes the rows."""


def table_of(rows: Iterable[Sequence[Any]], time_zone: str, size: int = 10_000) -> pa.Table | None:
    """The export's rows (the query's, as the driver gives them) as a table of text columns
    in HEADERS' order, a block of rows at a time; None when a cell is not as the app writes
    it."""
    names = [str(i) for i in range(len(HEADERS))]
    spread: dict[tuple[Any, ...], tuple[str | None, ...]] = {}
    batches = []
    iterator = iter(rows)
    try:
        while block := list(itertools.islice(iterator, size)):
            arrays = _columns(block, time_zone, spread)
            batches.append(pa.record_batch(arrays, names))
    except (NotAsWritten, pa.ArrowException, UnicodeEncodeError, ValueError, TypeError):
        return None
    schema = pa.schema([(name, pa.large_string()) for name in names])
    return pa.Table.from_batches(batches, schema)


def _columns(
    block: list[Sequence[Any]], time_zone: str, spread: dict[tuple[Any, ...], Any]
) -> list[pa.Array]:
    raw = list(zip(*block, strict=True))
    decided = [
        _decided(spread, exemption, found, revision is not None)
        for exemption, found, revision in zip(
            raw[_EXEMPTION], raw[_DEVIATIONS], raw[REVISION], strict=True
        )
    ]
    spread_columns = list(zip(*decided, strict=True))
    case_types, rationale, other, *deviations = spread_columns
    cells = [
        *raw[:DECIDED],
        case_types,
        raw[_RESPONSE_TIME],
        raw[_REMARK],
        rationale,
        other,
        *deviations,
        *raw[_VERDICT:],
    ]
    columns = []
    for index, values in enumerate(cells):
        if index in MOMENTS:
            columns.append(_local_minutes(values, time_zone))
        elif index in DATES:
            columns.append(_dates(values))
        elif index in NUMBERS:
            columns.append(_numbers(values))
        else:
            columns.append(_texts(values))
    return columns


def _decided(
    spread: dict[tuple[Any, ...], Any], exemption: Any, found: Any, decided: bool
) -> tuple[str | None, ...]:
    """decided_cells of the stored JSON (text on SQLite, parsed on PostgreSQL), once per
    distinct value."""
    key = (_key(exemption), _key(found), decided)
    if key not in spread:
        spread[key] = decided_cells(_parsed(exemption), _parsed(found), decided)
    return spread[key]  # type: ignore[no-any-return]


def _key(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else json.dumps(value)


def _parsed(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _texts(values: Sequence[Any]) -> pa.Array:
    array = pa.array(values)
    if array.type not in (pa.string(), pa.null()):
        raise NotAsWritten  # a number where text belongs, bytes: written behind the app's back
    return array.cast(pa.large_string())


def _numbers(values: Sequence[Any]) -> pa.Array:
    array = pa.array(values)
    if not (pa.types.is_integer(array.type) or array.type == pa.null()):
        raise NotAsWritten
    if array.null_count < len(array) and pc.min(array).as_py() < 0:
        raise NotAsWritten  # a minus first: a spreadsheet's formula, the text gate's business
    return array.cast(pa.large_string())


def _dates(values: Sequence[Any]) -> pa.Array:
    array = pa.array(values)
    if pa.types.is_string(array.type):  # SQLite's text
        if pc.all(pc.match_substring_regex(array, _STORED_DATE)).as_py() is False:
            raise NotAsWritten
        array = array.cast(pa.date32())  # a date there is (2026-02-30 is none)
    elif not (pa.types.is_date32(array.type) or array.type == pa.null()):
        raise NotAsWritten
    return array.cast(pa.large_string())


def _local_minutes(values: Sequence[Any], time_zone: str) -> pa.Array:
    """Moments (UTC) as YYYY-MM-DD HH:MM in `time_zone`: what the service's local time and
    the csv writer's minutes make of each."""
    array = pa.array(values)
    if pa.types.is_string(array.type):  # SQLite's text, in UTC
        if pc.all(pc.match_substring_regex(array, _STORED_MOMENT)).as_py() is False:
            raise NotAsWritten
        array = array.cast(pa.timestamp("us"))
    if array.type == pa.null():
        return array.cast(pa.large_string())
    if not pa.types.is_timestamp(array.type):
        raise NotAsWritten
    if array.type.tz is None:  # naive: in UTC, as the store writes every moment
        array = array.cast(pa.timestamp("us", tz="UTC"))
    local = array.cast(pa.timestamp("us", tz=time_zone))
    return pc.strftime(local, format="%Y-%m-%d %H:%M").cast(pa.large_string())
