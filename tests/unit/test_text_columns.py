"""The quick ways through the checks on text (a plain value skips the exact checks; a whole
column is gated at once) say what the exact checks say, for any text."""

from __future__ import annotations

import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from logic.domain.text import contains_personnummer, invisible_characters
from logic.files.export import neutralise
from logic.files.text_columns import free_text_in_column, neutralise_column

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


def _any_refused(values: list[str]) -> bool:
    return any(
        invisible_characters(v) or "\t" in v or "\n" in v or contains_personnummer(v)
        for v in values
    )


@settings(max_examples=500, deadline=None)
@given(st.lists(texts, min_size=1, max_size=8))
def test_a_column_is_refused_exactly_when_one_of_its_values_is(values: list[str]) -> None:
    assert free_text_in_column(pd.Series(values, dtype=object)) == _any_refused(values)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET + "\u3000\uff1d\ufe62\u2060", max_size=8), min_size=1))
def test_a_column_is_neutralised_as_each_of_its_values(values: list[str]) -> None:
    column = pd.Series(values, dtype=object)
    assert neutralise_column(column).tolist() == [neutralise(v) for v in values]


def test_a_name_with_an_identity_number_in_a_large_column_is_found() -> None:
    names = [f"Vårdcentral {n}" for n in range(5000)]
    assert not free_text_in_column(pd.Series(names))
    names[4321] = "Vårdcentral 19850101-1234"
    assert free_text_in_column(pd.Series(names))
    names[4321] = "Vårdcentral\u200b 4321"
    assert free_text_in_column(pd.Series(names))
