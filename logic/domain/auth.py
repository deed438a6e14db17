"""Who may do what: the roles, the users that hold them, and the permission matrix.

Users are kept by administrators (by e-mail); a user may hold several roles; nobody is ever
deleted, only deactivated, so the record of who decided what stays readable.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, field_validator

from logic.domain.errors import Refused
from logic.domain.models import HSA_ID, HSA_ID_MAX, TextRefused
from logic.domain.text import contains_personnummer, invisible_characters, scripts

# enhetschef: a unit manager, who sees and acts on the units they hold (User.units) only
Role = Literal["handlaggare", "beslutsfattare", "chef", "administrator", "enhetschef"]
ROLES: tuple[str, ...] = get_args(Role)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Action -> the roles that may take it. Pages and services ask the same table.
PERMISSIONS: dict[str, frozenset[str]] = {
    "assess": frozenset({"handlaggare", "beslutsfattare"}),  # open, save, submit
    "approve": frozenset({"beslutsfattare"}),
    "read_register": frozenset({"handlaggare", "beslutsfattare", "chef", "administrator"}),
    "export": frozenset({"chef", "beslutsfattare", "administrator"}),
    "import_units": frozenset({"administrator"}),
    "manage_users": frozenset({"administrator"}),
    "verify_audit": frozenset({"administrator"}),
    "introduce_audit_key": frozenset({"administrator"}),
    # the policy kept in the record: the regional team proposes, another person approves
    "propose_catalog": frozenset({"administrator"}),
    "approve_catalog": frozenset({"beslutsfattare"}),
    # a unit manager: their own units, never the register (every service asks the user's
    # units as well: logic/services/unit_managers.py)
    "read_own_units": frozenset({"enhetschef"}),
    # mail: the day's reminders written and the outbox sent (send-mail), the outbox read
    "send_mail": frozenset({"administrator"}),
}

# Page (its url_path) -> the actions that open it (any one suffices). Navigation is built
# from this, so a page a role may not use does not exist for it.
PAGES: dict[str, tuple[str, ...]] = {
    "oversikt": ("read_register",),
    "bedomning": ("assess",),
    "faststallande": ("approve",),
    "beslut": ("read_register",),
    "uppfoljning": ("read_register",),
    "inforande": ("read_register",),
    "katalog": ("propose_catalog", "approve_catalog"),
    "administration": ("manage_users", "import_units", "verify_audit"),
    "min_enhet": ("read_own_units",),
}


class User(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    email: str
    namn: str
    roles: tuple[Role, ...] = ()
    active: bool = True
    units: tuple[str, ...] = ()  # HSA-ids: the units a unit manager (enhetschef) holds

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.lower()
        if not EMAIL.match(value) or len(value) > 254:
            raise ValueError("not an e-mail address")
        # one that looks like another (a zero-width space) or carries an identity number
        if invisible_characters(value) or contains_personnummer(value):
            raise ValueError("not an e-mail address")
        if any(len(scripts(part)) > 1 for part in re.split(r"[@.]", value)):
            raise TextRefused("mixed_scripts")  # 'аnna' with a Cyrillic а: another address
        return value

    @field_validator("namn")
    @classmethod
    def _namn(cls, value: str) -> str:
        """A name as people write it: visible characters, never an identity number."""
        if contains_personnummer(value):
            raise TextRefused("personnummer")
        if invisible_characters(value) or "\n" in value or "\t" in value:
            raise TextRefused("invisible", chars=", ".join(invisible_characters(value)))
        return value

    @field_validator("roles", mode="before")
    @classmethod
    def _roles(cls, value: object) -> object:
        if isinstance(value, str):
            value = [r for r in value.split("|") if r]
        if isinstance(value, list | tuple | set | frozenset):
            return tuple(sorted(set(value)))
        return value

    @field_validator("units", mode="before")
    @classmethod
    def _units(cls, value: object) -> object:
        if isinstance(value, str):
            value = [u for u in value.split("|") if u]
        if isinstance(value, list | tuple | set | frozenset):
            value = tuple(sorted({str(u).strip() for u in value}))
            for hsa_id in value:
                if len(hsa_id) > HSA_ID_MAX or not HSA_ID.fullmatch(hsa_id):
                    raise ValueError(f"not an HSA-id: {hsa_id[:40]}")
        return value


def may(user: User | None, action: str) -> bool:
    """May this user take this action? Inactive users and unknown actions: no."""
    if user is None or not user.active:
        return False
    return bool(PERMISSIONS.get(action, frozenset()) & set(user.roles))


# What a unit manager may do on the units they hold (User.units): read one unit's decisions,
# documents and roll-out (as others do on every unit), acknowledge its decision in force and
# ask for a new assessment or an exemption (a unit manager's alone).
ON_OWN_UNITS: frozenset[str] = frozenset({"read_register", "acknowledge_decision", "ask", "report"})


def may_on_unit(user: User | None, action: str, hsa_id: str) -> bool:
    """May this user take this action on this unit: by a role that may take it on every
    unit, or as a unit manager on a unit they hold?"""
    return may(user, action) or (
        action in ON_OWN_UNITS
        and may(user, "read_own_units")
        and user is not None
        and hsa_id in user.units
    )


def pages_for(user: User | None) -> list[str]:
    """The pages this user may use, in navigation order; none for a user without a role."""
    return [page for page, actions in PAGES.items() if any(may(user, a) for a in actions)]


class PermissionDenied(Refused):
    """A service was asked for an action the user's roles do not allow."""

    def __init__(self, user: User | None, action: str):
        super().__init__(f"{user.email if user else 'anonymous'} may not {action}")
        self.user, self.action = user, action

    def words(self) -> tuple[str, dict[str, object]]:
        return "auth.denied", {}


