"""The region's calendar: which day a moment falls on, and where a day ends, in the region's
time zone (settings). Every "today" of the app is the store's clock read here, so a test or
the demo history that sets the clock sets the day too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol
from zoneinfo import ZoneInfo

from logic.settings import settings


class Clocked(Protocol):
    clock: Callable[[], dt.datetime]


def region() -> ZoneInfo:
    return ZoneInfo(settings().timezone)


def local_day(moment: dt.datetime) -> dt.date:
    """The day `moment` falls on in the region."""
    return moment.astimezone(region()).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of a day in the region, in UTC."""
    start_next = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=region())
    return (start_next - dt.timedelta(microseconds=1)).astimezone(dt.UTC)


def local_today(store: Clocked) -> dt.date:
    """Today in the region, by the store's clock."""
    return local_day(store.clock())


def region_today() -> dt.date:
    """Today in the region, by the machine's clock (for a command that opens no store)."""
    return local_day(dt.datetime.now(dt.UTC))
