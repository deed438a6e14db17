"""The policy kept in the record: the regional team proposes a catalog version (its files,
the date it takes effect, why), another person approves it (four eyes) or it is withdrawn;
on its date it takes effect: the cached recommendations and the roll-out now are made again
under it. Every step is on the record; nothing changes backwards in time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from logic.domain.auth import SYSTEM, User
from logic.domain.catalog import Catalog
from logic.domain.catalog_changes import CatalogChange, catalog_changes, changed_files
from logic.domain.catalog_versions import (
    BEGINNING,
    CatalogProposal,
    CatalogVerdict,
    CatalogVerdictKind,
    CatalogVersion,
    in_force,
    latest,
    proposal_problem,
    texts_version,
    verdict_problem,
)
from logic.domain.errors import CatalogRefused
from logic.domain.validation import text_errors
from logic.files.reference_data import FILES, CatalogError, catalog_from_texts, catalog_texts
from logic.readmodels.recommendations import refresh_stale
from logic.readmodels.register import forvaltningar
from logic.readmodels.rollout_projection import refresh_if_stale
from logic.services.unit_of_work import (
    Work,
    catalog_of_version,
    catalog_on,
    catalog_versions,
    sign_in_work,
    unit_of_work,
)
from logic.store.store import Store, Tx

__all__ = [
    "approve_catalog",
    "catalog_files",
    "list_catalog_versions",
    "propose_catalog",
    "read_proposal",
    "record_starting_catalog",
    "take_effect",
    "withdraw_catalog",
]


def record_starting_catalog(store: Store, files: dict[str, str]) -> bool:
    """At start-up: a database without catalog versions records `files` (data/catalog) as
    its starting catalog, in force from the beginning. Returns whether it did (two
    processes starting at once record it once)."""
    catalog_from_texts(files)  # a bad file is named before anything is written
    with sign_in_work(store) as tx:
        tx.serialize("catalog")
        return _record_start(tx, files)


def _record_start(tx: Tx, files: dict[str, str]) -> bool:
    if tx.catalogs.proposals():
        return False
    version = texts_version(files)
    proposal = tx.catalogs.propose(
        CatalogProposal(
            number=0,
            version=version,
            based_on=None,
            effective_from=BEGINNING,
            proposed_by=SYSTEM.email,
            proposed_at=tx.now,
            reason="",
            files={name: files[name] for name in FILES},
        )
    )
    tx.catalogs.give(
        CatalogVerdict(
            number=proposal.number,
            verdict="faststalld",
            by=SYSTEM.email,
            at=tx.now,
            version=version,
        )
    )
    tx.audit.append(
        SYSTEM.email,
        "catalog_started",
        {"number": proposal.number, "version": version, "from": BEGINNING.isoformat()},
    )
    return True


def propose_catalog(
    store: Store,
    user: User,
    files: dict[str, str],
    effective_from: dt.date,
    reason: str,
    edited_from: int | None = None,
) -> CatalogProposal:
    """Propose a catalog version: the files as a whole (validated as data/catalog is; every
    administration a timetable names must be one the register knows), taking effect on
    `effective_from` (today or later, and not before the last approved version), with the
    reason in plain text. `edited_from`: the version the files were made from (the page's;
    0 for data/catalog before any version): refused as stale if another was approved since,
    as the files would undo it. Refused in words, nothing written."""
    errors = text_errors("reason", reason, required=True)
    if errors:
        raise CatalogRefused("reason", errors[0].message)
    try:
        proposed = catalog_from_texts(files)
    except CatalogError as exc:
        raise CatalogRefused("invalid", str(exc)) from exc
    with unit_of_work(store, user, "propose_catalog") as work:
        tx = work.tx
        tx.serialize("catalog")
        last = latest(catalog_versions(tx))
        if edited_from is not None and edited_from != (last.number if last else 0):
            raise CatalogRefused("stale")
        _record_start(tx, catalog_texts())  # what it changes: data/catalog, until now
        base = latest(catalog_versions(tx))
        # an administration it names anew must be one the register knows (one named before
        # and since renamed in the unit file is the Införande page's warning, not a block)
        named = proposed.timetable_administrations()
        named_before = catalog_of_version(tx, base).timetable_administrations()
        unknown = sorted(named - named_before - set(forvaltningar(tx)))
        if unknown:
            raise CatalogRefused("unknown_administration", unknown[0])
        problem = proposal_problem(proposed.version, effective_from, work.today, base)
        if problem is not None:
            raise CatalogRefused(problem, base.proposal.effective_from.isoformat() if base else "")
        stored = tx.catalogs.propose(
            CatalogProposal(
                number=0,
                version=proposed.version,
                based_on=base.number if base else None,
                effective_from=effective_from,
                proposed_by=work.user.email,
                proposed_at=tx.now,
                reason=reason,
                files={name: files[name] for name in FILES},
            )
        )
        tx.audit.append(
            work.user.email,
            "catalog_proposed",
            {
                "number": stored.number,
                "version": stored.version,
                "based_on": stored.based_on,
                "from": effective_from.isoformat(),
                "reason": reason,
            },
        )
    return stored


def approve_catalog(store: Store, user: User, number: int, seen_version: str) -> CatalogVerdict:
    """Approve (fastställ) a proposed version: a beslutsfattare who did not propose it, on
    the version they saw, on or before its date, while what it changes is still the last
    approved version. Taking effect today, it takes effect at once."""
    return _give(store, user, number, seen_version, "faststalld")


def withdraw_catalog(store: Store, user: User, number: int, seen_version: str) -> CatalogVerdict:
    """Withdraw (återkalla) a proposal that has no verdict yet."""
    return _give(store, user, number, seen_version, "aterkallad")


def _give(
    store: Store, user: User, number: int, seen_version: str, verdict: CatalogVerdictKind
) -> CatalogVerdict:
    action = "approve_catalog" if verdict == "faststalld" else "propose_catalog"
    try:
        with unit_of_work(store, user, action) as work:
            tx = work.tx
            tx.serialize("catalog")
            tx.hold_snapshot()  # a report's moment waits for this verdict to commit
            versions = catalog_versions(tx)
            found = next((v for v in versions if v.number == number), None)
            problem = verdict_problem(
                verdict, work.user.email, found, seen_version, work.today, latest(versions)
            )
            if problem is not None:
                raise CatalogRefused(problem)
            given = CatalogVerdict(
                number=number, verdict=verdict, by=work.user.email, at=tx.now, version=seen_version
            )
            refused = tx.catalogs.give(given)
            if refused is not None:
                raise CatalogRefused(refused)
            if verdict == "faststalld":  # taking effect today: at once
                _bring_into_force(work)
            tx.audit.append(  # last: the audit chain is every transaction's last lock
                work.user.email,
                "catalog_approved" if verdict == "faststalld" else "catalog_withdrawn",
                {"number": number, "version": seen_version},
            )
    except CatalogRefused as exc:  # nothing was written; the attempt is on the record
        with store.transaction() as tx:
            tx.audit.append(
                user.email,
                "catalog_refused",
                {"number": number, "verdict": verdict, "reason": exc.reason},
            )
        raise
    return given


def take_effect(store: Store, user: User = SYSTEM) -> int:
    """Make the cached recommendations and the roll-out now again under the catalog in
    force today, where they were made under another (`python -m logic catalog take-effect`,
    run daily, and every start-up). Returns how many units' recommendations changed."""
    with unit_of_work(store, user, "import_units") as work:
        return _bring_into_force(work)


