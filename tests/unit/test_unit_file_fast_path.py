"""The unit file's fast path (triage of large files) opens for good files at the edges of
what is allowed, and closes for each defect the careful reader refuses, so a bad row is never
accepted fast."""

from __future__ import annotations

import pytest

from logic.files.unit_file import UnitFileError, read_units, unit_record
from logic.files.unit_file_columns import quick_table, read_table
from tests.factories import HEADER, ROW

VALUES = dict(zip(HEADER.split(";"), ROW.split(";"), strict=True))


def file_of(*rows: dict[str, str]) -> bytes:
    lines = [";".join(f'"{v}"' if "\n" in v else v for v in row.values()) for row in rows]
    return (HEADER + "\n" + "\n".join(lines) + "\n").encode()


def test_a_good_file_at_the_edges_of_what_is_allowed_takes_the_fast_path() -> None:
    longest_id = "SE162321000255-" + "T" * 16  # 31 characters, the most an HSA-id may have
    assert len(longest_id) == 31
    data = file_of(VALUES | {"hsa_id": longest_id, "namn": "V", "forvaltning": "F"})
    quick = quick_table(data)
    assert quick is not None
    assert quick.to_pylist() == [unit_record(u) for u in read_units(data)]


DEFECTS = {
    "an empty ja/nej": {"kontaktkort": ""},
    "an empty ja/nej in the last of them": {"bokar_besok": ""},
    "a tab in a name": {"namn": "Vård\tcentralen"},
    "a tab in an administration": {"forvaltning": "Primär\tvård"},
    "a line break in a name": {"namn": "Vård\ncentralen"},
}


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_a_row_with_a_defect_the_careful_reader_refuses_closes_the_fast_path(
    defect: str,
) -> None:
    data = file_of(VALUES | {"hsa_id": "SE162321000255-T0002"}, VALUES | DEFECTS[defect])
    assert quick_table(data) is None, defect
    with pytest.raises(UnitFileError) as refused:
        read_table(data)
    assert [e.row for e in refused.value.errors] == [3], defect
