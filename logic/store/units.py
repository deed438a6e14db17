"""The unit register: one row per unit, upserted by hsa_id, with the rules' recommendation
cached and the current decision in brief (a projection the follow-up page aggregates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, select, update

from logic.domain.errors import StaleVerdict
from logic.domain.models import Recommendation, Unit
from logic.domain.record import OBSERVED_FIELDS, observation_digest
from logic.domain.register import UnitListing
from logic.domain.text import search_key
from logic.domain.unit_reports import REPORTED, Reported
from logic.domain.workflow import CurrentDecision, CurrentStatus, VerdictEffect
from logic.store.rows import IN_LIST, Rows, codes, in_parts, utc
from logic.store.schema import observations, units

UNIT_COLUMNS = tuple(Unit.model_fields)
CODE_COLUMNS = ("telefon_papper", "e_tjanster", "regionala_mallar")


def unit_facts(unit: Unit) -> dict[str, Any]:
    """A unit's facts as the register and the observations keep them (code lists joined)."""
    row = unit.model_dump()
    for column in CODE_COLUMNS:
        row[column] = "|".join(row[column])
    return row


def _unit_row(unit: Unit) -> dict[str, Any]:
    return unit_facts(unit) | {"sok": search_key(f"{unit.namn} {unit.hsa_id}")}


def unit_from(row: Any) -> Unit:
    """A unit from a row holding its facts (the register's or an observation's)."""
    return Unit.model_validate({c: getattr(row, c) for c in UNIT_COLUMNS})


def current_decision_row(current: CurrentDecision) -> dict[str, Any]:
    """The columns of `units` that hold its current decision in brief."""
    return {
        "current_revision": current.revision,
        "decision_outcome": current.outcome,
        "decision_variant": current.variant,
        "decision_required": "|".join(current.required),
        "decision_missing": "|".join(current.missing),
        "decision_grounds": "|".join(current.grounds),
        "decision_review_date": current.review_date,
        "decision_deviates": current.deviates,
        "decision_below_minimum": current.below_minimum,
        "decision_status": current.status,
        "kontakt_since": current.kontakt_since,
    }


