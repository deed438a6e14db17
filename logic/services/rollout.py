"""The roll-out as of a date, as known at a moment: per unit and case type required of it,
its status, when it was put in place and whether on time; and the progress over time. Read
from the append-only observations and approvals, so a report as of last quarter, known at
the moment it was first made, comes out the same after older observations are imported."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from logic.domain.auth import User
from logic.domain.catalog import Catalog
from logic.domain.codes import CaseType
from logic.domain.models import Unit
from logic.domain.rollout import (
    Progress,
    Requirement,
    RolloutRow,
    Seen,
    Status,
    newest_per_day,
    progress,
    unit_rows,
)
from logic.domain.rules import recommend
from logic.files import export
from logic.files import rollout_report as rollout_report_file
from logic.files.export import Profile
from logic.files.reference_data import catalog
from logic.files.rollout_export import ROLLOUT_HEADERS, rollout_cells
from logic.presentation.rollout_report import report_content
from logic.services.register import ExportFile
from logic.services.unit_of_work import unit_of_work
from logic.services.units import Recommendations
from logic.settings import settings
from logic.store import readmodel_rollout as rollout_rows
from logic.store.readmodel_rollout import InForce
from logic.store.rows import codes, utc
from logic.store.store import Store, Tx
from logic.store.units import unit_from


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


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of a day in the region's time zone, in UTC."""
    tz = ZoneInfo(settings().timezone)
    start_next = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return (start_next - dt.timedelta(microseconds=1)).astimezone(dt.UTC)


def read_rollout(
    store: Store,
    user: User,
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    forvaltning: str | None = None,
    cat: Catalog | None = None,
) -> Rollout:
    """The roll-out as of the end of `as_of`: the observations dated on or before it and the
    decisions in force then, only as recorded by `known_at` (default: now)."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        return _read(work.tx, store.clock(), as_of, known_at, forvaltning, cat or catalog())


def _read(
    tx: Tx,
    made_at: dt.datetime,
    as_of: dt.date,
    known_at: dt.datetime | None,
    forvaltning: str | None,
    cat: Catalog,
    hsa_id: str | None = None,
) -> Rollout:
    known_at = utc(known_at) if known_at is not None else made_at
    decided_by = min(end_of_day(as_of), known_at)
    recommended = Recommendations(cat, as_of)
    in_force = rollout_rows.decisions_in_force(tx, decided_by, hsa_id)
    waiting = rollout_rows.waiting_for_approval(tx, decided_by)
    dates = rollout_rows.observation_dates(tx, as_of, known_at)
    rows: list[RolloutRow] = []
    counts: dict[tuple[dt.date, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    history = rollout_rows.observation_history(tx, as_of, known_at, hsa_id)
    for unit, seen in _units(history):
        if forvaltning is not None and unit.forvaltning != forvaltning:
            continue
        requirement = _requirement(unit, in_force.get(unit.hsa_id), cat, recommended)
        if requirement is None:
            continue  # out of scope
        mine = unit_rows(
            unit.hsa_id,
            unit.namn,
            unit.forvaltning,
            seen,
            requirement,
            lambda case_type, f=unit.forvaltning: cat.deadline(case_type, f),
            as_of,
        )
        rows += mine
        for key, (n, there, templated) in progress(seen, mine, dates):
            total = counts[key]
            total[0] += n
            total[1] += there
            total[2] += templated
    rows.sort(key=lambda r: (r.forvaltning, r.enhet, r.hsa_id, r.arendetyp))
    points = [Progress(*key, *total) for key, total in sorted(counts.items())]
    shown = {r.hsa_id for r in rows}
    return Rollout(
        as_of,
        known_at,
        made_at,
        forvaltning,
        rows,
        dates,
        points,
        cat.version,
        frozenset(waiting & shown),
    )


def unit_rollout(store: Store, user: User, hsa_id: str, as_of: dt.date) -> list[RolloutRow]:
    """One unit's roll-out per case type as of a date (the register's unit detail)."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        return _read(work.tx, store.clock(), as_of, None, None, catalog(), hsa_id).rows


