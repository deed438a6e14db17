"""Services: one function per user action, each in one transaction. Each takes the signed-in
`user` and checks their permission first (auth.require), whatever the page showed: no page
or crafted request can do what the user's roles do not allow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from logic import export
from logic.assessment import (
    Draft,
    FieldError,
    decision_record,
    new_draft,
    text_errors,
    validate_all,
)
from logic.audit import Verification, revision_hash, verify
from logic.auth import DEMO_USERS, SYSTEM, PermissionDenied, User, require
from logic.catalog import Catalog, catalog
from logic.export import Profile
from logic.models import Unit
from logic.register import RegisterFilter, RegisterView
from logic.rules import recommend
from logic.settings import settings
from logic.store import readmodel
from logic.store.store import (
    AuditEvent,
    NewRevision,
    StaleRevision,
    StaleVerdict,
    Store,
    StoredApproval,
    StoredDraft,
    StoredRevision,
    Tx,
    UnitListing,
)
from logic.unit_file import read_units
from logic.workflow import Verdict, refusal


def _require(store: Store, user: User, action: str) -> User:
    """The user as the user table has them now, if they may take the action (else
    PermissionDenied). A page may hold a copy of the user from before a role change or a
    deactivation; the table decides. Users the table does not know (the system, tests)
    keep the roles they were given: the app only ever hands a service a user from the
    table (current_user), so an unknown person arrives with no role."""
    with store.transaction() as tx:
        stored = tx.user(user.email)
    try:
        return require(stored if stored is not None else user, action)
    except PermissionDenied:
        with store.transaction() as tx:  # a refused attempt is on the record too
            tx.append_audit(user.email, "permission_denied", {"action": action})
        raise


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


def import_units(
    store: Store,
    data: bytes,
    user: User,
    source: str,
    lang: str = "sv",
    cat: Catalog | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Validate every row first (UnitFileError lists them all, nothing written); then upsert
    by hsa_id with each unit's recommendation, and record the import in the audit log."""
    user = _require(store, user, "import_units")
    cat = cat or catalog()
    units = read_units(data, lang)
    pairs = [(u, recommend(u, cat, today)) for u in units]
    with store.transaction() as tx:
        counts = tx.upsert_units(pairs, user.email)
        tx.append_audit(user.email, "import_units", {"source": source, **counts})
    return ImportResult(**counts)


def preview_import(
    store: Store, data: bytes, user: User, lang: str = "sv", cat: Catalog | None = None
) -> tuple[list[Unit], ImportResult]:
    """What an import would do, without writing: the units and the counts (UnitFileError
    lists every bad row)."""
    user = _require(store, user, "import_units")
    cat = cat or catalog()
    units = read_units(data, lang)
    with store.transaction() as tx:
        counts = tx.upsert_units([(u, recommend(u, cat)) for u in units], "", dry_run=True)
    return units, ImportResult(**counts)


def seed_sample_units(store: Store, path: Path, user: User = SYSTEM) -> ImportResult | None:
    """Load the sample units into an empty register; leave a register with units alone."""
    with store.transaction() as tx:
        if tx.unit_count() > 0:
            return None
    return import_units(store, path.read_bytes(), user, source=f"sample:{path.name}")


def refresh_recommendations(store: Store, user: User = SYSTEM, cat: Catalog | None = None) -> int:
    """Recompute cached recommendations made under another catalog version (after an edit of
    the reference data). Returns how many units were refreshed."""
    user = _require(store, user, "import_units")
    cat = cat or catalog()
    with store.transaction() as tx:
        stale: list[Unit] = tx.units_with_other_catalog(cat.version)
        if stale:
            tx.upsert_units([(u, recommend(u, cat)) for u in stale], user.email)
            tx.append_audit(
                user.email,
                "refresh_recommendations",
                {"catalog_version": cat.version, "units": len(stale)},
            )
    return len(stale)


def overview(store: Store, user: User) -> list[dict[str, object]]:
    """Units per administration, recommended outcome and variant (for the start page)."""
    user = _require(store, user, "read_register")
    with store.transaction() as tx:
        return tx.recommendation_counts()


