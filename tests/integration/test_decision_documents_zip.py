"""An administration's decisions in one ZIP: each of its units' newest revision (none of
another administration's, none for a unit never decided), in HSA-id order, each the very
PDF the unit's own document is in the language asked for, with the verdict given on it;
refused in words when it has none; on the record with the revisions and the SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from logic.domain.auth import User
from logic.domain.errors import UnknownUnit
from logic.files import decision_document as document_file
from logic.services.decision_documents import NoDecisions, decision_document, decision_documents
from logic.services.units import import_units
from logic.services.users import save_user
from logic.services.verdicts import approve_decision
from logic.store.revisions import RevisionRows
from logic.store.schema import audit_events
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, CECILIA, HEADER, ROW, decide, on_day

TODAY = dt.date(2026, 11, 25)
OTHER = "Psykiatri Skåne"
# another administration's unit first in HSA-id order, and one never decided between
A1, A2, A3, B1 = (f"SE162321000255-T000{i}" for i in (1, 2, 3, 0))


@pytest.fixture
def decided(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW.replace("T0001", h[-5:]) for h in (A1, A2, A3)]
    rows.append(ROW.replace("T0001", B1[-5:]).replace("Primärvård Skåne", OTHER))
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    decide(store, A3, ANNA, approver=BERIT)  # approved: its verdict in the document
    decide(store, A1, ANNA, approver=BERIT)
    decide(store, A1, ANNA, rationale="Andra gången.")  # revision 2, waiting
    decide(store, B1, ANNA, approver=BERIT)  # another administration's
    return store  # A2: never decided


def test_the_zip_holds_each_unit_s_newest_decision_as_its_own_document(decided: Store) -> None:
    delivered: list[bytes] = []
    made = decision_documents(decided, "Primärvård Skåne", CECILIA, "en", delivered.append)
    assert delivered == [made.data]
    assert (made.file_name, made.media_type, made.rows) == (
        "beslut-Primärvård Skåne.zip",
        "application/zip",
        2,
    )
    assert made.sha256 == hashlib.sha256(made.data).hexdigest()
    archive = zipfile.ZipFile(io.BytesIO(made.data))
    names = archive.namelist()
    assert names == [f"beslut-{A1}-rev2.pdf", f"beslut-{A3}-rev1.pdf"]
    for name, (hsa_id, revision) in zip(names, [(A1, 2), (A3, 1)], strict=True):
        alone = decision_document(decided, hsa_id, CECILIA, revision, lang="en")
        assert archive.read(name) == alone.data  # the same document, verdict and language
    assert archive.read(names[1]) != decision_document(decided, A3, CECILIA, 1).data  # sv

    with decided.transaction() as tx:
        statement = select(audit_events.c.action, audit_events.c.details)
        events = tx.connection.execute(statement.order_by(audit_events.c.id)).all()
    zipped = [details for action, details in events if action == "decision_documents"]
    assert zipped == [
        {
            "forvaltning": "Primärvård Skåne",
            "revisions": [f"{A1} rev 2", f"{A3} rev 1"],
            "lang": "en",
            "sha256": made.sha256,
        }
    ]


def test_an_administration_without_decisions_is_refused_in_words(decided: Store) -> None:
    with pytest.raises(NoDecisions) as refused:
        decision_documents(decided, "Ängelholms sjukhus", CECILIA)
    assert refused.value.forvaltning == "Ängelholms sjukhus"
    assert refused.value.words() == (
        "document.none_in_forvaltning",
        {"forvaltning": "Ängelholms sjukhus"},
    )


def test_one_decision_s_document_is_on_the_record_as_what_it_is(decided: Store) -> None:
    document = decision_document(decided, A3, CECILIA)
    assert (document.file_name, document.media_type, document.rows) == (
        f"beslut-{A3}-rev1.pdf",
        "application/pdf",
        1,
    )
    assert document.sha256 == hashlib.sha256(document.data).hexdigest()
    assert document.data == decision_document(decided, A3, CECILIA, 1, lang="sv").data  # sv
    words = " ".join(PdfReader(io.BytesIO(document.data)).pages[0].extract_text().split())
    assert BERIT.email in words  # the verdict given on the revision, by whom
    with decided.transaction() as tx:
        statement = select(audit_events.c.action, audit_events.c.details)
        events = tx.connection.execute(statement.order_by(audit_events.c.id)).all()
    assert [d for a, d in events if a == "decision_document"][0] == {
        "hsa_id": A3,
        "revision": 1,
        "lang": "sv",
        "sha256": document.sha256,
    }
    with pytest.raises(UnknownUnit) as refused:
        decision_document(decided, "SE162321000255-X9", CECILIA)
    assert refused.value.hsa_id == "SE162321000255-X9"


def test_no_write_lock_is_held_while_documents_are_laid_out(
    decided: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Laying out a PDF takes a while: others write meanwhile (on SQLite a write lock held
    would make this write wait, and fail, after the store's timeout)."""
    real = document_file.render
    written: list[str] = []

    def laid_out_while_someone_writes(*args: Any) -> bytes:
        someone = User(email=f"ny{len(written)}@region.se", namn="Ny", roles=("chef",))
        written.append(save_user(decided, someone, ADAM).email)
        return real(*args)

    monkeypatch.setattr(document_file, "render", laid_out_while_someone_writes)
    decision_document(decided, A3, CECILIA)
    decision_documents(decided, "Primärvård Skåne", CECILIA)
    assert len(written) == 3  # one document, then a ZIP of two


def words_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_a_waiting_decision_is_never_shown_with_another_unit_s_verdict(decided: Store) -> None:
    decide(decided, A2, ANNA)  # revision 1, waiting; A3's revision 1 was approved by Berit
    waiting = words_of(decision_document(decided, A2, CECILIA).data)
    assert BERIT.email not in waiting
    zipped = zipfile.ZipFile(
        io.BytesIO(decision_documents(decided, "Primärvård Skåne", CECILIA).data)
    )
    assert BERIT.email not in words_of(zipped.read(f"beslut-{A2}-rev1.pdf"))


def test_a_document_shows_one_state_though_a_verdict_is_given_while_it_is_read(
    decided: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The revision and the verdict on it are read as one state of the register: a verdict
    given between the two reads (PostgreSQL reads each statement afresh unless asked for a
    snapshot) is in neither, so the document says what held when it began."""
    reading = RevisionRows.latest
    waiting: list[Any] = []

    def meanwhile(self: RevisionRows, hsa_id: str) -> Any:
        found = reading(self, hsa_id)
        if hsa_id == A2 and waiting:  # Berit approves it between the two reads
            revision = waiting.pop()
            approve_decision(decided, A2, revision.revision, revision.content_hash, BERIT)
        return found

    monkeypatch.setattr(RevisionRows, "latest", meanwhile)
    for make in (
        lambda: decision_document(decided, A2, CECILIA).data,
        lambda: decision_documents(decided, "Primärvård Skåne", CECILIA).data,
    ):
        revision = decide(decided, A2, ANNA)  # waiting
        before = make()
        waiting.append(revision)
        assert make() == before and not waiting  # approved while read: not yet in it
        assert make() != before  # and in the next one


def test_an_administration_s_documents_are_swedish_unless_asked_otherwise(decided: Store) -> None:
    made = decision_documents(decided, "Primärvård Skåne", CECILIA)
    assert made.data == decision_documents(decided, "Primärvård Skåne", CECILIA, "sv").data
    with decided.transaction() as tx:
        events = [e.details for e in tx.audit.events() if e.action == "decision_documents"]
    assert [d["lang"] for d in events] == ["sv", "sv"]
