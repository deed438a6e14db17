"""Audit events: append-only and hash-chained (each holds the hash of the one before it; a
unique prev_hash makes a fork impossible)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from logic.domain.record import GENESIS, AuditEvent, event_hash, key_id
from logic.store.rows import Rows, utc
from logic.store.schema import audit_events


class AuditRows(Rows):
    def append_audit(self, actor: str, action: str, details: dict[str, Any]) -> AuditEvent:
        """Chain the event to the newest one. Two actions at once queue here for the chain's
        head (one after the other), so the chain never forks and neither fails."""
        self.serialize("audit_chain")
        last = self.connection.execute(
            select(audit_events.c.hash).order_by(audit_events.c.id.desc()).limit(1)
        ).scalar_one_or_none()
        prev = last or GENESIS
        digest = event_hash(self.now, actor, action, details, prev, self.audit_key)
        fingerprint = key_id(self.audit_key) if self.audit_key else None
        result = self.connection.execute(
            insert(audit_events).values(
                at=self.now,
                actor=actor,
                action=action,
                details=details,
                prev_hash=prev,
                hash=digest,
                key_id=fingerprint,
            )
        )
        return AuditEvent(
            id=result.inserted_primary_key[0],
            at=self.now,
            actor=actor,
            action=action,
            details=details,
            prev_hash=prev,
            hash=digest,
            key_id=fingerprint,
        )

    def recent_audit_events(self, limit: int) -> list[AuditEvent]:
        """The newest events first."""
        rows = self.connection.execute(
            select(audit_events).order_by(audit_events.c.id.desc()).limit(limit)
        )
        return [AuditEvent.model_validate(r._asdict() | {"at": utc(r.at)}) for r in rows]

    def audit_events(self) -> list[AuditEvent]:
        rows = self.connection.execute(select(audit_events).order_by(audit_events.c.id))
        return [AuditEvent.model_validate(r._asdict() | {"at": utc(r.at)}) for r in rows]
