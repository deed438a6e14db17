"""The roll-out of e-services, followed from observations of the units over time.

Every import of the unit file observes each unit's facts on a date. From one unit's
observations, per case type, when an e-service was first put in place is known only as an
interval: `efter` (the last observation before that without it; None when it was there at
the first) and `senast` (the first observation with it). Against a deadline (`frist`) that
says whether it was put in place on time (`i_tid`), and never more than the observations can
tell. One seen and then gone is flagged as removed. Pure functions: the store reads, the
services assemble.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

# A case type's roll-out status at a unit, as of a date (docs/user-guide.md, "Roll-out").
RolloutStatus = Literal[
    "infort_mall", "infort", "forsenat", "planerat", "ej_planerat", "undantaget"
]
STATUSES: tuple[RolloutStatus, ...] = (
    "infort_mall",
    "infort",
    "forsenat",
    "planerat",
    "ej_planerat",
    "undantaget",
)
IN_PLACE: tuple[RolloutStatus, ...] = ("infort_mall", "infort")  # the statuses "in place"
OnTime = Literal["ja", "nej", "okant", ""]  # "": no deadline to be on time for
Basis = Literal["beslut", "forslag"]  # the decision in force, or (none yet) the recommendation


class Seen(NamedTuple):
    """One observation of one unit: the e-services it offered and those on the region's
    template. A tuple: a unit's observations are hashed together (rollout_history.RowsFor)."""

    observed: dt.date
    offered: frozenset[str]
    templates: frozenset[str] = frozenset()
    counted: bool = True  # an import of the file (not a correction): a point on the curve
    reported: bool = False  # the unit's own report (Min enhet), not the unit file


@dataclass(frozen=True)
class Interval:
    """When one e-service was first put in place, as the observations bound it: `efter`, the
    last observation before the first with it (None when it was there at the first), and
    `senast`, the first observation with it. `in_place`: at the newest observation.
    `removed_*`: it was seen and is gone now (efter: the last observation with it; senast:
    the first without it after that)."""

    in_place: bool
    efter: dt.date | None = None
    senast: dt.date | None = None
    removed_efter: dt.date | None = None
    removed_senast: dt.date | None = None
    last_observed: dt.date | None = None

    @property
    def seen(self) -> bool:
        return self.senast is not None

    @property
    def removed(self) -> bool:
        return self.removed_efter is not None


def newest_per_day(history: Iterable[Seen]) -> list[Seen]:
    """One observation per date, in date order: of two on one date (a corrected file
    imported again), the later one, as the history lists them in the order recorded."""
    by_day: dict[dt.date, Seen] = {}
    for seen in history:
        by_day[seen.observed] = seen
    return [by_day[day] for day in sorted(by_day)]


def interval(history: Sequence[Seen], case_type: str) -> Interval:
    """The interval in which `case_type` was first put in place, from one unit's
    observations (one per date, in date order: newest_per_day), and whether it is gone."""
    if not history:
        return Interval(in_place=False)
    offered = [case_type in seen.offered for seen in history]
    last = history[-1].observed
    if not any(offered):
        return Interval(False, last_observed=last)
    first = offered.index(True)
    efter = history[first - 1].observed if first > 0 else None
    senast = history[first].observed
    if offered[-1]:
        return Interval(True, efter, senast, last_observed=last)
    final = max(i for i, there in enumerate(offered) if there)  # seen, then gone
    return Interval(
        False,
        efter,
        senast,
        removed_efter=history[final].observed,
        removed_senast=history[final + 1].observed,
        last_observed=last,
    )


def on_time(span: Interval, frist: dt.date | None) -> OnTime:
    """Was the e-service put in place by its deadline? `ja` only when it was seen by then,
    `nej` only when it was seen missing on or after it before it was first seen, else
    `okant`; "" without a deadline."""
    if frist is None:
        return ""
    if span.seen:
        assert span.senast is not None
        if span.senast <= frist:
            return "ja"
        if span.efter is not None and span.efter >= frist:
            return "nej"
        return "okant"
    if span.last_observed is not None and span.last_observed >= frist:
        return "nej"  # never seen, and seen missing on or after the deadline
    return "okant"


