"""Administration: unit import with a preview (the command line's validation), the
reference-data version in use, and verification of the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

import streamlit as st
from pydantic import ValidationError

from logic.domain.auth import ROLES, User
from logic.domain.errors import LastAdministrator, UnknownUnits
from logic.files.unit_file import UnitFileError
from logic.i18n import one_decimal
from logic.presentation import audit_words, frames, labels
from logic.services.audit import audit_log, verify_audit
from logic.services.mail import outbox
from logic.services.units import PREVIEW, ImportPreview, import_units, preview_import
from logic.services.users import import_unit_managers, list_users, save_user
from logic.settings import settings
from pages.ui.common import (
    allowed,
    cat,
    ensure_frame,
    guarded,
    lang,
    store,
    today,
    tr,
    tr_md,
    user,
)

ensure_frame()
TZ = ZoneInfo(settings().timezone)


def import_section() -> None:
    st.subheader(tr("admin.import"))
    st.caption(tr("admin.import_help"))
    if "admin_done" in st.session_state:
        st.success(st.session_state.pop("admin_done"), icon=":material/check_circle:")
    # Streamlit's own limit (server.maxUploadSize) is set to the same: the uploader says
    # "per file" what the caption says; a lower UPLOAD_LIMIT_MB is checked below, in words.
    limit = min(settings().upload_limit_mb, int(st.get_option("server.maxUploadSize")))
    observed = st.date_input(
        tr("admin.observed"),
        value=today(),
        min_value=dt.date(2000, 1, 1),
        max_value=today(),  # an observation is of what was seen: never ahead
        format="YYYY-MM-DD",
        key="admin_observed",
        help=tr("admin.observed_help"),
    )
    # a new uploader after each import: the file imported leaves it, so the page shows the
    # import's result once instead of a new preview of the same file
    uploads = st.session_state.get(UPLOADS, 0)
    upload = st.file_uploader(
        tr("admin.file"), type=["csv"], key=f"admin_upload_{uploads}" if uploads else "admin_upload"
    )
    st.caption(tr("admin.file_limit", limit=limit))
    if upload is None:
        st.session_state.pop(PREVIEW_KEY, None)
        return
    if upload.size > limit * MB:
        size = one_decimal(upload.size / MB, lang())
        st.error(tr("admin.too_large", size=size, limit=limit), icon=":material/block:")
        return
    outcome = preview_once(upload, observed)
    if isinstance(outcome, UnitFileError):
        refusal_table(outcome)
        return
    counts = outcome.counts
    st.info(
        tr("admin.preview", added=counts.added, updated=counts.updated, unchanged=counts.unchanged)
    )
    if counts.older:
        st.caption(tr("import.older", older=counts.older, observed=observed.isoformat()))
    changes_table(outcome)

    @guarded
    def do_import(data: bytes = upload.getvalue(), name: str = upload.name) -> None:
        st.session_state.pop(PREVIEW_KEY, None)  # the register changed: preview again
        result = import_units(store(), data, user(), source=name, lang=lang(), observed=observed)
        st.session_state["admin_done"] = labels.imported(result, observed, lang())
        st.session_state[UPLOADS] = uploads + 1

    st.button(
        tr("admin.do_import", count=counts.total),
        on_click=do_import,
        type="primary",
        key="admin_import",
    )


def refusal_table(refused: UnitFileError) -> None:
    """A refused file's problems, row by row: what to write instead."""
    st.error(tr("admin.refused", count=refused.total), icon=":material/block:")
    if refused.total > len(refused.errors):
        st.caption(tr("unitfile.more", shown=len(refused.errors), count=refused.total))
    st.dataframe(
        {
            tr("admin.row"): [e.row for e in refused.errors],
            tr("admin.column"): [e.column for e in refused.errors],
            tr("admin.value"): [e.value for e in refused.errors],
            tr("admin.expected"): [e.expected for e in refused.errors],
        },
        hide_index=True,
        width="stretch",
    )


