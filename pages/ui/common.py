"""What every page shares: the store, the catalog, the session's language. Thin by design:
everything that decides or computes lives in logic/."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import runpy
import uuid
from collections.abc import Callable, MutableMapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any, ParamSpec
from zoneinfo import ZoneInfo

import altair as alt
import pandas as pd
import streamlit as st

from logic.bootstrap import open_store
from logic.clock import local_today
from logic.domain.auth import PermissionDenied, User, may
from logic.domain.catalog import Catalog
from logic.domain.errors import DatabaseError, Refused
from logic.domain.record import StoredRevision
from logic.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from logic.presentation import frames, labels
from logic.presentation.charts import tooltips
from logic.presentation.history import diff
from logic.services import Store
from logic.services.register import export_table
from logic.services.unit_of_work import catalog_of
from logic.settings import settings

LANG_KEY = "lang"
LANG_CHOSEN = "lang_chosen"  # the language chosen, kept outside the widget (app.py)
LANG_OWNER = "lang_owner"  # whose choice it is (None: chosen before anyone signed in)
USER_KEY = "user"  # the signed-in User, set by app.py on every run
ERROR_KEY = "app_error"  # a failed callback's message, shown by app.py on the next run
# True while app.py runs a page in this script run (a run is one thread: what a page asks is
# about its own run, never about another session's or an earlier run of its own)
IN_FRAME: ContextVar[bool] = ContextVar("in_frame", default=False)
log = logging.getLogger("basutbud")
P = ParamSpec("P")


# url_path -> (file, title message key, icon). Which of them a user gets: auth.PAGES.
PAGE_FILES = {
    "oversikt": ("pages/oversikt.py", "nav.overview", ":material/dashboard:"),
    "bedomning": ("pages/bedomning.py", "nav.assessment", ":material/assignment:"),
    "faststallande": ("pages/faststallande.py", "nav.approval", ":material/task_alt:"),
    "beslut": ("pages/beslut.py", "nav.register", ":material/list_alt:"),
    "uppfoljning": ("pages/uppfoljning.py", "nav.follow_up", ":material/monitoring:"),
    "inforande": ("pages/inforande.py", "nav.rollout", ":material/timeline:"),
    "katalog": ("pages/katalog.py", "nav.catalog", ":material/policy:"),
    "administration": (
        "pages/administration.py",
        "nav.admin",
        ":material/admin_panel_settings:",
    ),
    "min_enhet": ("pages/min_enhet.py", "nav.my_units", ":material/home_work:"),
}


NO_ACCESS = ("ingen-behorighet", "pages/ingen_behorighet.py")  # for a user with no page
APP = Path(__file__).resolve().parents[2] / "app.py"


def ensure_frame() -> None:
    """Run the page inside app.py's frame (language, sign-in, navigation, error guard).

    Streamlit sees the pages/ folder and, until app.py has called st.navigation once, runs
    the requested page file directly (its "pages/ folder" multipage mode; the app tests run
    in it every time), skipping the frame. Each page calls this first: outside the frame it
    runs app.py itself, which declares the pages with st.navigation (Streamlit's documented
    way out of that mode, for the whole server) and runs this page inside the frame; then
    this direct run stops. Nothing is rerun, so the widget event that started the run (a
    click) reaches the page. The test is whether app.py is running this page: a second
    session that started a page at the same moment is still outside the frame."""
    if not IN_FRAME.get():
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    """One store per database for the server process (migrated and prepared at first use)."""
    return open_store(settings().model_copy(update={"database_url": url}))


def store() -> Store:
    return _store(settings().database_url)


# The catalog in force today, read once per script run (app.py empties it at each run's start):
# pages ask for it per row in their tables.
RUN_CATALOG: ContextVar[Catalog | None] = ContextVar("run_catalog", default=None)


def cat() -> Catalog:
    """The catalog the services decide by today: the version in force."""
    found = RUN_CATALOG.get()
    if found is None:
        found = catalog_of(store())
        RUN_CATALOG.set(found)
    return found


def today() -> dt.date:
    """Today in the region, by the store's clock: the day the services act on."""
    return local_today(store())


