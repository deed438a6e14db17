"""The wizard's session state and its callbacks (they run before the page renders).

The draft lives under a key no widget uses; widgets are "w_<field>" (wizard_form.key).
Services are called through their module, so a test can replace one between runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from logic.domain.assessment import STEPS, Draft
from logic.domain.errors import DecisionInvalid, DraftNotHeld, StaleRevision, UnknownUnit
from logic.domain.validation import FieldError, validate_all, validate_step
from logic.presentation import frames, wizard_form
from logic.services import assessment
from logic.settings import settings
from pages.ui.common import cat, guarded, store, today, tr, tr_md, user

DRAFT = "wizard_draft"
OTHER = "wizard_held_by_other"  # (hsa_id, holder, since) when someone else holds the draft
VIEW = "wizard_view"  # a decided unit, shown read-only until a new assessment starts
ERRORS = "wizard_errors"
ERRORS_FRESH = "wizard_errors_fresh"  # the errors belong to the click just made
CONFLICT = "wizard_conflict"
FLASH = "wizard_flash"
CONFIRM = "wizard_confirm"
FOCUS = "wizard_focus"  # a step was changed to: its heading takes the keyboard focus
FOCUSED = "wizard_focused"  # how many times so far (each focus script must differ)
NOTICE = "wizard_notice"
URL_UNIT = "wizard_url_unit"
RERUN = "wizard_rerun"  # a dialog button asks for a full rerun (a dialog reruns alone)
SAVED = "wizard_saved"  # the draft as last stored: what autosave compares with

ss = st.session_state
w = wizard_form.key


def when(moment: dt.datetime | None) -> str:
    return frames.local_time(moment, ZoneInfo(settings().timezone)) if moment else "?"


def collect(d: Draft) -> tuple[Draft, list[FieldError]]:
    """The draft with what the current step's widgets hold now."""
    return wizard_form.collect(d, ss, cat(), today())


def load_step(d: Draft) -> None:
    """Put the draft's values for the current step into its widgets."""
    for name, value in wizard_form.values_for(d, cat(), today()).items():
        ss[name] = value


@guarded
def scope_changed() -> None:
    """Back from "Inget undantag" (its fields were not shown): what was typed before comes
    back, as the draft kept it. Between two scopes the fields stay as they are."""
    d: Draft = ss[DRAFT]
    if d.exemption.scope != "ingen":
        return
    scope = ss[w("ex_scope")]
    shown = d.model_copy(update={"exemption": d.exemption.model_copy(update={"scope": scope})})
    values = wizard_form.values_for(shown, cat(), today())
    for name in ("ex_case_types", "ex_grounds", "ex_other", "ex_rationale", "ex_review_date"):
        ss[w(name)] = values[w(name)]


def show_errors(errors: list[FieldError]) -> None:
    ss[ERRORS] = errors
    ss[ERRORS_FRESH] = True


def persist(d: Draft) -> bool:
    """Save the draft to the store; on a conflict keep it in the session and say why. On a
    failure the session keeps the draft as last saved (the fields keep what was typed)."""
    try:
        stored = assessment.save_draft(store(), d, user(), base=ss.get(SAVED))
    except StaleRevision as exc:
        ss[DRAFT] = d
        ss[CONFLICT] = tr("wizard.stale", current=exc.current)
        return False
    except DraftNotHeld as exc:
        ss[DRAFT] = d
        ss[CONFLICT] = tr_md("wizard.taken_over", holder=exc.holder or "?", since=when(exc.since))
        return False
    except DecisionInvalid as exc:  # a text the record must never hold: said at its field
        ss[DRAFT] = d.model_copy(update={"step": ss[DRAFT].step})  # what was typed, unmoved
        show_errors([e for errors in exc.errors.values() for e in errors])
        return False
    ss[DRAFT] = ss[SAVED] = stored
    if stored != d:  # another tab's fields were kept: show them here too
        load_step(stored)
    return True


def autosave() -> None:
    """Every field as it changes: whatever the widgets hold now is stored when it differs
    from the draft as last stored, so a reload, a closed tab or a lost connection at any step
    keeps what was typed. (A text field reaches the server when it loses focus; Streamlit
    sends nothing before that.) Facts the unit refuses wait for the step's own check."""
    d, errors = collect(ss[DRAFT])
    if not errors and d != ss.get(SAVED):
        persist(d)


