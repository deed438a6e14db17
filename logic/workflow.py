"""Four-eyes approval: the states a decision passes through and who may move it on.

utkast (a draft in the wizard) -> for_beslut (submitted: a revision) -> faststalld (approved)
or aterremitterad (returned, with a comment). A later approved revision marks the earlier
approved one ersatt; a proposal overtaken by a newer one before any verdict is ersatt too.
Revisions and verdicts are append-only, so a revision's status is computed from them; the
register keeps the current revision's status on `units` as a projection, which verification
checks against the verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

Status = Literal["for_beslut", "faststalld", "aterremitterad", "ersatt"]  # of a revision
Verdict = Literal["faststalld", "aterremitterad"]

# Why an approval or a return is refused (message keys workflow.refused.<reason>).
Refusal = Literal["own_revision", "stale", "already_decided", "altered", "not_found"]


def revision_statuses(revisions: Iterable[int], verdicts: Mapping[int, str]) -> dict[int, Status]:
    """Each revision's status from the verdicts given (revision number -> verdict)."""
    numbers = sorted(revisions)
    latest = numbers[-1] if numbers else None
    approved = [n for n in numbers if verdicts.get(n) == "faststalld"]
    newest_approved = approved[-1] if approved else None
    statuses: dict[int, Status] = {}
    for n in numbers:
        verdict = verdicts.get(n)
        if verdict == "aterremitterad":
            statuses[n] = "aterremitterad"
        elif verdict == "faststalld":
            statuses[n] = "faststalld" if n == newest_approved else "ersatt"
        else:
            statuses[n] = "for_beslut" if n == latest else "ersatt"
    return statuses


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
) -> Refusal | None:
    """Why this verdict may not be given, or None. `seen_hash` is the content hash of the
    revision as the approver saw it; the stored and the recomputed hash must both match it,
    so an approval can only ever cover the content it was given for."""
    if author is None or stored_hash is None or latest is None:
        return "not_found"
    if approver.lower() == author.lower():
        return "own_revision"
    if has_verdict:
        return "already_decided"
    if revision != latest or seen_hash != stored_hash:
        return "stale"
    if recomputed_hash != stored_hash:
        return "altered"
    return None
