"""The roll-out on both databases: every import an observation on its date, kept
append-only; intervals and statuses from them; the decision in force; known-at."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from logic.domain.assessment import Exemption
from logic.domain.errors import EARLIEST_OBSERVED, ObservedOutOfRange
from logic.services.rollout import read_rollout
from logic.services.units import import_units
from logic.store.store import Store
from tests.factories import ADAM, BERIT, CECILIA, HEADER, decide

D = dt.date
UNIT = "SE162321000255-T0001"
OTHER = "SE162321000255-T0002"


def unit_file(*rows: str, templates: bool = True) -> bytes:
    header = HEADER + (";regionala_mallar" if templates else "")
    return ("\n".join([header, *rows]) + "\n").encode()


def row(hsa_id: str, e_tjanster: str, mallar: str = "", name: str = "Vårdcentralen Test") -> str:
    return (
        f"{hsa_id};{name};Primärvård Skåne;mottagning;primarvard;region;;ja;ja;ja;ja;"
        f"kontakt|fornya_recept;{e_tjanster};{mallar}"
    )


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def clocked(store: Store, moment: dt.datetime) -> Store:
    return Store(store.engine, store.audit_key, clock=lambda: moment)


def observe(store: Store, observed: dt.date, *rows: str, recorded: dt.datetime | None = None):
    writer = clocked(store, recorded or at(observed))
    return import_units(writer, unit_file(*rows), ADAM, source="t.csv", observed=observed)


def statuses(rollout) -> dict[tuple[str, str], tuple]:  # type: ignore[no-untyped-def]
    return {
        (r.hsa_id, r.arendetyp): (r.status, r.infort_efter, r.infort_senast, r.i_tid, r.basis)
        for r in rollout.rows
    }


def test_observations_bound_when_each_e_service_was_put_in_place(store: Store) -> None:
    observe(store, D(2021, 9, 1), row(UNIT, ""))
    observe(store, D(2021, 12, 1), row(UNIT, "kontakt"))
    observe(store, D(2022, 12, 1), row(UNIT, "kontakt|fornya_recept", "kontakt"))
    rollout = read_rollout(clocked(store, at(D(2023, 1, 1))), CECILIA, D(2023, 1, 1))
    assert rollout.dates == [D(2021, 9, 1), D(2021, 12, 1), D(2022, 12, 1)]
    found = statuses(rollout)
    # Primärvård Skåne's kontakt is due 2022-06-30, fornya_recept 2023-06-30 (mallar.yaml)
    assert found[(UNIT, "kontakt")] == (
        "infort_mall",
        D(2021, 9, 1),
        D(2021, 12, 1),
        "ja",
        "forslag",
    )
    assert found[(UNIT, "fornya_recept")] == (
        "infort",
        D(2021, 12, 1),
        D(2022, 12, 1),
        "ja",
        "forslag",
    )
    kontakt = [p for p in rollout.progress if p.arendetyp == "kontakt"]
    assert [(p.observed, p.units, p.in_place, p.on_template) for p in kontakt] == [
        (D(2021, 9, 1), 1, 0, 0),
        (D(2021, 12, 1), 1, 1, 0),
        (D(2022, 12, 1), 1, 1, 1),
    ]
    earlier = read_rollout(store, CECILIA, D(2022, 7, 1))  # as of a date: only what was seen
    assert statuses(earlier)[(UNIT, "fornya_recept")][0] == "planerat"
    assert statuses(earlier)[(UNIT, "kontakt")][0] == "infort"


def test_an_older_observation_imported_later_keeps_its_place_in_time(store: Store) -> None:
    observe(store, D(2022, 12, 1), row(UNIT, "kontakt", name="Nytt namn"))
    report_made = at(D(2022, 12, 2))
    before = read_rollout(store, CECILIA, D(2022, 12, 31), known_at=report_made)
    assert statuses(before)[(UNIT, "kontakt")][1:4] == (None, D(2022, 12, 1), "okant")

    late = observe(
        store, D(2022, 8, 1), row(UNIT, "", name="Gammalt namn"), recorded=at(D(2023, 1, 5))
    )
    assert (late.older, late.updated) == (1, 0)
    with store.transaction() as tx:
        shown = tx.units.get(UNIT)
    assert shown is not None and shown.namn == "Nytt namn"  # the register shows the newest

    again = read_rollout(store, CECILIA, D(2022, 12, 31), known_at=report_made)
    assert again.rows == before.rows and again.progress == before.progress  # reproduced
    now = read_rollout(store, CECILIA, D(2022, 12, 31))
    assert statuses(now)[(UNIT, "kontakt")][1:4] == (D(2022, 8, 1), D(2022, 12, 1), "nej")


def test_the_decision_in_force_on_the_date_says_what_is_required(store: Store) -> None:
    observe(store, D(2022, 1, 10), row(UNIT, "kontakt"), row(OTHER, ""))
    decided = clocked(store, at(D(2022, 2, 1)))
    decide(
        decided,
        UNIT,
        today=D(2022, 2, 1),
        approver=BERIT,
        outcome="delvis_undantagen",
        exemption=Exemption(
            scope="per_arendetyp",
            case_types=("fornya_recept",),
            grounds=("erbjuds_inte",),
            rationale="Receptförnyelse sker på apotek.",
            review_date=D(2023, 1, 1),
        ),
    )
    before = statuses(read_rollout(store, CECILIA, D(2022, 1, 31)))
    assert before[(UNIT, "fornya_recept")][0] == "planerat"
    assert before[(UNIT, "fornya_recept")][4] == "forslag"
    after = statuses(read_rollout(store, CECILIA, D(2022, 2, 1)))
    assert after[(UNIT, "fornya_recept")][0] == "undantaget"
    assert after[(UNIT, "kontakt")][4] == "beslut"
    assert after[(OTHER, "kontakt")][4] == "forslag"
    late = statuses(read_rollout(store, CECILIA, D(2022, 7, 1)))
    assert late[(OTHER, "kontakt")][0] == "forsenat"  # due 2022-06-30, never seen


def test_an_observation_dated_after_today_is_refused_and_nothing_written(store: Store) -> None:
    today = D(2022, 5, 1)
    with pytest.raises(ObservedOutOfRange):
        observe(store, D(2022, 5, 3), row(UNIT, ""), recorded=at(today))
    with store.transaction() as tx:
        assert tx.units.count() == 0


def test_an_observation_on_the_earliest_day_is_taken_and_the_day_before_refused(
    store: Store,
) -> None:
    today = D(2022, 5, 1)
    with pytest.raises(ObservedOutOfRange):
        observe(store, EARLIEST_OBSERVED - dt.timedelta(days=1), row(UNIT, ""), recorded=at(today))
    observe(store, EARLIEST_OBSERVED, row(UNIT, ""), recorded=at(today))
    with store.transaction() as tx:
        assert tx.units.count() == 1


def test_a_file_without_the_template_column_is_still_a_unit_file(store: Store) -> None:
    result = import_units(
        clocked(store, at(D(2022, 5, 1))),
        unit_file(row(UNIT, "kontakt").rsplit(";", 1)[0], templates=False),
        ADAM,
        source="t.csv",
    )
    assert result.added == 1
    with store.engine.connect() as conn:
        observed = conn.execute(text("SELECT observed, e_tjanster FROM observations")).all()
    assert [(str(o), e) for o, e in observed] == [("2022-05-01", "kontakt")]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE observations SET e_tjanster = ''", "DELETE FROM observations"],
)
def test_the_database_refuses_to_rewrite_an_observation(store: Store, statement: str) -> None:
    observe(store, D(2022, 1, 10), row(UNIT, "kontakt"))
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
