"""The decision export's moments over a whole column are what Python's zoneinfo makes of
each, to the minute, in any zone and any year (Arrow's own time zones stop at 2037); an hour
in which the zone's offset changes (Lord Howe Island changes by half an hour, at half past)
is declined, never guessed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from logic.files.decision_columns import NotAsWritten, _local_minutes

ZONES = ["Europe/Stockholm", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
NEAR_CHANGES = [  # in UTC: just before and after a change, in the zones above
    dt.datetime(2026, 3, 29, 0, 59, 59, 999999),
    dt.datetime(2026, 3, 29, 1, 0),
    dt.datetime(2026, 10, 3, 15, 29),  # Lord Howe: the change at 15:30 UTC
    dt.datetime(2026, 10, 3, 15, 30),
    dt.datetime(2040, 7, 1, 12, 0),
    dt.datetime(1900, 1, 1, 0, 0),
]
MOMENTS = (
    st.sampled_from(NEAR_CHANGES)
    | st.datetimes(dt.datetime(1890, 1, 1), dt.datetime(2100, 12, 31))
    # any year Python has, a day from either end (the years written with four digits)
    | st.datetimes(dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30))
)


def in_zone(moment: dt.datetime, zone: ZoneInfo) -> str:
    """As the service writes a moment row by row: in local time, then to the minute."""
    return moment.replace(tzinfo=dt.UTC).astimezone(zone).isoformat(" ", "minutes")[:16]


def changes_within_its_hour(moment: dt.datetime, zone: ZoneInfo) -> bool:
    start = moment.replace(minute=0, second=0, microsecond=0, tzinfo=dt.UTC)
    end = start + dt.timedelta(hours=1) - dt.timedelta(microseconds=1)
    return start.astimezone(zone).utcoffset() != end.astimezone(zone).utcoffset()


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.none() | MOMENTS, max_size=12), st.sampled_from(ZONES))
def test_moments_in_local_time_are_zoneinfo_s(moments: list[dt.datetime | None], name: str) -> None:
    zone = ZoneInfo(name)
    try:
        written = _local_minutes(moments, zone).to_pylist()
    except NotAsWritten:  # declined only for an hour holding a change of offset
        assert any(changes_within_its_hour(m, zone) for m in moments if m is not None)
        return
    assert written == [None if m is None else in_zone(m, zone) for m in moments]


def test_the_half_hour_change_on_lord_howe_island_is_declined() -> None:
    zone = ZoneInfo("Australia/Lord_Howe")
    try:
        _local_minutes([dt.datetime(2026, 10, 3, 15, 45)], zone)
    except NotAsWritten:
        return
    raise AssertionError("an hour with a change of offset was converted by one offset")


def test_text_as_sqlite_keeps_moments_is_read_in_utc() -> None:
    stored = ["2040-07-01 12:00:00.000000", "2026-01-15 12:00:00", None]
    written = _local_minutes(stored, ZoneInfo("Europe/Stockholm")).to_pylist()
    assert written == ["2040-07-01 14:00", "2026-01-15 13:00", None]
