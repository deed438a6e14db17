"""The unit register file (enheter.csv): read, validate every row, report every error.

Accepts UTF-8 with or without BOM, or cp1252; `;` or `,` as separator. Nothing is returned
unless every row is valid: an import is all or nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, get_args

from pydantic import ValidationError

from logic.domain.codes import CASE_TYPES
from logic.domain.errors import Refused
from logic.domain.models import TextRefused, Unit
from logic.domain.text import invisible_characters
from logic.files.duplicates import Duplicates
from logic.i18n import t

COLUMNS: tuple[str, ...] = (
    "hsa_id",
    "namn",
    "forvaltning",
    "enhetstyp",
    "verksamhet",
    "driftsform",
    "avtalsanalys_klar",
    "vardutforande",
    "kontaktkort",
    "patientkontakt",
    "bokar_besok",
    "telefon_papper",
    "e_tjanster",
)
# Columns a file may have or leave out (an empty value when left out): since the roll-out.
OPTIONAL_COLUMNS: tuple[str, ...] = ("regionala_mallar",)
ALL_COLUMNS: tuple[str, ...] = COLUMNS + OPTIONAL_COLUMNS


@dataclass(frozen=True)
class RowError:
    """One problem: the file row (the header is row 1), the column, the value, what to do."""

    row: int
    column: str
    value: str
    expected: str

    def render(self, lang: str = "sv") -> str:
        return t(
            "unitfile.row_error",
            lang,
            row=self.row,
            column=self.column,
            value=self.value,
            expected=self.expected,
        )


class UnitFileError(Refused):
    """The file is refused: `errors` lists the first MAX_ERRORS problems by row, `total`
    counts them all."""

    def __init__(self, errors: list[RowError], total: int | None = None):
        self.errors = errors
        self.total = len(errors) if total is None else total
        super().__init__(f"{self.total} error(s)")

    def words(self) -> tuple[str, dict[str, object]]:
        return "admin.refused", {"count": self.total}


MAX_ERRORS = 1000  # errors listed; the rest are counted (a file of a million bad rows)


class _Errors:
    """The first MAX_ERRORS errors by row, and how many there were, in bounded memory."""

    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.total = 0

    def add(self, error: RowError) -> None:
        self.total += 1
        self.kept.append(error)
        if len(self.kept) >= 2 * MAX_ERRORS:
            self._trim()

    def _trim(self) -> None:  # a stable sort: a row's errors stay in column order
        self.kept = sorted(self.kept, key=lambda e: e.row)[:MAX_ERRORS]

    def refusal(self) -> UnitFileError:
        self._trim()
        return UnitFileError(self.kept, self.total)


def _shown(value: str, lang: str, limit: int = 80) -> str:
    """A value as an error message may show it: invisible characters as their code points,
    a long value cut (a 100,000-character field is not repeated back)."""
    shown = "".join(
        f"<U+{ord(c):04X}>" if c in "\t\n" or invisible_characters(c) else c for c in value
    )
    if len(shown) <= limit:
        return shown
    return shown[:limit] + t("unitfile.cut", lang, length=len(value))


def _expected(column: str, lang: str) -> str:
    """What a column accepts, in words: derived from the model so docs and code agree."""
    if column not in Unit.model_fields:
        return t("unitfile.expected_text", lang)
    annotation = Unit.model_fields[column].annotation
    if column == "hsa_id":
        return t("unitfile.expected_hsa_id", lang)
    if column in ("telefon_papper", "e_tjanster", "regionala_mallar"):
        return t("unitfile.expected_codes", lang, codes=", ".join(CASE_TYPES))
    if column == "avtalsanalys_klar":
        return t("unitfile.expected_optional_yes_no", lang)
    if annotation is bool:
        return t("unitfile.expected_yes_no", lang)
    choices = get_args(annotation)
    if choices and all(isinstance(c, str) for c in choices):
        return t("unitfile.expected_one_of", lang, choices=" | ".join(choices))
    return t("unitfile.expected_text", lang)  # namn, forvaltning


def decode(data: bytes, lang: str = "sv") -> str:
    """UTF-8 (BOM or not) first; cp1252 for files saved by older Excel; anything else is
    not a text file we can read, said with the row of the first unreadable byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise UnitFileError(
            [RowError(row, "", f"0x{data[exc.start]:02x}", t("unitfile.not_text", lang))]
        ) from exc


Source = bytes | Path  # a file's bytes (an upload), or a file to stream (the command line)


def read_units(data: Source, lang: str = "sv") -> list[Unit]:
    """Every unit in the file, or UnitFileError with every row error found."""
    return list(iter_units(data, lang))


def check_units(data: Source, lang: str = "sv") -> int:
    """How many units the file holds, or UnitFileError with every row error found; the
    units are checked one by one and not kept (a large file's first pass)."""
    return sum(1 for _ in iter_units(data, lang))


