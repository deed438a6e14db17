"""A manager in a real browser: the follow-up page for one administration, a decision from the
register, and the Excel CSV export opened and checked."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from logic.bootstrap import audit_key
from logic.settings import Settings
from logic.store.db import make_engine
from logic.store.store import Store
from tests.e2e.conftest import Server, choose, local_sign_in, wait_for_app
from tests.factories import ANNA, decide

pytestmark = pytest.mark.e2e
CLINIC = "SE162321000255-DEMO0002"  # Vårdcentralen Södervärn Malmö, Primärvård Skåne
RATIONALE = 'Mottagningen erbjuder recept per telefon; "digitalt" krävs; =ingen formel'


@pytest.fixture
def decided(server: Server) -> Server:
    url = f"sqlite:///{server.db}"
    engine = make_engine(url)
    store = Store(engine, audit_key(Settings(database_url=url)))  # the key the app writes with
    decide(store, CLINIC, ANNA, rationale=RATIONALE)
    engine.dispose()
    return server


def test_manager_follows_one_administration_and_exports(page: Page, decided: Server) -> None:
    local_sign_in(page, f"{decided.url}/uppfoljning", "Cecilia Chef")
    expect(page.get_by_role("heading", name="Rapport per förvaltning")).to_be_visible()
    choose(page, "Förvaltning", "Primärvård Skåne")
    # the decisions per administration, under the summary for the management
    report = page.locator("[data-testid='stDataFrame']").filter(has_text="Ej bedömda")
    expect(report).to_contain_text("Primärvård Skåne")
    expect(report).not_to_contain_text("Medicinsk service")

    page.get_by_role("link", name="Beslut").click()
    wait_for_app(page)
    choose(page, "Förvaltning", "Primärvård Skåne")
    assert "forvaltning=Prim" in page.url
    expect(page.get_by_text("av 16 enheter")).to_be_visible()
    choose(
        page,
        "Välj en enhet på sidan för att se beslutet och historiken",
        f"Vårdcentralen Södervärn Malmö (demo) · {CLINIC}",
    )
    expect(page.get_by_text("Senaste beslutet · För beslut")).to_be_visible()
    expect(page.get_by_text(RATIONALE).first).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("button", name="CSV för Excel (svenska)").click()
    data = open(info.value.path(), "rb").read()  # noqa: SIM115 - a temp file Playwright owns
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    # for people by default: names, not codes (the command line keeps codes)
    assert rows[0][:4] == ["HSA-id", "Enhet", "Förvaltning", "Beslut"]
    assert len(rows) == 1 + 16  # exactly the rows the filter shows
    assert {r[2] for r in rows[1:]} == {"Primärvård Skåne"}
    clinic = dict(zip(rows[0], next(r for r in rows if r[0] == CLINIC), strict=True))
    assert clinic["Enhet"] == "Vårdcentralen Södervärn Malmö (demo)"
    assert clinic["Beslut"] == "Omfattas"
    assert clinic["Motivering"] == RATIONALE
