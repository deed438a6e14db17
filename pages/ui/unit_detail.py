"""One unit's decisions as the register shows them, read only: the newest decision with its
status, its lines and rule trace, every revision with its verdict, and the decision document
of a revision. Beslut shows it for any unit; Min enhet for a unit manager's own (the
services check which units the reader may see)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from logic.domain.auth import User
from logic.domain.record import StoredRevision, StoredVerdict
from logic.domain.workflow import revision_statuses
from logic.files import decision_document as document_file
from logic.presentation import frames
from logic.presentation import rollout_frames as rf
from logic.services.decision_documents import decision_document
from logic.services.rollout import unit_rollout
from logic.services.unit_managers import reported_units
from logic.settings import settings
from pages.ui.common import cat, decision_detail, lang, store, today, tr, tr_md


def decision_and_history(
    hsa_id: str,
    history: list[StoredRevision],
    verdicts: dict[int, StoredVerdict],
    reader: User,
    key: str,
) -> None:
    """The newest revision in full, then every revision with its verdict, and the decision
    document of any of them (`key`: the page's prefix for the widgets' keys)."""
    decision_shown(history, verdicts, history[-1])
    revision_history(hsa_id, history, verdicts, reader, key)


def decision_shown(
    history: list[StoredRevision],
    verdicts: dict[int, StoredVerdict],
    shown: StoredRevision,
    heading: str = "register.decision",
) -> None:
    """One revision in full, with its four-eyes status among the unit's revisions, under
    `heading` (a message key: the newest decision, or the one in force)."""
    statuses = _statuses(history, verdicts)
    st.markdown(f"**{tr(heading)}** · {tr(f'status.{statuses[shown.revision]}')}")
    decision_detail(shown)


def revision_history(
    hsa_id: str,
    history: list[StoredRevision],
    verdicts: dict[int, StoredVerdict],
    reader: User,
    key: str,
) -> None:
    """Every revision with its status and verdict, and the document of any of them."""
    tz = ZoneInfo(settings().timezone)
    statuses = _statuses(history, verdicts)
    st.markdown(f"**{tr('register.history')}**")
    st.dataframe(
        {
            tr("col.revision"): [r.revision for r in history],
            tr("col.utfall"): [frames.outcome_name(r.outcome, lang()) for r in history],
            tr("col.beslutad_av"): [r.author for r in history],
            tr("col.beslutad"): [frames.local_time(r.created_at, tz) for r in history],
            tr("col.beslutsstatus"): [tr(f"status.{statuses[r.revision]}") for r in history],
            tr("approval.verdict_by"): [
                verdicts[r.revision].approver if r.revision in verdicts else "" for r in history
            ],
            tr("approval.verdict_at"): [
                frames.local_time(verdicts[r.revision].at, tz) if r.revision in verdicts else ""
                for r in history
            ],
            tr("returned.col_comment"): [
                verdicts[r.revision].comment if r.revision in verdicts else "" for r in history
            ],
        },
        hide_index=True,
    )
    document_download(hsa_id, [r.revision for r in history], reader, key)


def _statuses(history: list[StoredRevision], verdicts: dict[int, StoredVerdict]) -> dict:
    return revision_statuses(
        [r.revision for r in history], {n: v.verdict for n, v in verdicts.items()}
    )


def document_download(hsa_id: str, numbers: list[int], reader: User, key: str) -> None:
    """A revision's decision document, in Swedish (the record's language), made and logged
    only when clicked."""
    a, b = st.columns([1, 3], vertical_alignment="bottom")
    number = a.selectbox(
        tr("document.revision_pick"),
        numbers,
        index=len(numbers) - 1,
        key=f"{key}_document_rev",
        placeholder=tr("choose"),
    )
    b.download_button(
        tr("document.download"),
        data=lambda n=number: decision_document(store(), hsa_id, reader, revision=n).data,
        file_name=document_file.file_name(hsa_id, number),
        mime=document_file.MEDIA_TYPE,
        on_click="ignore",
        key=f"{key}_document",
        icon=":material/picture_as_pdf:",
    )


def unit_rollout_shown(hsa_id: str, reader: User) -> None:
    """The unit's roll-out per case type today, and whether it rests on the unit's own
    report (not yet confirmed or contradicted by the unit file)."""
    mine = unit_rollout(store(), reader, hsa_id, today())
    if mine:
        st.dataframe(rf.unit_frame(mine, cat(), lang()), hide_index=True, width="stretch")
    else:
        st.caption(tr("rollout.unit_none"))
    for reported in reported_units(store(), reader, [hsa_id]):
        day = reported.observed.isoformat()
        st.info(tr_md("report.pending", day=day, by=reported.by), icon=":material/campaign:")
