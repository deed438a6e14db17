"""The roll-out report for the regional management (RHSL) and each administration's
follow-up, as content: a region summary and one section per administration, each with its
tables and charts, in the chosen language. logic/files/rollout_report.py lays it out as PDF
or XLSX."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd

from logic.domain.catalog import Catalog
from logic.domain.codes import MINIMUM
from logic.domain.rollout import RolloutRow
from logic.i18n import t
from logic.presentation import rollout_charts as charts
from logic.presentation import rollout_frames as rf

LATE_LISTED = 200  # late units listed per section; the rest are counted (see the export)


@dataclass(frozen=True)
class Table:
    title: str
    frame: pd.DataFrame
    note: str = ""


@dataclass(frozen=True)
class Chart:
    title: str
    chart: Any  # an altair chart
    table: str  # the title of the table that holds its data


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...] = ()
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    title: str
    lines: tuple[str, ...]
    sections: list[Section]
    made_at: dt.datetime  # the file says it was made then: the same report, the same bytes


def report_content(rollout: Any, cat: Catalog, lang: str, tz: Any) -> Report:
    """The report of a Rollout (services.rollout): the region first, then each
    administration."""
    from logic.presentation.frames import local_time

    lines = (
        t(
            "rollout.report_made",
            lang,
            as_of=rollout.as_of.isoformat(),
            known=local_time(rollout.known_at, tz),
            made=local_time(rollout.made_at, tz),
            version=rollout.catalog_version,
        ),
        t("rollout.report_basis", lang),
        *((t("rollout.report_examples", lang),) if any(m.example for m in cat.templates) else ()),
        *(
            (t("rollout.report_one_administration", lang, forvaltning=rollout.forvaltning),)
            if rollout.forvaltning
            else ()
        ),
    )
    sections = [_section(t("rollout.region", lang), rollout.rows, rollout, cat, lang, region=True)]
    for forvaltning in sorted({r.forvaltning for r in rollout.rows}):
        mine = [r for r in rollout.rows if r.forvaltning == forvaltning]
        sections.append(_section(forvaltning, mine, rollout, cat, lang))
    return Report(t("rollout.report_title", lang), lines, sections, rollout.made_at)


def _section(
    title: str,
    rows: Sequence[RolloutRow],
    rollout: Any,
    cat: Catalog,
    lang: str,
    region: bool = False,
) -> Section:
    forvaltningar = {r.forvaltning for r in rows}
    points = [p for p in rollout.progress if p.forvaltning in forvaltningar]
    overview = rf.administration_frame(rows, rollout.waiting, lang)
    if not region:
        overview = overview.iloc[:1]  # the administration's own row
    summary = rf.summary_frame(rows, cat, lang)
    quarterly = rf.quarterly_frame(points, lang)
    if not region:
        quarterly = quarterly.iloc[:, :2]  # the date and its own column
    progress = rf.progress_frame(points, cat, lang)
    timetables = rf.timetable_frame(rows, cat, lang)
    late = rf.late_frame(rows, cat, lang)
    late_note = (
        t("rollout.report_late_more", lang, shown=LATE_LISTED, count=len(late))
        if len(late) > LATE_LISTED
        else ""
    )
    kontakt = cat.case_type(MINIMUM).name(lang)
    tables = [
        Table(t("rollout.report_overview", lang), overview),
        Table(
            t("rollout.report_quarterly", lang), quarterly, t("rollout.report_quarterly_note", lang)
        ),
        Table(t("rollout.summary", lang), summary, t("rollout.summary_note", lang)),
        Table(t("rollout.timetables", lang), timetables, t("rollout.timetables_note", lang)),
        Table(t("rollout.late", lang), late.head(LATE_LISTED), late_note),
    ]
    shown: list[Chart] = []
    kontakt_progress = progress[progress[progress.columns[1]] == kontakt]
    if not kontakt_progress.empty:
        shown.append(
            Chart(
                t("rollout.report_kontakt_chart", lang),
                charts.progress_lines(kontakt_progress.reset_index(drop=True), cat, lang),
                t("rollout.report_quarterly", lang),
            )
        )
    if region and not summary.empty:
        shown.append(
            Chart(
                t("rollout.summary", lang),
                charts.summary_grid(summary, cat, lang),
                t("rollout.summary", lang),
            )
        )
    return Section(title, (), tables, shown)


def chart_json(chart: Any, width: int = 640) -> str:
    """A chart as Vega-Lite JSON at the report's width, ready to render to an image."""
    if isinstance(chart, alt.LayerChart | alt.Chart):
        chart = chart.properties(width=width)
    return chart.to_json()
