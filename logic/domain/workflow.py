"""Four-eyes approval: the states a decision passes through and who may move it on.

utkast (a draft in the wizard) -> for_beslut (submitted: a revision) -> faststalld (approved)
or aterremitterad (returned, with a comment). A later approved revision marks the earlier
approved one ersatt; a proposal overtaken by a newer one before any verdict is ersatt too.
Revisions and verdicts are append-only, so a revision's status is computed from them; the
register keeps the current revision's status on `units` as a projection, which verification
checks against the verdicts. What a submission and a verdict do to that projection is
decided here (on_submission, on_verdict); the store only writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict

from logic.domain.assessment import BELOW_MINIMUM
from logic.domain.record import StoredRevision, StoredVerdict, Verdict

RevisionStatus = Literal["for_beslut", "faststalld", "aterremitterad", "ersatt"]  # of a revision
# The status a unit's newest revision can have (a newest revision is never superseded).
DecisionStatus = Literal["for_beslut", "faststalld", "aterremitterad"]
DECISION_STATUSES: tuple[str, ...] = get_args(DecisionStatus)

# Why an approval or a return is refused (message keys workflow.refused.<reason>).
Refusal = Literal["own_revision", "stale", "already_decided", "altered", "not_found"]


def revision_statuses(
    revisions: Iterable[int], verdicts: Mapping[int, str]
) -> dict[int, RevisionStatus]:
    """Each revision's status from the verdicts given (revision number -> verdict)."""
    numbers = sorted(revisions)
    latest = numbers[-1] if numbers else None
    approved = [n for n in numbers if verdicts.get(n) == "faststalld"]
    newest_approved = approved[-1] if approved else None
    statuses: dict[int, RevisionStatus] = {}
    for n in numbers:
        verdict = verdicts.get(n)
        if verdict == "aterremitterad":
            statuses[n] = "aterremitterad"
        elif verdict == "faststalld":
            statuses[n] = "faststalld" if n == newest_approved else "ersatt"
        else:
            statuses[n] = "for_beslut" if n == latest else "ersatt"
    return statuses


def writers(revision: StoredRevision) -> tuple[str, ...]:
    """Everyone who wrote any part of the revision: its author, and anyone who opened, took
    over or saved its draft (recorded with it as `editors`)."""
    return tuple(dict.fromkeys([*revision.decision.get("editors", ()), revision.author]))


def wrote_part(revision: StoredRevision, email: str) -> bool:
    """Did this person write any part of the revision?"""
    return email.lower() in {w.lower() for w in writers(revision)}


def refusal(
    *,
    approver: str,
    author: str | None,
    revision: int,
    latest: int | None,
    seen_hash: str,
    stored_hash: str | None,
    recomputed_hash: str | None,
    has_verdict: bool,
    editors: tuple[str, ...] = (),
) -> Refusal | None:
    """Why this verdict may not be given, or None. The approver may have written no part of
    the revision (`author`, `editors`). `seen_hash` is the content hash of the revision as
    the approver saw it; the stored and the recomputed hash must both match it, so an
    approval can only ever cover the content it was given for."""
    if author is None or stored_hash is None or latest is None:
        return "not_found"
    if approver.lower() in {w.lower() for w in (author, *editors)}:
        return "own_revision"
    if has_verdict:
        return "already_decided"
    if revision != latest or seen_hash != stored_hash:
        return "stale"
    if recomputed_hash != stored_hash:
        return "altered"
    return None


class CurrentDecision(BaseModel):
    """A unit's newest revision in brief, as the register keeps it for the follow-up page."""

    model_config = ConfigDict(frozen=True)

    revision: int
    outcome: str
    variant: str | None
    required: tuple[str, ...]
    missing: tuple[str, ...]
    grounds: tuple[str, ...]
    review_date: dt.date | None
    deviates: bool
    below_minimum: bool  # drops the lowest level, digital contact (assessment.drops_minimum)
    status: RevisionStatus
    kontakt_since: dt.datetime | None  # since when digital contact has been in place


def on_submission(
    revision: StoredRevision, kontakt_since: dt.datetime | None = None
) -> CurrentDecision:
    """A submitted revision becomes the unit's current decision and waits for a verdict
    (four eyes). Digital contact is in place when the unit is in scope and lacks no
    `kontakt`: since the earlier decisions said so (`kontakt_since`, kept), or since this
    one; a decision that finds it not in place ends that period."""
    in_place = revision.outcome in ("omfattas", "delvis_undantagen") and (
        "kontakt" not in revision.missing
    )
    return CurrentDecision(
        revision=revision.revision,
        outcome=revision.outcome,
        variant=revision.variant,
        required=revision.required,
        missing=revision.missing,
        grounds=revision.grounds,
        review_date=revision.review_date,
        deviates=revision.deviates,
        below_minimum=below_minimum(revision),
        status="for_beslut",
        kontakt_since=(kontakt_since or revision.created_at) if in_place else None,
    )


def below_minimum(revision: StoredRevision) -> bool:
    """Is one of the revision's recorded deviations the lowest level exempted?"""
    return any(d.get("code") == BELOW_MINIMUM for d in revision.decision.get("deviations", []))


class CurrentStatus(BaseModel):
    """A unit as the register keeps it: its current decision in brief (None when never
    decided) and the decision in force with its approver. Verification recomputes both."""

    model_config = ConfigDict(frozen=True)

    hsa_id: str
    decision: CurrentDecision | None
    in_force_revision: int | None
    in_force_approver: str | None
    in_force_at: dt.datetime | None = None
    # the facts the register shows (record.OBSERVED_FIELDS), and what the rules recommend
    # for them under `catalog_version`: verification compares them with the newest
    # observation and the rules
    facts: dict[str, Any] = {}
    recommended: tuple[str, str | None, str] = ("", None, "")  # outcome, variant, missing
    catalog_version: str = ""


class VerdictEffect(BaseModel):
    """What a verdict does to the unit's current decision."""

    model_config = ConfigDict(frozen=True)

    status: Verdict
    puts_in_force: bool  # an approval puts the revision in force; a return leaves the one in force
    approver: str
    at: dt.datetime


def on_verdict(approval: StoredVerdict) -> VerdictEffect:
    """The current decision takes the verdict as its status; an approval makes it the
    decision in force (a return leaves the decision in force standing)."""
    return VerdictEffect(
        status=approval.verdict,
        puts_in_force=approval.verdict == "faststalld",
        approver=approval.approver,
        at=approval.at,
    )
