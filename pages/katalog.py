"""Policy: the catalog in force (templates and timetables), a change proposed by the regional
team with its impact shown first, and approved by another person (four eyes) or withdrawn."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from logic.domain.catalog import Catalog
from logic.domain.errors import CatalogRefused
from logic.files.catalog_edit import with_deadline
from logic.presentation import catalog_frames as cf
from logic.services.catalog import (
    Proposal,
    approve_catalog,
    catalog_files,
    list_catalog_versions,
    propose_catalog,
    read_proposal,
    withdraw_catalog,
)
from logic.services.policy import Impact, policy_impact
from logic.services.register import forvaltningar
from logic.settings import settings
from pages.ui.common import allowed, cat, ensure_frame, guarded, lang, md, store, today, tr, user

ensure_frame()

ss = st.session_state
TZ = ZoneInfo(settings().timezone)
FLASH = "catalog_flash"  # (kind, message) shown once after an action
DRAFT = "catalog_draft"  # the change prepared: (what was chosen, its files, catalog, impact)
IMPACTS = "catalog_impacts"  # a proposal's impact, once worked out: {number: Impact}


def refusal(exc: CatalogRefused) -> str:
    key, params = exc.words()
    return tr(key, **params)


def show_impact(found: Impact, key: str, against: Catalog, proposed: Catalog) -> None:
    """How many units the change moves, per administration; the list as a file (CSV as
    worked out, XLSX made when asked for)."""
    if not found.units:
        st.info(tr("catalog.no_impact"), icon=":material/check:")
    else:
        st.write(tr("catalog.impact_units", units=sum(found.units.values())))
        st.dataframe(cf.impact_frame(found.units, lang()), hide_index=True)
    left, right = st.columns(2)
    left.download_button(
        tr("catalog.impact_download"),
        data=found.file.data,
        file_name=found.file.file_name,
        mime=found.file.media_type,
        on_click="ignore",
        key=f"catalog_impact_{key}",
        icon=":material/download:",
    )
    me, language = user(), lang()
    xlsx = found.file.file_name.rsplit(".", 1)[0] + ".xlsx"
    right.download_button(
        tr("catalog.impact_download_xlsx"),
        data=lambda: (
            policy_impact(store(), me, proposed, "xlsx", lang=language, current=against).file.data
        ),
        file_name=xlsx,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key=f"catalog_impact_xlsx_{key}",
        icon=":material/table:",
    )


def propose_section(current: Catalog) -> None:
    st.subheader(tr("catalog.propose"))
    st.caption(tr("catalog.propose_help"))
    templated = [m.case_type for m in current.templates]
    case_type = st.selectbox(
        tr("catalog.col.case_type"),
        templated,
        format_func=lambda c: current.case_type(c).name(lang()),
        key="catalog_case_type",
    )
    scopes = ["", *forvaltningar(store(), user())]
    scope = st.selectbox(
        tr("catalog.col.scope"),
        scopes,
        format_func=lambda s: cf.scope_name(s, lang()),
        key="catalog_scope",
    )
    own = current.deadline_scope(case_type, scope) == scope
    now = current.deadline(case_type, scope) if own else None
    st.caption(tr("catalog.date_now", date=now.isoformat() if now else tr("catalog.no_date")))
    deadline = st.date_input(
        tr("catalog.new_date"),
        value=now or today(),
        min_value=dt.date(2000, 1, 1),
        format="YYYY-MM-DD",
        key="catalog_new_date",
    )
    effective = st.date_input(
        tr("catalog.effective_from"),
        value=today(),
        min_value=today(),  # never backwards in time
        format="YYYY-MM-DD",
        key="catalog_effective_from",
        help=tr("catalog.effective_from_help"),
    )
    st.text_area(tr("catalog.reason"), key="catalog_reason", height=80)
    st.caption(":material/shield_person: " + tr("wizard.no_patient_data"))

    chosen = (case_type, scope, deadline)

    @guarded
    def preview() -> None:
        base = catalog_files(store(), user(), latest_approved=True).files  # what it changes
        try:
            files, proposed = with_deadline(base, case_type, scope or None, deadline)
        except CatalogRefused as exc:
            ss.pop(DRAFT, None)
            ss[FLASH] = ("error", refusal(exc))
            return
        found = policy_impact(store(), user(), proposed, "csv-excel", lang=lang(), current=current)
        ss[DRAFT] = (chosen, files, proposed, found)

    st.button(
        tr("catalog.preview"), on_click=preview, key="catalog_preview", icon=":material/preview:"
    )
    draft = ss.get(DRAFT)
    if draft is None or draft[0] != chosen:  # the impact shown is of the change chosen
        return
    _, files, proposed, found = draft
    st.markdown(tr("catalog.impact_first", date=effective.isoformat()))
    show_impact(found, "draft", current, proposed)

    @guarded
    def propose() -> None:
        when, why = ss["catalog_effective_from"], ss.get("catalog_reason", "")
        try:
            stored = propose_catalog(store(), user(), files, when, why)
        except CatalogRefused as exc:
            ss[FLASH] = ("error", refusal(exc))
            return
        ss.pop(DRAFT, None)
        ss[FLASH] = ("success", tr("catalog.proposed", number=stored.number))

    st.button(tr("catalog.do_propose"), on_click=propose, type="primary", key="catalog_do_propose")


def proposal_card(found: Proposal) -> None:
    """One waiting proposal: what it changes, its impact, and the verdict."""
    p = found.version.proposal
    with st.container(border=True):
        st.markdown(
            "**"
            + tr("catalog.card", number=p.number, date=p.effective_from.isoformat())
            + "**  \n"
            + md(tr("catalog.card_by", who=p.proposed_by))
        )
        st.markdown(tr("catalog.reason") + ": " + md(p.reason))
        if found.deadlines:
            st.dataframe(cf.changes_frame(found.deadlines, found.proposed, lang()), hide_index=True)
        others = [f for f in found.files if f != "mallar.yaml" or not found.deadlines]
        if others:
            st.caption(tr("catalog.files_changed", files=", ".join(others)))
        impacts: dict[int, Impact] = ss.setdefault(IMPACTS, {})
        if p.number not in impacts:

            @guarded
            def work_out(number: int = p.number) -> None:
                impacts[number] = policy_impact(
                    store(), user(), found.proposed, "csv-excel", lang=lang(), current=found.base
                )

            st.button(
                tr("catalog.show_impact"),
                on_click=work_out,
                key=f"catalog_work_out_{p.number}",
                icon=":material/preview:",
            )
        else:
            show_impact(impacts[p.number], str(p.number), found.base, found.proposed)
        left, right = st.columns(2)
        if allowed("approve_catalog") and p.proposed_by != user().email:
            left.button(
                tr("catalog.approve"),
                type="primary",
                on_click=give,
                args=("faststalld", p.number, p.version),
                key=f"catalog_approve_{p.number}",
                icon=":material/task_alt:",
                disabled=p.number not in impacts,  # the impact seen first
                help=tr("catalog.approve_help"),
            )
        elif allowed("approve_catalog"):
            left.warning(tr("catalog.own"), icon=":material/group:")
        if allowed("propose_catalog"):
            right.button(
                tr("catalog.withdraw"),
                on_click=give,
                args=("aterkallad", p.number, p.version),
                key=f"catalog_withdraw_{p.number}",
                icon=":material/undo:",
            )


@guarded
def give(verdict: str, number: int, seen: str) -> None:
    try:
        if verdict == "faststalld":
            approve_catalog(store(), user(), number, seen)
            ss[FLASH] = ("success", tr("catalog.approved", number=number))
        else:
            withdraw_catalog(store(), user(), number, seen)
            ss[FLASH] = ("success", tr("catalog.withdrawn", number=number))
    except CatalogRefused as exc:
        ss[FLASH] = ("error", refusal(exc))


st.title(tr("catalog.title"))
st.write(tr("catalog.intro"))
flash = ss.pop(FLASH, None)
if flash:
    (st.success if flash[0] == "success" else st.error)(flash[1])
current = cat()
versions = list_catalog_versions(store(), user())
st.subheader(tr("catalog.in_force"))
st.caption(tr("catalog.in_force_version", version=current.version))
st.dataframe(cf.timetable_frame(current, lang()), hide_index=True, width="stretch")

waiting = [v for v in versions if v.state == "foreslagen"]
st.subheader(tr("catalog.waiting"))
if not waiting:
    st.info(tr("catalog.none_waiting"))
for v in waiting:
    proposal_card(read_proposal(store(), user(), v.number))

if allowed("propose_catalog"):
    propose_section(current)

if versions:
    st.subheader(tr("catalog.versions"))
    st.dataframe(cf.versions_frame(versions, lang(), TZ), hide_index=True, width="stretch")