class RolloutFilter(BaseModel):
    """Which rows of the roll-out an export holds (the page's and the command line's)."""

    model_config = ConfigDict(frozen=True)

    forvaltning: str | None = None
    arendetyp: CaseType | None = None
    status: Status | None = None

    def keeps(self, row: RolloutRow) -> bool:
        return (self.arendetyp is None or row.arendetyp == self.arendetyp) and (
            self.status is None or row.status == self.status
        )


def export_rollout(
    store: Store,
    user: User,
    profile: Profile,
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    f: RolloutFilter | None = None,
    deliver: Callable[[bytes], None] | None = None,
    cat: Catalog | None = None,
) -> ExportFile:
    """The roll-out's rows as a file for machines (ROLLOUT_COLUMNS), recorded in the audit
    log with who, the date, the moment known at, the filter, the rows and the SHA-256; with
    `deliver`, recorded only once the file has been delivered whole."""
    f = f or RolloutFilter()
    with unit_of_work(store, user, "export") as work:
        read = _read(work.tx, store.clock(), as_of, known_at, f.forvaltning, cat or catalog())
        rows = [r for r in read.rows if f.keeps(r)]
        data = export.render_table(ROLLOUT_HEADERS, list(rollout_cells(rows)), profile)
        digest = export.sha256(data)
        if deliver is not None:
            deliver(data)  # raises on failure: the transaction, and so the record, is undone
        work.tx.append_audit(
            work.user.email,
            "export_rollout",
            {
                "as_of": as_of.isoformat(),
                "known_at": read.known_at.isoformat(),
                "filter": f.model_dump(exclude_none=True),
                "profile": profile,
                "rows": len(rows),
                "sha256": digest,
            },
        )
    return ExportFile(
        data,
        f"inforande-{as_of.isoformat()}.{export.EXTENSIONS[profile]}",
        export.MEDIA_TYPES[profile],
        len(rows),
        digest,
    )


def _units(history: Iterator[Any]) -> Iterator[tuple[Unit, list[Seen]]]:
    """Per unit: its facts as last observed, and its observations one per date."""
    for _, group in itertools.groupby(history, key=lambda row: row.hsa_id):
        observed = list(group)
        seen = newest_per_day(
            Seen(r.observed, frozenset(codes(r.e_tjanster)), frozenset(codes(r.regionala_mallar)))
            for r in observed
        )
        yield unit_from(observed[-1]), seen  # the newest date's last recorded facts


def _requirement(
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
        everything = recommend(unit, cat, variant=decision.variant).required
        return Requirement((), everything, "beslut")
    exempted = tuple(decision.exemption.get("case_types", ())) if scope == "per_arendetyp" else ()
    return Requirement(decision.required, exempted, "beslut")


def rollout_report(
    store: Store,
    user: User,
    fmt: str,
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    forvaltning: str | None = None,
    lang: str = "sv",
    deliver: Callable[[bytes], None] | None = None,
    cat: Catalog | None = None,
) -> ExportFile:
    """The report for the regional management and the administrations' follow-up, as PDF
    or XLSX: the region and one part per administration, as of a date and as known at a
    moment; recorded in the audit log like every export (with `deliver`, once delivered)."""
    cat = cat or catalog()
    tz = ZoneInfo(settings().timezone)
    with unit_of_work(store, user, "export") as work:
        read = _read(work.tx, store.clock(), as_of, known_at, forvaltning, cat)
        data = rollout_report_file.render(report_content(read, cat, lang, tz), fmt, lang)
        digest = export.sha256(data)
        if deliver is not None:
            deliver(data)
        work.tx.append_audit(
            work.user.email,
            "rollout_report",
            {
                "as_of": as_of.isoformat(),
                "known_at": read.known_at.isoformat(),
                "forvaltning": forvaltning,
                "format": fmt,
                "units": len({r.hsa_id for r in read.rows}),
                "sha256": digest,
            },
        )
    return ExportFile(
        data,
        f"inforande-rapport-{as_of.isoformat()}.{fmt}",
        rollout_report_file.MEDIA_TYPES[fmt],
        len(read.rows),
        digest,
    )
