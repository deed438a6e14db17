"""The roll-out report for the regional management (RHSL) and each administration's
follow-up, as content: the managers' summary on its first page, then the region and one
section per administration with their tables and charts, the late units in an appendix and
how the report was made at the end, in the chosen language. logic/files/rollout_report.py
lays it out as PDF or XLSX."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from logic.domain.catalog import Catalog
from logic.domain.codes import MINIMUM
from logic.domain.management_summary import ManagementSummary, management_summary
from logic.domain.rollout_summary import Summary
from logic.i18n import t
from logic.presentation import management_frames as mf
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
    chart: charts.Grid | charts.Lines  # what it shows
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
    lines: tuple[str, ...]  # under the title: as of when, and what it counts
    sections: list[Section]  # the summary first; then the region, each administration, the appendix
    made_at: dt.datetime  # the file says it was made then: the same report, the same bytes
    colophon: tuple[str, ...] = ()  # at the end: how it was made, versions and checksums


def report_content(
    summary: Summary,
    cat: Catalog,
    lang: str,
    tz: Any,
    management: ManagementSummary | None = None,
    reported: int = 0,
) -> Report:
    """The report of a roll-out's figures: a one-page summary for the management first
    (the same as Uppföljning's), then the region and each administration, the late units in
    an appendix, and how it was made at the end."""
    management = management or management_summary(summary)
    lines = (
        t("rollout.report_as_of", lang, as_of=summary.as_of.isoformat()),
        *(
            (t("rollout.report_one_administration", lang, forvaltning=summary.forvaltning),)
            if summary.forvaltning
            else ()
        ),
        t("management.counts", lang),
        # the units whose figures rest on their own report, not the unit file
        *((t("rollout.report_reported", lang, count=reported),) if reported else ()),
    )
    sections = [_summary_section(management, summary.forvaltning, cat, lang)]
    if summary.forvaltning:  # one administration: its own part only
        sections.append(_section(summary.forvaltning, summary.forvaltning, summary, cat, lang))
    else:
        sections.append(_section(t("rollout.region", lang), None, summary, cat, lang))
        for forvaltning in [u.forvaltning for u in summary.units]:
            sections.append(_section(forvaltning, forvaltning, summary, cat, lang))
    sections.append(_late_appendix(summary, cat, lang))
    contents = (
        t("rollout.report_contents_one", lang, forvaltning=summary.forvaltning)
        if summary.forvaltning
        else t("rollout.report_contents", lang)
    )
    colophon = (
        contents,
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
    )
    return Report(t("rollout.report_title", lang), lines, sections, summary.made_at, colophon)


def _summary_section(
    m: ManagementSummary, forvaltning: str | None, cat: Catalog, lang: str
) -> Section:
    """The page a director reads in a minute: the figures, per administration, per case
    type, and what changed most since the previous observation."""
    deadline = cat.policy.deadline_digital_kontakt.isoformat()
    tables = [Table(t("management.figures", lang), mf.headline_frame(m.region, deadline, lang))]
    if not forvaltning:
        tables.append(
            Table(t("management.administrations", lang), mf.administrations_frame(m, lang))
        )
    tables.append(Table(t("management.case_types", lang), mf.case_types_frame(m, cat, lang)))
    tables.append(
        Table(
            t("management.changes", lang),
            mf.changes_frame(m.changes, cat, lang),
            "" if m.changes else t("management.no_changes", lang),
        )
    )
    return Section(t("management.title", lang), (), tables, [])


def _late_appendix(summary: Summary, cat: Catalog, lang: str) -> Section:
    """Every administration's late units, the longest late first (the rest counted)."""
    tables = []
    for forvaltning in [u.forvaltning for u in summary.units]:
        mine = [u for u in summary.late if u.forvaltning == forvaltning]
        total = summary.late_total.get(forvaltning, 0)
        if not total:
            continue
        note = (
            t("rollout.report_late_more", lang, shown=LATE_LISTED, count=total)
            if total > LATE_LISTED
            else ""
        )
        late = rf.late_frame(mine, cat, lang).head(LATE_LISTED)
        tables.append(Table(forvaltning, late, note))
    if not tables:
        tables = [Table(t("rollout.report_no_late", lang), pd.DataFrame())]
    return Section(t("rollout.report_appendix_late", lang), (), tables, [])


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
    ]
    shown: list[Chart] = []
    kontakt_progress = progress[progress[progress.columns[1]] == kontakt]
    if not kontakt_progress.empty:
        shown.append(
            Chart(
                t("rollout.report_kontakt_chart", lang),
                charts.lines_of(kontakt_progress.reset_index(drop=True), cat, lang),
                t("rollout.report_quarterly", lang),
            )
        )
    if region and not summary_table.empty:
        shown.append(
            Chart(
                t("rollout.summary", lang),
                charts.grid_of(summary_table, cat, lang),
                t("rollout.summary", lang),
            )
        )
    return Section(title, (), tables, shown)


def chart_json(shown: charts.Grid | charts.Lines, width: int = 640) -> str:
    """A chart as Vega-Lite JSON at the report's width, ready to render to an image."""
    chart = charts.chart_of(shown).properties(width=width)
    # not validated against Vega-Lite's schema again (a third of the report's chart time):
    # the pages show the same charts, validated, and vl-convert refuses an invalid one
    return chart.to_json(validate=False)
