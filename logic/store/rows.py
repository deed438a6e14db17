"""What every repository shares: the open connection, the transaction's moment, and the
locks that make concurrent actions wait for each other instead of failing."""

from __future__ import annotations

import datetime as dt
import functools
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Executable, Table, insert, text


def utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


IN_LIST = 900  # values per IN list: under SQLite's bound-parameter limit (and PostgreSQL's)


def in_parts(values: Iterable[str]) -> Iterator[list[str]]:
    """The distinct values, sorted, a part at a time, each small enough for one IN list."""
    wanted = sorted(set(values))
    for start in range(0, len(wanted), IN_LIST):
        yield wanted[start : start + IN_LIST]


def codes(value: str | None) -> tuple[str, ...]:
    """'a|b' -> ('a', 'b'); the way code lists are kept in one column."""
    return tuple(value.split("|")) if value else ()


class Transaction:
    """One open transaction: its connection, its moment, the key the audit chain is written
    with, and the locks that make concurrent actions wait for each other.

    The moment (`now`) is taken from the store's clock when first asked for, so an action
    that waited for a lock is stamped when it writes, after the wait, not when it began.

    Serialisation: on SQLite every writing transaction holds the database's write lock from
    its start (BEGIN IMMEDIATE, see db.py), so these locks are no-ops there. On PostgreSQL
    they are transaction-scoped locks, released at commit or rollback. Lock order, to rule
    out deadlocks: a unit's row first (lock_unit), then other rows, the audit chain last
    (audit.append is every transaction's last write)."""

    def __init__(
        self, connection: Connection, clock: Callable[[], dt.datetime], audit_key: bytes | None
    ):
        self.connection = connection
        self.audit_key = audit_key  # the secret the audit chain is keyed with (HMAC)
        self._clock = clock
        self._now: dt.datetime | None = None

    @property
    def now(self) -> dt.datetime:
        if self._now is None:
            self._now = self._clock()
        return self._now

    def clock_reading(self) -> dt.datetime:
        """The clock now, without fixing the action's moment (which is taken when first
        needed, after any wait for a lock)."""
        return self._now or self._clock()

    @property
    def postgresql(self) -> bool:
        return self.connection.dialect.name == "postgresql"

    def lock_unit(self, hsa_id: str) -> None:
        """Actions on one unit (its drafts, revisions, verdicts) one after the other."""
        if self.postgresql:
            self.connection.execute(
                text("SELECT 1 FROM units WHERE hsa_id = :h FOR UPDATE"), {"h": hsa_id}
            )

    def serialize(self, name: str, shared: bool = False) -> None:
        """Everything else named `name` (the audit chain's head, imports) one at a time;
        `shared`: beside others who share it, but never beside one who takes it alone (a
        unit's report beside other reports, not beside an import)."""
        if self.postgresql:
            key = zlib.crc32(name.encode())  # a stable 32-bit key for the name
            lock = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
            self.connection.execute(text(f"SELECT {lock}(:k)"), {"k": key})

    # --- "Known at a moment" holds: a moment is only taken when no writer is half way ----
    def hold_snapshot(self) -> None:
        """A writer whose rows a later "known at" may count (an import, a verdict, a
        submission): held, shared with other writers, from before it takes its moment until
        it commits, so a reader taking a moment (snapshot_moment) waits for it to commit."""
        if self.postgresql:
            self.connection.execute(
                text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": SNAPSHOT}
            )

    def snapshot_moment(self) -> dt.datetime:
        """A moment after which every writer that took an earlier one has committed: what
        was known then is what a report "known at" it will always read again. (SQLite:
        every writer holds the database's lock to its commit.)"""
        if not self.postgresql:
            return self._clock()
        self.connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": SNAPSHOT})
        try:
            return self._clock()
        finally:
            self.connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SNAPSHOT})


SNAPSHOT = zlib.crc32(b"snapshot")


class Rows:
    """Base of the repositories: each reads and writes inside one Transaction, at its
    moment (the unit of work gives them as attributes: tx.units, tx.revisions, ...)."""

    def __init__(self, tx: Transaction):
        self.tx = tx

    @property
    def connection(self) -> Connection:
        return self.tx.connection

    @property
    def now(self) -> dt.datetime:
        return self.tx.now

    @property
    def audit_key(self) -> bytes | None:
        return self.tx.audit_key

    @property
    def postgresql(self) -> bool:
        return self.tx.postgresql

    def serialize(self, name: str) -> None:
        self.tx.serialize(name)

    def plain_rows(
        self, statement: Executable, parameters: dict[str, Any] | None = None, size: int = 5000
    ) -> Generator[tuple[Any, ...], None, None]:
        """The rows as plain tuples, streamed. On SQLite as its driver gives them, none of
        SQLAlchemy's conversions (half the time of a large export): only for columns the
        driver hands over as they are meant, text and numbers, never a date. On PostgreSQL
        through a server-side cursor (whose first rows SQLAlchemy buffers itself)."""
        if self.postgresql:
            streamed = statement.execution_options(yield_per=size)
            for part in self.connection.execute(streamed, parameters).partitions():
                yield from map(tuple, part)
            return
        result = self.connection.execute(statement, parameters)  # SQLite's cursor streams
        try:
            while rows := result.cursor.fetchmany(size):
                yield from rows
        finally:
            result.close()

    def insert_many(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Rows (each with the same keys) into `table` by one executemany of the driver's
        own: SQLAlchemy's handling of each row's parameters took as long as the database
        writing them (an import of a country's units writes millions of rows). Each value
        goes through its column type's conversion for the database, as SQLAlchemy's would."""
        if not rows:
            return
        dialect = self.connection.dialect
        names = list(rows[0])
        compiled = insert(table).compile(dialect=dialect, column_keys=names)
        order = compiled.positiontup if compiled.positional else names  # ? or %(name)s
        conversions = [
            (i, _kept(convert))
            for i, name in enumerate(order)
            if (convert := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
        ]

        def values(row: dict[str, Any]) -> tuple[Any, ...]:
            found = [row[name] for name in order]
            for i, convert in conversions:
                if found[i] is not None:
                    found[i] = convert(found[i])
            return tuple(found)

        if compiled.positional:
            params: list[Any] = [values(r) for r in rows]
        else:
            params = [dict(zip(order, values(r), strict=True)) for r in rows]
        self.connection.exec_driver_sql(compiled.string, params)


def _kept(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, each distinct date or flag converted once per statement (they repeat: a
    third of the conversions' time in an import). Only those: values equal only when the
    same (True and 1 kept apart), unlike two aware moments in different zones, equal but
    written apart; anything else is converted each time."""
    cached = functools.lru_cache(maxsize=None, typed=True)(convert)

    def kept(value: Any) -> Any:
        return cached(value) if type(value) in (dt.date, bool) else convert(value)

    return kept
