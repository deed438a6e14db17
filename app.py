"""The frame: page config, language, sign-in, navigation by role. Pages live in pages/,
logic in logic/."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import streamlit as st
from pydantic import ValidationError

from logic.bootstrap import AuditKeyMissing
from logic.domain.auth import DEMO_USERS, User, is_loopback, local_request_allowed, pages_for
from logic.domain.errors import CatalogAltered
from logic.files.reference_data import CatalogError
from logic.i18n import LANGUAGES, t
from logic.services.users import choose_language, current_user, record_sign_out, sign_in
from logic.settings import settings
from pages.ui.common import (
    ERROR_KEY,
    IN_FRAME,
    LANG_CHOSEN,
    LANG_KEY,
    LANG_OWNER,
    NO_ACCESS,
    PAGE_FILES,
    RUN_CATALOG,
    USER_KEY,
    cat,
    error_message,
    guarded,
    keep_language,
    lang,
    store,
    tr,
    tr_md,
)

log = logging.getLogger("basutbud")
LOCAL_USER_KEY = "local_user"  # local mode: the chosen demo user's e-mail
SIGNED_IN_KEY = "signed_in_as"  # the e-mail whose sign-in this session has recorded

# The tab's icon is a file of ours: a Material icon would be fetched from Google's servers
# by every browser that opens the app (nothing leaves the region's network for a page).
ICON = Path(__file__).resolve().parent / "data" / "icon.png"
st.set_page_config(page_title=t("app.title"), page_icon=str(ICON), layout="wide")

st.session_state[LANG_KEY] = st.session_state.get(LANG_CHOSEN) or lang()


@st.cache_resource(show_spinner=False)
def languages_chosen(database_url: str) -> dict[str, str]:
    """The language each person last chose on this server, by e-mail, so a reload or a new
    tab keeps it as it keeps the sign-in (a restarted server starts from APP_LANGUAGE)."""
    return {}


@guarded
def language_changed() -> None:
    """Choices shown through translated labels ("w_" widgets) keep their values: setting
    them again makes Streamlit send them with the new language's labels."""
    st.session_state[LANG_CHOSEN] = st.session_state[LANG_KEY]
    st.session_state[LANG_OWNER] = st.session_state.get(SIGNED_IN_KEY)
    for key in [k for k in st.session_state if str(k).startswith("w_")]:
        st.session_state[key] = st.session_state[key]


@st.cache_resource(show_spinner=False)
def last_local_user(database_url: str) -> dict[str, str]:
    """Local mode: the demo user last chosen on this server, so a reload or a new tab keeps
    being that user (one person at one computer; there is no cookie to keep it in)."""
    return {}


@guarded
def local_user_chosen() -> None:
    email = st.session_state.get(LOCAL_USER_KEY)
    remembered = last_local_user(settings().database_url)
    previous = st.session_state.get(SIGNED_IN_KEY)
    if previous and previous != email:  # another person now: nothing of the last one's work
        record_sign_out(store(), next(u for u in DEMO_USERS if u.email == previous))
        keep = {LANG_KEY, LANG_CHOSEN, LANG_OWNER, LOCAL_USER_KEY}
        for key in [k for k in st.session_state if k not in keep]:
            del st.session_state[key]
    if not email:  # the choice was cleared: nobody, until someone is chosen
        remembered.pop("email", None)
        return
    demo = next(u for u in DEMO_USERS if u.email == email)
    sign_in(store(), demo.email, demo.namn, via="local")
    st.session_state[SIGNED_IN_KEY] = email
    remembered["email"] = email


def sign_out() -> None:
    if USER_KEY in st.session_state:
        record_sign_out(store(), st.session_state[USER_KEY])
    st.session_state.pop(SIGNED_IN_KEY, None)
    st.session_state.pop(USER_KEY, None)
    st.logout()


with st.sidebar:
    st.selectbox(
        t("app.language"),
        LANGUAGES,
        key=LANG_KEY,
        format_func=lambda code: t(f"language.{code}"),  # each in its own language
        on_change=language_changed,
        placeholder=tr("choose"),
    )

RUN_CATALOG.set(None)  # read afresh in each run: a version may have taken effect
try:
    cat()
    store()
except CatalogError as exc:
    st.error(tr("app.catalog_error", error=exc))
    st.stop()
except AuditKeyMissing:
    st.error(tr("cli.audit_key_missing"))
    st.stop()
except CatalogAltered as exc:  # the version in force edited behind the app's back
    key, params = exc.words()
    st.error(tr(key, **params))  # python -m logic verify-audit names what was altered
    st.stop()
except Exception as exc:  # the database is unreachable or cannot be migrated
    log.exception("database unavailable")
    st.error(tr("app.database_error", error=type(exc).__name__))
    st.stop()


def without_user(render: Callable[[], None]) -> NoReturn:
    """Before anyone is signed in: every page is registered but hidden and none runs, so the
    sidebar lists nothing (no stale pages, no file names) and a deep link survives sign-in."""
    st.navigation(
        [
            st.Page(file, title=tr(title), url_path=path, default=i == 0)
            for i, (path, (file, title, _)) in enumerate(PAGE_FILES.items())
        ],
        position="hidden",
    )
    render()
    st.stop()


def choose_user_page() -> None:
    st.title(tr("app.title"))
    st.info(tr("auth.local_intro"), icon=":material/science:")


