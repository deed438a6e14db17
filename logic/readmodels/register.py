"""Beslut's page of the register and the administrations the filters offer, kept until
something is written (kept.py): the page reruns on every widget, and counting the rows a
filter matches grows with the register. Each reader gets a list of their own."""

from __future__ import annotations

import datetime as dt

from logic.domain.catalog import Catalog
from logic.domain.register import RegisterFilter, RegisterRow, RegisterView
from logic.readmodels.kept import Kept
from logic.readmodels.to_review import decisions_to_review, to_review_ids
from logic.store import readmodel_register as register_rows
from logic.store.store import Tx

_PAGES: Kept[tuple[list[RegisterRow], int]] = Kept()
_ADMINISTRATIONS: Kept[list[str]] = Kept()


def register_page(
    tx: Tx, view: RegisterView, today: dt.date, cat: Catalog
) -> tuple[list[RegisterRow], int]:
    """One page of the register and the number of rows the filter matches."""
    review = review_ids(tx, view.filter, cat, today)
    rows, total = _PAGES.get(
        tx,
        (view, today, cat.version),
        lambda: register_rows.register_page(tx, view, today, review),
    )
    return list(rows), total


def review_ids(tx: Tx, f: RegisterFilter, cat: Catalog, today: dt.date) -> list[str]:
    """For the filter "bör omprövas": the units whose decisions should be reviewed."""
    return to_review_ids(decisions_to_review(tx, cat, today)) if f.bor_omprovas else []


def forvaltningar(tx: Tx) -> list[str]:
    """The administrations in the register, for filters."""
    return list(_ADMINISTRATIONS.get(tx, (), lambda: register_rows.forvaltningar(tx)))
