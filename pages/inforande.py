"""Införande: whether units actually put their e-services in place, from the observations
over time and the decisions in force, per administration and case type, against the
deadline for digital contact and the templates' timetables. Every chart has its table and a
download of exactly that table."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from logic.domain.management_summary import management_summary
from logic.files.rollout_report import MEDIA_TYPES, report_name
from logic.presentation import management_frames as mf
from logic.presentation import rollout_charts as charts
from logic.presentation import rollout_frames as rf
from logic.presentation.frames import local_time
from logic.services.register import forvaltningar
from logic.services.rollout import (
    RolloutFilter,
    catalog_as_of,
    export_rollout,
    read_summary,
    rollout_report,
)
from logic.services.unit_managers import reported_units
from logic.settings import settings
from pages.ui.common import (
    allowed,
    chart_with_table,
    download_table,
    ensure_frame,
    figures,
    lang,
    store,
    today,
    tr,
    user,
)

ensure_frame()
me = user()  # who downloads: the deferred files are built outside the script run
TZ = ZoneInfo(settings().timezone)
LATE_SHOWN = 500  # late units listed on the page; all are in the download of every row

st.title(tr("rollout.title"))
st.caption(tr("rollout.intro"))
this_day = today()
day_col, forv_col = st.columns(2)
as_of = day_col.date_input(
    tr("rollout.as_of"),
    value=this_day,
    min_value=dt.date(2000, 1, 1),
    max_value=this_day,
    format="YYYY-MM-DD",
    key="w_ro_as_of",
    help=tr("rollout.as_of_help"),
)
administrations = ["", *forvaltningar(store(), me)]  # "": all administrations
choice = forv_col.selectbox(
    tr("follow_up.forvaltning"),
    administrations,
    key="w_ro_forv",
    format_func=lambda f: f or tr("overview.all"),
    placeholder=tr("choose"),
)
known_at = None
with st.expander(tr("rollout.reproduce")):
    k_day, k_time = st.columns(2)
    known_day = k_day.date_input(
        tr("rollout.known_day"),
        value=None,
        min_value=dt.date(2000, 1, 1),
        max_value=this_day,
        format="YYYY-MM-DD",
        key="w_ro_known_day",
    )
    known_time = k_time.time_input(
        tr("rollout.known_time"), value=dt.time(23, 59), key="w_ro_known_time"
    )
    if known_day is not None:
        # never a moment ahead: what becomes known later no report can reproduce
        known_at = min(
            dt.datetime.combine(known_day, known_time, tzinfo=TZ), store().clock().astimezone(TZ)
        )
        st.caption(tr("rollout.known_caption", moment=known_at.strftime("%Y-%m-%d %H:%M")))

summary = read_summary(store(), me, as_of, known_at, choice or None)
then = catalog_as_of(store(), me, as_of, known_at)  # the catalog that date was read under
st.caption(
    tr(
        "rollout.made",
        as_of=as_of.isoformat(),
        known=local_time(summary.known_at, TZ),
        made=local_time(summary.made_at, TZ),
        version=summary.catalog_version,
    )
)
if not summary.dates:
    st.info(tr("rollout.no_observations", as_of=as_of.isoformat()))
    st.stop()

# the managers' figures, as Uppföljning and the report give them (the reviews are the
# register's now, on Uppföljning)
st.caption(tr("management.counts"))
deadline = then.policy.deadline_digital_kontakt.isoformat()
figures(mf.headline(management_summary(summary).region, deadline, lang())[:-1])
reported = reported_units(store(), me)  # now: the figures of these rest on their own word
if reported:
    st.info(tr("rollout.reported_now", count=len(reported)), icon=":material/campaign:")
    with st.expander(tr("rollout.reported_list")):
        st.dataframe(
            {
                tr("col.hsa_id"): [r.hsa_id for r in reported],
                tr("rollout.reported_day"): [r.observed.isoformat() for r in reported],
                tr("rollout.reported_by"): [r.by for r in reported],
            },
            hide_index=True,
            width="stretch",
        )

table = rf.summary_frame(summary.tallies, then, lang())
grid = None if table.empty else charts.summary_grid(table, then, lang())
chart_with_table(
    "inforande_per_forvaltning", tr("rollout.summary"), table, grid, tr("rollout.summary_note")
)

progress = rf.progress_frame(summary.progress, then, lang())
line = None
st.subheader(tr("rollout.progress"))
st.caption(tr("rollout.progress_note"))
if not progress.empty:
    type_c = progress.columns[1]
    present = [c.code for c in then.case_types if c.name(lang()) in set(progress[type_c])]
    codes = st.multiselect(  # codes, shown by name: the choice outlives a change of language
        tr("rollout.case_types_shown"),
        present,
        default=["kontakt"] if "kontakt" in present else present[:1],
        format_func=lambda code: then.case_type(code).name(lang()),
        key="w_ro_types",
        placeholder=tr("wizard.select_placeholder"),
    )
    shown = [then.case_type(code).name(lang()) for code in codes]
    progress = progress[progress[type_c].isin(shown)].reset_index(drop=True)
    line = charts.progress_lines(progress, then, lang()) if shown else None
chart_with_table(  # heading and choice above
    "inforande_over_tid", "", progress, line, empty="rollout.no_progress"
)

st.subheader(tr("rollout.timetables"))
st.caption(tr("rollout.timetables_note"))
timetables = rf.timetable_frame(summary.tallies, then, lang())
strangers = sorted(then.timetable_administrations() - set(administrations))
if strangers:  # a misspelt name would quietly give its units the region's date
    st.warning(tr("rollout.unknown_administrations", names=", ".join(strangers)))
st.dataframe(timetables, hide_index=True, width="stretch")
download_table("frister", timetables)

st.subheader(tr("rollout.late"))
st.caption(tr("rollout.late_note"))
late = rf.late_frame(summary.late, then, lang()).head(LATE_SHOWN)
late_total = sum(summary.late_total.values())
if late_total > len(late):
    st.caption(tr("rollout.late_more", shown=len(late), count=late_total))
if late.empty:
    st.info(tr("rollout.no_late"))
else:
    st.dataframe(late, hide_index=True, width="stretch")
    download_table("forsenade", late)

if allowed("export"):
    st.subheader(tr("rollout.report"))
    st.caption(tr("rollout.report_help"))
    pdf_col, xlsx_col, rows_col = st.columns(3)
    language = lang()  # the callbacks run outside the script run
    for column, fmt in ((pdf_col, "pdf"), (xlsx_col, "xlsx")):
        column.download_button(
            tr(f"rollout.download_{fmt}"),
            data=lambda u=me, d=as_of, k=known_at, f=choice, p=fmt, lg=language: (
                rollout_report(store(), u, p, d, k, f or None, lg).data
            ),
            file_name=report_name(as_of, choice or None, known_at, fmt),
            mime=MEDIA_TYPES[fmt],
            on_click="ignore",
            key=f"dl_rollout_{fmt}",
            icon=":material/download:",
        )
    rows_col.download_button(
        tr("rollout.download_rows"),
        data=lambda u=me, d=as_of, k=known_at, f=choice: (
            export_rollout(store(), u, "csv-excel", d, k, RolloutFilter(forvaltning=f or None)).data
        ),
        file_name=f"inforande-{as_of.isoformat()}.csv",
        mime="text/csv",
        on_click="ignore",
        key="dl_rollout_rows",
        icon=":material/download:",
    )