def managers_section() -> None:
    """Unit managers and their units from a file: checked whole when imported (nothing is
    written unless every row is right), so no preview is needed."""
    st.subheader(tr("admin.managers"))
    st.caption(tr("admin.managers_help"))
    if "admin_managers_done" in st.session_state:
        st.success(st.session_state.pop("admin_managers_done"), icon=":material/check_circle:")
    generation = st.session_state.get("admin_managers_uploads", 0)
    upload = st.file_uploader(
        tr("admin.managers_file"), type=["csv"], key=f"admin_managers_upload_{generation}"
    )
    if upload is None:
        return
    if upload.size > settings().upload_limit_mb * MB:
        size = one_decimal(upload.size / MB, lang())
        st.error(tr("admin.too_large", size=size, limit=settings().upload_limit_mb))
        return
    if st.button(tr("admin.managers_import"), type="primary", key="admin_managers_import"):
        try:
            done = import_unit_managers(store(), upload.getvalue(), user(), upload.name, lang())
        except UnitFileError as refused:
            refusal_table(refused)
            return
        st.session_state["admin_managers_done"] = tr("admin.managers_done", **vars(done))
        st.session_state["admin_managers_uploads"] = generation + 1
        st.rerun()


def changes_table(preview: ImportPreview) -> None:
    """Which units the file adds and which it changes, with the facts that change in each,
    in words (the first of each, when there are many)."""
    rows = [(u, tr("admin.change_new")) for u in preview.new] + [
        (u, ", ".join(tr(f"field.{f}") for f in facts) or tr("admin.change_recommendation"))
        for u, facts in preview.changed
    ]
    if not rows:
        return
    total = preview.counts.added + preview.counts.updated
    if total > len(rows):
        st.caption(tr("admin.changes_first", shown=PREVIEW, count=total))
    st.dataframe(
        {
            tr("field.hsa_id"): [u.hsa_id for u, _ in rows],
            tr("field.namn"): [u.namn for u, _ in rows],
            tr("field.forvaltning"): [u.forvaltning for u, _ in rows],
            tr("admin.change"): [what for _, what in rows],
        },
        hide_index=True,
        width="stretch",
    )


MB = 1_000_000  # as the uploader shows sizes
PREVIEW_KEY = "admin_preview"
UPLOADS = "admin_uploads"  # imports made in this session: the uploader's generation
Preview = ImportPreview | UnitFileError


class Upload(Protocol):
    """What the page reads of st.file_uploader's file."""

    file_id: str

    def getvalue(self) -> bytes: ...


def preview_once(upload: Upload, observed: dt.date) -> Preview:
    """A file is checked once per upload (a large one takes seconds), not on every rerun
    while it stays in the uploader; a new file, date or language checks it again."""
    key = (upload.file_id, lang(), observed)
    cached = st.session_state.get(PREVIEW_KEY)
    if cached is not None and cached[0] == key:
        return cached[1]
    with st.spinner(tr("admin.checking")):
        try:
            outcome: Preview = preview_import(
                store(), upload.getvalue(), user(), lang(), observed=observed
            )
        except UnitFileError as exc:
            outcome = exc
    st.session_state[PREVIEW_KEY] = (key, outcome)
    return outcome


def audit_section() -> None:
    st.subheader(tr("admin.audit"))
    st.caption(tr("admin.audit_help"))
    if st.button(tr("admin.verify"), key="admin_verify"):
        result = verify_audit(store(), user())
        if result.intact:
            st.success(tr("audit.intact", events=result.events, revisions=result.revisions))
            st.caption(tr("audit.head", head=result.head))
        else:
            st.error(tr(result.problem or "", where=result.where))
    drafts = st.checkbox(tr("admin.log_drafts"), key="admin_log_drafts")
    events = audit_log(store(), user(), drafts=drafts)
    st.markdown(f"**{tr('admin.log')}**")
    st.dataframe(
        {
            tr("admin.log_at"): [frames.local_time(e.at, TZ) for e in events],
            tr("admin.log_actor"): [e.actor for e in events],
            tr("admin.log_action"): [tr(f"event.{e.action}") for e in events],
            tr("admin.log_details"): [
                audit_words.event_details(e.action, e.details, cat(), lang()) for e in events
            ],
        },
        hide_index=True,
        width="stretch",
        key="admin_log",
    )


