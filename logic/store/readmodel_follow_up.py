"""Read models for follow-up: the start page's counts by recommendation and the follow-up page's
aggregates. One table: each unit's current decision in brief (units.decision_*, kept by the
services as workflow.py decides), so everything aggregates in SQL without a join."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from logic.domain.follow_up import (
    COUNTS,
    FollowUpRow,
    LatestApproval,
    OutcomeCount,
    RecommendationCount,
)
from logic.domain.management_summary import Reviews
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


def reviews_due(tx: Tx, forvaltning: str | None, today: dt.date) -> dict[str, Reviews]:
    """Per administration: decisions that stand (review_due) overdue for review, and due
    within 90 days."""
    due = review_due()
    statement = _units(
        units.c.forvaltning,
        func.sum(case((due < today, 1), else_=0)),
        func.sum(case((and_(due >= today, due <= today + dt.timedelta(days=90)), 1), else_=0)),
        forvaltning=forvaltning,
    ).group_by(units.c.forvaltning)
    return {
        f: Reviews(int(overdue or 0), int(within or 0))
        for f, overdue, within in tx.connection.execute(statement)
    }


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