def status(
    span: Interval,
    on_template: bool,
    frist: dt.date | None,
    as_of: dt.date,
    exempted: bool = False,
) -> RolloutStatus:
    """A required (or exempted) case type's status at a unit as of a date."""
    if exempted:
        return "undantaget"
    if span.in_place:
        return "infort_mall" if on_template else "infort"
    if frist is None:
        return "ej_planerat"
    return "forsenat" if frist < as_of else "planerat"


class RolloutRow(NamedTuple):
    """One unit and one case type required of it (or exempted): the export's row. A tuple:
    units alike differ in HSA-id and name alone (`_replace`, rollout_history.RowsFor)."""

    hsa_id: str
    enhet: str
    forvaltning: str
    arendetyp: str
    status: RolloutStatus
    infort_efter: dt.date | None
    infort_senast: dt.date | None
    frist: dt.date | None
    i_tid: OnTime
    mall: bool
    basis: Basis
    removed_efter: dt.date | None = None
    removed_senast: dt.date | None = None
    rapport: dt.date | None = None  # rests on the unit's own report of this date


@dataclass(frozen=True)
class Requirement:
    """What is asked of one unit as of a date: the case types required and exempted, and
    whether by the decision in force or (none yet) by the recommendation."""

    required: tuple[str, ...]
    exempted: tuple[str, ...]
    basis: Basis


def unit_rows(
    hsa_id: str,
    enhet: str,
    forvaltning: str,
    history: Sequence[Seen],
    requirement: Requirement,
    deadline: Callable[[str], dt.date | None],
    as_of: dt.date,
    has_template: Callable[[str], bool] = lambda case_type: True,
) -> list[RolloutRow]:
    """A unit's roll-out rows, one per required or exempted case type, by case type code.
    `history`: its observations up to `as_of`, one per date (newest_per_day)."""
    newest = history[-1] if history else Seen(as_of, frozenset())
    rows = []
    for case_type in sorted(set(requirement.required) | set(requirement.exempted)):
        exempted = case_type in requirement.exempted and case_type not in requirement.required
        span = interval(history, case_type)
        frist = None if exempted else deadline(case_type)
        on_template = span.in_place and case_type in newest.templates and has_template(case_type)
        rows.append(
            RolloutRow(
                hsa_id=hsa_id,
                enhet=enhet,
                forvaltning=forvaltning,
                arendetyp=case_type,
                status=status(span, on_template, frist, as_of, exempted),
                infort_efter=span.efter,
                infort_senast=span.senast,
                frist=frist,
                i_tid=on_time(span, frist),
                mall=on_template,
                basis=requirement.basis,
                removed_efter=span.removed_efter,
                removed_senast=span.removed_senast,
                rapport=newest.observed if newest.reported else None,
            )
        )
    return rows


@dataclass(frozen=True)
class Progress:
    """At one observation date, for one administration and case type: of the units required
    to have it (observed by then), how many had it in place and how many on the template."""

    observed: dt.date
    forvaltning: str
    arendetyp: str
    units: int
    in_place: int
    on_template: int


def progress(
    history: Sequence[Seen],
    rows: Sequence[RolloutRow],
    has_template: Callable[[str], bool] = lambda case_type: True,
) -> Iterable[tuple[tuple[dt.date, str, str], tuple[int, int, int]]]:
    """One unit's part of the progress over time: on each date it was observed, for each
    case type required of it (not exempted), (1, in place?, on template?), keyed by (date,
    administration, case type). The caller adds them up; a unit not observed on a date
    counts on no side of it (a file of some units only says nothing of the others), nor does
    a correction approved with a decision."""
    required = [r for r in rows if r.status != "undantaget"]
    for seen in history:
        if not seen.counted:
            continue
        for row in required:
            there = row.arendetyp in seen.offered
            templated = there and row.arendetyp in seen.templates and has_template(row.arendetyp)
            yield (
                (seen.observed, row.forvaltning, row.arendetyp),
                (1, int(there), int(templated)),
            )
