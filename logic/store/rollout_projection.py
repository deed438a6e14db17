"""The roll-out now, kept as a projection so the Införande page, the exports and the report
aggregate it in SQL however many units there are (schema: `rollout`, `rollout_progress`).
Written for the units observed or decided, read with the status worked out for a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
    true,
    update,
)

from logic.domain.codes import MINIMUM
from logic.domain.rollout_summary import LateUnit, Tally, UnitTally
from logic.store.rows import IN_LIST, Rows
from logic.store.schema import (
    observations,
    rollout,
    rollout_progress,
    units,
)

CHUNK = IN_LIST  # ids per IN list
# Rows of at least this many units written at once are indexed for the tallies afterwards,
# on SQLite (writing_many)
MANY_UNITS = 10_000
TALLY_INDEX = next(index for index in rollout.indexes if index.name == "ix_rollout_tally")


def status_of(as_of: dt.date, row: Any = rollout.c) -> Any:
    """The status as of a date, in SQL: the same as logic.domain.rollout.status (of the
    projection's columns, or the same columns of a subquery)."""
    return case(
        (row.exempted, "undantaget"),
        (and_(row.in_place, row.mall), "infort_mall"),
        (row.in_place, "infort"),
        (row.frist.is_(None), "ej_planerat"),
        (row.frist < as_of, "forsenat"),
        else_="planerat",
    )


def where_administration(forvaltning: str | None) -> Any:
    return rollout.c.forvaltning == forvaltning if forvaltning is not None else true()


class RolloutProjectionRows(Rows):
    def by_code_point(self, column: Any) -> Any:
        """Text ordered as Python orders it (the history's rows) and SQLite does: by code
        point, whatever the PostgreSQL server's collation (under sv_SE "a" sorts before
        "B", and a Swedish server's export now would not be the history's file)."""
        return column.collate("C") if self.postgresql else column

    # --- writing ----------------------------------------------------------------------------
    def replace(self, hsa_ids: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
        """The units' rows as given, and no other rows of theirs."""
        for start in range(0, len(hsa_ids), CHUNK):
            chunk = list(hsa_ids[start : start + CHUNK])
            self.connection.execute(delete(rollout).where(rollout.c.hsa_id.in_(chunk)))
        self.insert_many(rollout, rows)

    def clear(self) -> None:
        self.connection.execute(delete(rollout))

    @contextmanager
    def writing_many(self, how_many: int, registered: int) -> Iterator[None]:
        """The rows of `how_many` units are about to be written: when many (MANY_UNITS and a
        tenth of the `registered` units), on SQLite, the tally index is made once at the end
        instead of entry by entry (at random into millions: two minutes of a 1,000,000-unit
        import). In the caller's transaction: readers keep the index until it commits, a
        failure rolls the drop back. Not on PostgreSQL: DROP INDEX would lock readers out."""
        many = not self.postgresql and how_many >= max(MANY_UNITS, registered // 10)
        if many:
            TALLY_INDEX.drop(self.connection)
        yield
        if many:
            TALLY_INDEX.create(self.connection)

    def all_rows(self) -> Iterator[dict[str, Any]]:
        """Every row as stored, by unit (in the database's order of HSA-ids, as the history
        reads them), streamed: verification compares them with the rows made again."""
        statement = select(rollout).order_by(rollout.c.hsa_id)
        for row in self.connection.execute(statement.execution_options(yield_per=5000)):
            yield row._asdict()

    def rows_of(self, hsa_ids: Sequence[str]) -> list[Any]:
        found: list[Any] = []
        for start in range(0, len(hsa_ids), CHUNK):
            chunk = list(hsa_ids[start : start + CHUNK])
            found += self.connection.execute(select(rollout).where(rollout.c.hsa_id.in_(chunk)))
        return found

    def made_under(self) -> str | None:
        """The catalog version the projection was made under (one for all its rows: it is
        made again whole when the catalog changes); None when it holds nothing."""
        return self.connection.execute(select(rollout.c.catalog_version).limit(1)).scalar()

    def is_stale(self, catalog_version: str) -> bool:
        """Made under another catalog, or never made though units were observed."""

        def any_row(statement: Any) -> bool:  # the first row found will do: no count at start
            return self.connection.execute(statement.limit(1)).first() is not None

        if any_row(select(rollout.c.hsa_id).where(rollout.c.catalog_version != catalog_version)):
            return True
        return any_row(select(observations.c.id)) and not any_row(select(rollout.c.hsa_id))

    def add_progress(self, deltas: dict[tuple[dt.date, str, str], list[int]]) -> None:
        """Add to the progress counts (a unit's contribution, taken away or given)."""
        changed = {k: v for k, v in deltas.items() if any(v)}
        if not changed:  # nothing to add: no wait for the others who add
            return
        self.serialize("rollout_progress")  # two approvals at once: one after the other
        for (observed, forvaltning, arendetyp), (n, there, templated) in changed.items():
            key = and_(
                rollout_progress.c.observed == observed,
                rollout_progress.c.forvaltning == forvaltning,
                rollout_progress.c.arendetyp == arendetyp,
            )
            done = self.connection.execute(
                update(rollout_progress)
                .where(key)
                .values(
                    units=rollout_progress.c.units + n,
                    in_place=rollout_progress.c.in_place + there,
                    on_template=rollout_progress.c.on_template + templated,
                )
            )
            if done.rowcount == 0:
                self.connection.execute(
                    insert(rollout_progress).values(
                        observed=observed,
                        forvaltning=forvaltning,
                        arendetyp=arendetyp,
                        units=n,
                        in_place=there,
                        on_template=templated,
                    )
                )
            # a count no unit is left in is no count: as the rebuild makes none
            self.connection.execute(
                delete(rollout_progress).where(key, rollout_progress.c.units == 0)
            )

    def rebuild_progress(self, templated: Sequence[str]) -> None:
        """The progress counts made again from the observations and the projection: on each
        date, the units observed then (their last file that day) and required to have each
        case type, with it and on the template."""
        self.serialize("rollout_progress")
        self.connection.execute(delete(rollout_progress))
        self.connection.execute(
            insert(rollout_progress).from_select(
                ["observed", "forvaltning", "arendetyp", "units", "in_place", "on_template"],
                _progress_made(templated),
            )
        )

    def progress_as_stored_and_made(
        self, templated: Sequence[str]
    ) -> Iterator[tuple[str, Any, Any]]:
        """Each progress count as stored beside the same made again (None where one side has
        none), for verification."""
        fields = ("units", "in_place", "on_template")
        made = {
            (str(r[0]), r[1], r[2]): dict(zip(fields, r[3:], strict=True))
            for r in self.connection.execute(_progress_made(templated))
        }
        stored = {  # a count of no units is none (as readers read it; older ones kept such)
            (str(r.observed), r.forvaltning, r.arendetyp): {f: getattr(r, f) for f in fields}
            for r in self.connection.execute(
                select(rollout_progress).where(rollout_progress.c.units != 0)
            )
        }
        for key in sorted(made.keys() | stored.keys()):
            yield " ".join(key), stored.get(key), made.get(key)

    # --- reading ----------------------------------------------------------------------------
    def tallies(self, as_of: dt.date, forvaltning: str | None) -> list[Tally]:
        # counted by the stored columns first, read in the order of ix_rollout_tally (no
        # sort of every row), then by status over those few groups
        stored = (
            rollout.c.forvaltning,
            rollout.c.arendetyp,
            rollout.c.exempted,
            rollout.c.in_place,
            rollout.c.mall,
            rollout.c.frist,
            rollout.c.i_tid,
            rollout.c.frist_scope,
        )
        counted = (
            select(*stored, func.count().label("n"))
            .where(where_administration(forvaltning))
            .group_by(*stored)
            .subquery()
        )
        c = counted.c
        columns = (c.forvaltning, c.arendetyp, status_of(as_of, c), c.i_tid, c.mall, c.frist)
        columns += (c.frist_scope,)
        statement = select(*columns, cast(func.sum(c.n), Integer)).group_by(*columns)
        return sorted(Tally(*row) for row in self.connection.execute(statement))

    def unit_tallies(self, as_of: dt.date, forvaltning: str | None) -> list[UnitTally]:
        """Per administration: units, with a decision in force, with a proposal waiting now
        (the register's decision status), with any e-service late, exempted from any."""
        late = case((status_of(as_of) == "forsenat", 1), else_=0)
        per_unit = (
            select(
                rollout.c.hsa_id,
                func.min(rollout.c.forvaltning).label("forvaltning"),
                func.max(case((rollout.c.basis == "beslut", 1), else_=0)).label("beslut"),
                func.max(late).label("late"),
                func.max(case((status_of(as_of) == "undantaget", 1), else_=0)).label("exempt"),
            )
            .where(where_administration(forvaltning))
            .group_by(rollout.c.hsa_id)
            .subquery()
        )
        # waiting among the units counted on the proposal (a re-assessment of a decision in
        # force waits too, but that unit counts on its decision)
        waiting = case(
            (and_(units.c.decision_status == "for_beslut", per_unit.c.beslut == 0), 1), else_=0
        )
        statement = (
            select(
                per_unit.c.forvaltning,
                func.count(),
                func.sum(per_unit.c.beslut),
                func.sum(waiting),
                func.sum(per_unit.c.late),
                func.sum(per_unit.c.exempt),
            )
            .select_from(per_unit.join(units, units.c.hsa_id == per_unit.c.hsa_id))
            .group_by(per_unit.c.forvaltning)
        )
        return sorted(UnitTally(*row) for row in self.connection.execute(statement))

    def late(
        self, as_of: dt.date, forvaltning: str | None, limit: int
    ) -> tuple[list[LateUnit], dict[str, int]]:
        """The late units, the longest late first, at most `limit` per administration; and
        how many there are per administration."""
        joined = (
            func.string_agg(rollout.c.arendetyp, literal("|"))
            if self.postgresql
            else func.group_concat(rollout.c.arendetyp, "|")
        )
        # by the HSA-id as an expression, not the column: SQLite would read every row at
        # random through ix_rollout_order to save sorting the late ones (0.38 s against
        # 0.16 s at 50,000 units); a unit's rows carry its one name and administration
        unit = rollout.c.hsa_id.concat(literal_column("''"))  # the same text in both clauses
        grouped = (
            select(
                unit.label("hsa_id"),
                func.min(rollout.c.enhet).label("enhet"),
                func.min(rollout.c.forvaltning).label("forvaltning"),
                joined.label("lacks"),
                func.min(rollout.c.frist).label("since"),
                func.min(rollout.c.basis).label("basis"),
            )
            .where(where_administration(forvaltning), status_of(as_of) == "forsenat")
            .group_by(unit)
            .subquery()
        )
        ranked = select(
            grouped,
            func.row_number()
            .over(
                partition_by=grouped.c.forvaltning,
                order_by=(
                    grouped.c.since,
                    self.by_code_point(grouped.c.enhet),
                    self.by_code_point(grouped.c.hsa_id),
                ),
            )
            .label("rank"),
            func.count().over(partition_by=grouped.c.forvaltning).label("total"),
        ).subquery()
        statement = select(ranked).where(ranked.c.rank <= limit)
        late: list[LateUnit] = []
        totals: dict[str, int] = {}
        for row in self.connection.execute(statement):
            late.append(
                LateUnit(
                    row.hsa_id,
                    row.enhet,
                    row.forvaltning,
                    tuple(sorted(row.lacks.split("|"))),
                    row.since,
                    row.basis,
                )
            )
            totals[row.forvaltning] = row.total
        return late, totals

    def kontakt_observed_since(self, forvaltning: str | None) -> list[tuple[str, dt.date, int]]:
        """Digital contact, since when: per administration and first observation with it."""
        statement = (
            select(rollout.c.forvaltning, rollout.c.infort_senast, func.count())
            .where(
                where_administration(forvaltning),
                rollout.c.arendetyp == MINIMUM,
                rollout.c.exempted.is_(False),
                rollout.c.in_place.is_(True),
                rollout.c.infort_senast.is_not(None),
            )
            .group_by(rollout.c.forvaltning, rollout.c.infort_senast)
        )
        return sorted(tuple(row) for row in self.connection.execute(statement))  # type: ignore[misc]

    def progress_points(self, forvaltning: str | None) -> list[Any]:
        statement = select(rollout_progress).where(rollout_progress.c.units > 0)
        if forvaltning is not None:
            statement = statement.where(rollout_progress.c.forvaltning == forvaltning)
        return list(self.connection.execute(statement))


def _progress_made(templated: Sequence[str]) -> Any:
    """The progress counts as the observations and the projection make them: per date,
    administration and case type, the units observed that day (their last file of the day;
    a correction is no point on the curve) required to have it, with it, on the template."""
    newest = (
        select(func.max(observations.c.id).label("id"))
        .group_by(observations.c.hsa_id, observations.c.observed)
        .subquery()
    )
    bar = literal("|")

    def has(column: Any) -> Any:
        return (bar + column + bar).like(literal("%|") + rollout.c.arendetyp + bar + "%")

    there = has(observations.c.e_tjanster)
    on_template = and_(
        there, has(observations.c.regionala_mallar), rollout.c.arendetyp.in_(list(templated))
    )
    return (
        select(
            observations.c.observed,
            rollout.c.forvaltning,
            rollout.c.arendetyp,
            func.count(),
            func.sum(case((there, 1), else_=0)),
            func.sum(case((on_template, 1), else_=0)),
        )
        .select_from(
            observations.join(newest, newest.c.id == observations.c.id).join(
                rollout,
                and_(rollout.c.hsa_id == observations.c.hsa_id, rollout.c.exempted.is_(False)),
            )
        )
        .where(observations.c.source == "fil")
        .group_by(observations.c.observed, rollout.c.forvaltning, rollout.c.arendetyp)
    )
