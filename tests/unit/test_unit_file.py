"""The unit register file: formats accepted, every bad row named with column, value and fix."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from logic.files import unit_file
from logic.files.duplicates import Duplicates
from logic.files.unit_file import MAX_ERRORS, UnitFileError, read_units
from logic.files.unit_file_columns import quick_table, read_table
from tests.factories import HEADER, ROW

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "enheter.csv"


def test_sample_file_has_at_least_60_demo_units_across_6_administrations() -> None:
    units = read_units(SAMPLE.read_bytes())
    assert len(units) >= 60
    assert len({u.forvaltning for u in units}) >= 6
    assert all("(demo)" in u.namn for u in units)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("separator", [";", ","])
def test_reads_utf8_with_or_without_bom_and_cp1252_with_either_separator(
    encoding: str, separator: str
) -> None:
    text = f"{HEADER}\n{ROW}\n".replace(";", separator)
    units = read_units(text.encode(encoding))
    assert units[0].namn == "Vårdcentralen Test"
    assert units[0].telefon_papper == ("fornya_recept", "kontakt")
    assert units[0].avtalsanalys_klar is None


def test_crlf_line_endings_and_a_quoted_name_with_separator() -> None:
    row = ROW.replace("Vårdcentralen Test", '"Vårdcentralen Test; Lund"')
    units = read_units(f"{HEADER}\r\n{row}\r\n".encode())
    assert units[0].namn == "Vårdcentralen Test; Lund"


def errors_of(text: str) -> list[str]:
    with pytest.raises(UnitFileError) as info:
        read_units(text.encode())
    return [e.render() for e in info.value.errors]


def test_bad_row_is_named_with_column_value_and_what_is_expected() -> None:
    bad = ROW.replace(";mottagning;", ";klinik;")
    messages = errors_of(f"{HEADER}\n{ROW.replace('T0001', 'T0002')}\n{bad}\n")
    assert messages == [
        "Rad 3, kolumn 'enhetstyp', värde 'klinik': skriv ett av: "
        "mottagning | avdelning | akutmottagning | ovrig"
    ]


def test_every_error_in_the_file_is_reported_not_only_the_first() -> None:
    row2 = ROW.replace("SE162321000255-T0001", "SE16-ÅÄÖ").replace(
        ";ja;ja;ja;ja;", ";ja;kanske;ja;ja;"
    )
    row3 = ROW.replace("T0001", "T0003").replace("kontakt|fornya_recept", "kontakt|journalen")
    messages = errors_of(f"{HEADER}\n{row2}\n{row3}\n")
    assert len(messages) == 3
    assert messages[0].startswith("Rad 2, kolumn 'hsa_id', värde 'SE16-ÅÄÖ': HSA-id ska vara")
    assert messages[1].startswith("Rad 2, kolumn 'kontaktkort', värde 'kanske': skriv ja eller nej")
    assert messages[2].startswith("Rad 3, kolumn 'telefon_papper', värde 'kontakt|journalen'")


def test_hsa_id_longer_than_31_characters_is_refused() -> None:
    long_id = "SE162321000255-" + "A" * 17  # 32 characters
    messages = errors_of(f"{HEADER}\n{ROW.replace('SE162321000255-T0001', long_id)}\n")
    assert "högst 31 tecken" in messages[0]


def test_duplicate_hsa_id_names_both_rows() -> None:
    messages = errors_of(f"{HEADER}\n{ROW}\n{ROW}\n")
    assert messages == [
        "Rad 3, kolumn 'hsa_id', värde 'SE162321000255-T0001': HSA-id finns redan på rad 2; "
        "varje enhet får förekomma en gång"
    ]


def test_missing_and_unknown_columns_are_named() -> None:
    header = HEADER.replace("bokar_besok", "bokar")
    messages = errors_of(f"{header}\n{ROW}\n")
    assert any("kolumn 'bokar_besok'" in m and "saknas" in m for m in messages)
    assert any("kolumn 'bokar'" in m and "okänd kolumn" in m for m in messages)


def test_row_with_wrong_number_of_fields() -> None:
    messages = errors_of(f"{HEADER}\n{ROW};extra\n")
    assert messages[0].startswith("Rad 2") and "14 fält" in messages[0]


def test_empty_file_and_header_only() -> None:
    assert "tom" in errors_of("")[0]
    assert "inga enheter" in errors_of(HEADER + "\n")[0]


# --- The fast path for large files agrees with the careful one ----------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from logic.files.unit_file import (  # noqa: E402
    ALL_COLUMNS,
    unit_record,
)

VALUES = {
    "hsa_id": ["SE162321000255-A1", "SE2321000016-x9", "SE16-Å", "SE162321000255-" + "A" * 20],
    "namn": ["Vårdcentralen Ö", "", " Mottagning, Lund "],
    "forvaltning": ["Primärvård Skåne", ""],
    "enhetstyp": ["mottagning", "avdelning", "klinik", " ovrig"],
    "verksamhet": ["primarvard", "habilitering", "allmän"],
    "driftsform": ["region", "avtal_upphandlad", "privat"],
    "avtalsanalys_klar": ["", "ja", "NEJ", "kanske"],
    "vardutforande": ["ja", "nej", "Ja", "j"],
    "kontaktkort": ["ja", "nej", ""],
    "patientkontakt": ["ja", "nej"],
    "bokar_besok": ["nej", "ja", "1"],
    "telefon_papper": ["", "kontakt", "boka_tid|kontakt|kontakt", "kontakt|journalen"],
    "e_tjanster": ["", "kontakt", "x"],
    "regionala_mallar": ["", "kontakt", "kontakt|boka_tid", "x"],
}


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({c: st.sampled_from(v) for c, v in VALUES.items()}))
def test_the_fast_reader_accepts_only_what_the_careful_reader_accepts(row: dict) -> None:
    line = ";".join(f'"{row[c]}"' for c in ALL_COLUMNS)
    data = f"{';'.join(ALL_COLUMNS)}\n{line}\n".encode()
    quick = quick_table(data)
    try:
        units = read_units(data)
    except UnitFileError:
        assert quick is None
        return
    if quick is not None:
        assert quick.to_pylist() == [unit_record(u) for u in units]


def test_read_table_names_bad_rows_like_read_units() -> None:
    bad = f"{HEADER}\n{ROW.replace(';mottagning;', ';klinik;')}\n".encode()
    with pytest.raises(UnitFileError) as info:
        read_table(bad)
    assert info.value.errors[0].column == "enhetstyp"


def test_a_file_that_is_not_text_is_refused_with_its_row() -> None:
    data = f"{HEADER}\n{ROW}\n".encode() + b"\x81\x8d\x8f\n"
    with pytest.raises(UnitFileError) as refused:
        read_units(data)
    [error] = refused.value.errors
    assert (error.row, error.value) == (3, "0x81")
    assert "CSV (UTF-8)" in error.render()


def test_a_file_given_as_a_path_is_streamed_with_the_same_rules(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from logic.files.unit_file import check_units, iter_units

    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\n{ROW}\n".encode())
    assert [u.namn for u in iter_units(utf8)] == ["Vårdcentralen Test"]
    legacy = tmp_path / "cp1252.csv"
    legacy.write_bytes(f"{HEADER}\r\n{ROW}\r\n".encode("cp1252"))
    assert check_units(legacy) == 1
    broken = tmp_path / "broken.csv"
    broken.write_bytes(f"{HEADER}\n{ROW}\n".encode() + b"SE162321000255-T0002;\x81\n")
    with pytest.raises(UnitFileError) as info:
        check_units(broken)
    assert info.value.errors[0].row == 3


def numbered_rows(count: int, start: int = 0) -> list[str]:
    return [ROW.replace("T0001", f"T{i:04d}") for i in range(start, start + count)]


def test_ids_given_twice_are_found_across_spilled_runs_with_their_first_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large file's ids go to sorted temporary runs (here 3 at a time): an id given again
    many rows later, in another run, is still found, and named with its first row."""
    monkeypatch.setattr(unit_file, "Duplicates", functools.partial(Duplicates, run=3))
    rows = numbered_rows(10)
    rows += [rows[7], rows[1], rows[7]]  # rows 12, 13, 14 repeat rows 9, 3 and 9
    with pytest.raises(UnitFileError) as refused:
        read_units((f"{HEADER}\n" + "\n".join(rows) + "\n").encode())
    found = sorted((e.row, e.value, e.expected.split(";")[0]) for e in refused.value.errors)
    assert found == [
        (12, "SE162321000255-T0007", "HSA-id finns redan på rad 9"),
        (13, "SE162321000255-T0001", "HSA-id finns redan på rad 3"),
        (14, "SE162321000255-T0007", "HSA-id finns redan på rad 9"),
    ]


