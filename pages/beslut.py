"""Beslut: the decision register. One row per unit, filters in the URL, detail with history
and diff, exports of exactly the filtered rows."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from logic.domain.assessment import DECISION_OUTCOMES
from logic.domain.codes import CASE_TYPES, VARIANTS
from logic.domain.register import (
    NOT_ASSESSED,
    PAGE_SIZE,
    REGISTER_STATUSES,
    SORT_KEYS,
    RegisterFilter,
    RegisterView,
)
from logic.domain.workflow import DECISION_STATUSES
from logic.files import decision_document as document_file
from logic.files.export import PROFILES
from logic.presentation import frames
from logic.services.decision_documents import decision_documents
from logic.services.register import export_decisions, forvaltningar, register_page, unit_history
from logic.services.verdicts import unit_verdicts
from logic.settings import settings
from pages.ui.common import (
    allowed,
    cat,
    ensure_frame,
    guarded,
    lang,
    md,
    revision_changes,
    store,
    today,
    tr,
    user,
)
from pages.ui.unit_detail import decision_and_history, unit_rollout_shown

ensure_frame()
me = user()  # who downloads: the deferred files are built outside the script run

ss = st.session_state
TZ = ZoneInfo(settings().timezone)
ANY = ""  # the "all" choice of an optional filter (None would show as "no choice made")
PARAMS = "register_params"  # the URL parameters the widgets were last loaded from


def load_widgets(view: RegisterView) -> None:
    """The URL is the truth: a shared link or the back button sets every widget."""
    f = view.filter
    ss["w_reg_forvaltning"] = f.forvaltning or ANY
    ss["w_reg_utfall"] = f.utfall or ANY
    ss["w_reg_variant"] = f.variant or ANY
    ss["w_reg_status"] = f.status
    ss["w_reg_beslutsstatus"] = f.beslutsstatus or ANY
    ss["w_reg_omprovas"] = f.omprovas_inom or 0
    ss["w_reg_avviker"] = f.avviker
    ss["w_reg_bor_omprovas"] = f.bor_omprovas
    ss["w_reg_saknar"] = f.saknar or ANY
    ss["w_reg_text"] = f.text
    ss["w_reg_sort"] = view.sort
    ss["w_reg_desc"] = view.descending
    ss["w_reg_page"] = view.page


def view_from_params(params: dict[str, str]) -> RegisterView:
    sort = params.get("sort", "namn")
    page = params.get("sida", "1")
    return RegisterView(
        filter=RegisterFilter.from_params(params),
        sort=sort if sort in SORT_KEYS else "namn",  # type: ignore[arg-type]
        descending=params.get("fallande") == "1",
        page=int(page) if page.isdigit() and int(page) > 0 else 1,
    )


def params_of(view: RegisterView) -> dict[str, str]:
    params = view.filter.to_params()
    if view.sort != "namn":
        params["sort"] = view.sort
    if view.descending:
        params["fallande"] = "1"
    if view.page > 1:
        params["sida"] = str(view.page)
    return params


def first_page() -> None:
    ss["w_reg_page"] = 1  # a new filter starts from its first page


@guarded
def clear_filters() -> None:
    load_widgets(RegisterView())


def optional(label: str, key: str, options: list, format_func, help: str | None = None) -> None:  # type: ignore[no-untyped-def]
    st.selectbox(
        label,
        [ANY, *options],
        key=key,
        on_change=first_page,
        help=help,
        format_func=lambda v: tr("any") if v == ANY else format_func(v),
        placeholder=tr("choose"),
    )


# --- Filters ------------------------------------------------------------------------------
st.title(tr("register.title"))
st.caption(tr("register.intro"))

url = {k: st.query_params[k] for k in st.query_params}
if ss.get(PARAMS) != url:
    load_widgets(view_from_params(url))

with st.container(border=True):
    st.markdown(f"**{tr('register.filters')}**")
    administrations = forvaltningar(store(), user())
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        optional(tr("register.f_forvaltning"), "w_reg_forvaltning", administrations, str)
        st.selectbox(
            tr("register.f_status"),
            REGISTER_STATUSES,
            key="w_reg_status",
            help=tr("register.f_status_help"),
            on_change=first_page,
            format_func=lambda s: tr(f"status.{s}"),
            placeholder=tr("choose"),
        )
        optional(
            tr("register.f_beslutsstatus"),
            "w_reg_beslutsstatus",
            list(DECISION_STATUSES),
            lambda s: tr(f"status.{s}"),
            help=tr("register.f_beslutsstatus_help"),
        )
    with c2:
        optional(
            tr("register.f_utfall"),
            "w_reg_utfall",
            [NOT_ASSESSED, *DECISION_OUTCOMES],
            lambda o: frames.outcome_name(o, lang()),
            help=tr("register.f_utfall_help"),
        )
        optional(
            tr("register.f_variant"),
            "w_reg_variant",
            list(VARIANTS),
            lambda v: cat().variant(v).name(lang()),
        )
    with c3:
        optional(
            tr("register.f_saknar"),
            "w_reg_saknar",
            list(CASE_TYPES),
            lambda c: cat().case_type(c).name(lang()),
        )
        st.number_input(
            tr("register.f_omprovas"),
            min_value=0,
            max_value=3650,
            step=30,
            key="w_reg_omprovas",
            on_change=first_page,
        )
    with c4:
        st.text_input(tr("register.f_text"), key="w_reg_text", on_change=first_page)
        st.checkbox(tr("register.f_avviker"), key="w_reg_avviker", on_change=first_page)
        st.checkbox(
            tr("register.f_bor_omprovas"),
            key="w_reg_bor_omprovas",
            on_change=first_page,
            help=tr("register.f_bor_omprovas_help"),
        )
    s1, s2, s3 = st.columns([2, 1, 1])
    s1.selectbox(
        tr("register.sort"),
        SORT_KEYS,
        key="w_reg_sort",
        on_change=first_page,
        format_func=lambda s: tr(f"sort.{s}"),
        placeholder=tr("choose"),
    )
    s2.checkbox(tr("register.descending"), key="w_reg_desc", on_change=first_page)
    s3.button(tr("register.clear"), on_click=clear_filters, key="reg_clear")

current_filter = RegisterFilter(
    forvaltning=ss["w_reg_forvaltning"] or None,
    utfall=ss["w_reg_utfall"] or None,
    variant=ss["w_reg_variant"] or None,
    status=ss["w_reg_status"],
    beslutsstatus=ss["w_reg_beslutsstatus"] or None,
    omprovas_inom=ss["w_reg_omprovas"] or None,
    avviker=ss["w_reg_avviker"],
    bor_omprovas=ss["w_reg_bor_omprovas"],
    saknar=ss["w_reg_saknar"] or None,
    text=ss["w_reg_text"].strip(),
)
view = RegisterView(
    filter=current_filter,
    sort=ss["w_reg_sort"],
    descending=ss["w_reg_desc"],
    page=max(1, int(ss.get("w_reg_page") or 1)),
)
rows, total = register_page(store(), view, user())
pages = max(1, -(-total // PAGE_SIZE))
if view.page > pages:  # the filter shrank under the page number
    view = view.model_copy(update={"page": pages})
    ss["w_reg_page"] = pages
    rows, total = register_page(store(), view, user())

new_params = params_of(view)
if new_params != url:
    st.query_params.from_dict(new_params)
ss[PARAMS] = new_params

# --- The table ------------------------------------------------------------------------------
if total == 0:
    st.info(tr("register.none"))
else:
    first = (view.page - 1) * PAGE_SIZE + 1
    st.caption(tr("register.showing", first=first, last=first + len(rows) - 1, total=total))
    st.dataframe(frames.register_frame(rows, cat(), lang(), TZ), hide_index=True, width="stretch")
    st.columns(4)[0].number_input(
        tr("register.page"), min_value=1, max_value=pages, key="w_reg_page"
    )

if total and allowed("export"):
    st.markdown(f"**{tr('register.export', rows=total)}**")
    st.caption(tr("register.export_help"))
    # names for the people who open it (in Excel); codes when asked, for other systems
    codes = st.checkbox(tr("register.export_codes"), key="w_reg_codes")
    words = None if codes else lang()
    suffix = "-koder" if codes else ""
    columns = st.columns(len(PROFILES))
    for column, profile in zip(columns, PROFILES, strict=True):
        extension = "xlsx" if profile == "xlsx" else "csv"
        column.download_button(
            tr(f"register.export_{profile.replace('-', '_')}"),
            # built (and logged) only when clicked: exactly the rows of this filter
            data=lambda p=profile, f=current_filter, u=me, w=words: (
                export_decisions(store(), f, p, u, in_words=w).data
            ),
            file_name=f"beslut-{today().isoformat()}-{profile}{suffix}.{extension}",
            mime="text/csv"
            if extension == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
            key=f"reg_export_{profile}",
            icon=":material/download:",
        )

if total and view.filter.forvaltning:  # an administration's decisions as documents
    forvaltning = view.filter.forvaltning
    st.download_button(
        tr("document.download_all"),
        data=lambda f=forvaltning, u=me: decision_documents(store(), f, u, lang="sv").data,
        file_name=document_file.zip_name(forvaltning),
        mime=document_file.ZIP_MEDIA_TYPE,
        on_click="ignore",
        key="reg_documents",
        icon=":material/folder_zip:",
    )

# --- Detail ---------------------------------------------------------------------------------
st.divider()


names = {r.hsa_id: f"{r.namn} · {r.hsa_id}" for r in rows}
chosen = st.selectbox(
    tr("register.detail_pick"),
    [None, *names],
    key="reg_detail",
    format_func=lambda h: "—" if h is None else names[h],
    placeholder=tr("choose"),
)
if chosen:
    history = unit_history(store(), chosen, user())
    st.subheader(md(names[chosen]))
    if allowed("assess"):
        st.page_link(
            "pages/bedomning.py",
            label=tr("register.assess"),
            icon=":material/edit:",
            query_params={"unit": chosen},
        )
    if not history:
        st.info(tr("register.not_assessed"))
    else:
        verdicts = {v.revision: v for v in unit_verdicts(store(), chosen, user())}
        decision_and_history(chosen, history, verdicts, me, "reg")
        if len(history) > 1:
            st.markdown(f"**{tr('register.compare')}**")
            numbers = [r.revision for r in history]
            a, b = st.columns(2)
            old = a.selectbox(
                tr("register.from"),
                numbers,
                index=len(numbers) - 2,
                key="reg_from",
                placeholder=tr("choose"),
            )
            new = b.selectbox(
                tr("register.to"),
                numbers,
                index=len(numbers) - 1,
                key="reg_to",
                placeholder=tr("choose"),
            )
            by_number = {r.revision: r for r in history}
            revision_changes(by_number[old], by_number[new])
    with st.expander(tr("rollout.unit")):
        unit_rollout_shown(chosen, user())
