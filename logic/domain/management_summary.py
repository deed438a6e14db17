"""The managers' summary: the roll-out in the few figures a director reads in a minute, the
same on the Uppföljning page, in the report's first page and (row by row) in the roll-out
export. One definition of each figure, from the roll-out's figures (rollout_summary.py):

- a unit counts when something is required of it: by its decision in force, or, without
  one, by the proposal (the rules' recommendation for its facts), marked as such;
- in place means observed in place (the newest observation by the date);
- on time means in place by the deadline (for digital contact, 2022-09-30);
- exempted means exempted by a decision in force (a proposal never exempts);
- reviews are of decisions that stand (in force or waiting; a returned one is made again),
  from the register as it is now: a summary as of an earlier date or moment has none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields

from logic.domain.codes import CASE_TYPES, MINIMUM
from logic.domain.rollout import IN_PLACE, Progress
from logic.domain.rollout_summary import Summary, UnitTally

CHANGES = 3  # the largest changes since the previous observation, shown


@dataclass(frozen=True)
class Reviews:
    """Decisions that stand, due for review: overdue, and due within 90 days (not overdue)."""

    overdue: int
    within_90: int


@dataclass(frozen=True)
class Figures:
    """One administration's figures, or the region's (forvaltning "")."""

    forvaltning: str
    units: int  # units in the roll-out: something required of them, or exempted
    in_force: int  # counted on a decision in force
    on_proposal: int  # counted on the proposal, no decision in force yet
    waiting: int  # of those on the proposal, with a decision waiting for approval
    kontakt_required: int  # units required to have digital contact (not exempted)
    kontakt_in_place: int  # of them, observed in place
    kontakt_on_time: int  # of them, in place by the deadline
    kontakt_late: int  # of them, not in place by the deadline (known so)
    late: int  # units lacking any e-service past its deadline
    exempt: int  # units exempted from any e-service by a decision in force
    reviews: Reviews | None  # None: as of an earlier date or moment (not known then)


@dataclass(frozen=True)
class CaseTypeFigures:
    """One case type in the region (or the administration chosen): required, in place,
    late past the deadline, and the deadline when every unit with one has the same."""

    arendetyp: str
    required: int
    in_place: int
    late: int
    deadline: dt.date | None
    deadlines: int  # how many different deadlines the units have (0: no timetable)


@dataclass(frozen=True)
class Change:
    """Between the two newest observations: a case type's share in place at an
    administration, before and after."""

    forvaltning: str
    arendetyp: str
    before: dt.date
    after: dt.date
    in_place_before: int
    required_before: int
    in_place_after: int
    required_after: int

    @property
    def points(self) -> float:
        """The change in the share in place, in percentage points."""
        return share(self.in_place_after, self.required_after) - share(
            self.in_place_before, self.required_before
        )


@dataclass(frozen=True)
class Month:
    """Units whose digital contact the observations had shown in place by the end of a month
    (the first observation with it; counted from then on)."""

    month: dt.date  # its first day
    units: int


@dataclass(frozen=True)
class ManagementSummary:
    as_of: dt.date
    region: Figures
    administrations: list[Figures]
    case_types: list[CaseTypeFigures]
    changes: list[Change]
    kontakt_months: list[Month]  # every month from the first observation to as_of


def share(part: int, whole: int) -> float:
    """A share in percent, one decimal; 0 of 0 is 0."""
    return round(100 * part / whole, 1) if whole else 0.0


def management_summary(
    summary: Summary, reviews: dict[str, Reviews] | None = None
) -> ManagementSummary:
    """The figures of `summary`, per administration and for the region. `reviews` per
    administration, from the register now (None as of an earlier date or moment)."""
    kontakt: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for x in summary.tallies:
        if x.arendetyp != MINIMUM or x.status == "undantaget":
            continue
        mine = kontakt[x.forvaltning]
        mine["required"] += x.n
        mine["in_place"] += x.n if x.status in IN_PLACE else 0
        mine["on_time"] += x.n if x.i_tid == "ja" else 0
        mine["late"] += x.n if x.i_tid == "nej" else 0
    administrations = [_figures(u, kontakt[u.forvaltning], reviews) for u in summary.units]
    return ManagementSummary(
        summary.as_of,
        _region(administrations, reviews),
        administrations,
        _case_types(summary),
        largest_changes(summary.progress),
        kontakt_months(summary.kontakt_observed_since, summary.as_of),
    )


def _figures(u: UnitTally, kontakt: dict[str, int], reviews: dict[str, Reviews] | None) -> Figures:
    return Figures(
        forvaltning=u.forvaltning,
        units=u.units,
        in_force=u.beslut,
        on_proposal=u.units - u.beslut,
        waiting=u.waiting,
        kontakt_required=kontakt["required"],
        kontakt_in_place=kontakt["in_place"],
        kontakt_on_time=kontakt["on_time"],
        kontakt_late=kontakt["late"],
        late=u.late,
        exempt=u.exempt,
        reviews=None if reviews is None else reviews.get(u.forvaltning, Reviews(0, 0)),
    )


def _region(administrations: Sequence[Figures], reviews: dict[str, Reviews] | None) -> Figures:
    def total(name: str) -> int:
        return sum(getattr(f, name) for f in administrations)

    region_reviews = (  # every administration's, also one with no unit in the roll-out
        Reviews(
            sum(r.overdue for r in reviews.values()), sum(r.within_90 for r in reviews.values())
        )
        if reviews is not None
        else None
    )
    counted = [f.name for f in fields(Figures) if f.name not in ("forvaltning", "reviews")]
    return Figures("", **{name: total(name) for name in counted}, reviews=region_reviews)


def _case_types(summary: Summary) -> list[CaseTypeFigures]:
    required: dict[str, int] = defaultdict(int)
    in_place: dict[str, int] = defaultdict(int)
    late: dict[str, int] = defaultdict(int)
    deadlines: dict[str, set[dt.date | None]] = defaultdict(set)
    for x in summary.tallies:
        if x.status == "undantaget":
            continue
        required[x.arendetyp] += x.n
        in_place[x.arendetyp] += x.n if x.status in IN_PLACE else 0
        late[x.arendetyp] += x.n if x.status == "forsenat" else 0
        if x.frist is not None:
            deadlines[x.arendetyp].add(x.frist)
    return [
        CaseTypeFigures(
            code,
            required[code],
            in_place[code],
            late[code],
            next(iter(deadlines[code])) if len(deadlines[code]) == 1 else None,
            len(deadlines[code]),
        )
        for code in CASE_TYPES
        if required[code]
    ]


def largest_changes(progress: Sequence[Progress], count: int = CHANGES) -> list[Change]:
    """The `count` largest changes in a case type's share in place at an administration
    between the two newest observation dates (by size, then the larger group first)."""
    dates = sorted({p.observed for p in progress})
    if len(dates) < 2:
        return []
    before, after = dates[-2], dates[-1]
    at = {(p.observed, p.forvaltning, p.arendetyp): p for p in progress}
    changes = [
        Change(f, code, before, after, old.in_place, old.units, new.in_place, new.units)
        for (day, f, code), new in at.items()
        if day == after and (old := at.get((before, f, code))) is not None
    ]
    changes = [c for c in changes if c.points]
    changes.sort(key=lambda c: (-abs(c.points), -c.required_after, c.forvaltning, c.arendetyp))
    return changes[:count]


def kontakt_months(since: Sequence[tuple[str, dt.date, int]], as_of: dt.date) -> list[Month]:
    """Every month, none skipped, from the first observation showing digital contact to
    `as_of`: how many units had it by the month's end (cumulative)."""
    if not since:
        return []
    first = min(day for _, day, _ in since)
    months, month = [], first.replace(day=1)
    while month <= as_of:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    added: dict[dt.date, int] = defaultdict(int)
    for _, day, n in since:
        added[day.replace(day=1)] += n
    total, out = 0, []
    for month in months:
        total += added.get(month, 0)
        out.append(Month(month, total))
    return out
