"""Bedömning: take one unit, step by step, from scope to a recorded decision.

Thin: the draft model, validation, deviations and wording live in logic/; this page renders
widgets, copies their values into the draft in callbacks, and calls the services.
Widgets need no st.form: the recommendation beside the steps follows every answer live.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from logic.domain.assessment import (
    STEPS,
    Draft,
    Exemption,
    WardChecklist,
    corrections,
    deviations,
    expected_outcome,
    grounds_for,
    needs_response_time,
    review_bounds,
)
from logic.domain.codes import CASE_TYPES, DRIFTSFORMER, ENHETSTYPER, VARIANTS, VERKSAMHETER
from logic.domain.errors import DecisionInvalid, DraftNotHeld, StaleRevision, UnknownUnit
from logic.domain.models import Recommendation, Unit
from logic.domain.record import StoredApproval
from logic.domain.rules import recommend
from logic.domain.validation import FieldError, validate_all, validate_step
from logic.presentation import frames, labels
from logic.presentation.labels import default_decision_text
from logic.services.approval import approvals
from logic.services.assessment import (
    discard_draft,
    open_assessment,
    save_draft,
    submit_decision,
    take_over_draft,
    unit_status,
)
from logic.services.units import search_units
from logic.settings import settings
from pages.common import cat, ensure_frame, guarded, lang, store, tr, user

ensure_frame()

# Session keys. The draft lives under a key no widget uses; widgets are "w_<field>".
DRAFT = "wizard_draft"
OTHER = "wizard_held_by_other"  # (hsa_id, holder, since) when someone else holds the draft
VIEW = "wizard_view"  # a decided unit, shown read-only until a new assessment starts
ERRORS = "wizard_errors"
ERRORS_FRESH = "wizard_errors_fresh"  # the errors belong to the click just made
CONFLICT = "wizard_conflict"
FLASH = "wizard_flash"
CONFIRM = "wizard_confirm"
NOTICE = "wizard_notice"
URL_UNIT = "wizard_url_unit"
RERUN = "wizard_rerun"  # a dialog button asks for a full rerun (a dialog reruns alone)

STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "enheten": ("namn", "forvaltning", "enhetstyp", "verksamhet"),
    "omfattning": (
        "vardutforande",
        "kontaktkort",
        "patientkontakt",
        "driftsform",
        "avtalsanalys_klar",
    ),
    "kanaler": ("bokar_besok", "telefon_papper", "e_tjanster"),
}
ss = st.session_state


def w(name: str) -> str:
    return f"w_{name}"


def today() -> dt.date:
    return dt.date.today()


def when(moment: dt.datetime | None) -> str:
    return frames.local_time(moment, ZoneInfo(settings().timezone)) if moment else "?"


# --- Moving values between the draft and the widgets ------------------------------------
def load_step(d: Draft) -> None:
    """Put the draft's values for the current step into its widgets."""
    rec = recommend(d.unit, cat(), today())
    step = STEPS[d.step]
    for field in STEP_FIELDS.get(step, ()):
        value = getattr(d.unit, field)
        ss[w(field)] = list(value) if isinstance(value, tuple) else value
    if step == "variant":
        ss[w("variant")] = d.chosen_variant(rec)
        ss[w("variant_justification")] = d.variant_justification
        ss[w("ward_relatives")] = d.ward.relatives_routine
        ss[w("ward_discharged")] = d.ward.discharged_routine
    elif step == "undantag":
        ex = d.exemption
        ss[w("ex_scope")] = ex.scope
        ss[w("ex_case_types")] = list(ex.case_types)
        ss[w("ex_grounds")] = list(ex.grounds)
        ss[w("ex_other")] = ex.other_ground
        ss[w("ex_rationale")] = ex.rationale
        ss[w("ex_review_date")] = ex.review_date or review_bounds(today(), cat())[1]
    elif step == "svarstid":
        ss[w("response_time")] = d.response_time or None
        ss[w("citizen_informed")] = d.citizen_informed
    elif step == "beslut":
        ss[w("outcome")] = d.outcome or expected_outcome(rec, d.exemption)
        d = d.model_copy(update={"outcome": ss[w("outcome")]})
        ss[w("decision_text")] = decision_text(d, rec)
        ss[w("rationale")] = d.rationale
        for dev in deviations(d, rec):
            ss[w(f"justification_{dev.code}")] = d.justifications.get(dev.code, "")
        ss[w("update_register")] = d.update_register


