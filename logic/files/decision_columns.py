"""The decision export's rows as whole text columns for the Arrow writer (arrow_csv): the
rows of its query as the database driver hands them over (readmodel_register's
export_plain_rows), never a Python object per cell made on the way.

What `export.record_row`, the service's moments in local time and `export.to_csv` make of
each row, made over whole columns: the moments in the region's local time (zoneinfo's offset
once per distinct hour, added over the column), the dates and revision numbers as text, and
the decision's JSON spread by `export.decided_cells` once per distinct value (most decisions
have no exemption and no deviation). Anything not as the app writes it (a moment in another
format, a number stored as text, a BLOB: written behind the app's back) gives None, and the
csv module's writer writes the rows instead, as it always did. An agreement test holds the
two files equal (tests/integration/test_decision_export_writers_agree.py)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

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


def table_of(
    rows: Iterable[Sequence[Any]], zone: ZoneInfo, json_as_text: bool, size: int = 10_000
) -> pa.Table | None:
    """The export's rows (the query's, as the driver gives them) as a table of text columns
    in HEADERS' order, a block of rows at a time; None when a cell is not as the app writes
    it. `json_as_text`: the driver hands the decision's JSON over as text (SQLite's), not
    parsed (psycopg's)."""
    names = [str(i) for i in range(len(HEADERS))]
    spread: dict[tuple[Any, ...], tuple[str | None, ...]] = {}
    batches = []
    iterator = iter(rows)
    try:
        while block := list(itertools.islice(iterator, size)):
            arrays = _columns(block, zone, json_as_text, spread)
            batches.append(pa.record_batch(arrays, names))
    except (
        NotAsWritten, pa.ArrowException, UnicodeEncodeError, ValueError, TypeError, OverflowError
    ):  # fmt: skip
        return None
    schema = pa.schema([(name, pa.large_string()) for name in names])
    return pa.Table.from_batches(batches, schema)


def _columns(
    block: list[Sequence[Any]],
    zone: ZoneInfo,
    json_as_text: bool,
    spread: dict[tuple[Any, ...], Any],
) -> list[pa.Array]:
    raw = list(zip(*block, strict=True))
    decided = [
        _decided(spread, exemption, found, revision is not None, json_as_text)
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
            columns.append(_local_minutes(values, zone))
        elif index in DATES:
            columns.append(_dates(values))
        elif index in NUMBERS:
            columns.append(_numbers(values))
        else:
            columns.append(_texts(values))
    return columns


def _decided(
    spread: dict[tuple[Any, ...], Any], exemption: Any, found: Any, decided: bool, text: bool
) -> tuple[str | None, ...]:
    """decided_cells of the stored JSON, once per distinct value: as text (`text`: SQLite's,
    parsed here) or parsed (PostgreSQL's, taken as it is, a JSON string too)."""
    key = (exemption, found, decided) if text else (_dumped(exemption), _dumped(found), decided)
    if key not in spread:
        if text:
            exemption, found = _parsed(exemption), _parsed(found)
        spread[key] = decided_cells(exemption, found, decided)
    return spread[key]  # type: ignore[no-any-return]


def _dumped(value: Any) -> str:
    return json.dumps(value)


def _parsed(value: str | None) -> Any:
    return None if value is None else json.loads(value)


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
    if not _years_python_has(array):  # 0000-01-01: no date to Python
        raise NotAsWritten
    return array.cast(pa.large_string())


def _local_minutes(values: Sequence[Any], zone: ZoneInfo) -> pa.Array:
    """Moments (UTC) as YYYY-MM-DD HH:MM in `zone`: what the service's local time and the
    csv writer's minutes make of each. The offsets are zoneinfo's, as the service's, once
    per distinct hour (Arrow's own time zones miss the yearly rule of the zone files: its
    summer time ends in 2037); an hour in which the offset changes, or a year Python has no
    date for, goes row by row."""
    array = pa.array(values)
    if pa.types.is_string(array.type):  # SQLite's text, in UTC
        if pc.all(pc.match_substring_regex(array, _STORED_MOMENT)).as_py() is False:
            raise NotAsWritten
        array = array.cast(pa.timestamp("us"))
    if array.type == pa.null():
        return array.cast(pa.large_string())
    if not pa.types.is_timestamp(array.type):
        raise NotAsWritten
    utc = array.cast(pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))  # naive, in UTC
    hours = pc.floor_temporal(utc, unit="hour")
    distinct = pc.unique(hours).drop_null()
    offsets = [_offset(hour, zone) for hour in distinct.to_pylist()]  # a year 0: ValueError
    offset = pc.take(pa.array(offsets, pa.duration("us")), pc.index_in(hours, distinct))
    local = pc.add(utc, offset)
    if not _years_python_has(local):
        raise NotAsWritten
    # as text YYYY-MM-DD HH:MM:SS.ffffff, cut to the minute (strftime took ten times as long)
    return pc.utf8_slice_codeunits(local.cast(pa.large_string()), 0, 16)


def _offset(hour: dt.datetime, zone: ZoneInfo) -> dt.timedelta:
    """The zone's offset throughout the hour (UTC) that starts at `hour`."""
    start = hour.replace(tzinfo=dt.UTC)
    offset = start.astimezone(zone).utcoffset()
    end = start + dt.timedelta(hours=1) - dt.timedelta(microseconds=1)
    if offset is None or end.astimezone(zone).utcoffset() != offset:
        raise NotAsWritten  # a change within the hour (none falls so in Europe today)
    return offset


def _years_python_has(moments: pa.Array) -> bool:
    if moments.null_count == len(moments):  # none at all (the null type has no year)
        return True
    years = pc.year(moments)
    low, high = pc.min(years).as_py(), pc.max(years).as_py()
    return low is None or (low >= 1 and high <= 9999)
