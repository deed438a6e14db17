"""Min enhet: a unit manager's own units, and nothing else of the register. For each: the
roll-out per case type with its deadline, the decision in force with its lines and the
kvittens of it, every revision and its document, and the requests to the regional team with
their answers. The units are those the user table gives the signed-in person; every service
asked checks the unit again."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from logic.domain.record import StoredRevision
from logic.domain.register import RegisterRow
from logic.domain.unit_reports import ReportRefused
from logic.domain.unit_requests import REQUEST_KINDS, RequestRefused
from logic.files.decision_document import follow_up_name
from logic.presentation import frames
from logic.services.decision_documents import unit_follow_up
from logic.services.register import unit_history
from logic.services.unit_managers import (
    acknowledge_decision,
    acknowledgements,
    ask,
    my_units,
    report_e_service,
    unit_requests,
)
from logic.services.verdicts import unit_verdicts
from logic.settings import settings
from pages.ui.common import cat, ensure_frame, guarded, lang, md, store, today, tr, user
from pages.ui.unit_detail import decision_shown, revision_history, unit_rollout_shown

ensure_frame()
me = user()  # who downloads: the deferred files are built outside the script run
TZ = ZoneInfo(settings().timezone)


def acknowledgement(hsa_id: str, history: list[StoredRevision], unit: RegisterRow) -> None:
    """Kvittens: the unit manager acknowledges the decision in force, once per revision."""
    st.markdown(f"**{tr('ack.title')}**")
    st.caption(tr("ack.help"))
    number = unit.in_force_revision
    if number is None:
        st.caption(tr("ack.none_in_force"))
        return
    given = [a for a in acknowledgements(store(), me, hsa_id) if a.email == me.email]
    done = next((a for a in given if a.revision == number), None)
    if done is not None:
        at = frames.local_time(done.at, TZ)
        st.success(tr("ack.done", revision=number, at=at), icon=":material/check_circle:")
        return
    seen = next(r for r in history if r.revision == number)

    @guarded
    def acknowledge() -> None:
        acknowledge_decision(store(), user(), hsa_id, number, seen.content_hash)

    st.button(
        tr("ack.button", revision=number),
        on_click=acknowledge,
        type="primary",
        key="my_acknowledge",
        icon=":material/task_alt:",
    )


st.title(tr("my_units.title"))
st.caption(tr("my_units.help"))
units = my_units(store(), me)
if not units:
    st.info(tr("my_units.none"), icon=":material/info:")
    st.stop()


def requests(hsa_id: str) -> None:
    """Begäran: ask the regional team for a new assessment or an exemption, and see every
    request about the unit with its answer."""
    st.markdown(f"**{tr('request.title')}**")
    st.caption(tr("request.help"))
    if "my_request_sent" in st.session_state:
        st.success(st.session_state.pop("my_request_sent"), icon=":material/check_circle:")
    asked = unit_requests(store(), me, hsa_id)
    if asked:
        st.dataframe(
            {
                tr("request.col.number"): [r.number for r in asked],
                tr("request.col.kind"): [tr(f"request.kind.{r.kind}") for r in asked],
                tr("request.col.reason"): [r.reason for r in asked],
                tr("request.col.asked"): [frames.local_time(r.asked_at, TZ) for r in asked],
                tr("request.col.asked_by"): [r.asked_by for r in asked],
                tr("request.col.answer"): [
                    tr("request.by_decision", revision=r.answered_revision)
                    if r.answered_revision
                    else r.answer or ""
                    for r in asked
                ],
                tr("request.col.answered_by"): [r.answered_by or "" for r in asked],
                tr("request.col.answered"): [
                    frames.local_time(r.answered_at, TZ) if r.answered_at else "" for r in asked
                ],
            },
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(tr("request.none"))
    # a new, empty form once a request is sent; a refused one keeps what was written
    sent_before = st.session_state.get("my_requests_sent", 0)
    suffix = f"_{sent_before}" if sent_before else ""
    with st.form(f"my_request_{hsa_id}"):
        kind = st.radio(
            tr("request.kind"),
            REQUEST_KINDS,
            format_func=lambda k: tr(f"request.kind.{k}"),
            key=f"my_request_kind{suffix}",
            horizontal=True,
        )
        reason = st.text_area(tr("request.reason"), key=f"my_request_reason{suffix}")
        sent = st.form_submit_button(tr("request.send"))
    if sent:
        try:
            ask(store(), user(), hsa_id, kind, reason)
        except RequestRefused as refused:
            key, params = refused.words()
            st.error(tr(key, **params))
            return
        st.session_state["my_request_sent"] = tr("request.sent")
        st.session_state["my_requests_sent"] = sent_before + 1
        st.rerun()


def follow_up(hsa_id: str) -> None:
    """One page for the unit's own follow-up, as of a date, made and logged when clicked."""
    a, b = st.columns([1, 3], vertical_alignment="bottom")
    as_of = a.date_input(
        tr("follow_up_unit.as_of"),
        value=today(),
        max_value=today(),
        format="YYYY-MM-DD",
        key="my_follow_up_as_of",
        help=tr("follow_up_unit.help"),
    )
    words = lang()  # now: the file is made outside the page's run, without its session
    b.download_button(
        tr("follow_up_unit.download"),
        data=lambda d=as_of, w=words: unit_follow_up(store(), me, hsa_id, d, w).data,
        file_name=follow_up_name(hsa_id, as_of),
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        key="my_follow_up",
    )


