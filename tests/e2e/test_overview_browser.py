"""A user opens the app in a real browser and reads the start page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server, choose, local_sign_in, wait_for_app

pytestmark = pytest.mark.e2e


def metric(page: Page, label: str):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid='stMetric']").filter(has_text=label)


def test_start_page_shows_the_register_and_switches_to_english(page: Page, server: Server) -> None:
    page.goto(server.url)
    wait_for_app(page)
    # before anyone is chosen: no page list in the sidebar (not even file names)
    expect(page.get_by_text("välj en demoanvändare i sidopanelen")).to_be_visible()
    expect(page.get_by_role("navigation", name="App pages")).to_have_count(0)
    local_sign_in(page, server.url, "Cecilia Chef")
    expect(page.get_by_role("navigation", name="App pages")).to_be_visible()
    expect(page.get_by_role("heading", name="Översikt")).to_be_visible()
    expect(metric(page, "Enheter i registret")).to_contain_text("72")
    # every chart has its data table beside it
    expect(page.get_by_text("samma siffror står i tabellen bredvid").first).to_be_visible()

    choose(page, "Förvaltning", "Medicinsk service")
    expect(metric(page, "Enheter i registret")).to_contain_text("6")

    choose(page, "Språk / Language", "English")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    # the filter stays as chosen across the language switch
    expect(page.get_by_role("combobox", name="Administration")).to_have_value("Medicinsk service")
    expect(metric(page, "Units in the register")).to_contain_text("6")


def test_local_mode_refuses_a_request_through_a_proxy(browser: Browser, server: Server) -> None:
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": "203.0.113.9"})
    page = context.new_page()
    page.goto(server.url)
    wait_for_app(page)
    expect(page.get_by_text("tar bara emot anrop från den här datorn")).to_be_visible()
    expect(page.get_by_role("combobox", name="Användare (lokalt läge)")).to_have_count(0)
    context.close()
