"""The roll-out export for machines: one row per unit and required or exempted case type,
in the documented columns, written by the decision export's writer (its formats and
protections: export.render_table)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from logic.domain.rollout import RolloutRow

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
    (
        "rapport",
        "the date of the unit's own report (Min enhet) the row rests on, which the unit file "
        "has not yet confirmed or contradicted (YYYY-MM-DD); empty when it rests on the file",
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
            r.rapport,
        )
