"""The record as it is stored: revisions, verdicts, drafts and audit events, and the ONE
way each is hashed. The writer (the store) and the verifier (verification.py) call the same
functions here, so they cannot drift apart.

Revisions, verdicts and audit events are append-only; a revision's `content_hash` covers
everything it holds, and each audit event carries the hash of the one before it (a chain).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from logic.domain.models import Recommendation, Unit

GENESIS = "0" * 64  # prev_hash of the first audit event
# The event that marks where a chain begun without a key (before keys existed) takes the
# key: written only by an administrator's explicit command, never by the app on its own.
KEY_INTRODUCED = "audit_key_introduced"
# Actions that leave the register as it was (they only read, or sign someone in or out):
# what is read from the register and kept outlives them (readmodels/kept.py). Any other
# action, a new one included, is taken to change what is read.
READING_ACTIONS = (
    "export_decisions",
    "export_table",
    "export_rollout",
    "rollout_report",
    "policy_impact",
    "decision_document",
    "decision_documents",
    "verify_audit",
    "permission_denied",
    "sign_in",
    "sign_out",
)
Verdict = Literal["faststalld", "aterremitterad"]  # an approval or a return


class NewRevision(BaseModel):
    """What a submission writes: who, the inputs, the recommendation with its trace, the
    decision."""

    model_config = ConfigDict(frozen=True)

    hsa_id: str
    based_on_revision: int | None
    author: str
    inputs: dict[str, Any]
    recommendation: Recommendation
    outcome: str
    variant: str | None
    decision: dict[str, Any]
    # The decision's key facts as columns, for the register's filters and exports.
    required: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    grounds: tuple[str, ...] = ()
    rationale: str = ""
    review_date: dt.date | None = None
    deviates: bool = False


class StoredRevision(NewRevision):
    revision: int
    created_at: dt.datetime
    catalog_version: str
    content_hash: str


class RevisionRow(NamedTuple):
    """A revision as its row holds it: the sealed revision (None when the row no longer
    reads as one) and the column repeated from its recommendation for exports
    (verification checks that they agree); `where` names the row."""

    revision: StoredRevision | None
    rule_ids: str
    where: str = ""


class StoredDraft(BaseModel):
    model_config = ConfigDict(frozen=True)

    hsa_id: str
    holder: str
    since: dt.datetime
    updated_at: dt.datetime
    data: dict[str, Any]
    editors: tuple[str, ...] = ()  # who opened, took over or saved it


class StoredVerdict(BaseModel):
    """A four-eyes verdict on one revision, as the approver gave it."""

    model_config = ConfigDict(frozen=True)

    hsa_id: str
    revision: int
    content_hash: str  # the revision's content hash as the approver saw it
    verdict: Verdict
    comment: str
    approver: str
    at: dt.datetime


class AuditEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    at: dt.datetime
    actor: str  # who did it (any signed-in person, or the system)
    action: str
    details: dict[str, Any]
    prev_hash: str
    hash: str
    key_id: str | None = None  # the key that chained it (None: unkeyed, from before keys)


def _canonical_text(payload: dict[str, Any]) -> str:
    """JSON values only (what the record's JSON columns hold): anything else is refused, not
    turned into a text that a later version might write differently."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of the payload as canonical JSON (sorted keys, no spaces, UTF-8)."""
    return hashlib.sha256(_canonical_text(payload).encode("utf-8")).hexdigest()


def _utc_text(moment: dt.datetime) -> str:
    """A stored moment as hashed: ISO 8601 in UTC. A time without a time zone is refused:
    read as the server's local time it would hash differently from the stored UTC value."""
    if moment.tzinfo is None:
        raise ValueError("a recorded time needs a time zone (UTC)")
    return moment.astimezone(dt.UTC).isoformat()


def revision_hash(revision: StoredRevision) -> str:
    """The content hash of a revision: every field but the hash itself."""
    payload = revision.model_dump(mode="json", exclude={"content_hash"})
    payload["created_at"] = _utc_text(revision.created_at)
    return canonical_hash(payload)


def seal(new: NewRevision, number: int, at: dt.datetime) -> StoredRevision:
    """The revision as it will be stored: numbered, timed, and its content hash computed."""
    unsealed = StoredRevision.model_validate(
        new.model_dump()
        | {
            "revision": number,
            "created_at": at,
            "catalog_version": new.recommendation.catalog_version,
            "content_hash": "",
        }
    )
    return unsealed.model_copy(update={"content_hash": revision_hash(unsealed)})


def event_hash(
    at: dt.datetime,
    actor: str,
    action: str,
    details: dict[str, Any],
    prev_hash: str,
    key: bytes | None = None,
) -> str:
    """An audit event's hash: its content and the previous event's hash (the chain). With a
    key, an HMAC: whoever holds only the database cannot recompute the chain."""
    body = {
        "at": _utc_text(at),
        "actor": actor,
        "action": action,
        "details": details,
        "prev_hash": prev_hash,
    }
    if key is None:
        return canonical_hash(body)
    return hmac.new(key, _canonical_text(body).encode("utf-8"), hashlib.sha256).hexdigest()


# What an observation's digest covers: the day it was observed and the unit, every field.
OBSERVED_FIELDS: tuple[str, ...] = ("observed", *Unit.model_fields)


def observation_digest(rows: Iterable[Mapping[str, Any]]) -> str:
    """The ONE way the observations one import (or one approval's corrections) appended are
    committed to in its audit event: their fields in canonical JSON, in the order given (by
    HSA-id), hashed. The writer and the verifier call this over the same rows."""
    digest = hashlib.sha256()
    for row in rows:
        fields = {f: row[f] for f in OBSERVED_FIELDS}
        fields["observed"] = str(fields["observed"])
        digest.update(_canonical_text(fields).encode() + b"\n")
    return digest.hexdigest()


def key_id(key: bytes) -> str:
    """A key's fingerprint, stored with each event it chained: names the key, reveals
    nothing of it."""
    return hashlib.sha256(b"basutbud audit key:" + key).hexdigest()[:16]


HEX_DIGITS = set("0123456789abcdef")


def parse_head(text: str) -> tuple[int, str] | None:
    """A chain head as written down ("123:ab12...") -> (123, "ab12..."); None when it is
    not a head."""
    count, _, digest = text.strip().partition(":")
    if (
        not (count.isascii() and count.isdigit())
        or len(digest) != 64
        or not set(digest.lower()) <= HEX_DIGITS
    ):
        return None
    return int(count), digest.lower()
