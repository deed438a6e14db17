"""The chain's checks that run while the team works: introducing the audit key (an
administrator's decision) and verifying a copy read one state of the database and hold no
write lock (a keyed chain is left as it is and said intact, whatever others commit
meanwhile); a chain broken otherwise does not take the key; two administrators at once
introduce it once; the audit log shows the newest 200 events."""

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
from logic.services.audit import ChainNotIntact, audit_log, introduce_key, verify_copy
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


def introduced(store: Store) -> bool:
    """Introduce the key to a keyed chain: True when it is left as it is (intact)."""
    return introduce_key(store, ADAM) is None


def copy_intact(store: Store) -> bool:
    return verify_copy(store).intact


CHECKS = [pytest.param(introduced, id="introduce key"), pytest.param(copy_intact, id="copy")]


@pytest.mark.parametrize("check", CHECKS)
def test_a_keyed_chain_is_intact_though_a_decision_is_made_while_it_is_checked(
    keyed: Store, monkeypatch: pytest.MonkeyPatch, check: Any
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
    assert check(keyed) and written


@pytest.mark.parametrize("check", CHECKS)
def test_no_write_lock_is_held_while_the_chain_is_checked(
    keyed: Store, monkeypatch: pytest.MonkeyPatch, check: Any
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
    assert check(keyed) and saved == ["ny0@region.se"]


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


def test_the_audit_log_shows_the_newest_200_events(keyed: Store) -> None:
    for n in range(201):
        save_user(keyed, User(email=f"u{n}@region.se", namn="U", roles=("chef",)), ADAM)
    shown = audit_log(keyed, ADAM)
    assert len(shown) == 200 and shown[0].details["email"] == "u200@region.se"