# --- The assessment wizard ------------------------------------------------------------------
class UnknownUnit(Exception):
    def __init__(self, hsa_id: str):
        super().__init__(hsa_id)
        self.hsa_id = hsa_id


class DraftNotHeld(Exception):
    """The draft was taken over by someone else (or recorded): this save is refused."""

    def __init__(self, hsa_id: str, holder: str | None, since: dt.datetime | None):
        super().__init__(f"{hsa_id} held by {holder}")
        self.hsa_id, self.holder, self.since = hsa_id, holder, since


def _not_held(hsa_id: str, stored: StoredDraft | None) -> DraftNotHeld:
    return DraftNotHeld(hsa_id, stored.holder if stored else None, stored.since if stored else None)


class DecisionInvalid(Exception):
    def __init__(self, errors: dict[str, list[FieldError]]):
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class OpenedDraft:
    draft: Draft
    holder: str
    since: dt.datetime
    resumed: bool  # an existing draft, not a fresh one

    def held_by_other(self, user: User) -> bool:
        return self.holder != user.email


def open_assessment(store: Store, hsa_id: str, user: User) -> OpenedDraft:
    """The unit's open draft if there is one (whoever holds it); otherwise a new draft held
    by `user`, starting from the latest decision when the unit has one."""
    user = _require(store, user, "assess")
    with store.transaction() as tx:
        unit = tx.unit(hsa_id)
        if unit is None:
            raise UnknownUnit(hsa_id)
        stored = tx.draft(hsa_id)
        if stored is not None:
            return OpenedDraft(Draft.model_validate(stored.data), stored.holder, stored.since, True)
        latest = tx.latest_revision(hsa_id)
        draft = new_draft(
            unit,
            based_on=latest.revision if latest else None,
            previous=latest.decision if latest else None,
        )
        tx.insert_draft(hsa_id, user.email, draft.model_dump(mode="json"))
        tx.append_audit(
            user.email, "open_draft", {"hsa_id": hsa_id, "based_on": draft.based_on_revision}
        )
        return OpenedDraft(draft, user.email, tx.now, False)


def take_over_draft(store: Store, hsa_id: str, user: User) -> OpenedDraft:
    """Make `user` the holder of the unit's open draft, explicitly and on the record."""
    user = _require(store, user, "assess")
    with store.transaction() as tx:
        stored = tx.draft(hsa_id)
        if stored is None:
            raise DraftNotHeld(hsa_id, None, None)
        tx.take_over_draft(hsa_id, user.email)
        tx.append_audit(user.email, "take_over_draft", {"hsa_id": hsa_id, "from": stored.holder})
        return OpenedDraft(Draft.model_validate(stored.data), user.email, tx.now, True)


def save_draft(store: Store, draft: Draft, user: User) -> None:
    """Store the draft after a step. Refused with StaleRevision if someone has recorded a
    newer decision meanwhile, with DraftNotHeld if someone else has taken the draft over."""
    user = _require(store, user, "assess")
    with store.transaction() as tx:
        if not tx.update_draft(draft.hsa_id, user.email, draft.model_dump(mode="json")):
            current = tx.latest_revision_number(draft.hsa_id)
            if current != draft.based_on_revision:
                raise StaleRevision(draft.hsa_id, draft.based_on_revision, current)
            stored = tx.draft(draft.hsa_id)
            raise _not_held(draft.hsa_id, stored)
        tx.append_audit(user.email, "save_draft", {"hsa_id": draft.hsa_id, "step": draft.step})


def discard_draft(store: Store, hsa_id: str, user: User) -> None:
    user = _require(store, user, "assess")
    with store.transaction() as tx:
        stored = tx.draft(hsa_id)
        if stored is None or stored.holder != user.email:
            raise _not_held(hsa_id, stored)
        tx.delete_draft(hsa_id)
        tx.append_audit(user.email, "discard_draft", {"hsa_id": hsa_id})


