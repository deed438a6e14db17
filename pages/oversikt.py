"""Översikt: the register's units by recommended outcome and variant."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from logic.domain.unit_requests import RequestRefused
from logic.presentation import catalog_frames as cf
from logic.presentation import frames, overview
from logic.services.register import decisions_to_review, recommendation_overview, review_queue
from logic.services.unit_managers import (
    answer_request,
    open_requests,
    unacknowledged_decisions,
)
from logic.services.verdicts import pending_decisions, returned_decisions
from logic.settings import settings
from pages.ui.common import allowed, cat, count_bars, ensure_frame, lang, md, store, tr, user

ensure_frame()
TZ = ZoneInfo(settings().timezone)

st.title(tr("overview.title"))
st.write(tr("overview.intro"))

if allowed("approve"):
    pending = pending_decisions(store(), user())
    st.subheader(tr("approval.waiting_title"))
    if pending:
        st.write(tr("approval.waiting", count=len(pending)))
        own = sum(1 for p in pending if p.author == user().email)
        if own:
            st.caption(tr("approval.waiting_own", count=own))
        st.page_link("pages/faststallande.py", label=tr("approval.go"), icon=":material/task_alt:")
    else:
        st.caption(tr("approval.none_waiting"))


def units_to_assess(
    columns: dict[str, list[object]], hsa_ids: list[str], names: list[str], key: str
) -> None:
    """A table of units, then the unit to open in Bedömning, in this tab (a link in the
    table would open a new one)."""
    st.dataframe(columns, hide_index=True, width="stretch", key=key)
    labels = dict(zip(hsa_ids, names, strict=True))
    picked = st.selectbox(
        tr("review.pick"),
        hsa_ids,
        format_func=lambda h: f"{labels[h]} · {h}",
        key=f"{key}_pick",
        placeholder=tr("choose"),
    )
    st.page_link(
        "pages/bedomning.py",
        label=tr("review.open"),
        icon=":material/edit:",
        query_params={"unit": picked},
    )


if allowed("assess"):
    returned = returned_decisions(store(), user())
    if returned:
        st.subheader(tr("returned.title"))
        st.caption(tr("returned.intro"))
        units_to_assess(
            {
                tr("col.namn"): [r.namn for r in returned],
                tr("col.forvaltning"): [r.forvaltning for r in returned],
                tr("returned.col_comment"): [r.comment for r in returned],
                tr("returned.col_by"): [r.approver for r in returned],
            },
            [r.hsa_id for r in returned],
            [r.namn for r in returned],
            key="returned_queue",
        )

if allowed("assess"):  # the review queue is for those who assess
    queue = review_queue(store(), user())
    st.subheader(tr("review.title"))
    st.caption(tr("review.intro"))
    if queue:
        units_to_assess(
            {
                tr("review.col_state"): [
                    tr("review.state_overdue") if r.overdue else tr("review.state_due")
                    for r in queue
                ],
                tr("col.omprovas"): [r.review_date.isoformat() for r in queue],
                tr("col.namn"): [r.namn for r in queue],
                tr("col.forvaltning"): [r.forvaltning for r in queue],
                tr("col.utfall"): [tr(f"decision.{r.outcome}") for r in queue],
            },
            [r.hsa_id for r in queue],
            [r.namn for r in queue],
            key="review_queue",
        )
    else:
        st.caption(tr("review.none"))

if allowed("assess"):  # decisions the policy's change has overtaken
    to_review = decisions_to_review(store(), user())
    if to_review:
        frame = cf.review_frame(to_review, cat(), lang())
        st.subheader(tr("review.policy_title"))
        st.caption(tr("review.policy_intro", count=len(frame)))
        hsa_ids = list(frame[tr("col.hsa_id")])
        units_to_assess(
            {str(c): list(frame[c]) for c in frame.columns},
            hsa_ids,
            list(frame[tr("col.namn")]),
            key="policy_review_queue",
        )

if allowed("assess"):  # what unit managers ask for, answered here once
    asked = open_requests(store(), user())
    if "request_answered" in st.session_state:
        st.success(st.session_state.pop("request_answered"), icon=":material/check_circle:")
    if asked:
        st.subheader(tr("request.queue_title"))
        st.caption(tr("request.queue_help"))
        for request in asked:
            with st.container(border=True):
                when = frames.local_time(request.asked_at, TZ)
                st.markdown(
                    f"**{request.number} · {tr(f'request.kind.{request.kind}')}** · "
                    f"{md(request.hsa_id)} · {md(request.asked_by)} · {when}"
                )
                st.text(request.reason)  # a person's words: plain text
                st.page_link(
                    "pages/bedomning.py",
                    label=tr("register.assess"),
                    icon=":material/edit:",
                    query_params={"unit": request.hsa_id},
                )
                with st.form(f"answer_form_{request.number}"):  # refused: what was typed stays
                    reply = st.text_area(
                        tr("request.answer", number=request.number),
                        key=f"answer_{request.number}",
                    )
                    if st.form_submit_button(tr("request.do_answer")):
                        try:
                            answer_request(store(), user(), request.number, reply)
                        except RequestRefused as refused:
                            key, params = refused.words()
                            st.error(tr(key, **params))
                        else:
                            done = tr("request.answered_done", number=request.number)
                            st.session_state["request_answered"] = done
                            st.rerun()

if allowed("assess"):  # decisions in force that no unit manager has acknowledged
    waiting = unacknowledged_decisions(store(), user())
    if waiting:
        st.subheader(tr("ack.missing_title"))
        st.caption(tr("ack.missing_help"))
        st.dataframe(
            {
                tr("col.namn"): [u.namn for u in waiting],
                tr("col.forvaltning"): [u.forvaltning for u in waiting],
                tr("col.hsa_id"): [u.hsa_id for u in waiting],
                tr("ack.col.revision"): [u.revision for u in waiting],
                tr("ack.col.managers"): [", ".join(u.managers) for u in waiting],
            },
            hide_index=True,
            width="stretch",
            key="unacknowledged",
        )

rows = recommendation_overview(store(), user())
if not rows:
    st.info(tr("overview.empty"))
    st.stop()

choice = st.selectbox(
    tr("overview.filter_forvaltning"),
    [None, *overview.forvaltningar(rows)],
    format_func=lambda f: tr("overview.all") if f is None else f,
    key="w_overview_forvaltning",
    placeholder=tr("choose"),
)
shown = overview.filter_rows(rows, choice)
totals = overview.totals(shown)

columns = st.columns(5)
columns[0].metric(tr("overview.total"), sum(totals.values()))
for column, (outcome, count) in zip(columns[1:], totals.items(), strict=True):
    column.metric(overview.outcome_label(outcome, lang()), count)


for heading, frame in (
    (tr("overview.by_outcome"), overview.by_outcome(shown, lang())),
    (tr("overview.by_variant"), overview.by_variant(shown, cat(), lang())),
):
    st.subheader(heading)
    label, value = frame.columns
    chart_col, table_col = st.columns([3, 2])
    chart_col.altair_chart(count_bars(frame, label, value), width="stretch")
    chart_col.caption(tr("overview.chart_alt"))
    table_col.dataframe(frame, hide_index=True, width="stretch")

st.subheader(tr("overview.by_forvaltning"))
st.dataframe(overview.by_forvaltning(shown, lang()), hide_index=True, width="stretch")
st.caption(tr("overview.catalog_version", version=cat().version))
