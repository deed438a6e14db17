"""Accessibility (WCAG 2.1 AA as far as Streamlit allows): axe-core, in the real browser,
over every page each role sees and every step of the wizard, on a register at work (the
demo history). No serious or critical violation may come from the app's own content."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, local_sign_in, serve, wait_for_app

AXE = Axe()
NOT_ASSESSED = "SE162321000255-DEMO0002"  # the demo history leaves every other unit
PAGES = {
    "Hanna Handläggare": ["", "bedomning", "beslut", "uppfoljning", "inforande"],
    "Bengt Beslutsfattare": ["faststallande", f"bedomning?unit={NOT_ASSESSED}"],
    "Cecilia Chef": ["", "beslut", "uppfoljning", "inforande"],
    "Adam Administratör": ["administration"],
}


@pytest.fixture
def working(tmp_path: Path) -> Iterator[Server]:
    with serve(tmp_path, seed=("seed", "--demo-history")) as running:
        yield running


def serious(page: Page) -> list[str]:
    """The serious and critical violations on the page as it stands, in words."""
    result = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_of_every_role_passes_axe(page: Page, working: Server) -> None:
    found: dict[str, list[str]] = {}
    for who, paths in PAGES.items():
        local_sign_in(page, working.url, who)
        for path in paths:
            page.goto(f"{working.url}/{path}")
            wait_for_app(page)
            if problems := serious(page):
                found[f"{who}: /{path}"] = problems
    assert found == {}


def test_every_step_of_the_wizard_passes_axe(page: Page, working: Server) -> None:
    local_sign_in(page, f"{working.url}/bedomning?unit={NOT_ASSESSED}", "Hanna Handläggare")
    found: dict[str, list[str]] = {}
    for number in range(1, 8):
        expect(page.get_by_text(f"Steg {number} av 7").first).to_be_visible()
        if problems := serious(page):
            found[f"step {number}"] = problems
        if number < 7:
            if number == 6:  # Svarstid must be answered to go on
                box = page.get_by_role("combobox", name="Enhetens utlovade svarstid", exact=False)
                box.click()
                page.get_by_role("option", name="Senast samma vardag").click()
                wait_for_app(page)
            page.get_by_role("button", name="Nästa", exact=True).click()
            wait_for_app(page)
    assert found == {}
