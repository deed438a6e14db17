"""Read models for the register, the dashboard and exports: SQL aggregates over each unit's
current decision (its newest revision). Nothing here loads revisions' JSON in bulk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from logic.domain.codes import CASE_TYPES
from logic.domain.register import NOT_ASSESSED, PAGE_SIZE, RegisterFilter, RegisterView
from logic.domain.text import search_key
from logic.store.schema import approvals as verdicts
from logic.store.schema import assessment_revisions as rev
from logic.store.schema import units
from logic.store.store import Tx

IN_SCOPE = ("omfattas", "delvis_undantagen")
EXEMPT = ("undantagen", "delvis_undantagen")


def _current(*columns: Any) -> Select[Any]:
    """SELECT columns FROM units with each unit's current revision (or none) joined."""
    joined = units.outerjoin(
        rev, and_(rev.c.hsa_id == units.c.hsa_id, rev.c.revision == units.c.current_revision)
    )
    return select(*columns).select_from(joined)


def outcome_column() -> ColumnElement[str]:
    return func.coalesce(rev.c.outcome, literal(NOT_ASSESSED))


def _has(column: Any, code: str) -> ColumnElement[bool]:
    """Does a "|"-joined code column hold `code`? ('kontakt' must not match 'kontakta_mig')."""
    return ("|" + func.coalesce(column, "") + "|").like(f"%|{code}|%")


def _where(statement: Select[Any], f: RegisterFilter, today: dt.date) -> Select[Any]:
    if f.forvaltning:
        statement = statement.where(units.c.forvaltning == f.forvaltning)
    if f.utfall:
        statement = statement.where(outcome_column() == f.utfall)
    if f.variant:
        statement = statement.where(rev.c.variant == f.variant)
    if f.status == "ej_bedomd":
        statement = statement.where(rev.c.revision.is_(None))
    elif f.status == "bedomd":
        statement = statement.where(rev.c.revision.is_not(None))
    elif f.status == "omprovning_kravs":
        statement = statement.where(rev.c.review_date < today)
    if f.omprovas_inom is not None:
        statement = statement.where(rev.c.review_date <= today + dt.timedelta(days=f.omprovas_inom))
    if f.beslutsstatus:
        statement = statement.where(units.c.decision_status == f.beslutsstatus)
    if f.avviker:
        statement = statement.where(rev.c.deviates.is_(True))
    if f.saknar:
        statement = statement.where(_has(rev.c.missing, f.saknar))
    for word in f.text.split():
        statement = statement.where(
            or_(
                units.c.sok.contains(search_key(word), autoescape=True),
                func.lower(rev.c.rationale).contains(word.lower(), autoescape=True),
            )
        )
    return statement


SORTS = {
    "namn": units.c.namn,
    "forvaltning": units.c.forvaltning,
    "utfall": outcome_column(),
    "beslutad": rev.c.created_at,
    "omprovas": rev.c.review_date,
}
REGISTER_COLUMNS = (
    units.c.hsa_id,
    units.c.namn,
    units.c.forvaltning,
    outcome_column().label("utfall"),
    rev.c.variant,
    rev.c.missing.label("saknas"),
    rev.c.review_date.label("omprovas"),
    rev.c.author.label("beslutad_av"),
    rev.c.created_at.label("beslutad"),
    rev.c.revision,
    rev.c.deviates.label("avviker"),
    units.c.decision_status.label("beslutsstatus"),
    units.c.in_force_revision.label("faststalld_revision"),
    units.c.in_force_approver.label("faststalld_av"),
)


def register_page(tx: Tx, view: RegisterView, today: dt.date) -> tuple[list[dict[str, Any]], int]:
    """One page of the register (rows as dicts) and the number of rows the filter matches."""
    count = _where(_current(func.count()), view.filter, today)
    total = tx.connection.execute(count).scalar_one()
    key = SORTS[view.sort]
    order = key.desc() if view.descending else key.asc()
    statement = (
        _where(_current(*REGISTER_COLUMNS), view.filter, today)
        .order_by(order.nulls_last(), units.c.hsa_id)
        .limit(PAGE_SIZE)
        .offset((view.page - 1) * PAGE_SIZE)
    )
    return [r._asdict() for r in tx.connection.execute(statement)], total


EXPORT_SELECT = (
    units.c.hsa_id,
    units.c.namn,
    units.c.forvaltning,
    outcome_column(),
    rev.c.variant,
    rev.c.required,
    rev.c.missing,
    rev.c.grounds,
    rev.c.rationale,
    rev.c.author,
    rev.c.created_at,
    rev.c.review_date,
    rev.c.revision,
    rev.c.catalog_version,
    rev.c.rule_ids,
    units.c.decision_status,
    units.c.in_force_approver,
    units.c.in_force_at,
    units.c.in_force_revision,
)


def export_rows(tx: Tx, f: RegisterFilter, today: dt.date) -> Iterator[tuple[Any, ...]]:
    """Every row the filter matches, in the export columns' order (logic/export.py),
    streamed: a country's register never sits in memory as a list."""
    statement = _where(_current(*EXPORT_SELECT), f, today).order_by(
        units.c.forvaltning, units.c.namn, units.c.hsa_id
    )
    # options on the statement, not the connection: later statements must not stream
    result = tx.connection.execute(statement.execution_options(yield_per=2000))
    for row in result:
        yield tuple(row)


# --- Dashboard -----------------------------------------------------------------------------
# One table: each unit's current decision in brief (units.decision_*), kept by add_revision.
DECIDED = func.coalesce(units.c.decision_outcome, literal(NOT_ASSESSED))


