"""A unit file read from disk (the command line streams it) says what the same bytes uploaded
say, errors included; a large file's unreadable byte is named with its row; a file the fast
path doubts but which is good is still read whole; errors read in the user's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from logic.files.unit_file import (
    ALL_COLUMNS,
    COLUMNS,
    RowError,
    UnitFileError,
    check_units,
    read_units,
    unit_record,
)
from logic.files.unit_file_columns import read_table
from tests.factories import HEADER, ROW


def refusal(data: bytes | Path, lang: str = "sv") -> list[RowError]:
    with pytest.raises(UnitFileError) as refused:
        read_units(data, lang)
    return refused.value.errors


def test_a_legacy_file_ending_in_a_letter_outside_ascii_reads_from_disk_as_uploaded(
    tmp_path: Path,
) -> None:
    """cp1252 (older Excel), the name last and no line break after it: the file's last byte
    is an "ö" that UTF-8 would read as the start of a character cut off."""
    columns = [c for c in COLUMNS if c != "namn"] + ["namn"]
    values = dict(zip(HEADER.split(";"), ROW.split(";"), strict=True))
    values |= {"forvaltning": "Primarvard", "namn": "Vardcentral Ö"}
    data = (";".join(columns) + "\n" + ";".join(values[c] for c in columns)).encode("cp1252")
    path = tmp_path / "enheter.csv"
    path.write_bytes(data)
    assert (
        [u.namn for u in read_units(path)]
        == ["Vardcentral Ö"]
        == [u.namn for u in read_units(data)]
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_unreadable_byte_past_the_first_megabyte_is_named_with_its_row(
    tmp_path: Path, lang: str
) -> None:
    rows = [ROW.replace("T0001", f"T{i:05d}") for i in range(12_000)]  # about 1.6 MB
    data = (HEADER + "\n" + "\n".join(rows) + "\n").encode() + b"SE162321000255-X;\x81\n"
    assert len(data) > 1 << 20
    path = tmp_path / "enheter.csv"
    path.write_bytes(data)
    with pytest.raises(UnitFileError) as refused:
        check_units(path, lang)
    [error] = refused.value.errors
    assert (error.row, error.column, error.value) == (12_002, "", "0x81")
    assert refusal(data, lang) == [error]  # the same words as for the bytes uploaded
    assert ("CSV (UTF-8)" in error.expected) and (("text file" in error.expected) == (lang == "en"))


def test_a_row_error_reads_in_the_users_language() -> None:
    bad = f"{HEADER}\n{ROW.replace(';mottagning;', ';klinik;')}\n".encode()
    with pytest.raises(UnitFileError) as refused:
        read_table(bad, "en")
    [error] = refused.value.errors
    assert error.render("en").startswith("Row 2, column 'enhetstyp', value 'klinik': write one")
    assert error.render("sv").startswith("Rad 2, kolumn 'enhetstyp', värde 'klinik': ")
    assert error.render() == error.render("sv")


def test_a_good_file_with_an_empty_row_of_separators_is_read_whole() -> None:
    """Excel leaves a row of separators where a row was cleared: the fast path doubts the
    file, the careful reader skips the empty row; every unit is there, in the file's order."""
    second = ROW.replace("T0001", "T0002").replace("Vårdcentralen Test", "Vc Två")
    second = second.replace(";ja;ja;ja;ja;", ";ja;ja;ja;nej;")  # books no visits
    data = f"{HEADER}\n{ROW}\n{';' * 12}\n{second}\n".encode()
    table = read_table(data)
    assert table.column_names == list(ALL_COLUMNS)
    assert table.to_pylist() == [unit_record(u) for u in read_units(data)]
    assert table["namn"].to_pylist() == ["Vårdcentralen Test", "Vc Två"]
    assert table["bokar_besok"].to_pylist() == ["ja", "nej"]  # as the file writes them


CODES = "kontakt, kontakta_mig"  # the start of the list of codes a case-type column allows
BAD_VALUES = {  # column: (bad value, what the English message says the column accepts)
    "hsa_id": ("SE16-T1", "an HSA-id is SE + 10 or 12 digits"),
    "namn": ("", "must not be empty (at most 200 characters)"),
    "forvaltning": ("F" * 201, "must not be empty (at most 200 characters)"),
    "enhetstyp": ("klinik", "write one of: mottagning | avdelning | akutmottagning | ovrig"),
    "avtalsanalys_klar": ("kanske", "write ja, nej or leave empty"),
    "kontaktkort": ("jo", "write ja or nej"),
    "telefon_papper": ("journalen", f"case-type codes separated by |, or empty; allowed: {CODES}"),
    "e_tjanster": ("x", f"case-type codes separated by |, or empty; allowed: {CODES}"),
    "regionala_mallar": ("x", f"case-type codes separated by |, or empty; allowed: {CODES}"),
}


@pytest.mark.parametrize("column", list(BAD_VALUES))
def test_each_column_says_what_it_accepts_in_the_users_language(column: str) -> None:
    value, accepted = BAD_VALUES[column]
    values = dict(zip(HEADER.split(";"), ROW.split(";"), strict=True)) | {column: value}
    data = f"{';'.join(values)}\n{';'.join(values.values())}\n".encode()  # the optional column last
    [english] = refusal(data, "en")
    [swedish] = refusal(data, "sv")
    assert (english.row, english.column) == (2, column)
    assert english.expected.startswith(accepted), english.expected
    assert swedish.expected != english.expected and not swedish.expected.startswith(accepted)


def test_a_bad_value_is_shown_with_invisible_characters_named_and_a_long_one_cut() -> None:
    shown = {
        "namn": ("Vård\u200bcentralen", "Vård<U+200B>centralen"),
        "forvaltning": ("Primär\tvård", "Primär<U+0009>vård"),
        "hsa_id": ("X" * 80, "X" * 80),  # as long as is shown whole
    }
    for column, (value, expected) in shown.items():
        values = dict(zip(HEADER.split(";"), ROW.split(";"), strict=True)) | {column: value}
        [error] = refusal(f"{HEADER}\n{';'.join(values.values())}\n".encode())
        assert error.value == expected, column
    values = dict(zip(HEADER.split(";"), ROW.split(";"), strict=True)) | {"hsa_id": "X" * 81}
    [error] = refusal(f"{HEADER}\n{';'.join(values.values())}\n".encode())
    assert error.value.startswith("X" * 80) and not error.value.startswith("X" * 81)
    assert error.value.endswith("(81 tecken)")  # the length of the value cut
    [error] = refusal(f"{HEADER}\n{';'.join(values.values())}\n".encode(), "en")
    assert error.value.endswith("(81 characters)")


def test_a_file_refused_for_one_problem_counts_one() -> None:
    for data in (b"", HEADER.encode(), f"{HEADER}\n{ROW}\n".encode() + b"\x81\n"):
        with pytest.raises(UnitFileError) as refused:
            read_units(data)
        assert (refused.value.total, str(refused.value)) == (1, "1 error(s)"), data
