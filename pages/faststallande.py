"""Fastställande: the second pair of eyes. A beslutsfattare reviews a submitted decision and
approves it or returns it with a comment; never a decision they wrote themselves."""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from logic.domain.errors import CommentInvalid, VerdictRefused
from logic.domain.workflow import wrote_part
from logic.files import decision_document as document_file
from logic.presentation import frames
from logic.services.decision_documents import decision_document
from logic.services.register import unit_history
from logic.services.verdicts import (
    approve_decision,
    pending_decisions,
    return_decision,
    unit_verdicts,
)
from logic.settings import settings
from pages.ui.common import (
    decision_detail,
    ensure_frame,
    guarded,
    lang,
    md,
    plain_table,
    revision_changes,
    store,
    tr,
    tr_md,
    user,
)

ensure_frame()

ss = st.session_state
TZ = ZoneInfo(settings().timezone)
FLASH = "approval_flash"  # (kind, message) shown once after a verdict
CHOSEN = "approval_chosen"  # the unit last chosen: kept while it waits, whatever else changes
APPROVED = "approval_document"  # (hsa_id, revision) just approved: its document to download
ASKED = "approval_asked"  # the approval awaiting the person's confirmation: give()'s arguments
RERUN = "approval_rerun"  # a dialog button asks for a full rerun (a dialog reruns alone)


def comment_key(hsa_id: str, revision: int) -> str:
    """A comment belongs to one decision: it never follows the selector to another."""
    return f"w_approval_comment_{hsa_id}_{revision}"


@guarded
def give(verdict: str, hsa_id: str, namn: str, revision: int, seen_hash: str) -> None:
    """The verdict, in the button's callback; the hash is the content this page showed."""
    comment = ss.get(comment_key(hsa_id, revision), "")
    try:
        if verdict == "faststalld":
            approve_decision(store(), hsa_id, revision, seen_hash, user(), comment)
            ss[APPROVED] = (hsa_id, revision)
            ss[FLASH] = (
                "success",
                tr_md("approval.approved", namn=namn, revision=revision, approver=user().email),
            )
        else:
            return_decision(store(), hsa_id, revision, seen_hash, comment, user())
            ss[FLASH] = ("success", tr_md("approval.returned", namn=namn, revision=revision))
    except VerdictRefused as exc:
        ss[FLASH] = ("error", tr(f"workflow.refused.{exc.reason}"))
        return
    except CommentInvalid as exc:
        ss[FLASH] = ("error", " ".join(tr(e.message, **e.params) for e in exc.errors))
        return
    ss.pop(comment_key(hsa_id, revision), None)


def ask(*args: object) -> None:
    ss[ASKED] = args


@guarded
def confirmed() -> None:
    ss[RERUN] = True
    give("faststalld", *ss.pop(ASKED))


def cancelled() -> None:
    ss.pop(ASKED, None)
    ss[RERUN] = True


def dismissed() -> None:  # closed by Esc or its cross: the whole page reruns by itself
    ss.pop(ASKED, None)


def confirm_approval() -> None:
    """Approving makes the decision the one in force: said, and asked, before it is done."""
    if ss.pop(RERUN, False):
        st.rerun()  # approved or cancelled: redraw the whole page
    _, namn, revision, _ = ss[ASKED]
    st.markdown(tr_md("approval.confirm.body", namn=namn, revision=revision))
    left, right = st.columns(2)
    left.button(
        tr("approval.confirm.yes"), type="primary", on_click=confirmed, key="approval_confirm_yes"
    )
    right.button(tr("wizard.confirm.no"), on_click=cancelled, key="approval_confirm_no")


st.title(tr("approval.title"))
st.write(tr("approval.intro"))
flash = ss.pop(FLASH, None)
if flash and flash[0] == "success":
    st.success(flash[1])
if APPROVED in ss:  # the decision just approved, as the document that goes to the unit
    approved_id, approved_revision = ss[APPROVED]
    me = user()
    st.download_button(
        tr("document.download"),
        data=lambda: decision_document(store(), approved_id, me, revision=approved_revision).data,
        file_name=document_file.file_name(approved_id, approved_revision),
        mime=document_file.MEDIA_TYPE,
        on_click="ignore",
        key="approval_document_download",
        icon=":material/picture_as_pdf:",
    )

