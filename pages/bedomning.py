"""Bedömning: take one unit, step by step, from scope to a decision submitted for approval.

Thin: the draft, its validation and its view live in logic/domain; the widget <-> draft
mapping in logic/presentation/wizard_form.py; the steps and panels in pages/ui/wizard/.
Widgets need no st.form: the recommendation beside the steps follows every answer live.
"""

from __future__ import annotations

import streamlit as st

from pages.ui.common import ensure_frame, tr, tr_md
from pages.ui.wizard.panels import (
    conflict_panel,
    decision_view,
    requests_beside,
    unit_picker,
    wizard,
)
from pages.ui.wizard.state import (
    CONFIRM,
    CONFLICT,
    DRAFT,
    ERRORS,
    ERRORS_FRESH,
    FLASH,
    NOTICE,
    OTHER,
    RERUN,
    URL_UNIT,
    VIEW,
    autosave,
    show_unit,
    ss,
    take_over,
    when,
)

ensure_frame()

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
    st.warning(
        tr_md("wizard.held_by_other", holder=holder, since=when(since)), icon=":material/lock:"
    )
    st.button(tr("wizard.take_over"), on_click=take_over, args=(hsa_id,), key="wizard_take_over")
if DRAFT in ss and CONFLICT not in ss and not ss.get(CONFIRM):
    autosave()  # before anything is shown: a conflict it meets is shown below
if CONFLICT in ss:
    conflict_panel(ss.get(DRAFT))
elif DRAFT in ss:
    requests_beside(ss[DRAFT].unit.hsa_id)
    wizard(ss[DRAFT])
