"""One user action, one unit of work: a transaction, the acting user as the user table has
them at this moment (a page may hold a copy from before a role change or a deactivation),
their permission checked once, and what every action decides by: the catalog, the moment
and the region's day. A refused action writes nothing but its refusal.

A service takes its clock and catalog from here and nowhere else, so a test (or the demo
history) that opens the store at another time or under another catalog changes them for
every action at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from logic.clock import local_day
from logic.domain.auth import PermissionDenied, User, require
from logic.domain.catalog import Catalog
from logic.files.reference_data import catalog
from logic.store.store import Store, Tx


@dataclass(frozen=True)
class Work:
    tx: Tx  # every repository, inside this action's transaction
    user: User  # who acts, as the user table has them now
    catalog: Catalog  # what the action decides by

    @property
    def now(self) -> dt.datetime:
        """The action's moment (taken when first needed: after any wait for a lock)."""
        return self.tx.now

    @property
    def today(self) -> dt.date:
        """The region's day of the action's moment."""
        return local_day(self.tx.now)


def catalog_of(store: Store) -> Catalog:
    """The catalog the store was opened under, else the reference data in data/catalog."""
    return store.catalog if store.catalog is not None else catalog()


@contextmanager
def unit_of_work(
    store: Store, user: User, action: str, readonly: bool = False, snapshot: bool = False
) -> Iterator[Work]:
    """Run one user action. Users the table does not know (the system, tests) keep the roles
    they were given: the app only ever hands a service a user from the table
    (users.current_user), so an unknown person arrives with no role. A `readonly` action
    (reading the register) takes no write lock, so it never waits for one that writes; a
    `snapshot` reads one state of the database throughout (Store.transaction)."""
    refused: PermissionDenied | None = None
    with store.transaction(readonly=readonly, snapshot=snapshot) as tx:
        acting = tx.users.get(user.email) or user
        try:
            require(acting, action)
        except PermissionDenied as exc:
            refused = exc
            if not readonly:  # on the record too, and nothing else is written
                tx.audit.append(user.email, "permission_denied", {"action": action})
        else:
            yield Work(tx, acting, catalog_of(store))
    if refused is not None:
        if readonly:  # the refusal is a write: a transaction of its own
            with store.transaction() as tx:
                tx.audit.append(user.email, "permission_denied", {"action": action})
        raise refused


@contextmanager
def sign_in_work(store: Store) -> Iterator[Tx]:
    """Sign-in, sign-out and start-up steps: no role is needed (who signs in has none yet;
    start-up acts as the system)."""
    with store.transaction() as tx:
        yield tx
