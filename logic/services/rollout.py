"""The roll-out as the pages, exports and reports read it: as of a date, as known at a
moment (the read models in logic/readmodels work it out); its export and its report, each
on the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict

from logic import collector
from logic.clock import local_day, region
from logic.domain.auth import User
from logic.domain.catalog import Catalog
from logic.domain.codes import CaseType
from logic.domain.management_summary import ManagementSummary, management_summary
from logic.domain.rollout import RolloutRow, RolloutStatus
from logic.domain.rollout_summary import Summary
from logic.files import arrow_csv, export
from logic.files import rollout_report as rollout_report_file
from logic.files.export import ExportFile, Profile
from logic.files.rollout_export import ROLLOUT_HEADERS, rollout_cells
from logic.readmodels.follow_up import reviews_due
from logic.readmodels.rollout_history import Rollout, read_history
from logic.readmodels.rollout_summary import is_now, projection_serves
from logic.readmodels.rollout_summary import read_summary as read_summary_of
from logic.services.unit_of_work import unit_of_work
from logic.store import readmodel_rollout_export as now_rows
from logic.store.store import Store, Tx

__all__ = [
    "Rollout",
    "RolloutFilter",
    "catalog_as_of",
    "export_rollout",
    "read_rollout",
    "read_summary",
    "rollout_report",
    "unit_rollout",
]


class RolloutFilter(BaseModel):
    """Which rows of the roll-out an export holds (the page's and the command line's)."""

    model_config = ConfigDict(frozen=True)

    forvaltning: str | None = None
    arendetyp: CaseType | None = None
    status: RolloutStatus | None = None

    def keeps(self, row: RolloutRow) -> bool:
        return (self.arendetyp is None or row.arendetyp == self.arendetyp) and (
            self.status is None or row.status == self.status
        )


def read_rollout(
    store: Store,
    user: User,
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    forvaltning: str | None = None,
) -> Rollout:
    """Every row of the roll-out as of the end of `as_of` (observations dated on or before
    it, decisions in force then), only as recorded by `known_at` (default: now)."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        return read_history(
            work.tx, work.now, as_of, known_at, forvaltning, work.catalog_on(as_of, known_at)
        )


def catalog_as_of(
    store: Store, user: User, as_of: dt.date, known_at: dt.datetime | None = None
) -> Catalog:
    """The catalog the roll-out as of a date (as known at a moment) is read under: its
    templates, timetables and policy date, as the page names them."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        return work.catalog_on(as_of, known_at)


def unit_rollout(store: Store, user: User, hsa_id: str, as_of: dt.date) -> list[RolloutRow]:
    """One unit's roll-out per case type as of a date (the register's unit detail)."""
    with unit_of_work(store, user, "read_register", readonly=True, unit=hsa_id) as work:
        cat = work.catalog_on(as_of)
        return read_history(work.tx, work.now, as_of, None, None, cat, [hsa_id]).rows


def read_summary(
    store: Store,
    user: User,
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    forvaltning: str | None = None,
) -> Summary:
    """The roll-out's figures as of a date, as known at a moment (default: now)."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        cat = work.catalog_on(as_of, known_at)
        return read_summary_of(work.tx, work.now, as_of, known_at, forvaltning, cat)


