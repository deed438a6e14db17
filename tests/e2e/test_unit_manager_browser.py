"""A unit manager in a real browser: signed in, Min enhet shows their own units with their
decisions, and no page of the register exists for them, whatever the address asks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, choose, local_sign_in, wait_for_app

pytestmark = pytest.mark.e2e


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
