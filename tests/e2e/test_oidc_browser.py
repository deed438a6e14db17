"""Sign-in with OpenID Connect in a real browser: st.login against oidc-provider-mock, roles
from the user table by e-mail, the sign-in in the audit trail, and sign-out through the
provider's end_session page. Everything on loopback; nothing is written into the repo."""

from __future__ import annotations

import json
import secrets
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import closing

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, free_port, serve, stop, wait_for_app, wait_healthy

pytestmark = pytest.mark.e2e
HOST = "127.0.0.1"  # the browser must use the very host of redirect_uri (the auth cookie's)
ADMIN = "anna.admin@region.se"
ADMIN_NAME = "Anna Admin"
NOBODY = "okand@region.se"  # signs in fine, but holds no role
MANAGER = "ulla.enhetschef@region.se"  # a unit manager, given one unit by an administrator
LOOKALIKE = "\u0430nna.admin@region.se"  # the administrator's address with a Cyrillic а
TIMEOUT = 15_000


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """oidc-provider-mock (its CLI) on a free loopback port, with the claims of our users;
    one per module: the apps under test share it, each with its own database and cookie."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("oidc") / "provider.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", HOST, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://{HOST}:{port}"
    try:
        wait_healthy(f"{base}/.well-known/openid-configuration", process, log_path)
        people = (
            (ADMIN, ADMIN_NAME),
            (NOBODY, "Okänd Person"),
            (MANAGER, "Ulla Enhetschef"),
            (LOOKALIKE, ADMIN_NAME),
        )
        for email, name in people:
            request = urllib.request.Request(
                f"{base}/users/{urllib.parse.quote(email)}",
                data=json.dumps({"email": email, "name": name}).encode(),
                headers={"Content-Type": "application/json"},
                method="PUT",
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                assert response.status == 204
        yield base
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory: pytest.TempPathFactory, provider: str) -> Iterator[Server]:
    """The app with AUTH_MODE=oidc and FIRST_ADMIN set, one per module (starting one takes
    seconds); each test has its own browser context, so no test sees another's sign-in.
    The [auth] secrets come from a file under tmp (--secrets.files), not the repo's."""
    tmp_path = tmp_path_factory.mktemp("app")
    port = free_port()
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://{HOST}:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "basutbud-e2e"\n'  # the mock accepts any client
        'client_secret = "any-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    with serve(
        tmp_path,
        env={"AUTH_MODE": "oidc", "FIRST_ADMIN": ADMIN},
        args=("--secrets.files", str(secrets_file)),
        port=port,
    ) as running:
        yield running


def sign_ins(server: Server, email: str) -> list[dict[str, object]]:
    """The details of every sign_in audit event of `email`, oldest first."""
    with closing(sqlite3.connect(server.db)) as db:
        rows = db.execute(
            "SELECT details FROM audit_events WHERE action = 'sign_in' AND actor = ? ORDER BY id",
            (email,),
        ).fetchall()
    return [json.loads(details) for (details,) in rows]


