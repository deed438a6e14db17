"""Every problem with a unit file's header is named on row 1, with the column and value it is
about, in the user's language: a header too large to read, an empty first line, a column
twice, a column missing, a column unknown."""

from __future__ import annotations

import pytest

from logic.files.unit_file import UnitFileError, read_units
from tests.factories import HEADER, ROW


def named(data: bytes, lang: str = "en") -> list[tuple[int, str, str, str]]:
    with pytest.raises(UnitFileError) as refused:
        read_units(data, lang)
    assert refused.value.total == len(refused.value.errors)
    return [(e.row, e.column, e.value, e.expected) for e in refused.value.errors]


def test_a_header_too_large_to_read_is_named_on_row_1() -> None:
    data = f"{HEADER};{'x' * 200_000}\n{ROW}\n".encode()
    [(row, column, value, expected)] = named(data)
    assert (row, column, value) == (1, "", "")
    assert expected.startswith("a readable CSV file: the file could not be parsed here (")
    assert "field larger than field limit" in expected
    [(_, _, _, swedish)] = named(data, "sv")
    assert swedish.startswith("en läsbar CSV-fil")


@pytest.mark.parametrize("data", [b"", f"\n{ROW}\n".encode(), f"   \n{ROW}\n".encode()])
def test_an_empty_first_line_is_named_as_an_empty_file(data: bytes) -> None:
    assert named(data) == [(1, "", "", "The file is empty. The first line must be the header.")]
    assert named(data, "sv")[0][3] == "Filen är tom. Första raden ska vara rubrikraden."


def test_a_column_twice_missing_or_unknown_is_named_with_its_column() -> None:
    twice = f"{HEADER};namn\n{ROW};X\n".encode()
    assert named(twice) == [
        (1, "namn", "namn", "each column once: the column appears more than once in the "
                            "header; remove the duplicate"),
    ]  # fmt: skip
    assert named(twice, "sv")[0][3].startswith("varje kolumn en gång")
    missing = HEADER.replace(";bokar_besok", "")
    row = ";".join(v for h, v in zip(HEADER.split(";"), ROW.split(";"), strict=True)
                   if h != "bokar_besok")  # fmt: skip
    assert named(f"{missing}\n{row}\n".encode()) == [
        (1, "bokar_besok", "", "the column is missing from the header; add it")
    ]
    assert named(f"{missing}\n{row}\n".encode(), "sv")[0][3].startswith("kolumnen saknas")
    unknown = named(f"{HEADER};farg\n{ROW};blå\n".encode())
    assert [(r, c, v) for r, c, v, _ in unknown] == [(1, "farg", "farg")]
    assert unknown[0][3].startswith("unknown column; the header must have exactly: hsa_id, namn")


def test_a_row_that_cannot_be_read_or_has_the_wrong_number_of_fields_is_named() -> None:
    short = ROW.rsplit(";", 1)[0]  # the last field left out
    later_bad = ROW.replace("T0001", "T0003").replace(";mottagning;", ";klinik;")
    found = named(f"{HEADER}\n{short}\n{later_bad}\n".encode())
    assert found[0] == (2, "", short[:80] + "… (120 characters)", "the row has 12 fields but the "
                        "header 13; check separators and quotes")  # fmt: skip
    assert [(r, c) for r, c, _, _ in found[1:]] == [(3, "enhetstyp")]  # later rows still read
    assert named(f"{HEADER}\n{short}\n".encode(), "sv")[0][3].startswith("raden har 12 fält")
    huge = f"{HEADER}\n{ROW}\n{ROW.replace('T0001', 'T0002')};{'x' * 200_000}\n".encode()
    [(row, column, value, expected)] = named(huge)
    assert (row, column, value) == (3, "", "")
    assert expected.startswith("a readable CSV file: the file could not be parsed here (field")
    assert named(huge, "sv")[0][3].startswith("en läsbar CSV-fil")


def test_a_file_without_units_a_repeated_id_or_an_identity_number_is_named_in_the_language(
) -> None:  # fmt: skip
    assert named(f"{HEADER}\n".encode()) == [(2, "", "", "The file has no units below the header.")]
    assert named(f"{HEADER}\n".encode(), "sv")[0][3] == "Filen har inga enheter under rubrikraden."
    twice = named(f"{HEADER}\n{ROW}\n{ROW}\n".encode())
    assert twice == [(3, "hsa_id", "SE162321000255-T0001",
                      "the HSA-id is already on row 2; each unit may appear once")]  # fmt: skip
    person = named(f"{HEADER}\n{ROW.replace('Vårdcentralen Test', 'Vc 19121212-1212')}\n".encode())
    [(row, column, _, expected)] = person
    assert (row, column) == (2, "namn")
    assert (
        expected
        != named(
            f"{HEADER}\n{ROW.replace('Vårdcentralen Test', 'Vc 19121212-1212')}\n".encode(), "sv"
        )[0][3]
    )
