"""The unit file over whole columns (Arrow, in C++): the fast path for the triage of a whole
country's file, about the time of reading it.

Only a gate: every check of the careful reader (unit_file.read_units) over whole columns at
once, each a yes or no for the whole file. A file it doubts goes the careful way, which names
every error (or accepts what the gate doubted). An agreement test holds the two readers
equal over generated files, good and with defects (tests/unit/test_unit_file_readers_agree.py).
"""

from __future__ import annotations

import csv
import io
from functools import partial
from typing import get_args

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from logic.domain.models import HSA_ID, HSA_ID_MAX, Unit, case_types
from logic.files.at_once import at_once
from logic.files.text_columns import free_text_in_column
from logic.files.unit_file import ALL_COLUMNS, OPTIONAL_COLUMNS, read_units, unit_record

BOM = b"\xef\xbb\xbf"
CHOICES = ("enhetstyp", "verksamhet", "driftsform")
YES_NO = ("vardutforande", "kontaktkort", "patientkontakt", "bokar_besok", "avtalsanalys_klar")
CODE_LISTS = ("telefon_papper", "e_tjanster", "regionala_mallar")


def read_table(data: bytes, lang: str = "sv") -> pa.Table:
    """All units as a table of the file's text columns (ALL_COLUMNS), normalised (codes
    sorted, ja/nej lower case). Raises UnitFileError exactly as read_units does."""
    table = quick_table(data)
    if table is not None:
        return table
    units = read_units(data, lang)  # raises with every bad row named
    return pa.Table.from_pylist([unit_record(u) for u in units])


def quick_table(data: bytes) -> pa.Table | None:
    """The file as read_units would give it, or None when any check doubts it. Each column
    is checked on its own, the columns at once (at_once): a country's file in about the
    time of reading it twice."""
    table = text_table(data)
    if table is None:
        return None
    for column in OPTIONAL_COLUMNS:
        if column not in table.column_names:
            table = table.append_column(column, pa.array([""] * table.num_rows))
    if sorted(table.column_names) != sorted(ALL_COLUMNS) or table.num_rows == 0:
        return None
    checked = partial(_column, limit=csv.field_size_limit())
    columns = dict(at_once(checked, ALL_COLUMNS, [table[c] for c in ALL_COLUMNS]))
    if any(values is None for values in columns.values()):
        return None
    if not _templates_with_their_e_service(columns):
        return None
    return pa.table(columns)


def _column(name: str, column: pa.ChunkedArray, limit: int) -> tuple[str, pa.Array | None]:
    """The column by its name, trimmed, checked and normalised (ja/nej lower case, codes
    sorted) as the careful reader takes each value; None when any value is doubtful."""
    return name, _checked(name, column, limit)


def _checked(name: str, column: pa.ChunkedArray, limit: int) -> pa.Array | None:
    if _too_long(column, limit):
        return None
    try:
        values = pc.utf8_trim_whitespace(column.combine_chunks())
    except pa.ArrowException:  # a column past 2 GB: the careful path reads it row by row
        return None
    if name == "hsa_id":
        return values if _hsa_ids_hold(values) else None
    if name in ("namn", "forvaltning"):  # 1-200 characters, no free text a file may not carry
        low, high = pc.min_max(pc.utf8_length(values)).values()
        if low.as_py() < 1 or high.as_py() > 200 or free_text_in_column(values):
            return None
        return values
    if name in CHOICES:
        choices = get_args(Unit.model_fields[name].annotation)
        return values if _all(pc.is_in(values, pa.array(choices))) else None
    if name in YES_NO:
        values = pc.utf8_lower(values)
        allowed = ["ja", "nej", ""] if name == "avtalsanalys_klar" else ["ja", "nej"]
        return values if _all(pc.is_in(values, pa.array(allowed))) else None
    return _canonical(values)  # a code list


