"""RowsFor: a unit's roll-out rows worked out once per distinct administration, history and
requirement, each unit given its own HSA-id and name; the same rows as worked out unit by
unit, and a bounded memory whatever the register's size."""

from __future__ import annotations

import datetime as dt
import itertools

from logic.domain.rollout import Requirement, Seen, unit_rows
from logic.files.reference_data import catalog
from logic.readmodels import rollout_history
from logic.readmodels.rollout_history import RowsFor, has_template
from tests.factories import make_unit

TODAY = dt.date(2026, 11, 25)
ASKED = Requirement(("kontakt", "fornya_recept", "bokning"), (), "forslag")
EXEMPTED = Requirement(("kontakt",), ("fornya_recept",), "beslut")


def one_by_one(unit, seen, asked):  # type: ignore[no-untyped-def]
    """The rows as unit_rows gives them for this one unit."""
    cat = catalog()
    return unit_rows(
        unit.hsa_id,
        unit.namn,
        unit.forvaltning,
        seen,
        asked,
        lambda case_type: cat.deadline(case_type, unit.forvaltning),
        TODAY,
        has_template(cat),
    )


def test_units_alike_get_the_same_rows_each_with_its_own_hsa_id_and_name() -> None:
    rows_for = RowsFor(catalog(), TODAY)
    seen = [Seen(dt.date(2026, 1, 5), frozenset({"kontakt"}), frozenset({"kontakt"}))]
    first = make_unit(hsa_id="SE162321000255-A0001", namn="Vårdcentralen Ett")
    second = make_unit(hsa_id="SE162321000255-A0002", namn="Vårdcentralen Två")
    for unit in (first, second, first):
        assert rows_for(unit, seen, ASKED) == one_by_one(unit, seen, ASKED)
    assert {r.hsa_id for r in rows_for(second, seen, ASKED)} == {"SE162321000255-A0002"}
    assert {r.enhet for r in rows_for(second, seen, ASKED)} == {"Vårdcentralen Två"}


def test_what_tells_units_apart_gives_each_its_own_rows() -> None:
    """Another administration (another deadline), history or requirement: other rows."""
    rows_for = RowsFor(catalog(), TODAY)
    early = Seen(dt.date(2022, 3, 1), frozenset())
    late = Seen(dt.date(2024, 3, 1), frozenset({"kontakt", "fornya_recept"}))
    units = [
        make_unit(hsa_id=f"SE162321000255-A000{i}", forvaltning=f)
        for i, f in enumerate(("Primärvård Skåne", "Psykiatri Skåne"))
    ]
    histories = [[late], [early, late], [early]]
    made = []
    for unit, seen, asked in itertools.product(units, histories, (ASKED, EXEMPTED)):
        rows = rows_for(unit, seen, asked)
        assert rows == one_by_one(unit, seen, asked)
        made.append(rows)
    # and they differ: the two administrations' deadlines, the histories' intervals
    assert len({tuple(r[2:] for r in rows) for rows in made}) == len(made)


def test_at_most_kept_rows_are_kept(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(rollout_history, "KEPT_ROWS", 3)
    rows_for = RowsFor(catalog(), TODAY)
    unit = make_unit()
    for day in range(1, 10):
        seen = [Seen(dt.date(2026, 1, day), frozenset({"kontakt"}))]
        assert rows_for(unit, seen, ASKED) == one_by_one(unit, seen, ASKED)
        assert len(rows_for.kept) <= 3
