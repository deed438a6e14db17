"""The frame: page config, language, navigation. Pages live in pages/, logic in logic/."""

from __future__ import annotations

import logging
import uuid

import streamlit as st

from logic.catalog import CatalogError
from logic.i18n import LANGUAGES, t
from pages.common import LANG_KEY, actor, cat, lang, store, tr

log = logging.getLogger("basutbud")

st.set_page_config(page_title=t("app.title"), page_icon=":material/fact_check:", layout="wide")

if LANG_KEY not in st.session_state:
    st.session_state[LANG_KEY] = lang()


def language_changed() -> None:
    """Choices shown through translated labels ("w_" widgets) keep their values: setting
    them again makes Streamlit send them with the new language's labels."""
    for key in [k for k in st.session_state if str(k).startswith("w_")]:
        st.session_state[key] = st.session_state[key]


with st.sidebar:
    st.selectbox(
        t("app.language"),
        LANGUAGES,
        key=LANG_KEY,
        format_func=lambda code: t(f"language.{code}"),  # each in its own language
        on_change=language_changed,
    )
    st.caption(tr("app.user", user=actor()))

try:
    cat()
    store()
except CatalogError as exc:
    st.error(tr("app.catalog_error", error=exc))
    st.stop()
except Exception as exc:  # the database is unreachable or cannot be migrated
    log.exception("database unavailable")
    st.error(tr("app.database_error", error=type(exc).__name__))
    st.stop()

page = st.navigation(
    [
        st.Page(
            "pages/oversikt.py",
            title=tr("nav.overview"),
            icon=":material/dashboard:",
            url_path="oversikt",
            default=True,
        ),
        st.Page(
            "pages/bedomning.py",
            title=tr("nav.assessment"),
            icon=":material/assignment:",
            url_path="bedomning",
        ),
        st.Page(
            "pages/beslut.py",
            title=tr("nav.register"),
            icon=":material/list_alt:",
            url_path="beslut",
        ),
        st.Page(
            "pages/uppfoljning.py",
            title=tr("nav.dashboard"),
            icon=":material/monitoring:",
            url_path="uppfoljning",
        ),
        st.Page(
            "pages/administration.py",
            title=tr("nav.admin"),
            icon=":material/admin_panel_settings:",
            url_path="administration",
        ),
    ]
)
try:
    page.run()
except Exception:
    # A plain message with a code the support can find in the log; never a stack trace.
    code = uuid.uuid4().hex[:8]
    log.exception("unexpected error, code %s", code)
    st.error(tr("app.unexpected_error", code=code))
