"""Start-up, the same for the app and the command line: the reference data, the engine, the
schema brought up to date, cached recommendations refreshed after an edit of the catalog,
and the users the sign-in mode needs."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from logic.files.reference_data import catalog, catalog_texts
from logic.readmodels.rollout_projection import refresh_all
from logic.services.audit import chain_unkeyed
from logic.services.catalog import record_starting_catalog
from logic.services.unit_of_work import catalog_of
from logic.services.units import refresh_recommendations
from logic.services.users import ensure_demo_users, ensure_first_administrator, retire_demo_users
from logic.settings import Settings
from logic.store.db import grant_app_role, make_engine, migrate, role_of
from logic.store.store import Store

KEY_MIN = 16  # characters: a shorter secret is too easy to guess


class AuditKeyMissing(Exception):
    """No usable key: a shared (PostgreSQL) database without AUDIT_KEY (each app server would
    key the chain with a different secret), or a key shorter than KEY_MIN characters."""


def audit_key(config: Settings) -> bytes:
    """The secret the audit chain is keyed with: AUDIT_KEY, or (SQLite only) the key file,
    created once with a random key readable only by its owner. Two processes starting at
    once on a fresh install agree on one key: the file appears whole or not at all."""
    if config.audit_key:
        key = config.audit_key.strip()
    elif not config.database_url.startswith("sqlite"):
        raise AuditKeyMissing(config.database_url)
    else:
        path = config.audit_key_file
        if not path.exists():
            _create_key_file(path)
        key = path.read_text(encoding="utf-8").strip()
    if len(key) < KEY_MIN:
        raise AuditKeyMissing("too short")
    return key.encode("utf-8")


def _create_key_file(path: Path) -> None:
    """Write a random key beside `path`, flushed, then link it into place: a process that
    finds the file finds it whole; one that loses the race keeps the winner's key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as f:
            f.write(secrets.token_hex(32))
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def connect(config: Settings) -> Store:
    """A store on `config.database_url`, as it is: nothing migrated, nothing written."""
    return Store(make_engine(config.database_url), audit_key(config))


def prepare(store: Store, config: Settings) -> int:
    """Make a connected store ready for use; idempotent, safe at every start. Returns how
    many units' cached recommendations were refreshed (after an edit of data/catalog)."""
    migrate(store.engine)
    if chain_unkeyed(store):  # nothing is appended until an administrator decides
        return 0
    record_starting_catalog(store, catalog_texts())  # a new database: data/catalog
    refreshed = refresh_recommendations(store)
    # the roll-out now, when made under another catalog or never
    refresh_all(store, catalog_of(store))
    if config.auth_mode == "local":
        ensure_demo_users(store)
    else:
        retire_demo_users(store)  # before the check for an administrator below
    if config.first_admin:
        ensure_first_administrator(store, config.first_admin)
    return refreshed


def open_store(config: Settings) -> Store:
    """The app's start: the catalog first (a bad file raises CatalogError naming file, line
    and field, before the database is touched), then a prepared store."""
    catalog()
    store = connect(config)
    prepare(store, config)
    return store


def migrate_as_owner(config: Settings) -> str | None:
    """`python -m logic migrate`: the schema upgraded as the owner (MIGRATION_DATABASE_URL,
    else the app's own URL); an app role of its own (DATABASE_URL's user) is then granted
    exactly what the app needs. Returns that role, or None."""
    owner = make_engine(config.migration_database_url or config.database_url)
    try:
        migrate(owner)
        app_role = role_of(config.database_url)
        if config.migration_database_url and app_role and app_role != role_of(str(owner.url)):
            grant_app_role(owner, app_role)
            return app_role
        return None
    finally:
        owner.dispose()
