"""Read models for the register: its pages and filters, exports, the review queue and the
four-eyes queues, over each unit's current decision (its newest revision). Nothing here
loads revisions' JSON in bulk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from logic.domain.register import (
    NOT_ASSESSED,
    PAGE_SIZE,
    DecisionListing,
    RegisterFilter,
    RegisterRow,
    RegisterView,
    ReviewItem,
)
from logic.domain.text import search_key
from logic.store.rows import codes, in_parts
from logic.store.schema import approvals as verdicts
from logic.store.schema import assessment_revisions as rev
from logic.store.schema import units
from logic.store.store import Tx


def _current(*columns: Any) -> Select[Any]:
    """SELECT columns FROM units with each unit's current revision (or none) joined."""
    joined = units.outerjoin(
        rev, and_(rev.c.hsa_id == units.c.hsa_id, rev.c.revision == units.c.current_revision)
    )
    return select(*columns).select_from(joined)


def review_due() -> ColumnElement[Any]:
    """When the unit's decision is to be reviewed: the date of the decision that stands (the
    newest, in force or waiting for approval). A returned revision is to be made again
    (Översikt lists it among the returned): its date is due in no list, but the decision in
    force it would have replaced stands, with its own date. The review queue, the register's
    filters and the follow-up's counts all read this one column."""
    in_force = rev.alias("in_force")
    in_force_date = (
        select(in_force.c.review_date)
        .where(
            in_force.c.hsa_id == units.c.hsa_id,
            in_force.c.revision == units.c.in_force_revision,
        )
        .scalar_subquery()
    )
    return case(
        (units.c.decision_status == "aterremitterad", in_force_date),
        else_=units.c.decision_review_date,
    )


def outcome_column() -> ColumnElement[str]:
    return func.coalesce(rev.c.outcome, literal(NOT_ASSESSED))


def _has(column: Any, code: str) -> ColumnElement[bool]:
    """Does a "|"-joined code column hold `code`? ('kontakt' must not match 'kontakta_mig')."""
    return ("|" + func.coalesce(column, "") + "|").like(f"%|{code}|%")


def _where(
    statement: Select[Any], f: RegisterFilter, today: dt.date, review: Sequence[str] = ()
) -> Select[Any]:
    """The filter as SQL; `review`: the units whose decisions should be reviewed (worked out
    by logic/readmodels/to_review.py), for `bor_omprovas`."""
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
        statement = statement.where(review_due() < today)
    if f.omprovas_inom is not None:
        statement = statement.where(review_due() <= today + dt.timedelta(days=f.omprovas_inom))
    if f.beslutsstatus:
        statement = statement.where(units.c.decision_status == f.beslutsstatus)
    if f.avviker:
        statement = statement.where(rev.c.deviates.is_(True))
    if f.bor_omprovas:  # the HSA-ids written into the statement: a country's are more than
        # a database takes as parameters (PostgreSQL's driver 65,535, SQLite 32,766 or more)
        listed = bindparam("review", list(review), expanding=True, literal_execute=True)
        statement = statement.where(units.c.hsa_id.in_(listed))
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
REGISTER_COLUMNS = (  # labelled as RegisterRow's fields
    units.c.hsa_id,
    units.c.namn,
    units.c.forvaltning,
    outcome_column().label("outcome"),
    rev.c.variant,
    rev.c.missing,
    rev.c.review_date,
    rev.c.author,
    rev.c.created_at.label("submitted_at"),
    rev.c.revision,
    rev.c.deviates,
    units.c.decision_below_minimum.label("below_minimum"),
    units.c.decision_status.label("status"),
    units.c.in_force_revision,
    units.c.in_force_approver,
)


def register_page(
    tx: Tx, view: RegisterView, today: dt.date, review: Sequence[str] = ()
) -> tuple[list[RegisterRow], int]:
    """One page of the register and the number of rows the filter matches."""
    count = _where(_current(func.count()), view.filter, today, review)
    total = tx.connection.execute(count).scalar_one()
    key = SORTS[view.sort]
    order = key.desc() if view.descending else key.asc()
    statement = (
        _where(_current(*REGISTER_COLUMNS), view.filter, today, review)
        .order_by(order.nulls_last(), units.c.hsa_id)
        .limit(PAGE_SIZE)
        .offset((view.page - 1) * PAGE_SIZE)
    )
    rows = [
        RegisterRow(**(r._asdict() | {"missing": codes(r.missing)}))
        for r in tx.connection.execute(statement)
    ]
    return rows, total


