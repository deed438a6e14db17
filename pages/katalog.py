"""Policy: the catalog in force (templates and timetables), a change proposed by the regional
team with its impact shown first, and approved by another person (four eyes) or withdrawn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import streamlit as st

from logic.domain.catalog import Catalog
from logic.domain.catalog_changes import catalog_changes
from logic.domain.errors import CatalogRefused
from logic.files.catalog_edit import (
    LONGEST_REVIEW,
    Edited,
    with_deadline,
    with_review_months,
    with_template,
)
from logic.files.reference_data import catalog_from_texts
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
from pages.ui.common import (
    allowed,
    cat,
    ensure_frame,
    guarded,
    lang,
    md,
    store,
    today,
    tr,
    tr_md,
    user,
)

ensure_frame()

ss = st.session_state
TZ = ZoneInfo(settings().timezone)
FLASH = "catalog_flash"  # (kind, message) shown once after an action
# the change prepared: what was chosen, the version edited, the files, both catalogs, impact
DRAFT = "catalog_draft"
IMPACTS = "catalog_impacts"  # a proposal's impact, once worked out: {number: Impact}


def refusal(exc: CatalogRefused) -> str:
    key, params = exc.words()
    return tr_md(key, **params)  # the detail may quote a file or a name: shown as written


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
    kind = st.radio(
        tr("catalog.what"),
        ["frist", "mall", "parameter"],
        format_func=lambda k: tr(f"catalog.what.{k}"),
        key="catalog_kind",
        horizontal=True,
    )
    edit: Callable[[dict[str, str]], Edited]
    if kind == "frist":
        chosen, edit = timetable_change(current)
    elif kind == "mall":
        chosen, edit = template_change(current)
    else:
        chosen, edit = review_change(current)
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

    @guarded
    def preview() -> None:
        latest = catalog_files(store(), user(), latest_approved=True)  # what it changes
        base = latest.files
        try:
            files, proposed = edit(base)
        except CatalogRefused as exc:
            ss.pop(DRAFT, None)
            ss[FLASH] = ("error", refusal(exc))
            return
        against = catalog_from_texts(base)
        found = policy_impact(store(), user(), proposed, "csv-excel", lang=lang(), current=against)
        ss[DRAFT] = (chosen, latest.number, files, proposed, against, found)

    st.button(
        tr("catalog.preview"), on_click=preview, key="catalog_preview", icon=":material/preview:"
    )
    draft = ss.get(DRAFT)
    if draft is None or draft[0] != chosen:  # the impact shown is of the change chosen
        return
    _, edited_from, files, proposed, against, found = draft
    st.markdown(tr("catalog.impact_first", date=effective.isoformat()))
    st.dataframe(
        cf.changes_frame(catalog_changes(against, proposed), proposed, lang()), hide_index=True
    )
    show_impact(found, "draft", against, proposed)

    @guarded
    def propose() -> None:
        when, why = ss["catalog_effective_from"], ss.get("catalog_reason", "")
        try:
            stored = propose_catalog(store(), user(), files, when, why, edited_from)
        except CatalogRefused as exc:
            ss[FLASH] = ("error", refusal(exc))
            return
        ss.pop(DRAFT, None)
        ss[FLASH] = ("success", tr("catalog.proposed", number=stored.number))

    st.button(tr("catalog.do_propose"), on_click=propose, type="primary", key="catalog_do_propose")


Change = tuple[tuple[object, ...], Callable[[dict[str, str]], Edited]]


def timetable_change(current: Catalog) -> Change:
    """A date in a template's timetable, for the region or one administration."""
    templated = [m.case_type for m in current.templates]
    case_type = st.selectbox(
        tr("catalog.col.case_type"),
        templated,
        format_func=lambda c: current.case_type(c).name(lang()),
        key="catalog_case_type",
    )
    scope = st.selectbox(
        tr("catalog.col.scope"),
        ["", *forvaltningar(store(), user())],
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
    return ("frist", case_type, scope, deadline), lambda base: with_deadline(
        base, case_type, scope or None, deadline
    )


def template_change(current: Catalog) -> Change:
    """A case type's template: a new version, or its first."""
    case_type = st.selectbox(
        tr("catalog.col.case_type"),
        [c.code for c in current.case_types],
        format_func=lambda c: current.case_type(c).name(lang()),
        key="catalog_template_case_type",
    )
    template = current.template(case_type)
    st.caption(
        tr("catalog.template_now", template=f"{template.name} {template.version}")
        if template
        else tr("catalog.template_none")
    )
    name = st.text_input(
        tr("catalog.template_name"),
        value=template.name if template else "",
        key=f"catalog_template_name_{case_type}",
        max_chars=120,
    )
    version = st.text_input(
        tr("catalog.template_version"),
        value=template.version if template else "",
        key=f"catalog_template_version_{case_type}",
        max_chars=20,
    )
    return ("mall", case_type, name, version), lambda base: with_template(
        base, case_type, name, version
    )


def review_change(current: Catalog) -> Change:
    """The review periods of an exemption (policy.yaml)."""
    policy = current.policy
    default = st.number_input(
        tr("catalog.parameter.review_default_months"),
        min_value=1,
        max_value=LONGEST_REVIEW,
        value=policy.review_default_months,
        key="catalog_review_default",
    )
    longest = st.number_input(
        tr("catalog.parameter.review_max_months"),
        min_value=1,
        max_value=LONGEST_REVIEW,
        value=policy.review_max_months,
        key="catalog_review_max",
    )
    return ("parameter", default, longest), lambda base: with_review_months(
        base, int(default), int(longest)
    )


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
        if found.changes:
            st.dataframe(cf.changes_frame(found.changes, found.proposed, lang()), hide_index=True)
        st.caption(tr("catalog.files_changed", files=", ".join(found.files)))
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

upcoming = [v for v in versions if v.state == "faststalld" and v.proposal.effective_from > today()]
for v in reversed(upcoming):  # approved, not yet in force: said where the timetables are
    st.info(
        tr("catalog.upcoming", number=v.number, date=v.proposal.effective_from.isoformat()),
        icon=":material/event_upcoming:",
    )

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
