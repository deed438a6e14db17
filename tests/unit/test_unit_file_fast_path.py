"""The unit file's fast path (triage of large files) opens for good files at the edges of
what is allowed, and closes for each defect the careful reader refuses, so a bad row is never
accepted fast."""

from __future__ import annotations

import csv
import io

import pytest

from logic.domain.codes import CASE_TYPES
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


EDGES = {
    # every case type offered: a code list of them all is one
    "every case type": {"e_tjanster": "|".join(CASE_TYPES)},
    # more commas in the first unit than separators: the separator is the header's
    "commas in a name": {"namn": "Mottagning" + ", a" * 40},
    # a value at the csv module's field size limit, in characters, more in bytes
    "a code list as long as a field may be": {
        "e_tjanster": "kontakt" + "\u00a0" * (csv.field_size_limit() - len("kontakt"))
    },
}


@pytest.mark.parametrize("edge", list(EDGES))
def test_a_good_file_with_a_value_at_an_edge_takes_the_fast_path(edge: str) -> None:
    data = file_of(VALUES | EDGES[edge], VALUES | {"hsa_id": "SE162321000255-T0002"})
    quick = quick_table(data)
    assert quick is not None, edge
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


def careful_or_refusal(data: bytes) -> object:
    try:
        return [unit_record(u) for u in read_units(data)]
    except UnitFileError as refused:
        return [vars(e) for e in refused.errors]


def fast_or_refusal(data: bytes) -> object:
    try:
        return read_table(data).to_pylist()
    except UnitFileError as refused:
        return [vars(e) for e in refused.errors]


def test_a_line_break_inside_quotes_where_the_parser_cuts_its_blocks_is_read_as_written() -> None:
    """The parser reads a file in blocks of 1 MiB: a quoted line break (a code list typed
    with a line break after it, which the careful reader trims) where a block ends must not
    cut a unit in two."""
    columns = HEADER.split(";")

    def file_of(names: list[str]) -> bytes:  # the second last unit's e-services end a line
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(columns)
        for i, name in enumerate(names):
            row = VALUES | {"hsa_id": f"SE162321000255-T{i:05d}", "namn": name}
            if i == len(names) - 2:
                row["e_tjanster"] = "kontakt\n"
            writer.writerow([row[c] for c in columns])
        return out.getvalue().encode()

    def break_at(data: bytes) -> int:
        return data.index(b"kontakt\n") + len(b"kontakt")

    row_length = len(file_of(["Vc"] * 3)) - len(file_of(["Vc"] * 2))  # every row alike
    units = ((1 << 20) - 1 - break_at(file_of(["Vc"] * 2))) // row_length + 2
    gap = (1 << 20) - 1 - break_at(file_of(["Vc"] * units))  # one letter more in as many names
    data = file_of(["Vcx"] * gap + ["Vc"] * (units - gap))
    assert break_at(data) == (1 << 20) - 1
    quick = quick_table(data)
    assert quick is not None
    assert quick.to_pylist() == careful_or_refusal(data)


def test_a_cp1252_header_with_ascii_values_is_read_as_the_careful_reader_reads_it() -> None:
    header = HEADER.replace(";e_tjanster", ";\u00a0e_tjanster")  # padded by Excel
    data = (header + "\n" + ROW.replace("å", "a").replace("ä", "a") + "\n").encode("cp1252")
    assert fast_or_refusal(data) == careful_or_refusal(data)
    unknown = (HEADER + ";Område\n" + ROW + ";x\n").encode("cp1252")
    assert fast_or_refusal(unknown) == careful_or_refusal(unknown)


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + f"{HEADER}\n{ROW}\n".encode("cp1252"),  # a UTF-8 BOM, then cp1252
        f"\n{HEADER}\n{ROW}\n".encode(),  # a blank line before the header
        f"\r\n{HEADER}\r\n{ROW}\r\n".encode(),
        b"\xef\xbb\xbf" + f"\n{HEADER}\n{ROW}\n".encode(),
    ],
)
def test_what_the_careful_reader_refuses_the_fast_path_does_not_take(data: bytes) -> None:
    assert quick_table(data) is None
    assert fast_or_refusal(data) == careful_or_refusal(data)


def test_a_comma_separated_file_with_padded_header_names_takes_the_fast_path() -> None:
    """The separator is read from the whole first line, spaces and all."""
    header = ", ".join(f" {name} " for name in HEADER.split(";"))
    row = ",".join(f'"{v}"' if "," in v else v for v in ROW.split(";"))
    data = f"{header}\n{row}\n".encode()
    quick = quick_table(data)
    assert quick is not None
    assert quick.to_pylist() == [unit_record(u) for u in read_units(data)]
