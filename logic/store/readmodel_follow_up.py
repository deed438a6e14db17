"""Read models for follow-up: the start page's counts by recommendation and the follow-up page's
aggregates. One table: each unit's current decision in brief (units.decision_*, kept by the
services as workflow.py decides), so everything aggregates in SQL without a join."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, String, and_, case, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from logic.domain.codes import CASE_TYPES
from logic.domain.follow_up import (
    COUNTS,
    Coverage,
    FollowUpRow,
    KontaktMonth,
    LatestApproval,
    OutcomeCount,
    RecommendationCount,
)
from logic.domain.register import NOT_ASSESSED
from logic.store.readmodel_register import review_due
from logic.store.schema import units
from logic.store.store import Tx

IN_SCOPE = ("omfattas", "delvis_undantagen")
EXEMPT = ("undantagen", "delvis_undantagen")
DECIDED = func.coalesce(units.c.decision_outcome, literal(NOT_ASSESSED))


def _units(*columns: Any, forvaltning: str | None) -> Select[Any]:
    statement = select(*columns).select_from(units)
    return statement.where(units.c.forvaltning == forvaltning) if forvaltning else statement


def recommendation_counts(tx: Tx) -> list[RecommendationCount]:
    """Units per administration, recommended outcome and variant (the start page)."""
    statement = (
        select(
            units.c.forvaltning,
            units.c.recommended_outcome.label("outcome"),
            units.c.recommended_variant.label("variant"),
            func.count().label("count"),
        )
        .group_by(units.c.forvaltning, units.c.recommended_outcome, units.c.recommended_variant)
        .order_by(units.c.forvaltning)
    )
    return [RecommendationCount(**r._asdict()) for r in tx.connection.execute(statement)]


def outcomes_by_forvaltning(tx: Tx, forvaltning: str | None) -> list[OutcomeCount]:
    statement = _units(
        units.c.forvaltning,
        DECIDED.label("outcome"),
        func.count().label("count"),
        forvaltning=forvaltning,
    ).group_by(units.c.forvaltning, DECIDED)
    rows = tx.connection.execute(statement.order_by(units.c.forvaltning))
    return [OutcomeCount(**r._asdict()) for r in rows]


def kontakt_progress(tx: Tx, forvaltning: str | None) -> list[KontaktMonth]:
    """Per month: units that have had digital contact (kontakt) in place since then."""
    month = func.substr(cast(units.c.kontakt_since, String), 1, 7)
    statement = _units(
        month.label("month"), func.count().label("count"), forvaltning=forvaltning
    ).where(units.c.kontakt_since.is_not(None))
    rows = tx.connection.execute(statement.group_by(month).order_by(month))
    return [KontaktMonth(**r._asdict()) for r in rows]


def coverage(tx: Tx, forvaltning: str | None) -> list[Coverage]:
    """Per decided variant and case type: units requiring it and units offering it. SQL
    counts the distinct (variant, required, missing) combinations; they are few."""
    columns = (units.c.decision_variant, units.c.decision_required, units.c.decision_missing)
    statement = (
        _units(*columns, func.count().label("n"), forvaltning=forvaltning)
        .where(units.c.decision_outcome.in_(IN_SCOPE))
        .group_by(*columns)
    )
    counts: dict[tuple[str, str], list[int]] = {}
    for variant, required, missing, n in tx.connection.execute(statement):
        lacking = set((missing or "").split("|"))
        for code in filter(None, (required or "").split("|")):
            entry = counts.setdefault((variant, code), [0, 0])
            entry[0] += n
            entry[1] += 0 if code in lacking else n
    return [
        Coverage(variant=variant, case_type=code, required=required, offered=offered)
        for (variant, code), (required, offered) in sorted(
            counts.items(), key=lambda item: (item[0][0], CASE_TYPES.index(item[0][1]))
        )
    ]


def grounds_count(tx: Tx, forvaltning: str | None, codes: tuple[str, ...]) -> dict[str, int]:
    """Exemptions per ground (a decision may cite several)."""
    statement = (
        _units(units.c.decision_grounds, func.count(), forvaltning=forvaltning)
        .where(units.c.decision_outcome.in_(EXEMPT))
        .group_by(units.c.decision_grounds)
    )
    counts = dict.fromkeys(codes, 0)
    for grounds, n in tx.connection.execute(statement):
        for code in filter(None, (grounds or "").split("|")):
            counts[code] = counts.get(code, 0) + n
    return counts


def follow_up(tx: Tx, forvaltning: str | None, today: dt.date) -> list[FollowUpRow]:
    """The follow-up report: one row per administration (verksamhetsuppföljning)."""

    def count(condition: ColumnElement[bool]) -> Any:
        return func.sum(case((condition, 1), else_=0))

    outcome = units.c.decision_outcome
    in_scope = outcome.in_(IN_SCOPE)
    due = review_due()
    statement = _units(
        units.c.forvaltning,
        func.count().label("enheter"),
        count(units.c.current_revision.is_(None)).label("ej_bedomda"),
        count(in_scope).label("omfattas"),
        count(units.c.kontakt_since.is_not(None)).label("digital_kontakt"),
        count(and_(in_scope, func.coalesce(units.c.decision_missing, "") == "")).label(
            "fullt_basutbud"
        ),
        count(outcome == "undantagen").label("undantagna"),
        count(outcome == "delvis_undantagen").label("delvis_undantagna"),
        count(outcome == "avvaktar").label("avvaktar"),
        count(outcome == "ej_omfattad").label("ej_omfattade"),
        count(due < today).label("omprovning_forsenad"),
        count(and_(due >= today, due <= today + dt.timedelta(days=30))).label("omprovas_30"),
        count(
            and_(due > today + dt.timedelta(days=30), due <= today + dt.timedelta(days=90))
        ).label("omprovas_90"),
        count(units.c.decision_deviates.is_(True)).label("avviker"),
        count(units.c.decision_below_minimum.is_(True)).label("under_lagstaniva"),
        count(units.c.decision_status == "for_beslut").label("for_beslut"),
        count(units.c.decision_status == "faststalld").label("faststallda"),
        count(units.c.in_force_revision.is_not(None)).label("med_faststallt_beslut"),
        count(units.c.decision_status == "aterremitterad").label("aterremitterade"),
        forvaltning=forvaltning,
    ).group_by(units.c.forvaltning)
    rows = tx.connection.execute(statement.order_by(units.c.forvaltning))
    return [
        FollowUpRow(r.forvaltning, *(int(getattr(r, name) or 0) for name in COUNTS)) for r in rows
    ]


def latest_approvals(tx: Tx, forvaltning: str | None, limit: int = 10) -> list[LatestApproval]:
    """The most recently approved current decisions, with who approved them."""
    statement = (
        _units(
            units.c.hsa_id,
            units.c.namn,
            units.c.forvaltning,
            units.c.decision_outcome.label("outcome"),
            units.c.in_force_approver.label("approver"),
            units.c.in_force_at.label("approved_at"),
            forvaltning=forvaltning,
        )
        .where(units.c.in_force_revision.is_not(None))
        .order_by(units.c.in_force_at.desc(), units.c.namn)
        .limit(limit)
    )
    return [LatestApproval(**r._asdict()) for r in tx.connection.execute(statement)]
