"""Roles and permissions: the matrix pages and services will both ask."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from logic.domain.auth import (
    DEMO_USERS,
    ON_OWN_UNITS,
    PERMISSIONS,
    ROLES,
    PermissionDenied,
    User,
    is_loopback,
    local_request_allowed,
    may,
    may_on_unit,
    pages_for,
    require,
)
from logic.domain.models import TextRefused


def test_each_role_may_do_exactly_its_actions() -> None:
    expected = {
        "handlaggare": {"assess", "read_register"},
        "beslutsfattare": {"assess", "approve", "approve_catalog", "read_register", "export"},
        "chef": {"read_register", "export"},
        "administrator": {
            "read_register",
            "export",
            "import_units",
            "manage_users",
            "verify_audit",
            "introduce_audit_key",
            "propose_catalog",
            "send_mail",
        },
        "enhetschef": {"read_own_units"},  # their own units, never the register
    }
    for role in ROLES:
        user = User(email=f"{role}@region.se", namn=role, roles=(role,))
        assert {a for a in PERMISSIONS if may(user, a)} == expected[role], role


def test_several_roles_add_up_and_an_inactive_user_may_do_nothing() -> None:
    both = User(email="a@region.se", namn="A", roles="chef|handlaggare")
    assert may(both, "assess") and may(both, "export")
    gone = both.model_copy(update={"active": False})
    assert not any(may(gone, a) for a in PERMISSIONS)
    assert not may(None, "read_register") and not may(both, "no_such_action")


def test_emails_are_lower_case_and_roles_known() -> None:
    assert User(email=" Anna.A@Region.SE ", namn="Anna").email == "anna.a@region.se"
    with pytest.raises(ValidationError):
        User(email="anna", namn="Anna")
    with pytest.raises(ValidationError):
        User(email="a@region.se", namn="A", roles=("superuser",))


@pytest.mark.parametrize(
    "email",
    [
        "\u0430nna@region.se",  # a Cyrillic а in a Latin name
        "anna@regi\u043en.se",  # a Cyrillic о in the domain
        "\u03bflof@region.se",  # a Greek ο
        "\uff41nna@region.se",  # a full-width a
    ],
)
def test_an_address_whose_letters_mix_alphabets_is_refused(email: str) -> None:
    with pytest.raises(ValidationError) as refused:
        User(email=email, namn="Anna")
    cause = refused.value.errors()[0]["ctx"]["error"]
    assert isinstance(cause, TextRefused) and cause.reason == "mixed_scripts"


def test_an_address_in_one_alphabet_a_part_is_kept() -> None:
    for email in ("åsa.öberg@region.se", "\u0438\u0432\u0430\u043d@region.se", "a1.b2@x-y.se"):
        assert User(email=email, namn="N").email == email


def test_each_role_gets_exactly_its_pages_and_no_role_gets_none() -> None:
    expected = {
        "handlaggare": ["oversikt", "bedomning", "beslut", "uppfoljning", "inforande"],
        "beslutsfattare": [
            "oversikt",
            "bedomning",
            "faststallande",
            "beslut",
            "uppfoljning",
            "inforande",
            "katalog",
        ],
        "chef": ["oversikt", "beslut", "uppfoljning", "inforande"],
        "administrator": [
            "oversikt",
            "beslut",
            "uppfoljning",
            "inforande",
            "katalog",
            "administration",
        ],
        "enhetschef": ["min_enhet"],
    }
    for role in ROLES:
        assert (
            pages_for(User(email=f"{role}@region.se", namn=role, roles=(role,))) == (expected[role])
        ), role
    assert pages_for(User(email="ny@region.se", namn="Ny")) == []
    assert pages_for(None) == []


def test_require_refuses_what_the_role_may_not() -> None:
    chef = User(email="c@region.se", namn="C", roles=("chef",))
    assert require(chef, "export") is chef
    with pytest.raises(PermissionDenied):
        require(chef, "assess")


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("", False),
        (None, False),
        ("10.1.2.3", False),
        ("example.org", False),
    ],
)
def test_local_mode_is_allowed_only_on_a_loopback_address(
    address: str | None, loopback: bool
) -> None:
    assert is_loopback(address) is loopback


def test_a_unit_manager_holds_units_by_hsa_id_sorted_once() -> None:
    a, b = "SE162321000255-A0001", "SE162321000255-B0001"
    held = User(email="e@region.se", namn="E", roles=("enhetschef",), units=f"{b}|{a}|{b}")
    assert held.units == (a, b)
    for bad in (f"{a}|{b.lower()}", f"{a};{b}", a + "X" * 20, "Vårdcentralen"):
        with pytest.raises(ValidationError):
            User(email="e@region.se", namn="E", units=bad)


def test_a_unit_manager_reads_the_units_they_hold_and_does_nothing_else_on_them() -> None:
    own, other = "SE162321000255-A0001", "SE162321000255-B0001"
    elin = User(email="e@region.se", namn="E", roles=("enhetschef",), units=(own,))
    assert may_on_unit(elin, "read_register", own)
    assert not may_on_unit(elin, "read_register", other)
    assert not may(elin, "read_register")  # never the register as a whole
    for action in ("export", "assess", "approve", "manage_users"):
        assert not may_on_unit(elin, action, own), action
    assert not may_on_unit(elin.model_copy(update={"active": False}), "read_register", own)
    chef = User(email="c@region.se", namn="C", roles=("chef",))
    assert may_on_unit(chef, "read_register", other) and not may_on_unit(None, "x", own)
    assert require(elin, "read_register", own) is elin
    with pytest.raises(PermissionDenied):
        require(elin, "read_register", other)


def test_every_action_is_said_in_words_in_the_audit_log() -> None:
    from logic.i18n import messages

    for action in {*PERMISSIONS, *ON_OWN_UNITS}:
        assert f"permission.{action}" in messages(), action


def test_every_role_has_a_demo_user_and_decision_makers_two() -> None:
    """Two decision-makers: one's own decision can be approved by the other in local mode."""
    roles = sorted(r for u in DEMO_USERS for r in u.roles)
    assert roles == sorted([*ROLES, "beslutsfattare"])


@pytest.mark.parametrize(
    ("client", "host", "headers", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8501", ["Host"], True),
        ("::1", "[::1]:8501", ["Host"], True),
        ("127.0.0.1", "localhost:8501", ["Host"], True),
        (None, None, [], True),  # no browser request to judge (AppTest)
        ("10.0.0.7", "127.0.0.1:8501", ["Host"], False),  # another computer
        ("127.0.0.1", "basutbud.region.se", ["Host"], False),  # DNS rebinding, or a proxy
        ("127.0.0.1", "127.0.0.1:8501", ["Host", "X-Forwarded-For"], False),  # via a proxy
    ],
)
def test_local_mode_serves_only_requests_from_this_computer(
    client: str | None, host: str | None, headers: list[str], allowed: bool
) -> None:
    assert local_request_allowed("127.0.0.1", client, host, headers) is allowed
    assert local_request_allowed("0.0.0.0", client, host, headers) is False