pending = pending_decisions(store(), user())
if not pending:
    ss.pop(ASKED, None)  # nothing left to confirm: never asked later, unasked
    st.info(tr("approval.none_waiting"))
    st.stop()

# a table, not a grid: every column in view and long names wrapped, never cut off
st.table(
    plain_table(
        pd.DataFrame(
            {
                tr("col.namn"): [r.namn for r in pending],
                tr("col.forvaltning"): [r.forvaltning for r in pending],
                tr("col.utfall"): [frames.outcome_name(r.outcome, lang()) for r in pending],
                tr("col.beslutad_av"): [r.author for r in pending],
                tr("col.beslutad"): [frames.local_time(r.submitted_at, TZ) for r in pending],
                tr("col.revision"): [str(r.revision) for r in pending],
            }
        )
    ).set_index(tr("col.namn"))
)
by_id = {r.hsa_id: r for r in pending}
# A new selector whenever the waiting list changes: a kept one could go on showing a decision
# no longer waiting while returning another (seen after an approval), so the card and the
# buttons would name another decision than the selector does.
# The one chosen before stays chosen while it still waits (someone else's verdict on another
# decision must not move the selector under the person's eyes).
waiting = hashlib.sha256(repr([(r.hsa_id, r.revision) for r in pending]).encode()).hexdigest()
before = ss.get(CHOSEN)
chosen = st.selectbox(
    tr("approval.pick"),
    list(by_id),
    index=list(by_id).index(before) if before in by_id else 0,
    key=f"w_approval_pick_{waiting[:16]}",
    format_func=lambda h: tr(
        "approval.option",
        namn=by_id[h].namn,
        forvaltning=by_id[h].forvaltning,
        revision=by_id[h].revision,
        author=by_id[h].author,
    ),
    placeholder=tr("choose"),
)
ss[CHOSEN] = chosen
row = by_id[chosen]
history = {r.revision: r for r in unit_history(store(), chosen, user())}
revision = history[row.revision]
with st.container(border=True):
    st.subheader(md(f"{row.namn} · {chosen}"))
    st.caption(tr_md("approval.card", revision=revision.revision, author=revision.author))
    decision_detail(revision)
    earlier = [v for v in unit_verdicts(store(), chosen, user()) if v.revision < revision.revision]
    if earlier or revision.revision - 1 in history:
        with st.expander(tr("approval.since", revision=revision.revision - 1), expanded=True):
            for verdict in earlier:
                st.markdown(
                    tr_md(
                        "approval.earlier",
                        revision=verdict.revision,
                        status=tr(f"status.{verdict.verdict}"),
                        approver=verdict.approver,
                        at=frames.local_time(verdict.at, TZ),
                    )
                    + (f" {md(verdict.comment)}" if verdict.comment else "")
                )
            if revision.revision - 1 in history:
                revision_changes(history[revision.revision - 1], revision)
    st.caption(tr("approval.hash", hash=revision.content_hash[:16]))
    if wrote_part(revision, user().email):
        st.warning(tr("approval.own"), icon=":material/group:")
    else:
        st.text_area(tr("approval.comment"), key=comment_key(chosen, revision.revision), height=90)
        st.caption(":material/shield_person: " + tr("wizard.no_patient_data"))
        args = (chosen, row.namn, revision.revision, revision.content_hash)
        left, right = st.columns(2)
        left.button(
            tr("approval.approve"),
            type="primary",
            on_click=ask,
            args=args,
            key="approval_approve",
            icon=":material/task_alt:",
        )
        right.button(
            tr("approval.return"),
            on_click=give,
            args=("aterremitterad", *args),
            key="approval_return",
            icon=":material/undo:",
        )
        if flash and flash[0] == "error":  # beside the buttons, where the eye is
            st.error(flash[1], icon=":material/error:")
if ASKED in ss:
    st.dialog(tr("approval.confirm.title"), on_dismiss=dismissed)(confirm_approval)()
