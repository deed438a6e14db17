"""Införande through AppTest: the roll-out as of a date, per administration, as known at an
earlier moment, and downloads only for those who may export."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from logic.demo.observations import QUARTERS, observation_file
from logic.files.unit_file import read_units
from logic.services.units import import_units
from logic.settings import settings
from logic.store.store import Store
from tests.app.conftest import CHEF, HANDLAGGARE, new_app
from tests.factories import ADAM


@pytest.fixture
def observed(app_db: Store) -> Store:
    sample = read_units(settings().sample_units.read_bytes())
    for quarter, day in enumerate(QUARTERS):
        data = observation_file(sample, quarter)
        import_units(app_db, data, ADAM, source="q.csv", observed=day)
    import_units(app_db, settings().sample_units.read_bytes(), ADAM, source="sample.csv")
    return app_db


def open_rollout(who: str = CHEF) -> AppTest:
    at = new_app(who)
    at.run()
    at.switch_page("pages/inforande.py").run()
    assert not at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_a_manager_sees_the_roll_out_per_administration_and_over_time(observed: Store) -> None:
    at = open_rollout()
    assert metric(at, "Digital kontakt på plats") == "75 %"
    assert "52 av 69 enheter som ska ha den" in [c.value for c in at.caption]
    summary = at.dataframe[0].value
    assert set(summary["Förvaltning"]) >= {"Primärvård Skåne", "Medicinsk service"}
    progress = at.dataframe[1].value
    assert list(progress["Observerad"])[:2] == ["2021-09-01", "2021-12-01"]
    timetables = at.dataframe[2].value
    assert "Regional mall Kontakta oss / Skriv till oss (exempel)" in set(timetables["Mall"])
    late = at.dataframe[3].value
    said = f"{len(late)} av 69 enheter saknar en e-tjänst vars frist har passerat"
    assert said in [c.value for c in at.caption]  # the late list holds every late unit
    assert [b.label for b in at.get("download_button")][-1] == (
        "Ladda ner alla rader, med koder för system (CSV för Excel)"
    )

    at.date_input(key="w_ro_as_of").set_value(dt.date(2021, 12, 31)).run()
    assert not at.exception
    assert metric(at, "Digital kontakt på plats") != "75 %"
    assert list(at.dataframe[1].value["Observerad"])[-1] == "2021-12-01"

    at.selectbox(key="w_ro_forv").set_value("Medicinsk service").run()
    assert set(at.dataframe[0].value["Förvaltning"]) == {"Medicinsk service"}


def test_as_known_before_anything_was_recorded_there_is_nothing_yet(observed: Store) -> None:
    at = open_rollout()
    yesterday = dt.date.today() - dt.timedelta(days=1)
    at.date_input(key="w_ro_known_day").set_value(yesterday).run()
    assert not at.exception
    assert any("Inga observationer till och med" in i.value for i in at.info)
    assert not at.dataframe


def test_an_assessor_reads_the_roll_out_without_downloads(observed: Store) -> None:
    at = open_rollout(HANDLAGGARE)
    assert at.dataframe
    assert not at.get("download_button")


def test_a_units_detail_in_the_register_shows_its_roll_out_with_intervals(
    observed: Store,
) -> None:
    at = new_app(CHEF)
    at.query_params["forvaltning"] = "Primärvård Skåne"
    at.run()
    at.switch_page("pages/beslut.py").run()
    at.selectbox(key="reg_detail").select("SE162321000255-DEMO0001").run()
    assert not at.exception
    frame = at.dataframe[-1].value.set_index("Ärendetyp")
    kontakt = frame.loc["Kontakta oss / Skriv till oss"]
    assert kontakt["Status"] == "Införd, regional mall"
    assert kontakt["Frist"] == "2022-06-30"  # Primärvård Skåne's own date
    assert kontakt["I tid"] in ("Ja", "Nej", "Okänt")
    assert kontakt["Underlag"] == "Förslag (inget fastställt beslut)"


def test_a_timetable_naming_an_administration_the_register_lacks_is_pointed_out(
    observed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logic.domain.catalog import Deadline
    from logic.files import reference_data

    real = reference_data.catalog()
    templates = tuple(
        m.model_copy(
            update={"timetable": (*m.timetable, Deadline(deadline=dt.date(2022, 6, 1),
                                                           forvaltning="Primarvard Skane"))}
        )
        if m.case_type == "kontakt"
        else m
        for m in real.templates
    )  # fmt: skip
    misspelt = real.model_copy(update={"templates": templates})
    # as if in force (approved before the register's administration got its name right)
    monkeypatch.setattr("logic.services.unit_of_work.catalog_of_version", lambda *_: misspelt)
    at = open_rollout()
    assert any("Primarvard Skane" in w.value for w in at.warning)


def test_the_page_says_which_units_rest_on_their_own_report(observed: Store) -> None:
    from logic.domain.auth import User
    from logic.services.unit_managers import report_e_service
    from logic.services.users import save_user

    at = open_rollout()
    assert not [i for i in at.info if "egen rapport" in i.value]  # none yet
    unit = "SE162321000255-DEMO0001"
    chef = User(email="ulla@region.se", namn="Ulla", roles=("enhetschef",), units=(unit,))
    save_user(observed, chef, ADAM)
    with observed.transaction() as tx:
        day = tx.units.observed_on(unit)
    assert day is not None
    report_e_service(observed, chef, unit, "fornya_recept", False, day)
    at.run()
    [said] = [i.value for i in at.info if "egen rapport" in i.value]
    assert said.startswith("1 enhets uppgifter om e-tjänster vilar just nu på enhetens egen")
    listed = next(d.value for d in at.dataframe if "Rapporterat av" in d.value.columns)
    assert list(listed["HSA-id"]) == [unit] and list(listed["Rapporterat av"]) == [chef.email]
