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
    with store.transaction() as tx:
        signed = [e.details for e in tx.audit.events() if e.action == "sign_in"]
    assert signed == [
        {"via": "oidc", "roles": ["administrator"]},
        {"via": "oidc", "roles": []},
    ]
    assert verify_audit(store, ADAM).intact


def test_a_person_without_a_name_is_shown_by_their_address(store: Store) -> None:
    from logic.services.users import current_user, sign_in

    assert sign_in(store, "Namnlos@Region.se", "", via="oidc").namn == "namnlos@region.se"
    assert current_user(store, "Ny@Region.se", "").namn == "ny@region.se"
    assert current_user(store, "ny@region.se", "Ny Person").namn == "Ny Person"
    assert current_user(store, "ny@region.se", "Ring 19121212-1212").namn == "ny@region.se"


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


def test_the_last_active_administrator_keeps_the_role(store: Store) -> None:
    """Neither deactivated nor demoted while no other active administrator exists; a
    change that keeps both (a new name) is fine, and so is anything once there is another."""
    import pytest

    from logic.domain.errors import LastAdministrator

    only = User(email="only@region.se", namn="Only", roles=("administrator",))
    save_user(store, only, ADAM)
    for change in (
        {"active": False},
        {"roles": ("chef",)},
        {"roles": ()},
    ):
        with pytest.raises(LastAdministrator) as refused:
            save_user(store, only.model_copy(update=change), ADAM)
        assert refused.value.args == ("only@region.se",)
    renamed = only.model_copy(update={"namn": "Only Admin", "roles": ("administrator", "chef")})
    save_user(store, renamed, ADAM)
    other = User(email="chef@region.se", namn="Chef", roles=("chef",))
    save_user(store, other, ADAM)  # another user, not an administrator: changes nothing
    with pytest.raises(LastAdministrator):
        save_user(store, renamed.model_copy(update={"active": False}), ADAM)
    inactive = User(email="gone@region.se", namn="Gone", roles=("administrator",), active=False)
    save_user(store, inactive, ADAM)  # an inactive administrator does not count
    with pytest.raises(LastAdministrator):
        save_user(store, renamed.model_copy(update={"roles": ("chef",)}), ADAM)
    second = User(email="two@region.se", namn="Two", roles=("administrator",))
    save_user(store, second, ADAM)
    save_user(store, renamed.model_copy(update={"active": False}), ADAM)  # now allowed
    assert [u.email for u in administrators_of(store)] == ["two@region.se"]


def administrators_of(store: Store) -> list[User]:
    from logic.services.users import administrators

    return administrators(store)


def test_only_active_administrators_count_as_administrators(store: Store) -> None:
    save_user(store, User(email="a@region.se", namn="A", roles=("administrator",)), ADAM)
    save_user(store, User(email="c@region.se", namn="C", roles=("chef",)), ADAM)
    save_user(
        store, User(email="old@region.se", namn="O", roles=("administrator",), active=False), ADAM
    )
    assert [u.email for u in administrators_of(store)] == ["a@region.se"]


def test_a_user_made_first_administrator_is_a_change_with_what_was_before(store: Store) -> None:
    """FIRST_ADMIN naming a user already on record (as a chef) changes that user: the event
    says what they were; retiring a demo user says the same."""
    from logic.services.users import ensure_demo_users, retire_demo_users

    chef = User(email="boss@region.se", namn="Boss", roles=("chef",))
    save_user(store, chef, ADAM)
    assert ensure_first_administrator(store, "boss@region.se") is True
    ensure_demo_users(store)
    retire_demo_users(store)
    with store.transaction() as tx:
        events = [(e.action, e.details) for e in tx.audit.events()]
    made = next(d for a, d in events if a == "change_user" and d["email"] == "boss@region.se")
    assert made["before"]["roles"] == ["chef"] and made["after"]["roles"] == ["administrator"]
    retired = [d for a, d in events if a == "change_user" and d["email"] != "boss@region.se"]
    assert len(retired) == len(DEMO_USERS)
    assert all(d["before"]["active"] is True and d["after"]["active"] is False for d in retired)
