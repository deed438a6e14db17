"""Min enhet: a unit manager's own units, as the register shows them. Nothing else of the
register exists here: the units are those the user table gives the signed-in person."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from logic.presentation import frames
from logic.services.unit_managers import my_units
from logic.settings import settings
from pages.ui.common import cat, ensure_frame, lang, store, tr, user

ensure_frame()
st.title(tr("my_units.title"))
st.caption(tr("my_units.help"))
units = my_units(store(), user())
if units:
    st.dataframe(
        frames.register_frame(units, cat(), lang(), ZoneInfo(settings().timezone)),
        hide_index=True,
        width="stretch",
        key="my_units_table",
    )
else:
    st.info(tr("my_units.none"), icon=":material/info:")
