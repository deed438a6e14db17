"""A recommendation explained: a unit that gives no care but has a contact card is assigned
the variant for other units (varianter.yaml's first assignment, vardutforande: nej), the
reference data's conditions read yes/no facts as the unit file writes them, and the trace
says what each rule that fired is about."""

from __future__ import annotations

import datetime as dt

from logic.domain.rules import facts, recommend
from logic.files.reference_data import catalog
from tests.factories import make_unit

CAT = catalog()
TODAY = dt.date(2026, 11, 25)


def test_a_unit_giving_no_care_with_a_contact_card_gets_the_variant_for_other_units() -> None:
    office = make_unit(vardutforande=False, kontaktkort=True)  # a primary-care reception
    rec = recommend(office, CAT, TODAY)
    assert (rec.outcome, rec.variant) == ("omfattas", "ovrig_enhet")
    assert recommend(make_unit(), CAT, TODAY).variant == "primarvard"  # the same, giving care


def test_yes_no_facts_read_as_the_unit_file_writes_them() -> None:
    written = facts(make_unit(vardutforande=False, avtalsanalys_klar=None))
    assert (written["vardutforande"], written["kontaktkort"]) == ("nej", "ja")
    assert written["verksamhet"] == "primarvard" and "avtalsanalys_klar" not in written


def test_the_trace_says_what_each_rule_that_fired_is_about() -> None:
    """The reasons shown with a recommendation name the variant, the case types and the
    deadline's service each rule is about; so does the checklist."""
    unit = make_unit(telefon_papper=("kontakt", "fornya_recept", "stod_behandling"))
    rec = recommend(unit, CAT, TODAY)
    assert [(r.rule_id, r.detail) for r in rec.reasons] == [
        ("omfattas_vue", ()),
        ("variant_verksamhet", ("primarvard",)),
        ("minsta_niva_kontakt", ("kontakt",)),
        ("telefon_papper", ("fornya_recept", "kontakt", "stod_behandling")),
        ("utanfor_variant", ("stod_behandling",)),
        ("bokar_besok", ("av_omboka",)),
        ("frist_digital_kontakt", ("kontakt",)),
    ]
    assert [(c.rule_id, c.detail) for c in rec.checklist] == [
        ("utanfor_variant", ("stod_behandling",))
    ]
    ward = recommend(unit, CAT, TODAY, variant="avdelning")
    assert ("variant_vald", ("avdelning",)) in [(r.rule_id, r.detail) for r in ward.reasons]
    assert [(c.rule_id, c.detail) for c in ward.checklist] == [
        ("utanfor_variant", ("fornya_recept", "stod_behandling")),
        ("avdelning_anhoriga", ()),
    ]


def test_recommendations_for_many_units_are_each_units_own_and_dated_as_asked() -> None:
    from logic.domain.rules import Recommendations

    before_deadline = CAT.policy.deadline_digital_kontakt - dt.timedelta(days=1)
    recommendations = Recommendations(CAT, before_deadline)
    clinic, office = make_unit(e_tjanster=()), make_unit(vardutforande=False, e_tjanster=())
    twin = make_unit(hsa_id="SE162321000255-T0002", namn="Annan", e_tjanster=())
    assert recommendations(clinic).variant == "primarvard"
    assert recommendations(office).variant == "ovrig_enhet"
    assert recommendations(twin) is recommendations(clinic)  # the same facts: computed once
    assert recommendations(clinic).deadline_status == "inom_frist"
    assert recommendations(clinic) == recommend(clinic, CAT, before_deadline)
