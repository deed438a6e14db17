"""The roll-out export for machines: one row per unit and required or exempted case type,
in the documented columns, with the decision export's formats and protections."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

from logic.domain.rollout import RolloutRow
from logic.files.export import neutralise, safe_text

# Column header -> what it holds. The README documents the same list (a test keeps them equal).
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
        )


TEXT_COLUMNS = ("hsa_id", "enhet", "forvaltning")  # written by people or files: made safe
DATE_COLUMNS = ("infort_efter", "infort_senast", "frist")


def rollout_csv(cells: Iterable[tuple[Any, ...]], profile: str) -> tuple[bytes, int]:
    """The rows as CSV (csv-excel: UTF-8 with BOM, `;`, CRLF; csv: RFC 4180), written by
    pandas: the same file the decision export's writer makes, at pandas' speed. Each
    distinct text is made formula-safe once. Returns the file and its number of rows."""
    frame = pd.DataFrame.from_records(list(cells), columns=list(ROLLOUT_HEADERS))
    for column in TEXT_COLUMNS:
        values = frame[column].unique()
        frame[column] = frame[column].map({v: neutralise(safe_text(v)) for v in values})
    for column in DATE_COLUMNS:
        values = frame[column].unique()
        frame[column] = frame[column].map({d: d.isoformat() if d else "" for d in values})
    excel = profile == "csv-excel"
    text = frame.to_csv(
        sep=";" if excel else ",", index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    return (("\ufeff" + text) if excel else text).encode("utf-8"), len(frame)
