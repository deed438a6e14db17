"""The roll-out worked out from the history itself: the append-only observations and the
decisions in force, as of any date and as known at any moment. The projection (the roll-out
now) is made by the same functions; reports of an earlier date read this way."""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from logic.clock import end_of_day
from logic.domain.catalog import Catalog
from logic.domain.models import Unit
from logic.domain.rollout import (
    Progress,
    Requirement,
    RolloutRow,
    Seen,
    newest_per_day,
    progress,
    unit_rows,
)
from logic.domain.rollout_summary import (
    Summary,
    kontakt_observed_since,
    late_units,
    tallies,
    unit_tallies,
)
from logic.domain.rules import Recommendations, recommend
from logic.domain.unit_reports import REPORTED
from logic.store import readmodel_rollout as history_rows
from logic.store.readmodel_rollout import HISTORY_COLUMNS, InForce
from logic.store.rows import codes, utc
from logic.store.store import Tx
from logic.store.units import UNIT_COLUMNS


@dataclass(frozen=True)
class Rollout:
    """The roll-out as of `as_of`, as known at `known_at` (UTC); `made_at`: when read."""

    as_of: dt.date
    known_at: dt.datetime
    made_at: dt.datetime
    forvaltning: str | None
    rows: list[RolloutRow]
    dates: list[dt.date]
    progress: list[Progress] = field(default_factory=list)
    catalog_version: str = ""
    waiting: frozenset[str] = frozenset()  # units with a proposal waiting for approval


def units_rows(
    tx: Tx,
    as_of: dt.date,
    known_at: dt.datetime | None,
    cat: Catalog,
    hsa_ids: Sequence[str] | None = None,
    everyone: bool = False,
) -> Iterator[tuple[Unit, list[Seen], list[RolloutRow]]]:
    """Per unit in scope (of those named, or all; `everyone`: out of scope too, with no
    rows): its facts as last observed, its observations one per date, and its rows as of
    the end of `as_of` known at `known_at` (None: everything committed, as the projection
    is made: a verdict given while an import waited for its lock counts)."""
    recommended, rows_for = Recommendations(cat, as_of), RowsFor(cat, as_of)
    for unit, seen, decision in unit_histories(tx, as_of, known_at, hsa_ids):
        mine = rows_of(unit, seen, decision, cat, recommended, rows_for)
        if mine is not None:
            yield unit, seen, mine
        elif everyone:
            yield unit, seen, []


def unit_histories(
    tx: Tx, as_of: dt.date, known_at: dt.datetime | None, hsa_ids: Sequence[str] | None = None
) -> Iterator[tuple[Unit, list[Seen], InForce | None]]:
    """Per unit (of those named, or all): its facts as last observed by the end of `as_of`,
    its observations one per date, and its decision in force then, as known at `known_at`."""
    decided_by = None if known_at is None else min(end_of_day(as_of), known_at)
    in_force = history_rows.decisions_in_force(tx, decided_by, hsa_ids)
    history = history_rows.observation_history(tx, as_of, known_at, hsa_ids)
    for unit, seen in _units(history):
        yield unit, seen, in_force.get(unit.hsa_id)


def rows_of(
    unit: Unit,
    seen: list[Seen],
    decision: InForce | None,
    cat: Catalog,
    recommended: Recommendations,
    rows_for: RowsFor,
) -> list[RolloutRow] | None:
    """A unit's roll-out rows as of `recommended.today` under `cat`; None out of scope."""
    asked = requirement(unit, decision, cat, recommended)
    return None if asked is None else rows_for(unit, seen, asked)


KEPT_ROWS = 4096  # distinct (administration, history, requirement) whose rows RowsFor keeps


class RowsFor:
    """A unit's roll-out rows as of `as_of` for what is asked of it, under `cat`. Units alike
    in administration, observations and what is asked of them differ in HSA-id and name
    alone: their rows are worked out once and given each unit's own HSA-id and name. At most
    KEPT_ROWS are kept (all forgotten when full): a bounded memory however large the
    register, and little lost where few units are alike (a long history each)."""

    def __init__(self, cat: Catalog, as_of: dt.date) -> None:
        self.cat, self.as_of = cat, as_of
        self.kept: dict[Hashable, list[RolloutRow]] = {}

    def __call__(self, unit: Unit, seen: Sequence[Seen], asked: Requirement) -> list[RolloutRow]:
        key = (unit.forvaltning, tuple(seen), asked)
        if (made := self.kept.get(key)) is not None:
            return [row._replace(hsa_id=unit.hsa_id, enhet=unit.namn) for row in made]
        if len(self.kept) >= KEPT_ROWS:
            self.kept.clear()
        made = self.kept[key] = unit_rows(
            unit.hsa_id,
            unit.namn,
            unit.forvaltning,
            seen,
            asked,
            lambda case_type: self.cat.deadline(case_type, unit.forvaltning),
            self.as_of,
            has_template(self.cat),
        )
        return list(made)  # the kept rows as they are, whatever the caller does


