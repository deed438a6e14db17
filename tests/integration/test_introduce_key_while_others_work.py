"""Introducing the audit key is an administrator's decision taken while the team works: its
check reads one state of the database and holds no write lock (a keyed chain is left as it
is, whatever others commit meanwhile); a chain broken otherwise is refused in words; two
administrators at once introduce it once."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text

from logic.domain.auth import User
from logic.services import audit
from logic.services.assessment import open_assessment, submit_decision
from logic.services.audit import ChainNotIntact, introduce_key
from logic.services.units import import_units
from logic.services.users import save_user
from logic.services.verdicts import approve_decision
from logic.store.audit import AuditRows
from logic.store.db import migrate
from logic.store.revisions import RevisionRows
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, HEADER, ROW, completed, decide, on_day
from tests.integration.test_audit import triggers_off

TODAY = dt.date(2026, 11, 25)
HSA = "SE162321000255-T0001"
OTHER = "SE162321000255-T0002"


@pytest.fixture
def keyed(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    decide(store, HSA, ANNA, approver=BERIT)
    return store


def test_a_keyed_chain_is_left_as_it_is_though_a_decision_is_made_while_it_is_checked(
    keyed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading = RevisionRows.all
    written: list[int] = []

    def meanwhile(self: RevisionRows) -> Iterator[Any]:
        if not written:  # someone submits and another approves, between two of its reads
            draft = completed(open_assessment(keyed, OTHER, ANNA).draft)
            revision = submit_decision(keyed, draft, ANNA)
            approve_decision(keyed, OTHER, revision.revision, revision.content_hash, BERIT)
            written.append(revision.revision)
        yield from reading(self)

    monkeypatch.setattr(RevisionRows, "all", meanwhile)
    assert introduce_key(keyed, ADAM) is None and written  # intact: nothing to introduce


def test_no_write_lock_is_held_while_the_chain_is_checked(
    keyed: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite a write lock held by the check would make this save wait, and fail, after
    the store's timeout."""
    checking = audit._verify
    saved: list[str] = []

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        someone = User(email=f"ny{len(saved)}@region.se", namn="Ny", roles=("chef",))
        saved.append(save_user(keyed, someone, ADAM).email)
        return checking(*args, **kwargs)

    monkeypatch.setattr(audit, "_verify", meanwhile)
    assert introduce_key(keyed, ADAM) is None and saved == ["ny0@region.se"]


def test_a_chain_broken_otherwise_does_not_take_the_key(keyed: Store) -> None:
    with triggers_off(keyed, "audit_events") as conn:
        first = conn.execute(text("SELECT MIN(id) FROM audit_events")).scalar_one()
        conn.execute(text("UPDATE audit_events SET actor = 'x' WHERE id = :i"), {"i": first})
    with pytest.raises(ChainNotIntact) as refused:
        introduce_key(keyed, ADAM)
    assert str(refused.value) == "audit.altered_event"
    assert refused.value.words() == (
        "audit.key_refused",
        {"where": str(first), "problem": "audit.altered_event"},
    )


def test_two_administrators_at_once_introduce_the_key_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second waits for the first's introduction and then finds the chain keyed (on
    PostgreSQL by the chain's lock; SQLite runs one writer at a time)."""
    migrate(engine)
    import_units(Store(engine), f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")  # unkeyed
    keyed = Store(engine, b"the-key")
    tail = AuditRows.chain_tail
    first: list[str] = []

    def slowly(self: AuditRows) -> tuple[str | None, str | None]:
        found = tail(self)
        if not first:  # the first to look holds its lock a while: the other comes meanwhile
            first.append(threading.current_thread().name)
            time.sleep(1.0)
        return found

    monkeypatch.setattr(AuditRows, "chain_tail", slowly)
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(introduce_key(keyed, ADAM)), name=n)
        for n in ("a", "b")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with keyed.transaction() as tx:
        introduced = [e for e in tx.audit.events() if e.action == "audit_key_introduced"]
    assert len(introduced) == 1 and sorted(r is None for r in results) == [False, True]