def text_table(data: bytes) -> pa.Table | None:
    """Every column as text, named as the header names it (trimmed); None for what the
    careful reader reads otherwise. UTF-8 goes to the parser as it is (the parser checks the
    values, the header is decoded here), else the whole file as cp1252 (older Excel), as
    the careful reader decodes it: a UTF-8 BOM before cp1252 text stays in the header."""
    raw = data.removeprefix(BOM)
    if raw.startswith(BOM):  # a second BOM: the careful path names it
        return None
    if raw[:1] in (b"\n", b"\r"):  # a blank first line: to the careful reader, no header
        return None
    first_line = raw.split(b"\n", 1)[0]  # ";" and "," are the same bytes in both
    delimiter = ";" if first_line.count(b";") >= first_line.count(b",") else ","
    try:
        return _named(_read(raw, delimiter))
    except Exception:  # noqa: BLE001 - any trouble: as cp1252, or the careful path explains it
        pass
    try:  # UTF-8 that failed fails again so: the separators and quotes are the same bytes
        return _named(_read(data.decode("cp1252").encode("utf-8"), delimiter))
    except Exception:  # noqa: BLE001
        return None


def _named(table: pa.Table) -> pa.Table:
    """The columns named by the header, trimmed (UnicodeDecodeError: not UTF-8)."""
    return table.rename_columns([name.strip() for name in table.column_names])


def _read(raw: bytes, delimiter: str) -> pa.Table:
    """As the csv module reads it: quotes doubled, a line break inside quotes part of the
    value (which the checks then refuse, or trim away), every value text (Arrow's
    defaults: blank lines skipped, no text read as missing). A file without quotes has no
    line break in a value, and Arrow reads it in two thirds of the time when told so."""
    quoted = b'"' in raw
    return pcsv.read_csv(
        io.BytesIO(raw),
        parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted),
        convert_options=pcsv.ConvertOptions(default_column_type=pa.string()),
    )


def _hsa_ids_hold(hsa_ids: pa.Array) -> bool:
    """Each HSA-id by its pattern and length, and none twice."""
    if not _all(pc.match_substring_regex(hsa_ids, f"^(?:{HSA_ID.pattern[1:-1]})$")):
        return False
    if pc.max(pc.utf8_length(hsa_ids)).as_py() > HSA_ID_MAX:
        return False
    # the distinct ids counted: half count_distinct's time (which left a missing id out)
    return hsa_ids.null_count == 0 and len(pc.unique(hsa_ids)) == len(hsa_ids)


def _canonical(column: pa.Array) -> pa.Array | None:
    """A code list's distinct values sorted and deduplicated ('b| a|a' -> 'a|b'); None when
    one holds a code that is no case type."""
    encoded = pc.dictionary_encode(column)
    canonical = [_canonical_codes(v) for v in encoded.dictionary.to_pylist()]
    if None in canonical:
        return None
    return pc.take(pa.array(canonical), encoded.indices)


def _canonical_codes(value: str) -> str | None:
    """As the careful reader's model reads a code list (models.case_types), joined again."""
    try:
        return "|".join(case_types(value))
    except ValueError:  # a code that is no case type
        return None


def _templates_with_their_e_service(columns: dict[str, pa.Array]) -> bool:
    """A regional template only with its e-service (the careful path names a slip)."""
    templated = pc.not_equal(columns["regionala_mallar"], "")
    if not pc.any(templated).as_py():
        return True
    pairs = pa.table(
        {"mallar": columns["regionala_mallar"], "offered": columns["e_tjanster"]}
    ).filter(templated)
    distinct = pairs.group_by(["mallar", "offered"]).aggregate([]).to_pylist()
    return all(set(p["mallar"].split("|")) <= set(p["offered"].split("|")) for p in distinct)


def _too_long(column: pa.ChunkedArray, limit: int) -> bool:
    """Has a value more than `limit` characters? Its bytes first (a character is a byte or
    more), counted in a moment."""
    if pc.max(pc.binary_length(column)).as_py() <= limit:
        return False
    return bool(pc.max(pc.utf8_length(column)).as_py() > limit)


def _all(flags: pa.Array) -> bool:
    return bool(pc.all(flags).as_py())
