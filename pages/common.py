"""What every page shares: the store, the catalog, the session's language. Thin by design:
everything that decides or computes lives in logic/."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from logic import tables
from logic.auth import User, may
from logic.catalog import Catalog, catalog
from logic.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from logic.services import (
    ensure_demo_users,
    ensure_first_administrator,
    refresh_recommendations,
)
from logic.settings import settings
from logic.store.db import make_engine, migrate
from logic.store.store import Store, StoredRevision

LANG_KEY = "lang"
USER_KEY = "user"  # the signed-in User, set by app.py on every run


def ensure_frame() -> None:
    """Run the page inside app.py's frame (language, navigation, error guard).

    Streamlit sees the pages/ folder and, until app.py has called st.navigation once, runs
    the first request's page file directly (its "v1" multipage mode), skipping the frame.
    Each page calls this first: it switches that mode off and reruns through app.py."""
    from streamlit.runtime.pages_manager import PagesManager  # no public switch exists

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    engine = make_engine(url)
    migrate(engine)  # idempotent; a fresh database works without a separate step
    store = Store(engine)
    refresh_recommendations(store)  # after an edit of data/catalog; a no-op otherwise
    if settings().first_admin:
        ensure_first_administrator(store, settings().first_admin)
    if settings().auth_mode == "local":
        ensure_demo_users(store)
    return store


def store() -> Store:
    return _store(settings().database_url)


def cat() -> Catalog:
    return catalog()


def lang() -> str:
    value = st.session_state.get(LANG_KEY, settings().app_language)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, /, **params: object) -> str:
    """The message `key` in the session's language."""
    return t(key, lang(), **params)


def user() -> User:
    """The signed-in user (app.py signs in before any page runs)."""
    return st.session_state[USER_KEY]


def allowed(action: str) -> bool:
    """May the signed-in user take this action? Pages hide what the user may not do; the
    services refuse it anyway."""
    return may(st.session_state.get(USER_KEY), action)


def count_bars(frame: pd.DataFrame, label: str, value: str) -> alt.Chart:
    """Horizontal bars with the count printed at the end: meaning never by colour alone."""
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{label}:N", sort=None, title=None, axis=alt.Axis(labelLimit=280)),
        x=alt.X(f"{value}:Q", title=value, axis=alt.Axis(format="d", tickMinStep=1)),
        tooltip=list(frame.columns),
    )
    return (
        base.mark_bar() + base.mark_text(align="left", dx=4).encode(text=f"{value}:Q")
    ).properties(height=alt.Step(26))


def decision_detail(revision: StoredRevision) -> None:
    """A revision as the record reads: every line of the decision, its checksum and the
    recommendation's rule trace with sources (the register and the approval page)."""
    st.table(tables.revision_lines(revision, cat(), lang()).set_index(tr("wizard.summary_item")))
    st.caption(tr("register.hash", hash=revision.content_hash))
    with st.expander(
        tr("register.trace", revision=revision.revision, version=revision.catalog_version)
    ):
        for reason in revision.recommendation.reasons:
            detail = f" ({', '.join(reason.detail)})" if reason.detail else ""
            st.markdown(
                f"**`{reason.rule_id}`**{detail}: {reason.text(lang())}  \n"
                f"*{tr('rec.source')}: {reason.source}*"
            )
