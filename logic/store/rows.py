"""What every repository shares: the open connection and the transaction's moment."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection


def utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


def codes(value: str | None) -> tuple[str, ...]:
    """'a|b' -> ('a', 'b'); the way code lists are kept in one column."""
    return tuple(value.split("|")) if value else ()


class Rows:
    """Base of the repositories: they run inside one transaction (Tx), at one moment."""

    connection: Connection
    now: dt.datetime
