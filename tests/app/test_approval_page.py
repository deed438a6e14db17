"""Fastställande through AppTest: a decision-maker approves or returns what an assessor
submitted; their own decisions are left to someone else."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from logic.domain.auth import DEMO_USERS
from logic.services.verdicts import return_decision, unit_verdicts
from logic.store.store import Store
from tests.app.conftest import BESLUTSFATTARE, HANDLAGGARE, new_app
from tests.factories import ANNA, BERIT, decide

CLINIC = "SE162321000255-DEMO0002"
BENGT = next(u for u in DEMO_USERS if u.email == BESLUTSFATTARE)


def approval_page() -> AppTest:
    at = new_app(BESLUTSFATTARE).run()
    at.switch_page("pages/faststallande.py").run()
    assert not at.exception
    return at


def test_approving_is_asked_and_can_be_cancelled(seeded: Store) -> None:
    decide(seeded, CLINIC, ANNA)
    at = approval_page()
    at.button(key="approval_approve").click().run()
    at.button(key="approval_confirm_no").click().run()
    assert not at.exception
    assert unit_verdicts(seeded, CLINIC, ANNA) == []
    assert not [b for b in at.button if b.key == "approval_confirm_yes"]  # the question closed
    assert [b for b in at.button if b.key == "approval_approve"]  # the decision still waits


def test_a_decision_maker_approves_a_submitted_decision(seeded: Store) -> None:
    revision = decide(seeded, CLINIC, ANNA, rationale="Enheten tar emot patienter.")
    at = approval_page()
    assert [h.strip("`") for h in at.table[0].value["Handläggare"]] == [ANNA.email]
    assert "Enheten tar emot patienter." in at.table[1].value.to_string()
    at.button(key="approval_approve").click().run()
    assert unit_verdicts(seeded, CLINIC, ANNA) == []  # asked first, nothing given yet
    assert "blir det gällande beslutet" in " ".join(m.value for m in at.markdown)
    at.button(key="approval_confirm_yes").click().run()
    assert not at.exception
    assert "är fastställt av `bengt.beslutsfattare@demo.local`" in at.success[0].value
    [approval] = unit_verdicts(seeded, CLINIC, ANNA)
    assert (approval.revision, approval.content_hash) == (revision.revision, revision.content_hash)
    assert "Inga beslut väntar" in at.info[0].value
    # the decision just approved, as the document that goes to the unit
    [document] = at.get("download_button")
    assert document.proto.label == "Beslutshandling (PDF)"


def test_a_return_needs_a_comment_and_reaches_the_assessors(seeded: Store) -> None:
    decide(seeded, CLINIC, ANNA)
    at = approval_page()
    at.button(key="approval_return").click().run()
    assert "kräver en kommentar" in at.error[0].value
    assert unit_verdicts(seeded, CLINIC, ANNA) == []
    at.text_area(key=f"w_approval_comment_{CLINIC}_1").input("Ange vilka e-tjänster som saknas.")
    at.button(key="approval_return").click().run()
    assert "återremitterat" in at.success[0].value
    assessor = new_app(HANDLAGGARE).run()
    returned = assessor.dataframe[0].value
    assert list(returned["Vad ska ändras"]) == ["Ange vilka e-tjänster som saknas."]


def test_a_decision_makers_own_decision_is_left_to_someone_else(seeded: Store) -> None:
    decide(seeded, CLINIC, BENGT)
    at = approval_page()
    assert "själv skrivit detta beslut" in at.warning[0].value
    assert not [b for b in at.button if b.key in ("approval_approve", "approval_return")]


def test_a_resubmitted_decision_shows_the_return_comment_and_what_changed(seeded: Store) -> None:
    first = decide(seeded, CLINIC, ANNA, rationale="Första motiveringen.")
    return_decision(
        seeded, CLINIC, first.revision, first.content_hash, "Ange svarstiden rätt.", BERIT
    )
    decide(seeded, CLINIC, ANNA, rationale="Rättad motivering.", response_time="inom_2_timmar")
    at = approval_page()
    assert any(
        "Återremitterat** av `berit@region.se`" in m.value and "Ange svarstiden rätt." in m.value
        for m in at.markdown
    )
    changes = at.table[-1].value
    assert changes.loc["Motivering", "Efter"] == "Rättad motivering."
    assert changes.loc["Enhetens utlovade svarstid för skriftlig kontakt", "Före"] == (
        "Senast samma vardag"
    )


def test_the_return_comment_stays_in_sight_while_the_unit_is_reassessed(seeded: Store) -> None:
    first = decide(seeded, CLINIC, ANNA)
    return_decision(seeded, CLINIC, first.revision, first.content_hash, "Ange svarstiden.", BERIT)
    at = new_app(HANDLAGGARE)
    at.query_params["unit"] = CLINIC
    at.run()
    at.switch_page("pages/bedomning.py").run()
    assert "Ange svarstiden." in at.warning[0].value  # on the decision shown first
    at.button(key="wizard_reassess").click().run()
    assert at.button(key="wizard_next")  # in the wizard now
    assert any("Ange svarstiden." in w.value for w in at.warning)


def test_someone_elses_verdict_does_not_move_the_selector_or_the_comment(seeded: Store) -> None:
    """Bengt has chosen the second decision and begun a comment; meanwhile Berit approves
    the first. Bengt's page still shows his choice, with his comment under it."""
    other = "SE162321000255-DEMO0004"
    first = decide(seeded, CLINIC, ANNA)
    decide(seeded, "SE162321000255-DEMO0003", ANNA)
    decide(seeded, other, ANNA)
    at = approval_page()
    [picker] = [s for s in at.selectbox if s.key.startswith("w_approval_pick_")]
    picker.select(other).run()
    at.text_area(key=f"w_approval_comment_{other}_1").input("Min kommentar.").run()
    from logic.services.verdicts import approve_decision

    approve_decision(seeded, CLINIC, first.revision, first.content_hash, BERIT)
    at.run()
    [picker] = [s for s in at.selectbox if s.key.startswith("w_approval_pick_")]
    assert picker.value == other
    assert at.subheader[0].value.endswith(other)
    assert at.text_area(key=f"w_approval_comment_{other}_1").value == "Min kommentar."
    at.button(key="approval_return").click().run()
    [verdict] = unit_verdicts(seeded, other, ANNA)
    assert (verdict.verdict, verdict.comment) == ("aterremitterad", "Min kommentar.")