def _units(*columns: Any, forvaltning: str | None) -> Select[Any]:
    statement = select(*columns).select_from(units)
    return statement.where(units.c.forvaltning == forvaltning) if forvaltning else statement


def recommendation_counts(tx: Tx) -> list[dict[str, Any]]:
    """Units per administration, recommended outcome and variant (the start page)."""
    statement = (
        select(
            units.c.forvaltning,
            units.c.recommended_outcome,
            units.c.recommended_variant,
            func.count().label("antal"),
        )
        .group_by(units.c.forvaltning, units.c.recommended_outcome, units.c.recommended_variant)
        .order_by(units.c.forvaltning)
    )
    return [r._asdict() for r in tx.connection.execute(statement)]


def outcomes_by_forvaltning(tx: Tx, forvaltning: str | None) -> list[dict[str, Any]]:
    statement = _units(
        units.c.forvaltning,
        DECIDED.label("utfall"),
        func.count().label("antal"),
        forvaltning=forvaltning,
    ).group_by(units.c.forvaltning, DECIDED)
    return [r._asdict() for r in tx.connection.execute(statement.order_by(units.c.forvaltning))]


def kontakt_progress(tx: Tx, forvaltning: str | None) -> list[dict[str, Any]]:
    """Per month: units that have had digital contact (kontakt) in place since then."""
    month = func.substr(cast(units.c.kontakt_since, String), 1, 7)
    statement = _units(
        month.label("manad"), func.count().label("antal"), forvaltning=forvaltning
    ).where(units.c.kontakt_since.is_not(None))
    return [r._asdict() for r in tx.connection.execute(statement.group_by(month).order_by(month))]


def coverage(tx: Tx, forvaltning: str | None) -> list[dict[str, Any]]:
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
        {"variant": variant, "arendetyp": code, "kravd": kravd, "erbjuds": erbjuds}
        for (variant, code), (kravd, erbjuds) in sorted(
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


def follow_up(tx: Tx, forvaltning: str | None, today: dt.date) -> list[dict[str, Any]]:
    """The follow-up report: one row per administration (verksamhetsuppföljning)."""

    def count(condition: ColumnElement[bool]) -> Any:
        return func.sum(case((condition, 1), else_=0))

    outcome = units.c.decision_outcome
    in_scope = outcome.in_(IN_SCOPE)
    due = units.c.decision_review_date
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
        count(units.c.decision_status == "for_beslut").label("for_beslut"),
        count(units.c.decision_status == "faststalld").label("faststallda"),
        count(units.c.in_force_revision.is_not(None)).label("med_faststallt_beslut"),
        count(units.c.decision_status == "aterremitterad").label("aterremitterade"),
        forvaltning=forvaltning,
    ).group_by(units.c.forvaltning)
    rows = tx.connection.execute(statement.order_by(units.c.forvaltning))
    return [
        {k: (v if k == "forvaltning" else int(v or 0)) for k, v in r._asdict().items()}
        for r in rows
    ]


def forvaltningar(tx: Tx) -> list[str]:
    statement = select(units.c.forvaltning).distinct().order_by(units.c.forvaltning)
    return [r[0] for r in tx.connection.execute(statement)]


def review_queue(tx: Tx, today: dt.date, within_days: int = 30) -> list[dict[str, Any]]:
    """Decisions whose review date has passed (omprövning krävs) or comes within
    `within_days`: the overdue first, then by date."""
    due = units.c.decision_review_date
    statement = (
        select(
            units.c.hsa_id,
            units.c.namn,
            units.c.forvaltning,
            units.c.decision_outcome.label("utfall"),
            due.label("omprovas"),
        )
        .where(due <= today + dt.timedelta(days=within_days))
        .order_by(due, units.c.namn)
    )
    return [
        r._asdict() | {"forsenad": r.omprovas < today} for r in tx.connection.execute(statement)
    ]


def decisions_with_status(tx: Tx, status: str) -> list[dict[str, Any]]:
    """Units whose current decision has this four-eyes status, the longest waiting first;
    with the verdict's comment, giver and time where there is one."""
    joined = units.join(
        rev, and_(rev.c.hsa_id == units.c.hsa_id, rev.c.revision == units.c.current_revision)
    ).outerjoin(
        verdicts,
        and_(verdicts.c.hsa_id == rev.c.hsa_id, verdicts.c.revision == rev.c.revision),
    )
    statement = (
        select(
            units.c.hsa_id,
            units.c.namn,
            units.c.forvaltning,
            rev.c.outcome.label("utfall"),
            rev.c.variant,
            rev.c.revision,
            rev.c.content_hash,
            rev.c.author.label("beslutad_av"),
            rev.c.created_at.label("beslutad"),
            verdicts.c.comment.label("kommentar"),
            verdicts.c.approver.label("granskad_av"),
            verdicts.c.at.label("granskad"),
        )
        .select_from(joined)
        .where(units.c.decision_status == status)
        .order_by(rev.c.created_at, units.c.namn)
    )
    return [r._asdict() for r in tx.connection.execute(statement)]


def latest_approvals(tx: Tx, forvaltning: str | None, limit: int = 10) -> list[dict[str, Any]]:
    """The most recently approved current decisions, with who approved them."""
    statement = (
        _units(
            units.c.hsa_id,
            units.c.namn,
            units.c.forvaltning,
            units.c.decision_outcome.label("utfall"),
            units.c.in_force_approver.label("faststalld_av"),
            units.c.in_force_at.label("faststalld"),
            forvaltning=forvaltning,
        )
        .where(units.c.in_force_revision.is_not(None))
        .order_by(units.c.in_force_at.desc(), units.c.namn)
        .limit(limit)
    )
    return [r._asdict() for r in tx.connection.execute(statement)]