def test_duplicates_keeps_few_pairs_in_memory_and_removes_its_runs() -> None:
    with Duplicates(run=4) as ids:
        for row in range(10):
            ids.add(f"SE-{row % 5}", row)
        assert len(ids._pending) < 4 and len(ids._files) == 2
        assert list(ids.found()) == [(f"SE-{i}", i, i + 5) for i in range(5)]
        runs = list(ids._files)
    assert all(f.closed for f in runs)


def test_a_file_of_many_bad_rows_lists_the_first_thousand_and_counts_all() -> None:
    bad = [r.replace(";mottagning;", ";klinik;") for r in numbered_rows(2500)]
    first = numbered_rows(1, start=9000)[0]
    rows = [first, first, *bad]  # row 3's error, a duplicate, is found only at the end
    with pytest.raises(UnitFileError) as refused:
        read_units((f"{HEADER}\n" + "\n".join(rows) + "\n").encode())
    error = refused.value
    assert error.total == 2501  # row 2's HSA-id again on row 3, and 2,500 bad types
    assert len(error.errors) == MAX_ERRORS == 1000
    assert [e.row for e in error.errors] == list(range(3, 1003))  # the first by row
    assert error.errors[0].column == "hsa_id"
    assert str(error) == "2501 error(s)"


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("utf-8", ";"), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", ",")],
)
def test_a_good_file_takes_the_fast_path_and_reads_as_the_careful_one(
    encoding: str, separator: str
) -> None:
    """The sample file, as Excel saves it in each form: read fast, and the same units."""
    text = SAMPLE.read_text(encoding="utf-8").replace(";", separator)
    if separator == ",":  # names with a comma are quoted in the sample; keep them so
        text = SAMPLE.read_text(encoding="utf-8").replace('"', "").replace(",", " ")
        text = text.replace(";", ",")
    data = text.replace("ja;", "Ja;" if separator == ";" else "ja;").encode(encoding)
    quick = quick_table(data)
    assert quick is not None  # the gate opens for a good file
    assert quick.to_pylist() == [unit_record(u) for u in read_units(data)]


