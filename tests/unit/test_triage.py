"""Triage gives each unit of a file what the rules recommend for it, under its own HSA-id and
name (made safe for a spreadsheet), or refuses the file as the careful reader does: the
rules run once per distinct set of facts, and no unit takes another's recommendation."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logic.domain.rules import recommend
from logic.files.export import neutralise, safe_text
from logic.files.reference_data import catalog
from logic.files.triage import TRIAGE_COLUMNS, groups, triage_csv
from logic.files.unit_file import UnitFileError, read_units
from tests.unit.test_unit_file_readers_agree import UnitFile, unit_files

TODAY = dt.date(2026, 11, 25)


@settings(max_examples=100, deadline=None)
@given(unit_files())
def test_each_unit_gets_its_own_recommendation_or_the_file_is_refused(file: UnitFile) -> None:
    cat = catalog()
    try:
        units = read_units(file.data)
    except UnitFileError as refused:
        with pytest.raises(UnitFileError) as triaged:
            triage_csv(file.data, cat, TODAY)
        assert vars(triaged.value) == vars(refused)
        return
    rows = list(csv.reader(io.StringIO(triage_csv(file.data, cat, TODAY).decode("utf-8"))))
    assert rows[0] == list(TRIAGE_COLUMNS)
    expected = []
    for unit in units:
        rec = recommend(unit, cat, TODAY)
        expected.append(
            [
                unit.hsa_id,
                neutralise(safe_text(unit.namn)),
                rec.outcome,
                rec.variant or "",
                "|".join(rec.required),
                "|".join(rec.missing),
                "|".join(dict.fromkeys(rec.rule_ids)),
            ]
        )
    assert rows[1:] == expected


VALUES = st.sampled_from(["a", "b", "c", ""])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(VALUES, VALUES, VALUES), min_size=1, max_size=30))
def test_rows_are_grouped_by_their_values_however_large_the_key(
    rows: list[tuple[str, str, str]],
) -> None:
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate("xyz")})
    for limit in (2**62, 3, 2):  # the key numbered afresh when it would outgrow the limit
        firsts, group = groups(table, ("x", "y", "z"), limit)
        for i, row in enumerate(rows):
            for j, other in enumerate(rows):
                assert (group[i] == group[j]) == (row == other), limit
        assert [group[first] for first in firsts] == list(range(len(firsts)))


def test_rows_differing_in_one_of_seventy_columns_are_told_apart() -> None:
    """2**70 combinations of values: past what one int64 key holds, unless numbered afresh."""
    names = [f"c{i}" for i in range(70)]
    rows = [["a"] * 70, ["b"] + ["a"] * 69, ["a"] * 69 + ["b"], ["b"] * 70]
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})
    _, group = groups(table, tuple(names))
    assert len(set(group.tolist())) == 4