def decision_text(d: Draft, rec: Recommendation) -> str:
    """The assessor's own wording, or the tool's while it is unedited, kept up to date with
    outcome, variant and exemption. In Swedish whatever the UI language: a public record."""
    generated = default_decision_text(d, rec, cat(), "sv", today())
    if d.decision_text and d.decision_text != d.decision_text_generated:
        return d.decision_text
    ss[DRAFT] = ss[DRAFT].model_copy(update={"decision_text_generated": generated})
    return generated


@guarded
def outcome_changed() -> None:
    d, _ = collect(ss[DRAFT])
    ss[w("decision_text")] = decision_text(d, recommend(d.unit, cat(), today()))


def collect(d: Draft) -> tuple[Draft, list[FieldError]]:
    """The draft with the current step's widget values; errors for facts the unit refuses."""
    step = STEPS[d.step]
    errors: list[FieldError] = []
    fields = {f: ss[w(f)] for f in STEP_FIELDS.get(step, ()) if w(f) in ss}
    if fields:
        try:
            d = d.model_copy(update={"unit": Unit.model_validate(d.unit.model_dump() | fields)})
        except ValidationError as exc:
            errors = [
                FieldError(field=str(e["loc"][0]), message="wizard.err.required")
                for e in exc.errors()
            ]
    if step == "variant" and w("variant") in ss:
        rec = recommend(d.unit, cat(), today())
        chosen = ss[w("variant")]
        d = d.model_copy(
            update={
                "variant": None if chosen == rec.variant else chosen,
                "variant_justification": ss.get(w("variant_justification"), ""),
                "ward": WardChecklist(
                    relatives_routine=ss.get(w("ward_relatives"), False),
                    discharged_routine=ss.get(w("ward_discharged"), False),
                ),
            }
        )
    elif step == "undantag" and w("ex_scope") in ss:
        scope = ss[w("ex_scope")]
        some = scope != "ingen"
        d = d.model_copy(
            update={
                "exemption": Exemption(
                    scope=scope,
                    case_types=tuple(ss.get(w("ex_case_types"), ()))
                    if scope == "per_arendetyp"
                    else (),
                    grounds=tuple(ss.get(w("ex_grounds"), ())) if some else (),
                    other_ground=ss.get(w("ex_other"), "") if some else "",
                    rationale=ss.get(w("ex_rationale"), "") if some else "",
                    review_date=ss.get(w("ex_review_date")) if some else None,
                )
            }
        )
    elif step == "svarstid" and w("response_time") in ss:
        d = d.model_copy(
            update={
                "response_time": ss[w("response_time")] or "",
                "citizen_informed": ss.get(w("citizen_informed"), False),
            }
        )
    elif step == "beslut" and w("outcome") in ss:
        d = d.model_copy(
            update={
                "outcome": ss[w("outcome")],
                "decision_text": ss.get(w("decision_text"), ""),
                "rationale": ss.get(w("rationale"), ""),
                "update_register": ss.get(w("update_register"), True),
            }
        )
        # the deviations follow from the outcome just chosen; keep each one's justification
        rec = recommend(d.unit, cat(), today())
        justifications = dict(d.justifications)
        for dev in deviations(d, rec):
            key = w(f"justification_{dev.code}")
            if key in ss:
                justifications[dev.code] = ss[key]
        d = d.model_copy(update={"justifications": justifications})
    return d, errors


def show_errors(errors: list[FieldError]) -> None:
    ss[ERRORS] = errors
    ss[ERRORS_FRESH] = True


