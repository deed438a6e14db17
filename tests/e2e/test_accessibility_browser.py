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
PAGES = {  # every page each role has
    "Hanna Handläggare": ["", "bedomning", "beslut", "uppfoljning", "inforande"],
    "Bengt Beslutsfattare": [
        "",
        "faststallande",
        f"bedomning?unit={NOT_ASSESSED}",
        "beslut",
        "uppfoljning",
        "inforande",
    ],
    "Cecilia Chef": ["", "beslut", "uppfoljning", "inforande"],
    "Adam Administratör": ["", "beslut", "uppfoljning", "inforande", "administration"],
    "Elin Enhetschef": [""],  # Min enhet, her one page
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


def focused(page: Page) -> str:
    """The element with the keyboard focus, in words: its role or tag, and its name."""
    return str(
        page.evaluate(
            """(() => { const e = document.activeElement;
            return [e.tagName, e.getAttribute("role") || "", e.getAttribute("aria-label") || "",
                    (e.innerText || e.value || "").trim().slice(0, 60)].join(" | "); })()"""
        )
    )


def tab_to(page: Page, wanted: str, most: int = 60) -> int:
    """Press Tab until the focused element's description holds `wanted`; how many presses."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if wanted in focused(page):
            return presses
    raise AssertionError(f"{wanted!r} not reached in {most} Tabs; at {focused(page)}")


def fields_focused(page: Page) -> bool:
    return str(page.evaluate("document.activeElement.tagName")) in ("INPUT", "TEXTAREA")


def test_the_wizard_is_completed_by_keyboard_alone(page: Page, working: Server) -> None:
    """Every step by Tab, Enter and typing; after Nästa the focus is on the new step's
    heading, so its first field is a few Tabs away (not behind the sidebar and the panels)."""
    local_sign_in(page, f"{working.url}/bedomning?unit={NOT_ASSESSED}", "Hanna Handläggare")
    expect(page.get_by_text("Steg 1 av 7").first).to_be_visible()
    for number in range(1, 7):
        tab_to(page, "Nästa")
        page.keyboard.press("Enter")
        wait_for_app(page)
        expect(page.get_by_text(f"Steg {number + 1} av 7").first).to_be_visible()
        assert "H3" in focused(page), focused(page)  # the new step's heading
        presses = 0
        while not fields_focused(page) and presses < 5:
            page.keyboard.press("Tab")
            presses += 1
        assert fields_focused(page), f"step {number + 1}: no field within 5 Tabs"
        if number + 1 == 6:  # Svarstid: the promise, chosen by typing
            assert "svarstid" in focused(page).lower()
            page.keyboard.type("Senast samma vardag")
            page.keyboard.press("Enter")
            wait_for_app(page)
    page.get_by_text("Steg 7 av 7").first.wait_for()
    tab_to(page, "TEXTAREA")  # the rationale
    page.keyboard.type("Enheten ska kunna kontaktas digitalt.")
    tab_to(page, "Skicka för fastställande")
    page.keyboard.press("Enter")
    wait_for_app(page)
    tab_to(page, "Ja, skicka")
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("skickat för fastställande som revision 1").first).to_be_visible()


def test_a_unit_manager_asks_by_keyboard_alone(page: Page, working: Server) -> None:
    """Min enhet by Tab, arrows, Enter and typing: the request chosen, written and sent."""
    local_sign_in(page, working.url, "Elin Enhetschef")
    expect(page.get_by_role("heading", name="Min enhet")).to_be_visible()
    tab_to(page, "Varför?", most=120)  # the request's reason
    page.keyboard.press("Shift+Tab")  # back to what is asked for: a radio group
    page.keyboard.press("ArrowRight")  # Undantag
    page.keyboard.press("Tab")
    assert "Varför?" in focused(page), focused(page)
    page.keyboard.type("Vi har ingen tidbokning på nätet ännu.")
    tab_to(page, "Skicka begäran")
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Begäran är skickad till regionens team.")).to_be_visible()
    requests = page.locator("[data-testid='stDataFrame']").filter(has_text="Undantag")
    expect(requests).to_contain_text("Vi har ingen tidbokning på nätet ännu.")


def test_nothing_is_fetched_from_outside_the_server(page: Page, working: Server) -> None:
    """No page makes the browser ask another host for anything (fonts, icons, scripts):
    what the staff do stays between them and the region's server."""
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(working.url) else None,
    )
    for who, paths in PAGES.items():
        local_sign_in(page, working.url, who)
        for path in paths:
            page.goto(f"{working.url}/{path}")
            wait_for_app(page)
    assert [u for u in outside if not u.startswith(("data:", "blob:"))] == []