def submit_decision(
    store: Store,
    draft: Draft,
    user: User,
    today: dt.date | None = None,
    cat: Catalog | None = None,
) -> StoredRevision:
    """Submit the decision for approval (status for_beslut) as a new revision, in one
    transaction: validated in full, based on the newest revision (else StaleRevision), by the
    draft's holder (else DraftNotHeld); the draft is closed. A second person approves it
    (approve_decision), and only then does the register take the assessor's corrections."""
    user = _require(store, user, "assess")
    cat = cat or catalog()
    today = today or dt.date.today()
    errors = validate_all(draft, cat, today)
    if errors:
        raise DecisionInvalid(errors)
    rec = recommend(draft.unit, cat, today)
    record = decision_record(draft, rec, cat, today)
    with store.transaction() as tx:
        revision = tx.add_revision(
            NewRevision(
                hsa_id=draft.hsa_id,
                based_on_revision=draft.based_on_revision,
                author=user.email,
                inputs=draft.unit.model_dump(mode="json"),
                recommendation=rec,
                outcome=record["outcome"],
                variant=record["variant"],
                decision=record,
                required=tuple(record["required"]),
                missing=tuple(record["missing"]),
                grounds=draft.exemption.grounds,
                rationale=draft.rationale,
                review_date=draft.exemption.review_date,
                deviates=bool(record["deviations"]),
            )
        )
        stored = tx.draft(draft.hsa_id)
        if stored is None or stored.holder != user.email:
            raise _not_held(draft.hsa_id, stored)
        tx.delete_draft(draft.hsa_id)  # corrections reach the register at approval
        tx.append_audit(
            user.email,
            "submit_decision",
            {
                "hsa_id": draft.hsa_id,
                "revision": revision.revision,
                "outcome": revision.outcome,
                "content_hash": revision.content_hash,
            },
        )
    return revision


class VerdictRefused(Exception):
    """An approval or a return that may not be given (workflow.Refusal says why)."""

    def __init__(self, hsa_id: str, revision: int, reason: str):
        super().__init__(f"{hsa_id} rev {revision}: {reason}")
        self.hsa_id, self.revision, self.reason = hsa_id, revision, reason


class CommentInvalid(Exception):
    def __init__(self, errors: list[FieldError]):
        super().__init__(", ".join(e.message for e in errors))
        self.errors = errors


def _give_verdict(
    store: Store,
    hsa_id: str,
    revision: int,
    seen_hash: str,
    verdict: Verdict,
    comment: str,
    user: User,
) -> StoredApproval:
    user = _require(store, user, "approve")
    try:
        with store.transaction() as tx:
            stored = tx.revision(hsa_id, revision)
            given = {a.revision for a in tx.approvals(hsa_id)}
            reason = refusal(
                approver=user.email,
                author=stored.author if stored else None,
                revision=revision,
                latest=tx.latest_revision_number(hsa_id),
                seen_hash=seen_hash,
                stored_hash=stored.content_hash if stored else None,
                recomputed_hash=revision_hash(stored) if stored else None,
                has_verdict=revision in given,
            )
            if reason is not None:
                raise VerdictRefused(hsa_id, revision, reason)
            approval = StoredApproval(
                hsa_id=hsa_id,
                revision=revision,
                content_hash=seen_hash,
                verdict=verdict,
                comment=comment,
                actor=user.email,
                at=tx.now,
            )
            try:
                refused = tx.add_approval(approval)
            except StaleVerdict as exc:  # a submission landed meanwhile; nothing is kept
                raise VerdictRefused(hsa_id, revision, "stale") from exc
            if refused is not None:  # a concurrent verdict landed first
                raise VerdictRefused(hsa_id, revision, refused)
            assert stored is not None  # refusal() says not_found otherwise
            asked = stored.decision.get("update_register") and stored.decision.get("corrections")
            if verdict == "faststalld" and asked:  # approved: now the register takes them
                unit = Unit.model_validate(stored.inputs)
                tx.upsert_units([(unit, recommend(unit, catalog()))], user.email)
            tx.append_audit(
                user.email,
                "approve_decision" if verdict == "faststalld" else "return_decision",
                {
                    "hsa_id": hsa_id,
                    "revision": revision,
                    "content_hash": seen_hash,
                    "comment": comment,
                },
            )
    except VerdictRefused as exc:  # nothing was written; the attempt is on the record
        with store.transaction() as tx:
            tx.append_audit(
                user.email,
                "verdict_refused",
                {"hsa_id": hsa_id, "revision": revision, "verdict": verdict, "reason": exc.reason},
            )
        raise
    return approval


