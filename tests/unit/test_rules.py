"""One test per rule, named after the policy sentence it encodes (seed: Frågor och svar)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from logic.domain.codes import CASE_TYPES, DRIFTSFORMER, ENHETSTYPER, VERKSAMHETER
from logic.domain.models import Unit
from logic.domain.rules import recommend
from logic.files.reference_data import catalog
from tests.factories import make_unit

CAT = catalog()
TODAY = dt.date(2026, 11, 25)


def rec(**overrides):  # type: ignore[no-untyped-def]
    return recommend(make_unit(**overrides), CAT, TODAY)


# --- Vilka enheter omfattas? ------------------------------------------------------------
def test_beslutet_omfattar_samtliga_vardutforande_enheter() -> None:
    r = rec(vardutforande=True, kontaktkort=False)
    assert r.outcome == "omfattas"
    assert "omfattas_vue" in r.rule_ids


def test_aven_ej_vardutforande_enheter_med_kontaktkort_omfattas() -> None:
    r = rec(
        vardutforande=False, kontaktkort=True, enhetstyp="ovrig", verksamhet="medicinsk_service"
    )
    assert r.outcome == "omfattas"
    assert r.variant == "ovrig_enhet"
    assert "omfattas_kontaktkort" in r.rule_ids


def test_enhet_varken_vardutforande_eller_med_kontaktkort_omfattas_inte() -> None:
    r = rec(vardutforande=False, kontaktkort=False, verksamhet="ovrigt", enhetstyp="ovrig")
    assert r.outcome == "ej_omfattad"
    assert r.required == () and r.missing == () and r.variant is None
    assert r.rule_ids == ("ej_omfattad",)
    assert r.deadline_status == "ej_tillamplig"


def test_avtalsparter_omfattas_utifran_sitt_avtal() -> None:
    assert rec(driftsform="avtal_vardval").outcome == "omfattas"


# --- Hur kommer detta beslut att påverka de privata aktörerna? ----------------------------
def test_for_upphandlade_enheter_pagar_en_analys_utifran_avtal_och_villkor() -> None:
    for klar in (None, False):
        r = rec(driftsform="avtal_upphandlad", avtalsanalys_klar=klar)
        assert r.outcome == "avvaktar_avtalsanalys"
        assert "avvaktar_avtalsanalys" in [c.rule_id for c in r.checklist]
        # still shows what would be required
        assert "kontakt" in r.required and r.variant == "primarvard"
    assert rec(driftsform="avtal_upphandlad", avtalsanalys_klar=True).outcome == "omfattas"


# --- Måste alla enheter som har patientkontakt ha e-tjänster? ----------------------------
def test_det_kan_finnas_undantag_bedomning_fran_fall_till_fall() -> None:
    r = rec(patientkontakt=False)
    assert r.outcome == "prova_undantag"
    assert "prova_undantag" in [c.rule_id for c in r.checklist]


# --- Hur bestäms vad som är ett relevant basutbud för en enhet? --------------------------
def test_den_lagsta_nivan_ar_att_kunna_kontakta_en_enhet_digitalt() -> None:
    r = rec(telefon_papper=(), e_tjanster=(), bokar_besok=False)
    assert r.required == ("kontakt",)
    assert r.missing == ("kontakt",)
    assert "minsta_niva_kontakt" in r.rule_ids


def test_tjanster_via_telefon_eller_papper_ska_ocksa_erbjudas_digitalt() -> None:
    r = rec(
        telefon_papper=("kontakt", "fornya_recept", "begar_intyg"),
        e_tjanster=("kontakt",),
        bokar_besok=False,
    )
    assert r.required == ("begar_intyg", "fornya_recept", "kontakt")
    assert r.missing == ("begar_intyg", "fornya_recept")
    reason = next(x for x in r.reasons if x.rule_id == "telefon_papper")
    assert set(reason.detail) == {"kontakt", "fornya_recept", "begar_intyg"}


def test_tjanst_utanfor_varianten_kravs_men_flaggas_for_granskning() -> None:
    r = rec(
        enhetstyp="mottagning",
        verksamhet="barnmorskemottagning",
        telefon_papper=("kontakt", "fornya_recept"),
    )
    assert "fornya_recept" in r.required
    assert r.outside_variant == ("fornya_recept",)
    assert "utanfor_variant" in [c.rule_id for c in r.checklist]


def test_av_och_omboka_ingar_om_man_bokar_patienter_for_besok() -> None:
    assert "av_omboka" in rec(bokar_besok=True, telefon_papper=("kontakt",)).required
    assert "av_omboka" not in rec(bokar_besok=False, telefon_papper=("kontakt",)).required
    # a ward's variant has no av_omboka, so booking alone does not require it
    ward = rec(enhetstyp="avdelning", bokar_besok=True, telefon_papper=("kontakt",))
    assert "av_omboka" not in ward.required


# --- Vad innebär basutbudet utifrån RD-beslutet? (variants) ------------------------------
def test_basutbudet_har_varianter_for_mottagning_avdelning_och_specialitet() -> None:
    expected = {
        "primarvard": "primarvard",
        "specialistvard": "specialistmottagning",
        "barnmorskemottagning": "barnmorskemottagning",
        "tandvard": "tandvard",
        "psykiatri": "psykiatri",
        "habilitering": "specialistmottagning",
        "medicinsk_service": "ovrig_enhet",
        "ovrigt": "ovrig_enhet",
    }
    for verksamhet, variant in expected.items():
        assert rec(verksamhet=verksamhet).variant == variant, verksamhet


def test_akutmottagning_far_avdelningens_variant_med_hanvisning_av_akuta_arenden() -> None:
    r = rec(enhetstyp="akutmottagning", verksamhet="specialistvard", bokar_besok=False)
    assert r.variant == "avdelning"
    assert "variant_akutmottagning" in [c.rule_id for c in r.checklist]


def test_habilitering_far_specialistmottagningens_variant_med_relevanta_tillagg() -> None:
    r = rec(verksamhet="habilitering", telefon_papper=("kontakt",), e_tjanster=("kontakt",))
    assert r.variant == "specialistmottagning"
    assert "variant_habilitering" in r.rule_ids
    assert {"fornya_hjalpmedel", "stod_behandling"} <= set(r.also_relevant)
    # what the unit offers already, or must offer (on paper now), is no suggestion
    offered = rec(verksamhet="habilitering", e_tjanster=("kontakt", "stod_behandling"))
    assert "stod_behandling" not in offered.also_relevant
    on_paper = rec(verksamhet="habilitering", telefon_papper=("kontakt", "fornya_hjalpmedel"))
    assert "fornya_hjalpmedel" in on_paper.required
    assert "fornya_hjalpmedel" not in on_paper.also_relevant


# --- Varför ska avdelningar ha e-tjänster? ------------------------------------------------
def test_aven_avdelningar_med_inneliggande_patienter_bor_ga_att_kontakta_digitalt() -> None:
    r = rec(
        enhetstyp="avdelning",
        verksamhet="specialistvard",
        bokar_besok=False,
        telefon_papper=(),
        e_tjanster=(),
    )
    assert r.variant == "avdelning"
    assert r.required == ("kontakt",)


def test_avdelning_far_checklista_for_anhorigas_fragor_osl_25_kap_1() -> None:
    r = rec(enhetstyp="avdelning", bokar_besok=False)
    item = next(c for c in r.checklist if c.rule_id == "avdelning_anhoriga")
    assert "OSL 25 kap. 1 §" in item.text.sv
    assert "25 kap. 1 §" in CAT.rule("avdelning_anhoriga").source


# --- När ska en e-tjänst för digital kontakt vara införd? ----------------------------------
def test_senast_30_september_2022_ska_digital_kontakt_vara_inford() -> None:
    assert CAT.policy.deadline_digital_kontakt == dt.date(2022, 9, 30)
    unit = make_unit(e_tjanster=())
    assert recommend(unit, CAT, dt.date(2022, 9, 30)).deadline_status == "inom_frist"
    assert recommend(unit, CAT, dt.date(2022, 10, 1)).deadline_status == "forsenad"
    assert rec(e_tjanster=("kontakt",)).deadline_status == "uppfylld"


def test_enhet_utan_kontaktkort_kan_inte_fa_e_tjanster_aktiverade() -> None:
    r = rec(kontaktkort=False)
    assert "saknar_kontaktkort" in [c.rule_id for c in r.checklist]


def test_every_reason_cites_a_source_and_the_catalog_version() -> None:
    r = rec(enhetstyp="avdelning")
    assert all(reason.source and reason.text.sv for reason in r.reasons)
    assert r.catalog_version == CAT.version


# --- Invariants (property tests) ----------------------------------------------------------
codes = st.frozensets(st.sampled_from(CASE_TYPES))
units = st.builds(
    Unit,
    hsa_id=st.just("SE162321000255-P1"),
    namn=st.just("Enhet"),
    forvaltning=st.just("Förvaltning"),
    enhetstyp=st.sampled_from(ENHETSTYPER),
    verksamhet=st.sampled_from(VERKSAMHETER),
    driftsform=st.sampled_from(DRIFTSFORMER),
    avtalsanalys_klar=st.sampled_from([None, True, False]),
    vardutforande=st.booleans(),
    kontaktkort=st.booleans(),
    patientkontakt=st.booleans(),
    bokar_besok=st.booleans(),
    telefon_papper=codes,
    e_tjanster=codes,
)


@given(units)
def test_every_in_scope_unit_requires_kontakt(unit: Unit) -> None:
    r = recommend(unit, CAT, TODAY)
    in_scope = unit.vardutforande or unit.kontaktkort
    assert (r.outcome != "ej_omfattad") == in_scope
    if in_scope:
        assert "kontakt" in r.required
        assert set(unit.telefon_papper) <= set(r.required)
        assert r.variant is not None


@given(units)
def test_missing_is_required_minus_offered_and_every_reason_is_in_the_catalog(unit: Unit) -> None:
    r = recommend(unit, CAT, TODAY)
    assert set(r.missing) == set(r.required) - set(unit.e_tjanster)
    assert list(r.required) == sorted(r.required)
    ids = {rule.id for rule in CAT.rules}
    assert all(reason.rule_id in ids for reason in r.reasons)
    assert set(r.also_relevant).isdisjoint(r.required)
    assert set(r.also_relevant).isdisjoint(unit.e_tjanster)  # what it offers already is not