def require(user: User | None, action: str, unit: str | None = None) -> User:
    """The user, if they may take the action (on `unit`, when the action is on one unit:
    may_on_unit); PermissionDenied otherwise. Every service asks
    (services/unit_of_work.py), whatever the page showed."""
    allowed = may(user, action) if unit is None else may_on_unit(user, action, unit)
    if user is None or not allowed:
        raise PermissionDenied(user, action)
    return user


# Who acts when no person does: seeding, refreshing cached recommendations, the command line
# (whoever has a shell on the server already holds the database).
SYSTEM = User(email="system@basutbud.local", namn="System", roles=("administrator",))

# Local mode's users, one per role, so each role can be tried without an identity provider.
DEMO_USERS: tuple[User, ...] = (
    User(email="hanna.handlaggare@demo.local", namn="Hanna Handläggare", roles=("handlaggare",)),
    User(
        email="bengt.beslutsfattare@demo.local",
        namn="Bengt Beslutsfattare",
        roles=("beslutsfattare",),
    ),
    User(  # a second one, so a decision-maker's own decision can be approved by another
        email="britta.beslutsfattare@demo.local",
        namn="Britta Beslutsfattare",
        roles=("beslutsfattare",),
    ),
    User(email="cecilia.chef@demo.local", namn="Cecilia Chef", roles=("chef",)),
    User(
        email="adam.administrator@demo.local", namn="Adam Administratör", roles=("administrator",)
    ),
    User(  # holds two of the sample units (data/sample/enheter.csv)
        email="elin.enhetschef@demo.local",
        namn="Elin Enhetschef",
        roles=("enhetschef",),
        units=("SE162321000255-DEMO0001", "SE162321000255-DEMO0002"),
    ),
)


def is_loopback(address: str | None) -> bool:
    """Does the server listen on a loopback address only? None or "" means every interface."""
    if not address:
        return False
    if address.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


# Headers a reverse proxy adds: a request that carries one did not come from this computer.
FORWARDING_HEADERS = frozenset({"forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip"})


def host_name(host: str) -> str:
    """ "127.0.0.1:8501" -> "127.0.0.1"; "[::1]:8501" -> "::1"; "localhost" -> "localhost"."""
    if host.startswith("["):
        return host[1 : host.find("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def local_request_allowed(
    server_address: str | None,
    client_ip: str | None,
    host: str | None,
    header_names: list[str],
) -> bool:
    """May local mode (anyone may be anyone) serve this request? Only when the server listens
    on loopback and the request itself comes from this computer: a loopback client, a
    loopback Host (no DNS rebinding), no proxy in between. None means "not known" (no
    browser request, as in tests); what is known must be loopback."""
    if not is_loopback(server_address):
        return False
    if client_ip is not None and not is_loopback(client_ip):
        return False
    if host and not is_loopback(host_name(host)):
        return False
    return not any(h.lower() in FORWARDING_HEADERS for h in header_names)
