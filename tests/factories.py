"""Test data builders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from logic.models import Unit
from logic.services import open_assessment, record_decision
from logic.store.store import Store, StoredRevision

BASE: dict[str, Any] = {
    "hsa_id": "SE162321000255-T0001",
    "namn": "Vårdcentralen Test",
    "forvaltning": "Primärvård Skåne",
    "enhetstyp": "mottagning",
    "verksamhet": "primarvard",
    "driftsform": "region",
    "avtalsanalys_klar": None,
    "vardutforande": True,
    "kontaktkort": True,
    "patientkontakt": True,
    "bokar_besok": True,
    "telefon_papper": ("kontakt", "fornya_recept", "av_omboka"),
    "e_tjanster": ("kontakt",),
}


def make_unit(**overrides: Any) -> Unit:
    return Unit.model_validate(BASE | overrides)


HEADER = "hsa_id;namn;forvaltning;enhetstyp;verksamhet;driftsform;avtalsanalys_klar;vardutforande;kontaktkort;patientkontakt;bokar_besok;telefon_papper;e_tjanster"  # noqa: E501
ROW = "SE162321000255-T0001;Vårdcentralen Test;Primärvård Skåne;mottagning;primarvard;region;;ja;ja;ja;ja;kontakt|fornya_recept;kontakt"  # noqa: E501


def decide(
    store: Store, hsa_id: str, actor: str = "anna", today: dt.date | None = None, **fields: Any
) -> StoredRevision:
    """Record a decision through the real services: open the unit, fill in what a valid
    decision needs (overridable), record."""
    draft = open_assessment(store, hsa_id, actor).draft
    values = {
        "response_time": "samma_vardag",
        "outcome": "omfattas",
        "decision_text": "Beslut.",
        "rationale": "Motivering.",
    } | fields
    return record_decision(store, draft.model_copy(update=values), actor, today)