def read_history(
    tx: Tx,
    made_at: dt.datetime,
    as_of: dt.date,
    known_at: dt.datetime | None,
    forvaltning: str | None,
    cat: Catalog,
    hsa_ids: Sequence[str] | None = None,
) -> Rollout:
    known_at = utc(known_at) if known_at is not None else made_at
    decided_by = min(end_of_day(as_of), known_at)
    rows: list[RolloutRow] = []
    counts: dict[tuple[dt.date, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for unit, seen, mine in units_rows(tx, as_of, known_at, cat, hsa_ids):
        if forvaltning is not None and unit.forvaltning != forvaltning:
            continue
        rows += mine
        for key, (n, there, templated) in progress(seen, mine, has_template(cat)):
            total = counts[key]
            total[0] += n
            total[1] += there
            total[2] += templated
    rows.sort(key=lambda r: (r.forvaltning, r.enhet, r.hsa_id, r.arendetyp))
    points = [Progress(*key, *total) for key, total in sorted(counts.items())]
    shown = {r.hsa_id for r in rows}
    waiting = history_rows.waiting_for_approval(tx, decided_by, hsa_ids) & shown
    dates = sorted({p.observed for p in points})  # the dates a unit in scope was seen
    return Rollout(
        as_of, known_at, made_at, forvaltning, rows, dates, points, cat.version, frozenset(waiting)
    )


def summarize(rollout: Rollout, cat: Catalog) -> Summary:
    """The figures of a roll-out read from the history (as the projection gives them): what
    history_figures.py works out faster over whole columns is held equal to this."""
    scope = {
        (r.arendetyp, r.forvaltning): cat.deadline_scope(r.arendetyp, r.forvaltning)
        for r in rollout.rows
    }
    late, totals = late_units(rollout.rows)
    return Summary(
        rollout.as_of,
        rollout.known_at,
        rollout.made_at,
        rollout.forvaltning,
        tallies(rollout.rows, scope),
        unit_tallies(rollout.rows, rollout.waiting),
        late,
        rollout.progress,
        rollout.dates,
        rollout.catalog_version,
        totals,
        kontakt_observed_since(rollout.rows),
    )


_SOURCE, _HSA_ID = HISTORY_COLUMNS.index("source"), HISTORY_COLUMNS.index("hsa_id")
_OFFERED = HISTORY_COLUMNS.index("e_tjanster")
_TEMPLATES = HISTORY_COLUMNS.index("regionala_mallar")
_FACTS = HISTORY_COLUMNS.index(UNIT_COLUMNS[0])  # the unit's columns follow in their order


def _units(history: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Unit, list[Seen]]]:
    """Per unit: its facts as last observed, and its observations one per date (rows of
    HISTORY_COLUMNS, the date first)."""
    for _, group in itertools.groupby(history, key=operator.itemgetter(_HSA_ID)):
        observed = list(group)
        seen = newest_per_day(
            Seen(
                r[0],
                frozenset(codes(r[_OFFERED])),
                frozenset(codes(r[_TEMPLATES])),
                r[_SOURCE] == "fil",
                r[_SOURCE] == REPORTED,
            )
            for r in observed
        )
        # the newest date's last recorded facts
        yield unit_of(dict(zip(UNIT_COLUMNS, observed[-1][_FACTS:], strict=True))), seen


def unit_of(values: dict[str, Any]) -> Unit:
    """A unit from an observation's columns: written only through the validated import, so
    built without validating again (a country's history is read on every report)."""
    for column in ("telefon_papper", "e_tjanster", "regionala_mallar"):
        values[column] = tuple(sorted(codes(values[column])))
    for column in ("vardutforande", "kontaktkort", "patientkontakt", "bokar_besok"):
        values[column] = bool(values[column])
    if values["avtalsanalys_klar"] is not None:
        values["avtalsanalys_klar"] = bool(values["avtalsanalys_klar"])
    return Unit.model_construct(**values)


def requirement(
    unit: Unit, decision: InForce | None, cat: Catalog, recommended: Recommendations
) -> Requirement | None:
    """What is asked of the unit: by its decision in force, or else by the recommendation
    for its facts as observed; None when it is out of scope."""
    if decision is None:
        rec = recommended(unit)
        if rec.outcome == "ej_omfattad":
            return None
        return Requirement(rec.required, (), "forslag")
    if decision.outcome == "ej_omfattad":
        return None
    scope = decision.exemption.get("scope", "ingen")
    if decision.outcome == "undantagen" or scope == "hela_enheten":
        everything = recommend(unit, cat, recommended.today, decision.variant).required
        return Requirement((), everything, "beslut")
    exempted = tuple(decision.exemption.get("case_types", ())) if scope == "per_arendetyp" else ()
    return Requirement(decision.required, exempted, "beslut")


def has_template(cat: Catalog) -> Callable[[str], bool]:
    """Only a case type the catalog has a regional template for can be on one."""
    return lambda case_type: cat.template(case_type) is not None
