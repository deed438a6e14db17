"""Every roll-out file is on the record as what it holds: the export and the report of an
administration as known at an earlier moment hold only that administration's units known
then, and their audit events say the date, the moment, the filter or administration, the
format, the count and the SHA-256 of the very file handed out (or delivered)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from typing import Any

from sqlalchemy import select

from logic.clock import local_today, region
from logic.services.rollout import RolloutFilter, export_rollout, read_rollout, rollout_report
from logic.services.units import import_units
from logic.store.schema import audit_events
from logic.store.store import Store
from tests.factories import ADAM, CECILIA, HEADER, ROW, on_day

FIRST, LATER = dt.date(2026, 11, 2), dt.date(2026, 11, 25)
OTHER = "Psykiatri Skåne"


def newest_event(store: Store) -> tuple[str, dict[str, Any]]:
    with store.transaction() as tx:
        statement = select(audit_events.c.action, audit_events.c.details)
        row = tx.connection.execute(statement.order_by(audit_events.c.id.desc())).first()
    assert row is not None
    return row[0], row[1]


def two_files(store: Store) -> tuple[Store, dt.datetime]:
    """A unit of each administration on the first day; one more of OTHER later. Returns the
    later store and a moment between the two files."""
    first = ROW.replace("T0001", "T0002").replace("Primärvård Skåne", OTHER)
    import_units(
        on_day(store, FIRST), "\n".join([HEADER, ROW, first]).encode(), ADAM, source="a.csv"
    )
    between = on_day(store, FIRST + dt.timedelta(days=1)).clock()
    later = on_day(store, LATER)
    more = ROW.replace("T0001", "T0003").replace("Primärvård Skåne", OTHER)
    import_units(later, "\n".join([HEADER, more]).encode(), ADAM, source="b.csv")
    return later, between


def test_the_export_of_an_administration_as_known_then_is_on_the_record(store: Store) -> None:
    store, between = two_files(store)
    today = local_today(store)
    only = RolloutFilter(forvaltning=OTHER)
    file = export_rollout(store, CECILIA, "csv", today, between, only)
    rows = list(csv.DictReader(io.StringIO(file.data.decode())))
    assert {r["hsa_id"] for r in rows} == {"SE162321000255-T0002"}  # OTHER's, known then
    assert file.rows == len(rows) > 0
    assert file.file_name == f"inforande-{today.isoformat()}.csv"
    assert file.sha256 == hashlib.sha256(file.data).hexdigest()
    assert newest_event(store) == (
        "export_rollout",
        {
            "as_of": today.isoformat(),
            "known_at": between.isoformat(),
            "filter": {"forvaltning": OTHER},
            "profile": "csv",
            "rows": file.rows,
            "sha256": file.sha256,
        },
    )
    # and the roll-out as read for the page: that administration's only
    shown = read_rollout(store, CECILIA, today, forvaltning=OTHER).rows
    assert {r.hsa_id for r in shown} == {"SE162321000255-T0002", "SE162321000255-T0003"}


def test_the_report_of_an_administration_as_known_then_is_on_the_record(store: Store) -> None:
    store, between = two_files(store)
    today = local_today(store)
    delivered: list[bytes] = []
    report = rollout_report(store, CECILIA, "xlsx", today, between, OTHER, deliver=delivered.append)
    assert delivered == [report.data]
    assert report.rows == 1  # OTHER's one unit known then
    assert report.sha256 == hashlib.sha256(report.data).hexdigest()
    assert newest_event(store) == (
        "rollout_report",
        {
            "as_of": today.isoformat(),
            "known_at": between.isoformat(),
            "forvaltning": OTHER,
            "format": "xlsx",
            "units": 1,
            "sha256": report.sha256,
        },
    )


def test_the_export_of_an_earlier_date_as_known_now(store: Store) -> None:
    store, _ = two_files(store)
    earlier = FIRST + dt.timedelta(days=1)  # before the second file was observed
    file = export_rollout(store, CECILIA, "csv", earlier)
    rows = list(csv.DictReader(io.StringIO(file.data.decode())))
    assert {r["hsa_id"] for r in rows} == {"SE162321000255-T0001", "SE162321000255-T0002"}
    known_at = dt.datetime.fromisoformat(newest_event(store)[1]["known_at"])
    assert known_at >= dt.datetime.combine(LATER, dt.time(9), tzinfo=region())  # known now