def _bring_into_force(work: Work) -> int:
    tx = work.tx
    tx.serialize("units")  # not beside an import
    cat = catalog_on(tx, work.today) if work.fixed_catalog is None else work.fixed_catalog
    refresh_if_stale(tx, cat)  # its locks (the progress) before the audit chain's
    return refresh_stale(tx, cat, work.today, work.user.email)  # appends: last


@dataclass(frozen=True)
class Proposal:
    """A catalog version beside the one it changes: what the approver reviews."""

    version: CatalogVersion
    base: Catalog  # the version it changes (the files in data/catalog for the first)
    proposed: Catalog
    files: list[str]  # the files it changes
    changes: list[CatalogChange]  # the dates, templates and parameters it changes


def read_proposal(store: Store, user: User, number: int) -> Proposal:
    """A catalog version with what it changes against the version it was based on."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        tx = work.tx
        versions = catalog_versions(tx)
        found = next((v for v in versions if v.number == number), None)
        if found is None:
            raise CatalogRefused("not_found")
        base = next((v for v in versions if v.number == found.proposal.based_on), None)
        proposed = catalog_of_version(tx, found)
        before = catalog_of_version(tx, base)
        base_files = tx.catalogs.files(base.number) if base else catalog_texts()
        return Proposal(
            found,
            before,
            proposed,
            changed_files(base_files, tx.catalogs.files(number)),
            catalog_changes(before, proposed),
        )


def list_catalog_versions(store: Store, user: User) -> list[CatalogVersion]:
    """Every catalog version with its verdict, newest first."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        return list(reversed(catalog_versions(work.tx)))


def catalog_files(
    store: Store, user: User, number: int | None = None, latest_approved: bool = False
) -> CatalogProposal:
    """A version with its files: `number`; else the last approved to take effect (what a
    proposal changes), or the one in force today (for `catalog export`)."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        tx = work.tx
        versions = catalog_versions(tx)
        if number is not None:
            found = next((v for v in versions if v.number == number), None)
        elif latest_approved:
            found = latest(versions)
        else:
            found = in_force(versions, work.today)
        if found is None and number is None:  # no versions yet: data/catalog is in force
            files = catalog_texts()
            return CatalogProposal(
                number=0,
                version=texts_version(files),
                based_on=None,
                effective_from=BEGINNING,
                proposed_by=SYSTEM.email,
                proposed_at=tx.now,
                reason="",
                files=files,
            )
        if found is None:
            raise CatalogRefused("not_found")
        return found.proposal.model_copy(update={"files": tx.catalogs.files(found.number)})
