"""Verification reaches what the register shows and the roll-out rests on: each import's
observations against the count and digest its audit event committed to, the facts and
recommendation the register shows against the newest observation and the rules, and who
approved the decision in force and when; on SQLite and PostgreSQL, triggers off where the
database would refuse the change itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from logic.services.audit import NotARegister, audit_log, verify_audit, verify_copy
from logic.services.units import import_units
from logic.store.db import make_engine
from logic.store.store import Store
from tests.factories import ADAM, BERIT, HEADER, ROW, decide, on_day
from tests.integration.test_audit import triggers_off

APPROVED, OTHER = "SE162321000255-T0001", "SE162321000255-T0002"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def recorded(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002"), ROW.replace("T0001", "T0003")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    later = "\n".join([HEADER, ROW.replace("kontakt|fornya_recept;kontakt", "kontakt;kontakt")])
    import_units(on_day(store, TODAY + dt.timedelta(days=1)), later.encode(), ADAM, source="u.csv")
    decide(store, APPROVED, approver=BERIT, rationale="Fastställd.")
    assert verify_audit(store, ADAM).intact
    return store


OBSERVATION_CHANGES = {
    "a fact edited": "UPDATE observations SET namn = 'Annan'",
    "e-services edited": "UPDATE observations SET e_tjanster = 'kontakt|fornya_recept'",
    "re-dated": "UPDATE observations SET observed = '2021-01-01'",
    "deleted": "DELETE FROM observations",
    "moved to another unit": "UPDATE observations SET hsa_id = 'SE162321000255-T0003'",
}


@pytest.mark.parametrize("change", list(OBSERVATION_CHANGES))
def test_an_observation_changed_behind_the_apps_back_is_named(recorded: Store, change: str) -> None:
    with triggers_off(recorded, "observations") as conn:
        conn.execute(text(OBSERVATION_CHANGES[change] + " WHERE hsa_id = :h"), {"h": OTHER})
    result = verify_audit(recorded, ADAM)
    assert result.problem == "audit.altered_observations", change


@pytest.mark.parametrize("at_an_import", [False, True], ids=["a moment of its own", "an import's"])
def test_a_forged_observation_is_found_even_with_the_triggers_on(
    recorded: Store, at_an_import: bool
) -> None:
    """Appending is what the record allows; an observation no import appended is named."""
    with recorded.engine.begin() as conn:
        recorded_at = conn.execute(
            text("SELECT recorded_at FROM observations ORDER BY id LIMIT 1")
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO observations (hsa_id, observed, recorded_at, namn, forvaltning,"
                " enhetstyp, verksamhet, driftsform, avtalsanalys_klar, vardutforande,"
                " kontaktkort, patientkontakt, bokar_besok, telefon_papper, e_tjanster,"
                " regionala_mallar, source) SELECT hsa_id, observed, :at, namn, forvaltning,"
                " enhetstyp, verksamhet, driftsform, avtalsanalys_klar, vardutforande,"
                " kontaktkort, patientkontakt, bokar_besok, telefon_papper,"
                " 'kontakt|fornya_recept|boka_tid', regionala_mallar, source"
                " FROM observations WHERE hsa_id = :h"
            ),
            {
                "h": OTHER,
                "at": recorded_at if at_an_import else dt.datetime(2026, 11, 25, 20, tzinfo=dt.UTC),
            },
        )
    result = verify_audit(recorded, ADAM)
    expected = "audit.altered_observations" if at_an_import else "audit.unrecorded_observation"
    assert result.problem == expected


UNIT_CHANGES = {
    "namn": "namn = 'Annan'",
    "e_tjanster": "e_tjanster = 'kontakt|fornya_recept|boka_tid'",
    "observed": "observed = '2020-01-01'",
    "recommended": "recommended_outcome = 'ej_omfattad'",
    "in_force": "in_force_at = '2020-01-01 00:00:00'",
}


@pytest.mark.parametrize("field", list(UNIT_CHANGES))
def test_what_the_register_shows_of_a_unit_is_recomputed(recorded: Store, field: str) -> None:
    with recorded.engine.begin() as conn:  # the register's own table: no trigger to pass
        conn.execute(
            text(f"UPDATE units SET {UNIT_CHANGES[field]} WHERE hsa_id = :h"), {"h": APPROVED}
        )
    copy = verify_copy(recorded)  # a backup is checked the same, by the catalog in force
    assert (copy.problem, copy.where) == ("audit.altered_register", f"{APPROVED}: {field}")
    result = verify_audit(recorded, ADAM)
    assert (result.problem, result.where) == ("audit.altered_register", f"{APPROVED}: {field}")


ROLLOUT_CHANGES = {
    "in place": ("UPDATE rollout SET in_place = NOT in_place", ": in_place"),
    "deadline": ("UPDATE rollout SET frist = '2030-01-01'", ": frist"),
    "on time": ("UPDATE rollout SET i_tid = 'ja'", ": i_tid"),
    "exempted": ("UPDATE rollout SET exempted = NOT exempted", ": exempted"),
    "a row deleted": ("DELETE FROM rollout", ""),
}


@pytest.mark.parametrize("change", list(ROLLOUT_CHANGES))
def test_the_roll_out_now_is_what_the_record_makes_of_it(recorded: Store, change: str) -> None:
    """The projection that pages, reports and exports read: rewriting it is named."""
    statement, field = ROLLOUT_CHANGES[change]
    with recorded.engine.begin() as conn:
        row = conn.execute(
            text("SELECT hsa_id, arendetyp FROM rollout WHERE hsa_id = :h ORDER BY arendetyp"),
            {"h": APPROVED},
        ).first()
        assert row is not None
        conn.execute(
            text(f"{statement} WHERE hsa_id = :h AND arendetyp = :a"),
            {"h": row.hsa_id, "a": row.arendetyp},
        )
    copy = verify_copy(recorded)
    assert (copy.problem, copy.where) == (
        "audit.altered_rollout",
        f"{row.hsa_id} {row.arendetyp}{field}",
    )
    result = verify_audit(recorded, ADAM)
    assert result.problem == "audit.altered_rollout", change
    assert result.where == f"{row.hsa_id} {row.arendetyp}{field}"


def test_a_unit_whose_roll_out_rows_are_all_gone_is_named(recorded: Store) -> None:
    with recorded.engine.begin() as conn:
        first = conn.execute(
            text("SELECT arendetyp FROM rollout WHERE hsa_id = :h ORDER BY arendetyp"),
            {"h": APPROVED},
        ).scalar()
        conn.execute(text("DELETE FROM rollout WHERE hsa_id = :h"), {"h": APPROVED})
    result = verify_audit(recorded, ADAM)
    assert (result.problem, result.where) == ("audit.altered_rollout", f"{APPROVED} {first}")


def test_the_progress_over_time_is_what_the_record_makes_of_it(recorded: Store) -> None:
    with recorded.engine.begin() as conn:
        conn.execute(text("UPDATE rollout_progress SET in_place = in_place + 1"))
    result = verify_audit(recorded, ADAM)
    assert result.problem == "audit.altered_rollout"
    assert result.where.endswith("(progress): in_place")


def test_a_unit_added_behind_the_apps_back_is_named_as_never_observed(recorded: Store) -> None:
    forged = "SE162321000255-T0009"
    with recorded.engine.begin() as conn:  # the register's own table: no trigger to pass
        names = list(conn.execute(text("SELECT * FROM units LIMIT 0")).keys())
        columns = [c for c in names if c != "hsa_id"]
        listed = ", ".join(columns)
        conn.execute(
            text(
                f"INSERT INTO units (hsa_id, {listed}) SELECT :f, {listed} FROM units"
                " WHERE hsa_id = :h"
            ),
            {"f": forged, "h": OTHER},
        )
    result = verify_audit(recorded, ADAM)
    assert (result.problem, result.where) == ("audit.altered_register", f"{forged}: observed")


def test_a_verification_puts_what_it_found_on_the_record(recorded: Store) -> None:
    with recorded.engine.begin() as conn:
        conn.execute(text("UPDATE units SET namn = 'Annan' WHERE hsa_id = :h"), {"h": APPROVED})
    result = verify_audit(recorded, ADAM)
    [event] = [e for e in audit_log(recorded, ADAM) if e.action == "verify_audit"][:1]
    assert (event.details["problem"], event.details["where"]) == (result.problem, result.where)
    assert result.where == f"{APPROVED}: namn"


def test_a_copy_that_holds_no_register_is_refused_by_what_it_holds(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'tom.db'}")
    try:
        with pytest.raises(NotARegister) as refused:
            verify_copy(Store(engine, None))
    finally:
        engine.dispose()
    assert refused.value.state == "empty"
    assert refused.value.words() == ("cli.register_empty", {})