def _encoding(path: Path, lang: str) -> str:
    """UTF-8 (BOM or not), else cp1252: found by reading the file once, a megabyte at a time;
    a file that is neither is refused with the row of its first unreadable byte."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        row = 1
        try:
            with path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
                    row += chunk.count(b"\n")
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError as exc:
            if encoding == "cp1252":
                byte = f"0x{exc.object[exc.start]:02x}"
                row += bytes(exc.object[: exc.start]).count(b"\n")  # within the megabyte
                error = RowError(row, "", byte, t("unitfile.not_text", lang))
                raise UnitFileError([error]) from exc
    raise AssertionError("unreachable")


@contextmanager
def _text(data: Source, lang: str) -> Iterator[TextIO]:
    """The file as text: the bytes decoded, or the file streamed in its encoding."""
    if isinstance(data, bytes):
        yield io.StringIO(decode(data, lang), newline="")
        return
    with data.open(encoding=_encoding(data, lang), newline="") as f:
        yield f


def iter_units(data: Source, lang: str = "sv") -> Iterator[Unit]:
    """Every unit in the file, one by one; UnitFileError, with every row error found, when
    the file has been read to its end and any row was bad. A caller that writes must let
    this run to its end first (check_units): an import is all or nothing. A file given as a
    path is streamed; memory stays bounded whatever its size (see Duplicates, _Errors)."""
    with _text(data, lang) as stream, Duplicates() as ids:
        yield from _units(stream, ids, lang)


def _units(stream: TextIO, ids: Duplicates, lang: str) -> Iterator[Unit]:
    first_line = stream.readline()
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(itertools.chain([first_line], stream), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        error = RowError(1, "", "", t("unitfile.unreadable", lang, error=exc))
        raise UnitFileError([error]) from exc
    if not header or header == [""]:
        raise UnitFileError([RowError(1, "", "", t("unitfile.empty", lang))])
    twice = [h for h in dict.fromkeys(header) if header.count(h) > 1]
    if twice:  # the last column of a name would silently win
        raise UnitFileError(
            [RowError(1, h, h, t("unitfile.duplicate_column", lang)) for h in twice]
        )
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in ALL_COLUMNS]
    if missing or unknown:
        errors = [RowError(1, c, "", t("unitfile.missing_column", lang)) for c in missing]
        allowed = {"columns": ", ".join(COLUMNS), "optional": ", ".join(OPTIONAL_COLUMNS)}
        errors += [
            RowError(1, h, h, t("unitfile.unknown_column", lang, **allowed)) for h in unknown
        ]
        raise UnitFileError(errors)

    found = 0
    errors = _Errors()
    rows = enumerate(reader, start=2)
    while True:
        try:
            index, values = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a field over the csv module's size limit
            errors.add(RowError(reader.line_num, "", "", t("unitfile.unreadable", lang, error=exc)))
            break
        row_number = index  # the spreadsheet row: the header is row 1
        if not any(v.strip() for v in values):
            continue  # blank lines, e.g. at the end of the file
        if len(values) != len(header):
            errors.add(
                RowError(
                    row_number,
                    "",
                    _shown(delimiter.join(values), lang),
                    t("unitfile.wrong_field_count", lang, found=len(values), expected=len(header)),
                )
            )
            continue
        record = {h: v.strip() for h, v in zip(header, values, strict=True)}
        try:
            unit = Unit.model_validate(record)
        except ValidationError as exc:
            for err in exc.errors():
                refused = err.get("ctx", {}).get("error")
                column = str(err["loc"][0]) if err["loc"] else getattr(refused, "field", "")
                expected = (
                    t(f"unitfile.{refused.reason}", lang, **refused.params)
                    if isinstance(refused, TextRefused)
                    else _expected(column, lang)
                )
                value = record.get(column, "")
                errors.add(RowError(row_number, column, _shown(value, lang), expected))
            continue
        ids.add(unit.hsa_id, row_number)
        found += 1
        if not errors.total:
            yield unit  # a caller that writes has checked the whole file first (check_units)
    for hsa_id, first, row in ids.found():
        errors.add(RowError(row, "hsa_id", hsa_id, t("unitfile.duplicate", lang, row=first)))
    if errors.total:
        raise errors.refusal()
    if not found:
        raise UnitFileError([RowError(2, "", "", t("unitfile.no_rows", lang))])


def unit_record(unit: Unit) -> dict[str, str]:
    """A unit as the file's text columns, normalised as the fast path gives them (codes
    sorted and joined, ja/nej, "" for nothing): unit_file_columns."""

    def text(value: object) -> str:
        if isinstance(value, bool):
            return "ja" if value else "nej"
        if isinstance(value, tuple):
            return "|".join(value)
        return "" if value is None else str(value)

    return {c: text(getattr(unit, c)) for c in ALL_COLUMNS}
