"""Exports of the decision register: CSV in two profiles and XLSX.

Every export holds exactly the rows given. Text that a spreadsheet would run as a formula
(starting with = + - @ TAB CR or NUL) is neutralised; numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc

from logic.domain.assessment import DEVIATION_CODES
from logic.domain.text import normalise_text

Profile = Literal["csv-excel", "csv", "xlsx"]
PROFILES: tuple[Profile, ...] = ("csv-excel", "csv", "xlsx")
MEDIA_TYPES = {
    "csv-excel": "text/csv",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"csv-excel": "csv", "csv": "csv", "xlsx": "xlsx"}


@dataclass(frozen=True)
class ExportFile:
    """A file an export made, as delivered: its bytes, name, media type, rows and SHA-256."""

    data: bytes
    file_name: str
    media_type: str
    rows: int
    sha256: str


# Column header -> what it holds. docs/user-guide.md (Exports) documents the same list (a test
# keeps them equal).
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("hsa_id", "the unit's HSA-id"),
    ("enhet", "the unit's name"),
    ("forvaltning", "the administration"),
    ("utfall", "the decided outcome, or ej_bedomd"),
    ("variant", "the decided baseline variant"),
    ("kravda", "required case types, codes joined with |"),
    ("saknas", "required case types the unit does not offer as e-services yet"),
    ("undantagsgrunder", "exemption ground codes joined with |"),
    ("motivering", "the decision's rationale"),
    ("beslutad_av", "who prepared and submitted the decision (its author)"),
    ("beslutad", "when it was submitted, local time (YYYY-MM-DD HH:MM)"),
    (
        "omprovas_senast",
        "the review date: an exemption's, or when a waiting decision's contract analysis "
        "is expected (YYYY-MM-DD)",
    ),
    ("revision", "the revision number (a number)"),
    ("katalogversion", "the reference-data version the recommendation used"),
    ("regler", "ids of the rules that fired, joined with |"),
    ("beslutsstatus", "for_beslut, faststalld or aterremitterad (four-eyes approval)"),
    ("faststalld_av", "who approved the decision in force (never its author)"),
    ("faststalld", "when it was approved, local time (YYYY-MM-DD HH:MM)"),
    ("faststalld_revision", "the revision in force: the newest approved one (a number)"),
    (
        "under_lagstaniva",
        "ja when the decision exempts the lowest level, digital contact (a deviation from "
        "the policy itself), else nej",
    ),
    ("beslutstext", "the decision text, generated from the decision at submission"),
    ("undantagna_arendetyper", "case types exempted by the decision, codes joined with |"),
    ("svarstid", "the committed response time for written contact (a code from policy.yaml)"),
    ("anmarkning", "the assessor's remark beside the decision text"),
    ("undantagsmotivering", "the exemption's rationale"),
    ("annan_grund", "the ground the assessor described under the ground annat"),
    (
        "avvikelser",
        "each deviation from the recommendation as code:recommended>chosen, joined with |",
    ),
    ("motivering_variant", "why another variant than the recommended one was chosen"),
    ("motivering_utfall", "why another outcome than the recommendation's was decided"),
    ("motivering_undantag", "why the whole unit is exempted although it is in scope"),
    ("motivering_lagstaniva", "why the lowest level, digital contact, is exempted"),
    ("granskning", "the verdict on this revision: faststalld or aterremitterad, else empty"),
    ("granskad_av", "who gave that verdict"),
    ("granskad", "when, local time (YYYY-MM-DD HH:MM)"),
    ("granskningskommentar", "the verdict's comment (a return's reason)"),
)
HEADERS: tuple[str, ...] = tuple(name for name, _ in EXPORT_COLUMNS)
WIDE_COLUMNS = {
    "enhet",
    "motivering",
    "kravda",
    "saknas",
    "regler",
    "forvaltning",
    "beslutstext",
    "anmarkning",
    "undantagsmotivering",
    "avvikelser",
    "granskningskommentar",
    *(f"motivering_{code}" for code in DEVIATION_CODES),
}
# Where each text a person writes into a decision (the draft's free-text fields, by path)
# lands in the export; a test keeps the paths equal to the model's, so a text field added
# later cannot be left out. The verdict's comment is in `granskningskommentar`.
TEXT_COLUMNS: dict[str, str] = {
    "rationale": "motivering",
    "remark": "anmarkning",
    "variant_justification": "motivering_variant",
    "exemption.rationale": "undantagsmotivering",
    "exemption.other_ground": "annan_grund",
    **{f"justifications.{c}": f"motivering_{c}" for c in DEVIATION_CODES if c != "variant"},
}
DECIDED = HEADERS.index("undantagna_arendetyper")  # the columns from here come from JSON
REVISION = HEADERS.index("revision")
# the moments, stored in UTC, written in the region's local time
MOMENTS = tuple(HEADERS.index(name) for name in ("beslutad", "faststalld", "granskad"))


def record_row(raw: Sequence[Any]) -> tuple[Any, ...]:
    """A row of the register's export query (readmodel_register.export_rows) as the export's
    columns: what the revision's JSON holds (the exemption, the deviations) spread out, so
    every text a person wrote into the decision, and the verdict on it, is in the row."""
    (exemption, response_time, remark, found, verdict, by, at, comment) = raw[DECIDED:]
    case_types, rationale, other, *deviations = decided_cells(
        exemption, found, decided=raw[REVISION] is not None
    )
    return (
        *raw[:DECIDED],
        case_types,
        response_time,
        remark,
        rationale,
        other,
        *deviations,
        verdict,
        by,
        at,
        comment,
    )


def decided_cells(exemption: Any, found: Any, decided: bool) -> tuple[str | None, ...]:
    """The cells the decision's JSON fills (its exemption and its deviations, as stored):
    the case types exempted (None for a unit never decided), the exemption's rationale and
    other ground, each deviation as code:recommended>chosen, each one's justification by
    DEVIATION_CODES."""
    exemption, found = exemption or {}, found or []
    why = {d.get("code"): d.get("justification") or "" for d in found}
    return (
        "|".join(exemption.get("case_types") or ()) if decided else None,
        exemption.get("rationale") or "",
        exemption.get("other_ground") or "",
        "|".join(f"{d['code']}:{d['recommended']}>{d['chosen']}" for d in found),
        *(why.get(code, "") for code in DEVIATION_CODES),
    )


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
FORMULA_SIGNS = "=+-@"
_BLANK = " \t\r\n\0\x0b\x0c"
# What no file may carry as it is: controls but TAB and LF, surrogates, and noncharacters
# (U+FDD0-U+FDEF and the last two code points of every plane: XLSX refuses them all).
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff{_NONCHARACTERS}]")


def neutralise(value: str) -> str:
    """Prefix text a spreadsheet would evaluate with an apostrophe (OWASP CSV injection):
    text starting with = + - @, a tab or a line break, or with one of those signs after
    leading blanks of any kind (some programs trim them), full-width forms included."""
    if value.startswith(FORMULA_START):
        return "'" + value
    first = value.lstrip(_BLANK)[:1]
    if first and (first.isspace() or unicodedata.category(first) in ("Cf", "Cc")):
        first = next((c for c in value if not _blank(c)), "")  # a no-break space, say
    sign = bool(first) and unicodedata.normalize("NFKC", first) in FORMULA_SIGNS
    return "'" + value if sign else value


# The same checks over a whole column at once, in RE2 (pyarrow): a first character after
# which a spreadsheet sees text, never a formula (a letter or digit of printable ASCII or
# Latin-1, or a mark that starts no formula), and what safe_text changes (a line break but
# LF, a control but TAB, a noncharacter; a surrogate cannot reach pyarrow at all).
PLAIN_START = "^(?:$|[0-9A-Za-z\u00c0-\u00ff!\"#$%&'()*,./:;<>?\\[\\]^_`{|}~])"
UNSAFE_CHARACTER = (
    "[\\x00-\\x08\\x0b-\\x1f\\x7f\\x85\\x{2028}\\x{2029}\\x{FDD0}-\\x{FDEF}"
    + "".join(f"\\x{{{plane:X}FFFE}}\\x{{{plane:X}FFFF}}" for plane in range(17))
    + "]"
)


def file_texts(values: Sequence[str | None]) -> Sequence[str | None]:
    """neutralise(safe_text(v)) of every text of a column (None stays None): its distinct
    values gated at once, and only those the gate doubts made safe one by one."""
    distinct = list(set(values) - {None})
    try:
        array = pa.array(distinct, type=pa.string())
    except (pa.ArrowException, UnicodeEncodeError):  # a lone surrogate: no UTF-8
        doubtful = distinct
    else:
        plain = pc.match_substring_regex(array, PLAIN_START)
        flags = pc.or_(pc.match_substring_regex(array, UNSAFE_CHARACTER), pc.invert(plain))
        doubtful = array.filter(flags).to_pylist()
    if not doubtful:
        return values
    made = {v: neutralise(safe_text(v)) for v in doubtful}
    return [made.get(v, v) for v in values]  # type: ignore[arg-type]


def _blank(c: str) -> bool:
    """Shown as nothing before a text: any space (no-break, ideographic...), a control or a
    format character (zero-width...)."""
    return c.isspace() or unicodedata.category(c) in ("Cf", "Cc")


def safe_text(value: str) -> str:
    """Text as a file may carry it whatever is stored: line breaks as "\n", any other
    control character, surrogate or noncharacter shown by its code point (XLSX refuses
    them; other programs choke)."""
    return _CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", normalise_text(value))


def _csv_cell(value: Any, decimal_comma: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(safe_text(value))
    if isinstance(value, dt.datetime):
        return _minute(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and decimal_comma:
        return repr(value).replace(".", ",")
    return value


def to_csv(
    rows: Iterable[Sequence[Any]], profile: Profile, headers: Sequence[str] = HEADERS
) -> bytes:
    """Excel (svenska): UTF-8 with BOM, `;`, CRLF, decimal comma. RFC 4180: UTF-8, `,`, CRLF."""
    excel = profile == "csv-excel"
    out = io.StringIO(newline="")
    writer = csv.writer(
        out, delimiter=";" if excel else ",", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(headers)
    for block in _blocks(rows):  # streams, a block of rows at a time, column by column
        columns = [_csv_column(c, excel) for c in zip(*block, strict=True)]
        writer.writerows(zip(*columns, strict=True))
    text = out.getvalue()
    return ("\ufeff" + text).encode("utf-8") if excel else text.encode("utf-8")


def _blocks(rows: Iterable[Sequence[Any]], size: int = 10000) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while block := list(itertools.islice(iterator, size)):
        yield block


def _csv_column(values: Sequence[Any], decimal_comma: bool) -> Sequence[Any]:
    """A column's cells as the CSV writer takes them: text checked as a whole column, a
    number or a blank as it is (the writer writes None as nothing), anything else cell by
    cell."""
    kinds = set(map(type, values)) - {type(None)}
    if kinds == {str}:
        return file_texts(values)
    if kinds <= {int}:
        return values
    if kinds == {dt.datetime}:
        return [None if v is None else _minute(v) for v in values]
    return [_csv_cell(v, decimal_comma) for v in values]


def _minute(moment: dt.datetime) -> str:
    return moment.isoformat(" ", "minutes")[:16]  # YYYY-MM-DD HH:MM


def to_xlsx(
    rows: Iterable[Sequence[Any]], headers: Sequence[str] = HEADERS, sheet_name: str = "Beslut"
) -> bytes:
    """One sheet, a header row, text cells stored as text (never as formulas)."""
    from openpyxl import Workbook  # imported here: only exports need it
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:31])
    sheet.freeze_panes = "A2"  # the header stays in view
    for index, header in enumerate(headers, start=1):
        wide = header in WIDE_COLUMNS or len(header) > 20
        sheet.column_dimensions[get_column_letter(index)].width = 45 if wide else 18
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=safe_text(value))
        cell.data_type = "s"  # text, even when it starts with "=": never evaluated
        return cell
    return value


def render(
    rows: Iterable[Sequence[Any]], profile: Profile, headers: Sequence[str] = HEADERS
) -> bytes:
    """The decision export: the documented columns (EXPORT_COLUMNS), under their codes or,
    for people, their names."""
    if profile == "xlsx":
        return to_xlsx(rows, headers=headers)
    return to_csv(rows, profile, headers=headers)


def render_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], profile: Profile) -> bytes:
    """Any other table (a chart's data) with the same profiles and protections."""
    if profile == "xlsx":
        return to_xlsx(rows, headers=columns, sheet_name="Data")
    return to_csv(rows, profile, headers=columns)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """The whole file at `path`, or no file there at all: written beside it under a
    temporary name, flushed to disk, then moved into place in one step. A process killed
    half way leaves at most the temporary file; a failed write (disk full, no such folder)
    raises OSError and leaves `path` as it was."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
