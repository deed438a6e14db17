"""The roll-out's charts, drawn from the tables in rollout_frames (so a chart's table is
exactly what it shows). What a chart shows is worked out once here (`grid_of`, `lines_of`):
the pages draw it with Altair (`chart_of`), the report's PDF draws the same with fpdf2
(logic/files/pdf_charts.py). Meaning never by colour alone: numbers printed in cells, lines
told apart by dash and point shape."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from logic.domain.catalog import Catalog
from logic.i18n import one_decimal, t
from logic.presentation.charts import tooltips


@dataclass(frozen=True)
class Grid:
    """Administrations by case type, each cell the share in place, printed."""

    frame: pd.DataFrame  # the summary table (rollout_frames.summary_frame)
    rows: tuple[str, ...]  # the administrations, in order
    columns: tuple[str, ...]  # the case types present, in the catalog's order
    shares: dict[tuple[str, str], float]  # (administration, case type): share in place, %
    lang: str

    def label(self, share: float) -> str:
        """The printed share, as the language writes it."""
        return one_decimal(share, self.lang) + " %"


@dataclass(frozen=True)
class Lines:
    """The share in place at each observation date per case type, with the region-wide
    deadlines of the case types shown as labelled dashed rules."""

    frame: pd.DataFrame  # the progress table (rollout_frames.progress_frame)
    deadlines: pd.DataFrame  # the observation date's column, and the deadline's label
    series: dict[str, list[tuple[dt.date, float]]]  # case type: (date, share %), by date

    @property
    def x_title(self) -> str:
        return str(self.frame.columns[0])

    @property
    def y_title(self) -> str:
        return str(self.frame.columns[4])

    @property
    def legend_title(self) -> str:
        return str(self.frame.columns[1])

    def rules(self) -> list[tuple[dt.date, str]]:
        day_c, frist_c = self.deadlines.columns
        return [
            (dt.date.fromisoformat(day), label)
            for day, label in zip(self.deadlines[day_c], self.deadlines[frist_c], strict=True)
        ]


def grid_of(summary: pd.DataFrame, cat: Catalog, lang: str) -> Grid:
    f_col, a_col, share_col = summary.columns[0], summary.columns[1], summary.columns[4]
    present = set(summary[a_col])
    return Grid(
        frame=summary,
        rows=tuple(sorted(set(summary[f_col]))),
        columns=tuple(n for n in (c.name(lang) for c in cat.case_types) if n in present),
        shares={  # a share that is no number (none there is) is no cell
            (f, a): float(s)
            for f, a, s in zip(summary[f_col], summary[a_col], summary[share_col], strict=True)
            if _number(s)
        },
        lang=lang,
    )


def lines_of(progress: pd.DataFrame, cat: Catalog, lang: str) -> Lines:
    day_c, type_c, share_c = progress.columns[0], progress.columns[1], progress.columns[4]
    shown = set(progress[type_c])
    frist_c = t("rollout.col.frist", lang)
    deadlines = pd.DataFrame(
        [
            {day_c: d.deadline.isoformat(), frist_c: f"{frist_c} {d.deadline.isoformat()}"}
            for m in cat.templates
            for d in m.timetable
            if d.forvaltning is None and cat.case_type(m.case_type).name(lang) in shown
        ],
        columns=[day_c, frist_c],
    ).drop_duplicates()
    series: dict[str, list[tuple[dt.date, float]]] = {name: [] for name in sorted(shown)}
    for day, name, share in zip(progress[day_c], progress[type_c], progress[share_c], strict=True):
        if _number(share):  # no number: no point
            series[name].append((dt.date.fromisoformat(day), float(share)))
    return Lines(progress, deadlines, {k: sorted(v) for k, v in series.items()})


def _number(value: object) -> bool:
    """A share that can be drawn: a finite number (not None, NaN, pandas' NA or text)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def summary_grid(summary: pd.DataFrame, cat: Catalog, lang: str) -> alt.Chart:
    return chart_of(grid_of(summary, cat, lang))


def progress_lines(progress: pd.DataFrame, cat: Catalog, lang: str) -> alt.LayerChart:
    return chart_of(lines_of(progress, cat, lang))


def chart_of(shown: Grid | Lines) -> alt.Chart | alt.LayerChart:
    """The chart as Altair draws it (the pages, and the images of the report's XLSX)."""
    return _grid_chart(shown) if isinstance(shown, Grid) else _lines_chart(shown)


def _grid_chart(grid: Grid) -> alt.Chart:
    summary = grid.frame
    f_col, a_col, share_col = summary.columns[0], summary.columns[1], summary.columns[4]
    shown = summary.assign(_label=summary[share_col].map(grid.label))
    base = alt.Chart(shown).encode(
        x=alt.X(
            f"{a_col}:N",
            title=None,
            sort=list(grid.columns),
            axis=alt.Axis(labelAngle=-35, orient="top", labelOverlap=False, labelLimit=200),
        ),
        y=alt.Y(f"{f_col}:N", title=None, axis=alt.Axis(labelLimit=280)),
        tooltip=tooltips(summary.columns),
    )
    return (
        base.mark_rect(opacity=0.35).encode(
            color=alt.Color(
                f"{share_col}:Q", legend=None, scale=alt.Scale(domain=[0, 100], scheme="blues")
            )
        )
        + base.mark_text(fontSize=13, color="#111111").encode(text=alt.Text("_label:N"))
    ).properties(height=alt.Step(32))


def _lines_chart(lines: Lines) -> alt.LayerChart:
    progress, deadlines = lines.frame, lines.deadlines
    day_c, type_c, share_c = progress.columns[0], progress.columns[1], progress.columns[4]
    frist_c = deadlines.columns[1]
    points = (
        alt.Chart(progress)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{day_c}:T", title=day_c, axis=alt.Axis(format="%Y-%m")),
            y=alt.Y(f"{share_c}:Q", title=share_c, scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(f"{type_c}:N", title=type_c, legend=alt.Legend(orient="bottom")),
            strokeDash=alt.StrokeDash(f"{type_c}:N", title=type_c),  # one legend with colour
            shape=alt.Shape(f"{type_c}:N", legend=None),
            tooltip=tooltips(progress.columns),
        )
    )
    rules = alt.Chart(deadlines).mark_rule(strokeDash=[4, 4], color="#444444")
    labels = alt.Chart(deadlines).mark_text(align="left", dx=3, dy=-6, color="#111111")
    return alt.layer(
        points,
        rules.encode(x=alt.X(f"{day_c}:T")),
        labels.encode(x=alt.X(f"{day_c}:T"), y=alt.YValue(8), text=alt.Text(f"{frist_c}:N")),
    )
