"""Catalog versions: the policy kept in the record. Each version is the catalog's files as
text, proposed by one person with the date it takes effect, and approved (fastställd) by
another, or withdrawn. Versions take effect in order, never backwards in time: the catalog
in force on a day is the approved version with the latest date on or before it (as known at
a moment: only approvals given by then count).

The first version of a database is the files in data/catalog, recorded at start-up as the
starting catalog, in force from the beginning."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

CatalogVerdictKind = Literal["faststalld", "aterkallad"]  # approved, withdrawn
# A catalog's files, in the order its version hashes them (data/catalog holds them).
CATALOG_FILES = (
    "policy.yaml",
    "arendetyper.yaml",
    "varianter.yaml",
    "undantagsgrunder.yaml",
    "regler.yaml",
    "mallar.yaml",
)
BEGINNING = dt.date(2000, 1, 1)  # the starting catalog's date: before any decision


def texts_version(texts: Mapping[str, str]) -> str:
    """A catalog's version: a hash of its files' names and bytes (12 hex digits), the
    `catalog_version` stored with every recommendation and revision. A file missing, or
    not text (a row edited behind the app's back), hashes as its text would: never the
    version it claims."""
    digest = hashlib.sha256()
    for name in CATALOG_FILES:
        text = texts.get(name) if isinstance(texts, Mapping) else None
        data = text.encode("utf-8") if isinstance(text, str) else repr(text).encode()
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:12]


class CatalogProposal(BaseModel):
    """A catalog version as proposed: the files, the date it is to take effect, who proposed
    it and why, and the version it changes (`based_on`; None for the starting catalog)."""

    model_config = ConfigDict(frozen=True)

    number: int
    version: str
    based_on: int | None
    effective_from: dt.date
    proposed_by: str
    proposed_at: dt.datetime
    reason: str
    files: dict[str, str] = {}  # empty where only the list was read


class CatalogVerdict(BaseModel):
    """A proposal approved (faststalld) or withdrawn (aterkallad): once, bound to the
    version the person saw."""

    model_config = ConfigDict(frozen=True)

    number: int
    verdict: CatalogVerdictKind
    by: str
    at: dt.datetime
    version: str


class CatalogVersion(BaseModel):
    """A proposal with its verdict, if it has one: what the pages list."""

    model_config = ConfigDict(frozen=True)

    proposal: CatalogProposal
    verdict: CatalogVerdict | None = None

    @property
    def number(self) -> int:
        return self.proposal.number

    @property
    def state(self) -> Literal["foreslagen", "faststalld", "aterkallad"]:
        return self.verdict.verdict if self.verdict else "foreslagen"

    def approved_by(self, known_at: dt.datetime | None) -> bool:
        """Approved, and (with `known_at`) by then. The starting catalog counts as known from
        the beginning: it is what was in force before versions were recorded."""
        v = self.verdict
        if v is None or v.verdict != "faststalld":
            return False
        return known_at is None or v.at <= known_at or self.proposal.based_on is None


def versions_of(
    proposals: Iterable[CatalogProposal], verdicts: Iterable[CatalogVerdict]
) -> list[CatalogVersion]:
    given = {v.number: v for v in verdicts}
    return [CatalogVersion(proposal=p, verdict=given.get(p.number)) for p in proposals]


def _order(v: CatalogVersion) -> tuple[dt.date, dt.datetime, int]:
    assert v.verdict is not None
    return v.proposal.effective_from, v.verdict.at, v.number


def in_force(
    versions: Iterable[CatalogVersion], day: dt.date, known_at: dt.datetime | None = None
) -> CatalogVersion | None:
    """The version in force on `day`: of those approved (by `known_at`), the one with the
    latest date on or before the day (the later approval if two share it)."""
    candidates = [
        v for v in versions if v.approved_by(known_at) and v.proposal.effective_from <= day
    ]
    return max(candidates, key=_order, default=None)


def latest(versions: Iterable[CatalogVersion]) -> CatalogVersion | None:
    """The last approved version to take effect: what a new proposal changes."""
    return max((v for v in versions if v.approved_by(None)), key=_order, default=None)


ProposalProblem = Literal["unchanged", "date_passed", "before_latest"]


def proposal_problem(
    version: str, effective_from: dt.date, today: dt.date, base: CatalogVersion | None
) -> ProposalProblem | None:
    """Why a proposal cannot be made: it changes nothing, its date has passed (nothing
    changes backwards in time), or it would take effect before the last approved version."""
    if base is not None and base.proposal.version == version:
        return "unchanged"
    if effective_from < today:
        return "date_passed"
    if base is not None and effective_from < base.proposal.effective_from:
        return "before_latest"
    return None


VerdictProblem = Literal[
    "not_found", "already_decided", "own_proposal", "changed", "date_passed", "stale"
]


def verdict_problem(
    verdict: CatalogVerdictKind,
    actor: str,
    version: CatalogVersion | None,
    seen_version: str,
    today: dt.date,
    base: CatalogVersion | None,
) -> VerdictProblem | None:
    """Why a verdict cannot be given. Approval: never by the proposer (four eyes), only on
    the version the approver saw, not after its date, and only while what it changes is
    still the last approved version (otherwise it would undo a change approved meanwhile).
    Withdrawal: any time before a verdict."""
    if version is None:
        return "not_found"
    if version.verdict is not None:
        return "already_decided"
    if version.proposal.version != seen_version:
        return "changed"
    if verdict == "aterkallad":
        return None
    if actor == version.proposal.proposed_by:
        return "own_proposal"
    if version.proposal.effective_from < today:
        return "date_passed"
    if (base.number if base else None) != version.proposal.based_on:
        return "stale"
    return None


# --- Verification: each version and verdict as the audit event that recorded it -----------
PROPOSAL_EVENTS = ("catalog_started", "catalog_proposed")
CATALOG_VERDICT_EVENTS = {"catalog_approved": "faststalld", "catalog_withdrawn": "aterkallad"}
STARTED_VERDICT = "catalog_started"  # the starting catalog's event records its approval too


def proposal_as_recorded(p: CatalogProposal) -> tuple[object, ...]:
    """What a proposal's audit event commits to, in the row's terms."""
    at = p.proposed_at.isoformat()
    return (p.version, p.based_on, p.effective_from.isoformat(), p.proposed_by, at, p.reason)


def proposal_in_event(
    actor: str, at: dt.datetime, details: Mapping[str, object], action: str
) -> tuple[object, ...]:
    return (
        details.get("version"),
        details.get("based_on"),
        details.get("from"),
        actor,
        at.isoformat(),
        details.get("reason") if action == "catalog_proposed" else "",
    )


def catalog_problem(
    proposals: Iterable[CatalogProposal],
    verdicts: Iterable[CatalogVerdict],
    recorded: Mapping[int, tuple[object, ...]],
    decided: Mapping[int, tuple[object, ...]],
) -> tuple[str, str] | None:
    """The first catalog version or verdict that its files or its audit event contradict
    (`recorded`/`decided`: what the events say, by number); None if all agree."""
    seen: set[int] = set()
    for p in proposals:
        where = f"{p.number}"
        seen.add(p.number)
        if texts_version(p.files) != p.version:
            return "audit.altered_catalog", where  # the files changed, the version kept
        said = recorded.get(p.number)
        if said is None:
            return "audit.unrecorded_catalog", where
        if said != proposal_as_recorded(p):
            return "audit.altered_catalog", where
    for number in sorted(set(recorded) - seen):
        return "audit.altered_catalog", f"{number}"  # recorded, and gone
    given: set[int] = set()
    for v in verdicts:
        given.add(v.number)
        given_as = (v.verdict, v.by, v.version, v.at.isoformat())
        if v.number not in seen or decided.get(v.number) != given_as:
            return "audit.altered_catalog", f"{v.number}"
    for number in sorted(set(decided) - given):
        return "audit.altered_catalog", f"{number}"
    return None
