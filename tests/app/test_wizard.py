"""Bedömning through AppTest: every step, every validation error, resume, takeover, conflict."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from logic.services.assessment import open_assessment, submit_decision, take_over_draft
from logic.services.register import unit_history
from logic.services.verdicts import approve_decision
from logic.store.store import Store
from tests.app.conftest import new_app
from tests.factories import ANNA, BERIT, BERTIL

WARD = "SE162321000255-DEMO0055"  # Kirurgavdelningen Trelleborg: a ward without e-services
CLINIC = "SE162321000255-DEMO0002"  # a primary-care clinic missing some e-services
PROCURED = "SE162321000255-DEMO0071"  # procured, contract analysis not stated


def open_unit(hsa_id: str) -> AppTest:
    at = new_app()
    at.query_params["unit"] = hsa_id
    at.run()
    at.switch_page("pages/bedomning.py").run()
    assert not at.exception
    return at


def step(at: AppTest) -> str:
    return at.subheader[0].value


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def next_step(at: AppTest) -> AppTest:
    return at.button(key="wizard_next").click().run()


def to_step(at: AppTest, name: str) -> AppTest:
    for _ in range(7):
        if step(at) == name:
            return at
        boxes = {b.key: b for b in at.selectbox}
        if "w_response_time" in boxes and boxes["w_response_time"].value is None:
            boxes["w_response_time"].select("samma_vardag")
        next_step(at)
        assert not at.exception
    raise AssertionError(f"never reached {name}; stuck at {step(at)}: {errors(at)}")


def record(at: AppTest) -> AppTest:
    at.button(key="wizard_record").click().run()
    at.button(key="confirm_yes").click().run()
    return at


def actions(store: Store) -> list[str]:
    with store.transaction() as tx:
        return [e.action for e in tx.audit.events()]


def test_recording_is_one_action_and_nothing_is_saved_twice(seeded: Store) -> None:
    at = to_step(open_unit(CLINIC), "Beslut")
    before = actions(seeded)
    at.text_area(key="w_rationale").input("Enheten ska erbjuda sina tjänster digitalt.").run()
    assert actions(seeded)[len(before) :] == ["save_draft"]  # saved as it was typed
    at.button(key="wizard_record").click().run()
    assert [b.key for b in at.button if b.key == "confirm_yes"], "the confirmation dialog is open"
    opened = actions(seeded)
    assert opened[len(before) :] == ["save_draft"]  # not saved again for the confirmation
    at.button(key="confirm_yes").click().run()
    assert actions(seeded)[len(opened) :] == ["submit_decision"]
    [revision] = unit_history(seeded, CLINIC, ANNA)
    assert revision.rationale == "Enheten ska erbjuda sina tjänster digitalt."


def test_a_ward_goes_through_every_step_to_a_recorded_decision(seeded: Store) -> None:
    at = open_unit(WARD)
    assert at.header[0].value.startswith("Kirurgavdelningen Trelleborg")
    assert step(at) == "Enheten"
    assert "Steg 1 av 7" in at.progress[0].proto.text
    names = ["Enheten", "Omfattning", "Kanaler", "Variant"]
    for name in names[1:]:
        next_step(at)
        assert step(at) == name
    # the ward checklist: relatives' questions in four parts (OSL 25 kap. 1 §), discharged
    labels = [c.label for c in at.checkbox if c.key.startswith("w_ward_")]
    assert labels[0].startswith("När en anhörig frågar om en inlagd patient tillfrågas")
    assert any("medvetslös eller sövd" in label for label in labels)
    assert any("besöksregler" in label for label in labels)
    assert any("inte lider men (OSL 25 kap. 1 §)" in label for label in labels)
    for box in [c for c in at.checkbox if c.key.startswith("w_ward_")][:-1]:
        box.check()
    next_step(at)
    assert step(at) == "Undantag"
    next_step(at)
    assert step(at) == "Svarstid"
    next_step(at)
    assert errors(at)[-1] == "Välj ett alternativ."  # no response time chosen
    at.selectbox(key="w_response_time").select("samma_vardag")
    next_step(at)
    assert step(at) == "Beslut"
    assert at.radio(key="w_outcome").value == "omfattas"
    assert any("Kontakta oss" in m.value for m in at.markdown)  # the generated text
    assert any("checklista" in w.value for w in at.warning)  # not every point confirmed
    at.text_area(key="w_rationale").input("Avdelningen ska kunna kontaktas digitalt.")
    at.button(key="wizard_record").click().run()
    assert [b.key for b in at.button if b.key == "confirm_yes"], "the confirmation dialog is open"
    at.button(key="confirm_yes").click().run()
    assert not at.exception
    submitted = "skickat för fastställande som revision 1 av `hanna.handlaggare@demo.local`"
    assert submitted in at.success[0].value
    [revision] = unit_history(seeded, WARD, ANNA)
    assert revision.author == "hanna.handlaggare@demo.local"
    assert revision.decision["rationale"] == "Avdelningen ska kunna kontaktas digitalt."
    assert revision.decision["ward"] == {
        "ask_patient": True,
        "cannot_consent": True,
        "general_questions": True,
        "release_rule": True,
        "discharged_routine": False,  # left unchecked: recorded so, and said before submitting
    }
    assert revision.variant == "avdelning"
    assert "avdelning_anhoriga" in revision.recommendation.rule_ids
    assert revision.catalog_version


def test_exemption_without_ground_rationale_or_review_date_is_refused_at_the_field(
    seeded: Store,
) -> None:
    at = to_step(open_unit(WARD), "Undantag")
    at.radio(key="w_ex_scope").set_value("hela_enheten").run()
    at.date_input(key="w_ex_review_date").set_value(None)
    next_step(at)
    assert step(at) == "Undantag"
    assert errors(at) == [
        "Rätta det som är markerat nedan innan du går vidare.",
        "Välj minst en grund för undantaget.",
        "Motivera undantaget: varför ska enheten (eller ärendetyperna) undantas?",
        "Ange när undantaget ska omprövas.",
    ]
    at.multiselect(key="w_ex_grounds").select("under_avveckling")
    at.text_area(key="w_ex_rationale").input("Avdelningen stänger i mars.")
    at.date_input(key="w_ex_review_date").set_value("2027-06-30")
    next_step(at)
    assert step(at) == "Svarstid"
    assert "ingen svarstid behövs" in at.info[-1].value


def test_a_slip_to_no_exemption_loses_nothing_and_decides_nothing(seeded: Store) -> None:
    """ "Inget undantag" clicked by mistake: what was typed comes back with the scope, and
    a decision without an exemption records none of it."""
    at = to_step(open_unit(WARD), "Undantag")
    at.radio(key="w_ex_scope").set_value("hela_enheten").run()
    at.multiselect(key="w_ex_grounds").select("under_avveckling").run()
    at.text_area(key="w_ex_rationale").input("Avdelningen stänger i mars.").run()
    at.radio(key="w_ex_scope").set_value("ingen").run()
    at.run()  # a rerun later (the fields are not shown now)
    at.radio(key="w_ex_scope").set_value("hela_enheten").run()
    assert at.text_area(key="w_ex_rationale").value == "Avdelningen stänger i mars."
    assert at.multiselect(key="w_ex_grounds").value == ["under_avveckling"]
    at.radio(key="w_ex_scope").set_value("ingen").run()
    at = to_step(at, "Beslut")
    at.text_area(key="w_rationale").input("Avdelningen ska kunna kontaktas digitalt.").run()
    record(at)
    [revision] = unit_history(seeded, WARD, ANNA)
    assert revision.decision["exemption"]["scope"] == "ingen"
    assert revision.decision["exemption"]["rationale"] == ""  # typed, never decided
    assert revision.grounds == () and revision.review_date is None


def test_variant_change_without_justification_is_refused(seeded: Store) -> None:
    at = to_step(open_unit(CLINIC), "Variant")
    at.selectbox(key="w_variant").select("specialistmottagning").run()
    next_step(at)
    assert step(at) == "Variant"
    assert (
        errors(at)[-1] == "Motivera varför enheten ska ha en annan variant än den rekommenderade."
    )
    at.text_area(key="w_variant_justification").input("Mottagningen har specialister.")
    next_step(at)
    assert step(at) == "Undantag"


def test_a_deviation_from_the_recommendation_needs_a_justification(seeded: Store) -> None:
    at = to_step(open_unit(CLINIC), "Beslut")
    at.radio(key="w_outcome").set_value("avvaktar").run()
    at.text_area(key="w_rationale").input("Vi inväntar besked.")
    at.button(key="wizard_record").click().run()
    assert errors(at)[-1].startswith("Beslutet avviker från rekommendationen. Motivera")
    assert not [b for b in at.button if b.key == "confirm_yes"]
    assert "Ange när avtalsanalysen väntas vara klar." in errors(at)  # asked, never assumed
    at.text_area(key="w_justification_utfall").input("Verksamheten omorganiseras.")
    too_late = dt.date.today() + dt.timedelta(days=5 * 366)
    at.date_input(key="w_analysis_expected").set_value(too_late).run()
    at.button(key="wizard_record").click().run()
    assert any(e.startswith("Datumet måste ligga mellan") for e in errors(at))  # not replaced
    expected = dt.date.today() + dt.timedelta(days=60)
    at.date_input(key="w_analysis_expected").set_value(expected).run()
    record(at)
    [revision] = unit_history(seeded, CLINIC, ANNA)
    assert revision.outcome == "avvaktar"
    assert revision.decision["deviations"][0]["justification"] == "Verksamheten omorganiseras."
    # back in the review queue on the date the analysis is expected
    assert revision.review_date == expected
    assert revision.decision["analysis_expected"] == expected.isoformat()
    assert f"väntas vara klar senast {expected.isoformat()}" in revision.decision["decision_text"]


def test_patient_data_in_a_free_text_field_is_refused(seeded: Store) -> None:
    at = to_step(open_unit(CLINIC), "Beslut")
    at.text_area(key="w_rationale").input("Patienten 19800101-1234 klagade.")
    at.button(key="wizard_record").click().run()
    assert "personnummer" in errors(at)[-1]
    assert unit_history(seeded, CLINIC, ANNA) == []


def test_a_procured_unit_needs_the_contract_analysis_answered(seeded: Store) -> None:
    at = to_step(open_unit(PROCURED), "Omfattning")
    next_step(at)
    assert step(at) == "Omfattning" and errors(at)[-1] == "Välj ett alternativ."
    at.radio(key="w_avtalsanalys_klar").set_value(False)
    next_step(at)
    assert step(at) == "Kanaler"
    assert "Avvaktar avtalsanalys" in " ".join(m.value for m in at.markdown)
    at = to_step(at, "Beslut")
    assert at.radio(key="w_outcome").value == "avvaktar"
    at.text_area(key="w_rationale").input("Avtalsanalysen pågår.")
    expected = dt.date.today() + dt.timedelta(days=90)
    at.date_input(key="w_analysis_expected").set_value(expected).run()
    record(at)
    [revision] = unit_history(seeded, PROCURED, ANNA)
    assert (revision.outcome, revision.review_date) == ("avvaktar", expected)


def test_a_new_session_resumes_the_draft_where_it_stood(seeded: Store) -> None:
    first = to_step(open_unit(CLINIC), "Variant")
    assert step(first) == "Variant"
    again = open_unit(CLINIC)
    assert step(again) == "Variant"
    assert "Du fortsätter ditt utkast" in again.info[0].value


def test_what_is_typed_on_a_step_survives_a_reload_without_leaving_the_step(
    seeded: Store,
) -> None:
    """Every field is saved as it changes: a reload, a closed tab or a lost connection at
    any step restores exactly what was typed."""
    at = to_step(open_unit(CLINIC), "Svarstid")
    at.selectbox(key="w_response_time").select("nasta_vardag").run()
    at.checkbox(key="w_citizen_informed").check().run()
    again = open_unit(CLINIC)  # a reload: a new session
    assert step(again) == "Svarstid"
    assert again.selectbox(key="w_response_time").value == "nasta_vardag"
    assert again.checkbox(key="w_citizen_informed").value is True
    at = to_step(again, "Beslut")
    at.radio(key="w_outcome").set_value("avvaktar").run()
    at.text_area(key="w_rationale").input("Halvvägs skriven motivering").run()
    at.text_area(key="w_remark").input("En anmärkning").run()
    again = open_unit(CLINIC)
    assert step(again) == "Beslut"
    assert again.radio(key="w_outcome").value == "avvaktar"
    assert again.text_area(key="w_rationale").value == "Halvvägs skriven motivering"
    assert again.text_area(key="w_remark").value == "En anmärkning"
    # a text the record must never hold is refused at its field as typed, and not saved
    again.text_area(key="w_remark").input("Patient 19121212-1212").run()
    assert any("personnummer" in e for e in errors(again))
    assert open_unit(CLINIC).text_area(key="w_remark").value == "En anmärkning"


def test_corrections_are_kept_and_offered_to_the_register(seeded: Store) -> None:
    at = open_unit(CLINIC)
    at.text_input(key="w_namn").input("Vårdcentralen Södervärn, Malmö (demo)")
    next_step(at)
    at = to_step(at, "Beslut")
    assert at.checkbox(key="w_update_register").value is True
    at.text_area(key="w_rationale").input("Namnet rättat.")
    record(at)
    [revision] = unit_history(seeded, CLINIC, ANNA)
    assert revision.decision["corrections"]["namn"][1] == "Vårdcentralen Södervärn, Malmö (demo)"
    corrected = "Vårdcentralen Södervärn, Malmö (demo)"
    with seeded.transaction() as tx:
        assert tx.units.get(CLINIC).namn != corrected  # type: ignore[union-attr]
    approve_decision(seeded, CLINIC, revision.revision, revision.content_hash, BERIT)
    with seeded.transaction() as tx:
        assert tx.units.get(CLINIC).namn == corrected  # type: ignore[union-attr]


def test_a_second_person_sees_who_holds_the_draft_and_can_take_it_over(seeded: Store) -> None:
    open_assessment(seeded, WARD, BERTIL)
    at = open_unit(WARD)
    assert "`bertil@region.se` har ett öppet utkast" in at.warning[0].value
    assert not at.subheader or step(at) != "Enheten"  # no steps until taken over
    at.button(key="wizard_take_over").click().run()
    assert step(at) == "Enheten"
    with seeded.transaction() as tx:
        assert tx.drafts.get(WARD).holder == "hanna.handlaggare@demo.local"  # type: ignore[union-attr]


def test_a_stale_save_is_refused_and_the_typed_text_is_shown_for_copying(seeded: Store) -> None:
    at = to_step(open_unit(CLINIC), "Beslut")
    at.text_area(key="w_rationale").input("Min noggranna motivering.")
    # meanwhile a colleague takes the unit over and records a decision
    taken = take_over_draft(seeded, CLINIC, BERTIL)
    done = taken.draft.model_copy(
        update={
            "response_time": "samma_vardag",
            "outcome": "omfattas",
            "rationale": "Cecilias motivering.",
        }
    )
    submit_decision(seeded, done, BERTIL)
    at.button(key="wizard_record").click().run()
    assert not at.exception
    message = errors(at)[0]
    assert "nyare beslut" in message and "revision 1" in message
    assert "Min noggranna motivering." in [c.value for c in at.code]
    assert [r.author for r in unit_history(seeded, CLINIC, ANNA)] == [BERTIL.email]


def test_a_recording_refused_as_stale_after_confirmation_loses_nothing(seeded: Store) -> None:
    at = to_step(open_unit(CLINIC), "Beslut")
    at.text_area(key="w_rationale").input("Skriven före konflikten.")
    at.button(key="wizard_record").click().run()  # the confirmation dialog is open
    taken = take_over_draft(seeded, CLINIC, BERTIL)
    submit_decision(
        seeded,
        taken.draft.model_copy(
            update={
                "response_time": "samma_vardag",
                "outcome": "omfattas",
                "rationale": "Cecilias motivering.",
            }
        ),
        BERTIL,
    )
    at.button(key="confirm_yes").click().run()
    assert "nyare beslut" in errors(at)[0]
    assert "Skriven före konflikten." in [c.value for c in at.code]
    assert len(unit_history(seeded, CLINIC, ANNA)) == 1


def test_a_failure_in_a_button_callback_shows_a_plain_message_not_a_stack_trace(
    seeded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logic.services.assessment

    at = open_unit(CLINIC)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(logic.services.assessment, "save_draft", broken)
    at.run()  # the wizard calls the services through their module, so the patch holds
    next_step(at)
    assert not at.exception
    message = errors(at)[0]
    assert "Något gick fel" in message and "Felkod" in message
    assert "disk" not in message
    assert step(at) == "Enheten"  # nothing moved on


def test_an_identity_number_is_refused_at_its_field_even_when_going_back(seeded: Store) -> None:
    at = open_unit(CLINIC)
    at.text_input(key="w_namn").input("Vårdcentral 19121212–1212")  # with an en dash
    next_step(at)
    assert step(at) == "Enheten" and any("personnummer" in m for m in errors(at))
    at.text_input(key="w_namn").input("Vårdcentralen Test").run()
    to_step(at, "Beslut")
    at.text_area(key="w_rationale").input("Ring 121212 - 1212 om det.")
    at.button(key="wizard_back").click().run()  # a draft save is checked too
    assert step(at) == "Beslut" and any("personnummer" in m for m in errors(at))
    with seeded.transaction() as tx:  # nothing of it reached the database
        stored = tx.drafts.get(CLINIC)
        assert stored is not None and "1212" not in str(stored.data)


def test_two_tabs_of_one_person_keep_each_others_fields(seeded: Store) -> None:
    """The same person in two tabs on one draft: what each types is kept, never undone by
    the other's next save, and each tab shows the other's fields once it saves."""
    tab_a = to_step(open_unit(CLINIC), "Beslut")
    tab_b = open_unit(CLINIC)
    tab_a.text_area(key="w_rationale").input("Skrivet i flik A.").run()
    tab_b.text_area(key="w_remark").input("Skrivet i flik B.").run()
    fresh = open_unit(CLINIC)
    assert fresh.text_area(key="w_rationale").value == "Skrivet i flik A."
    assert fresh.text_area(key="w_remark").value == "Skrivet i flik B."
    assert tab_b.text_area(key="w_rationale").value == "Skrivet i flik A."  # shown in B too


def test_recording_from_one_tab_keeps_what_the_other_tab_saved(seeded: Store) -> None:
    """Tab A records without a change of its own since its last save, after tab B stored a
    field: the decision recorded holds B's field too (the confirmation lays this tab's
    fields over what is stored, as every save does), never A's older copy of the draft."""
    tab_a = to_step(open_unit(CLINIC), "Beslut")
    tab_a.text_area(key="w_rationale").input("Skrivet i flik A.").run()
    tab_b = open_unit(CLINIC)
    tab_b.text_area(key="w_remark").input("Skrivet i flik B.").run()
    record(tab_a)
    assert not tab_a.exception
    [revision] = unit_history(seeded, CLINIC, ANNA)
    assert revision.rationale == "Skrivet i flik A."
    assert revision.decision["remark"] == "Skrivet i flik B."