class UnitRows(Rows):
    def get(self, hsa_id: str) -> Unit | None:
        row = self.connection.execute(select(units).where(units.c.hsa_id == hsa_id)).first()
        return unit_from(row) if row else None

    def observed_on(self, hsa_id: str) -> dt.date | None:
        """The date of the unit's newest observation (None: never observed)."""
        statement = select(units.c.observed).where(units.c.hsa_id == hsa_id)
        return self.connection.execute(statement).scalar()

    def all(self) -> list[Unit]:
        rows = self.connection.execute(select(units).order_by(units.c.forvaltning, units.c.namn))
        return [unit_from(r) for r in rows]

    def known(self, hsa_ids: Iterable[str]) -> frozenset[str]:
        """Which of these HSA-ids the register holds."""
        found: set[str] = set()
        for part in in_parts(hsa_ids):
            statement = select(units.c.hsa_id).where(units.c.hsa_id.in_(part))
            found.update(self.connection.execute(statement).scalars())
        return frozenset(found)

    def in_force(self, hsa_ids: Iterable[str]) -> dict[str, int]:
        """Of these units, each with a decision in force: the revision in force."""
        found: dict[str, int] = {}
        for part in in_parts(hsa_ids):
            statement = select(units.c.hsa_id, units.c.in_force_revision).where(
                units.c.hsa_id.in_(part),
                units.c.in_force_revision.is_not(None),
            )
            found |= {h: int(r) for h, r in self.connection.execute(statement)}
        return found

    def in_force_revision(self, hsa_id: str) -> int | None:
        statement = select(units.c.in_force_revision).where(units.c.hsa_id == hsa_id)
        return self.connection.execute(statement).scalar()

    def count(self) -> int:
        return self.connection.execute(select(func.count()).select_from(units)).scalar_one()

    def upsert(
        self,
        pairs: Iterable[tuple[Unit, Recommendation]],
        actor: str,
        observed: dt.date | None = None,
        dry_run: bool = False,
        source: str = "fil",
        added: list[Unit] | None = None,
        changes: list[tuple[Unit, tuple[str, ...]]] | None = None,
    ) -> dict[str, int]:
        """Insert new units, update changed ones (by hsa_id); count added/updated/unchanged,
        and `older`: units the register shows from a newer observation than `observed`, left
        as they are. Each unit seen is an observation on `observed` (appended; None: a
        recommendation refreshed, no observation). With dry_run, only count (a preview).
        `added`, when given, gets each new unit, and `changes` each unit updated with the
        facts that changed in it (none: only its recommendation, under another catalog)."""
        pairs = list(pairs)
        existing: dict[str, dict[str, Any]] = {}
        ids = [u.hsa_id for u, _ in pairs]
        for start in range(0, len(ids), IN_LIST):  # order kept: not in_parts
            chunk = ids[start : start + IN_LIST]
            for row in self.connection.execute(select(units).where(units.c.hsa_id.in_(chunk))):
                existing[row.hsa_id] = row._asdict()
        new_rows, changed_rows, seen_again = [], [], []
        older = 0
        for unit, rec in pairs:
            row = _unit_row(unit) | {
                "recommended_outcome": rec.outcome,
                "recommended_variant": rec.variant,
                "recommended_missing": "|".join(rec.missing),
                "catalog_version": rec.catalog_version,
            }
            old = existing.get(unit.hsa_id)
            when = {"observed": observed} if observed is not None else {}
            if old is None:
                new_rows.append(row | when | {"updated_at": self.now, "updated_by": actor})
                if added is not None:
                    added.append(unit)
            elif observed is not None and old["observed"] and old["observed"] > observed:
                older += 1  # the register keeps the newer facts; the observation is kept below
            elif any(old[k] != v for k, v in row.items()):
                changed_rows.append(row | when | {"updated_at": self.now, "updated_by": actor})
                if changes is not None:
                    facts = tuple(k for k in UNIT_COLUMNS if old[k] != row[k])
                    changes.append((unit, facts))
            elif observed is not None and old["observed"] != observed:
                seen_again.append({"match_hsa_id": unit.hsa_id, "observed": observed})
        if not dry_run:
            self._write(new_rows, changed_rows, seen_again)
            if observed is not None:
                self.insert_many(
                    observations,
                    [
                        unit_facts(u)
                        | {"observed": observed, "recorded_at": self.now, "source": source}
                        | {"recorded_by": actor}
                        for u, _ in pairs
                    ],
                )
        unchanged = len(pairs) - len(new_rows) - len(changed_rows) - older
        return {
            "added": len(new_rows),
            "updated": len(changed_rows),
            "unchanged": unchanged,
            "older": older,
        }

    def _write(
        self,
        new_rows: list[dict[str, Any]],
        changed_rows: list[dict[str, Any]],
        seen_again: list[dict[str, Any]],
    ) -> None:
        self.insert_many(units, new_rows)
        if changed_rows:  # one statement, many rows
            statement = (
                update(units)
                .where(units.c.hsa_id == bindparam("match_hsa_id"))
                .values({column: bindparam(column) for column in changed_rows[0]})
            )
            self.connection.execute(
                statement, [row | {"match_hsa_id": row["hsa_id"]} for row in changed_rows]
            )
        if seen_again:  # the same facts, seen on a newer date
            self.connection.execute(
                update(units)
                .where(units.c.hsa_id == bindparam("match_hsa_id"))
                .values(observed=bindparam("observed")),
                seen_again,
            )

    def with_other_catalog(self, version: str) -> list[Unit]:
        rows = self.connection.execute(select(units).where(units.c.catalog_version != version))
        return [unit_from(r) for r in rows]

    def search(self, query: str, limit: int = 100) -> list[UnitListing]:
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
        return [UnitListing(**r._asdict()) for r in self.connection.execute(statement)]

    def current_decisions(self) -> Iterator[CurrentStatus]:
        """Every unit's current decision in brief and its decision in force, as the
        register holds them, streamed (verification recomputes them). Read as stored, not
        validated: a value forged into the table must reach the check, not stop it."""
        statement = select(units).order_by(units.c.hsa_id)
        for row in self.connection.execute(statement.execution_options(yield_per=2000)):
            decision = None
            if row.current_revision is not None:
                decision = CurrentDecision.model_construct(
                    revision=row.current_revision,
                    outcome=row.decision_outcome,
                    variant=row.decision_variant,
                    required=codes(row.decision_required),
                    missing=codes(row.decision_missing),
                    grounds=codes(row.decision_grounds),
                    review_date=row.decision_review_date,
                    deviates=bool(row.decision_deviates),
                    below_minimum=bool(row.decision_below_minimum),
                    status=row.decision_status,
                    kontakt_since=utc(row.kontakt_since) if row.kontakt_since else None,
                )
            yield CurrentStatus.model_construct(
                hsa_id=row.hsa_id,
                decision=decision,
                in_force_revision=row.in_force_revision,
                in_force_approver=row.in_force_approver,
                in_force_at=utc(row.in_force_at) if row.in_force_at else None,
                facts={f: getattr(row, f) for f in OBSERVED_FIELDS},
                recommended=(
                    row.recommended_outcome,
                    row.recommended_variant,
                    row.recommended_missing,
                ),
                catalog_version=row.catalog_version,
            )

    # --- What each import appended, committed to in its audit event -----------------------
    def recorded_observations(self) -> dict[str, object]:
        """The observations this transaction appended (at its moment): how many, and their
        digest (record.observation_digest), for the audit event that records it."""
        statement = (
            select(observations)
            .where(observations.c.recorded_at == self.now)
            .order_by(observations.c.hsa_id, observations.c.id)
        )
        counted = [0]

        def rows() -> Iterator[dict[str, Any]]:
            for row in self.connection.execute(statement.execution_options(yield_per=2000)):
                counted[0] += 1
                yield row._asdict()

        digest = observation_digest(rows())
        return {"observations": counted[0], "digest": digest}

    def observations(self) -> Iterator[dict[str, Any]]:
        """Every observation as stored, by the moment it was recorded, its source and the
        unit (verification groups them by what appended them), streamed."""
        statement = select(observations).order_by(
            observations.c.recorded_at,
            observations.c.source,
            observations.c.hsa_id,
            observations.c.id,
        )
        for row in self.connection.execute(statement.execution_options(yield_per=2000)):
            values = row._asdict()
            values["recorded_at"] = utc(values["recorded_at"])
            yield values

    # --- the current decision in brief (what workflow.py decides, written here) -----------
    def set_current_decision(self, hsa_id: str, current: CurrentDecision) -> None:
        """The unit's newest revision in brief, for the follow-up page's one-table aggregates."""
        self.connection.execute(
            update(units).where(units.c.hsa_id == hsa_id).values(**current_decision_row(current))
        )

    def kontakt_since(self, hsa_id: str) -> dt.datetime | None:
        """Since when the unit's decisions have found digital contact in place, if they do."""
        value = self.connection.execute(
            select(units.c.kontakt_since).where(units.c.hsa_id == hsa_id)
        ).scalar_one_or_none()
        return utc(value) if value is not None else None

    def set_decision_status(self, hsa_id: str, revision: int, effect: VerdictEffect) -> None:
        """Give the unit's current decision its verdict's status (and, for an approval, make
        it the decision in force). Refused with StaleVerdict unless `revision` is still the
        unit's newest: checked in the writing statement, so no race slips by."""
        in_force = (
            {
                "in_force_revision": revision,
                "in_force_approver": effect.approver,
                "in_force_at": effect.at,
            }
            if effect.puts_in_force
            else {}
        )
        result = self.connection.execute(
            update(units)
            .where(units.c.hsa_id == hsa_id, units.c.current_revision == revision)
            .values(decision_status=effect.status, **in_force)
        )
        if result.rowcount != 1:
            raise StaleVerdict(hsa_id, revision)

    # --- A unit's own reports (source "enhet") not yet confirmed by the unit file -----------
    def reported(self, hsa_ids: Iterable[str] | None = None) -> list[Reported]:
        """The units (these, or every unit) whose newest observation is their own report."""
        newest = reported_now().subquery()
        statement = (
            select(newest.c.hsa_id, newest.c.observed, newest.c.recorded_by)
            .join(units, units.c.hsa_id == newest.c.hsa_id)
            .order_by(newest.c.hsa_id)
        )
        parts = [None] if hsa_ids is None else list(in_parts(hsa_ids))
        found: list[Reported] = []
        for part in parts:
            chosen = statement if part is None else statement.where(units.c.hsa_id.in_(part))
            found += [
                Reported(str(r.hsa_id), r.observed, str(r.recorded_by or "–"))
                for r in self.connection.execute(chosen)
            ]
        return found

    def reported_count(
        self, as_of: dt.date, known_at: dt.datetime, forvaltning: str | None = None
    ) -> int:
        """How many units (of an administration, or all) rested on their own report as of a
        date, as known at a moment: their newest observation by then was the report."""
        later = observations.alias("later")
        seen = and_(later.c.observed <= as_of, later.c.recorded_at <= known_at)
        statement = (
            select(func.count(func.distinct(observations.c.hsa_id)))
            .join(units, units.c.hsa_id == observations.c.hsa_id)
            .where(
                observations.c.source == REPORTED,
                observations.c.observed <= as_of,
                observations.c.recorded_at <= known_at,
                ~select(later.c.id)
                .where(
                    later.c.hsa_id == observations.c.hsa_id,
                    seen,
                    (later.c.observed > observations.c.observed)
                    | and_(
                        later.c.observed == observations.c.observed,
                        later.c.id > observations.c.id,
                    ),
                )
                .exists(),
            )
        )
        if forvaltning is not None:
            statement = statement.where(units.c.forvaltning == forvaltning)
        return int(self.connection.execute(statement).scalar_one())


def reported_now() -> Select[Any]:
    """(hsa_id, observed, recorded_by) of each unit whose newest observation is its own
    report: read from the reports (few; indexed by source), not from every observation."""
    later = observations.alias("later")
    return (
        select(observations.c.hsa_id, observations.c.observed, observations.c.recorded_by)
        .join(
            units,
            and_(
                units.c.hsa_id == observations.c.hsa_id,
                units.c.observed == observations.c.observed,
            ),
        )
        .where(observations.c.source == REPORTED)
        .where(
            ~select(later.c.id)
            .where(
                later.c.hsa_id == observations.c.hsa_id,
                later.c.observed == observations.c.observed,
                later.c.id > observations.c.id,
            )
            .exists()
        )
    )
