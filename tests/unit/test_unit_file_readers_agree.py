"""The unit file is read three ways: carefully from bytes (an upload: every row validated,
every error named), carefully from disk (the command line: streamed in the encoding found),
and fast (Arrow checks whole columns, for the triage of a whole country; a file it doubts
goes the careful way). Over generated files, good and with defects, in every encoding and
separator the app takes, the three give the same units or the same refusals (each error's
row, column, value and words, and how many there were)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logic.files.unit_file import (
    ALL_COLUMNS,
    COLUMNS,
    UnitFileError,
    read_units,
    unit_record,
)
from logic.files.unit_file_columns import quick_table, read_table

CODES = "kontakt|fornya_recept"
# Per column: values the careful reader takes (some only once trimmed or lower-cased) ...
GOOD: dict[str, list[str]] = {
    "hsa_id": [
        "SE162321000255-U{}",
        "SE2321000016-u{}",
        " SE162321000255-U{} ",
        "SE162321000255-" + "U" * 14 + "{}",  # 31 characters with one digit: the most allowed
    ],
    "namn": [
        "Vårdcentralen Öster",
        " Mottagning, Lund ",
        '"Citat"; och semikolon',
        "=SUMMA(A1)",
        "NA",
        "null",
        "#N/A",
        "V" * 200,
    ],
    "forvaltning": ["Primärvård Skåne", " Skånevård Sund", "-Regionservice", "nan"],
    "enhetstyp": ["mottagning", "avdelning", " akutmottagning ", "ovrig"],
    "verksamhet": ["primarvard", "psykiatri", "tandvard"],
    "driftsform": ["region", "avtal_vardval", "avtal_upphandlad"],
    "avtalsanalys_klar": ["", "ja", "NEJ", " Ja "],
    "vardutforande": ["ja", "nej", "Ja", " NEJ "],
    "kontaktkort": ["ja", "nej", "JA"],
    "patientkontakt": ["ja", "nej", "Nej"],
    "bokar_besok": ["nej", "ja", " ja"],
    "telefon_papper": [
        "",
        "kontakt",
        CODES,
        " boka_tid | kontakt ",
        "kontakt|kontakt",
        "kontakt||boka_tid",
        "|",
    ],
    "e_tjanster": [CODES, "fornya_recept | kontakt"],
    "regionala_mallar": ["", "kontakt", "kontakt|fornya_recept", " kontakt"],
}
REPEATED = "SE162321000255-U0"  # the first row's id
# ... and values it refuses.
BAD: dict[str, list[str]] = {
    "hsa_id": [
        "SE16-U{}",  # not an HSA-id
        "SE162321000255-" + "U" * 16 + "{}",  # 32 characters
        "SE162321000255-Å{}",  # å is no HSA-id letter
        REPEATED,
        "",
    ],
    "namn": [
        "",
        "V" * 201,
        "Vc 19121212-1212",  # an identity number
        "Vård\u200bcentralen",  # invisible
        "Vård\tcentralen",
        "Vård\ncentralen",
        "Vård\u2028centralen",  # a line separator in a one-line field
        "Vård\uffffcentralen",  # no character at all: an XLSX export could not be opened
        "V" + " " * 131_072,  # a field beyond the csv reader's limit, blank but for a letter
    ],
    "forvaltning": ["", "Primär\u202evård", "Skåne\u2029"],
    "enhetstyp": ["Mottagning", "klinik"],
    "verksamhet": ["allmän", ""],
    "driftsform": ["privat"],
    "avtalsanalys_klar": ["kanske"],
    "vardutforande": ["", "j", "1"],
    "kontaktkort": ["true"],
    "patientkontakt": ["nja"],
    "bokar_besok": ["nope"],
    "telefon_papper": ["journalen", "Kontakt"],
    "e_tjanster": ["x", "kontakt;"],
    "regionala_mallar": ["boka_tid", "x"],  # boka_tid: a template without its e-service
}


DEFECTS = [
    *[(column, value) for column, values in BAD.items() for value in values],
    *[(shape, "") for shape in ("short row", "long row", "blank row", "blank end")],
    *[(header, "") for header in ("column missing", "column unknown", "column twice")],
    ("two BOMs", ""),
    ("unreadable byte", ""),  # neither UTF-8 nor cp1252
]


@dataclass(frozen=True)
class UnitFile:
    data: bytes
    good: bool  # every row good, no blank line, no defect: the fast path's to take


@st.composite
def unit_files(draw: st.DrawFn, defect: tuple[str, str] | None = None) -> UnitFile:
    """A unit file as people save one: the columns in any order (the optional one left out
    or not), 1-5 rows; `;` or `,`, quoted where needed or everywhere; UTF-8 with or without
    BOM, or cp1252; LF or CRLF. Good, or with one defect (a value refused, a row too short
    or long, a blank line, a column missing, unknown or twice, a second BOM), or with any
    number of them."""
    mode = "one defect" if defect else draw(st.sampled_from(["good", "good", "any"]))
    again = defect == ("hsa_id", REPEATED)  # the first row's id again: on a later row
    count = draw(st.integers(2 if again else 1, 5))
    where = draw(st.integers(1 if again else 0, count - 1))
    defects: list[tuple[str, str]] = [defect] if defect else []
    columns = list(draw(st.permutations(ALL_COLUMNS if draw(st.booleans()) else COLUMNS)))
    header = [f" {c}" if draw(st.integers(0, 9)) == 0 else c for c in columns]
    if mode == "any":
        defects += draw(st.lists(st.sampled_from(DEFECTS), max_size=3))
    kinds = {kind for kind, _ in defects}
    if "column missing" in kinds:
        header = header[1:]
    if "column unknown" in kinds:
        header.append("extra")
    if "column twice" in kinds:
        header.append(header[0])
    rows: list[list[str]] = [header]
    for index in range(count):
        here = defects if mode == "any" or index == where else []
        bad = dict(d for d in here if d[0] in BAD)
        if mode == "any" and draw(st.booleans()):
            bad |= {draw(st.sampled_from(list(BAD))): ""}  # and an empty value
        values = {
            c: (bad[c] if c in bad else draw(st.sampled_from(GOOD[c]))).format(index)
            for c in ALL_COLUMNS
        }
        row = [values.get(h.strip(), "") for h in header]
        shapes = {kind for kind, _ in here}
        if "short row" in shapes:
            row = row[:-1]
        if "long row" in shapes:
            row = [*row, "extra"]
        if "blank row" in shapes:
            rows.append([""] * len(header))  # a row of separators only: skipped
        rows.append(row)
    delimiter = draw(st.sampled_from([";", ","]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator=ending, quoting=quoting).writerows(rows)
    text = out.getvalue() + (delimiter * 3 + ending if "blank end" in kinds else "")
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    if "two BOMs" in kinds:  # saved twice by a program that adds one each time
        encoding = "utf-8-sig"
        text = "\ufeff" + text
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # cp1252 has no zero-width space: such a file is UTF-8
        data = text.encode("utf-8")
    if "unreadable byte" in kinds:
        lines = data.split(b"\n")
        lines[1 + where] = b"\x81" + lines[1 + where]
        data = b"\n".join(lines)
    return UnitFile(data, mode == "good")


def outcome(records: Callable[[], list[dict[str, str]]]) -> tuple[str, Any]:
    """What a reader says: the units as records, or the errors with the count of them."""
    try:
        return "units", records()
    except UnitFileError as refused:
        return "refused", ([vars(e) for e in refused.errors], refused.total)


def careful(data: bytes | Path) -> tuple[str, Any]:
    return outcome(lambda: [unit_record(u) for u in read_units(data)])


def agree(file: UnitFile) -> None:
    data = file.data
    uploaded = careful(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "enheter.csv"
        path.write_bytes(data)
        assert careful(path) == uploaded  # streamed from disk
    quick = quick_table(data)
    if uploaded[0] == "refused":
        assert quick is None  # the gate never lets a bad file through
    else:
        assert quick is not None or not file.good  # a good file is read fast
        if quick is not None:
            assert quick.to_pylist() == uploaded[1]
    assert outcome(lambda: read_table(data).to_pylist()) == uploaded


@settings(max_examples=100, deadline=None)
@given(unit_files())
def test_the_careful_fast_and_streamed_readers_agree(file: UnitFile) -> None:
    agree(file)


# plain ids (a number and the field): an id holding the defect's own text, escaped by pytest
# and numbered when two agree, was not found again by mutmut's test runner
@pytest.mark.parametrize(
    "defect",
    DEFECTS,
    ids=[f"{n:02d}-{field.replace(' ', '_')}" for n, (field, _) in enumerate(DEFECTS)],
)
def test_with_each_defect_anywhere_in_any_file_the_readers_agree(defect: tuple[str, str]) -> None:
    @settings(max_examples=4, deadline=None)
    @given(unit_files(defect))
    def check(file: UnitFile) -> None:
        agree(file)

    check()
