"""The roll-out export is written by the decision export's writer: formula-safe."""

from __future__ import annotations

from logic.files.export import to_csv
from logic.files.rollout_export import ROLLOUT_HEADERS


def test_a_name_that_reads_as_a_formula_is_written_as_text() -> None:
    rows = [("SE1-A", "=HYPERLINK(1)", "+F", "kontakt", "infort", None,
             None, None, "", "nej", "beslut")]  # fmt: skip
    data = to_csv(rows, "csv", headers=ROLLOUT_HEADERS)
    assert b"'=HYPERLINK(1)" in data and b"'+F" in data
