"""Uppföljning: the roll-out at a glance, per administration. Each chart has its data table
one click away and a download of exactly that data."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import altair as alt
import streamlit as st

from logic.presentation import frames
from logic.presentation import management_frames as mf
from logic.presentation.charts import tooltips
from logic.services.register import export_table, follow_up, forvaltningar
from logic.services.rollout import management
from logic.settings import settings
from pages.ui.common import (
    allowed,
    cat,
    chart_with_table,
    count_bars,
    ensure_frame,
    figures,
    lang,
    md,
    store,
    today,
    tr,
    user,
)

ensure_frame()
me = user()  # who downloads: the deferred files are built outside the script run
TZ = ZoneInfo(settings().timezone)


st.title(tr("follow_up.title"))
st.caption(tr("follow_up.intro"))
this_day = today()
administrations = ["", *forvaltningar(store(), user())]  # "": all administrations
linked = st.query_params.get("forvaltning", "")  # a shared link names its administration
if st.session_state.get("dash_linked") != linked:
    st.session_state["dash_linked"] = linked
    st.session_state["w_dash_forv"] = linked if linked in administrations else ""
choice = st.selectbox(
    tr("follow_up.forvaltning"),
    administrations,
    key="w_dash_forv",
    format_func=lambda f: f or tr("overview.all"),
    placeholder=tr("choose"),
)
if choice != linked:
    st.query_params["forvaltning"] = choice
    st.session_state["dash_linked"] = choice
    if not choice:
        del st.query_params["forvaltning"]
board = follow_up(store(), choice or None, user())
summary = management(store(), me, this_day, None, choice or None)
deadline = cat().policy.deadline_digital_kontakt.isoformat()

# The managers' summary first: the same figures as Införande, the report and the export.
st.subheader(tr("management.title"))
st.caption(tr("management.counts"))
figures(mf.headline(summary.region, deadline, lang()))
if not choice:
    st.markdown(f"**{tr('management.administrations')}**")
    st.dataframe(mf.administrations_frame(summary, lang()), hide_index=True, width="stretch")
st.markdown(f"**{tr('management.case_types')}**")
st.dataframe(mf.case_types_frame(summary, cat(), lang()), hide_index=True, width="stretch")
st.markdown(f"**{tr('management.changes')}**")
changes = mf.change_lines(summary.changes, cat(), lang())
st.markdown("\n".join(f"- {md(line)}" for line in changes) or tr("management.no_changes"))
months = mf.kontakt_months_frame(summary, lang())
chart_with_table(
    "digital_kontakt",
    tr("management.kontakt_months"),
    months,
    mf.kontakt_months_chart(months, deadline, lang()) if not months.empty else None,
    note=tr("management.kontakt_months_note"),
    empty="management.no_kontakt",
)

report = frames.report_frame(board.by_forvaltning, lang())
st.subheader(tr("follow_up.report"))
st.dataframe(report, hide_index=True, width="stretch")
downloads = (
    (("csv-excel", "follow_up.download_report_csv"), ("xlsx", "follow_up.download_report_xlsx"))
    if allowed("export")
    else ()
)
for column, (profile, label) in zip(st.columns(2), downloads, strict=False):
    column.download_button(
        tr(label),
        data=lambda p=profile, u=me: (
            export_table(
                store(),
                "uppfoljning",
                list(report.columns),
                list(report.itertuples(index=False)),
                p,
                u,
            ).data
        ),
        file_name=f"uppfoljning-{this_day.isoformat()}.{'xlsx' if profile == 'xlsx' else 'csv'}",
        on_click="ignore",
        key=f"dl_report_{profile}",
        icon=":material/download:",
    )

outcomes = frames.outcomes_frame(board.outcomes, lang())
f_col, o_col, n_col = outcomes.columns
grid = alt.Chart(outcomes).encode(  # a table-like grid: position and printed numbers carry it
    x=alt.X(f"{o_col}:N", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
    y=alt.Y(f"{f_col}:N", title=None, axis=alt.Axis(labelLimit=280)),
    tooltip=tooltips(outcomes.columns),
)
chart_with_table(
    "utfall",
    tr("follow_up.outcomes"),
    outcomes,
    (
        grid.mark_rect(opacity=0.35).encode(color=alt.Color(f"{n_col}:Q", legend=None))
        + grid.mark_text(fontSize=14).encode(text=alt.Text(f"{n_col}:Q"))
    ).properties(height=alt.Step(30)),
)

grounds = frames.grounds_frame(board.grounds, cat(), lang())
g_col, c_col = grounds.columns
chart_with_table(
    "undantagsgrunder",
    tr("follow_up.grounds"),
    grounds,
    count_bars(grounds, g_col, c_col) if not grounds.empty else None,
    empty="follow_up.no_exemptions",
)

reviews = frames.reviews_frame(board.by_forvaltning, lang())
r_col, rc_col = reviews.columns
chart_with_table(
    "omprovningar", tr("follow_up.reviews"), reviews, count_bars(reviews, r_col, rc_col)
)

st.subheader(tr("approval.latest"))
if board.latest_approvals:
    st.dataframe(
        {
            tr("col.namn"): [r.namn for r in board.latest_approvals],
            tr("col.forvaltning"): [r.forvaltning for r in board.latest_approvals],
            tr("col.utfall"): [
                frames.outcome_name(r.outcome, lang()) for r in board.latest_approvals
            ],
            tr("col.faststalld_av"): [r.approver for r in board.latest_approvals],
            tr("col.faststalld"): [
                frames.local_time(r.approved_at, TZ) for r in board.latest_approvals
            ],
        },
        hide_index=True,
        width="stretch",
    )
else:
    st.caption(tr("chart.empty"))
