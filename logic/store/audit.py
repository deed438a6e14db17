"""Audit events: append-only and hash-chained (each holds the hash of the one before it; a
unique prev_hash makes a fork impossible)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import String, Text, cast, func, insert, select

from logic.domain.errors import UnkeyedChain
from logic.domain.record import (
    GENESIS,
    KEY_INTRODUCED,
    READING_ACTIONS,
    AuditEvent,
    event_hash,
    key_id,
)
from logic.store.rows import Rows, utc
from logic.store.schema import audit_events


def _moment(text: str | None) -> Any:
    """A stored time as UTC, or the stored text when it is not a time."""
    try:
        return utc(dt.datetime.fromisoformat(str(text)))
    except ValueError:
        return text


def _json(text: str | None) -> Any:
    try:
        return json.loads(text) if text is not None else None
    except ValueError:
        return text


class AuditRows(Rows):
    def data_version(self) -> object:
        """What everything read from the register depends on: the newest event of an action
        that writes (every writing action appends one, last, under the chain's lock, so the
        events commit in the order of their ids). Found walking back the primary key from the
        newest event over the reading ones since the last write (a day's sign-ins and exports:
        hundreds of rows at most), not over the chain."""
        statement = (
            select(audit_events.c.id)
            .where(audit_events.c.action.not_in(READING_ACTIONS))
            .order_by(audit_events.c.id.desc())
            .limit(1)
        )
        return self.connection.execute(statement).scalar()

    def append(self, actor: str, action: str, details: dict[str, Any]) -> AuditEvent:
        """Chain the event to the newest one. Two actions at once queue here for the chain's
        head (one after the other), so the chain never forks and neither fails."""
        self.serialize("audit_chain")
        last = self.connection.execute(
            select(audit_events.c.hash, audit_events.c.key_id)
            .order_by(audit_events.c.id.desc())
            .limit(1)
        ).first()
        unkeyed = last is not None and last.key_id is None and self.audit_key is not None
        if unkeyed and action != KEY_INTRODUCED:
            raise UnkeyedChain()  # keyed events after it would make it look keyed throughout
        prev = last.hash if last is not None else GENESIS
        digest = event_hash(self.now, actor, action, details, prev, self.audit_key)
        fingerprint = key_id(self.audit_key) if self.audit_key is not None else None
        values = {
            "at": self.now,
            "actor": actor,
            "action": action,
            "details": details,
            "prev_hash": prev,
            "hash": digest,
            "key_id": fingerprint,
        }
        result = self.connection.execute(insert(audit_events).values(**values))
        return AuditEvent(id=result.inserted_primary_key[0], **values)

    def chain_tail(self) -> tuple[str | None, str | None]:
        """The newest event's hash and key fingerprint (None, None for an empty chain)."""
        newest = self.connection.execute(
            select(audit_events.c.hash, audit_events.c.key_id)
            .order_by(audit_events.c.id.desc())
            .limit(1)
        ).first()
        return (newest.hash, newest.key_id) if newest else (None, None)

    def unkeyed_count(self) -> int:
        """How many events were chained before the chain had a key."""
        return self.connection.execute(
            select(func.count()).select_from(audit_events).where(audit_events.c.key_id.is_(None))
        ).scalar_one()

    def recent(self, limit: int, leave_out: tuple[str, ...] = ()) -> list[AuditEvent]:
        """The newest events first, without the actions in `leave_out`."""
        statement = select(audit_events).order_by(audit_events.c.id.desc()).limit(limit)
        if leave_out:
            statement = statement.where(audit_events.c.action.not_in(leave_out))
        rows = self.connection.execute(statement)
        return [AuditEvent.model_validate(r._asdict() | {"at": utc(r.at)}) for r in rows]

    def rows(self) -> Iterator[AuditEvent]:
        """Every event as stored, for verification, streamed: its time and details read as
        text and parsed here, so a row forged out of shape reaches the check (which names
        it) instead of stopping the read."""
        statement = select(
            audit_events.c.id,
            cast(audit_events.c.at, String).label("at"),
            audit_events.c.actor,
            audit_events.c.action,
            cast(audit_events.c.details, Text).label("details"),
            audit_events.c.prev_hash,
            audit_events.c.hash,
            audit_events.c.key_id,
        ).order_by(audit_events.c.id)
        for row in self.connection.execute(statement.execution_options(yield_per=2000)):
            yield AuditEvent.model_construct(
                id=row.id,
                at=_moment(row.at),
                actor=row.actor,
                action=row.action,
                details=_json(row.details),
                prev_hash=row.prev_hash,
                hash=row.hash,
                key_id=row.key_id,
            )

    def events(self) -> list[AuditEvent]:
        rows = self.connection.execute(select(audit_events).order_by(audit_events.c.id))
        return [AuditEvent.model_validate(r._asdict() | {"at": utc(r.at)}) for r in rows]