def keep_language(memory: dict[str, str], state: MutableMapping[str, Any], email: str) -> bool:
    """The language a person chose, kept for them across a reload or a new tab (`memory`:
    the server's, by e-mail): a choice made in this session is theirs (or, made before
    anyone signed in, becomes theirs); in a new session, or when another person takes over
    this computer (local mode), their own remembered language comes back. True when the
    page must be drawn again in it."""
    owner = state.get(LANG_OWNER)
    if LANG_CHOSEN in state and owner in (None, email):
        memory[email] = state[LANG_CHOSEN]
        state[LANG_OWNER] = email
        return False
    remembered = memory.get(email)
    if remembered is None or owner == email:
        return False
    state[LANG_CHOSEN] = remembered
    state[LANG_OWNER] = email
    return remembered != state.get(LANG_KEY)


def lang() -> str:
    value = st.session_state.get(LANG_KEY, settings().app_language)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, /, **params: object) -> str:
    """The message `key` in the session's language."""
    return t(key, lang(), **params)


# What Markdown (and Streamlit's additions) would turn into markup: emphasis, code, links and
# images, HTML and autolinks, strikethrough, formulas, tables; ":" before a letter or "/"
# (icons, emoji, colours, URLs); "www." (an autolink); a line's first character when it
# would start a heading, quote, list or underline.
_INLINE = re.compile(r"([\\`*_\[\]<>~$|&])|(:(?=[A-Za-z/]))|(www)(\.)", re.IGNORECASE)
# An e-mail address would become a mailto link (escaping does not stop that, and a link in a
# caption is too faint to read): it is shown as inline code, which is never a link.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_LINE_START = re.compile(r"^(\s*)(?:([#>+\-=])|(\d+)([.)]))", re.MULTILINE)


def md(text: object) -> str:
    """Text that came from a person or a file, for a place that renders Markdown (markdown,
    headers, captions, alerts, labels, st.table cells): shown as written, never as a link,
    an image, a heading, a formula or a colour; line breaks kept."""
    parts = _EMAIL.split(str(text))
    emails = _EMAIL.findall(str(text))
    return "".join(
        _escaped(part) + (f"`{emails[i]}`" if i < len(emails) else "")
        for i, part in enumerate(parts)
    )


def _escaped(text: str) -> str:
    escaped = _INLINE.sub(
        lambda m: f"{m.group(3)}\\{m.group(4)}" if m.group(3) else "\\" + m.group(0),
        text,
    )
    escaped = _LINE_START.sub(
        lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"),
        escaped,
    )
    return escaped.replace("\n", "  \n")


def tr_md(key: str, /, **params: object) -> str:
    """The message `key` with its parameters shown as written (see md): for messages that
    carry a name, a comment or anything else a person or a file wrote."""
    return tr(key, **{name: md(value) for name, value in params.items()})


