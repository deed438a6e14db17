"""The quick ways through the checks on text (a plain value skips the exact checks; a whole
column is gated at once) say what the exact checks say, for any text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import example, given, settings
from hypothesis import strategies as st

from logic.domain.text import (
    DIGIT_RUN,
    DOUBTFUL,
    PLAIN,
    contains_personnummer,
    invisible_characters,
)
from logic.files import export
from logic.files.export import file_texts, neutralise, safe_text
from logic.files.text_columns import free_text_in_column

# digits and what passes for them, every separator the checks know, plain letters, and
# characters that are not plain: other scripts' digits, dashes, spaces, marks, controls
ALPHABET = (
    "0123456789" * 3
    + "lIoO|"
    + " -+./_,:'"
    + "aZåÄé×~=@"
    + "\u200b\u00a0\u2212\u0663\uff11\u0301\u00b7\u2019\t\n\x7f\u00ad\u2028\ufdd0"
)
texts = st.text(alphabet=ALPHABET, max_size=30)
ZERO_WIDTH = "\u200b"  # taken away first by the exact check, and never plain


@settings(max_examples=3000, deadline=None)
@given(texts)
@example("8501011234")
@example("85-01-01 1234")
@example("l9850101123")
@example("8 5 0 1 0 1 - 1 2 3 4")
@example("850101_1234")
# each separator and look-alike, where the number needs it
@example("O850101l234")
@example("O50101l234")
@example("o50101-1234")
@example("850I011234")
@example("8501011|34")
@example("85010112o4")
@example("850101:1234")
@example("850101,1234")
@example("850101'1234")
@example("850101/1234")
@example("850101.1234")
@example("850101+1234")
@example("850101 1234")
def test_a_plain_text_is_judged_as_the_exact_check_judges_it(value: str) -> None:
    # the zero-width space sends the same text through the exact check
    assert contains_personnummer(value) == contains_personnummer(value + ZERO_WIDTH)
    assert set(invisible_characters(value + ZERO_WIDTH)) == {
        *invisible_characters(value),
        "U+200B",
    }


@settings(max_examples=1000, deadline=None)
@given(st.lists(texts, min_size=1, max_size=8))
def test_a_value_is_doubtful_exactly_when_not_plain_or_holding_a_digit_run(
    values: list[str],
) -> None:
    """DOUBTFUL, one search over a column in RE2, is the two patterns the exact checks use."""
    expected = [not re.fullmatch(PLAIN, v) or bool(re.search(DIGIT_RUN, v)) for v in values]
    assert [bool(re.search(DOUBTFUL, v)) for v in values] == expected  # Python's re
    column = pa.array(values, pa.string())
    assert pc.match_substring_regex(column, DOUBTFUL).to_pylist() == expected  # RE2


def _any_refused(values: list[str]) -> bool:
    return any(
        invisible_characters(v) or "\t" in v or "\n" in v or contains_personnummer(v)
        for v in values
    )


@settings(max_examples=500, deadline=None)
@given(st.lists(texts, min_size=1, max_size=8))
def test_a_column_is_refused_exactly_when_one_of_its_values_is(values: list[str]) -> None:
    assert free_text_in_column(pa.array(values, pa.string())) == _any_refused(values)


# what a stored text may hold besides: other blanks, full-width signs, a noncharacter, a
# lone surrogate (the column then goes value by value: pyarrow takes no surrogate)
STORED = ALPHABET + "\u3000\uff1d\ufe62\u2060\r\x85\u2029\x0b\U0001fffe"
stored_texts = st.text(alphabet=STORED, max_size=8) | st.sampled_from(["\ud800x", "=\udfff"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.none() | stored_texts, min_size=1))
def test_a_column_is_made_safe_as_each_of_its_values(values: list[str | None]) -> None:
    expected = [None if v is None else neutralise(safe_text(v)) for v in values]
    assert list(file_texts(values)) == expected


def _cell_by_cell(rows: list[tuple[object, ...]], profile: export.Profile) -> bytes:
    """The CSV as written one cell at a time (what to_csv did before it went by columns)."""
    excel = profile == "csv-excel"
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(("a", "b", "c", "d"))
    writer.writerows([export._csv_cell(v, excel) for v in row] for row in rows)
    text = out.getvalue()
    return ("\ufeff" + text).encode("utf-8") if excel else text.encode("utf-8")


MOMENT = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), timezones=st.just(dt.timezone(dt.timedelta(hours=1)))
)
CELL = st.none() | stored_texts | st.integers() | st.floats() | st.booleans() | st.dates() | MOMENT


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(CELL, CELL, stored_texts, st.none() | MOMENT), max_size=12),
    st.sampled_from(["csv-excel", "csv"]),
)
def test_a_file_written_by_columns_is_the_file_written_cell_by_cell(
    rows: list[tuple[object, ...]], profile: export.Profile
) -> None:
    expected = _cell_by_cell(rows, profile)
    assert export.to_csv(rows, profile, headers=("a", "b", "c", "d")) == expected


def test_a_name_with_an_identity_number_in_a_large_column_is_found() -> None:
    names = [f"Vårdcentral {n}" for n in range(5000)]
    assert not free_text_in_column(pa.array(names))
    names[4321] = "Vårdcentral 19850101-1234"
    assert free_text_in_column(pa.array(names))
    names[4321] = "Vårdcentral\u200b 4321"
    assert free_text_in_column(pa.array(names))