def reset() -> None:
    for name in (DRAFT, SAVED, ERRORS, CONFLICT, OTHER, CONFIRM, NOTICE, VIEW):
        ss.pop(name, None)


@guarded
def show_unit(hsa_id: str) -> None:
    """Open a unit: its open draft if any; a decided unit's decision first, read-only."""
    reset()
    st.query_params["unit"] = hsa_id
    ss[URL_UNIT] = hsa_id
    status = assessment.unit_status(store(), hsa_id, user())
    if status is None:
        ss[NOTICE] = ("warning", tr_md("wizard.unknown_unit", hsa_id=hsa_id))  # from the URL
    elif status.latest is not None and status.draft_holder is None:
        ss[VIEW] = hsa_id
    else:
        open_unit(hsa_id)


@guarded
def open_unit(hsa_id: str) -> None:
    reset()
    try:
        opened = assessment.open_assessment(store(), hsa_id, user())
    except UnknownUnit:
        ss[NOTICE] = ("warning", tr_md("wizard.unknown_unit", hsa_id=hsa_id))
        return
    st.query_params["unit"] = hsa_id
    ss[URL_UNIT] = hsa_id
    if opened.held_by_other(user()):
        ss[OTHER] = (hsa_id, opened.holder, opened.since)
        return
    ss[DRAFT] = ss[SAVED] = opened.draft
    if opened.resumed:
        ss[NOTICE] = ("info", tr("wizard.resumed", since=when(opened.since)))
    elif opened.draft.based_on_revision:
        ss[NOTICE] = ("info", tr("wizard.reassess", revision=opened.draft.based_on_revision))
    load_step(opened.draft)


@guarded
def take_over(hsa_id: str) -> None:
    reset()
    opened = assessment.take_over_draft(store(), hsa_id, user())
    ss[DRAFT] = ss[SAVED] = opened.draft
    load_step(opened.draft)


def focus_step() -> None:
    ss[FOCUSED] = ss[FOCUS] = ss.get(FOCUSED, 0) + 1


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
        load_step(ss[DRAFT])  # as stored (with another tab's fields, if any)
        focus_step()


@guarded
def go_to(step: str) -> None:
    """Back to the step where what the decision contradicts is entered (what is typed on
    this step is kept: it is saved first)."""
    d, _ = collect(ss[DRAFT])
    d = d.model_copy(update={"step": STEPS.index(step)})
    if persist(d):
        load_step(ss[DRAFT])
        focus_step()


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
                load_step(ss[DRAFT])
        return
    # laid over what is stored now (another tab of this person may have saved fields since:
    # they are recorded too); what autosave stored already is not saved again (save_draft
    # writes nothing then), so submitting is one action
    if persist(d):
        ss[CONFIRM] = True


@guarded
def record() -> None:
    ss[CONFIRM] = False
    ss[RERUN] = True
    d: Draft = ss[DRAFT]
    try:
        revision = assessment.submit_decision(store(), d, user())
    except StaleRevision as exc:
        ss[CONFLICT] = tr("wizard.stale", current=exc.current)
        return
    except DraftNotHeld as exc:
        ss[CONFLICT] = tr_md("wizard.taken_over", holder=exc.holder or "?", since=when(exc.since))
        return
    except DecisionInvalid as exc:
        show_errors([e for errors in exc.errors.values() for e in errors])
        return
    close()
    ss[FLASH] = tr_md(
        "wizard.recorded", namn=d.unit.namn, revision=revision.revision, author=revision.author
    )


def close() -> None:
    reset()
    st.query_params.pop("unit", None)


@guarded
def discard() -> None:
    d: Draft = ss[DRAFT]
    with contextlib.suppress(DraftNotHeld):  # already gone or taken over: nothing of ours
        assessment.discard_draft(store(), d.hsa_id, user())
    close()
    ss[FLASH] = tr_md("wizard.discarded", namn=d.unit.namn)


@guarded
def cancel_confirm() -> None:
    ss[CONFIRM] = False
    ss[RERUN] = True
