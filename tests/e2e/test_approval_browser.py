"""A decision-maker approves one waiting decision after another in a real browser: the
selector, the card's heading and the buttons always name the same unit and revision."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from logic.bootstrap import audit_key
from logic.domain.auth import DEMO_USERS
from logic.services.verdicts import unit_verdicts
from logic.settings import Settings
from logic.store.db import make_engine
from logic.store.store import Store
from tests.e2e.conftest import Server, local_sign_in, wait_for_app
from tests.factories import decide

HANNA = next(u for u in DEMO_USERS if u.roles == ("handlaggare",))
UNITS = ["SE162321000255-DEMO0002", "SE162321000255-DEMO0003", "SE162321000255-DEMO0004"]


def picked(page: Page) -> str:
    """What the selector "Beslut att granska" shows."""
    return page.get_by_role("combobox", name="Beslut att granska", exact=True).input_value()


def test_after_each_approval_the_selector_and_the_card_agree(page: Page, server: Server) -> None:
    url = f"sqlite:///{server.db}"
    engine = make_engine(url)
    store = Store(engine, audit_key(Settings(database_url=url)))  # the key the app writes with
    for hsa_id in UNITS:
        decide(store, hsa_id, HANNA)
    local_sign_in(page, f"{server.url}/faststallande", "Bengt Beslutsfattare")
    approved: list[str] = []
    for _ in UNITS:
        heading = page.get_by_role("heading", level=3).first.inner_text()
        shown = picked(page)
        name = heading.split(" · ")[0]
        assert name in shown, (shown, heading)  # the selector names the card's unit
        page.get_by_role("button", name="Fastställ beslutet", exact=True).click()
        page.get_by_role("button", name="Ja, fastställ", exact=True).click()
        wait_for_app(page)
        expect(page.get_by_text(f"{name} (revision 1) är fastställt")).to_be_visible()
        approved.append(heading.split(" · ")[1].strip())
    assert sorted(approved) == UNITS
    for hsa_id in UNITS:  # each approval covers the revision its card showed
        [verdict] = unit_verdicts(store, hsa_id, HANNA)
        assert verdict.verdict == "faststalld"
    engine.dispose()
