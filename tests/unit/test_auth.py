"""Roles and permissions: the matrix pages and services will both ask."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from logic.auth import PERMISSIONS, ROLES, User, may


def test_each_role_may_do_exactly_its_actions() -> None:
    expected = {
        "handlaggare": {"assess", "read_register"},
        "beslutsfattare": {"assess", "approve", "read_register", "export"},
        "chef": {"read_register", "export"},
        "administrator": {
            "read_register",
            "export",
            "import_units",
            "manage_users",
            "verify_audit",
        },
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
