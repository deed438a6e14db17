"""The roll-out in figures: what every table, chart and report of it is made from. Made in
SQL from the register's projection (the roll-out now) or here from a list of rows (as of an
earlier date, or as known at an earlier moment); the two agree (tests/integration)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from logic.domain.codes import MINIMUM
from logic.domain.rollout import IN_PLACE, Progress, RolloutRow


@dataclass(frozen=True, order=True)
class Tally:
    """How many unit-and-case-type rows share these values."""

    forvaltning: str
    arendetyp: str
    status: str
    i_tid: str
    mall: bool
    frist: dt.date | None
    frist_scope: str  # the administration whose own date it is; "" region-wide or policy
    n: int


@dataclass(frozen=True, order=True)
class UnitTally:
    """Per administration: units in scope; with a decision in force; counted on the
    proposal with a decision waiting for approval (so `waiting` is part of units - beslut);
    with any e-service late; exempted from any (only a decision in force exempts)."""

    forvaltning: str
    units: int
    beslut: int
    waiting: int
    late: int
    exempt: int = 0


@dataclass(frozen=True)
class LateUnit:
    """A unit lacking e-services past their deadlines: which, and since the earliest."""

    hsa_id: str
    enhet: str
    forvaltning: str
    lacks: tuple[str, ...]
    since: dt.date
    basis: str


@dataclass(frozen=True)
class Summary:
    as_of: dt.date
    known_at: dt.datetime
    made_at: dt.datetime
    forvaltning: str | None
    tallies: list[Tally]
    units: list[UnitTally]
    late: list[LateUnit]  # the longest late first; at most LATE_LIMIT per administration
    progress: list[Progress]
    dates: list[dt.date]
    catalog_version: str
    late_total: dict[str, int] = field(default_factory=dict)  # per administration
    # digital contact as observed, since when: per administration and the first observation
    # with it, units (not kontakt_since, the units table's: as the decisions say)
    kontakt_observed_since: list[tuple[str, dt.date, int]] = field(default_factory=list)


LATE_LIMIT = 500  # late units listed per administration; the rest are counted


def late_order(unit: LateUnit) -> tuple[dt.date, str, str, str]:
    return (unit.since, unit.forvaltning, unit.enhet, unit.hsa_id)


def tallies(rows: Iterable[RolloutRow], scope: dict[tuple[str, str], str]) -> list[Tally]:
    """`scope`: (case type, administration) -> frist_scope."""
    counts: Counter[tuple[object, ...]] = Counter(
        (
            r.forvaltning,
            r.arendetyp,
            r.status,
            r.i_tid,
            r.mall,
            r.frist,
            scope.get((r.arendetyp, r.forvaltning), "") if r.frist else "",
        )
        for r in rows
    )
    return sorted(Tally(*key, n) for key, n in counts.items())  # type: ignore[arg-type]


def unit_tallies(rows: Sequence[RolloutRow], waiting: frozenset[str]) -> list[UnitTally]:
    ids: dict[str, set[str]] = defaultdict(set)
    decided: dict[str, set[str]] = defaultdict(set)
    late: dict[str, set[str]] = defaultdict(set)
    exempt: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        ids[r.forvaltning].add(r.hsa_id)
        if r.basis == "beslut":
            decided[r.forvaltning].add(r.hsa_id)
        if r.status == "forsenat":
            late[r.forvaltning].add(r.hsa_id)
        if r.status == "undantaget":
            exempt[r.forvaltning].add(r.hsa_id)
    return [
        UnitTally(
            f,
            len(ids[f]),
            len(decided[f]),
            len((ids[f] - decided[f]) & waiting),
            len(late[f]),
            len(exempt[f]),
        )
        for f in sorted(ids)
    ]


def late_units(
    rows: Sequence[RolloutRow], limit: int = LATE_LIMIT
) -> tuple[list[LateUnit], dict[str, int]]:
    mine: dict[str, list[RolloutRow]] = defaultdict(list)
    for r in rows:
        if r.status == "forsenat":
            mine[r.hsa_id].append(r)
    found = [
        LateUnit(
            hsa_id,
            late[0].enhet,
            late[0].forvaltning,
            tuple(sorted(r.arendetyp for r in late)),
            min(r.frist for r in late if r.frist is not None),
            late[0].basis,
        )
        for hsa_id, late in mine.items()
    ]
    return longest_late(found, limit)


def longest_late(found: list[LateUnit], limit: int) -> tuple[list[LateUnit], dict[str, int]]:
    """The late units, the longest late first: at most `limit` per administration kept, and
    how many there are in each."""
    found.sort(key=late_order)
    kept: list[LateUnit] = []
    total: Counter[str] = Counter()
    for unit in found:
        total[unit.forvaltning] += 1
        if total[unit.forvaltning] <= limit:
            kept.append(unit)
    return kept, dict(total)


def kontakt_observed_since(rows: Iterable[RolloutRow]) -> list[tuple[str, dt.date, int]]:
    """Digital contact in place (required, not exempted), since when: per administration
    and the first observation of the run it has been in place since, how many units (one
    seen and then gone is not counted: the months add up to the units that have it)."""
    counts: Counter[tuple[str, dt.date]] = Counter(
        (r.forvaltning, r.infort_senast)
        for r in rows
        if r.arendetyp == MINIMUM and r.status in IN_PLACE and r.infort_senast is not None
    )
    return sorted((f, day, n) for (f, day), n in counts.items())