def plain_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for st.table (whose cells render Markdown) with every text shown as written."""
    return frame.map(lambda v: md(v) if isinstance(v, str) else v)


def user() -> User:
    """The signed-in user (app.py signs in before any page runs)."""
    return st.session_state[USER_KEY]


def allowed(action: str) -> bool:
    """May the signed-in user take this action? Pages hide what the user may not do; the
    services refuse it anyway."""
    return may(st.session_state.get(USER_KEY), action)


def figures(lines: list[tuple[str, str, str]]) -> None:
    """The managers' figures (management_frames.headline), three to a row: the share large,
    the counts in words under it."""
    for start in range(0, len(lines), 3):
        row = lines[start : start + 3]
        for column, (label, share, count) in zip(st.columns(3), row, strict=False):
            column.metric(label, share or "–")
            column.caption(count)


def chart_with_table(
    name: str,
    title: str,
    frame: pd.DataFrame,
    chart: alt.Chart | alt.LayerChart | None,
    note: str = "",
    empty: str = "chart.empty",
    empty_params: dict[str, object] | None = None,
) -> None:
    """A chart, its table one click away, and a CSV of exactly that table (audited). The
    download is built when clicked, outside the script run: it takes the user now."""
    if title:  # else the page wrote its heading, and any controls under it, itself
        st.subheader(title)
    if note:
        st.caption(note)
    if frame.empty:
        st.info(tr(empty, **(empty_params or {})))
        return
    chart_tab, table_tab = st.tabs([tr("chart.tab"), tr("chart.table")])
    with chart_tab:
        if chart is not None:
            st.altair_chart(chart, width="stretch")
        st.caption(tr("chart.alt"))
    with table_tab:
        st.dataframe(frame, hide_index=True, width="stretch")
    download_table(name, frame)


def download_table(name: str, frame: pd.DataFrame, label: str = "chart.download") -> None:
    """A CSV for Excel of exactly this table, audited, for those who may export."""
    if not allowed("export"):
        return
    me = user()
    st.download_button(
        tr(label),
        data=lambda u=me: (
            export_table(
                store(),
                name,
                list(frame.columns),
                list(frame.itertuples(index=False)),
                "csv-excel",
                u,
            ).data
        ),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"dl_{name}",
        icon=":material/download:",
    )


def count_bars(frame: pd.DataFrame, label: str, value: str) -> alt.Chart:
    """Horizontal bars with the count printed at the end: meaning never by colour alone."""
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{label}:N", sort=None, title=None, axis=alt.Axis(labelLimit=280)),
        x=alt.X(f"{value}:Q", title=value, axis=alt.Axis(format="d", tickMinStep=1)),
        tooltip=tooltips(frame.columns),
    )
    return (
        base.mark_bar() + base.mark_text(align="left", dx=4).encode(text=alt.Text(f"{value}:Q"))
    ).properties(height=alt.Step(26))


def decision_detail(revision: StoredRevision) -> None:
    """A revision as the record reads: every line of the decision, its checksum and the
    recommendation's rule trace with sources (the register and the approval page)."""
    st.table(
        plain_table(frames.revision_lines(revision, cat(), lang())).set_index(
            tr("wizard.summary_item")
        )
    )
    with st.expander(tr("register.unit_facts")):
        st.table(
            plain_table(frames.unit_fact_lines(revision, cat(), lang())).set_index(
                tr("wizard.summary_item")
            )
        )
    st.caption(tr("register.hash", hash=revision.content_hash))
    with st.expander(
        tr("register.trace", revision=revision.revision, version=revision.catalog_version)
    ):
        for reason in revision.recommendation.reasons:
            st.markdown(
                f"{md(labels.reason(reason, cat(), lang()))}  \n"
                f"*{tr('rec.source')}: {md(reason.source)}*"
            )


def error_message(exc: Exception) -> str:
    """What a user is told when something fails: a refusal in words, or a plain message with
    a code the support can find in the log. Never a stack trace."""
    if isinstance(exc, PermissionDenied):
        # only a crafted request gets here: pages never offer what the role may not do
        log.warning("permission denied: %s", exc)
        return tr("auth.denied")
    if isinstance(exc, Refused):  # any other refusal, in its own words
        key, params = exc.words()
        tz = ZoneInfo(settings().timezone)  # a moment is said in the region's time
        return tr_md(
            key,
            **{
                name: frames.local_time(value, tz) if isinstance(value, dt.datetime) else value
                for name, value in params.items()
            },
        )
    if isinstance(exc, DatabaseError):  # unreachable, read-only, full: said as it is
        log.error("database error: %s", exc.reason)
        return tr("app.database_error", error=exc.reason)
    code = uuid.uuid4().hex[:8]
    log.error("unexpected error, code %s", code, exc_info=exc)
    return tr("app.unexpected_error", code=code)


def guarded(callback: Callable[P, None]) -> Callable[P, None]:
    """Widget callbacks run before the script, outside app.py's error guard: the same
    message instead of Streamlit's error box (Streamlit's own control flow passes, being a
    BaseException)."""

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except Exception as exc:
            st.session_state[ERROR_KEY] = error_message(exc)

    return run


def revision_changes(old: StoredRevision, new: StoredRevision) -> None:
    """Field by field, what changed from one revision to another, in words."""
    fields = {"inputs", "decision", "catalog_version"}
    changes = diff(
        old.model_dump(mode="json", include=fields), new.model_dump(mode="json", include=fields)
    )
    st.caption(
        tr_md(
            "register.changed_by",
            to=new.revision,
            author=new.author,
            at=frames.local_time(new.created_at, ZoneInfo(settings().timezone)),
        )
    )
    if not changes:
        st.caption(tr("register.no_changes"))
        return
    # a table, not a grid: a long value (the decision text, a rationale) wraps, never cut
    st.table(
        plain_table(
            pd.DataFrame(
                {
                    tr("register.field"): [frames.field_label(c.field, lang()) for c in changes],
                    tr("register.before"): [
                        frames.field_value(c.field, c.before, cat(), lang()) for c in changes
                    ],
                    tr("register.after"): [
                        frames.field_value(c.field, c.after, cat(), lang()) for c in changes
                    ],
                }
            )
        ).set_index(tr("register.field"))
    )
