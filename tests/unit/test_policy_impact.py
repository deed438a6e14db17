"""What a changed catalog changes for one unit: each part of the recommendation and of the
roll-out per case type, before and after, and nothing when nothing changes."""

from __future__ import annotations

import datetime as dt
import itertools

from logic.domain.policy_impact import (
    NOT_ASKED,
    Change,
    recommendation_changes,
    rollout_changes,
    units_per_forvaltning,
)
from logic.domain.rollout import RolloutRow
from logic.domain.rules import recommend
from logic.files.reference_data import catalog
from tests.factories import make_unit

WHO = ("SE1", "Enheten", "Förvaltningen")
TODAY = dt.date(2026, 11, 25)


def row(case_type: str, **changes: object) -> RolloutRow:
    values: dict[str, object] = {
        "hsa_id": "SE1", "enhet": "Enheten", "forvaltning": "Förvaltningen",
        "arendetyp": case_type, "status": "planerat", "infort_efter": None,
        "infort_senast": None, "frist": dt.date(2027, 6, 30), "i_tid": "okant",
        "mall": False, "basis": "forslag",
    } | changes  # fmt: skip
    return RolloutRow(**values)  # type: ignore[arg-type]


def test_the_same_recommendation_and_roll_out_change_nothing() -> None:
    unit = make_unit()
    rec = recommend(unit, catalog(), TODAY)
    assert recommendation_changes(WHO, rec, rec) == []
    assert rollout_changes(WHO, [row("kontakt")], [row("kontakt")]) == []
    assert rollout_changes(WHO, None, None) == []


def test_each_part_of_the_recommendation_is_a_change_of_its_own() -> None:
    before = recommend(make_unit(verksamhet="primarvard"), catalog(), TODAY)
    after = before.model_copy(
        update={"outcome": "prova_undantag", "variant": "tandvard", "required": ("kontakt",),
                "missing": ()}
    )  # fmt: skip
    found = {c.what: (c.before, c.after) for c in recommendation_changes(WHO, before, after)}
    assert found["utfall"] == (before.outcome, "prova_undantag")
    assert found["variant"] == ("primarvard", "tandvard")
    assert found["kravda"] == ("|".join(before.required), "kontakt")
    assert found["saknas"] == ("|".join(before.missing), "")
    assert all(c.arendetyp == "" for c in recommendation_changes(WHO, before, after))


def test_the_roll_out_compares_deadline_status_and_on_time_per_case_type() -> None:
    before = [
        row("kontakt"),
        row("fornya_recept", frist=dt.date(2023, 6, 30), status="forsenat", i_tid="nej"),
    ]
    after = [row("kontakt"), row("fornya_recept")]
    assert rollout_changes(WHO, before, after) == [
        Change(*WHO, "frist", "fornya_recept", "2023-06-30", "2027-06-30"),
        Change(*WHO, "status", "fornya_recept", "forsenat", "planerat"),
        Change(*WHO, "i_tid", "fornya_recept", "nej", "okant"),
    ]


def test_a_case_type_asked_under_one_catalog_only_has_nothing_under_the_other() -> None:
    found = rollout_changes(WHO, None, [row("kontakt", frist=None, i_tid="")])
    assert found == [
        Change(*WHO, "frist", "kontakt", NOT_ASKED, ""),  # asked now, without a deadline
        Change(*WHO, "status", "kontakt", NOT_ASKED, "planerat"),
        Change(*WHO, "i_tid", "kontakt", NOT_ASKED, ""),
    ]
    gone = rollout_changes(WHO, [row("kontakt")], [])
    assert [(c.what, c.before, c.after) for c in gone] == [
        ("frist", "2027-06-30", NOT_ASKED), ("status", "planerat", NOT_ASKED),
        ("i_tid", "okant", NOT_ASKED),
    ]  # fmt: skip


def test_a_unit_is_counted_once_per_administration_however_much_changes() -> None:
    changes = [
        Change(hsa_id, "E", forvaltning, "frist", "kontakt", "a", "b")
        for (hsa_id, forvaltning), _ in itertools.product(
            [("1", "Väst"), ("2", "Väst"), ("3", "Öst")], range(3)
        )
    ]
    assert units_per_forvaltning(changes) == {"Väst": 2, "Öst": 1}
