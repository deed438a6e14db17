"""Start-up, the same for the app and the command line: the reference data, the engine, the
schema brought up to date, cached recommendations refreshed after an edit of the catalog,
and the users the sign-in mode needs."""

from __future__ import annotations

from logic.files.reference_data import catalog
from logic.services.units import refresh_recommendations
from logic.services.users import ensure_demo_users, ensure_first_administrator, retire_demo_users
from logic.settings import Settings
from logic.store.db import make_engine, migrate
from logic.store.store import Store


def connect(config: Settings) -> Store:
    """A store on `config.database_url`, as it is: nothing migrated, nothing written."""
    return Store(make_engine(config.database_url))


def prepare(store: Store, config: Settings) -> int:
    """Make a connected store ready for use; idempotent, safe at every start. Returns how
    many units' cached recommendations were refreshed (after an edit of data/catalog)."""
    migrate(store.engine)
    refreshed = refresh_recommendations(store, cat=catalog())
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
