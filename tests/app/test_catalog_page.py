"""Policy och tidsplaner through AppTest: the regional team proposes a changed timetable
date with its impact shown first; another person approves it after seeing the impact;
refusals in words; a person's text shown as written."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from logic.files.reference_data import catalog_texts
from logic.services.catalog import (
    approve_catalog,
    list_catalog_versions,
    propose_catalog,
    record_starting_catalog,
)
from logic.store.store import Store
from tests.app.conftest import ADMINISTRATOR, BESLUTSFATTARE, HANDLAGGARE, new_app
from tests.factories import ADAM, ANNA, BERIT, CECILIA, decide

LATER = dt.date.today() + dt.timedelta(days=30)


def catalog_page(who: str) -> AppTest:
    at = new_app(who).run()
    at.switch_page("pages/katalog.py").run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, column: str):  # type: ignore[no-untyped-def]
    """The one table on the page with this column."""
    (found,) = [d.value for d in at.dataframe if column in d.value.columns]
    return found


def propose(at: AppTest, case_type: str, date: dt.date, reason: str) -> AppTest:
    at.selectbox(key="catalog_case_type").set_value(case_type).run()
    at.date_input(key="catalog_new_date").set_value(date).run()
    at.date_input(key="catalog_effective_from").set_value(LATER).run()
    at.text_area(key="catalog_reason").input(reason).run()
    at.button(key="catalog_preview").click().run()
    assert not at.exception, at.exception
    return at


def test_a_timetable_change_is_proposed_with_its_impact_and_approved_by_another(
    seeded: Store,
) -> None:
    at = catalog_page(ADMINISTRATOR)
    assert "Inga förslag väntar." in at.info[0].value
    propose(at, "fornya_recept", dt.date(2023, 3, 31), "**Tidigare** [se](http://x.se)")
    changes = table(at, "Före")
    assert changes.values.tolist() == [
        ["Datum", "Förnya recept", "Hela regionen", "2023-06-30", "2023-03-31"]
    ]
    impact = table(at, "Enheter som påverkas")
    assert impact.iloc[-1, 0] == "Alla" and impact.iloc[-1, 1] > 0
    assert [d.proto.label for d in at.get("download_button")] == [
        "Ladda ned listan över enheter som påverkas (CSV för Excel)",
        "… eller som XLSX",
    ]
    at.button(key="catalog_do_propose").click().run()
    assert "Förslag 2 är lagt" in at.success[0].value
    assert not [b for b in at.button if b.key == "catalog_approve_2"]  # an administrator

    at = catalog_page(BESLUTSFATTARE)
    card = " ".join(m.value for m in at.markdown)
    assert r"\*\*Tidigare\*\* \[se\]" in card  # the reason as written, never as Markdown
    assert table(at, "Före").values.tolist() == [
        ["Datum", "Förnya recept", "Hela regionen", "2023-06-30", "2023-03-31"]
    ]
    assert at.button(key="catalog_approve_2").disabled  # the impact is seen first
    at.button(key="catalog_work_out_2").click().run()
    assert not at.button(key="catalog_approve_2").disabled
    at.button(key="catalog_approve_2").click().run()
    assert "Förslag 2 är fastställt" in at.success[0].value
    assert f"Katalogversion 2 är fastställd och gäller från {LATER}" in at.info[0].value
    states = {v.number: v.state for v in list_catalog_versions(seeded, CECILIA)}
    assert states == {1: "faststalld", 2: "faststalld"}


def test_a_date_for_digital_contact_after_the_policys_is_refused_in_words(seeded: Store) -> None:
    at = propose(catalog_page(ADMINISTRATOR), "kontakt", dt.date(2023, 1, 31), "Senare.")
    assert "Digital kontakt ska vara på plats senast 2022-09-30" in at.error[0].value
    assert not [b for b in at.button if b.key == "catalog_do_propose"]
    assert [v.number for v in list_catalog_versions(seeded, CECILIA)] == [1]


def test_a_proposal_without_a_reason_is_refused_and_nothing_is_written(seeded: Store) -> None:
    at = propose(catalog_page(ADMINISTRATOR), "fornya_recept", dt.date(2023, 3, 31), "")
    at.button(key="catalog_do_propose").click().run()
    assert "Skälet till ändringen saknas" in at.error[0].value
    assert [v.number for v in list_catalog_versions(seeded, CECILIA)] == [1]


def test_decisions_to_review_are_listed_on_the_overview_and_in_the_register(
    seeded: Store,
) -> None:
    clinic = "SE162321000255-DEMO0002"
    decide(seeded, clinic, ANNA, approver=BERIT)
    record_starting_catalog(seeded, catalog_texts())
    files = catalog_texts()
    old, new = (
        "  - when: {verksamhet: primarvard}\n    variant: primarvard",
        "  - when: {verksamhet: primarvard}\n    variant: barnmorskemottagning",
    )
    proposal = propose_catalog(
        seeded,
        ADAM,
        files | {"varianter.yaml": files["varianter.yaml"].replace(old, new)},
        dt.date.today(),
        "Ny variant.",
    )
    approve_catalog(seeded, BERIT, proposal.number, proposal.version)

    at = new_app(HANDLAGGARE).run()
    assert not at.exception, at.exception
    assert any("Bör omprövas: policyn har ändrats" in h.value for h in at.subheader)
    listed = next(d.value for d in at.dataframe if "Vad som har ändrats" in d.value.columns)
    assert list(listed["HSA-id"]) == [clinic]
    assert "Rekommenderad variant: Vårdcentral" in listed["Vad som har ändrats"][0]
    at.switch_page("pages/beslut.py").run()
    at.checkbox(key="w_reg_bor_omprovas").check().run()
    assert not at.exception, at.exception
    assert "bor_omprovas" in at.query_params


def test_a_template_version_and_the_review_period_are_proposed_in_the_app(seeded: Store) -> None:
    at = catalog_page(ADMINISTRATOR)
    at.radio(key="catalog_kind").set_value("mall").run()
    at.selectbox(key="catalog_template_case_type").set_value("fornya_recept").run()
    at.text_input(key="catalog_template_version_fornya_recept").input("2.0").run()
    at.date_input(key="catalog_effective_from").set_value(LATER).run()
    at.text_area(key="catalog_reason").input("Ny version av mallen.").run()
    at.button(key="catalog_preview").click().run()
    assert not at.exception, at.exception
    assert table(at, "Före").values.tolist() == [
        [
            "Regional mall",
            "Förnya recept",
            "",
            "Regional mall Förnya recept 1.3",
            "Regional mall Förnya recept 2.0",
        ]
    ]
    assert "Ingen enhet påverkas" in at.info[-1].value  # a template's version moves no unit
    at.button(key="catalog_do_propose").click().run()
    assert "Förslag 2 är lagt" in at.success[0].value

    at.radio(key="catalog_kind").set_value("parameter").run()
    at.number_input(key="catalog_review_default").set_value(6).run()
    at.number_input(key="catalog_review_max").set_value(5).run()
    at.text_area(key="catalog_reason").input("Kortare.").run()
    at.button(key="catalog_preview").click().run()
    assert "Omprövningstiden ska vara minst 1 månad" in at.error[0].value
    assert [v.number for v in list_catalog_versions(seeded, CECILIA)] == [2, 1]
