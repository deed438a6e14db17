"""What surrounds the steps: the live recommendation, the decision of a decided unit, a
conflict with what was typed, the unit picker, and the wizard's frame."""

from __future__ import annotations

from typing import Any

import streamlit as st

from logic.domain.assessment import STEPS, Draft
from logic.domain.draft_view import view
from logic.domain.models import Recommendation
from logic.domain.record import StoredVerdict
from logic.presentation import labels, wizard_form
from logic.services import assessment, unit_managers, units, verdicts
from pages.ui.common import cat, lang, md, store, tr, tr_md, user
from pages.ui.wizard.state import (
    CONFIRM,
    CONFLICT,
    ERRORS,
    FOCUS,
    RERUN,
    VIEW,
    ask_confirm,
    cancel_confirm,
    collect,
    discard,
    go,
    open_unit,
    record,
    show_unit,
    ss,
    today,
    when,
)
from pages.ui.wizard.steps import RENDER


def recommendation_panel(rec: Recommendation) -> None:
    with st.container(border=True):
        st.subheader(tr("rec.title"))
        lines = [
            (tr("rec.outcome"), tr(f"outcome.{rec.outcome}")),
            (tr("rec.variant"), labels.variant(rec.variant, cat(), lang())),
            (tr("rec.required"), labels.case_types(rec.required, cat(), lang())),
            (tr("rec.missing"), labels.case_types(rec.missing, cat(), lang())),
        ]
        if rec.outside_variant:
            lines.append(
                (tr("rec.outside_variant"), labels.case_types(rec.outside_variant, cat(), lang()))
            )
        if rec.also_relevant:
            lines.append(
                (tr("rec.also_relevant"), labels.case_types(rec.also_relevant, cat(), lang()))
            )
        lines.append((tr("rec.deadline"), tr(f"deadline.{rec.deadline_status}")))
        for label, value in lines:
            st.markdown(f"**{label}:** {value}")
        if rec.checklist:
            st.markdown(f"**{tr('rec.checklist')}:**")
            for item in rec.checklist:
                st.markdown(f"- {item.text(lang())}")
        with st.expander(tr("rec.reasons", count=len(rec.reasons))):
            for reason in rec.reasons:
                st.markdown(
                    f"{md(labels.reason(reason, cat(), lang()))}  \n"
                    f"*{tr('rec.source')}: {md(reason.source)}*"
                )


def confirm_dialog(d: Draft) -> None:
    if ss.pop(RERUN, False):
        st.rerun()  # the decision was recorded or cancelled: redraw the whole page
    st.markdown(tr_md("wizard.confirm.body", namn=d.unit.namn))
    left, right = st.columns(2)
    left.button(tr("wizard.confirm.yes"), type="primary", on_click=record, key="confirm_yes")
    right.button(tr("wizard.confirm.no"), on_click=cancel_confirm, key="confirm_no")


def conflict_panel(d: Draft | None) -> None:
    st.error(ss[CONFLICT], icon=":material/sync_problem:")
    if d is None:
        return
    texts: dict[str, Any] = {
        tr("wizard.beslut.rationale"): d.rationale,
        tr("wizard.beslut.remark"): d.remark,
        tr("wizard.exemption.rationale"): d.exemption.rationale,
        tr("wizard.variant.justification"): d.variant_justification,
        **{tr("wizard.beslut.deviations") + f" ({k})": v for k, v in d.justifications.items()},
    }
    with st.expander(tr("wizard.your_texts"), expanded=True):
        for label, value in texts.items():
            if value:
                st.markdown(f"**{label}**")
                st.code(value, language=None, wrap_lines=True)
    st.button(tr("wizard.reopen"), on_click=show_unit, args=(d.hsa_id,), key="reopen")


def returned_notice(verdict: StoredVerdict) -> None:
    """A return and its comment, in plain text (a quote block would be too faint to read)."""
    st.warning(
        tr_md("returned.notice", approver=verdict.approver, at=when(verdict.at))
        + " "
        + md(verdict.comment),
        icon=":material/undo:",
    )


def decision_view(hsa_id: str) -> None:
    """A decided unit's current decision, read-only, and the way to a new assessment."""
    status = assessment.unit_status(store(), hsa_id, user())
    if status is None or status.latest is None:
        return
    latest = status.latest
    with st.container(border=True):
        st.subheader(tr("wizard.decision.title", revision=latest.revision))
        st.markdown(f"**{md(status.unit.namn)}** · {md(hsa_id)}")
        st.markdown(f"**{tr('wizard.beslut.outcome')}:** {tr(f'decision.{latest.outcome}')}")
        for field, label in (
            ("decision_text", "wizard.beslut.text"),
            ("rationale", "wizard.beslut.rationale"),
            ("remark", "wizard.beslut.remark"),
        ):
            if text := latest.decision.get(field):
                st.markdown(f"**{tr(label)}:** {md(text)}")
        st.caption(tr_md("wizard.decision.by", author=latest.author, at=when(latest.created_at)))
        verdict = next(
            (
                a
                for a in verdicts.unit_verdicts(store(), hsa_id, user())
                if a.revision == latest.revision
            ),
            None,
        )
        if verdict is None:
            st.markdown(f"**{tr('col.beslutsstatus')}:** {tr('status.for_beslut')}")
        elif verdict.verdict == "faststalld":
            st.markdown(
                f"**{tr('col.beslutsstatus')}:** {tr('status.faststalld')} · "
                + tr_md("approval.by", approver=verdict.approver, at=when(verdict.at))
            )
        else:
            returned_notice(verdict)
        st.button(
            tr("wizard.decision.reassess"),
            on_click=open_unit,
            args=(hsa_id,),
            type="primary",
            key="wizard_reassess",
        )


