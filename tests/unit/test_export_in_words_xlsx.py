"""The decision export as an Excel workbook: the sheet is called what it holds (Beslut), and
an export in words for people carries the column names in that language, as CSV does."""

from __future__ import annotations

import io

import openpyxl

from logic.files import export, export_words


def test_the_decision_export_is_one_sheet_named_beslut_with_the_codes_as_headers() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export.render([], "xlsx")))
    assert book.sheetnames == ["Beslut"]
    assert [c.value for c in book["Beslut"][1]] == list(export.HEADERS)


def test_an_export_in_words_carries_the_column_names_in_every_profile() -> None:
    for lang in ("sv", "en"):
        names = export_words.headers(lang)
        assert list(names) != list(export.HEADERS)
        book = openpyxl.load_workbook(io.BytesIO(export.render([], "xlsx", headers=names)))
        assert [c.value for c in book["Beslut"][1]] == list(names), lang
        text = export.render([], "csv", headers=names).decode("utf-8")
        assert text == ",".join(f'"{n}"' if "," in n else n for n in names) + "\r\n", lang
