"""The regional team assesses a ward in a real browser: start to a decision submitted for
approval, a reload in the middle, an exemption without rationale refused at the field; then
a decision-maker approves it (four eyes)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from logic.services.register import unit_history
from logic.services.verdicts import unit_verdicts
from logic.store.db import make_engine
from logic.store.store import Store
from tests.e2e.conftest import Server, choose, local_sign_in, wait_for_app
from tests.factories import ANNA

pytestmark = pytest.mark.e2e
WARD = "SE162321000255-DEMO0055"


def click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    wait_for_app(page)


def current_step(page: Page, name: str) -> None:
    expect(page.get_by_text(f": {name}", exact=False).first).to_be_visible()
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()


def test_assess_a_ward_with_a_reload_in_the_middle(page: Page, server: Server) -> None:
    local_sign_in(page, f"{server.url}/bedomning?unit={WARD}", "Hanna Handläggare")
    expect(page.get_by_role("heading", name="Kirurgavdelningen Trelleborg")).to_be_visible()
    current_step(page, "Enheten")
    # the live recommendation beside the steps
    expect(page.get_by_text("Utfall:").first).to_be_visible()
    for name in ("Omfattning", "Kanaler", "Variant"):
        click(page, "Nästa")
        current_step(page, name)
    page.get_by_text("När en anhörig frågar om en inlagd patient").click()
    wait_for_app(page)
    click(page, "Nästa")
    current_step(page, "Undantag")

    # a reload starts a new session (local mode remembers who you were): the draft resumes
    # where it stood
    page.reload()
    wait_for_app(page)
    current_step(page, "Undantag")
    expect(page.get_by_text("Du fortsätter ditt utkast")).to_be_visible()

    # an exemption without rationale is refused at the field
    page.get_by_text("Hela enheten undantas från e-tjänster").click()
    wait_for_app(page)
    page.get_by_role("combobox", name="Grund för undantaget (en eller flera)").click()
    page.get_by_role("option", name="Enheten avvecklas (bedömning)").click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    click(page, "Nästa")
    current_step(page, "Undantag")
    rationale = page.get_by_role("textbox", name="Motivering till undantaget")
    expect(rationale).to_be_visible()
    expect(page.get_by_text("Motivera undantaget: varför")).to_be_visible()

    page.get_by_text("Inget undantag").click()
    wait_for_app(page)
    click(page, "Nästa")
    current_step(page, "Svarstid")
    choose(page, "Enhetens utlovade svarstid för skriftlig kontakt", "Senast samma vardag")
    click(page, "Nästa")
    current_step(page, "Beslut")
    page.get_by_role("textbox", name="Motivering", exact=True).fill(
        "Avdelningen ska kunna nås digitalt."
    )
    page.keyboard.press("Tab")
    wait_for_app(page)
    # a reload on the step itself keeps what was typed there (saved as the field changed)
    page.reload()
    wait_for_app(page)
    current_step(page, "Beslut")
    expect(page.get_by_role("textbox", name="Motivering", exact=True)).to_have_value(
        "Avdelningen ska kunna nås digitalt."
    )
    click(page, "Skicka för fastställande")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("blir en allmän handling")).to_be_visible()
    dialog.get_by_role("button", name="Ja, skicka").click()
    wait_for_app(page)
    expect(page.get_by_text("är skickat för fastställande som revision 1")).to_be_visible()

    engine = make_engine(f"sqlite:///{server.db}")
    [revision] = unit_history(Store(engine), WARD, ANNA)
    assert revision.decision["rationale"] == "Avdelningen ska kunna nås digitalt."
    assert revision.decision["ward"]["ask_patient"] is True
    assert revision.author == "hanna.handlaggare@demo.local"

    # the second pair of eyes: a decision-maker approves exactly this content
    choose(page, "Användare (lokalt läge)", "Bengt Beslutsfattare (Beslutsfattare)")
    page.get_by_role("link", name="Fastställande").click()
    wait_for_app(page)
    expect(page.get_by_text("Avdelningen ska kunna nås digitalt.").first).to_be_visible()
    click(page, "Fastställ beslutet")
    click(page, "Ja, fastställ")  # asked first, as submitting is
    expect(page.get_by_text("är fastställt av bengt.beslutsfattare@demo.local")).to_be_visible()
    [approval] = unit_verdicts(Store(engine), WARD, ANNA)
    engine.dispose()
    assert (approval.verdict, approval.content_hash) == ("faststalld", revision.content_hash)
