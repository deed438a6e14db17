"""Engines and migrations, the same code for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from logic.domain.errors import DatabaseError
from logic.store.schema import APPEND_ONLY, metadata

ROOT = Path(__file__).resolve().parent.parent.parent


def read_only_url(path: Path) -> str:
    """A SQLite file opened read-only (a backup being verified): nothing can be written."""
    return f"sqlite:///file:{path.resolve()}?mode=ro&uri=true"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        read_only = parsed.query.get("mode") == "ro"
        if parsed.database and parsed.database != ":memory:" and not read_only:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            # SQLAlchemy, not the sqlite3 module, begins transactions (below): the module's
            # own handling begins none before a SAVEPOINT, whose release then commits
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if not read_only:
                cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection) -> None:  # type: ignore[no-untyped-def]
            # IMMEDIATE: a transaction takes the write lock when it starts, so two actions
            # at once run one after the other (waiting up to the timeout), never interleaved;
            # a read-only one (a backup being verified) takes none
            readonly = connection.get_execution_options().get("readonly", False)
            connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


SchemaState = Literal["empty", "old", "current"]


def schema_state(engine: Engine) -> SchemaState:
    """Is the database a register at all ("empty": never migrated), one of an older version
    ("old": migrate it, or a copy of it, first) or current? Reads only."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())
    try:
        with engine.connect() as connection:
            found = set(MigrationContext.configure(connection).get_current_heads())
    except DBAPIError as exc:
        from logic.store.store import reason

        raise DatabaseError(reason(exc)) from exc
    if not found:
        return "empty"
    return "current" if found == heads else "old"


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent); DatabaseError in words when
    the database cannot be used."""
    try:
        with engine.begin() as connection:
            config = alembic_config(engine.url.render_as_string(hide_password=False))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except DBAPIError as exc:
        from logic.store.store import reason

        raise DatabaseError(reason(exc)) from exc


# --- Least privilege on PostgreSQL ---------------------------------------------------------
# The record's tables are only ever appended to (their triggers refuse the rest); the others
# change with the register. The app's role gets exactly that: never TRUNCATE, TRIGGER or
# REFERENCES, no CREATE in the schema, and no ownership, so it can neither alter nor drop a
# table nor disable or drop a trigger. Migrations run as the owner (MIGRATION_DATABASE_URL).
CHANGING_TABLES = tuple(t for t in metadata.tables if t not in APPEND_ONLY)


def role_of(url: str) -> str | None:
    """The database user a URL connects as."""
    return make_url(url).username


def grant_app_role(owner: Engine, role: str) -> None:
    """Give the app's database role what the app does and nothing more, in the schema the
    owner's connection works in (PostgreSQL; SQLite has no roles)."""
    if owner.dialect.name != "postgresql":
        return
    quoted = owner.dialect.identifier_preparer.quote(role)
    with owner.begin() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
        in_schema = owner.dialect.identifier_preparer.quote_schema(schema)
        statements = [
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {in_schema} FROM {quoted}",
            f"GRANT USAGE ON SCHEMA {in_schema} TO {quoted}",
            *(f"GRANT SELECT, INSERT ON {t} TO {quoted}" for t in APPEND_ONLY),
            *(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {t} TO {quoted}" for t in CHANGING_TABLES),
            f"GRANT SELECT ON alembic_version TO {quoted}",  # which version it is
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {in_schema} TO {quoted}",
        ]
        for statement in statements:
            connection.exec_driver_sql(statement)
