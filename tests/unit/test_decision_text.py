"""The decision text is made from the structured decision alone: it says what is decided."""

from __future__ import annotations

from typing import Any

import pytest

from logic.domain.decision_text import decision_text
from logic.files.reference_data import catalog
from logic.i18n import t

CAT = catalog()
NONE = {"scope": "ingen", "case_types": [], "grounds": [], "other_ground": "", "review_date": None}


def record(**overrides: Any) -> dict[str, Any]:
    return {
        "outcome": "omfattas",
        "variant": "specialistmottagning",
        "required": ["kontakt", "fornya_recept"],
        "missing": ["fornya_recept"],
        "exemption": NONE,
        "response_time": "samma_vardag",
    } | overrides


def test_in_scope_names_variant_requirements_and_response_time() -> None:
    assert decision_text(record(), "Enheten", CAT, "sv", t) == (
        "Enheten: Omfattas. Variant: Specialistmottagning. "
        "E-tjänster som krävs: Kontakta oss / Skriv till oss, Förnya recept. "
        "Saknas i dag: Förnya recept. Utlovad svarstid: Senast samma vardag."
    )


def test_partly_exempt_names_what_is_exempted_why_and_until_when() -> None:
    ex = NONE | {
        "scope": "per_arendetyp",
        "case_types": ["boka_tid"],
        "grounds": ["medicinska_skal_avbokning"],
        "other_ground": "Egen grund",
        "review_date": "2027-05-25",
    }
    text = decision_text(record(outcome="delvis_undantagen", exemption=ex), "E", CAT, "sv", t)
    assert "E: Delvis undantagen. Variant:" in text
    assert "Ärendetyper som undantas: Boka tid / Beställ tid." in text
    assert f"Grund för undantaget: {CAT.ground('medicinska_skal_avbokning').name('sv')}; " in text
    assert "Egen grund." in text and "Undantaget omprövas senast 2027-05-25." in text


@pytest.mark.parametrize("outcome", ["undantagen", "ej_omfattad", "avvaktar"])
def test_no_requirements_or_response_time_where_none_apply(outcome: str) -> None:
    ex = NONE | {"scope": "hela_enheten", "grounds": ["ingen_patientkontakt"]}
    text = decision_text(record(outcome=outcome, exemption=ex), "E", CAT, "sv", t)
    assert "krävs" not in text and "svarstid" not in text and "Variant" not in text
    assert ("Grund för undantaget" in text) == (outcome == "undantagen")


def test_dropping_digital_contact_is_said_in_the_text() -> None:
    ex = NONE | {"scope": "per_arendetyp", "case_types": ["kontakt"], "grounds": ["erbjuds_inte"]}
    deviation = {"code": "lagstaniva", "recommended": "kontakt", "chosen": "undantas"}
    text = decision_text(
        record(outcome="delvis_undantagen", exemption=ex, deviations=[deviation]), "E", CAT, "sv", t
    )
    assert text.endswith(
        "Beslutet avviker från basutbudets lägsta nivå: att kunna kontakta enheten digitalt."
    )
    assert "lägsta nivå" not in decision_text(record(deviations=[]), "E", CAT, "sv", t)


def test_english_for_a_reader_who_asks() -> None:
    assert (
        decision_text(record(outcome="ej_omfattad"), "Unit", CAT, "en", t) == "Unit: Not in scope."
    )