def oidc_sign_in(page: Page, server: Server, provider: str, email: str) -> None:
    """Open the app, press "Logga in", authorize as `email` at the mock, land back signed in."""
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{provider}/oauth2/authorize**", timeout=TIMEOUT)
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{server.url}/**", timeout=TIMEOUT)
    wait_for_app(page)
    expect(page.get_by_role("button", name="Logga in")).to_have_count(0)


def sidebar_nav(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stSidebarNav")


def test_an_administrator_signs_in_with_oidc_and_sees_the_admin_pages_then_signs_out(
    page: Page, oidc_server: Server, provider: str
) -> None:
    oidc_sign_in(page, oidc_server, provider, ADMIN)
    sidebar = page.get_by_test_id("stSidebar")
    caption = sidebar.locator("[data-testid='stCaptionContainer']").filter(has_text="Inloggad som")
    expect(caption).to_contain_text(f"({ADMIN})", timeout=TIMEOUT)
    expect(caption).to_contain_text("Roller: Administratör")  # the role from the user table
    signed_in_as = caption.inner_text()
    nav = sidebar_nav(page)
    expect(nav.get_by_role("link", name="Administration")).to_be_visible()
    for other in ("Bedömning", "Fastställande"):  # an administrator neither assesses nor approves
        expect(nav.get_by_role("link", name=other)).to_have_count(0)
    expect(page.get_by_text("Lokalt läge")).to_have_count(0)  # no demo-user badge with OIDC

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{provider}/oauth2/end_session**", timeout=TIMEOUT)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{oidc_server.url}/**", timeout=TIMEOUT)
    wait_for_app(page)
    expect(page.get_by_role("button", name="Logga in")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(ADMIN)).to_have_count(0)
    # Last, so that a wrong name does not hide the sign-out: the person is greeted by the
    # name the provider gives, not by the placeholder FIRST_ADMIN was seeded with.
    assert f"Inloggad som {ADMIN_NAME} ({ADMIN})" in signed_in_as, signed_in_as


def test_a_signed_in_user_without_a_role_sees_only_whom_to_ask(
    page: Page, oidc_server: Server, provider: str
) -> None:
    oidc_sign_in(page, oidc_server, provider, NOBODY)
    expect(page.get_by_role("heading", name="Ingen behörighet ännu")).to_be_visible(timeout=TIMEOUT)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(f"Du är inloggad som {NOBODY}")).to_be_visible()
    expect(main.get_by_role("listitem").filter(has_text=ADMIN)).to_be_visible()
    # one page only, so Streamlit draws no navigation at all; none of the others exists
    links = sidebar_nav(page).get_by_role("link")
    for other in ("Översikt", "Bedömning", "Fastställande", "Beslut", "Uppföljning"):
        expect(links.filter(has_text=other)).to_have_count(0)
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    page.goto(f"{oidc_server.url}/oversikt")  # typed by hand: still only whom to ask
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Ingen behörighet ännu")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name="Översikt")).to_have_count(0)


def test_an_address_that_looks_like_another_is_refused_in_words_at_sign_in(
    page: Page, oidc_server: Server, provider: str
) -> None:
    oidc_sign_in(page, oidc_server, provider, LOOKALIKE)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("e-postadress som ingen användare kan ha")).to_be_visible(
        timeout=TIMEOUT
    )
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    assert sign_ins(oidc_server, LOOKALIKE) == []  # nothing recorded for it


def test_an_oidc_sign_in_is_recorded_in_the_audit_trail(
    page: Page, oidc_server: Server, provider: str
) -> None:
    before = len(sign_ins(oidc_server, ADMIN))  # other tests of the module may sign in too
    oidc_sign_in(page, oidc_server, provider, ADMIN)
    expect(page.get_by_text(f"({ADMIN})")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("link", name="Beslut").click()  # a page change is a rerun, not a sign-in
    wait_for_app(page)
    recorded = sign_ins(oidc_server, ADMIN)[before:]
    assert recorded == [{"via": "oidc", "roles": ["administrator"]}]  # once, not per rerun


def test_a_unit_manager_signs_in_with_oidc_and_sees_their_unit_only(
    page: Page, oidc_server: Server, provider: str
) -> None:
    from logic.bootstrap import audit_key
    from logic.domain.auth import SYSTEM, User
    from logic.services.users import save_user
    from logic.settings import Settings
    from logic.store.db import make_engine
    from logic.store.store import Store

    url = f"sqlite:///{oidc_server.db}"
    engine = make_engine(url)
    store = Store(engine, audit_key(Settings(database_url=url)))  # the key the app writes with
    unit = "SE162321000255-DEMO0003"
    held = User(email=MANAGER, namn="Ulla Enhetschef", roles=("enhetschef",), units=(unit,))
    save_user(store, held, SYSTEM)
    engine.dispose()
    oidc_sign_in(page, oidc_server, provider, MANAGER)
    expect(page.get_by_role("heading", name="Min enhet")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name=unit, exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Beslut")).to_have_count(0)
    assert sign_ins(oidc_server, MANAGER)[-1]["roles"] == ["enhetschef"]
