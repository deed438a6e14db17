"""One user action, one unit of work: a transaction, the acting user as the user table has
them at this moment (a page may hold a copy from before a role change or a deactivation),
their permission checked once, and what every action decides by: the catalog, the moment
and the region's day. A refused action writes nothing but its refusal.

A service takes its clock and catalog from here and nowhere else, so a test (or the demo
history) that opens the store at another time or under another catalog changes them for
every action at once. The catalog is the version in force on the action's day (the catalog
versions in the record), unless the store was opened under one catalog for every day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from logic.clock import local_day
from logic.domain.auth import PermissionDenied, User, require
from logic.domain.catalog import Catalog
from logic.domain.catalog_versions import CatalogVersion, in_force, versions_of
from logic.domain.errors import CatalogAltered
from logic.files.reference_data import CatalogError, catalog, catalog_from_texts
from logic.store.store import Store, Tx


@dataclass(frozen=True)
class Work:
    tx: Tx  # every repository, inside this action's transaction
    user: User  # who acts, as the user table has them now
    fixed_catalog: Catalog | None  # the store's one catalog for every day, if it has one

    @cached_property
    def catalog(self) -> Catalog:
        """What the action decides by: the catalog in force on its day (read without fixing
        the action's moment, which is taken after any wait for a lock)."""
        return self.catalog_on(local_day(self.tx.clock_reading()))

    def catalog_on(self, day: dt.date, known_at: dt.datetime | None = None) -> Catalog:
        """The catalog in force on `day`, as approved by `known_at` (default: now)."""
        if self.fixed_catalog is not None:
            return self.fixed_catalog
        return catalog_on(self.tx, day, known_at)

    @cached_property
    def _versions(self) -> list[CatalogVersion]:
        return catalog_versions(self.tx)

    def catalog_named(self, version: str) -> Catalog:
        """The catalog version whose hash is `version` (what a revision was made under), to
        show it in its own words; the one the action decides by when the record holds no
        such version (made before versions were kept, or under a test's catalog)."""
        if self.fixed_catalog is None:
            found = next((v for v in self._versions if v.proposal.version == version), None)
            if found is not None:
                return catalog_of_version(self.tx, found)
        return self.catalog

    @property
    def now(self) -> dt.datetime:
        """The action's moment (taken when first needed: after any wait for a lock)."""
        return self.tx.now

    @property
    def today(self) -> dt.date:
        """The region's day of the action's moment."""
        return local_day(self.tx.now)


def catalog_of(store: Store, day: dt.date | None = None) -> Catalog:
    """The catalog in force on `day` (default: today), outside any action."""
    if store.catalog is not None:
        return store.catalog
    with store.transaction(readonly=True) as tx:
        return catalog_on(tx, day or local_day(tx.now))


@contextmanager
def unit_of_work(
    store: Store,
    user: User,
    action: str,
    readonly: bool = False,
    snapshot: bool = False,
    unit: str | None = None,
) -> Iterator[Work]:
    """Run one user action. Users the table does not know (the system, tests) keep the roles
    they were given: the app only ever hands a service a user from the table
    (users.current_user), so an unknown person arrives with no role. A `readonly` action
    (reading the register) takes no write lock, so it never waits for one that writes; a
    `snapshot` reads one state of the database throughout (Store.transaction). An action
    on one `unit` is also a unit manager's on a unit they hold (auth.may_on_unit)."""
    refused: PermissionDenied | None = None
    # what was refused: the action, and the unit when it was on one (another's, say)
    details: dict[str, object] = {"action": action} | ({"hsa_id": unit} if unit else {})
    with store.transaction(readonly=readonly, snapshot=snapshot) as tx:
        acting = tx.users.get(user.email) or user
        try:
            require(acting, action, unit)
        except PermissionDenied as exc:
            refused = exc
            if not readonly:  # on the record too, and nothing else is written
                tx.audit.append(user.email, "permission_denied", details)
        else:
            yield Work(tx, acting, store.catalog)
    if refused is not None:
        if readonly:  # the refusal is a write: a transaction of its own
            with store.transaction() as tx:
                tx.audit.append(user.email, "permission_denied", details)
        raise refused


@contextmanager
def sign_in_work(store: Store) -> Iterator[Tx]:
    """Sign-in, sign-out and start-up steps: no role is needed (who signs in has none yet;
    start-up acts as the system)."""
    with store.transaction() as tx:
        yield tx


# --- The catalog in force ----------------------------------------------------------------
# Read from the catalog versions in the record; a version's files are validated once per
# process. A database without versions yet (not started since the upgrade, or a test's) is
# under the files in data/catalog.


def catalog_versions(tx: Tx) -> list[CatalogVersion]:
    """Every catalog version with its verdict, in number order (without files)."""
    return versions_of(tx.catalogs.proposals(), tx.catalogs.verdicts())


def catalog_on(tx: Tx, day: dt.date, known_at: dt.datetime | None = None) -> Catalog:
    """The catalog in force on `day` (as approved by `known_at`, default: now)."""
    return catalog_of_version(tx, in_force(catalog_versions(tx), day, known_at))


def catalog_of_version(tx: Tx, version: CatalogVersion | None) -> Catalog:
    if version is None:
        return catalog()
    found = _PARSED.get(version.proposal.version)
    if found is None:
        files = tx.catalogs.files(version.number)
        try:
            found = catalog_from_texts(files)
        except CatalogError as exc:
            raise CatalogAltered(version.number) from exc
        if found.version != version.proposal.version:  # its files changed, its hash kept
            raise CatalogAltered(version.number)
        _PARSED[version.proposal.version] = found
    return found


# Parsed catalogs by version (a hash of the files: the same version is the same catalog).
_PARSED: dict[str, Catalog] = {}
