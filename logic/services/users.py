"""Users and roles (administrators keep them; nobody is deleted, only deactivated), and
sign-in and sign-out, each on the record."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pydantic import ValidationError

from logic.domain.auth import DEMO_USERS, SYSTEM, User
from logic.domain.errors import LastAdministrator, UnknownUnits
from logic.files.unit_file import Source
from logic.files.unit_managers_file import read_unit_managers
from logic.i18n import LANGUAGES
from logic.services.unit_of_work import sign_in_work, unit_of_work
from logic.store.store import Store, Tx


def list_users(store: Store, user: User) -> list[User]:
    with unit_of_work(store, user, "manage_users", readonly=True) as work:
        return work.tx.users.all()


def _write_user(tx: Tx, before: User | None, after: User, actor: str) -> None:
    """Store a user and put the change, before and after, on the record."""
    tx.users.save(after, actor)
    tx.audit.append(
        actor,
        "add_user" if before is None else "change_user",
        {
            "email": after.email,
            "before": before.model_dump(mode="json") if before else None,
            "after": after.model_dump(mode="json"),
        },
    )


def save_user(store: Store, changed: User, user: User) -> User:
    """Add a user or change one's name, roles, units (a unit manager's, of the register:
    UnknownUnits; none without the role) or active flag; the change (before and after) is
    an audit event. Users are never deleted: deactivate them. The last active administrator
    keeps the role (LastAdministrator). Returns the user as saved."""
    with unit_of_work(store, user, "manage_users") as work:
        work.tx.serialize("users")  # two changes at once: the second sees the first
        before = work.tx.users.get(changed.email)
        admins = {u.email for u in work.tx.users.all() if u.active and "administrator" in u.roles}
        if (
            changed.email in admins
            and admins == {changed.email}
            and not (changed.active and "administrator" in changed.roles)
        ):
            raise LastAdministrator(changed.email)
        if "enhetschef" not in changed.roles:  # units are a unit manager's alone
            changed = changed.model_copy(update={"units": ()})
        unknown = sorted(set(changed.units) - work.tx.units.known(changed.units))
        if unknown:  # a unit manager holds units of the register only
            raise UnknownUnits(unknown)
        _write_user(work.tx, before, changed, work.user.email)
    return changed


def ensure_first_administrator(store: Store, email: str, user: User = SYSTEM) -> bool:
    """The first administrator comes from a setting; added once, when no administrator
    exists. Returns whether one was added."""
    with sign_in_work(store) as tx:
        tx.serialize("users")  # two processes starting at once add one administrator
        if any("administrator" in u.roles and u.active for u in tx.users.all()):
            return False
        first = User(email=email, namn=email, roles=("administrator",))
        _write_user(tx, tx.users.get(first.email), first, user.email)
    return True


def ensure_demo_users(store: Store, user: User = SYSTEM) -> int:
    """Local mode: the demo users, one per role, added when missing (an administrator's
    later changes to them stand). Returns how many were added."""
    with sign_in_work(store) as tx:
        tx.serialize("users")  # two processes starting at once add each one once
        missing = [u for u in DEMO_USERS if tx.users.get(u.email) is None]
        for demo in missing:
            _write_user(tx, None, demo, user.email)
    return len(missing)


def retire_demo_users(store: Store, user: User = SYSTEM) -> int:
    """Outside local mode the demo users may not act (nor count as the administrator that
    keeps FIRST_ADMIN from being added): deactivate them, on the record. Returns how many."""
    demo = {u.email for u in DEMO_USERS}
    with sign_in_work(store) as tx:
        tx.serialize("users")
        active = [u for u in tx.users.all() if u.email in demo and u.active]
        for demo_user in active:
            _write_user(tx, demo_user, demo_user.model_copy(update={"active": False}), user.email)
    return len(active)


def sign_in(store: Store, email: str, namn: str, via: str) -> User:
    """Who signed in, with the roles the user table gives them (none if unknown or
    deactivated: such a user sees only whom to ask). Recorded in the audit log."""
    email = email.strip().lower()
    namn = _shown_name(namn, email)
    with sign_in_work(store) as tx:
        tx.serialize("users")
        known = tx.users.get(email)
        if known is not None and known.namn == known.email and namn and namn != email:
            # added by e-mail only (FIRST_ADMIN, or an administrator who knew no name):
            # the provider's name from now on, on the record like any change
            named = known.model_copy(update={"namn": namn})
            _write_user(tx, known, named, email)
            known = named
        user = (
            known
            if known is not None and known.active
            else User(email=email, namn=namn or email, roles=(), active=known is None)
        )
        tx.audit.append(email, "sign_in", {"via": via, "roles": list(user.roles)})
    return user


def _shown_name(namn: str, email: str) -> str:
    """The provider's name for a person, or their e-mail when the name is one a user may not
    carry (an identity number, invisible characters)."""
    try:
        return User(email=email, namn=namn).namn if namn else email
    except ValueError:
        return email


def record_sign_out(store: Store, user: User) -> None:
    """Sign-out, on the record like the sign-in."""
    with sign_in_work(store) as tx:
        tx.audit.append(user.email, "sign_out", {})


def current_user(store: Store, email: str, namn: str) -> User:
    """The signed-in user as the user table has them now (read on every page view, so a
    role change or a deactivation takes effect at once)."""
    with sign_in_work(store) as tx:
        known = tx.users.get(email.strip().lower())
    if known is not None and known.active:
        return known
    return User(email=email, namn=_shown_name(namn, email.strip().lower()), roles=())


def administrators(store: Store) -> list[User]:
    """Whom to ask for a role: the active administrators (shown to users without one)."""
    with sign_in_work(store) as tx:
        return [u for u in tx.users.all() if u.active and "administrator" in u.roles]


@dataclass(frozen=True)
class ManagersImported:
    """What a unit managers file changed: people added, changed, and unchanged."""

    added: int
    changed: int
    unchanged: int


def import_unit_managers(
    store: Store, data: Source, user: User, source: str, lang: str = "sv"
) -> ManagersImported:
    """Each person in the file holds exactly the units the file gives them, from now on
    (people the file does not name keep theirs): added as a unit manager if unknown, given
    the role if they lack it, their name taken from the file if the register knew only
    their e-mail address. Every row is checked first (UnitManagerFileError names each
    problem by row and column; nothing is written); each person changed is an audit event
    (before and after), and the import one more, with the file's SHA-256."""
    with unit_of_work(store, user, "manage_users") as work:
        tx = work.tx
        tx.serialize("users")  # beside a change of a user: one after the other
        deactivated = frozenset(u.email for u in tx.users.all() if not u.active)
        rows = read_unit_managers(data, tx.units.known, lang, deactivated)
        people: dict[str, tuple[str, set[str]]] = {}
        for row in rows:
            people.setdefault(row.email, (row.namn, set()))[1].add(row.hsa_id)
        counts = {"added": 0, "changed": 0, "unchanged": 0}
        for email, (namn, held) in sorted(people.items()):
            before = tx.users.get(email)
            if before is None:
                after = User(email=email, namn=namn, roles=("enhetschef",), units=tuple(held))
            else:
                kept = namn if before.namn == before.email else before.namn
                given = {"roles": (*before.roles, "enhetschef"), "units": tuple(held)}
                try:
                    after = User.model_validate(before.model_dump() | given | {"namn": kept})
                except ValidationError:  # a name stored before a rule refuses it: the file's
                    after = User.model_validate(before.model_dump() | given | {"namn": namn})
            kind = "added" if before is None else "unchanged" if after == before else "changed"
            counts[kind] += 1
            if after != before:
                _write_user(tx, before, after, work.user.email)
        tx.audit.append(
            work.user.email,
            "import_unit_managers",
            {
                "source": source,
                "rows": len(rows),
                **counts,
                "sha256": _sha256(data),
            },
        )
    return ManagersImported(**counts)


def _sha256(data: Source) -> str:
    """The file's SHA-256: of its bytes, or read from its path a megabyte at a time."""
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    with data.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def choose_language(store: Store, user: User, language: str) -> None:
    """The language a signed-in person chose in the app: their mail comes in it. A
    preference, not a decision: kept on their row, not in the audit chain."""
    if language not in LANGUAGES:
        return
    with sign_in_work(store) as tx:
        tx.users.set_language(user.email, language)
