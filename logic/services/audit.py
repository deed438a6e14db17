"""The record's own check: verify the audit chain, every revision and every verdict; read the
newest audit events."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from logic.clock import local_day
from logic.domain.auth import User
from logic.domain.catalog import Catalog
from logic.domain.errors import CatalogAltered, Refused, UnkeyedChain
from logic.domain.record import KEY_INTRODUCED, AuditEvent
from logic.domain.verification import Verification, verify
from logic.readmodels.rollout_projection import as_stored_and_made
from logic.services.unit_of_work import catalog_on, unit_of_work
from logic.store.db import schema_state
from logic.store.store import Store, Tx


def verify_audit(store: Store, user: User, expect: tuple[int, str] | None = None) -> Verification:
    """Recompute the audit chain, every revision's content hash and every approval's binding
    to its revision: intact, or the first place where not. Everything is read as one state
    of the database (a snapshot), so people writing meanwhile never make it look altered,
    and nobody waits for it. The check is itself recorded, afterwards, with the chain's head
    it verified: a result that holds for exactly that record (on a chain without its key
    nothing may be appended: the result, which says so, is returned unrecorded)."""
    with unit_of_work(store, user, "verify_audit", readonly=True, snapshot=True) as work:
        result = _verify(work.tx, expect, store.audit_key, _in_force(lambda: work.catalog))
    details = {
        "intact": result.intact,
        "problem": result.problem,
        "where": result.where,
        "head": result.head,
    }
    # on a chain without its key the result says so, and nothing may be appended
    with contextlib.suppress(UnkeyedChain), unit_of_work(store, user, "verify_audit") as work:
        work.tx.audit.append(work.user.email, "verify_audit", details)
    return result


class NotARegister(Refused):
    """The database holds no register to verify: `state` is "empty" (never migrated) or
    "old" (an earlier version: migrate a copy of it first)."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state

    def words(self) -> tuple[str, dict[str, object]]:
        return f"cli.register_{self.state}", {}


def verify_copy(store: Store, expect: tuple[int, str] | None = None) -> Verification:
    """Verify a database without writing to it: a backup, or a copy opened read-only. The
    check leaves no trace (it is not an action on the register)."""
    state = schema_state(store.engine)
    if state != "current":
        raise NotARegister(state)
    with store.transaction(readonly=True, snapshot=True) as tx:
        cat = _in_force(lambda: store.catalog or catalog_on(tx, local_day(tx.now)))
        return _verify(tx, expect, store.audit_key, cat)


def _in_force(read: Callable[[], Catalog]) -> Catalog | None:
    """The catalog in force, or None when it was altered: verification then names the
    version (and checks nothing that is decided by it)."""
    try:
        return read()
    except CatalogAltered:
        return None


def _verify(
    tx: Tx, expect: tuple[int, str] | None, key: bytes | None, cat: Catalog | None = None
) -> Verification:
    """Everything verification recomputes, read as stored, in one transaction."""
    return verify(
        tx.audit.rows(),
        tx.revisions.all(),
        tx.verdicts.given(),
        tx.units.current_decisions(),
        tx.users.all(),
        expect,
        key,
        observations=tx.units.observations(),
        catalog=cat,
        projection=as_stored_and_made(tx, cat) if cat is not None else (),
        catalogs=(tx.catalogs.proposals(with_files=True), tx.catalogs.verdicts()),
        unit_managers=(tx.acknowledgements.all(), tx.requests.all()),
    )


class ChainNotIntact(Refused):
    """The key is introduced only to a chain that verifies but for lacking it."""

    def __init__(self, result: Verification):
        super().__init__(result.problem or "")
        self.result = result

    def words(self) -> tuple[str, dict[str, object]]:
        return "audit.key_refused", {"where": self.result.where, "problem": self.result.problem}


def chain_unkeyed(store: Store) -> bool:
    """Does the store hold a key while the chain's newest event is unkeyed? Then nothing is
    appended until an administrator introduces the key (introduce_key)."""
    if store.audit_key is None:
        return False
    with store.transaction(readonly=True) as tx:
        head, newest_key = tx.audit.chain_tail()
    return head is not None and newest_key is None


def introduce_key(store: Store, user: User) -> Verification | None:
    """An administrator's explicit decision, recorded: the chain begun before keys (or
    rewritten without the key) takes the store's key from here on. Only a chain that
    verifies but for lacking the key (checked first, as one state) takes it; returns that
    verification, or None when the chain is keyed already. The app never does this itself:
    a chain rewritten without the key stays reported until a person decides."""
    with unit_of_work(store, user, "introduce_audit_key", readonly=True, snapshot=True) as work:
        result = _verify(work.tx, None, store.audit_key)
    if result.intact:
        return None
    if result.problem != "audit.unkeyed_chain":
        raise ChainNotIntact(result)
    with unit_of_work(store, user, "introduce_audit_key") as work:
        tx = work.tx
        tx.serialize("audit_chain")
        head, newest_key = tx.audit.chain_tail()
        if newest_key is not None:  # someone introduced it meanwhile
            return None
        details = {"unkeyed_events": tx.audit.unkeyed_count(), "head": head}
        tx.audit.append(work.user.email, KEY_INTRODUCED, details)
    return result


def audit_log(store: Store, user: User, limit: int = 200, drafts: bool = False) -> list[AuditEvent]:
    """The newest audit events, for reading on the Administration page; draft saves (one per
    changed field) only when asked for, or they would crowd out everything else."""
    leave_out = () if drafts else ("save_draft",)
    with unit_of_work(store, user, "verify_audit", readonly=True) as work:
        return work.tx.audit.recent(limit, leave_out)
