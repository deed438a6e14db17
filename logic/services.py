"""Services: one function per user action, each in one transaction. `actor` is always a
parameter, so sign-in (a later step) only has to supply who it is."""

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
    corrections,
    decision_record,
    new_draft,
    validate_all,
)
from logic.audit import Verification, verify
from logic.auth import User
from logic.catalog import Catalog, catalog
from logic.export import Profile
from logic.models import Unit
from logic.register import RegisterFilter, RegisterView
from logic.rules import recommend
from logic.settings import settings
from logic.store import readmodel
from logic.store.store import (
    NewRevision,
    StaleRevision,
    Store,
    StoredDraft,
    StoredRevision,
    UnitListing,
)
from logic.unit_file import read_units


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
    actor: str,
    source: str,
    lang: str = "sv",
    cat: Catalog | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Validate every row first (UnitFileError lists them all, nothing written); then upsert
    by hsa_id with each unit's recommendation, and record the import in the audit log."""
    cat = cat or catalog()
    units = read_units(data, lang)
    pairs = [(u, recommend(u, cat, today)) for u in units]
    with store.transaction() as tx:
        counts = tx.upsert_units(pairs, actor)
        tx.append_audit(actor, "import_units", {"source": source, **counts})
    return ImportResult(**counts)


def preview_import(
    store: Store, data: bytes, lang: str = "sv", cat: Catalog | None = None
) -> tuple[list[Unit], ImportResult]:
    """What an import would do, without writing: the units and the counts (UnitFileError
    lists every bad row)."""
    cat = cat or catalog()
    units = read_units(data, lang)
    with store.transaction() as tx:
        counts = tx.upsert_units([(u, recommend(u, cat)) for u in units], "", dry_run=True)
    return units, ImportResult(**counts)


def seed_sample_units(store: Store, path: Path, actor: str = "system") -> ImportResult | None:
    """Load the sample units into an empty register; leave a register with units alone."""
    with store.transaction() as tx:
        if tx.unit_count() > 0:
            return None
    return import_units(store, path.read_bytes(), actor, source=f"sample:{path.name}")


def refresh_recommendations(store: Store, actor: str = "system", cat: Catalog | None = None) -> int:
    """Recompute cached recommendations made under another catalog version (after an edit of
    the reference data). Returns how many units were refreshed."""
    cat = cat or catalog()
    with store.transaction() as tx:
        stale: list[Unit] = tx.units_with_other_catalog(cat.version)
        if stale:
            tx.upsert_units([(u, recommend(u, cat)) for u in stale], actor)
            tx.append_audit(
                actor,
                "refresh_recommendations",
                {"catalog_version": cat.version, "units": len(stale)},
            )
    return len(stale)


def overview(store: Store) -> list[dict[str, object]]:
    """Units per administration, recommended outcome and variant (for the start page)."""
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

    def held_by_other(self, actor: str) -> bool:
        return self.holder != actor


def open_assessment(store: Store, hsa_id: str, actor: str) -> OpenedDraft:
    """The unit's open draft if there is one (whoever holds it); otherwise a new draft held
    by `actor`, starting from the latest decision when the unit has one."""
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
        tx.insert_draft(hsa_id, actor, draft.model_dump(mode="json"))
        return OpenedDraft(draft, actor, tx.now, False)


def take_over_draft(store: Store, hsa_id: str, actor: str) -> OpenedDraft:
    """Make `actor` the holder of the unit's open draft, explicitly and on the record."""
    with store.transaction() as tx:
        stored = tx.draft(hsa_id)
        if stored is None:
            raise DraftNotHeld(hsa_id, None, None)
        tx.take_over_draft(hsa_id, actor)
        tx.append_audit(actor, "take_over_draft", {"hsa_id": hsa_id, "from": stored.holder})
        return OpenedDraft(Draft.model_validate(stored.data), actor, tx.now, True)


def save_draft(store: Store, draft: Draft, actor: str) -> None:
    """Store the draft after a step. Refused with StaleRevision if someone has recorded a
    newer decision meanwhile, with DraftNotHeld if someone else has taken the draft over."""
    with store.transaction() as tx:
        if not tx.update_draft(draft.hsa_id, actor, draft.model_dump(mode="json")):
            current = tx.latest_revision_number(draft.hsa_id)
            if current != draft.based_on_revision:
                raise StaleRevision(draft.hsa_id, draft.based_on_revision, current)
            stored = tx.draft(draft.hsa_id)
            raise _not_held(draft.hsa_id, stored)


def discard_draft(store: Store, hsa_id: str, actor: str) -> None:
    with store.transaction() as tx:
        stored = tx.draft(hsa_id)
        if stored is None or stored.holder != actor:
            raise _not_held(hsa_id, stored)
        tx.delete_draft(hsa_id)


