"""The roll-out export's Arrow writer makes the file the csv module's writer makes of the same
rows (export.to_csv), byte for byte, whatever the text: what a spreadsheet would run as a
formula, line breaks, delimiters and quotes, controls, noncharacters, any script, empty
cells and nulls; for both CSV profiles."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from logic.files import arrow_csv, export
from tests.hostile_text import HOSTILE, TEXT

CELL = st.none() | TEXT


def both(headers: list[str], rows: list[tuple[str | None, ...]], profile: str) -> None:
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in headers]
    table = pa.table({h: pa.array(c, pa.string()) for h, c in zip(headers, columns, strict=True)})
    ours = arrow_csv.to_csv(headers, table, profile)  # type: ignore[arg-type]
    assert ours == export.to_csv(rows, profile, headers)  # type: ignore[arg-type]
    for block in (1, 3):  # however the rows are cut into blocks
        assert arrow_csv.to_csv(headers, table, profile, block) == ours  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(st.just(n), st.lists(st.tuples(*[CELL] * n), max_size=8))
    ),
    st.sampled_from(["csv-excel", "csv"]),
)
@example((2, [("=1+1", None), ("a;b", 'c"d')]), "csv-excel")
@example((1, [("",), (None,)]), "csv")
def test_the_arrow_writer_makes_the_csv_writer_s_file(
    shape: tuple[int, list[tuple[str | None, ...]]], profile: str
) -> None:
    n, rows = shape
    both([f"kolumn_{i}" for i in range(n)], rows, profile)


@pytest.mark.parametrize("profile", ["csv-excel", "csv"])
def test_every_hostile_text_in_one_column(profile: str) -> None:
    both(["namn", "status"], [(text, "forsenat") for text in HOSTILE], profile)


def test_a_header_with_the_delimiter_is_quoted_as_the_csv_writer_quotes_it() -> None:
    both(["a;b", 'c"d', "e,f"], [("1", "2", "3")], "csv-excel")
    both(["a;b", 'c"d', "e,f"], [("1", "2", "3")], "csv")