def management(
    store: Store,
    user: User,
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    forvaltning: str | None = None,
) -> ManagementSummary:
    """The managers' summary as of a date, as known at a moment (default: now): the same
    figures as the roll-out's, with the reviews due from the register when it is now."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        cat = work.catalog_on(as_of, known_at)
        summary = read_summary_of(work.tx, work.now, as_of, known_at, forvaltning, cat)
        return _management(work.tx, summary, work.now, known_at, forvaltning)


def _management(
    tx: Tx,
    summary: Summary,
    made_at: dt.datetime,
    known_at: dt.datetime | None,
    forvaltning: str | None,
) -> ManagementSummary:
    now = is_now(made_at, summary.as_of, known_at)
    reviews = reviews_due(tx, forvaltning, local_day(made_at)) if now else None
    return management_summary(summary, reviews)


def export_rollout(
    store: Store,
    user: User,
    profile: Profile,
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    f: RolloutFilter | None = None,
    deliver: Callable[[bytes], None] | None = None,
) -> ExportFile:
    """The roll-out's rows as a file for machines (ROLLOUT_COLUMNS), recorded in the audit
    log with who, the date, the moment known at, the filter, the rows and the SHA-256; with
    `deliver`, recorded only once the file has been delivered whole."""
    f = f or RolloutFilter()
    filtered = (f.forvaltning, f.arendetyp, f.status)
    counted = [0]

    def counting(cells: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for row in cells:
            counted[0] += 1
            yield row

    with collector.paused(), unit_of_work(store, user, "export") as work:
        made_at = work.tx.snapshot_moment()  # no writer half way before it
        cat = work.catalog_on(as_of, known_at)
        now = is_now(made_at, as_of, known_at) and projection_serves(work.tx, cat)
        as_text = now and profile != "xlsx"  # a spreadsheet gets dates as dates
        # the roll-out now, all text, written over whole columns (arrow_csv)
        table = None
        if as_text:
            cells = now_rows.rows_now(work.tx, as_of, *filtered, dates_as_text=True)
            table = arrow_csv.table_of(cells, len(ROLLOUT_HEADERS))
        if table is not None:
            data = arrow_csv.to_csv(ROLLOUT_HEADERS, table, profile)
            counted[0] = table.num_rows
        else:  # a spreadsheet, an earlier date, or a cell that is not text
            if now:
                cells = now_rows.rows_now(work.tx, as_of, *filtered, dates_as_text=as_text)
            else:
                read = read_history(work.tx, made_at, as_of, known_at, f.forvaltning, cat)
                cells = rollout_cells(r for r in read.rows if f.keeps(r))
            data = export.render_table(ROLLOUT_HEADERS, counting(cells), profile)
        digest = export.sha256(data)
        if deliver is not None:
            deliver(data)  # raises on failure: the transaction, and so the record, is undone
        work.tx.audit.append(
            work.user.email,
            "export_rollout",
            {
                "as_of": as_of.isoformat(),
                "known_at": (known_at or made_at).isoformat(),
                "filter": f.model_dump(exclude_none=True),
                "profile": profile,
                "rows": counted[0],
                "sha256": digest,
            },
        )
    return ExportFile(
        data,
        f"inforande-{as_of.isoformat()}.{export.EXTENSIONS[profile]}",
        export.MEDIA_TYPES[profile],
        counted[0],
        digest,
    )


def rollout_report(
    store: Store,
    user: User,
    fmt: str,
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    forvaltning: str | None = None,
    lang: str = "sv",
    deliver: Callable[[bytes], None] | None = None,
) -> ExportFile:
    """The report for the regional management and the administrations' follow-up, as PDF
    or XLSX: the region and one part per administration, as of a date and as known at a
    moment; recorded in the audit log like every export (with `deliver`, once delivered)."""
    with unit_of_work(store, user, "export") as work:
        made_at = work.tx.snapshot_moment()  # no writer half way before it
        cat = work.catalog_on(as_of, known_at)
        summary = read_summary_of(work.tx, made_at, as_of, known_at, forvaltning, cat)
        figures = _management(work.tx, summary, made_at, known_at, forvaltning)
        reported = work.tx.units.reported_count(as_of, summary.known_at, forvaltning)
        data = rollout_report_file.render_summary(
            summary, cat, fmt, lang, region(), figures, reported
        )
        digest = export.sha256(data)
        if deliver is not None:
            deliver(data)
        units = sum(u.units for u in summary.units)
        work.tx.audit.append(
            work.user.email,
            "rollout_report",
            {
                "as_of": as_of.isoformat(),
                "known_at": summary.known_at.isoformat(),
                "forvaltning": forvaltning,
                "format": fmt,
                "units": units,
                "sha256": digest,
            },
        )
    return ExportFile(
        data,
        rollout_report_file.report_name(as_of, forvaltning, known_at, fmt),
        rollout_report_file.MEDIA_TYPES[fmt],
        units,
        digest,
    )
