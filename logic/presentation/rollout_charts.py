"""The roll-out's charts, drawn from the tables in rollout_frames (so a chart's table is
exactly what it shows): the page shows them, the report renders them to images. Meaning
never by colour alone: numbers printed in cells, lines told apart by dash and point shape."""

from __future__ import annotations

import altair as alt
import pandas as pd

from logic.domain.catalog import Catalog
from logic.i18n import t
from logic.presentation.charts import tooltips


def summary_grid(summary: pd.DataFrame, cat: Catalog, lang: str) -> alt.Chart:
    """Administrations by case type, each cell the share in place, printed."""
    f_col, a_col, share_col = summary.columns[0], summary.columns[1], summary.columns[4]
    in_order = [c.name(lang) for c in cat.case_types]
    present = set(summary[a_col])
    shown = summary.assign(  # the printed share, as the language writes it
        _label=summary[share_col].map(
            lambda v: f"{v:.1f}".replace(".", "," if lang == "sv" else ".") + " %"
        )
    )
    base = alt.Chart(shown).encode(
        x=alt.X(
            f"{a_col}:N",
            title=None,
            sort=[n for n in in_order if n in present],
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


def progress_lines(progress: pd.DataFrame, cat: Catalog, lang: str) -> alt.LayerChart:
    """The share in place at each observation date per case type, with the region-wide
    deadlines of the case types shown as labelled dashed rules."""
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
