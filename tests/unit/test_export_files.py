"""The export writers, cell by cell: what a spreadsheet user sees in each profile."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from logic.files.export import render_table, to_csv, to_xlsx

WHEN = dt.datetime(2026, 11, 29, 14, 5, tzinfo=dt.UTC)
ROW = ("Enhet", WHEN, dt.date(2027, 5, 1), 2.5, 3, None, "=1+1")


def test_csv_for_swedish_excel_dates_decimal_comma_bom_semicolons_crlf() -> None:
    data = to_csv([ROW], "csv-excel", headers=list("abcdefg"))
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text == "a;b;c;d;e;f;g\r\nEnhet;2026-11-29 14:05;2027-05-01;2,5;3;;'=1+1\r\n"


def test_rfc_4180_csv_keeps_the_decimal_point_and_no_bom() -> None:
    text = to_csv([ROW], "csv", headers=list("abcdefg")).decode("utf-8")
    assert text == "a,b,c,d,e,f,g\r\nEnhet,2026-11-29 14:05,2027-05-01,2.5,3,,'=1+1\r\n"


def test_xlsx_types_dates_as_dates_numbers_as_numbers_text_as_text() -> None:
    data = to_xlsx([ROW], headers=[*"abcdef", "motivering"], sheet_name="Beslut" + "x" * 40)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert sheet.title == ("Beslut" + "x" * 40)[:31]  # Excel's limit
    assert sheet.freeze_panes == "A2"
    header, row = list(sheet.iter_rows(values_only=True))
    assert header == (*"abcdef", "motivering")
    assert row == (
        "Enhet",
        dt.datetime(2026, 11, 29, 14, 5),
        dt.datetime(2027, 5, 1),
        2.5,
        3,
        None,
        "=1+1",
    )
    cells = list(sheet.iter_rows(min_row=2))[0]
    assert cells[1].number_format == "yyyy-mm-dd hh:mm" and cells[2].number_format == "yyyy-mm-dd"
    assert cells[6].data_type == "s"  # a formula stored as text, never evaluated
    assert sheet.column_dimensions["G"].width == 45 and sheet.column_dimensions["A"].width == 18


def test_a_follow_up_table_is_written_with_its_own_columns_in_every_profile() -> None:
    rows = [("Primärvård", 3)]
    assert render_table(["forvaltning", "antal"], rows, "csv").decode() == (
        "forvaltning,antal\r\nPrimärvård,3\r\n"
    )
    assert render_table(["forvaltning", "antal"], rows, "csv-excel").decode("utf-8-sig") == (
        "forvaltning;antal\r\nPrimärvård;3\r\n"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(render_table(["f", "n"], rows, "xlsx"))).worksheets[0]
    assert sheet.title == "Data"
    assert list(sheet.iter_rows(values_only=True)) == [("f", "n"), ("Primärvård", 3)]


def test_an_export_in_words_shows_a_code_the_catalog_no_longer_has_as_it_is() -> None:
    from logic.files.export import HEADERS
    from logic.files.export_words import rows_in_words
    from logic.files.reference_data import catalog

    row = dict.fromkeys(HEADERS, None) | {
        "undantagsgrunder": "erbjuds_inte|gammal_grund",
        "svarstid": "gammal_kod",
        "utfall": "omfattas",
    }
    [words] = list(rows_in_words([tuple(row.values())], catalog(), "sv"))
    shown = dict(zip(HEADERS, words, strict=True))
    assert shown["undantagsgrunder"].endswith(", gammal_grund")
    assert shown["svarstid"] == "gammal_kod" and shown["utfall"] == "Omfattas"


def test_an_administrations_zip_is_named_without_what_a_file_name_may_not_hold() -> None:
    from logic.files.decision_document import zip_name

    assert zip_name("Primärvård Skåne") == "beslut-Primärvård Skåne.zip"
    assert "/" not in zip_name("../Skåne/Sund") and "\\" not in zip_name("a\\b")
    assert zip_name('Sund:*?"<>|') == "beslut-Sund-------.zip"