def approve_decision(
    store: Store, hsa_id: str, revision: int, seen_hash: str, user: User, comment: str = ""
) -> StoredApproval:
    """Approve (fastställ) a submitted revision: only a beslutsfattare who did not author it,
    only the newest revision, and only the content whose hash the approver saw."""
    errors = text_errors("comment", comment, required=False)
    if errors:
        raise CommentInvalid(errors)
    return _give_verdict(store, hsa_id, revision, seen_hash, "faststalld", comment, user)


def return_decision(
    store: Store, hsa_id: str, revision: int, seen_hash: str, comment: str, user: User
) -> StoredApproval:
    """Return (återremittera) a submitted revision to the assessors, with a required comment
    saying what to change; same conditions as an approval."""
    errors = text_errors("comment", comment, required=True, missing="workflow.err.comment")
    if errors:
        raise CommentInvalid(errors)
    return _give_verdict(store, hsa_id, revision, seen_hash, "aterremitterad", comment, user)


def pending_decisions(store: Store, user: User) -> list[dict[str, Any]]:
    """Submitted decisions waiting for a verdict, the oldest first."""
    user = _require(store, user, "approve")
    with store.transaction() as tx:
        return readmodel.decisions_with_status(tx, "for_beslut")


def returned_decisions(store: Store, user: User) -> list[dict[str, Any]]:
    """Decisions returned to the assessors, with the comment saying what to change."""
    user = _require(store, user, "assess")
    with store.transaction() as tx:
        return readmodel.decisions_with_status(tx, "aterremitterad")


def approvals(store: Store, hsa_id: str, user: User) -> list[StoredApproval]:
    """Every verdict on the unit's revisions, in the order given."""
    user = _require(store, user, "read_register")
    with store.transaction() as tx:
        return tx.approvals(hsa_id)


def search_units(store: Store, query: str, user: User, limit: int = 100) -> list[UnitListing]:
    user = _require(store, user, "read_register")
    with store.transaction() as tx:
        return tx.search_units(query, limit)


def unit_history(store: Store, hsa_id: str, user: User) -> list[StoredRevision]:
    user = _require(store, user, "read_register")
    with store.transaction() as tx:
        return tx.revisions(hsa_id)


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    latest: StoredRevision | None
    draft_holder: str | None
    draft_since: dt.datetime | None


def unit_status(store: Store, hsa_id: str, user: User) -> UnitStatus | None:
    """The unit, its current decision and who holds an open draft; None if not registered."""
    user = _require(store, user, "read_register")
    with store.transaction() as tx:
        unit = tx.unit(hsa_id)
        if unit is None:
            return None
        draft = tx.draft(hsa_id)
        return UnitStatus(
            unit=unit,
            latest=tx.latest_revision(hsa_id),
            draft_holder=draft.holder if draft else None,
            draft_since=draft.since if draft else None,
        )


# --- The register, the dashboard and exports ---------------------------------------------
@dataclass(frozen=True)
class ExportFile:
    data: bytes
    file_name: str
    media_type: str
    rows: int
    sha256: str


def register_page(
    store: Store, view: RegisterView, user: User, today: dt.date | None = None
) -> tuple[list[dict[str, Any]], int]:
    user = _require(store, user, "read_register")
    with store.transaction() as tx:
        return readmodel.register_page(tx, view, today or dt.date.today())


SUBMITTED, APPROVED = export.HEADERS.index("beslutad"), export.HEADERS.index("faststalld")


