"""Hostile and broken input, refused in words or made harmless: identity numbers however
written, invisible characters, formulas for spreadsheets, unit files built to confuse."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from logic.domain.text import contains_personnummer, invisible_characters, normalise_text
from logic.domain.validation import text_errors
from logic.files import export
from logic.files.reference_data import catalog
from logic.files.triage import triage_csv
from logic.files.unit_file import UnitFileError, read_units
from logic.files.unit_file_columns import read_table
from tests.factories import HEADER, ROW

# The eight standard forms and ten evasions seen in a trial, and a few more.
TODAY = dt.date(2026, 11, 25)

WRITTEN_AS = [
    "121212-1212",
    "1212121212",
    "19121212-1212",
    "191212121212",
    "121212+1212",
    "19121212 1212",
    "121212 1212",
    "121272-1212",  # a coordination number: day + 60
    "121212–1212",  # en dash
    "121212−1212",  # minus sign
    "121212 - 1212",  # spaced dash
    "121212\u00a01212",  # no-break space
    "121212/1212",
    "121212.1212",
    "1912 12 12-1212",
    "1912-12-12-1212",
    "1212\u200b12-1212",  # zero-width space
    "１２１２１２－１２１２",  # full-width digits and hyphen
    "Ring mamma på 19121212–1212 i morgon.",
    "121212\u180e1212",  # Mongolian vowel separator
    "121212\u034f1212",  # combining grapheme joiner
    "١٢١٢١٢-١٢١٢",  # Arabic-Indic digits
    "१२१२१२-१२१२",  # Devanagari digits
    "121212--1212",
    "121212_1212",
    "121212-12 12",
    "12 12 12 - 12 12",
    # separators and disguises found in a later trial
    "1 9 1 2 1 2 1 2 1 2 1 2",  # a space between every digit
    "1 2 1 2 1 2 - 1 2 1 2",
    "121212,1212",
    "121212:1212",
    "121212\u00b71212",  # middle dot
    "121212'1212",
    "121212\u20191212",  # right single quotation mark
    "1\u030321212-1212",  # a combining tilde on the first digit
    "l2l2l2-l2l2",  # l for 1
    "I2I2I2-I2I2",
    "o1o1o1-1234",  # o for 0
]
NOT_ONE = [
    "2022-09-30",
    "Beslut 2022-09-30 14:30",
    "2022-09-30 2022-10-01",
    "SE162321000255-O10553",
    "232100-0255",  # the region's organisation number
    "070-123 45 67",
    "+46 70 123 45 67",
    "040-33 10 00",
    "0771-11 77 00",
    "Rum 12, plan 1212",
    "version 1.2.3",
    "2026-11-25, 1234 enheter",
    "kl 12:30",
    "2026-11-25 kl 12:30-13:00",
    "1, 2, 3, 4, 5, 6, 7, 8, 9, 10",
    "revision 12, 13 och 14",
    "Vol2 och Tel 0701",
    "556677-8899",  # an organisation number
    "08-123 456 78",
]


@pytest.mark.parametrize("text", WRITTEN_AS)
def test_an_identity_number_is_found_however_it_is_written(text: str) -> None:
    assert contains_personnummer(text)
    assert [e.message for e in text_errors("rationale", text, False)] == ["wizard.err.personnummer"]


@pytest.mark.parametrize("text", NOT_ONE)
def test_dates_hsa_ids_and_phone_numbers_are_not_identity_numbers(text: str) -> None:
    assert not contains_personnummer(text)


@pytest.mark.parametrize(
    "char",
    [
        "\x00",
        "\x07",
        "\x1b",
        "\x7f",
        "\x85\x00",
        "\u200b",
        "\u202e",
        "\u061c",
        "\u3164",
        "\U000e0041",
        "\u00ad",
        "\uffff",  # noncharacters: an XLSX file holding one cannot be opened
        "\ufffe",
        "\ufdd0",
        "\U0010ffff",
    ],
)
def test_an_invisible_character_is_refused_by_its_code_point(char: str) -> None:
    [error] = text_errors("rationale", f"Text{char}mer", False)
    assert error.message == "wizard.err.invisible"
    assert error.params["chars"].startswith("U+")


def test_words_line_break_and_windows_line_ends_are_line_breaks() -> None:
    assert normalise_text("a\vb\r\nc\rd\u2028e") == "a\nb\nc\nd\ne"
    assert invisible_characters("rad ett\nrad två\ttab") == []


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        '\n=HYPERLINK("http://x")',
        "\0=1",
        "  =1+1",
        "＝1+1",  # full-width equals
        "＋1",
    ],
)
def test_every_formula_start_is_neutralised(value: str) -> None:
    assert export.neutralise(value) == "'" + value


# a no-break, ideographic or zero-width space, a byte order mark, a C1 control (one kept as
# it is in a file: only C0 controls are shown by their code point)
@pytest.mark.parametrize(
    "value", ["\u00a0=1+1", "\u3000=cmd", "\u200b=1", "\ufeff-1", " \u00a0@x", "\x80=1", " \x9f+1"]
)
def test_a_formula_after_any_kind_of_blank_is_neutralised(value: str) -> None:
    assert export.neutralise(value) == "'" + value
    csv_text = export.to_csv([[value]], "csv", headers=("x",)).decode()
    assert csv_text.splitlines()[1].startswith("'")


def test_a_line_separator_is_refused_where_a_text_is_one_line() -> None:
    for char in ("\u2028", "\u2029"):
        assert invisible_characters(f"Vård{char}centralen") == [f"U+{ord(char):04X}"]
        with pytest.raises(UnitFileError):
            read_units(
                f"{HEADER}\n{ROW.replace('Vårdcentralen Test', f'Vård{char}centralen')}".encode()
            )
        # in a text of many lines it is a line break
        assert text_errors("rationale", normalise_text(f"a{char}b"), False) == []
        [error] = text_errors("exemption_other_ground", f"a{char}b", False, one_line=True)
        assert error.message == "wizard.err.invisible"


def test_a_noncharacter_already_stored_never_breaks_an_export() -> None:
    stored = ("Vård\uffffcentralen", "a\ufdd0b", "\U0001fffe")
    workbook = openpyxl.load_workbook(io.BytesIO(export.to_xlsx([stored], headers=("x", "y", "z"))))
    assert [c.value for c in workbook.active[2]] == [
        "Vård<U+FFFF>centralen",
        "a<U+FDD0>b",
        "<U+1FFFE>",
    ]


@pytest.mark.parametrize("value", ["Vårdcentral", "a=b", "", " ", "E-tjänst", "1-2"])
def test_ordinary_text_is_left_as_written(value: str) -> None:
    assert export.neutralise(value) == value


def test_control_characters_already_stored_never_break_an_export() -> None:
    stored = ("a\x0bb", "c\x00d\x07", "=e")
    workbook = openpyxl.load_workbook(io.BytesIO(export.to_xlsx([stored], headers=("x", "y", "z"))))
    assert [c.value for c in workbook.active[2]] == ["a\nb", "c<U+0000>d<U+0007>", "=e"]
    text = export.to_csv([stored], "csv", headers=("x", "y", "z")).decode()
    assert "\x00" not in text and "c<U+0000>d<U+0007>" in text and "'=e" in text


def unit_file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (ROW.replace("T0001", "T０００１"), "hsa_id"),  # full-width digits
        (ROW.replace("255-T", "٢٥٥-T"), "hsa_id"),  # Arabic-Indic digits
        (ROW.replace("Vårdcentralen Test", "Vårdcentralen\x00Test"), "namn"),
        (ROW.replace("Vårdcentralen Test", "Vårdcentralen 19121212-1212"), "namn"),
        (ROW.replace("Primärvård Skåne", "Primärvård\u200bSkåne"), "forvaltning"),
    ],
)
def test_import_and_triage_agree_in_refusing_a_bad_value(row: str, column: str) -> None:
    data = unit_file(row)
    with pytest.raises(UnitFileError) as imported:
        read_units(data)
    assert [e.column for e in imported.value.errors] == [column]
    with pytest.raises(UnitFileError):
        triage_csv(data, catalog(), TODAY)


def test_a_column_named_twice_is_refused_not_silently_overwritten() -> None:
    header = HEADER + ";hsa_id"
    with pytest.raises(UnitFileError) as info:
        read_units(unit_file(ROW + ";SE162321000255-X9999", header=header))
    assert [(e.row, e.column) for e in info.value.errors] == [(1, "hsa_id")]
    with pytest.raises(UnitFileError):
        read_table(unit_file(ROW + ";SE162321000255-X9999", header=header))


def test_a_field_too_large_to_read_is_a_row_error_not_a_traceback() -> None:
    huge = ROW.replace("Vårdcentralen Test", "x" * 140_000)
    with pytest.raises(UnitFileError) as info:
        read_units(unit_file(huge))
    assert info.value.errors[0].expected
    assert len(info.value.errors[0].render()) < 1000  # the value is not repeated back whole


def test_two_byte_order_marks_are_refused_by_import_and_triage_alike() -> None:
    data = b"\xef\xbb\xbf" + unit_file(ROW)
    data = b"\xef\xbb\xbf" + data
    with pytest.raises(UnitFileError):
        read_units(data)
    with pytest.raises(UnitFileError):
        triage_csv(data, catalog(), TODAY)


def test_triage_output_carries_no_formula() -> None:
    names = ['=HYPERLINK("http://x","y")', "=WEBSERVICE(1)", "@x", "+x", "-x", "\t=x"]
    rows = [
        ROW.replace("T0001", f"T000{n}").replace("Vårdcentralen Test", name)
        for n, name in enumerate(names, start=1)
    ]
    text = triage_csv(unit_file(*rows), catalog(), TODAY).decode("utf-8")
    written = [row[1] for row in csv.reader(io.StringIO(text))][1:]
    assert all(w.startswith("'") for w in written), written
