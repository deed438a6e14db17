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
        "grounds": ["medicinska_skal_avbokning", "annat"],
        "other_ground": "Egen grund",
        "review_date": "2027-05-25",
    }
    text = decision_text(record(outcome="delvis_undantagen", exemption=ex), "E", CAT, "sv", t)
    assert "E: Delvis undantagen. Variant:" in text
    assert "Ärendetyper som undantas: Boka tid / Beställ tid." in text
    medical = CAT.ground("medicinska_skal_avbokning").name("sv")
    assert f"Grund för undantaget: {medical}; Egen grund." in text
    assert "Undantaget omprövas senast 2027-05-25." in text


def test_the_ground_other_is_the_ground_the_person_described_never_the_prompt() -> None:
    ex = NONE | {
        "scope": "hela_enheten",
        "grounds": ["annat"],
        "other_ground": "Verksamheten avvecklas",
        "review_date": "2027-05-25",
    }
    text = decision_text(record(outcome="undantagen", exemption=ex), "E", CAT, "sv", t)
    assert "Grund för undantaget: Verksamheten avvecklas." in text
    assert CAT.ground("annat").name("sv") not in text


def test_a_described_ground_is_not_named_when_other_is_not_chosen() -> None:
    ex = NONE | {
        "scope": "hela_enheten",
        "grounds": ["ingen_patientkontakt"],
        "other_ground": "Kvar från ett tidigare val",
        "review_date": "2027-05-25",
    }
    text = decision_text(record(outcome="undantagen", exemption=ex), "E", CAT, "sv", t)
    assert "Kvar från ett tidigare val" not in text


@pytest.mark.parametrize("outcome", ["undantagen", "ej_omfattad", "avvaktar"])
def test_no_requirements_or_response_time_where_none_apply(outcome: str) -> None:
    ex = NONE | {"scope": "hela_enheten", "grounds": ["ingen_patientkontakt"]}
    text = decision_text(record(outcome=outcome, exemption=ex), "E", CAT, "sv", t)
    assert "krävs" not in text and "svarstid" not in text and "Variant" not in text
    assert ("Grund för undantaget" in text) == (outcome == "undantagen")


def test_dropping_digital_contact_is_said_in_the_text() -> None:
    ex = NONE | {"scope": "per_arendetyp", "case_types": ["kontakt"], "grounds": ["erbjuds_inte"]}
    deviation = {
        "code": "lagstaniva",
        "recommended": "kontakt",
        "chosen": "undantas",
        "justification": "Enheten stänger i mars",
    }
    text = decision_text(
        record(outcome="delvis_undantagen", exemption=ex, deviations=[deviation]), "E", CAT, "sv", t
    )
    assert text.endswith(
        "Avvikelse från rekommendationen: lägstanivån undantas: enheten omfattas men ska inte"
        " kunna kontaktas digitalt (Kontakta oss / Skriv till oss), en avvikelse från själva"
        " basutbudsbeslutet. Skäl: Enheten stänger i mars."
    )
    assert "lägstanivå" not in decision_text(record(deviations=[]), "E", CAT, "sv", t)


@pytest.mark.parametrize(
    ("deviation", "said"),
    [
        (
            {"code": "variant", "recommended": "specialistmottagning", "chosen": "avdelning"},
            "annan variant (Specialistmottagning → Vårdavdelning)",
        ),
        (
            {"code": "undantag", "recommended": "ingen", "chosen": "hela_enheten"},
            "undantag för hela enheten trots att rekommendationen är att den omfattas",
        ),
        (
            {"code": "utfall", "recommended": "undantagen", "chosen": "omfattas"},
            "annat beslut än det som följer av rekommendationen (Undantagen → Omfattas)",
        ),
    ],
)
def test_every_deviation_is_named_with_its_reason(deviation: dict[str, str], said: str) -> None:
    text = decision_text(
        record(deviations=[deviation | {"justification": "Så beslöt nämnden!"}]), "E", CAT, "sv", t
    )
    assert text.endswith(f"Avvikelse från rekommendationen: {said}. Skäl: Så beslöt nämnden!")


def test_english_for_a_reader_who_asks() -> None:
    assert (
        decision_text(record(outcome="ej_omfattad"), "Unit", CAT, "en", t) == "Unit: Not in scope."
    )