def persist(d: Draft) -> bool:
    """Save the draft to the store; on a conflict keep it in the session and say why. On a
    failure the session keeps the draft as last saved (the fields keep what was typed)."""
    try:
        save_draft(store(), d, user())
    except StaleRevision as exc:
        ss[DRAFT] = d
        ss[CONFLICT] = tr("wizard.stale", current=exc.current)
        return False
    except DraftNotHeld as exc:
        ss[DRAFT] = d
        ss[CONFLICT] = tr("wizard.taken_over", holder=exc.holder or "?", since=when(exc.since))
        return False
    ss[DRAFT] = d
    return True


# --- Callbacks (run before the page renders) --------------------------------------------
def reset() -> None:
    for key in (DRAFT, ERRORS, CONFLICT, OTHER, CONFIRM, NOTICE, VIEW):
        ss.pop(key, None)


@guarded
def show_unit(hsa_id: str) -> None:
    """Open a unit: its open draft if any; a decided unit's decision first, read-only."""
    reset()
    st.query_params["unit"] = hsa_id
    ss[URL_UNIT] = hsa_id
    status = unit_status(store(), hsa_id, user())
    if status is None:
        ss[NOTICE] = ("warning", tr("wizard.unknown_unit", hsa_id=hsa_id))
    elif status.latest is not None and status.draft_holder is None:
        ss[VIEW] = hsa_id
    else:
        open_unit(hsa_id)


@guarded
def open_unit(hsa_id: str) -> None:
    reset()
    try:
        opened = open_assessment(store(), hsa_id, user())
    except UnknownUnit:
        ss[NOTICE] = ("warning", tr("wizard.unknown_unit", hsa_id=hsa_id))
        return
    st.query_params["unit"] = hsa_id
    ss[URL_UNIT] = hsa_id
    if opened.held_by_other(user()):
        ss[OTHER] = (hsa_id, opened.holder, opened.since)
        return
    ss[DRAFT] = opened.draft
    if opened.resumed:
        ss[NOTICE] = ("info", tr("wizard.resumed", since=when(opened.since)))
    elif opened.draft.based_on_revision:
        ss[NOTICE] = ("info", tr("wizard.reassess", revision=opened.draft.based_on_revision))
    load_step(opened.draft)


@guarded
def take_over(hsa_id: str) -> None:
    reset()
    opened = take_over_draft(store(), hsa_id, user())
    ss[DRAFT] = opened.draft
    load_step(opened.draft)


@guarded
def go(delta: int) -> None:
    d, errors = collect(ss[DRAFT])
    if delta > 0:
        errors += validate_step(STEPS[d.step], d, cat(), today())
    if errors:
        ss[DRAFT] = d
        show_errors(errors)
        return
    d = d.model_copy(update={"step": max(0, min(len(STEPS) - 1, d.step + delta))})
    if persist(d):
        load_step(d)


@guarded
def ask_confirm() -> None:
    d, errors = collect(ss[DRAFT])
    ss[DRAFT] = d
    invalid = validate_all(d, cat(), today())
    if errors or invalid:
        show_errors(errors + [e for step_errors in invalid.values() for e in step_errors])
        first = STEPS.index(next(iter(invalid))) if invalid else d.step
        if first != d.step:
            ss[NOTICE] = (
                "error",
                tr("wizard.invalid", steps=", ".join(tr(f"wizard.step.{s}") for s in invalid)),
            )
            d = d.model_copy(update={"step": first})
            if persist(d):
                load_step(d)
        return
    if persist(d):
        ss[CONFIRM] = True


@guarded
def record() -> None:
    ss[CONFIRM] = False
    ss[RERUN] = True
    d: Draft = ss[DRAFT]
    try:
        revision = submit_decision(store(), d, user(), today())
    except StaleRevision as exc:
        ss[CONFLICT] = tr("wizard.stale", current=exc.current)
        return
    except DraftNotHeld as exc:
        ss[CONFLICT] = tr("wizard.taken_over", holder=exc.holder or "?", since=when(exc.since))
        return
    except DecisionInvalid as exc:
        show_errors([e for errors in exc.errors.values() for e in errors])
        return
    close()
    ss[FLASH] = tr(
        "wizard.recorded", namn=d.unit.namn, revision=revision.revision, author=revision.author
    )


