"""The record's own check: verify the audit chain, every revision and every verdict; read the
newest audit events."""

from __future__ import annotations

from logic.domain.auth import SYSTEM, User
from logic.domain.errors import Refused
from logic.domain.record import AuditEvent
from logic.domain.verification import Verification, verify
from logic.services.unit_of_work import unit_of_work
from logic.store.db import schema_state
from logic.store.store import Store, Tx


def verify_audit(store: Store, user: User, expect: tuple[int, str] | None = None) -> Verification:
    """Recompute the audit chain, every revision's content hash and every approval's binding
    to its revision: intact, or the first place where not. Everything is read as one state
    of the database (a snapshot), so people writing meanwhile never make it look altered,
    and nobody waits for it. The check is itself recorded, afterwards, with the chain's head
    it verified: a result that holds for exactly that record."""
    with unit_of_work(store, user, "verify_audit", readonly=True, snapshot=True) as work:
        result = _verify(work.tx, expect, store.audit_key)
    with unit_of_work(store, user, "verify_audit") as work:
        work.tx.audit.append(
            work.user.email,
            "verify_audit",
            {
                "intact": result.intact,
                "problem": result.problem,
                "where": result.where,
                "head": result.head,
            },
        )
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
        return _verify(tx, expect, store.audit_key)


def _verify(tx: Tx, expect: tuple[int, str] | None, key: bytes | None) -> Verification:
    """Everything verification recomputes, read as stored, in one transaction."""
    return verify(
        tx.audit.rows(),
        tx.revisions.all(),
        tx.verdicts.given(),
        tx.units.current_decisions(),
        tx.users.all(),
        expect,
        key,
    )


def introduce_key(store: Store) -> bool:
    """When the chain's newest event is unkeyed and the store has a key: a keyed event
    marking the key's introduction (the unkeyed part's length and head). Returns whether."""
    if store.audit_key is None:
        return False
    with store.transaction() as tx:
        tx.serialize("audit_chain")
        head, newest_key = tx.audit.chain_tail()  # at every start: no scan unless it is needed
        if head is None or newest_key is not None:
            return False
        details = {"unkeyed_events": tx.audit.unkeyed_count(), "head": head}
        tx.audit.append(SYSTEM.email, "audit_key_introduced", details)
    return True


def audit_log(store: Store, user: User, limit: int = 200, drafts: bool = False) -> list[AuditEvent]:
    """The newest audit events, for reading on the Administration page; draft saves (one per
    changed field) only when asked for, or they would crowd out everything else."""
    leave_out = () if drafts else ("save_draft",)
    with unit_of_work(store, user, "verify_audit", readonly=True) as work:
        return work.tx.audit.recent(limit, leave_out)
