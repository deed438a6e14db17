"""A unit manager's report that an e-service is now in place at their unit, or was removed,
from a date: an observation of the unit (source `enhet`), kept beside the unit file's. It
counts in the roll-out as any observation does, and is shown as reported by the unit until
the next import of the unit file confirms or contradicts it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from logic.domain.errors import Refused

REPORTED = "enhet"  # the observations' source for a unit's own report


class ReportRefused(Refused):
    """`reason`: case_type (not a case type of the catalog), future (a date after today),
    older (before the unit's newest observation, which the register keeps), unchanged (the
    register already shows it so)."""

    def __init__(self, reason: str, **params: object):
        super().__init__(reason)
        self.reason, self.params = reason, params

    def words(self) -> tuple[str, dict[str, object]]:
        return f"report.refused.{self.reason}", dict(self.params)


def reported_facts(
    offered: tuple[str, ...], templates: tuple[str, ...], case_type: str, in_place: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The e-services the unit offers after the report, and those on the region's template,
    in the order kept: the case type added (in place) or taken away (removed, from the
    template too: a template is of an e-service offered); ReportRefused when that changes
    nothing."""
    if (case_type in offered) == in_place:
        raise ReportRefused("unchanged")
    if in_place:
        return (*offered, case_type), templates
    return tuple(c for c in offered if c != case_type), tuple(
        c for c in templates if c != case_type
    )


def check_day(day: dt.date, today: dt.date, newest: dt.date | None) -> None:
    """A report's date: today or earlier, and not before the unit's newest observation."""
    if day > today:
        raise ReportRefused("future", today=today.isoformat())
    if newest is not None and day < newest:
        raise ReportRefused("older", newest=newest.isoformat())


@dataclass(frozen=True)
class Reported:
    """A unit whose facts as the register shows them rest on its own report, not yet
    confirmed or contradicted by the unit file."""

    hsa_id: str
    observed: dt.date
    by: str  # who reported it (the unit's row's last writer)