def close() -> None:
    reset()
    st.query_params.pop("unit", None)


@guarded
def discard() -> None:
    d: Draft = ss[DRAFT]
    with contextlib.suppress(DraftNotHeld):  # already gone or taken over: nothing of ours
        discard_draft(store(), d.hsa_id, user())
    close()
    ss[FLASH] = tr("wizard.discarded", namn=d.unit.namn)


@guarded
def cancel_confirm() -> None:
    ss[CONFIRM] = False
    ss[RERUN] = True


# --- Rendering helpers ------------------------------------------------------------------
def field_errors(field: str) -> None:
    """The validation messages for `field`, right where the field is."""
    for error in ss.get(ERRORS, []):
        if error.field == field:
            st.error(tr(error.message, **error.params), icon=":material/error:")


def text_area(field: str, label: str, height: int = 110) -> None:
    st.text_area(label, key=w(field), height=height)
    st.caption(":material/shield_person: " + tr("wizard.no_patient_data"))
    field_errors(field)


def yes_no(field: str) -> None:
    st.radio(
        tr(f"field.{field}"),
        [True, False],
        key=w(field),
        horizontal=True,
        format_func=lambda v: labels.yes_no(v, lang()),
    )
    field_errors(field)


def choice(field: str, options: tuple[str, ...], prefix: str) -> None:
    st.selectbox(
        tr(f"field.{field}"), options, key=w(field), format_func=lambda c: tr(f"{prefix}.{c}")
    )
    field_errors(field)


def case_type_select(field: str, label: str, options: tuple[str, ...] = CASE_TYPES) -> None:
    st.multiselect(
        label,
        options,
        key=w(field),
        placeholder=tr("wizard.select_placeholder"),
        format_func=lambda c: cat().case_type(c).name(lang()),
    )
    field_errors(field)


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
                detail = f" ({', '.join(reason.detail)})" if reason.detail else ""
                st.markdown(
                    f"**`{reason.rule_id}`**{detail}: {reason.text(lang())}  \n"
                    f"*{tr('rec.source')}: {reason.source}*"
                )


# --- Steps ------------------------------------------------------------------------------
def step_enheten(d: Draft, rec: Recommendation) -> None:
    st.caption(tr("wizard.enheten.help"))
    st.text_input(tr("field.hsa_id"), value=d.hsa_id, disabled=True)
    st.text_input(tr("field.namn"), key=w("namn"))
    field_errors("namn")
    st.text_input(tr("field.forvaltning"), key=w("forvaltning"))
    field_errors("forvaltning")
    choice("enhetstyp", ENHETSTYPER, "enhetstyp")
    choice("verksamhet", VERKSAMHETER, "verksamhet")


def step_omfattning(d: Draft, rec: Recommendation) -> None:
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


def step_kanaler(d: Draft, rec: Recommendation) -> None:
    st.caption(tr("wizard.kanaler.help"))
    yes_no("bokar_besok")
    case_type_select("telefon_papper", tr("field.telefon_papper"))
    case_type_select("e_tjanster", tr("field.e_tjanster"))


def step_variant(d: Draft, rec: Recommendation) -> None:
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
        st.checkbox(tr("wizard.ward.relatives"), key=w("ward_relatives"))
        st.caption(tr("wizard.ward.relatives_help"))
        st.checkbox(tr("wizard.ward.discharged"), key=w("ward_discharged"))
        st.caption(tr("wizard.ward.discharged_help"))


