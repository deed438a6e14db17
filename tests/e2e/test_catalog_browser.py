"""The policy changed in a real browser, as the regional team and a decision-maker do it: a
timetable date proposed with its impact shown first, then approved by another person; the
date then in force is the new one, from the day it was set to take effect."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Browser, Page, expect

from logic.bootstrap import audit_key
from logic.services.catalog import list_catalog_versions
from logic.services.rollout import read_rollout
from logic.settings import Settings
from logic.store.db import make_engine
from logic.store.store import Store
from tests.e2e.conftest import Server, choose, local_sign_in, wait_for_app
from tests.factories import CECILIA


def set_date(page: Page, label: str, day: dt.date) -> None:
    """Type a date into Streamlit's date field, part by part, as a keyboard user does."""
    for part, value in (("year", f"{day:%Y}"), ("month", f"{day:%m}"), ("day", f"{day:%d}")):
        page.get_by_role("spinbutton", name=f"{part}, {label}").focus()
        page.keyboard.type(value)
    page.keyboard.press("Escape")
    page.get_by_role("heading", name="Policy och tidsplaner").first.click()
    wait_for_app(page)


def test_a_timetable_date_is_proposed_and_approved_by_another_person(
    page: Page, browser: Browser, server: Server
) -> None:
    today = dt.date.today()
    local_sign_in(page, f"{server.url}/katalog", "Adam Administratör")
    choose(page, "Ärendetyp", "Förnya recept")
    set_date(page, "Nytt datum (senast på plats)", dt.date(2023, 3, 31))
    set_date(page, "Ändringen gäller från", today)
    page.get_by_label("Skäl till ändringen").fill("Förnya recept tidigareläggs.")
    page.get_by_role("button", name="Visa påverkan").click()
    wait_for_app(page)
    expect(page.get_by_text("enheter påverkas")).to_be_visible()  # the impact first
    page.get_by_role("button", name="Lägg förslaget").click()
    wait_for_app(page)
    expect(page.get_by_text("Förslag 2 är lagt")).to_be_visible()

    other = browser.new_context(viewport={"width": 1280, "height": 2000}).new_page()
    local_sign_in(other, f"{server.url}/katalog", "Bengt Beslutsfattare")
    approve = other.get_by_role("button", name="Fastställ ändringen")
    expect(approve).to_be_disabled()  # not before the impact is seen
    other.get_by_role("button", name="Visa vilka enheter som påverkas").click()
    wait_for_app(other)
    other.get_by_role("button", name="Fastställ ändringen").click()
    wait_for_app(other)
    expect(other.get_by_text("Förslag 2 är fastställt")).to_be_visible()

    url = f"sqlite:///{server.db}"
    engine = make_engine(url)
    store = Store(engine, audit_key(Settings(database_url=url)))
    versions = {
        v.number: (v.state, v.proposal.proposed_by) for v in list_catalog_versions(store, CECILIA)
    }
    assert versions[2] == ("faststalld", "adam.administrator@demo.local")
    rows = read_rollout(store, CECILIA, today).rows
    assert {r.frist for r in rows if r.arendetyp == "fornya_recept"} == {dt.date(2023, 3, 31)}
    engine.dispose()
