"""Who may do what: the roles, the users that hold them, and the permission matrix.

Users are kept by administrators (by e-mail); a user may hold several roles; nobody is ever
deleted, only deactivated, so the record of who decided what stays readable.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, field_validator

Role = Literal["handlaggare", "beslutsfattare", "chef", "administrator"]
ROLES: tuple[str, ...] = get_args(Role)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Action -> the roles that may take it. Pages and services ask the same table.
PERMISSIONS: dict[str, frozenset[str]] = {
    "assess": frozenset({"handlaggare", "beslutsfattare"}),
    "approve": frozenset({"beslutsfattare"}),
    "read_register": frozenset({"handlaggare", "beslutsfattare", "chef", "administrator"}),
    "export": frozenset({"chef", "beslutsfattare", "administrator"}),
    "import_units": frozenset({"administrator"}),
    "manage_users": frozenset({"administrator"}),
    "verify_audit": frozenset({"administrator"}),
}


class User(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    email: str
    namn: str
    roles: tuple[Role, ...] = ()
    active: bool = True

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.lower()
        if not EMAIL.match(value) or len(value) > 254:
            raise ValueError("not an e-mail address")
        return value

    @field_validator("roles", mode="before")
    @classmethod
    def _roles(cls, value: object) -> object:
        if isinstance(value, str):
            value = [r for r in value.split("|") if r]
        if isinstance(value, list | tuple | set | frozenset):
            return tuple(sorted(set(value)))
        return value


def may(user: User | None, action: str) -> bool:
    """May this user take this action? Inactive users and unknown actions: no."""
    if user is None or not user.active:
        return False
    return bool(PERMISSIONS.get(action, frozenset()) & set(user.roles))
