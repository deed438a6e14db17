"""The roll-out's figures as of an earlier date or moment, worked out over whole columns.

The same figures as `summarize(read_history(...))` (rollout_history.py, where the policy is
read unit by unit with the domain's functions; a property test holds the two equal over
generated registers: tests/integration/test_rollout_agreement.py), in a second rather than
several on a country's register: the observations are read as six narrow columns, each
unit's interval per case type found with numpy over the whole history at once (the first
observation with the e-service in each unit's run, the one before it, the newest), and the
figures counted with `bincount`. What is asked of a unit (its decision in force, or the
recommendation for its facts) is the history's own function, once per distinct set of facts
and decision."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logic.clock import end_of_day
from logic.domain.catalog import Catalog
from logic.domain.codes import MINIMUM
from logic.domain.rollout import STATUSES, Progress, Requirement
from logic.domain.rollout_summary import (
    LATE_LIMIT,
    LateUnit,
    Summary,
    Tally,
    UnitTally,
    longest_late,
)
from logic.domain.rules import FACTS, Recommendations
from logic.readmodels.rollout_history import requirement, unit_of
from logic.store import readmodel_rollout as history_rows
from logic.store.readmodel_rollout import InForce
from logic.store.rows import codes, utc
from logic.store.store import Tx
from logic.store.units import UNIT_COLUMNS

NONE = -1  # no date (dates are ordinals)
ON_TIME = ("ja", "nej", "okant", "")
FORSENAT, UNDANTAGET = STATUSES.index("forsenat"), STATUSES.index("undantaget")
COLUMN = {name: i for i, name in enumerate(UNIT_COLUMNS)}
FACTS_OF = operator.itemgetter(*(COLUMN[name] for name in FACTS))


@dataclass(frozen=True)
class History:
    """The observations up to the date, one per unit and date (the last recorded that day),
    by unit and then date: per observation its unit (index into `hsa_ids`), date (ordinal;
    `day_code` into `days`), e-services offered and on the template (codes into the
    distinct lists), and whether it was a file (a point on the curve)."""

    hsa_ids: list[str]
    newest_ids: list[int]  # each unit's newest observation: its facts as last observed
    unit: np.ndarray
    starts: np.ndarray  # each unit's first observation
    last: np.ndarray  # and its newest
    day_code: np.ndarray
    days: np.ndarray
    offered: tuple[np.ndarray, Sequence[str]]
    templates: tuple[np.ndarray, Sequence[str]]
    counted: np.ndarray

    @property
    def day(self) -> np.ndarray:
        return self.days[self.day_code]

    def having(self, case_type: str, templates: bool = False) -> np.ndarray:
        """Per observation: is the case type among those offered (or on the template)?"""
        code, values = self.templates if templates else self.offered
        return np.array([case_type in codes(v) for v in values], dtype=bool)[code]


@dataclass(frozen=True)
class Asked:
    """Per unit of the history: what is asked of it (none of one out of scope or of another
    administration), its name, administration and whether a decision is in force."""

    names: list[str]
    administration: np.ndarray  # index into `administrations`
    administrations: list[str]
    decided: np.ndarray
    basis: list[str]  # "beslut" or "forslag", per unit
    required: dict[str, np.ndarray]  # per case type, bool per unit
    exempted: dict[str, np.ndarray]  # exempted and not required


@dataclass
class Figures:
    """The counts, added up case type by case type."""

    units: int
    tallies: dict[tuple[object, ...], int] = field(default_factory=dict)
    kontakt: dict[tuple[str, int], int] = field(default_factory=dict)
    points: dict[tuple[int, str, str], list[int]] = field(default_factory=dict)
    shown: np.ndarray = field(init=False)
    exempt: np.ndarray = field(init=False)
    late: list[np.ndarray] = field(default_factory=list)  # per case type, bool per unit
    since: np.ndarray = field(init=False)  # the earliest deadline passed, per late unit

    def __post_init__(self) -> None:
        self.shown = np.zeros(self.units, dtype=bool)
        self.exempt = np.zeros(self.units, dtype=bool)
        self.since = np.full(self.units, np.iinfo(np.int64).max)


def history_summary(
    tx: Tx,
    made_at: dt.datetime,
    as_of: dt.date,
    known_at: dt.datetime | None,
    forvaltning: str | None,
    cat: Catalog,
    late_limit: int = LATE_LIMIT,
) -> Summary:
    known_at = utc(known_at) if known_at is not None else made_at
    decided_by = min(end_of_day(as_of), known_at)
    seen = history_rows.seen_columns(tx, as_of, known_at)
    if not len(seen):
        return Summary(as_of, known_at, made_at, forvaltning, [], [], [], [], [], cat.version)
    history = _history(seen)
    asked = _asked(tx, history, as_of, decided_by, forvaltning, cat)
    case_types = sorted(asked.required)
    figures = Figures(len(history.hsa_ids))
    for case_type in case_types:
        _count(case_type, history, asked, as_of, cat, figures)
    waiting = {hsa_id for (hsa_id,) in history_rows.waiting_rows(tx, decided_by)}
    late, late_total = _late_units(history, asked, case_types, figures, late_limit)
    progress = [
        Progress(_date(d), f, c, *counts) for (d, f, c), counts in sorted(figures.points.items())
    ]
    return Summary(
        as_of,
        known_at,
        made_at,
        forvaltning,
        sorted(Tally(*key, n) for key, n in figures.tallies.items()),  # type: ignore[arg-type]
        _unit_tallies(history, asked, figures, waiting),
        late,
        progress,
        sorted({p.observed for p in progress}),
        cat.version,
        late_total,
        sorted((f, _date(d), n) for (f, d), n in figures.kontakt.items()),
    )


def _history(seen: pa.Table) -> History:
    """From the observations' columns (history_rows.SEEN) by unit, date and id."""
    hsa_id = seen["hsa_id"].combine_chunks()
    new_unit = np.append(True, pc.not_equal(hsa_id[1:], hsa_id[:-1]).to_numpy(False))
    unit = np.cumsum(new_unit) - 1
    observed = pc.dictionary_encode(seen["observed"].combine_chunks())
    day_code = observed.indices.to_numpy()
    # of two observations of a unit on one date, the one recorded last (newest_per_day)
    keep = np.append((unit[1:] != unit[:-1]) | (day_code[1:] != day_code[:-1]), True)
    kept = seen.filter(pa.array(keep))
    unit, day_code = unit[keep], day_code[keep]
    starts = np.flatnonzero(np.append(True, unit[1:] != unit[:-1]))
    last = np.append(starts[1:], len(unit)) - 1
    days = [dt.date.fromisoformat(d).toordinal() for d in observed.dictionary.to_pylist()]
    return History(
        hsa_id.filter(pa.array(new_unit)).to_pylist(),
        kept["id"].to_numpy()[last].tolist(),
        unit,
        starts,
        last,
        day_code,
        np.array(days, dtype=int),
        _codes(kept["e_tjanster"]),
        _codes(kept["regionala_mallar"]),
        pc.equal(kept["source"], "fil").to_numpy(),
    )


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """A column as codes into its distinct values (as pandas.factorize gives them)."""
    encoded = pc.dictionary_encode(column.combine_chunks())
    return encoded.indices.to_numpy(), encoded.dictionary.to_pylist()


