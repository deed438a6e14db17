"""The roll-out report for the regional management (RHSL) and each administration's
follow-up, as content: a region summary and one section per administration, each with its
tables and charts, in the chosen language. logic/files/rollout_report.py lays it out as PDF
or XLSX."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import altair as alt
import pandas as pd

from logic.domain.catalog import Catalog
from logic.domain.codes import MINIMUM
from logic.domain.rollout_summary import Summary
from logic.i18n import t
from logic.presentation import rollout_charts as charts
from logic.presentation import rollout_frames as rf
from logic.presentation.frames import local_time

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


def report_content(summary: Summary, cat: Catalog, lang: str, tz: Any) -> Report:
    """The report of a roll-out's figures: the region first, then each administration."""
    lines = (
        t(
            "rollout.report_made",
            lang,
            as_of=summary.as_of.isoformat(),
            known=local_time(summary.known_at, tz),
            made=local_time(summary.made_at, tz),
            version=summary.catalog_version,
        ),
        t("rollout.report_basis", lang),
        *((t("rollout.report_examples", lang),) if any(m.example for m in cat.templates) else ()),
        *(
            (t("rollout.report_one_administration", lang, forvaltning=summary.forvaltning),)
            if summary.forvaltning
            else ()
        ),
    )
    if summary.forvaltning:  # one administration: its own part only
        sections = [_section(summary.forvaltning, summary.forvaltning, summary, cat, lang)]
    else:
        sections = [_section(t("rollout.region", lang), None, summary, cat, lang)]
        for forvaltning in [u.forvaltning for u in summary.units]:
            sections.append(_section(forvaltning, forvaltning, summary, cat, lang))
    contents = (
        t("rollout.report_contents_one", lang, forvaltning=summary.forvaltning)
        if summary.forvaltning
        else t("rollout.report_contents", lang)
    )
    return Report(t("rollout.report_title", lang), (*lines, contents), sections, summary.made_at)


def _only(summary: Summary, forvaltning: str) -> Summary:
    return replace(
        summary,
        tallies=[x for x in summary.tallies if x.forvaltning == forvaltning],
        units=[u for u in summary.units if u.forvaltning == forvaltning],
        late=[u for u in summary.late if u.forvaltning == forvaltning],
        progress=[p for p in summary.progress if p.forvaltning == forvaltning],
        late_total={forvaltning: summary.late_total.get(forvaltning, 0)},
        kontakt_observed_since=[x for x in summary.kontakt_observed_since if x[0] == forvaltning],
    )


def _section(
    title: str, forvaltning: str | None, summary: Summary, cat: Catalog, lang: str
) -> Section:
    region = forvaltning is None
    mine = summary if region else _only(summary, forvaltning)
    overview = rf.administration_frame(mine, lang)
    if not region:
        overview = overview.iloc[:1]  # the administration's own row (not the region's)
    summary_table = rf.summary_frame(mine.tallies, cat, lang)
    quarterly = rf.quarterly_frame(mine.progress, lang)
    if not region:
        quarterly = quarterly.iloc[:, :2]  # the date and its own column
    progress = rf.progress_frame(mine.progress, cat, lang)
    late = rf.late_frame(mine.late, cat, lang)
    total = sum(mine.late_total.values())
    late_note = (
        t("rollout.report_late_more", lang, shown=LATE_LISTED, count=total)
        if total > LATE_LISTED
        else ""
    )
    kontakt = cat.case_type(MINIMUM).name(lang)
    tables = [
        Table(t("rollout.report_overview", lang), overview),
        Table(
            t("rollout.report_quarterly", lang), quarterly, t("rollout.report_quarterly_note", lang)
        ),
        Table(
            t("rollout.report_since", lang),
            rf.since_frame(mine, lang) if region else rf.since_frame(mine, lang).iloc[:, :2],
            t("rollout.report_since_note", lang),
        ),
        Table(t("rollout.summary", lang), summary_table, t("rollout.summary_note", lang)),
        Table(
            t("rollout.timetables", lang),
            rf.timetable_frame(mine.tallies, cat, lang),
            t("rollout.timetables_note", lang),
        ),
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
    if region and not summary_table.empty:
        shown.append(
            Chart(
                t("rollout.summary", lang),
                charts.summary_grid(summary_table, cat, lang),
                t("rollout.summary", lang),
            )
        )
    return Section(title, (), tables, shown)


def chart_json(chart: Any, width: int = 640) -> str:
    """A chart as Vega-Lite JSON at the report's width, ready to render to an image."""
    if isinstance(chart, alt.LayerChart | alt.Chart):
        chart = chart.properties(width=width)
    return chart.to_json()
