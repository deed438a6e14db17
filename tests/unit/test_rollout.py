"""The roll-out from observations: intervals that always hold the true date an e-service was
put in place, and an on-time answer that never claims more than the observations tell."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from logic.domain.rollout import (
    Interval,
    Requirement,
    Seen,
    interval,
    newest_per_day,
    on_time,
    status,
    unit_rows,
)

D = dt.date
START = D(2021, 1, 1)


def seen(day: dt.date, *offered: str, templates: tuple[str, ...] = ()) -> Seen:
    return Seen(day, frozenset(offered), frozenset(templates))


days = st.integers(min_value=0, max_value=1200).map(lambda n: START + dt.timedelta(days=n))


@given(
    observed=st.lists(days, min_size=1, max_size=12, unique=True),
    put_in_place=st.one_of(st.none(), days),
    frist=days,
)
def test_the_interval_holds_the_true_date_and_on_time_never_guesses(
    observed: list[dt.date], put_in_place: dt.date | None, frist: dt.date
) -> None:
    history = [
        seen(day, "kontakt") if put_in_place is not None and put_in_place <= day else seen(day)
        for day in sorted(observed)
    ]
    span = interval(history, "kontakt")
    if span.in_place:
        assert put_in_place is not None
        assert span.senast is not None and put_in_place <= span.senast
        assert span.efter is None or span.efter < put_in_place
    else:
        assert put_in_place is None or put_in_place > history[-1].observed
    truly_on_time = put_in_place is not None and put_in_place <= frist
    answer = on_time(span, frist)
    assert answer in ("ja", "nej", "okant")
    if answer == "ja":
        assert truly_on_time
    if answer == "nej":
        assert not truly_on_time


def test_the_interval_runs_from_the_last_observation_without_to_the_first_with() -> None:
    history = [seen(D(2021, 9, 1)), seen(D(2021, 12, 1)), seen(D(2022, 3, 1), "kontakt")]
    span = interval(history, "kontakt")
    assert (span.in_place, span.efter, span.senast) == (True, D(2021, 12, 1), D(2022, 3, 1))
    assert not span.removed


def test_an_e_service_there_from_the_first_observation_has_no_lower_bound() -> None:
    span = interval([seen(D(2021, 9, 1), "kontakt"), seen(D(2021, 12, 1), "kontakt")], "kontakt")
    assert (span.efter, span.senast) == (None, D(2021, 9, 1))
    assert on_time(span, D(2022, 9, 30)) == "ja"
    assert on_time(span, D(2021, 1, 1)) == "okant"  # it may have been there long before


def test_an_e_service_that_disappears_is_flagged_removed_with_its_interval() -> None:
    history = [
        seen(D(2021, 9, 1), "kontakt"),
        seen(D(2021, 12, 1), "kontakt"),
        seen(D(2022, 3, 1)),
        seen(D(2022, 6, 1)),
    ]
    span = interval(history, "kontakt")
    assert not span.in_place and span.removed
    assert (span.removed_efter, span.removed_senast) == (D(2021, 12, 1), D(2022, 3, 1))
    assert (span.efter, span.senast) == (None, D(2021, 9, 1))  # when it first came


def test_an_e_service_back_again_counts_from_when_it_first_came() -> None:
    history = [seen(D(2021, 6, 1)), seen(D(2021, 9, 1), "kontakt"), seen(D(2022, 3, 1)),
               seen(D(2022, 12, 1), "kontakt")]  # fmt: skip
    span = interval(history, "kontakt")
    assert (span.in_place, span.efter, span.senast) == (True, D(2021, 6, 1), D(2021, 9, 1))
    assert not span.removed  # back again: not gone now
    assert on_time(span, D(2022, 9, 30)) == "ja"  # it was put in place in time


def test_one_seen_before_the_deadline_and_gone_since_was_still_in_place_in_time() -> None:
    history = [seen(D(2022, 9, 1), "kontakt"), seen(D(2022, 12, 1))]
    span = interval(history, "kontakt")
    assert (span.in_place, span.removed, span.senast) == (False, True, D(2022, 9, 1))
    assert on_time(span, D(2022, 9, 30)) == "ja"
    assert status(span, False, D(2022, 9, 30), D(2023, 1, 1)) == "forsenat"  # gone: late now


@given(
    offered=st.lists(st.booleans(), min_size=1, max_size=40),
    observed=st.lists(st.integers(0, 39), min_size=1, max_size=12, unique=True),
    frist=st.integers(0, 39),
)
def test_with_removals_too_an_interval_holds_a_coming_and_yes_is_always_right(
    offered: list[bool], observed: list[int], frist: int
) -> None:
    """Whatever comes and goes between observations: the interval holds a day the
    e-service came (absent at `efter`, there at `senast`), and `ja` only when it was there
    on or before the deadline."""
    days = [d for d in sorted(observed) if d < len(offered)]
    if not days:
        return
    history = [seen(START + dt.timedelta(d), *(("kontakt",) if offered[d] else ())) for d in days]
    span = interval(history, "kontakt")
    if span.seen:
        senast = (span.senast - START).days
        assert offered[senast]
        if span.efter is not None:
            efter = (span.efter - START).days
            assert efter < senast and not offered[efter]
    if on_time(span, START + dt.timedelta(frist)) == "ja":
        assert any(offered[: frist + 1])


def test_on_time_is_no_when_seen_missing_on_or_after_the_deadline() -> None:
    frist = D(2022, 9, 30)
    late = interval([seen(D(2022, 9, 30)), seen(D(2022, 12, 1), "kontakt")], "kontakt")
    assert on_time(late, frist) == "nej"
    missing = interval([seen(D(2022, 9, 30))], "kontakt")
    assert on_time(missing, frist) == "nej"
    not_yet_seen = interval([seen(D(2022, 9, 29))], "kontakt")
    assert on_time(not_yet_seen, frist) == "okant"
    exactly = interval([seen(D(2022, 6, 1)), seen(D(2022, 9, 30), "kontakt")], "kontakt")
    assert on_time(exactly, frist) == "ja"
    assert on_time(exactly, None) == ""
    assert on_time(Interval(in_place=False), frist) == "okant"  # never observed


def test_of_two_observations_on_one_date_the_later_recorded_counts() -> None:
    first = seen(D(2022, 3, 1))
    corrected = seen(D(2022, 3, 1), "kontakt")
    assert newest_per_day([seen(D(2022, 6, 1)), first, corrected]) == [
        corrected,
        seen(D(2022, 6, 1)),
    ]


def test_the_status_of_each_case() -> None:
    there = Interval(True, None, D(2022, 1, 1))
    missing = Interval(False)
    as_of = D(2022, 10, 1)
    assert status(there, True, D(2022, 9, 30), as_of) == "infort_mall"
    assert status(there, False, None, as_of) == "infort"
    assert status(missing, False, D(2022, 9, 30), as_of) == "forsenat"
    assert status(missing, False, D(2022, 10, 1), as_of) == "planerat"  # due today: not late
    assert status(missing, False, None, as_of) == "ej_planerat"
    assert status(there, True, D(2022, 9, 30), as_of, exempted=True) == "undantaget"


def test_a_unit_has_one_row_per_required_or_exempted_case_type() -> None:
    history = [
        seen(D(2021, 9, 1)),
        seen(D(2022, 3, 1), "kontakt", "fornya_recept", templates=("kontakt",)),
    ]
    deadlines = {"kontakt": D(2022, 9, 30), "fornya_recept": D(2021, 6, 30)}
    rows = unit_rows(
        "SE1-A",
        "Vårdcentralen",
        "Primärvård",
        history,
        Requirement(("fornya_recept", "kontakt"), ("av_omboka",), "beslut"),
        deadlines.get,
        D(2022, 10, 1),
    )
    assert [(r.arendetyp, r.status, r.i_tid, r.mall) for r in rows] == [
        ("av_omboka", "undantaget", "", False),
        ("fornya_recept", "infort", "nej", False),
        ("kontakt", "infort_mall", "ja", True),
    ]
    assert rows[2].infort_efter == D(2021, 9, 1) and rows[2].infort_senast == D(2022, 3, 1)
    assert {r.basis for r in rows} == {"beslut"}
