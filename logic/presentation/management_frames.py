"""The managers' summary in words and tables (Uppföljning's top and the report's first
page): each figure a count with its share beside it, the same on every page and file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt
import pandas as pd

from logic.domain.catalog import Catalog
from logic.domain.management_summary import (
    Change,
    Figures,
    ManagementSummary,
    share,
)
from logic.i18n import t
from logic.presentation.charts import tooltips


def percent(part: int, whole: int, lang: str) -> str:
    """A share as a whole number ("75 %": a director reads it; the tables keep one
    decimal), rounded half up from the exact ratio (12.5 % reads 13 %)."""
    whole_percent = (200 * part + whole) // (2 * whole) if whole else 0
    return f"{whole_percent} %" if lang == "sv" else f"{whole_percent}%"


def headline(f: Figures, deadline: str, lang: str) -> list[tuple[str, str, str]]:
    """(label, share, count in words) for the region or one administration."""
    reviews = (
        t(
            "management.reviews_value",
            lang,
            overdue=f.reviews.overdue,
            within=f.reviews.within_90,
        )
        if f.reviews is not None
        else t("management.reviews_earlier", lang)
    )
    return [
        (
            t("management.kontakt", lang),
            percent(f.kontakt_in_place, f.kontakt_required, lang),
            t(
                "management.kontakt_value",
                lang,
                done=f.kontakt_in_place,
                required=f.kontakt_required,
            ),
        ),
        (
            t("management.on_time", lang),
            percent(f.kontakt_on_time, f.kontakt_required, lang),
            t(
                "management.on_time_value",
                lang,
                done=f.kontakt_on_time,
                required=f.kontakt_required,
                late=f.kontakt_late,
                deadline=deadline,
            ),
        ),
        (
            t("management.late", lang),
            percent(f.late, f.units, lang),
            t("management.late_value", lang, late=f.late, units=f.units),
        ),
        (
            t("management.in_force", lang),
            percent(f.in_force, f.units, lang),
            t(
                "management.in_force_value",
                lang,
                in_force=f.in_force,
                units=f.units,
                proposals=f.on_proposal,
                waiting=f.waiting,
            ),
        ),
        (
            t("management.exempt", lang),
            percent(f.exempt, f.units, lang),
            t("management.exempt_value", lang, exempt=f.exempt, units=f.units),
        ),
        (
            t("management.reviews", lang),
            str(f.reviews.overdue) if f.reviews is not None else "",
            reviews,
        ),
    ]


def headline_frame(f: Figures, deadline: str, lang: str) -> pd.DataFrame:
    lines = headline(f, deadline, lang)
    label, _, words = lines[-1]
    lines[-1] = (label, "", words)  # the reviews are a count, not a share
    return pd.DataFrame(
        lines,
        columns=[t("management.col.figure", lang), t("management.col.share", lang),
                 t("management.col.count", lang)],
    )  # fmt: skip


ADMINISTRATION_COLUMNS = (
    "units",
    "in_force",
    "in_force_share",
    "on_proposal",
    "waiting",
    "kontakt_in_place",
    "kontakt_share",
    "kontakt_on_time",
    "kontakt_on_time_share",
    "late",
    "late_share",
    "exempt",
    "reviews_overdue",
    "reviews_90",
)


def administrations_frame(m: ManagementSummary, lang: str) -> pd.DataFrame:
    """Per administration, then the region: each count with its share (one decimal)."""
    records = []
    for f in [*m.administrations, m.region]:
        records.append(
            [
                f.forvaltning or t("rollout.region", lang),
                f.units,
                f.in_force,
                share(f.in_force, f.units),
                f.on_proposal,
                f.waiting,
                f.kontakt_in_place,
                share(f.kontakt_in_place, f.kontakt_required),
                f.kontakt_on_time,
                share(f.kontakt_on_time, f.kontakt_required),
                f.late,
                share(f.late, f.units),
                f.exempt,
                f.reviews.overdue if f.reviews else None,
                f.reviews.within_90 if f.reviews else None,
            ]
        )
    columns = [t("col.forvaltning", lang)]
    columns += [t(f"management.col.{c}", lang) for c in ADMINISTRATION_COLUMNS]
    frame = pd.DataFrame(records, columns=columns)
    if m.region.reviews is None:  # as of an earlier date: not known, so not shown
        frame = frame.drop(columns=columns[-2:])
    return frame


def case_types_frame(m: ManagementSummary, cat: Catalog, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            [
                cat.case_type(c.arendetyp).name(lang),
                c.required,
                c.in_place,
                share(c.in_place, c.required),
                c.late,
                _deadline(c.deadline, c.deadlines, lang),
            ]
            for c in m.case_types
        ],
        columns=[
            t("rollout.col.arendetyp", lang),
            *(t(f"management.col.{c}", lang) for c in ("required", "in_place", "in_place_share")),
            t("management.col.late_rows", lang),
            t("management.col.deadline", lang),
        ],
    )


def _deadline(deadline: dt.date | None, deadlines: int, lang: str) -> str:
    if deadline is not None:
        return deadline.isoformat()
    return t("management.deadlines_vary" if deadlines else "management.no_deadline", lang)


def change_lines(changes: Sequence[Change], cat: Catalog, lang: str) -> list[str]:
    """The largest changes since the previous observation, one sentence each."""

    def signed(points: float) -> str:
        text = f"{points:+.0f}"
        return text.replace("-", "−")

    return [
        t(
            "management.change",
            lang,
            forvaltning=c.forvaltning,
            arendetyp=cat.case_type(c.arendetyp).name(lang),
            before=percent(c.in_place_before, c.required_before, lang),
            after=percent(c.in_place_after, c.required_after, lang),
            points=signed(c.points),
            done=c.in_place_after,
            required=c.required_after,
            since=c.before.isoformat(),
            to=c.after.isoformat(),
        )
        for c in changes
    ]


def kontakt_months_frame(m: ManagementSummary, lang: str) -> pd.DataFrame:
    """Every month: units with digital contact observed in place by its end."""

    def end(first: dt.date) -> str:  # the count is as of the month's last day
        return ((first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)).isoformat()

    return pd.DataFrame(
        [[end(month.month), month.units] for month in m.kontakt_months],
        columns=[t("management.col.month_end", lang), t("management.col.kontakt_units", lang)],
    )


def kontakt_months_chart(frame: pd.DataFrame, deadline: str, lang: str) -> alt.LayerChart:
    """The months on a true time axis, the deadline for digital contact a labelled rule."""
    month_c, units_c = frame.columns
    rule = pd.DataFrame(
        {month_c: [deadline], "label": [t("management.deadline_label", lang, deadline=deadline)]}
    )
    line = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{month_c}:T", title=month_c, axis=alt.Axis(format="%Y-%m")),
            y=alt.Y(f"{units_c}:Q", title=units_c),
            tooltip=tooltips(frame.columns),
        )
    )
    return alt.layer(
        line,
        alt.Chart(rule)
        .mark_rule(strokeDash=[4, 4], color="#444444")
        .encode(x=alt.X(f"{month_c}:T")),
        alt.Chart(rule)
        .mark_text(align="left", dx=3, dy=-6, color="#111111")
        .encode(x=alt.X(f"{month_c}:T"), y=alt.YValue(8), text=alt.Text("label:N")),
    )


def changes_frame(changes: Sequence[Change], cat: Catalog, lang: str) -> pd.DataFrame:
    """The largest changes since the previous observation, as a table (the report's)."""
    return pd.DataFrame(
        [
            [
                c.forvaltning,
                cat.case_type(c.arendetyp).name(lang),
                c.before.isoformat(),
                percent(c.in_place_before, c.required_before, lang),
                c.after.isoformat(),
                percent(c.in_place_after, c.required_after, lang),
                f"{c.points:+.0f}".replace("-", "−"),
                t("management.of", lang, done=c.in_place_after, required=c.required_after),
            ]
            for c in changes
        ],
        columns=[
            t("col.forvaltning", lang),
            t("rollout.col.arendetyp", lang),
            *(
                t(f"management.col.{c}", lang)
                for c in ("before", "share_before", "after", "share_after", "points", "now")
            ),
        ],
    )
