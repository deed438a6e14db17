"""For a signed-in user without a role: whom to ask. Nothing else exists for them."""

import streamlit as st

from logic.services.users import administrators
from pages.ui.common import ensure_frame, md, store, tr, tr_md, user

ensure_frame()
st.title(tr("auth.no_access_title"))
st.write(tr_md("auth.no_access_text", email=user().email))
admins = administrators(store())
if admins:
    st.markdown("\n".join(f"- {md(a.namn)} ({md(a.email)})" for a in admins))
else:
    st.write(tr("auth.no_admins"))
