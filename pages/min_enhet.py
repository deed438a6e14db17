"""Min enhet: a unit manager's own units, and nothing else of the register. For each: the
decision with its lines, every revision and its document, and the roll-out per case type
with its deadline. The units are those the user table gives the signed-in person; every
service asked checks the unit again."""

from __future__ import annotations

import streamlit as st

from logic.presentation import rollout_frames as rf
from logic.services.register import unit_history
from logic.services.rollout import unit_rollout
from logic.services.unit_managers import my_units
from logic.services.verdicts import unit_verdicts
from pages.ui.common import cat, ensure_frame, lang, md, store, today, tr, user
from pages.ui.unit_detail import decision_and_history

ensure_frame()
me = user()  # who downloads: the deferred files are built outside the script run
st.title(tr("my_units.title"))
st.caption(tr("my_units.help"))
units = my_units(store(), me)
if not units:
    st.info(tr("my_units.none"), icon=":material/info:")
    st.stop()
names = {u.hsa_id: f"{u.namn} · {u.hsa_id}" for u in units}
chosen = st.selectbox(
    tr("my_units.pick"),
    list(names),
    key="my_unit",
    format_func=lambda h: names[h],
    placeholder=tr("choose"),
)
if chosen:
    st.subheader(md(names[chosen]))
    st.markdown(f"**{tr('my_units.rollout')}**")
    mine = unit_rollout(store(), me, chosen, today())
    if mine:
        st.dataframe(rf.unit_frame(mine, cat(), lang()), hide_index=True, width="stretch")
    else:
        st.caption(tr("rollout.unit_none"))
    history = unit_history(store(), chosen, me)
    if not history:
        st.info(tr("register.not_assessed"))
    else:
        verdicts = {v.revision: v for v in unit_verdicts(store(), chosen, me)}
        decision_and_history(chosen, history, verdicts, me, "my")
