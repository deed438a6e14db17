"""Verification is true while others work: it reads one state of the database, so a decision
committed half way through its reading never makes the record look altered, on SQLite and
PostgreSQL; what it records is the result for the chain's head it verified."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from logic.services.assessment import open_assessment, submit_decision
from logic.services.audit import verify_audit
from logic.services.units import import_units
from logic.services.verdicts import approve_decision
from logic.store.revisions import RevisionRows
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, HEADER, ROW, completed, on_day

TODAY = dt.date(2026, 11, 25)
HSA = "SE162321000255-T0001"
OTHER = "SE162321000255-T0002"


@pytest.fixture
def busy(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    first = submit_decision(store, completed(open_assessment(store, HSA, ANNA).draft), ANNA)
    approve_decision(store, HSA, first.revision, first.content_hash, BERIT)
    return store


def test_a_decision_committed_while_verification_reads_raises_no_alarm(
    busy: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading = RevisionRows.all
    written: list[int] = []

    def meanwhile(self: RevisionRows) -> Iterator[Any]:
        if not written:  # someone submits and another approves, between two of its reads
            revision = submit_decision(
                busy, completed(open_assessment(busy, OTHER, ANNA).draft), ANNA
            )
            approve_decision(busy, OTHER, revision.revision, revision.content_hash, BERIT)
            written.append(revision.revision)
        yield from reading(self)

    monkeypatch.setattr(RevisionRows, "all", meanwhile)
    result = verify_audit(busy, ADAM)
    assert written and result.intact, (result.problem, result.where)
    assert result.revisions == 1  # the state it read: before the other decision
    monkeypatch.setattr(RevisionRows, "all", reading)
    again = verify_audit(busy, ADAM)
    assert again.intact and again.revisions == 2
    with busy.transaction() as tx:
        recorded = [e.details for e in tx.audit.events() if e.action == "verify_audit"]
    assert [d["head"] for d in recorded] == [result.head, again.head]
    assert result.head != again.head and all(d["intact"] for d in recorded)
