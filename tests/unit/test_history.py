"""What changed between two revisions, as a decision-maker reads it: labels, not field paths
or codes; Ja/Nej, not True/False; nothing where nothing was given."""

from __future__ import annotations

import datetime as dt
import re

from logic.domain.assessment import Exemption, WardChecklist, decision_record, new_draft
from logic.domain.rules import recommend
from logic.files.reference_data import catalog
from logic.presentation.frames import field_label, field_value
from logic.presentation.history import diff
from tests.factories import make_unit

CAT = catalog()
TODAY = dt.date(2026, 11, 25)
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # e.g. ej_omfattad, endast_akut, decision.outcome


def revision(**fields: object) -> dict[str, object]:
    unit = make_unit()
    draft = new_draft(unit).model_copy(update=fields)
    record = decision_record(draft, recommend(draft.unit, CAT, TODAY), CAT, TODAY)
    return {"inputs": draft.unit.model_dump(mode="json"), "decision": record | {"editors": []}}


def test_every_change_between_two_revisions_reads_in_words() -> None:
    before = revision(outcome="omfattas", response_time="samma_vardag", rationale="Först.")
    after = revision(
        unit=make_unit(bokar_besok=False),
        outcome="delvis_undantagen",
        variant="specialistmottagning",
        variant_justification="Arbetar som specialistmottagning.",
        response_time="nasta_vardag",
        citizen_informed=True,
        rationale="Sedan.",
        ward=WardChecklist(ask_patient=True),
        exemption=Exemption(
            scope="per_arendetyp",
            case_types=("kontakt",),
            grounds=("erbjuds_inte",),
            rationale="Skäl.",
            review_date=dt.date(2027, 5, 1),
        ),
        justifications={"utfall": "För att.", "lagstaniva": "Läggs ned."},
    )
    after["decision"]["editors"] = ["anna@region.se", "bertil@region.se"]  # type: ignore[index]
    changes = diff(before, after)
    shown = {
        field_label(c.field, "sv"): (
            field_value(c.field, c.before, CAT, "sv"),
            field_value(c.field, c.after, CAT, "sv"),
        )
        for c in changes
    }
    for label, (old, new) in shown.items():
        assert not re.search(r"^(decision|inputs)\.|\[", label), label  # no field paths
        for text in (label, old, new):
            assert text not in ("True", "False", "None") and "None" not in text, (label, text)
            assert not CODE.search(text.replace("@region.se", "")), (label, text)
    assert shown[
        "Utlovad svarstid för skriftlig kontakt".replace(
            "Utlovad svarstid för skriftlig kontakt",
            "Enhetens utlovade svarstid för skriftlig kontakt",
        )
    ] == ("Senast samma vardag", "Senast nästa vardag")
    assert shown["Ärendetyper som undantas"] == ("–", "Kontakta oss / Skriv till oss")
    assert shown["Bokar enheten besök? (enhetens uppgifter)"] == ("Ja", "Nej")
    assert shown["Rättelser av registret"] == ("–", "Bokar enheten besök?: Ja → Nej")
    deviations = shown["Avvikelser från rekommendationen"][1]
    assert "lägstanivån undantas" in deviations and "(Läggs ned.)" in deviations
    # only what justifies a deviation the decision makes: "utfall" is not one of them here
    assert shown["Motiveringar till avvikelser"][1] == "Lägstanivån undantas: Läggs ned."
