"""Beslut and Uppföljning through AppTest: filters, URL, detail, diff, downloads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from logic.domain.assessment import Exemption
from logic.store.store import Store
from tests.app.conftest import BESLUTSFATTARE, new_app
from tests.factories import decide

CLINIC = "SE162321000255-DEMO0002"
LAB = "SE162321000255-DEMO0063"


@pytest.fixture
def decided(seeded: Store) -> Store:
    decide(seeded, CLINIC, rationale="Första motiveringen.")
    decide(seeded, CLINIC, rationale="Andra motiveringen.")
    decide(
        seeded,
        LAB,
        rationale="Ingen patientkontakt.",
        outcome="undantagen",
        response_time="",
        exemption=Exemption(
            scope="hela_enheten",
            grounds=("ingen_patientkontakt",),
            rationale="Produktionslabb.",
            review_date=dt.date.today() + dt.timedelta(days=20),
        ),
    )
    return seeded


def open_page(page: str, **params: str) -> AppTest:
    at = new_app(BESLUTSFATTARE)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def shown_ids(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["HSA-id"])


def test_register_lists_every_unit_and_filters_from_the_url(decided: Store) -> None:
    at = open_page("pages/beslut.py")
    assert "Visar 1–50 av 72 enheter" in at.caption[1].value
    filtered = open_page("pages/beslut.py", status="bedomd", utfall="undantagen")
    assert shown_ids(filtered) == [LAB]
    assert filtered.selectbox(key="w_reg_utfall").value == "undantagen"


def test_changing_a_filter_writes_it_to_the_url(decided: Store) -> None:
    at = open_page("pages/beslut.py")
    at.selectbox(key="w_reg_forvaltning").select("Medicinsk service").run()
    assert at.query_params["forvaltning"] == "Medicinsk service"
    assert len(shown_ids(at)) == 6
    at.checkbox(key="w_reg_avviker").check().run()
    assert at.query_params["avviker"] == "1"
    at.button(key="reg_clear").click().run()
    assert "forvaltning" not in at.query_params


def test_review_due_and_missing_service_filters(decided: Store) -> None:
    at = open_page("pages/beslut.py")
    at.number_input(key="w_reg_omprovas").set_value(30).run()
    assert shown_ids(at) == [LAB]
    at.number_input(key="w_reg_omprovas").set_value(0).run()
    at.text_input(key="w_reg_text").input("andra motiveringen").run()
    assert shown_ids(at) == [CLINIC]


def test_detail_shows_the_decision_trace_history_and_a_diff(decided: Store) -> None:
    at = open_page("pages/beslut.py", status="bedomd")
    at.selectbox(key="reg_detail").select(CLINIC).run()
    assert not at.exception
    decision = at.table[0].value
    assert "Andra motiveringen." in decision.values
    history = at.dataframe[1].value
    assert list(history["Revision"]) == [1, 2]
    changes = at.table[-1].value  # what changed, wrapped in a table
    assert changes.loc["Motivering", "Före"] == "Första motiveringen."
    assert changes.loc["Motivering", "Efter"] == "Andra motiveringen."
    assert any("rekommendationen och dess regler" in e.label.lower() for e in at.expander)


def test_register_offers_each_download(decided: Store) -> None:
    at = open_page("pages/beslut.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:3] == ["CSV för Excel (svenska)", "CSV (RFC 4180)", "Excel (XLSX)"]


def decisions_report(at: AppTest) -> pd.DataFrame:
    """The follow-up's report of decisions per administration (below the summary)."""
    return next(d.value for d in at.dataframe if "Ej bedömda" in d.value.columns)


def test_follow_up_shows_the_follow_up_report_and_filters_one_administration(
    decided: Store,
) -> None:
    at = open_page("pages/uppfoljning.py")
    report = decisions_report(at).set_index("Förvaltning")
    assert report.loc["Hela regionen", "Enheter"] == 72  # the region's total row
    assert report.drop("Hela regionen")["Enheter"].sum() == 72
    assert report.loc["Hela regionen", "Ej bedömda"] == 70
    at.selectbox(key="w_dash_forv").select("Medicinsk service").run()
    assert at.query_params["forvaltning"] == "Medicinsk service"  # the view is a shareable link
    report = decisions_report(at)
    assert list(report["Förvaltning"]) == ["Medicinsk service"]
    assert int(report["Undantagna"].iloc[0]) == 1
    assert int(report["Omprövas inom 30 dagar"].iloc[0]) == 1
    # every chart has its table (the tab) and a download of exactly that data
    charts = [t for t in at.tabs if t.label == "Diagram"]
    assert len(charts) >= 3
    assert len([t for t in at.tabs if t.label == "Tabell"]) == len(charts)
    assert len(at.get("download_button")) == 2 + len(charts)


def test_a_follow_up_link_opens_its_administration(decided: Store) -> None:
    at = open_page("pages/uppfoljning.py", forvaltning="Medicinsk service")
    assert list(decisions_report(at)["Förvaltning"]) == ["Medicinsk service"]
