"""The store: the only place that knows SQL. One `transaction()` is one unit of work; inside
it, `Tx` offers every repository as an attribute (tx.units, tx.users, tx.drafts,
tx.revisions, tx.verdicts, tx.audit, tx.rollout, tx.catalogs).
The store keeps data; it decides no policy (that is logic/domain)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from logic.domain.catalog import Catalog
from logic.domain.errors import DatabaseError
from logic.store.acknowledgements import AcknowledgementRows
from logic.store.audit import AuditRows
from logic.store.catalogs import CatalogRows
from logic.store.drafts import DraftRows
from logic.store.outbox import OutboxRows
from logic.store.revisions import RevisionRows
from logic.store.rollout_projection import RolloutProjectionRows
from logic.store.rows import Transaction
from logic.store.unit_requests import UnitRequestRows
from logic.store.units import UnitRows
from logic.store.users import UserRows
from logic.store.verdicts import VerdictRows


class Tx(Transaction):
    """One unit of work: the transaction, and every repository inside it."""

    def __init__(
        self, connection: Connection, clock: Callable[[], dt.datetime], audit_key: bytes | None
    ):
        super().__init__(connection, clock, audit_key)
        self.units = UnitRows(self)
        self.users = UserRows(self)
        self.drafts = DraftRows(self)
        self.revisions = RevisionRows(self)
        self.verdicts = VerdictRows(self)
        self.audit = AuditRows(self)
        self.rollout = RolloutProjectionRows(self)
        self.catalogs = CatalogRows(self)
        self.acknowledgements = AcknowledgementRows(self)
        self.requests = UnitRequestRows(self)
        self.outbox = OutboxRows(self)


class Store:
    """The database, and the key the audit chain is written with (kept outside it; None
    writes an unkeyed chain, as before keys)."""

    def __init__(
        self,
        engine: Engine,
        audit_key: bytes | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        catalog: Catalog | None = None,
    ):
        self.engine = engine
        self.audit_key = audit_key
        # what "now" is for what is written and what "today" is for every action; the demo
        # history and tests set it (a past day)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        # the catalog every action decides by; None: the reference data (services/unit_of_work)
        self.catalog = catalog

    def with_clock(self, clock: Callable[[], dt.datetime]) -> Store:
        """The same database, keyed the same, at another time."""
        return Store(self.engine, self.audit_key, clock, self.catalog)

    def with_catalog(self, catalog: Catalog) -> Store:
        """The same database under another catalog."""
        return Store(self.engine, self.audit_key, self.clock, catalog)

    @contextmanager
    def transaction(self, readonly: bool = False, snapshot: bool = False) -> Iterator[Tx]:
        """One unit of work: everything inside commits together or not at all. A database
        that cannot be used raises DatabaseError (in words), after the rollback. A readonly
        transaction takes no write lock and may write nothing (a backup being verified).
        A `snapshot` reads the whole database as it stood at its first statement, however
        many statements it takes while others write (SQLite's transactions always do; on
        PostgreSQL, REPEATABLE READ): what verification reads must be one state."""
        try:
            with self.engine.connect() as connection:
                if readonly:
                    connection = connection.execution_options(readonly=True)
                with connection.begin():
                    if connection.dialect.name == "postgresql" and (readonly or snapshot):
                        modes = ["READ ONLY"] if readonly else []
                        if snapshot:
                            modes.insert(0, "ISOLATION LEVEL REPEATABLE READ")
                        connection.exec_driver_sql(f"SET TRANSACTION {', '.join(modes)}")
                    yield Tx(connection, self.clock, self.audit_key)
        except (DBAPIError, sqlite3.Error) as exc:  # the latter from the driver's own cursor
            raise DatabaseError(reason(exc)) from exc


def reason(exc: DBAPIError | sqlite3.Error) -> str:
    """The database driver's own first line, without SQLAlchemy's statement dump."""
    orig = getattr(exc, "orig", None)
    text = str(orig) if orig is not None else str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
