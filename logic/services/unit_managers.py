"""What a unit manager (enhetschef) does with their own units. Which units they hold is
kept by administrators (services/users.py); here the units come from the user table as it
stands when the action runs (unit_of_work reads the user afresh), never from the page or
the request: a unit manager cannot reach a unit they do not hold by naming it."""

from __future__ import annotations

from logic.domain.auth import User
from logic.domain.register import RegisterRow
from logic.services.unit_of_work import unit_of_work
from logic.store import readmodel_register as register_rows
from logic.store.store import Store

__all__ = ["my_units"]


def my_units(store: Store, user: User) -> list[RegisterRow]:
    """The units the signed-in unit manager holds, as the register shows them."""
    with unit_of_work(store, user, "read_own_units", readonly=True) as work:
        return register_rows.rows_of_units(work.tx, work.user.units)