def _asked(
    tx: Tx,
    history: History,
    as_of: dt.date,
    decided_by: dt.datetime,
    forvaltning: str | None,
    cat: Catalog,
) -> Asked:
    """What is asked of each unit as of the date (the history's `requirement`)."""
    facts = {row[0]: row for row in history_rows.facts_of(tx, history.newest_ids)}
    in_force = history_rows.decisions_in_force(tx, decided_by)
    recommended = Recommendations(cat, as_of)
    known: dict[Hashable, int] = {}  # a distinct requirement's index in `asks`
    asks: list[Requirement | None] = []
    administrations: dict[str, int] = {}
    names, administration, decided, which = [], [], [], []
    for hsa_id in history.hsa_ids:
        row = facts[hsa_id]
        decision = in_force.get(hsa_id)
        name = row[COLUMN["forvaltning"]]
        key = (FACTS_OF(row), _decision_key(decision), forvaltning in (None, name))
        if key not in known:  # once per distinct set of facts and decision
            unit = unit_of(dict(zip(UNIT_COLUMNS, row, strict=True)))
            known[key] = len(asks)
            asks.append(requirement(unit, decision, cat, recommended) if key[2] else None)
        which.append(known[key])
        names.append(row[COLUMN["namn"]])
        administration.append(administrations.setdefault(name, len(administrations)))
        decided.append(decision is not None)
    case_types = sorted({c for a in asks if a for c in (*a.required, *a.exempted)})
    index = np.array(which, dtype=np.int64)

    def per_unit(holds: list[bool]) -> np.ndarray:  # from each distinct requirement's
        return np.array(holds, dtype=bool)[index]

    return Asked(
        names,
        np.array(administration, dtype=np.int64),
        list(administrations),
        np.array(decided, dtype=bool),
        [asks[i].basis if asks[i] else "" for i in which],  # type: ignore[union-attr]
        {c: per_unit([a is not None and c in a.required for a in asks]) for c in case_types},
        {
            c: per_unit([a is not None and c in a.exempted and c not in a.required for a in asks])
            for c in case_types
        },
    )


