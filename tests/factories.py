"""Test data builders."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from logic.clock import region
from logic.domain.assessment import Draft, Exemption, grounds_for
from logic.domain.auth import User
from logic.domain.models import Unit
from logic.domain.record import StoredRevision
from logic.files.reference_data import catalog
from logic.services.assessment import open_assessment, submit_decision
from logic.services.verdicts import approve_decision
from logic.store.store import Store

# The roll-out's figures, which the projection (now) and the history must give alike.
FIGURES = ("tallies", "units", "late", "progress", "dates", "late_total", "kontakt_observed_since")

# One user per role (and a second assessor), as the services take them.
ANNA = User(email="anna@region.se", namn="Anna Handläggare", roles=("handlaggare",))
BERTIL = User(email="bertil@region.se", namn="Bertil Handläggare", roles=("handlaggare",))
BERIT = User(email="berit@region.se", namn="Berit Beslutsfattare", roles=("beslutsfattare",))
CECILIA = User(email="cecilia@region.se", namn="Cecilia Chef", roles=("chef",))
ADAM = User(email="adam@region.se", namn="Adam Administratör", roles=("administrator",))
ELIN = User(  # a unit manager holding the first test unit (ROW)
    email="elin@region.se",
    namn="Elin Enhetschef",
    roles=("enhetschef",),
    units=("SE162321000255-T0001",),
)

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


def completed(draft: Draft) -> Draft:
    """A draft filled in with what a valid decision needs (omfattas)."""
    return draft.model_copy(
        update={
            "response_time": "samma_vardag",
            "outcome": "omfattas",
            "rationale": "Enheten erbjuder recept via telefon och ska erbjuda det digitalt.",
        }
    )


def on_day(store: Store, day: dt.date) -> Store:
    """The store with its clock on `day` (from 09:00 in the region, a millisecond later at
    each reading, so the record's times run forward): every action then acts on that day."""
    start = dt.datetime.combine(day, dt.time(9), tzinfo=region()).astimezone(dt.UTC)
    ticks = itertools.count()
    return store.with_clock(lambda: start + dt.timedelta(milliseconds=next(ticks)))


def decide(
    store: Store,
    hsa_id: str,
    user: User = ANNA,
    approver: User | None = None,
    **fields: Any,
) -> StoredRevision:
    """Submit a decision through the real services: open the unit, fill in what a valid
    decision needs (overridable), submit; approved by `approver` if one is given."""
    draft = open_assessment(store, hsa_id, user).draft
    values = {
        "response_time": "samma_vardag",
        "outcome": "omfattas",
        "rationale": "Motivering.",
    } | fields
    revision = submit_decision(store, draft.model_copy(update=values), user)
    if approver is not None:
        approve_decision(store, hsa_id, revision.revision, revision.content_hash, approver)
    return revision


def exemption_of(store: Store, hsa_id: str, review_date: dt.date) -> Exemption:
    """An exemption of "Förnya recept" alone, on the unit's first ground for it, to be
    reviewed by `review_date` (as `decide(..., outcome="delvis_undantagen", exemption=...)`
    takes it)."""
    with store.transaction() as tx:
        unit = tx.units.get(hsa_id)
    assert unit is not None
    return Exemption(
        scope="per_arendetyp",
        case_types=("fornya_recept",),
        grounds=grounds_for(unit, "per_arendetyp", catalog())[:1],
        rationale="Skäl.",
        review_date=review_date,
    )
