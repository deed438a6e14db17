"""The managers' summary: one definition of each figure, worked out from the roll-out's
figures; the months without a gap; the largest changes; shares rounded as people round."""

from __future__ import annotations

import datetime as dt

from logic.domain.management_summary import (
    Reviews,
    kontakt_months,
    largest_changes,
    management_summary,
)
from logic.domain.rollout import Progress
from logic.domain.rollout_summary import Summary, Tally, UnitTally
from logic.presentation.management_frames import percent

D = dt.date
PS, MS = "Primärvård Skåne", "Medicinsk service"


def tally(f: str, code: str, status: str, n: int, i_tid: str = "", frist: D | None = None) -> Tally:
    return Tally(f, code, status, i_tid, False, frist, "", n)


def summary(tallies: list[Tally], units: list[UnitTally], progress: list[Progress] = ()) -> Summary:
    moment = dt.datetime(2026, 1, 31, 12, tzinfo=dt.UTC)
    return Summary(
        D(2026, 1, 31), moment, moment, None, tallies, units, [], list(progress), [], "v1"
    )


def test_each_figure_is_counted_once_by_its_definition() -> None:
    made = management_summary(
        summary(
            [
                tally(PS, "kontakt", "infort", 6, "ja", D(2022, 9, 30)),
                tally(PS, "kontakt", "infort_mall", 2, "nej", D(2022, 9, 30)),
                tally(PS, "kontakt", "forsenat", 1, "nej", D(2022, 9, 30)),
                tally(PS, "kontakt", "undantaget", 1),  # exempted: not required
                tally(MS, "kontakt", "ej_planerat", 3),
                tally(PS, "boka_tid", "forsenat", 4, "nej", D(2024, 6, 30)),
                tally(MS, "boka_tid", "infort", 1, "", D(2025, 6, 30)),
            ],
            [UnitTally(PS, 10, 4, 3, 5, 1), UnitTally(MS, 3, 0, 2, 0, 0)],
        ),
        {PS: Reviews(1, 2), MS: Reviews(0, 1), "Utan enheter i införandet": Reviews(2, 0)},
    )
    ps, ms = made.administrations
    assert (ps.kontakt_required, ps.kontakt_in_place, ps.kontakt_on_time) == (9, 8, 6)
    assert ps.kontakt_late == 3  # i_tid "nej": late in place, or missing past the deadline
    assert (ps.in_force, ps.on_proposal, ps.waiting, ps.exempt) == (4, 6, 3, 1)
    assert (ms.kontakt_required, ms.kontakt_in_place) == (3, 0)
    region = made.region
    assert (region.units, region.in_force, region.on_proposal, region.late) == (13, 4, 9, 5)
    assert (region.kontakt_required, region.kontakt_in_place) == (12, 8)
    assert region.reviews == Reviews(3, 3)  # every administration's, with units or not
    by_code = {c.arendetyp: c for c in made.case_types}
    assert [c.arendetyp for c in made.case_types] == ["kontakt", "boka_tid"]  # catalog order
    assert (by_code["kontakt"].required, by_code["kontakt"].in_place) == (12, 8)
    assert by_code["kontakt"].late == 1 and by_code["kontakt"].deadline == D(2022, 9, 30)
    assert by_code["boka_tid"].deadline is None and by_code["boka_tid"].deadlines == 2


def test_as_of_an_earlier_moment_the_reviews_are_not_known() -> None:
    made = management_summary(summary([], [UnitTally(PS, 1, 1, 0, 0, 0)]))
    assert made.region.reviews is None and made.administrations[0].reviews is None


def test_every_month_from_the_first_observation_is_there_cumulative() -> None:
    since = [(PS, D(2021, 11, 15), 2), (MS, D(2022, 2, 1), 1), (PS, D(2022, 2, 28), 3)]
    months = kontakt_months(since, D(2022, 4, 10))
    assert [(m.month, m.units) for m in months] == [
        (D(2021, 11, 1), 2),
        (D(2021, 12, 1), 2),  # a month without news is there too
        (D(2022, 1, 1), 2),
        (D(2022, 2, 1), 6),
        (D(2022, 3, 1), 6),
        (D(2022, 4, 1), 6),
    ]
    assert kontakt_months([], D(2022, 4, 10)) == []


def test_the_largest_changes_between_the_two_newest_observations() -> None:
    before, after = D(2023, 3, 1), D(2023, 6, 1)
    points = [
        Progress(D(2022, 12, 1), PS, "kontakt", 10, 0, 0),  # an older date: not compared
        Progress(before, PS, "kontakt", 10, 5, 0),
        Progress(after, PS, "kontakt", 10, 9, 0),  # +40
        Progress(before, PS, "boka_tid", 4, 4, 0),
        Progress(after, PS, "boka_tid", 4, 0, 0),  # -100: the largest
        Progress(before, MS, "kontakt", 2, 1, 0),
        Progress(after, MS, "kontakt", 2, 1, 0),  # no change: not listed
        Progress(after, MS, "boka_tid", 3, 3, 0),  # not observed before: not compared
        Progress(before, MS, "fornya_recept", 5, 0, 0),
        Progress(after, MS, "fornya_recept", 5, 1, 0),  # +20
        Progress(before, PS, "kontakta_mig", 5, 0, 0),
        Progress(after, PS, "kontakta_mig", 5, 1, 0),  # +20, a larger group first? equal
    ]
    changes = largest_changes(points)
    assert [(c.forvaltning, c.arendetyp, round(c.points)) for c in changes] == [
        (PS, "boka_tid", -100),
        (PS, "kontakt", 40),
        (MS, "fornya_recept", 20),  # of two equal changes, by administration's name
    ]
    assert largest_changes(points[:1]) == []  # one observation: nothing to compare


def test_a_share_reads_as_people_round_it() -> None:
    assert [percent(1, 8, "sv"), percent(5, 8, "sv"), percent(2, 3, "en")] == [
        "13 %",  # 12.5 up, not to even
        "63 %",
        "67%",
    ]
    assert percent(0, 0, "sv") == "0 %"