def _decision_key(decision: InForce | None) -> Hashable:
    """All a decision in force says (what is asked of the unit depends on it)."""
    if decision is None:
        return None
    exemption = tuple(sorted((k, repr(v)) for k, v in decision.exemption.items()))
    return (decision.outcome, decision.variant, decision.required, exemption)


def _count(
    case_type: str,
    history: History,
    asked: Asked,
    as_of: dt.date,
    cat: Catalog,
    figures: Figures,
) -> None:
    """One case type's rows (rollout.unit_rows), tallied, and its points on the curve."""
    day, last, size = history.day, history.last, len(history.unit)
    has = history.having(case_type)
    if cat.template(case_type) is not None:
        templated_there = history.having(case_type, templates=True)
    else:
        templated_there = np.zeros(size, dtype=bool)
    # rollout.interval: the first observation with it, the one before that, the newest
    first = np.minimum.reduceat(np.where(has, np.arange(size), size), history.starts)
    seen = first < size
    senast = np.where(seen, day[np.minimum(first, size - 1)], NONE)
    efter = np.where(seen & (first > history.starts), day[np.maximum(first - 1, 0)], NONE)
    in_place = has[last]
    on_template = in_place & templated_there[last]
    exempted = asked.exempted[case_type]
    rows = asked.required[case_type] | exempted
    deadlines = np.array(
        [_ordinal(cat.deadline(case_type, f)) for f in asked.administrations], dtype=np.int64
    )
    frist = np.where(exempted, NONE, deadlines[asked.administration])
    status = np.select(  # rollout.status, as an index into STATUSES
        [exempted, on_template, in_place, frist == NONE, frist < as_of.toordinal()],
        [UNDANTAGET, 0, 1, STATUSES.index("ej_planerat"), FORSENAT],
        STATUSES.index("planerat"),
    )
    on_time = np.select(  # rollout.on_time, as an index into ON_TIME
        [
            frist == NONE,
            seen & (senast <= frist),
            seen & (efter != NONE) & (efter >= frist),
            seen,
            day[last] >= frist,
        ],
        [3, 0, 1, 2, 1],
        2,
    )
    late = rows & (status == FORSENAT)
    figures.shown |= rows
    figures.exempt |= exempted  # an exempted case type is a row
    figures.late.append(late)
    figures.since = np.where(late, np.minimum(figures.since, frist), figures.since)

    # tallies.tallies: rows by administration, status, on time and template
    key = ((asked.administration * 6 + status) * 4 + on_time) * 2 + on_template
    found = np.bincount(key[rows], minlength=len(asked.administrations) * 48)
    for k in np.flatnonzero(found):
        f, rest = divmod(int(k), 48)
        s, rest = divmod(rest, 8)
        t, m = divmod(rest, 2)
        name = asked.administrations[f]
        due = None if s == UNDANTAGET or deadlines[f] == NONE else _date(int(deadlines[f]))
        scope = cat.deadline_scope(case_type, name) if due else ""
        tally = (name, case_type, STATUSES[s], ON_TIME[t], bool(m), due, scope)
        figures.tallies[tally] = int(found[k])

    if case_type == MINIMUM:  # in place (not exempted), by the first observation with it
        since = rows & ~exempted & in_place
        pairs = asked.administration[since] * 10**7 + senast[since]
        for k, n in zip(*np.unique(pairs, return_counts=True), strict=True):
            f, d = divmod(int(k), 10**7)
            figures.kontakt[(asked.administrations[f], d)] = int(n)

    # rollout.progress: each file's units required to have it, with it, on the template
    curve = history.counted & asked.required[case_type][history.unit]
    there = has & curve
    admin = asked.administration[history.unit]
    n_admin = len(asked.administrations)
    per_day = len(history.days) * n_admin
    counts = [
        np.bincount(history.day_code[w] * n_admin + admin[w], minlength=per_day)
        for w in (curve, there, there & templated_there)
    ]
    for k in np.flatnonzero(counts[0]):
        d, f = divmod(int(k), n_admin)
        point = (int(history.days[d]), asked.administrations[f], case_type)
        figures.points[point] = [int(c[k]) for c in counts]


