"""The roll-out export for machines: one row per unit and required or exempted case type,
in the documented columns, with the decision export's formats and protections."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from logic.domain.rollout import RolloutRow
from logic.files.export import neutralise, safe_text

# Column header -> what it holds. docs/user-guide.md (Roll-out) documents the same list (a test
# keeps them equal).
ROLLOUT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("hsa_id", "the unit's HSA-id"),
    ("enhet", "the unit's name, as last observed"),
    ("forvaltning", "the administration, as last observed"),
    ("arendetyp", "the case type's code"),
    (
        "status",
        "infort_mall, infort, forsenat, planerat, ej_planerat or undantaget (see the status codes)",
    ),
    (
        "infort_efter",
        "the last observation date before the e-service was seen in place (YYYY-MM-DD; empty "
        "when it was there at the first observation or is not in place)",
    ),
    (
        "infort_senast",
        "the first observation date of the run it has been in place since (YYYY-MM-DD; "
        "empty when not in place)",
    ),
    ("frist", "the deadline: the administration's timetable, else the region's (YYYY-MM-DD)"),
    ("i_tid", "ja, nej or okant: in place by the deadline; empty without a deadline"),
    ("mall", "ja when the e-service uses the region's template, else nej"),
    (
        "underlag",
        "beslut when the unit's decision in force requires (or exempts) it, forslag when no "
        "decision is in force and the proposal (the rules' recommendation) does",
    ),
)
ROLLOUT_HEADERS: tuple[str, ...] = tuple(name for name, _ in ROLLOUT_COLUMNS)


def rollout_cells(rows: Iterable[RolloutRow]) -> Iterator[tuple[Any, ...]]:
    """Each row's cells in the export's column order: dates as dates (the writers format
    them YYYY-MM-DD), yes/no as ja/nej."""
    for r in rows:
        yield (
            r.hsa_id,
            r.enhet,
            r.forvaltning,
            r.arendetyp,
            r.status,
            r.infort_efter,
            r.infort_senast,
            r.frist,
            r.i_tid,
            "ja" if r.mall else "nej",
            r.basis,
        )


TEXT_COLUMNS = ("hsa_id", "enhet", "forvaltning")  # written by people or files: made safe
DATE_COLUMNS = ("infort_efter", "infort_senast", "frist")


def rollout_csv(
    cells: Iterable[tuple[Any, ...]], profile: str, dates_as_text: bool = False
) -> tuple[bytes, int]:
    """The rows as CSV (csv-excel: UTF-8 with BOM, `;`, CRLF; csv: RFC 4180): the same file
    the decision export's writer makes (a property test says so), faster for a large
    roll-out: each distinct name is made formula-safe once, dates may come as text, and the
    csv module's C writer does the rest. Returns the file and its number of rows."""
    excel = profile == "csv-excel"
    out = io.StringIO(newline="")
    writer = csv.writer(
        out, delimiter=";" if excel else ",", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(ROLLOUT_HEADERS)
    safe: dict[object, str] = {}

    def text(value: object) -> str:
        found = safe.get(value)
        if found is None:
            plain = isinstance(value, str) and _plain(value)
            found = safe[value] = value if plain else _safe(value)  # type: ignore[assignment]
        return found

    count = 0
    day = str if dates_as_text else _day  # "YYYY-MM-DD" or "" already (rollout_now)
    for h, enhet, forvaltning, arendetyp, status, efter, senast, frist, i_tid, mall, basis in cells:
        writer.writerow(
            (
                text(h), text(enhet), text(forvaltning), arendetyp, status,
                day(efter), day(senast), day(frist), i_tid, mall, basis,
            )
        )  # fmt: skip
        count += 1
    data = out.getvalue()
    return (("\ufeff" + data) if excel else data).encode("utf-8"), count


def _plain(value: str) -> bool:
    """Text no writer changes: it starts with a letter or digit (no formula sign, no blank
    before one) and has no control character or line break (str.isprintable)."""
    return value[:1].isalnum() and value.isprintable()


def _missing(value: object) -> bool:  # None, or the NaN pandas makes of it
    return value is None or (isinstance(value, float) and value != value)


def _safe(value: object) -> str:
    return "" if _missing(value) else neutralise(safe_text(str(value)))


def _day(value: object) -> str:
    if _missing(value):
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)
