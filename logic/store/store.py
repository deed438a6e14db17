"""The store: the only place that knows SQL. One `transaction()` is one unit of work."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from logic.auth import User
from logic.models import Recommendation, Unit
from logic.store.tables import approvals, assessment_revisions, audit_events, drafts, units
from logic.store.tables import users as users_table
from logic.text import search_key

GENESIS = "0" * 64  # prev_hash of the first audit event


class StaleRevision(Exception):
    """A save based on a revision that is no longer the newest: refused, nothing written."""

    def __init__(self, hsa_id: str, based_on: int | None, current: int | None):
        super().__init__(f"{hsa_id}: based on revision {based_on}, newest is {current}")
        self.hsa_id, self.based_on, self.current = hsa_id, based_on, current


class StaleVerdict(Exception):
    """A verdict on a revision that is no longer the newest: the transaction is rolled back."""

    def __init__(self, hsa_id: str, revision: int):
        super().__init__(f"{hsa_id} rev {revision} is no longer the newest")
        self.hsa_id, self.revision = hsa_id, revision


class NewRevision(BaseModel):
    """What a save writes: who, the inputs, the recommendation with its trace, the decision."""

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


class StoredDraft(BaseModel):
    model_config = ConfigDict(frozen=True)

    hsa_id: str
    holder: str
    since: dt.datetime
    updated_at: dt.datetime
    data: dict[str, Any]


class UnitListing(BaseModel):
    """A unit as a search result: enough to pick it, and whether it has a decision."""

    model_config = ConfigDict(frozen=True)

    hsa_id: str
    namn: str
    forvaltning: str
    latest_revision: int | None


class StoredApproval(BaseModel):
    """A four-eyes verdict on one revision, as the approver gave it."""

    model_config = ConfigDict(frozen=True)

    hsa_id: str
    revision: int
    content_hash: str
    verdict: str  # faststalld or aterremitterad
    comment: str
    actor: str
    at: dt.datetime


class AuditEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    at: dt.datetime
    actor: str
    action: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


def canonical_hash(payload: dict[str, Any]) -> str:
    text = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _unit_row(unit: Unit) -> dict[str, Any]:
    row = unit.model_dump()
    row["telefon_papper"] = "|".join(unit.telefon_papper)
    row["e_tjanster"] = "|".join(unit.e_tjanster)
    row["sok"] = search_key(f"{unit.namn} {unit.hsa_id}")
    return row


def _codes(value: str | None) -> tuple[str, ...]:
    return tuple(value.split("|")) if value else ()


UNIT_COLUMNS = tuple(Unit.model_fields)


def _unit_from(row: Any) -> Unit:
    return Unit.model_validate({c: getattr(row, c) for c in UNIT_COLUMNS})


class Tx:
    """Operations inside one transaction."""

    def __init__(self, connection: Connection, now: dt.datetime):
        self.connection = connection
        self.now = now

    # --- units ------------------------------------------------------------------------
    def unit(self, hsa_id: str) -> Unit | None:
        row = self.connection.execute(select(units).where(units.c.hsa_id == hsa_id)).first()
        return _unit_from(row) if row else None

    def units(self) -> list[Unit]:
        rows = self.connection.execute(select(units).order_by(units.c.forvaltning, units.c.namn))
        return [_unit_from(r) for r in rows]

    def unit_count(self) -> int:
        return self.connection.execute(select(func.count()).select_from(units)).scalar_one()

    def upsert_units(
        self, pairs: Iterable[tuple[Unit, Recommendation]], actor: str, dry_run: bool = False
    ) -> dict[str, int]:
        """Insert new units, update changed ones (by hsa_id); count added/updated/unchanged.
        With dry_run, only count (an import's preview)."""
        pairs = list(pairs)
        existing: dict[str, dict[str, Any]] = {}
        ids = [u.hsa_id for u, _ in pairs]
        for start in range(0, len(ids), 900):  # stay under SQLite's bound-parameter limit
            chunk = ids[start : start + 900]
            for row in self.connection.execute(select(units).where(units.c.hsa_id.in_(chunk))):
                existing[row.hsa_id] = row._asdict()
        new_rows, changed_rows = [], []
        for unit, rec in pairs:
            row = _unit_row(unit) | {
                "recommended_outcome": rec.outcome,
                "recommended_variant": rec.variant,
                "recommended_missing": "|".join(rec.missing),
                "catalog_version": rec.catalog_version,
            }
            old = existing.get(unit.hsa_id)
            if old is None:
                new_rows.append(row | {"updated_at": self.now, "updated_by": actor})
            elif any(old[k] != v for k, v in row.items()):
                changed_rows.append(row | {"updated_at": self.now, "updated_by": actor})
        if new_rows and not dry_run:
            self.connection.execute(insert(units), new_rows)
        for row in [] if dry_run else changed_rows:
            self.connection.execute(
                update(units).where(units.c.hsa_id == row["hsa_id"]).values(**row)
            )
        return {
            "added": len(new_rows),
            "updated": len(changed_rows),
            "unchanged": len(pairs) - len(new_rows) - len(changed_rows),
        }

    def units_with_other_catalog(self, version: str) -> list[Unit]:
        rows = self.connection.execute(select(units).where(units.c.catalog_version != version))
        return [_unit_from(r) for r in rows]

    def recommendation_counts(self) -> list[dict[str, Any]]:
        """Units per administration, recommended outcome and variant: aggregated in SQL."""
        query = (
            select(
                units.c.forvaltning,
                units.c.recommended_outcome,
                units.c.recommended_variant,
                func.count().label("antal"),
            )
            .group_by(units.c.forvaltning, units.c.recommended_outcome, units.c.recommended_variant)
            .order_by(units.c.forvaltning)
        )
        return [r._asdict() for r in self.connection.execute(query)]

    def search_units(self, query: str, limit: int = 100) -> list[UnitListing]:
        """Units whose name or HSA-id holds every word of `query`: undecided first, then by
        administration and name."""
        statement = select(
            units.c.hsa_id,
            units.c.namn,
            units.c.forvaltning,
            units.c.current_revision.label("latest_revision"),
        )
        for word in search_key(query).split():  # every word, anywhere in name or HSA-id
            statement = statement.where(units.c.sok.contains(word, autoescape=True))
        statement = statement.order_by(
            units.c.current_revision.is_not(None), units.c.forvaltning, units.c.namn
        ).limit(limit)
        return [UnitListing.model_validate(r._asdict()) for r in self.connection.execute(statement)]

    # --- users ------------------------------------------------------------------------
    def users(self) -> list[User]:
        rows = self.connection.execute(select(users_table).order_by(users_table.c.email))
        return [User.model_validate(r._asdict()) for r in rows]

    def user(self, email: str) -> User | None:
        row = self.connection.execute(
            select(users_table).where(users_table.c.email == email.lower())
        ).first()
        return User.model_validate(row._asdict()) if row else None

    def save_user(self, user: User, actor: str) -> None:
        values = {
            "namn": user.namn,
            "roles": "|".join(user.roles),
            "active": user.active,
            "updated_at": self.now,
            "updated_by": actor,
        }
        if self.user(user.email) is None:
            self.connection.execute(insert(users_table).values(email=user.email, **values))
        else:
            self.connection.execute(
                update(users_table).where(users_table.c.email == user.email).values(**values)
            )

    # --- drafts (work in progress, one per unit) --------------------------------------
    def draft(self, hsa_id: str) -> StoredDraft | None:
        row = self.connection.execute(select(drafts).where(drafts.c.hsa_id == hsa_id)).first()
        if row is None:
            return None
        return StoredDraft.model_validate(
            row._asdict() | {"since": _utc(row.since), "updated_at": _utc(row.updated_at)}
        )

    def insert_draft(self, hsa_id: str, holder: str, data: dict[str, Any]) -> StoredDraft:
        values = {
            "hsa_id": hsa_id,
            "holder": holder,
            "since": self.now,
            "updated_at": self.now,
            "data": data,
        }
        self.connection.execute(insert(drafts).values(**values))
        return StoredDraft.model_validate(values)

    def update_draft(self, hsa_id: str, holder: str, data: dict[str, Any]) -> bool:
        """Save the draft if `holder` still holds it; False when someone took it over."""
        result = self.connection.execute(
            update(drafts)
            .where(drafts.c.hsa_id == hsa_id, drafts.c.holder == holder)
            .values(data=data, updated_at=self.now)
        )
        return result.rowcount == 1

    def take_over_draft(self, hsa_id: str, holder: str) -> bool:
        result = self.connection.execute(
            update(drafts)
            .where(drafts.c.hsa_id == hsa_id)
            .values(holder=holder, since=self.now, updated_at=self.now)
        )
        return result.rowcount == 1

    def delete_draft(self, hsa_id: str) -> None:
        self.connection.execute(delete(drafts).where(drafts.c.hsa_id == hsa_id))

    # --- assessment revisions (append-only) -------------------------------------------
    def latest_revision_number(self, hsa_id: str) -> int | None:
        return self.connection.execute(
            select(func.max(assessment_revisions.c.revision)).where(
                assessment_revisions.c.hsa_id == hsa_id
            )
        ).scalar_one()

    def add_revision(self, new: NewRevision) -> StoredRevision:
        """Append a revision; refuse (StaleRevision) unless it is based on the newest one."""
        current = self.latest_revision_number(new.hsa_id)
        if new.based_on_revision != current:
            raise StaleRevision(new.hsa_id, new.based_on_revision, current)
        number = (current or 0) + 1
        payload = new.model_dump(mode="json") | {
            "revision": number,
            "created_at": self.now.isoformat(),
            "catalog_version": new.recommendation.catalog_version,
        }
        stored = StoredRevision.model_validate(
            payload | {"created_at": self.now, "content_hash": canonical_hash(payload)}
        )
        values = stored.model_dump(mode="json") | {
            "created_at": self.now,
            "review_date": new.review_date,
            "required": "|".join(new.required),
            "missing": "|".join(new.missing),
            "grounds": "|".join(new.grounds),
            "rule_ids": "|".join(dict.fromkeys(new.recommendation.rule_ids)),
        }
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(assessment_revisions).values(**values))
        except IntegrityError as exc:  # a concurrent save took this revision number first
            raise StaleRevision(new.hsa_id, new.based_on_revision, number) from exc
        kontakt_in_place = new.outcome in ("omfattas", "delvis_undantagen") and (
            "kontakt" not in new.missing
        )
        self.connection.execute(
            update(units)
            .where(units.c.hsa_id == new.hsa_id)
            .values(
                current_revision=number,
                decision_outcome=new.outcome,
                decision_variant=new.variant,
                decision_required="|".join(new.required),
                decision_missing="|".join(new.missing),
                decision_grounds="|".join(new.grounds),
                decision_review_date=new.review_date,
                decision_deviates=new.deviates,
                decision_status="for_beslut",  # until a second person gives a verdict
                # since when digital contact has been in place, by the decisions
                kontakt_since=func.coalesce(units.c.kontakt_since, self.now)
                if kontakt_in_place
                else None,
            )
        )
        return stored

    def latest_revision(self, hsa_id: str) -> StoredRevision | None:
        row = self.connection.execute(
            select(assessment_revisions)
            .where(assessment_revisions.c.hsa_id == hsa_id)
            .order_by(assessment_revisions.c.revision.desc())
            .limit(1)
        ).first()
        return self._revision_from(row) if row else None

    def revisions(self, hsa_id: str) -> list[StoredRevision]:
        rows = self.connection.execute(
            select(assessment_revisions)
            .where(assessment_revisions.c.hsa_id == hsa_id)
            .order_by(assessment_revisions.c.revision)
        )
        return [self._revision_from(r) for r in rows]

    @staticmethod
    def _revision_from(row: Any) -> StoredRevision:
        data = row._asdict()
        data.pop("id")
        data["created_at"] = _utc(data["created_at"])
        for column in ("required", "missing", "grounds"):
            data[column] = _codes(data[column])
        data["rationale"] = data["rationale"] or ""
        data["deviates"] = bool(data["deviates"])
        data.pop("rule_ids")  # derived from the recommendation, which the revision carries
        return StoredRevision.model_validate(data)

    # --- four-eyes verdicts (append-only) ---------------------------------------------
    def add_approval(self, approval: StoredApproval) -> str | None:
        """Append a verdict on the unit's newest revision and give the unit's current decision
        in brief its status. Refused, with the reason and nothing written: "already_decided"
        if the revision has a verdict, "stale" if it is no longer the newest (a submission
        that landed meanwhile; checked here, in the writing statement, so no race slips by)."""
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(approvals).values(**approval.model_dump()))
        except IntegrityError:
            return "already_decided"
        approved = approval.verdict == "faststalld"
        result = self.connection.execute(
            update(units)
            .where(
                units.c.hsa_id == approval.hsa_id,
                units.c.current_revision == approval.revision,
            )
            .values(
                decision_status=approval.verdict,
                # an approval puts the revision in force; a return leaves the one in force
                **(
                    {
                        "approved_revision": approval.revision,
                        "decision_approved_by": approval.actor,
                        "decision_approved_at": approval.at,
                    }
                    if approved
                    else {}
                ),
            )
        )
        if result.rowcount != 1:
            raise StaleVerdict(approval.hsa_id, approval.revision)
        return None

    def approvals(self, hsa_id: str | None = None) -> list[StoredApproval]:
        """Verdicts in the order given: one unit's, or every one (for verification)."""
        statement = select(approvals).order_by(approvals.c.id)
        if hsa_id is not None:
            statement = statement.where(approvals.c.hsa_id == hsa_id)
        return [
            StoredApproval.model_validate(r._asdict() | {"at": _utc(r.at)})
            for r in self.connection.execute(statement)
        ]

    def current_decisions(
        self,
    ) -> Iterator[tuple[str, int, str | None, int | None, str | None]]:
        """Each decided unit's newest revision with its status, and the revision in force
        with its approver, as the register holds them (verified against the approvals)."""
        statement = (
            select(
                units.c.hsa_id,
                units.c.current_revision,
                units.c.decision_status,
                units.c.approved_revision,
                units.c.decision_approved_by,
            )
            .where(units.c.current_revision.is_not(None))
            .order_by(units.c.hsa_id)
        )
        for row in self.connection.execute(statement.execution_options(yield_per=2000)):
            yield (row[0], row[1], row[2], row[3], row[4])

    def revision(self, hsa_id: str, number: int) -> StoredRevision | None:
        row = self.connection.execute(
            select(assessment_revisions).where(
                assessment_revisions.c.hsa_id == hsa_id,
                assessment_revisions.c.revision == number,
            )
        ).first()
        return self._revision_from(row) if row else None

    # --- audit events (append-only, hash-chained) -------------------------------------
    def append_audit(self, actor: str, action: str, details: dict[str, Any]) -> AuditEvent:
        last = self.connection.execute(
            select(audit_events.c.hash).order_by(audit_events.c.id.desc()).limit(1)
        ).scalar_one_or_none()
        prev = last or GENESIS
        at = self.now
        body = {"at": at.isoformat(), "actor": actor, "action": action, "details": details}
        digest = canonical_hash(body | {"prev_hash": prev})
        result = self.connection.execute(
            insert(audit_events).values(
                at=at, actor=actor, action=action, details=details, prev_hash=prev, hash=digest
            )
        )
        return AuditEvent(
            id=result.inserted_primary_key[0],
            at=at,
            actor=actor,
            action=action,
            details=details,
            prev_hash=prev,
            hash=digest,
        )

    def all_revisions(self) -> Iterator[StoredRevision]:
        """Every revision in the order written, streamed (for verification)."""
        statement = select(assessment_revisions).order_by(assessment_revisions.c.id)
        for row in self.connection.execute(statement.execution_options(yield_per=1000)):
            yield self._revision_from(row)

    def recent_audit_events(self, limit: int) -> list[AuditEvent]:
        """The newest events first."""
        rows = self.connection.execute(
            select(audit_events).order_by(audit_events.c.id.desc()).limit(limit)
        )
        return [AuditEvent.model_validate(r._asdict() | {"at": _utc(r.at)}) for r in rows]

    def audit_events(self) -> list[AuditEvent]:
        rows = self.connection.execute(select(audit_events).order_by(audit_events.c.id))
        return [AuditEvent.model_validate(r._asdict() | {"at": _utc(r.at)}) for r in rows]


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine

    @contextmanager
    def transaction(self, now: dt.datetime | None = None) -> Iterator[Tx]:
        """One unit of work: everything inside commits together or not at all."""
        with self.engine.begin() as connection:
            yield Tx(connection, now or dt.datetime.now(dt.UTC))