def _late_units(
    history: History, asked: Asked, case_types: list[str], figures: Figures, limit: int
) -> tuple[list[LateUnit], dict[str, int]]:
    """Each unit lacking e-services past their deadlines (which, since the earliest), the
    longest late first, at most `limit` per administration, and how many in each: as
    `longest_late` gives them, with only the units that can be among the first `limit` of
    their administration made and sorted (tens of thousands late in a country's register)."""
    if not case_types:
        return [], {}
    late = np.stack(figures.late)  # case type by unit
    # the units lacking the same case types share one tuple: each distinct set found once
    packed = np.ascontiguousarray(np.packbits(late, axis=0).T)
    _, first, which = np.unique(
        packed.view(np.dtype((np.void, packed.shape[1]))).ravel(),
        return_index=True,
        return_inverse=True,
    )
    lacks = [tuple(c for i, c in enumerate(case_types) if late[i, u]) for u in first]
    units = np.flatnonzero(late.any(axis=0))
    administration = asked.administration[units]
    counts = np.bincount(administration, minlength=len(asked.administrations))
    candidates = []
    for a in np.flatnonzero(counts):
        mine = units[administration == a]
        if len(mine) > limit:  # late since no later than the limit-th: the names decide
            since = figures.since[mine]
            mine = mine[since <= np.partition(since, limit - 1)[limit - 1]]
        if len(mine) > limit:  # late as long: the first in late_order (one administration's)
            since = dict(zip(mine.tolist(), figures.since[mine].tolist(), strict=True))
            mine = np.array(
                sorted(since, key=lambda k: (since[k], asked.names[k], history.hsa_ids[k]))[:limit]
            )
        candidates.extend(mine.tolist())
    found = [
        LateUnit(
            history.hsa_ids[k],
            asked.names[k],
            asked.administrations[asked.administration[k]],
            lacks[int(which[k])],
            _date(int(figures.since[k])),
            asked.basis[k],
        )
        for k in candidates
    ]
    kept, _ = longest_late(found, limit)
    named = {asked.administrations[a]: int(counts[a]) for a in np.flatnonzero(counts)}
    # in the order longest_late counts them: by each administration's longest late unit
    return kept, {f: named[f] for f in dict.fromkeys(u.forvaltning for u in kept)}


def _unit_tallies(
    history: History, asked: Asked, figures: Figures, waiting: set[str]
) -> list[UnitTally]:
    """Per administration with a unit shown: units, decided, waiting, late, exempted."""
    waits = np.array([h in waiting for h in history.hsa_ids], dtype=bool) & ~asked.decided
    late = np.logical_or.reduce(figures.late) if figures.late else figures.shown & False
    size = len(asked.administrations)

    def count(which: np.ndarray) -> np.ndarray:
        return np.bincount(asked.administration[figures.shown & which], minlength=size)

    every, decided, waited, lates, exempted = (
        count(w) for w in (figures.shown, asked.decided, waits, late, figures.exempt)
    )
    return [
        UnitTally(name, *(int(n[f]) for n in (every, decided, waited, lates, exempted)))
        for name, f in sorted((n, f) for f, n in enumerate(asked.administrations))
        if every[f]
    ]


def _ordinal(day: dt.date | None) -> int:
    return NONE if day is None else day.toordinal()


def _date(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)
