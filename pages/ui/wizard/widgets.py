"""The wizard's inputs: each labelled, its validation messages right below it."""

from __future__ import annotations

import streamlit as st

from logic.domain.codes import CASE_TYPES
from logic.presentation import labels
from pages.ui.common import cat, lang, tr
from pages.ui.wizard.state import ERRORS, ss, w


def field_errors(field: str) -> None:
    """The validation messages for `field`, right where the field is."""
    for error in ss.get(ERRORS, []):
        if error.field == field:
            st.error(labels.field_error(error, cat(), lang()), icon=":material/error:")


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
        tr(f"field.{field}"),
        options,
        key=w(field),
        format_func=lambda c: tr(f"{prefix}.{c}"),
        placeholder=tr("choose"),
    )
    field_errors(field)


def case_type_select(field: str, label: str, options: tuple[str, ...] = CASE_TYPES) -> None:
    st.multiselect(
        label,
        options,
        key=w(field),
        placeholder=tr("wizard.select_placeholder"),
        format_func=lambda c: cat().case_type(c).name(lang()),
        select_all=False,  # Streamlit's "Select all" is in English, and one slip exempts all
    )
    field_errors(field)
