"""The unit managers file (enhetschefer.csv): who holds which units, one row per unit and
person, columns `hsa_id`, `epost`, `namn`. Checked whole (streamed from a file): every
problem named by row, column and what to write instead; nothing is returned unless every row
is valid.

Accepts what the unit file accepts: UTF-8 with or without BOM, or cp1252; `;` or `,`."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

from pydantic import ValidationError

from logic.domain.auth import User
from logic.domain.models import TextRefused
from logic.files.unit_file import MAX_ERRORS, RowError, Source, UnitFileError, _shown, _text
from logic.i18n import t

MANAGER_COLUMNS: tuple[str, ...] = ("hsa_id", "epost", "namn")


class UnitManagerFileError(UnitFileError):
    """The unit managers file is refused: `errors` lists its problems by row."""


@dataclass(frozen=True)
class Assignment:
    """One row: the unit (HSA-id) that the person (e-mail, name) manages."""

    row: int
    hsa_id: str
    email: str
    namn: str


def read_unit_managers(
    data: Source,
    known: Callable[[Iterable[str]], frozenset[str]],
    lang: str = "sv",
    deactivated: frozenset[str] = frozenset(),
) -> list[Assignment]:
    """Every row, checked: an HSA-id the register holds (`known` says which of the file's
    it holds), an e-mail address of no deactivated user, a name as a user may carry it, and
    one name per e-mail address throughout the file. A file given by path (the command
    line) is streamed."""
    with _text(data, lang) as stream:
        return _assignments(stream, known, lang, deactivated)


def _assignments(
    stream: TextIO,
    known: Callable[[Iterable[str]], frozenset[str]],
    lang: str,
    deactivated: frozenset[str],
) -> list[Assignment]:
    first_line = stream.readline()
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(itertools.chain([first_line], stream), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise UnitManagerFileError(
            [RowError(1, "", "", t("unitfile.unreadable", lang, error=exc))]
        ) from exc
    if sorted(header) != sorted(MANAGER_COLUMNS):
        expected = t("managers.expected_header", lang, columns=", ".join(MANAGER_COLUMNS))
        raise UnitManagerFileError([RowError(1, "", _shown(";".join(header), lang), expected)])
    at = {name: header.index(name) for name in MANAGER_COLUMNS}
    found: list[Assignment] = []
    errors: list[RowError] = []
    try:
        for row, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue  # a blank line, as spreadsheets leave at the end
            if len(values) != len(header):
                counts = {"found": len(values), "expected": len(header)}
                errors.append(
                    RowError(row, "", "", t("unitfile.wrong_field_count", lang, **counts))
                )
                continue
            hsa_id, email, namn = (values[at[c]].strip() for c in MANAGER_COLUMNS)
            found.append(Assignment(row, hsa_id, email, namn))
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, "", "", t("unitfile.unreadable", lang, error=exc)))
    held = known({a.hsa_id for a in found})
    names: dict[str, tuple[int, str]] = {}  # e-mail -> (first row, name)
    for a in found:
        errors += _row_errors(a.row, a.hsa_id, a.email, a.namn, held, names, lang, deactivated)
    errors.sort(key=lambda e: e.row)
    if errors:
        raise UnitManagerFileError(errors[:MAX_ERRORS], len(errors))
    if not found:
        raise UnitManagerFileError([RowError(2, "", "", t("managers.no_rows", lang))])
    return [
        Assignment(a.row, a.hsa_id, User(email=a.email, namn=a.namn).email, a.namn) for a in found
    ]


def _row_errors(
    row: int,
    hsa_id: str,
    email: str,
    namn: str,
    known: frozenset[str],
    names: dict[str, tuple[int, str]],
    lang: str,
    deactivated: frozenset[str],
) -> list[RowError]:
    errors = []
    if hsa_id not in known:
        errors.append(
            RowError(row, "hsa_id", _shown(hsa_id, lang), t("managers.unknown_unit", lang))
        )
    if not namn or len(namn) > 200:
        errors.append(RowError(row, "namn", _shown(namn, lang), t("managers.expected_namn", lang)))
        namn = "-"  # the e-mail address is still checked
    try:
        person = User(email=email, namn=namn)
    except ValidationError as exc:
        for problem in exc.errors():
            column = "epost" if problem["loc"] == ("email",) else "namn"
            value = email if column == "epost" else namn
            cause = problem.get("ctx", {}).get("error")
            why = (
                t(f"unitfile.{cause.reason}", lang, **cause.params)
                if isinstance(cause, TextRefused)
                else t(f"managers.expected_{column}", lang)
            )
            errors.append(RowError(row, column, _shown(value, lang), why))
        return errors
    if person.email in deactivated:  # they could not sign in to the units given them
        errors.append(RowError(row, "epost", _shown(email, lang), t("managers.deactivated", lang)))
    first = names.setdefault(person.email, (row, person.namn))
    if first[1] != person.namn:
        errors.append(
            RowError(row, "namn", _shown(namn, lang), t("managers.other_name", lang, row=first[0]))
        )
    return errors
