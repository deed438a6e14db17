"""The roll-out export's fast writer makes exactly the file the decision export's writer
would, formula-safe, whatever the text."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from logic.files.export import to_csv
from logic.files.rollout_export import ROLLOUT_HEADERS, rollout_csv

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
day = st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)))
row = st.tuples(
    text, text, text, st.sampled_from(["kontakt", "boka_tid"]),
    st.sampled_from(["infort", "forsenat"]), day, day, day,
    st.sampled_from(["ja", "nej", "okant", ""]), st.sampled_from(["ja", "nej"]),
    st.sampled_from(["beslut", "forslag"]),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(row, max_size=6), profile=st.sampled_from(["csv-excel", "csv"]))
def test_the_fast_writer_writes_what_the_export_writer_writes(rows: list, profile: str) -> None:
    data, count = rollout_csv(rows, profile)
    assert data == to_csv(rows, profile, headers=ROLLOUT_HEADERS)
    assert count == len(rows)


def test_a_name_that_reads_as_a_formula_is_written_as_text() -> None:
    data, _ = rollout_csv([("SE1-A", "=HYPERLINK(1)", "+F", "kontakt", "infort", None,
                            None, None, "", "nej", "beslut")], "csv")  # fmt: skip
    assert b"'=HYPERLINK(1)" in data and b"'+F" in data