def record_decision(
    store: Store,
    draft: Draft,
    actor: str,
    today: dt.date | None = None,
    cat: Catalog | None = None,
) -> StoredRevision:
    """Record the decision as a new revision, in one transaction: validated in full, based on
    the newest revision (else StaleRevision), by the draft's holder (else DraftNotHeld). The
    register takes the assessor's corrections if asked; the draft is closed."""
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
                author=actor,
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
        if stored is None or stored.holder != actor:
            raise _not_held(draft.hsa_id, stored)
        if draft.update_register and corrections(draft):
            tx.upsert_units([(draft.unit, rec)], actor)
        tx.delete_draft(draft.hsa_id)
        tx.append_audit(
            actor,
            "record_decision",
            {
                "hsa_id": draft.hsa_id,
                "revision": revision.revision,
                "outcome": revision.outcome,
                "content_hash": revision.content_hash,
            },
        )
    return revision


def search_units(store: Store, query: str, limit: int = 100) -> list[UnitListing]:
    with store.transaction() as tx:
        return tx.search_units(query, limit)


def unit_history(store: Store, hsa_id: str) -> list[StoredRevision]:
    with store.transaction() as tx:
        return tx.revisions(hsa_id)


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    latest: StoredRevision | None
    draft_holder: str | None
    draft_since: dt.datetime | None


def unit_status(store: Store, hsa_id: str) -> UnitStatus | None:
    """The unit, its current decision and who holds an open draft; None if not registered."""
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
    store: Store, view: RegisterView, today: dt.date | None = None
) -> tuple[list[dict[str, Any]], int]:
    with store.transaction() as tx:
        return readmodel.register_page(tx, view, today or dt.date.today())


def _local(moment: Any, tz: ZoneInfo) -> Any:
    if isinstance(moment, dt.datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return aware.astimezone(tz).replace(tzinfo=None)
    return moment


def export_decisions(
    store: Store,
    f: RegisterFilter,
    profile: Profile,
    actor: str,
    today: dt.date | None = None,
) -> ExportFile:
    """Exactly the rows the filter shows, as a file; recorded in the audit log with who,
    when, which filter, how many rows and the file's SHA-256."""
    tz = ZoneInfo(settings().timezone)
    today = today or dt.date.today()
    counted = [0]

    def local_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for row in rows:
            counted[0] += 1
            yield (*row[:10], _local(row[10], tz), *row[11:])

    with store.transaction() as tx:
        data = export.render(local_rows(readmodel.export_rows(tx, f, today)), profile)
        digest = export.sha256(data)
        tx.append_audit(
            actor,
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
    actor: str,
) -> ExportFile:
    """A dashboard table as a file, recorded in the audit log like every export."""
    data = export.render_table(columns, rows, profile)
    digest = export.sha256(data)
    with store.transaction() as tx:
        tx.append_audit(
            actor,
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


def dashboard(
    store: Store, forvaltning: str | None, today: dt.date | None = None, cat: Catalog | None = None
) -> Dashboard:
    """Every aggregate the follow-up page shows, computed in SQL, in one transaction."""
    cat = cat or catalog()
    today = today or dt.date.today()
    with store.transaction() as tx:
        return Dashboard(
            outcomes=readmodel.outcomes_by_forvaltning(tx, forvaltning),
            kontakt_progress=readmodel.kontakt_progress(tx, forvaltning),
            coverage=readmodel.coverage(tx, forvaltning),
            grounds=readmodel.grounds_count(tx, forvaltning, tuple(g.code for g in cat.grounds)),
            follow_up=readmodel.follow_up(tx, forvaltning, today),
        )


def forvaltningar(store: Store) -> list[str]:
    """The administrations in the register, for filters."""
    with store.transaction() as tx:
        return readmodel.forvaltningar(tx)


def verify_audit(store: Store) -> Verification:
    """Recompute the audit chain and every revision's content hash: intact, or where not."""
    with store.transaction() as tx:
        return verify(tx.audit_events(), tx.all_revisions())


def review_queue(store: Store, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Exemptions to review: overdue (the unit needs a new assessment) and due in 30 days."""
    with store.transaction() as tx:
        return readmodel.review_queue(tx, today or dt.date.today())


# --- Users and roles ------------------------------------------------------------------------
def list_users(store: Store) -> list[User]:
    with store.transaction() as tx:
        return tx.users()


def save_user(store: Store, user: User, actor: str) -> User:
    """Add a user or change one's name, roles or active flag; the change (before and after)
    is an audit event. Users are never deleted: deactivate them."""
    with store.transaction() as tx:
        before = tx.user(user.email)
        tx.save_user(user, actor)
        action = "add_user" if before is None else "change_user"
        tx.append_audit(
            actor,
            action,
            {
                "email": user.email,
                "before": before.model_dump(mode="json") if before else None,
                "after": user.model_dump(mode="json"),
            },
        )
    return user


def ensure_first_administrator(store: Store, email: str, actor: str = "system") -> bool:
    """The first administrator comes from a setting; added once, when no administrator
    exists. Returns whether one was added."""
    with store.transaction() as tx:
        if any("administrator" in u.roles and u.active for u in tx.users()):
            return False
    save_user(store, User(email=email, namn=email, roles=("administrator",)), actor)
    return True