def unit_picker(draft: Draft | None) -> None:
    label = tr_md("wizard.pick_other", namn=draft.unit.namn) if draft else tr("wizard.pick")
    with st.expander(label, expanded=draft is None and VIEW not in ss, icon=":material/search:"):
        query = st.text_input(
            tr("wizard.search"), key="wizard_search", help=tr("wizard.search_help")
        )
        matches = units.search_units(store(), query, user(), limit=100)
        if not matches:
            st.info(tr("wizard.no_match"))
            return
        by_id = {m.hsa_id: m for m in matches}
        pick = st.selectbox(
            tr("wizard.unit"),
            list(by_id),
            key="w_pick",
            format_func=lambda h: tr(
                "wizard.unit_option",
                namn=by_id[h].namn,
                hsa_id=h,
                forvaltning=by_id[h].forvaltning,
                status=tr("wizard.has_decision", revision=by_id[h].latest_revision)
                if by_id[h].latest_revision
                else tr("wizard.not_assessed"),
            ),
            placeholder=tr("choose"),
        )
        st.button(
            tr("wizard.open"), on_click=show_unit, args=(pick,), key="wizard_open", type="primary"
        )


# After Nästa, Tillbaka or a jump to a step, the keyboard focus goes to the new step's
# heading, so the next Tab reaches its first field (not the sidebar and the panels before
# it). Streamlit has no focus API; this small script, sent only on a step change, does it.
# The heading's id names the step: the last step's heading, still on screen while the new
# one is drawn, is never the one focused. The button pressed keeps the focus through the
# redraw, so the heading takes it once; Streamlit may redraw again, so for a moment the
# script gives it back to the heading if it is lost, unless the person has moved it on.
FOCUS_SCRIPT = """<script data-change="{change}">
(function () {{
  let checks = 0, focused = false;
  (function keep() {{
    const heading = document.getElementById("{heading}");
    const active = document.activeElement;
    if (heading && (!focused || !active || active === document.body)) {{
      heading.setAttribute("tabindex", "-1");
      heading.focus();
      focused = true;
    }} else if (heading && active !== heading) {{
      return;  // the person has moved on: the focus stays where they put it
    }}
    if (checks++ < 30) setTimeout(keep, 100);
  }})();
}})();
</script>"""


def step_heading(step: int) -> str:
    return f"wizard-step-{step + 1}"  # the step's heading, as an HTML id


def focus_step_heading(change: int, step: int) -> None:
    script = FOCUS_SCRIPT.format(change=change, heading=step_heading(step))
    st.html(script, unsafe_allow_javascript=True)


def wizard(draft: Draft) -> None:
    step = STEPS[draft.step]
    live, _ = collect(draft)
    v = view(live, cat(), today())
    st.header(md(f"{draft.unit.namn} · {draft.hsa_id}"))
    st.progress(
        (draft.step + 1) / len(STEPS),
        text=tr(
            "wizard.progress",
            number=draft.step + 1,
            total=len(STEPS),
            name=tr(f"wizard.step.{step}"),
        ),
    )
    st.caption(
        " › ".join(  # "1\\." keeps markdown from starting a numbered list
            f"**{i + 1}\\. {tr(f'wizard.step.{s}')}**"
            if i == draft.step
            else f"{i + 1}\\. {tr(f'wizard.step.{s}')}"
            for i, s in enumerate(STEPS)
        )
    )
    if ss.get(ERRORS):
        st.error(tr("wizard.fix_first"), icon=":material/error:")
    if draft.based_on_revision:  # a returned decision: what to change stays in sight
        returned = [
            given
            for given in verdicts.unit_verdicts(store(), draft.hsa_id, user())
            if given.revision == draft.based_on_revision and given.verdict == "aterremitterad"
        ]
        for verdict in returned:
            returned_notice(verdict)
    main, side = st.columns([3, 2], gap="large")
    with main:
        st.subheader(tr(f"wizard.step.{step}"), anchor=step_heading(draft.step))
        if FOCUS in ss:
            focus_step_heading(ss.pop(FOCUS), draft.step)
        if v.corrections and step in wizard_form.STEP_FIELDS:
            st.info(tr_md("wizard.corrected", changes=labels.changes(live, cat(), lang())))
        RENDER[step](live, v)
        back, forward, rest = st.columns([1, 2, 2])
        back.button(
            tr("wizard.back"), on_click=go, args=(-1,), disabled=draft.step == 0, key="wizard_back"
        )
        if step == "beslut":
            forward.button(
                tr("wizard.beslut.record"),
                on_click=ask_confirm,
                type="primary",
                key="wizard_record",
            )
        else:
            forward.button(
                tr("wizard.next"), on_click=go, args=(1,), type="primary", key="wizard_next"
            )
        with rest.popover(tr("wizard.discard"), icon=":material/delete:"):
            st.write(tr("wizard.discard_confirm"))
            st.button(tr("wizard.discard_yes"), on_click=discard, key="wizard_discard")
    with side:
        recommendation_panel(v.recommendation)
    if ss.get(CONFIRM):
        st.dialog(tr("wizard.confirm.title"), on_dismiss=cancel_confirm)(confirm_dialog)(live)


def requests_beside(hsa_id: str) -> None:
    """The unit manager's open requests about the unit, beside the steps: what they asked
    for and why, in their words (plain text). The decision approved answers them."""
    waiting = [r for r in unit_managers.unit_requests(store(), user(), hsa_id) if not r.answered]
    for request in waiting:
        with st.container(border=True):
            st.markdown(
                f"**{tr('request.open_here')} {request.number} · "
                f"{tr(f'request.kind.{request.kind}')}** · {md(request.asked_by)}"
            )
            st.text(request.reason)  # a person's words: plain text
            st.caption(tr("request.open_help"))
