"""One renderer per wizard step. Each gets the draft with what its widgets hold now and the
draft's view (logic.domain.draft_view.view): the recommendation, the variant chosen, what is
required and missing as decided, deviations."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from logic.domain.assessment import (
    DECISION_OUTCOMES,
    EXEMPTION_SCOPES,
    WARD_ITEMS,
    Draft,
    carried_texts,
    grounds_for,
    review_bounds,
)
from logic.domain.codes import CASE_TYPES, DRIFTSFORMER, ENHETSTYPER, VARIANTS, VERKSAMHETER
from logic.domain.draft_view import DraftView
from logic.domain.validation import validate_step
from logic.presentation import labels, wizard_form
from pages.ui.common import cat, lang, md, plain_table, tr
from pages.ui.wizard.state import ERRORS, go_to, scope_changed, ss, today, w
from pages.ui.wizard.widgets import case_type_select, choice, field_errors, text_area, yes_no


def step_enheten(d: Draft, v: DraftView) -> None:
    st.caption(tr("wizard.enheten.help"))
    st.text_input(tr("field.hsa_id"), value=d.hsa_id, disabled=True)
    st.text_input(tr("field.namn"), key=w("namn"))
    field_errors("namn")
    st.text_input(tr("field.forvaltning"), key=w("forvaltning"))
    field_errors("forvaltning")
    choice("enhetstyp", ENHETSTYPER, "enhetstyp")
    choice("verksamhet", VERKSAMHETER, "verksamhet")


def step_omfattning(d: Draft, v: DraftView) -> None:
    st.caption(tr("wizard.omfattning.help"))
    yes_no("vardutforande")
    yes_no("kontaktkort")
    yes_no("patientkontakt")
    choice("driftsform", DRIFTSFORMER, "driftsform")
    if ss.get(w("driftsform")) == "avtal_upphandlad":
        st.radio(
            tr("field.avtalsanalys_klar"),
            [True, False],
            key=w("avtalsanalys_klar"),
            index=None,
            horizontal=True,
            format_func=lambda v: labels.yes_no(v, lang()),
        )
        field_errors("avtalsanalys_klar")


def step_kanaler(d: Draft, v: DraftView) -> None:
    st.caption(tr("wizard.kanaler.help"))
    yes_no("bokar_besok")
    case_type_select("telefon_papper", tr("field.telefon_papper"))
    case_type_select("e_tjanster", tr("field.e_tjanster"))


def step_variant(d: Draft, v: DraftView) -> None:
    rec = v.recommendation
    if rec.variant is None:
        st.info(tr("wizard.not_applicable"))
        return
    recommended = labels.variant(rec.variant, cat(), lang())
    st.markdown(tr("wizard.variant.recommended", variant=recommended))
    reason = next(r for r in rec.reasons if r.rule_id.startswith("variant_"))
    st.caption(f"{reason.text(lang())} ({reason.source})")
    st.selectbox(
        tr("wizard.variant.choose"),
        VARIANTS,
        key=w("variant"),
        format_func=lambda v: labels.variant(v, cat(), lang()),
        placeholder=tr("choose"),
    )
    chosen = ss.get(w("variant")) or rec.variant
    st.caption(
        tr(
            "wizard.variant.includes",
            case_types=labels.case_types(cat().variant(chosen).case_types, cat(), lang()),
        )
    )
    if chosen != rec.variant:
        text_area("variant_justification", tr("wizard.variant.justification"))
    if chosen == "avdelning":
        st.markdown(f"**{tr('wizard.ward.title')}**")
        st.caption(tr("wizard.ward.relatives_intro"))
        for item in WARD_ITEMS:
            st.checkbox(tr(f"wizard.ward.{item}"), key=w(f"ward_{item}"))
        st.caption(tr("wizard.ward.source"))


def step_undantag(d: Draft, v: DraftView) -> None:
    rec = v.recommendation
    if rec.outcome == "ej_omfattad":
        st.info(tr("wizard.not_applicable"))
        return
    st.radio(
        tr("wizard.exemption.scope_label"),
        EXEMPTION_SCOPES,
        key=w("ex_scope"),
        format_func=lambda s: tr(f"exemption.{s}"),
        on_change=scope_changed,
    )
    scope = ss.get(w("ex_scope"), "ingen")
    if scope == "ingen":
        return
    if scope == "per_arendetyp":
        case_type_select(
            "ex_case_types", tr("wizard.exemption.case_types"), rec.required or CASE_TYPES
        )
        field_errors("exemption_case_types")
    st.multiselect(
        tr("wizard.exemption.grounds"),
        grounds_for(d.unit, scope, cat()),
        key=w("ex_grounds"),
        placeholder=tr("wizard.select_placeholder"),
        select_all=False,
        help=tr("wizard.exemption.basis_help"),
        format_func=lambda g: (
            f"{cat().ground(g).name(lang())} "
            f"({tr('wizard.exemption.basis_' + cat().ground(g).basis)})"
        ),
    )
    field_errors("exemption_grounds")
    if "annat" in ss.get(w("ex_grounds"), []):
        st.text_input(tr("wizard.exemption.other"), key=w("ex_other"))
        field_errors("exemption_other_ground")
    text_area("ex_rationale", tr("wizard.exemption.rationale"))
    earlier = d.earlier
    if earlier and earlier.exemption_rationale.strip() == (ss.get(w("ex_rationale")) or "").strip():
        st.caption(
            tr(
                "wizard.exemption.from_earlier",
                revision=earlier.revision,
                outcome=tr(f"decision.{earlier.outcome}"),
            )
        )
    field_errors("exemption_rationale")
    date_field("ex_review_date", tr("wizard.exemption.review_date"))
    st.caption(tr("wizard.exemption.review_help"))
    field_errors("exemption_review_date")


def date_field(name: str, label: str) -> None:
    """A date within the allowed period, said beside it. No min/max on the widget: it would
    silently put another date in place of one outside them; validation refuses it in words."""
    earliest, _, latest = review_bounds(today(), cat())
    st.date_input(label, key=w(name), min_value=dt.date(2000, 1, 1), format="YYYY-MM-DD")
    st.caption(tr("wizard.date_range", earliest=earliest.isoformat(), latest=latest.isoformat()))


def step_svarstid(d: Draft, v: DraftView) -> None:
    rec = v.recommendation
    with st.container(border=True):
        st.markdown(f"**{tr('wizard.svarstid.guidance')}**")
        st.write(cat().policy.response_time_goal(lang()))
    if not v.needs_response_time:
        if d.exemption.scope == "hela_enheten":
            st.info(tr("wizard.svarstid.exempt"))
        elif rec.outcome == "avvaktar_avtalsanalys":
            st.info(tr("wizard.svarstid.pending"))
        else:
            st.info(tr("wizard.not_applicable"))
        return
    codes = tuple(r.code for r in cat().policy.response_times)
    st.selectbox(
        tr("wizard.svarstid.choose"),
        codes,
        key=w("response_time"),
        index=None,
        placeholder=tr("wizard.svarstid.placeholder"),
        format_func=lambda c: cat().policy.response_time(c).name(lang()),
    )
    field_errors("response_time")
    chosen = ss.get(w("response_time"))
    if chosen and not cat().policy.response_time(chosen).within_goal:
        st.warning(tr("wizard.svarstid.beyond_goal"))
        st.checkbox(tr("wizard.svarstid.informed"), key=w("citizen_informed"))
        field_errors("citizen_informed")


def step_beslut(d: Draft, v: DraftView) -> None:
    st.markdown(f"**{tr('wizard.beslut.summary')}**")
    lines = labels.summary(d, v, cat(), lang())
    st.table(
        plain_table(
            pd.DataFrame(lines, columns=[tr("wizard.summary_item"), tr("wizard.summary_value")])
        ).set_index(tr("wizard.summary_item"))
    )
    if v.variant == "avdelning" and not d.ward.confirmed():
        st.warning(tr("wizard.ward.unconfirmed"))
    st.markdown(tr("wizard.beslut.expected", outcome=tr(f"decision.{v.expected_outcome}")))
    st.radio(
        tr("wizard.beslut.outcome"),
        DECISION_OUTCOMES,
        key=w("outcome"),
        format_func=lambda o: tr(f"decision.{o}"),
        horizontal=True,
    )
    field_errors("outcome")
    contradicted(d)
    if d.outcome == "avvaktar":
        date_field("analysis_expected", tr("wizard.beslut.analysis_expected"))
        st.caption(tr("wizard.beslut.analysis_help"))
        field_errors("analysis_expected")
    with st.container(border=True):  # made from the decision, never typed: see decision_text
        st.markdown(f"**{tr('wizard.beslut.text')}**")
        st.markdown(md(wizard_form.wording(d, cat(), today())))
        st.caption(tr("wizard.beslut.text_help"))
    text_area("rationale", tr("wizard.beslut.rationale"))
    earlier_texts(d)
    text_area("remark", tr("wizard.beslut.remark"), height=80)
    st.markdown(f"**{tr('wizard.beslut.deviations')}**")
    devs = v.deviations
    if not devs:
        st.caption(tr("wizard.beslut.no_deviations"))
    for dev in devs:
        description = labels.deviation(dev, cat(), lang())
        if dev.code == "variant":
            st.markdown(f"- {description}: *{md(d.variant_justification)}*")
            continue
        if w(f"justification_{dev.code}") not in ss:
            ss[w(f"justification_{dev.code}")] = d.justifications.get(dev.code, "")
        text_area(
            f"justification_{dev.code}",
            tr("wizard.beslut.justify", deviation=description),
            height=80,
        )
    if v.corrections:
        st.checkbox(tr("wizard.beslut.update_register"), key=w("update_register"))


# Where what an outcome contradicts is entered: the step the user is taken back to.
CONTRADICTED_AT = {
    "wizard.err.outside_scope": "omfattning",
    "wizard.err.outcome_needs_ingen": "undantag",
    "wizard.err.outcome_needs_per_arendetyp": "undantag",
    "wizard.err.outcome_needs_hela_enheten": "undantag",
}


def contradicted(d: Draft) -> None:
    """An outcome that contradicts an earlier step is said at once, as it is chosen, with a
    way back to that step (nothing is changed behind the user's back)."""
    problems = [
        e
        for e in validate_step("beslut", d, cat(), today())
        if e.field == "outcome" and e.message in CONTRADICTED_AT
    ]
    shown = {e.message for e in ss.get(ERRORS, []) if e.field == "outcome"}
    for problem in problems:
        if problem.message not in shown:
            st.warning(labels.field_error(problem, cat(), lang()), icon=":material/warning:")
        target = CONTRADICTED_AT[problem.message]
        st.button(
            tr("wizard.beslut.to_step", step=tr(f"wizard.step.{target}")),
            key=f"wizard_to_{target}",
            on_click=go_to,
            args=(target,),
            icon=":material/undo:",
        )


def earlier_texts(d: Draft) -> None:
    """Texts written for the earlier decision's outcome, carried unchanged into another
    outcome: said to be the earlier decision's, to be rewritten or confirmed."""
    carried = carried_texts(d)
    if not carried or d.earlier is None:
        return
    which = "both" if len(carried) > 1 else carried[0]
    st.info(
        tr(
            "wizard.beslut.earlier_texts",
            texts=tr(f"wizard.text.{which}"),
            revision=d.earlier.revision,
            outcome=tr(f"decision.{d.earlier.outcome}"),
        ),
        icon=":material/history:",
    )
    st.checkbox(tr("wizard.beslut.earlier_texts_confirm"), key=w("earlier_texts_confirmed"))
    field_errors("earlier_texts_confirmed")


RENDER = {
    "enheten": step_enheten,
    "omfattning": step_omfattning,
    "kanaler": step_kanaler,
    "variant": step_variant,
    "undantag": step_undantag,
    "svarstid": step_svarstid,
    "beslut": step_beslut,
}
