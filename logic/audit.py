"""Is the record untouched? Recompute every audit event's link and hash, and every
revision's content hash, and report "intact" or the first place where they disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from logic.store.store import GENESIS, AuditEvent, StoredRevision, canonical_hash


class Verification(BaseModel):
    model_config = ConfigDict(frozen=True)

    events: int
    revisions: int
    problem: str | None = None  # message key: audit.broken_link, audit.altered_event, ...
    where: str = ""  # the event id or "hsa_id rev N"

    @property
    def intact(self) -> bool:
        return self.problem is None


def event_hash(event: AuditEvent) -> str:
    body = {
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor,
        "action": event.action,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return canonical_hash(body)


def revision_hash(revision: StoredRevision) -> str:
    payload = revision.model_dump(mode="json", exclude={"content_hash"})
    payload["created_at"] = revision.created_at.astimezone(dt.UTC).isoformat()
    return canonical_hash(payload)


def verify(events: Iterable[AuditEvent], revisions: Iterable[StoredRevision]) -> Verification:
    """The first broken link or altered hash, in event order, then in revision order."""
    checked_events = 0
    previous = GENESIS
    for event in events:
        checked_events += 1
        if event.prev_hash != previous:
            return Verification(
                events=checked_events, revisions=0, problem="audit.broken_link", where=str(event.id)
            )
        if event_hash(event) != event.hash:
            return Verification(
                events=checked_events,
                revisions=0,
                problem="audit.altered_event",
                where=str(event.id),
            )
        previous = event.hash
    checked_revisions = 0
    for revision in revisions:
        checked_revisions += 1
        if revision_hash(revision) != revision.content_hash:
            return Verification(
                events=checked_events,
                revisions=checked_revisions,
                problem="audit.altered_revision",
                where=f"{revision.hsa_id} rev {revision.revision}",
            )
    return Verification(events=checked_events, revisions=checked_revisions)