def report(hsa_id: str) -> None:
    """Rapportera: an e-service now in place at the unit, or removed, from a date."""
    if "my_report_sent" in st.session_state:  # outside the expander, which closes
        st.success(st.session_state.pop("my_report_sent"), icon=":material/check_circle:")
    with st.expander(tr("report.title"), icon=":material/campaign:"):
        st.caption(tr("report.help"))
        codes = [c.code for c in cat().case_types]
        with st.form(f"my_report_{hsa_id}"):
            case_type = st.radio(
                tr("report.case_type"),
                codes,
                format_func=lambda c: cat().case_type(c).name(lang()),
                key="my_report_case_type",
            )
            in_place = st.radio(
                tr("report.change"),
                (True, False),
                format_func=lambda p: tr("report.in_place" if p else "report.removed"),
                key="my_report_in_place",
                horizontal=True,
            )
            day = st.date_input(
                tr("report.day"),
                value=today(),
                max_value=today(),
                format="YYYY-MM-DD",
                key="my_report_day",
            )
            sent = st.form_submit_button(tr("report.send"))
        if sent:
            try:
                report_e_service(store(), user(), hsa_id, case_type, in_place, day)
            except ReportRefused as refused:
                key, params = refused.words()
                st.error(tr(key, **params))
                return
            named = cat().case_type(case_type).name(lang())
            st.session_state["my_report_sent"] = tr(
                "report.sent", case_type=named, day=day.isoformat()
            )
            st.rerun()


names = {u.hsa_id: f"{u.namn} · {u.hsa_id}" for u in units}
chosen = st.selectbox(
    tr("my_units.pick"),
    list(names),
    key="my_unit",
    format_func=lambda h: names[h],
    placeholder=tr("choose"),
)
if chosen:
    st.subheader(md(names[chosen]))
    st.markdown(f"**{tr('my_units.rollout')}**")
    unit_rollout_shown(chosen, me)
    follow_up(chosen)
    report(chosen)
    history = unit_history(store(), chosen, me)
    if not history:
        st.info(tr("register.not_assessed"))
    else:
        unit = next(u for u in units if u.hsa_id == chosen)
        verdicts = {v.revision: v for v in unit_verdicts(store(), chosen, me)}
        # the decision in force, which the kvittens is of; the newest if none is in force
        shown = next((r for r in history if r.revision == unit.in_force_revision), history[-1])
        in_force = shown.revision == unit.in_force_revision
        heading = "my_units.in_force" if in_force else "register.decision"
        decision_shown(history, verdicts, shown, heading)
        acknowledgement(chosen, history, unit)
        revision_history(chosen, history, verdicts, me, "my")
    requests(chosen)
