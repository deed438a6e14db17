"""Is the record untouched? Recompute every audit event's link and hash, and every
revision's content hash, and report "intact" or the first place where they disagree."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from logic.domain.record import (
    GENESIS,
    AuditEvent,
    CurrentStatus,
    StoredApproval,
    StoredRevision,
    event_hash,
    revision_hash,
)
from logic.domain.workflow import wrote_part


class Verification(BaseModel):
    model_config = ConfigDict(frozen=True)

    events: int
    revisions: int
    problem: str | None = None  # message key: audit.broken_link, audit.altered_event, ...
    where: str = ""  # the event id or "hsa_id rev N"

    @property
    def intact(self) -> bool:
        return self.problem is None


VERDICT_EVENTS = {"approve_decision": "faststalld", "return_decision": "aterremitterad"}


def verify(
    events: Iterable[AuditEvent],
    revisions: Iterable[StoredRevision],
    approvals: Iterable[StoredApproval] = (),
    current: Iterable[CurrentStatus] = (),
) -> Verification:
    """The first broken link or altered hash, in event order, then in revision order; then
    any approval that does not match its revision's content, was given by its author or
    differs from the audit event that recorded it (or has none, or lost its row); then any
    unit whose register status, revision in force or its approver (`current`, as the
    register keeps them) differs from the approvals."""
    checked_events = 0
    previous = GENESIS
    recorded: dict[tuple[str, int], tuple[str, str, str, str]] = {}
    for event in events:
        if event.action in VERDICT_EVENTS:  # what the chain says each verdict was
            d = event.details
            recorded[(d.get("hsa_id"), d.get("revision"))] = (
                VERDICT_EVENTS[event.action],
                event.actor,
                d.get("content_hash"),
                d.get("comment", ""),
            )
        checked_events += 1
        if event.prev_hash != previous:
            return Verification(
                events=checked_events, revisions=0, problem="audit.broken_link", where=str(event.id)
            )
        if (
            event_hash(event.at, event.actor, event.action, event.details, event.prev_hash)
            != event.hash
        ):
            return Verification(
                events=checked_events,
                revisions=0,
                problem="audit.altered_event",
                where=str(event.id),
            )
        previous = event.hash
    approvals_seen = list(approvals)
    verdicts = {(a.hsa_id, a.revision): a for a in approvals_seen}
    checked_revisions = 0
    for revision in revisions:
        checked_revisions += 1
        where = f"{revision.hsa_id} rev {revision.revision}"
        if revision_hash(revision) != revision.content_hash:
            return Verification(
                events=checked_events,
                revisions=checked_revisions,
                problem="audit.altered_revision",
                where=where,
            )
        verdict = verdicts.pop((revision.hsa_id, revision.revision), None)
        if verdict is not None and (
            verdict.content_hash != revision.content_hash or wrote_part(revision, verdict.approver)
        ):
            return Verification(
                events=checked_events,
                revisions=checked_revisions,
                problem="audit.altered_approval",
                where=where,
            )
    if verdicts:  # a verdict on a revision that does not exist
        hsa_id, number = next(iter(verdicts))
        return Verification(
            events=checked_events,
            revisions=checked_revisions,
            problem="audit.altered_approval",
            where=f"{hsa_id} rev {number}",
        )
    given = {(a.hsa_id, a.revision): a for a in approvals_seen}
    for key in sorted(set(given) | set(recorded)):
        approval = given.get(key)
        row = approval and (
            approval.verdict,
            approval.approver,
            approval.content_hash,
            approval.comment,
        )
        if row is None or recorded.get(key) != row:
            return Verification(
                events=checked_events,
                revisions=checked_revisions,
                problem="audit.altered_approval",
                where=f"{key[0]} rev {key[1]}",
            )
    in_force: dict[str, StoredApproval] = {}
    for (hsa_id, _revision), approval in sorted(given.items()):
        if approval.verdict == "faststalld":
            in_force[hsa_id] = approval  # sorted: the newest approved revision wins
    for unit in current:
        verdict = given.get((unit.hsa_id, unit.revision))
        expected_status = verdict.verdict if verdict else "for_beslut"
        force = in_force.get(unit.hsa_id)
        expected_force = (force.revision, force.approver) if force else (None, None)
        found_force = (unit.in_force_revision, unit.in_force_approver)
        if (unit.status, found_force) != (expected_status, expected_force):
            return Verification(
                events=checked_events,
                revisions=checked_revisions,
                problem="audit.altered_register",
                where=f"{unit.hsa_id} rev {unit.revision}",
            )
    return Verification(events=checked_events, revisions=checked_revisions)