def _local(moment: Any, tz: ZoneInfo) -> Any:
    if isinstance(moment, dt.datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return aware.astimezone(tz).replace(tzinfo=None)
    return moment


def export_decisions(
    store: Store,
    f: RegisterFilter,
    profile: Profile,
    user: User,
    today: dt.date | None = None,
) -> ExportFile:
    """Exactly the rows the filter shows, as a file (times in local time); recorded in the
    audit log with who, when, which filter, how many rows and the file's SHA-256."""
    user = _require(store, user, "export")
    tz = ZoneInfo(settings().timezone)
    today = today or dt.date.today()
    counted = [0]

    def local_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for row in rows:
            counted[0] += 1
            yield (
                *row[:SUBMITTED],
                _local(row[SUBMITTED], tz),
                *row[SUBMITTED + 1 : APPROVED],
                _local(row[APPROVED], tz),
                *row[APPROVED + 1 :],
            )

    with store.transaction() as tx:
        data = export.render(local_rows(readmodel.export_rows(tx, f, today)), profile)
        digest = export.sha256(data)
        tx.append_audit(
            user.email,
            "export_decisions",
            {
                "filter": f.to_params(),
                "profile": profile,
                "rows": counted[0],
                "sha256": digest,
            },
        )
    stamp = dt.datetime.now(tz).strftime("%Y%m%d-%H%M")
    return ExportFile(
        data,
        f"beslut-{stamp}.{export.EXTENSIONS[profile]}",
        export.MEDIA_TYPES[profile],
        counted[0],
        digest,
    )


def export_table(
    store: Store,
    name: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    profile: Profile,
    user: User,
) -> ExportFile:
    """A dashboard table as a file, recorded in the audit log like every export."""
    user = _require(store, user, "export")
    data = export.render_table(columns, rows, profile)
    digest = export.sha256(data)
    with store.transaction() as tx:
        tx.append_audit(
            user.email,
            "export_table",
            {
                "table": name,
                "profile": profile,
                "rows": len(rows),
                "sha256": digest,
            },
        )
    return ExportFile(
        data, f"{name}.{export.EXTENSIONS[profile]}", export.MEDIA_TYPES[profile], len(rows), digest
    )


@dataclass(frozen=True)
class Dashboard:
    outcomes: list[dict[str, Any]]
    kontakt_progress: list[dict[str, Any]]
    coverage: list[dict[str, Any]]
    grounds: dict[str, int]
    follow_up: list[dict[str, Any]]
    latest_approvals: list[dict[str, Any]]


def dashboard(
    store: Store,
    forvaltning: str | None,
    user: User,
    today: dt.date | None = None,
    cat: Catalog | None = None,
) -> Dashboard:
    """Every aggregate the follow-up page shows, computed in SQL, in one transaction."""
    user = _require(store, user, "read_register")
    cat = cat or catalog()
    today = today or dt.date.today()
    with store.transaction() as tx:
        return Dashboard(
            outcomes=readmodel.outcomes_by_forvaltning(tx, forvaltning),
            kontakt_progress=readmodel.kontakt_progress(tx, forvaltning),
            coverage=readmodel.coverage(tx, forvaltning),
            grounds=readmodel.grounds_count(tx, forvaltning, tuple(g.code for g in cat.grounds)),
            follow_up=readmodel.follow_up(tx, forvaltning, today),
            latest_approvals=readmodel.latest_approvals(tx, forvaltning),
        )


def forvaltningar(store: Store, user: User) -> list[str]:
    """The administrations in the register, for filters."""
    user = _require(store, user, "read_register")
    with store.transaction() as tx:
        return readmodel.forvaltningar(tx)


def verify_audit(store: Store, user: User) -> Verification:
    """Recompute the audit chain, every revision's content hash and every approval's binding
    to its revision: intact, or the first place where not. The check is itself recorded."""
    user = _require(store, user, "verify_audit")
    with store.transaction() as tx:
        result = verify(
            tx.audit_events(), tx.all_revisions(), tx.approvals(), tx.current_decisions()
        )
    with store.transaction() as tx:
        tx.append_audit(
            user.email,
            "verify_audit",
            {"intact": result.intact, "problem": result.problem, "where": result.where},
        )
    return result


def audit_log(store: Store, user: User, limit: int = 200) -> list[AuditEvent]:
    """The newest audit events, for reading on the Administration page."""
    user = _require(store, user, "verify_audit")
    with store.transaction() as tx:
        return tx.recent_audit_events(limit)


def review_queue(store: Store, user: User, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Exemptions to review: overdue (the unit needs a new assessment) and due in 30 days."""
    user = _require(store, user, "assess")
    with store.transaction() as tx:
        return readmodel.review_queue(tx, today or dt.date.today())


# --- Users and roles ------------------------------------------------------------------------
def list_users(store: Store, user: User) -> list[User]:
    user = _require(store, user, "manage_users")
    with store.transaction() as tx:
        return tx.users()


class LastAdministrator(Exception):
    """The change would leave no active administrator, and nobody could manage users."""


def save_user(store: Store, changed: User, user: User) -> User:
    """Add a user or change one's name, roles or active flag; the change (before and after)
    is an audit event. Users are never deleted: deactivate them. The last active
    administrator keeps the role (LastAdministrator)."""
    user = _require(store, user, "manage_users")
    with store.transaction() as tx:
        before = tx.user(changed.email)
        admins = {u.email for u in tx.users() if u.active and "administrator" in u.roles}
        if (
            changed.email in admins
            and admins == {changed.email}
            and not (changed.active and "administrator" in changed.roles)
        ):
            raise LastAdministrator(changed.email)
        _write_user(tx, before, changed, user.email)
    return changed


def _write_user(tx: Tx, before: User | None, after: User, actor: str) -> None:
    """Store a user and put the change, before and after, on the record."""
    tx.save_user(after, actor)
    tx.append_audit(
        actor,
        "add_user" if before is None else "change_user",
        {
            "email": after.email,
            "before": before.model_dump(mode="json") if before else None,
            "after": after.model_dump(mode="json"),
        },
    )


def ensure_first_administrator(store: Store, email: str, user: User = SYSTEM) -> bool:
    """The first administrator comes from a setting; added once, when no administrator
    exists. Returns whether one was added."""
    with store.transaction() as tx:
        if any("administrator" in u.roles and u.active for u in tx.users()):
            return False
    save_user(store, User(email=email, namn=email, roles=("administrator",)), user)
    return True


def ensure_demo_users(store: Store, user: User = SYSTEM) -> int:
    """Local mode: the demo users, one per role, added when missing (an administrator's
    later changes to them stand). Returns how many were added."""
    with store.transaction() as tx:
        missing = [u for u in DEMO_USERS if tx.user(u.email) is None]
    for demo in missing:
        save_user(store, demo, user)
    return len(missing)


def retire_demo_users(store: Store, user: User = SYSTEM) -> int:
    """Outside local mode the demo users may not act (nor count as the administrator that
    keeps FIRST_ADMIN from being added): deactivate them, on the record. Returns how many."""
    demo = {u.email for u in DEMO_USERS}
    with store.transaction() as tx:
        active = [u for u in tx.users() if u.email in demo and u.active]
    for demo_user in active:
        with store.transaction() as tx:
            _write_user(tx, demo_user, demo_user.model_copy(update={"active": False}), user.email)
    return len(active)


def sign_in(store: Store, email: str, namn: str, via: str) -> User:
    """Who signed in, with the roles the user table gives them (none if unknown or
    deactivated: such a user sees only whom to ask). Recorded in the audit log."""
    email = email.strip().lower()
    with store.transaction() as tx:
        known = tx.user(email)
        if known is not None and known.namn == known.email and namn and namn != email:
            # added by e-mail only (FIRST_ADMIN, or an administrator who knew no name):
            # the provider's name from now on, on the record like any change
            named = known.model_copy(update={"namn": namn})
            _write_user(tx, known, named, email)
            known = named
        user = (
            known
            if known is not None and known.active
            else User(email=email, namn=namn or email, roles=(), active=known is None)
        )
        tx.append_audit(email, "sign_in", {"via": via, "roles": list(user.roles)})
    return user


def record_sign_out(store: Store, user: User) -> None:
    """Sign-out, on the record like the sign-in."""
    with store.transaction() as tx:
        tx.append_audit(user.email, "sign_out", {})


def current_user(store: Store, email: str, namn: str) -> User:
    """The signed-in user as the user table has them now (read on every page view, so a
    role change or a deactivation takes effect at once)."""
    with store.transaction() as tx:
        known = tx.user(email.strip().lower())
    if known is not None and known.active:
        return known
    return User(email=email, namn=namn or email, roles=())


def administrators(store: Store) -> list[User]:
    """Whom to ask for a role: the active administrators (shown to users without one)."""
    with store.transaction() as tx:
        return [u for u in tx.users() if u.active and "administrator" in u.roles]
