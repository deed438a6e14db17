"""Beslut's page of the register and the administrations the filters offer, kept until
something is written (kept.py): the page reruns on every widget, and counting the rows a
filter matches grows with the register. Each reader gets a list of their own."""

from __future__ import annotations

import datetime as dt

from logic.domain.register import RegisterRow, RegisterView
from logic.readmodels.kept import Kept
from logic.store import readmodel_register as register_rows
from logic.store.store import Tx

_PAGES: Kept[tuple[list[RegisterRow], int]] = Kept()
_ADMINISTRATIONS: Kept[list[str]] = Kept()


def register_page(tx: Tx, view: RegisterView, today: dt.date) -> tuple[list[RegisterRow], int]:
    """One page of the register and the number of rows the filter matches."""
    rows, total = _PAGES.get(
        tx, (view, today), lambda: register_rows.register_page(tx, view, today)
    )
    return list(rows), total


def forvaltningar(tx: Tx) -> list[str]:
    """The administrations in the register, for filters."""
    return list(_ADMINISTRATIONS.get(tx, (), lambda: register_rows.forvaltningar(tx)))