def local_sign_in() -> User:
    """Local mode: no identity provider; the person chooses a demo user. Only ever on a
    loopback address, so nobody else can reach a tool where anyone may be anyone."""
    address = st.get_option("server.address")
    if not is_loopback(address):
        log.error("local mode refused: server.address is %r", address)
        without_user(lambda: st.error(tr("auth.local_not_loopback", address=address or "0.0.0.0")))
    # Streamlit gives None for a browser on localhost; anything not a string is unknown
    client = st.context.ip_address if isinstance(st.context.ip_address, str) else None
    headers = {k: v for k, v in st.context.headers.items() if isinstance(v, str)}
    host = next((v for k, v in headers.items() if k.lower() == "host"), None)
    if not local_request_allowed(address, client, host, list(headers)):
        log.error("local mode refused a request from %r with headers %r", client, list(headers))
        without_user(lambda: st.error(tr("auth.local_not_this_computer")))
    # Who is signed in is kept outside the widget and handed to it on every run: the
    # widget's identity changes once navigation first runs, which would drop its value.
    chosen = (
        st.session_state.get(SIGNED_IN_KEY)
        or st.session_state.get(LOCAL_USER_KEY)
        or last_local_user(settings().database_url).get("email")
    )
    if chosen:
        st.session_state[LOCAL_USER_KEY] = chosen
    with st.sidebar:
        st.selectbox(
            tr("auth.choose_user"),
            [u.email for u in DEMO_USERS],
            index=None,
            key=LOCAL_USER_KEY,
            placeholder=tr("auth.choose_placeholder"),
            format_func=lambda email: next(
                f"{u.namn} ({', '.join(tr(f'role.{r}') for r in u.roles)})"
                for u in DEMO_USERS
                if u.email == email
            ),
            on_change=local_user_chosen,
        )
    email = st.session_state.get(LOCAL_USER_KEY)
    if not email:
        without_user(choose_user_page)
    if st.session_state.get(SIGNED_IN_KEY) != email:  # chosen before this session's run
        local_user_chosen()
    demo = next(u for u in DEMO_USERS if u.email == email)
    return current_user(store(), demo.email, demo.namn)


def sign_in_page() -> None:
    st.title(tr("app.title"))
    st.write(tr("auth.sign_in_text"))
    st.button(tr("auth.sign_in"), on_click=st.login, type="primary", icon=":material/login:")


def no_email_page() -> None:
    st.error(tr("auth.no_email"))
    st.button(tr("auth.sign_out"), on_click=sign_out)


def refused_email_page() -> None:
    st.error(tr("auth.refused_email"))
    st.button(tr("auth.sign_out"), on_click=sign_out)


def oidc_sign_in() -> User:
    """OpenID Connect through st.login; roles come from the user table, by e-mail."""
    if "auth" not in st.secrets:
        without_user(lambda: st.error(tr("auth.not_configured")))
    if not st.user.is_logged_in:
        without_user(sign_in_page)
    email = str(st.user.get("email") or "").strip().lower()
    # roles hang on the e-mail: a provider that says it is unverified is not trusted with it
    if not email or st.user.get("email_verified") is False:
        without_user(no_email_page)
    namn = str(st.user.get("name") or email)
    if st.session_state.get(SIGNED_IN_KEY) != email:
        try:
            sign_in(store(), email, namn, via="oidc")
        except ValidationError:  # an address no user may have: one that looks like another
            without_user(refused_email_page)
        st.session_state[SIGNED_IN_KEY] = email
    return current_user(store(), email, namn)


local = settings().auth_mode == "local"
user = local_sign_in() if local else oidc_sign_in()
st.session_state[USER_KEY] = user
chosen = languages_chosen(settings().database_url)
before = chosen.get(user.email)
if keep_language(chosen, st.session_state, user.email):
    st.rerun()  # drawn again in the person's own language
if user.roles and chosen.get(user.email) not in (None, before):  # chosen now: their mail's too
    choose_language(store(), user, chosen[user.email])

with st.sidebar:
    st.caption(
        tr_md("auth.signed_in_as", namn=user.namn, email=user.email)
        + "  \n"
        + tr("auth.roles", roles=", ".join(tr(f"role.{r}") for r in user.roles) or "–")
    )
    if not local:
        st.button(tr("auth.sign_out"), on_click=sign_out, icon=":material/logout:", key="sign_out")

allowed = pages_for(user)
pages = [
    st.Page(file, title=tr(title), icon=icon, url_path=path, default=i == 0)
    for i, (path, (file, title, icon)) in enumerate((p, PAGE_FILES[p]) for p in allowed)
] or [
    st.Page(NO_ACCESS[1], title=tr("nav.no_access"), icon=":material/lock:", url_path=NO_ACCESS[0])
]
page = st.navigation(pages)
if local:  # on every page, in words (the colour only repeats them)
    st.badge(tr("auth.local_banner"), icon=":material/science:", color="orange")
if ERROR_KEY in st.session_state:  # from a callback of the previous interaction
    st.error(st.session_state.pop(ERROR_KEY), icon=":material/error:")
framed = IN_FRAME.set(True)  # pages check it (pages.ui.common.ensure_frame)
try:
    page.run()
except Exception as exc:
    st.error(error_message(exc), icon=":material/error:")
finally:
    IN_FRAME.reset(framed)