def step_undantag(d: Draft, rec: Recommendation) -> None:
    if rec.outcome == "ej_omfattad":
        st.info(tr("wizard.not_applicable"))
        return
    st.radio(
        tr("wizard.exemption.scope_label"),
        ("ingen", "hela_enheten", "per_arendetyp"),
        key=w("ex_scope"),
        format_func=lambda s: tr(f"exemption.{s}"),
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
    field_errors("exemption_rationale")
    earliest, _, latest = review_bounds(today(), cat())
    st.date_input(
        tr("wizard.exemption.review_date"),
        key=w("ex_review_date"),
        min_value=earliest,
        max_value=latest,
        format="YYYY-MM-DD",
    )
    st.caption(tr("wizard.exemption.review_help"))
    field_errors("exemption_review_date")


def step_svarstid(d: Draft, rec: Recommendation) -> None:
    with st.container(border=True):
        st.markdown(f"**{tr('wizard.svarstid.guidance')}**")
        st.write(cat().policy.response_time_goal(lang()))
    if not needs_response_time(d, rec):
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


def step_beslut(d: Draft, rec: Recommendation) -> None:
    st.markdown(f"**{tr('wizard.beslut.summary')}**")
    lines = labels.summary(d, rec, cat(), lang())
    st.table(
        pd.DataFrame(
            lines, columns=[tr("wizard.summary_item"), tr("wizard.summary_value")]
        ).set_index(tr("wizard.summary_item"))
    )
    if d.chosen_variant(rec) == "avdelning" and not (
        d.ward.relatives_routine and d.ward.discharged_routine
    ):
        st.warning(tr("wizard.ward.unconfirmed"))
    st.markdown(
        tr("wizard.beslut.expected", outcome=tr(f"decision.{expected_outcome(rec, d.exemption)}"))
    )
    st.radio(
        tr("wizard.beslut.outcome"),
        ("omfattas", "delvis_undantagen", "undantagen", "ej_omfattad", "avvaktar"),
        key=w("outcome"),
        format_func=lambda o: tr(f"decision.{o}"),
        horizontal=True,
        on_change=outcome_changed,
    )
    field_errors("outcome")
    text_area("decision_text", tr("wizard.beslut.text"))
    text_area("rationale", tr("wizard.beslut.rationale"))
    st.markdown(f"**{tr('wizard.beslut.deviations')}**")
    devs = deviations(d, rec)
    if not devs:
        st.caption(tr("wizard.beslut.no_deviations"))
    for dev in devs:
        description = labels.deviation(dev, cat(), lang())
        if dev.code == "variant":
            st.markdown(f"- {description}: *{d.variant_justification}*")
            continue
        if w(f"justification_{dev.code}") not in ss:
            ss[w(f"justification_{dev.code}")] = d.justifications.get(dev.code, "")
        text_area(
            f"justification_{dev.code}",
            tr("wizard.beslut.justify", deviation=description),
            height=80,
        )
    if corrections(d):
        st.checkbox(tr("wizard.beslut.update_register"), key=w("update_register"))


RENDER = {
    "enheten": step_enheten,
    "omfattning": step_omfattning,
    "kanaler": step_kanaler,
    "variant": step_variant,
    "undantag": step_undantag,
    "svarstid": step_svarstid,
    "beslut": step_beslut,
}


def confirm_dialog(d: Draft) -> None:
    if ss.pop(RERUN, False):
        st.rerun()  # the decision was recorded or cancelled: redraw the whole page
    st.markdown(tr("wizard.confirm.body", namn=d.unit.namn))
    left, right = st.columns(2)
    left.button(tr("wizard.confirm.yes"), type="primary", on_click=record, key="confirm_yes")
    right.button(tr("wizard.confirm.no"), on_click=cancel_confirm, key="confirm_no")


def conflict_panel(d: Draft | None) -> None:
    st.error(ss[CONFLICT], icon=":material/sync_problem:")
    if d is None:
        return
    texts: dict[str, Any] = {
        tr("wizard.beslut.text"): d.decision_text,
        tr("wizard.beslut.rationale"): d.rationale,
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


def returned_notice(verdict: StoredApproval) -> None:
    """A return and its comment, in plain text (a quote block would be too faint to read)."""
    st.warning(
        tr("returned.notice", actor=verdict.approver, at=when(verdict.at)) + " " + verdict.comment,
        icon=":material/undo:",
    )


def decision_view(hsa_id: str) -> None:
    """A decided unit's current decision, read-only, and the way to a new assessment."""
    status = unit_status(store(), hsa_id, user())
    if status is None or status.latest is None:
        return
    latest = status.latest
    with st.container(border=True):
        st.subheader(tr("wizard.decision.title", revision=latest.revision))
        st.markdown(f"**{status.unit.namn}** · {hsa_id}")
        st.markdown(f"**{tr('wizard.beslut.outcome')}:** {tr(f'decision.{latest.outcome}')}")
        st.markdown(f"**{tr('wizard.beslut.text')}:** {latest.decision.get('decision_text')}")
        st.markdown(f"**{tr('wizard.beslut.rationale')}:** {latest.decision.get('rationale')}")
        st.caption(tr("wizard.decision.by", author=latest.author, at=when(latest.created_at)))
        verdict = next(
            (a for a in approvals(store(), hsa_id, user()) if a.revision == latest.revision), None
        )
        if verdict is None:
            st.markdown(f"**{tr('col.beslutsstatus')}:** {tr('status.for_beslut')}")
        elif verdict.verdict == "faststalld":
            st.markdown(
                f"**{tr('col.beslutsstatus')}:** {tr('status.faststalld')} · "
                + tr("approval.by", actor=verdict.approver, at=when(verdict.at))
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
    label = tr("wizard.pick_other", namn=draft.unit.namn) if draft else tr("wizard.pick")
    with st.expander(label, expanded=draft is None and VIEW not in ss, icon=":material/search:"):
        query = st.text_input(
            tr("wizard.search"), key="wizard_search", help=tr("wizard.search_help")
        )
        matches = search_units(store(), query, user(), limit=100)
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
        )
        st.button(
            tr("wizard.open"), on_click=show_unit, args=(pick,), key="wizard_open", type="primary"
        )


def wizard(draft: Draft) -> None:
    step = STEPS[draft.step]
    live, _ = collect(draft)
    rec = recommend(live.unit, cat(), today())
    st.header(f"{draft.unit.namn} · {draft.hsa_id}")
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
            v
            for v in approvals(store(), draft.hsa_id, user())
            if v.revision == draft.based_on_revision and v.verdict == "aterremitterad"
        ]
        for verdict in returned:
            returned_notice(verdict)
    main, side = st.columns([3, 2], gap="large")
    with main:
        st.subheader(tr(f"wizard.step.{step}"))
        if corrections(live) and step in STEP_FIELDS:
            st.info(tr("wizard.corrected", changes=labels.changes(live, cat(), lang())))
        RENDER[step](live, rec)
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
        recommendation_panel(rec)
    if ss.get(CONFIRM):
        st.dialog(tr("wizard.confirm.title"), on_dismiss=cancel_confirm)(confirm_dialog)(live)


# --- The page -------------------------------------------------------------------------
st.title(tr("wizard.title"))
st.caption(tr("wizard.intro"))
ss.pop(RERUN, None)
if not ss.pop(ERRORS_FRESH, False):
    ss.pop(ERRORS, None)  # messages belong to the click that raised them

if FLASH in ss:
    st.success(ss.pop(FLASH), icon=":material/check_circle:")

url_unit = st.query_params.get("unit")  # a deep link opens its unit, once per link
if url_unit and url_unit != ss.get(URL_UNIT):
    ss[URL_UNIT] = url_unit
    show_unit(url_unit)

unit_picker(ss.get(DRAFT))

if NOTICE in ss:
    kind, message = ss.pop(NOTICE)  # said once: it describes what just happened
    getattr(st, kind)(message)
if VIEW in ss:
    decision_view(ss[VIEW])
if OTHER in ss:
    hsa_id, holder, since = ss[OTHER]
    st.warning(tr("wizard.held_by_other", holder=holder, since=when(since)), icon=":material/lock:")
    st.button(tr("wizard.take_over"), on_click=take_over, args=(hsa_id,), key="wizard_take_over")
if CONFLICT in ss:
    conflict_panel(ss.get(DRAFT))
elif DRAFT in ss:
    wizard(ss[DRAFT])
