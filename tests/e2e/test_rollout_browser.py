"""A manager in a real browser hands the regional management the roll-out: the Införande
page on the demo history, one administration, the report as PDF opened and read, and every
row as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import Page, expect

from logic.files.rollout_export import ROLLOUT_HEADERS
from tests.e2e.conftest import Server, choose, local_sign_in, serve

pytestmark = pytest.mark.e2e


@pytest.fixture
def working(tmp_path: Path) -> Iterator[Server]:
    with serve(tmp_path, seed=("seed", "--demo-history")) as running:
        yield running


def test_a_manager_reports_the_roll_out_of_one_administration(page: Page, working: Server) -> None:
    local_sign_in(page, f"{working.url}/inforande", "Cecilia Chef")
    expect(page.get_by_role("heading", name="Införande av e-tjänster")).to_be_visible()
    expect(page.get_by_text("Digital kontakt på plats").first).to_be_visible()
    expect(
        page.get_by_role("heading", name="Frister och tidsplaner: uppfyllda eller inte")
    ).to_be_visible()
    choose(page, "Förvaltning", "Primärvård Skåne")
    expect(page.get_by_role("heading", name="Försenade enheter")).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("button", name="Rapport (PDF)").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Införande av e-tjänster på 1177.se" in text
    assert "Bara förvaltningen Primärvård Skåne." in text
    assert "Digital kontakt vid varje observation" in text and "2022-09-01" in text
    assert "Medicinsk service" not in text

    with page.expect_download() as info:
        page.get_by_role(
            "button", name="Ladda ner alla rader, med koder för system (CSV för Excel)"
        ).click()
    rows = list(
        csv.reader(
            io.StringIO(Path(info.value.path()).read_bytes().decode("utf-8-sig"), newline=""),
            delimiter=";",
        )
    )
    assert tuple(rows[0]) == ROLLOUT_HEADERS
    assert len(rows) > 1 and {r[2] for r in rows[1:]} == {"Primärvård Skåne"}