def rows_of_units(tx: Tx, hsa_ids: Sequence[str]) -> list[RegisterRow]:
    """These units as the register shows them (a unit manager's own), by name."""
    found = []
    for part in in_parts(hsa_ids):
        statement = _current(*REGISTER_COLUMNS).where(units.c.hsa_id.in_(part))
        found += [
            RegisterRow(**(r._asdict() | {"missing": codes(r.missing)}))
            for r in tx.connection.execute(statement)
        ]
    return sorted(found, key=lambda r: (r.namn, r.hsa_id))


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
    case(
        (units.c.current_revision.is_(None), None),
        (units.c.decision_below_minimum.is_(True), "ja"),
        else_="nej",
    ),
    rev.c.decision["decision_text"].as_string(),
    rev.c.decision["exemption"],
    rev.c.decision["response_time"].as_string(),
    rev.c.decision["remark"].as_string(),
    rev.c.decision["deviations"],
    verdicts.c.verdict,
    verdicts.c.approver,
    verdicts.c.at,
    verdicts.c.comment,
)


def export_rows(
    tx: Tx, f: RegisterFilter, today: dt.date, review: Sequence[str] = ()
) -> Iterator[tuple[Any, ...]]:
    """Every row the filter matches (logic/files/export.py's `record_row` makes each one the
    export's columns), streamed: a country's register never sits in memory as a list. With
    each unit's current revision comes the verdict given on it, if any."""
    statement = export_statement(f, today, review)
    # options on the statement, not the connection: later statements must not stream
    yield from tx.connection.execute(statement.execution_options(yield_per=2000))


def export_plain_rows(
    tx: Tx, f: RegisterFilter, today: dt.date, review: Sequence[str] = ()
) -> Generator[tuple[Any, ...], None, None]:
    """export_rows as the database driver hands them over, none of SQLAlchemy's conversions:
    on SQLite the moments (UTC) and dates as text and the decision's JSON as text
    (logic/files/decision_columns.py makes the export's columns of them)."""
    return tx.units.plain_rows(export_statement(f, today, review))


def export_statement(f: RegisterFilter, today: dt.date, review: Sequence[str] = ()) -> Select[Any]:
    """The decision export's query (export_rows); `make bench` reads it alone too."""
    joined = units.outerjoin(
        rev, and_(rev.c.hsa_id == units.c.hsa_id, rev.c.revision == units.c.current_revision)
    ).outerjoin(
        verdicts,
        and_(verdicts.c.hsa_id == units.c.hsa_id, verdicts.c.revision == units.c.current_revision),
    )
    return _where(select(*EXPORT_SELECT).select_from(joined), f, today, review).order_by(
        units.c.forvaltning, units.c.namn, units.c.hsa_id
    )


def forvaltningar(tx: Tx) -> list[str]:
    statement = select(units.c.forvaltning).distinct().order_by(units.c.forvaltning)
    return [r[0] for r in tx.connection.execute(statement)]


def review_queue(tx: Tx, today: dt.date, within_days: int = 30) -> list[ReviewItem]:
    """Decisions whose review date has passed (omprövning krävs) or comes within
    `within_days`: the overdue first, then by date."""
    due = review_due()
    statement = (
        select(
            units.c.hsa_id,
            units.c.namn,
            units.c.forvaltning,
            units.c.decision_outcome.label("outcome"),
            due.label("review_date"),
        )
        .where(due <= today + dt.timedelta(days=within_days))
        .order_by(due, units.c.namn)
    )
    return [
        ReviewItem(**r._asdict(), overdue=r.review_date < today)
        for r in tx.connection.execute(statement)
    ]


def decisions_with_status(tx: Tx, status: str) -> list[DecisionListing]:
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
            rev.c.outcome,
            rev.c.variant,
            rev.c.revision,
            rev.c.content_hash,
            rev.c.author,
            rev.c.created_at.label("submitted_at"),
            verdicts.c.comment,
            verdicts.c.approver,
            verdicts.c.at.label("verdict_at"),
        )
        .select_from(joined)
        .where(units.c.decision_status == status)
        .order_by(rev.c.created_at, units.c.namn)
    )
    return [DecisionListing(**r._asdict()) for r in tx.connection.execute(statement)]
