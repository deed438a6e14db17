"""A unit manager in a real browser: signed in, Min enhet shows their own units with their
decisions, and no page of the register exists for them, whatever the address asks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from logic.bootstrap import audit_key
from logic.settings import Settings
from logic.store.db import make_engine
from logic.store.store import Store
from tests.cli import run_cli
from tests.e2e.conftest import Server, choose, local_sign_in, wait_for_app
from tests.factories import ANNA, BERIT, decide
from tests.smtp_server import smtp_server

pytestmark = pytest.mark.e2e
NORTH = "SE162321000255-DEMO0001"


def test_a_unit_manager_sees_their_own_units_and_nothing_of_the_register(
    page: Page, server: Server
) -> None:
    local_sign_in(page, f"{server.url}/min_enhet", "Elin Enhetschef")
    expect(page.get_by_role("heading", name="Min enhet")).to_be_visible()
    expect(page.get_by_role("heading", name="Vårdcentral Norra, Lund (demo)")).to_be_visible()
    rollout = page.locator("[data-testid='stDataFrame']").first
    expect(rollout).to_contain_text("Kontakta oss / Skriv till oss")
    page.screenshot(path=str(server.db.parent / "min-enhet.png"), full_page=True)
    choose(page, "Enhet", "Vårdcentralen Södervärn Malmö (demo) · SE162321000255-DEMO0002")
    heading = "Vårdcentralen Södervärn Malmö (demo) · SE162321000255-DEMO0002"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("link", name="Beslut")).to_have_count(0)  # one page: Min enhet
    page.goto(f"{server.url}/beslut?text=DEMO0003")  # the register, asked for by hand
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Beslut")).to_have_count(0)
    expect(page.locator("[data-testid='stDataFrame']").filter(has_text="DEMO0003")).to_have_count(0)


def test_a_unit_manager_asks_gets_the_answer_and_acknowledges_the_decision(
    page: Page, server: Server
) -> None:
    """A unit manager's journey: asks for an exemption, acknowledges the decision in force
    and reports an e-service removed; the regional team answers on Översikt; the unit
    manager reads the answer, and the mail of the decision and the answer arrives."""
    url = f"sqlite:///{server.db}"
    engine = make_engine(url)
    store = Store(engine, audit_key(Settings(database_url=url)))  # the key the app writes with
    decide(store, NORTH, ANNA, approver=BERIT, rationale="Enheten omfattas.")
    engine.dispose()

    local_sign_in(page, f"{server.url}/min_enhet", "Elin Enhetschef")
    page.locator("[data-testid='stRadio']").get_by_text("Undantag", exact=True).click()
    page.get_by_label("Varför?").fill("Vi har ingen tidbokning på nätet ännu.")
    page.get_by_role("button", name="Skicka begäran").click()
    wait_for_app(page)
    expect(page.get_by_text("Begäran är skickad till regionens team.")).to_be_visible()
    page.get_by_role("button", name="Kvittera beslutet (revision 1)").click()
    wait_for_app(page)
    expect(page.get_by_text("Du kvitterade beslutet (revision 1)")).to_be_visible()
    page.get_by_text("Rapportera en e-tjänst").click()  # the unit stopped renewing online
    page.locator("[data-testid='stRadio']").get_by_text("Förnya recept", exact=True).click()
    page.locator("[data-testid='stRadio']").get_by_text("Den är borttagen", exact=True).click()
    page.get_by_role("button", name="Rapportera", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Rapporten om Förnya recept är sparad.")).to_be_visible()
    expect(page.get_by_text("vilar på enhetens egen rapport")).to_be_visible()

    team = page.context.new_page()
    local_sign_in(team, server.url, "Hanna Handläggare")  # Översikt, her start page
    expect(team.get_by_role("heading", name="Begäran från enheter")).to_be_visible()
    expect(team.get_by_text("Vi har ingen tidbokning på nätet ännu.")).to_be_visible()
    team.get_by_label("Svar på begäran 1").fill("Vi bedömer enheten igen i januari.")
    team.get_by_role("button", name="Skicka svaret").click()
    wait_for_app(team)
    expect(team.get_by_text("Svaret på begäran 1 är skickat.")).to_be_visible()
    team.close()

    # Elin's page runs again (her session is hers, whoever chose last on this server)
    choose(page, "Enhet", "Vårdcentralen Södervärn Malmö (demo) · SE162321000255-DEMO0002")
    choose(page, "Enhet", f"Vårdcentral Norra, Lund (demo) · {NORTH}")
    requests = page.locator("[data-testid='stDataFrame']").filter(has_text="Undantag")
    expect(requests).to_contain_text("Vi bedömer enheten igen i januari.")
    page.screenshot(path=str(server.db.parent / "min-enhet-svar.png"), full_page=True)

    # the mail: send-mail over a real SMTP server on this machine
    with smtp_server() as (inbox, port):
        sent = run_cli("send-mail", url=url, SMTP_HOST="127.0.0.1", SMTP_PORT=str(port))
        assert sent.returncode == 0, sent.stderr
    to_elin = {str(m["Subject"]) for m in inbox.to("elin.enhetschef@")}
    assert {
        "Nytt beslut om basutbudet för Vårdcentral Norra, Lund (demo)",
        "Din begäran nr 1 om Vårdcentral Norra, Lund (demo) är besvarad",
    } <= to_elin  # and the day's reminders of e-services past their deadline
    answered = next(m for m in inbox.to("elin.enhetschef@") if "besvarad" in str(m["Subject"]))
    assert "Hanna Handläggare har besvarat din begäran nr 1" in answered.get_content()
