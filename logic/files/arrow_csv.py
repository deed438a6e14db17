"""Rows of text as the CSV file `export.to_csv` writes of them, byte for byte, over whole
columns in C++ (Arrow): the roll-out export's 204,210 rows at 50,000 units, all text, took
the csv module's writer 0.8x `DataFrame.to_csv` alone.

Each column is worked on its distinct values (dictionary encoded): the text gate of
`export.file_texts` (a value it doubts made safe in Python, as there), then the csv module's
QUOTE_MINIMAL (a value with the delimiter, a quote or a line break quoted, its quotes doubled).
A property test holds the two writers equal (tests/unit/test_arrow_csv.py)."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logic.files.at_once import at_once
from logic.files.export import PLAIN_START, UNSAFE_CHARACTER, Profile, neutralise, safe_text


def table_of(rows: Iterable[Sequence[Any]], width: int, size: int = 10_000) -> pa.Table | None:
    """Rows of `width` text cells (or None) as a table of text columns, a block of rows at a
    time (a country's rows are never all Python objects at once). None when a cell is not
    text: the csv module's writer writes such rows (export.to_csv)."""
    names = [str(i) for i in range(width)]
    batches = []
    iterator = iter(rows)
    while block := list(itertools.islice(iterator, size)):
        try:
            arrays = [pa.array(column) for column in zip(*block, strict=True)]
        except (pa.ArrowException, UnicodeEncodeError):  # a number, a lone surrogate
            return None
        if any(array.type not in (pa.string(), pa.null()) for array in arrays):
            return None  # bytes, say: a BLOB written behind the app's back
        batches.append(pa.record_batch([a.cast(pa.large_string()) for a in arrays], names))
    schema = pa.schema([(name, pa.large_string()) for name in names])
    return pa.Table.from_batches(batches, schema)


def to_csv(headers: Sequence[str], table: pa.Table, profile: Profile, block: int = 50_000) -> bytes:
    """Excel (svenska): UTF-8 with BOM, `;`, CRLF. RFC 4180: UTF-8, `,`, CRLF. A null is an
    empty cell. Written `block` rows at a time: the lines of a country's export are never
    all worked on at once (each row's line is its own, wherever a block ends)."""
    excel = profile == "csv-excel"
    delimiter = ";" if excel else ","
    head = (delimiter.join(_quoted_text(h, delimiter) for h in headers) + "\r\n").encode()
    out = io.BytesIO()
    out.write((b"\xef\xbb\xbf" if excel else b"") + head)
    cells = partial(_cells, delimiter=delimiter, alone=table.num_columns == 1)
    for start in range(0, table.num_rows, block):
        columns = at_once(cells, table.slice(start, block).columns)
        # each row's cells joined, and its line end after it: one array whose data is the body
        lines = pc.binary_join_element_wise(
            pc.binary_join_element_wise(*columns, _text(delimiter)), _text(""), _text("\r\n")
        )
        out.write(_data(lines))
    return out.getvalue()


def _cells(column: pa.ChunkedArray | pa.Array, delimiter: str, alone: bool) -> pa.Array:
    """A column's cells as the file has them (large strings: a country's file may pass 2 GB).
    `alone`: the row's only cell, which the csv module quotes when empty."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    column = pc.fill_null(column.cast(pa.large_string()), "")
    encoded = pc.dictionary_encode(column)
    values = gated(encoded.dictionary)
    needs = pc.match_substring_regex(values, f'[{delimiter}"\r\n]' + ("|^$" if alone else ""))
    quote = _text('"')
    quoted = pc.binary_join_element_wise(
        quote, pc.replace_substring(values, '"', '""'), quote, _text("")
    )
    return pc.take(pc.if_else(needs, quoted, values), encoded.indices)


def gated(values: pa.Array) -> pa.Array:
    """export.file_texts over distinct values: the gate in RE2, the doubtful made safe."""
    plain = pc.match_substring_regex(values, PLAIN_START)
    doubtful = pc.or_(pc.match_substring_regex(values, UNSAFE_CHARACTER), pc.invert(plain))
    if not pc.any(doubtful).as_py():
        return values
    made = values.to_pylist()
    for i in pc.indices_nonzero(doubtful).to_pylist():
        made[i] = neutralise(safe_text(made[i]))
    return pa.array(made, pa.large_string())


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def _quoted_text(value: str, delimiter: str) -> str:
    if any(c in value for c in (delimiter, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def _data(lines: pa.Array) -> memoryview:
    """The concatenated values of a large-string array, without copying them."""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
    start, end = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return memoryview(lines.buffers()[2])[start:end]