DEFECTS = {
    "hsa_id not an HSA-id": ("SE162321000255-T0001", "SE16-T0001"),
    "hsa_id too long": ("SE162321000255-T0001", "SE162321000255-" + "T" * 17),
    "empty name": ("Vårdcentralen Test", ""),
    "name too long": ("Vårdcentralen Test", "V" * 201),
    "identity number in the name": ("Vårdcentralen Test", "Vc 19121212-1212"),
    "invisible character": ("Vårdcentralen Test", "Vård\u200bcentralen"),
    "unknown unit type": (";mottagning;", ";klinik;"),
    "unknown field": (";primarvard;", ";allmänt;"),
    "unknown operation": (";region;", ";privat;"),
    "not ja/nej": (";ja;ja;ja;ja;", ";ja;jo;ja;ja;"),
    "contract analysis not ja/nej": (";region;;", ";region;kanske;"),
    "unknown case type": ("kontakt|fornya_recept;", "kontakt|journalen;"),
    "empty administration": ("Primärvård Skåne", ""),
}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_a_row_with_one_defect_closes_the_fast_path_and_is_refused(defect: str) -> None:
    old, new = DEFECTS[defect]
    good = ROW.replace("T0001", "T0002")
    data = f"{HEADER}\n{good}\n{ROW.replace(old, new, 1)}\n".encode()
    assert quick_table(data) is None, defect
    with pytest.raises(UnitFileError) as refused:
        read_table(data)
    assert [e.row for e in refused.value.errors] == [3], defect


def test_a_duplicated_hsa_id_or_a_second_bom_closes_the_fast_path() -> None:
    twice = f"{HEADER}\n{ROW}\n{ROW}\n".encode()
    assert quick_table(twice) is None
    two_boms = b"\xef\xbb\xbf\xef\xbb\xbf" + f"{HEADER}\n{ROW}\n".encode()
    assert quick_table(two_boms) is None
    with pytest.raises(UnitFileError):
        read_table(two_boms)


def test_the_template_column_is_optional_and_names_a_template_without_its_e_service() -> None:
    header = HEADER + ";regionala_mallar"
    good = ROW + ";kontakt"
    units = read_units(f"{header}\n{good}\n".encode())
    assert units[0].regionala_mallar == ("kontakt",)
    assert read_units(f"{HEADER}\n{ROW}\n".encode())[0].regionala_mallar == ()
    quick = quick_table(f"{header}\n{good}\n".encode())
    assert quick is not None and quick["regionala_mallar"].to_pylist() == ["kontakt"]
    bad = f"{header}\n{ROW.replace('T0001', 'T0002')};kontakt\n{ROW};fornya_recept|kontakt\n"
    assert quick_table(bad.encode()) is None
    with pytest.raises(UnitFileError) as refused:
        read_table(bad.encode())
    (error,) = refused.value.errors
    assert (error.row, error.column, error.value) == (
        3,
        "regionala_mallar",
        "fornya_recept|kontakt",
    )
    assert "fornya_recept saknas i e_tjanster" in error.expected


def test_an_unknown_column_is_named_with_the_columns_a_file_may_have() -> None:
    with pytest.raises(UnitFileError) as refused:
        read_units(f"{HEADER};mallar\n{ROW};kontakt\n".encode())
    (error,) = refused.value.errors
    assert error.column == "mallar"
    assert "(och får ha: regionala_mallar)" in error.expected
