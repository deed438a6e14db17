"""Users and roles in the store, on SQLite and PostgreSQL: changes audited, none deleted."""

from __future__ import annotations

from logic.domain.auth import DEMO_USERS, User
from logic.services.audit import verify_audit
from logic.services.users import ensure_first_administrator, list_users, save_user
from logic.store.store import Store
from tests.factories import ADAM


def test_adding_and_changing_a_user_is_audited_and_nothing_is_deleted(store: Store) -> None:
    anna = User(email="anna@region.se", namn="Anna", roles=("handlaggare",))
    save_user(store, anna, ADAM)
    promoted = anna.model_copy(update={"roles": ("beslutsfattare", "handlaggare")})
    save_user(store, promoted, ADAM)
    save_user(store, promoted.model_copy(update={"active": False}), ADAM)
    [stored] = list_users(store, ADAM)
    assert stored.active is False and stored.roles == ("beslutsfattare", "handlaggare")
    with store.transaction() as tx:
        events = tx.audit.events()
    assert [e.action for e in events] == ["add_user", "change_user", "change_user"]
    assert events[1].details["before"]["roles"] == ["handlaggare"]
    assert events[1].details["after"]["roles"] == ["beslutsfattare", "handlaggare"]
    assert verify_audit(store, ADAM).intact


def test_the_first_administrator_comes_from_the_setting_once(store: Store) -> None:
    assert ensure_first_administrator(store, "Admin@Region.se") is True
    assert ensure_first_administrator(store, "other@region.se") is False
    assert [u.email for u in list_users(store, ADAM)] == ["admin@region.se"]


def test_sign_in_gives_the_roles_on_record_and_is_audited(store: Store) -> None:
    from logic.services.users import sign_in

    ensure_first_administrator(store, "admin@region.se")
    admin = sign_in(store, "Admin@Region.se", "Anna Admin", via="oidc")
    assert (admin.namn, admin.roles) == ("Anna Admin", ("administrator",))  # name kept now
    stranger = sign_in(store, "ny@region.se", "Ny Person", via="oidc")
    assert stranger.roles == ()
    with store.transaction() as tx:
        events = [(e.actor, e.action) for e in tx.audit.events()]
        assert tx.users.get("admin@region.se").namn == "Anna Admin"  # type: ignore[union-attr]
    assert ("admin@region.se", "sign_in") in events and ("ny@region.se", "sign_in") in events
    assert verify_audit(store, ADAM).intact


def test_outside_local_mode_the_demo_users_retire_and_the_first_admin_is_added(
    store: Store,
) -> None:
    from logic.services.users import ensure_demo_users, retire_demo_users

    ensure_demo_users(store)  # the database was once run in local mode
    assert retire_demo_users(store) == len(DEMO_USERS)
    assert ensure_first_administrator(store, "admin@region.se") is True
    active = [u.email for u in list_users(store, ADAM) if u.active]
    assert active == ["admin@region.se"]
    assert retire_demo_users(store) == 0
    assert verify_audit(store, ADAM).intact
