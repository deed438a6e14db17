"""A decision document per decision (PDF "Beslut"), on SQLite and PostgreSQL: everything the
revision holds, in words, who prepared and approved it, what seals it; a revision not in
force says so on every page; the same revision makes the same file; logged as exports are."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from pypdf import PdfReader

from logic.__main__ import main
from logic.domain.assessment import Exemption, review_bounds
from logic.domain.errors import UnknownRevision, UnknownUnit
from logic.files.reference_data import catalog
from logic.services.decision_documents import NoDecisions, decision_document, decision_documents
from logic.services.units import import_units
from logic.services.verdicts import approve_decision
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, CECILIA, HEADER, ROW, decide, on_day

TODAY = dt.date(2026, 11, 25)
HSA = "SE162321000255-T0001"
OTHER = "SE162321000255-T0002"


def text(pdf: bytes) -> str:
    """The document's text as a reader copies it (lines joined)."""
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def decided(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002").replace("Primärvård Skåne", "Psykiatri Skåne")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    review = review_bounds(TODAY, catalog())[1]
    decide(
        store,
        HSA,
        ANNA,
        approver=None,
        variant="specialistmottagning",
        variant_justification="Enheten arbetar som en mottagning för remitterade.",
        outcome="undantagen",
        response_time="",
        exemption=Exemption(
            scope="hela_enheten",
            grounds=("annat",),
            other_ground="Verksamheten flyttar till ny lokal",
            rationale="Under flytten kan ingen e-tjänst bemannas.",
            review_date=review,
        ),
        rationale="Beslutet gäller tills flytten är klar.",
        remark="Enheten hör av sig när de är på plats.",
        justifications={"undantag": "Flytten gör det omöjligt just nu."},
    )
    return store


def test_the_document_holds_the_whole_decision_and_who_made_it(decided: Store) -> None:
    pending = decision_document(decided, HSA, CECILIA)
    said = text(pending.data)
    for expected in (
        "EJ FASTSTÄLLT",  # not in force: on the page
        "Vårdcentralen Test",
        HSA,
        "Primärvård Skåne",
        "Undantagen",
        "Hela enheten",
        "Verksamheten flyttar till ny lokal",  # the ground described, not the prompt
        "Under flytten kan ingen e-tjänst bemannas.",
        "Beslutet gäller tills flytten är klar.",
        "Enheten hör av sig när de är på plats.",
        "Flytten gör det omöjligt just nu.",
        "Enheten arbetar som en mottagning för remitterade.",
        "Förvaltningslagen (2017:900) 6 §",
        ANNA.email,
        "Inte fastställt",
    ):
        assert expected in said, expected
    assert "Annat (beskriv)" not in said
    with decided.transaction() as tx:
        stored = tx.revisions.latest(HSA)
    assert stored is not None and stored.content_hash in said.replace(" ", "")
    assert pending.file_name == f"beslut-{HSA}-rev1.pdf"
    approve_decision(decided, HSA, 1, stored.content_hash, BERIT, "Godkänt efter dialog.")
    approved = text(decision_document(decided, HSA, CECILIA).data)
    assert "EJ FASTSTÄLLT" not in approved
    assert BERIT.email in approved and "Godkänt efter dialog." in approved


def test_the_same_revision_makes_the_same_file_and_each_is_logged(decided: Store) -> None:
    first = decision_document(decided, HSA, CECILIA, revision=1)
    again = decision_document(decided, HSA, ANNA, revision=1)
    assert first.data == again.data and first.sha256 == again.sha256
    with decided.transaction() as tx:
        logged = [e for e in tx.audit.events() if e.action == "decision_document"]
    assert [(e.actor, e.details["sha256"]) for e in logged] == [
        (CECILIA.email, first.sha256),
        (ANNA.email, first.sha256),
    ]
    english = text(decision_document(decided, HSA, CECILIA, lang="en").data)
    assert "NOT APPROVED" in english and "Exempt" in english


def test_an_unknown_unit_or_revision_is_refused_in_words(decided: Store) -> None:
    with pytest.raises(UnknownUnit):
        decision_document(decided, "SE162321000255-X9", CECILIA)
    with pytest.raises(UnknownRevision) as refused:
        decision_document(decided, HSA, CECILIA, revision=7)
    assert refused.value.words() == ("document.no_revision", {"hsa_id": HSA, "revision": 7})
    with pytest.raises(UnknownRevision):
        decision_document(decided, OTHER, CECILIA)  # never decided
    with pytest.raises(NoDecisions):
        decision_documents(decided, "Psykiatri Skåne", CECILIA)


def test_an_administrations_current_decisions_in_one_zip(decided: Store) -> None:
    decide(decided, OTHER, ANNA, approver=BERIT)
    file = decision_documents(decided, "Primärvård Skåne", CECILIA)
    names = zipfile.ZipFile(io.BytesIO(file.data)).namelist()
    assert names == [f"beslut-{HSA}-rev1.pdf"] and file.rows == 1
    assert decision_documents(decided, "Primärvård Skåne", CECILIA).data == file.data


def test_the_command_line_writes_the_document_whole(
    decided: Store,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import logic.__main__ as cli

    monkeypatch.setattr(cli, "_store", lambda: decided)
    out = tmp_path / "beslut.pdf"
    assert main(["decision-document", HSA, "--out", str(out)]) == 0
    assert out.read_bytes() == decision_document(decided, HSA, CECILIA).data
    zipped = tmp_path / "alla.zip"
    assert (
        main(["decision-document", "--forvaltning", "Primärvård Skåne", "--out", str(zipped)]) == 0
    )
    assert zipfile.ZipFile(zipped).namelist() == [f"beslut-{HSA}-rev1.pdf"]
    assert main(["decision-document", "--out", str(out)]) == 2  # which one, then?