def test_a_rationale_from_a_decision_with_another_outcome_is_confirmed_or_rewritten(
    seeded: Store,
) -> None:
    at = to_step(open_unit(CLINIC), "Beslut")
    at.text_area(key="w_rationale").input("Enheten har alla förutsättningar.").run()
    record(at)
    [first] = unit_history(seeded, CLINIC, ANNA)
    approve_decision(seeded, CLINIC, first.revision, first.content_hash, BERIT)
    at = open_unit(CLINIC)
    at.button(key="wizard_reassess").click().run()
    at = to_step(at, "Beslut")
    at.radio(key="w_outcome").set_value("avvaktar").run()
    at.text_area(key="w_justification_utfall").input("Verksamheten omorganiseras.")
    at.date_input(key="w_analysis_expected").set_value(dt.date.today() + dt.timedelta(days=60))
    at.run()
    said = [i.value for i in at.info]
    assert any(
        s.startswith("Oförändrat sedan det tidigare beslutet (revision 1: Omfattas)")
        and "utfallet: motiveringen." in s
        for s in said
    ), said
    at.button(key="wizard_record").click().run()
    assert any(e.startswith("Beslutet är ett annat än det tidigare (Omfattas)") for e in errors(at))
    assert not [b for b in at.button if b.key == "confirm_yes"]
    at.checkbox(key="w_earlier_texts_confirmed").check().run()
    record(at)
    second = unit_history(seeded, CLINIC, ANNA)[-1]
    assert (second.revision, second.outcome) == (2, "avvaktar")
    assert second.rationale == "Enheten har alla förutsättningar."


def test_an_outcome_that_contradicts_an_earlier_step_is_said_at_once_with_a_way_back(
    seeded: Store,
) -> None:
    at = to_step(open_unit(CLINIC), "Beslut")
    assert not at.warning and not [b for b in at.button if b.key == "wizard_to_undantag"]
    at.radio(key="w_outcome").set_value("undantagen").run()
    assert [w.value for w in at.warning if w.value.startswith('"Undantagen" kräver att hela')]
    at.text_area(key="w_rationale").input("Skrivet innan jag gick tillbaka.").run()
    at.button(key="wizard_to_undantag").click().run()
    assert step(at) == "Undantag"  # taken back; nothing decided or cleared behind the user
    assert (
        open_assessment(seeded, CLINIC, ANNA).draft.rationale == "Skrivet innan jag gick tillbaka."
    )