def mail_section() -> None:
    st.subheader(tr("admin.mail"))
    st.caption(tr("admin.mail_help"))
    host = settings().smtp_host
    st.write(tr("admin.mail_server", host=host) if host else tr("admin.mail_no_server"))
    shown = outbox(store(), user())
    st.write(tr("admin.mail_counts", **shown.counts))
    if not shown.mails:
        st.caption(tr("admin.mail_empty"))
        return
    mails = shown.mails
    st.dataframe(
        {
            tr("admin.mail_col.number"): [m.number for m in mails],
            tr("admin.mail_col.created"): [frames.local_time(m.created_at, TZ) for m in mails],
            tr("admin.mail_col.to"): [f"{m.recipient_name} <{m.recipient}>" for m in mails],
            tr("admin.mail_col.subject"): [m.subject for m in mails],
            tr("admin.mail_col.status"): [
                tr(f"admin.mail_status.{m.status(shown.now)}") for m in mails
            ],
            tr("admin.mail_col.attempts"): [m.attempts for m in mails],
            tr("admin.mail_col.error"): [m.last_error or "" for m in mails],
            tr("admin.mail_col.sent"): [
                frames.local_time(m.sent_at, TZ) if m.sent_at else "" for m in mails
            ],
        },
        hide_index=True,
        width="stretch",
        key="admin_outbox",
    )
    by_number = {m.number: m for m in mails}
    number = st.selectbox(
        tr("admin.mail_show"),
        list(by_number),
        format_func=lambda n: f"{n}: {by_number[n].subject}",
        key="admin_mail_shown",
        placeholder=tr("choose"),
    )
    if number is not None:
        st.text(by_number[number].body)  # as sent: plain text, never Markdown


def users_section() -> None:
    st.subheader(tr("admin.users"))
    st.caption(tr("admin.users_help"))
    if "admin_user_saved" in st.session_state:
        st.success(st.session_state.pop("admin_user_saved"), icon=":material/check_circle:")
    people = list_users(store(), user())
    if people:
        st.dataframe(
            {
                tr("admin.email"): [u.email for u in people],
                tr("admin.name"): [u.namn for u in people],
                tr("admin.roles"): [", ".join(tr(f"role.{r}") for r in u.roles) for u in people],
                tr("admin.active"): [
                    tr("answer.yes") if u.active else tr("answer.no") for u in people
                ],
                tr("admin.units"): [", ".join(u.units) for u in people],
            },
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(tr("admin.no_users"))
    with st.form("admin_user", clear_on_submit=False):
        email = st.text_input(tr("admin.email"), key="admin_email")
        name = st.text_input(tr("admin.name"), key="admin_name")
        roles = st.multiselect(
            tr("admin.roles"),
            ROLES,
            key="admin_roles",
            format_func=lambda r: tr(f"role.{r}"),
            placeholder=tr("wizard.select_placeholder"),
        )
        units = st.text_area(tr("admin.units"), key="admin_units", help=tr("admin.units_help"))
        active = st.checkbox(tr("admin.active"), value=True, key="admin_active")
        submitted = st.form_submit_button(tr("admin.save_user"))
    if submitted:
        if not name.strip():
            st.error(tr("admin.bad_name"))
        else:
            held = tuple(u for u in units.replace(",", " ").replace(";", " ").split() if u)
            known = next((u for u in people if u.email == email.strip().lower()), None)
            if not held and known is not None:  # left empty: the units they hold stay
                held = known.units
            try:
                changed = User(
                    email=email, namn=name, roles=tuple(roles), active=active, units=held
                )
            except ValidationError as exc:
                errors = exc.errors()
                fields = {str(e["loc"][0]) for e in errors if e["loc"]}
                reasons = {getattr(e.get("ctx", {}).get("error"), "reason", "") for e in errors}
                problem = (
                    "admin.bad_name_text"
                    if "namn" in fields
                    else "admin.bad_units"
                    if "units" in fields
                    else "admin.bad_email_scripts"
                    if "mixed_scripts" in reasons
                    else "admin.bad_email"
                )
                st.error(tr(problem))
                return
            try:
                save_user(store(), changed, user())
            except (LastAdministrator, UnknownUnits) as refused:
                key, params = refused.words()
                st.error(tr(key, **params))
                return
            st.session_state["admin_user_saved"] = tr_md("admin.saved_user", email=changed.email)
            st.rerun()  # the list above shows the change


st.title(tr("admin.title"))
if allowed("import_units"):
    import_section()
st.subheader(tr("admin.catalog"))
st.write(tr("admin.catalog_version", version=cat().version))
st.caption(tr("admin.catalog_help"))
if allowed("verify_audit"):
    audit_section()
if allowed("manage_users"):
    users_section()
    managers_section()
if allowed("send_mail"):
    mail_section()
