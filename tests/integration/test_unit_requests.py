"""A unit manager asks for a new assessment or an exemption of their unit, in their own
words (checked as every free text); the request enters the regional team's queue and is
answered once; both are in the audit chain and verified. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from logic.domain.auth import PermissionDenied
from logic.domain.unit_requests import RequestRefused, UnitRequest
from logic.services.audit import verify_audit
from logic.services.unit_managers import answer_request, ask, open_requests, unit_requests
from logic.services.units import import_units
from logic.services.users import save_user
from logic.services.verdicts import approve_decision
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, CECILIA, ELIN, HEADER, ROW, on_day

TODAY = dt.date(2026, 11, 25)
T1, T2 = "SE162321000255-T0001", "SE162321000255-T0002"


@pytest.fixture
def held(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    save_user(store, ELIN, ADAM)
    return store


def test_a_request_enters_the_queue_and_is_answered_once(held: Store) -> None:
    asked = ask(held, ELIN, T1, "undantag", "  Vi har ingen bokning på nätet ännu.  ")
    assert (asked.hsa_id, asked.kind, asked.reason) == (
        T1,
        "undantag",
        "Vi har ingen bokning på nätet ännu.",
    )
    assert [r.number for r in open_requests(held, ANNA)] == [asked.number]
    answered = answer_request(held, ANNA, asked.number, "Vi bedömer enheten igen i januari.")
    assert (answered.answer, answered.answered_by) == (
        "Vi bedömer enheten igen i januari.",
        ANNA.email,
    )
    assert open_requests(held, ANNA) == []
    with pytest.raises(RequestRefused) as exc:
        answer_request(held, BERIT, asked.number, "Ett annat svar.")
    assert exc.value.reason == "answered"
    assert unit_requests(held, ELIN, T1) == [answered] == unit_requests(held, CECILIA, T1)
    with pytest.raises(RequestRefused) as exc:
        answer_request(held, ANNA, 999, "Svar.")
    assert exc.value.reason == "not_found"
    with held.transaction() as tx:
        events = [(e.action, e.details) for e in tx.audit.events() if "request" in e.action]
    reason, reply = "Vi har ingen bokning på nätet ännu.", "Vi bedömer enheten igen i januari."
    assert events == [
        ("ask_unit_request", {"number": asked.number, "hsa_id": T1, "kind": "undantag",
                              "reason": reason}),
        ("answer_request", {"number": asked.number, "answer": reply}),
    ]  # fmt: skip
    assert verify_audit(held, ADAM).intact


def test_a_request_is_refused_in_words_and_only_for_the_unit_s_manager(held: Store) -> None:
    for kind, reason, refused in [
        ("undantag", "   ", "wizard.err.required"),
        ("undantag", "Ring 19121212-1212.", "wizard.err.personnummer"),
        ("undantag", "Ett\u200bord", "wizard.err.invisible"),
        ("allt", "Varför inte.", "request.refused.kind"),
    ]:
        with pytest.raises(RequestRefused) as exc:
            ask(held, ELIN, T1, kind, reason)
        assert exc.value.words()[0] == refused
        assert [e.field for e in exc.value.errors] == (["reason"] if kind != "allt" else [])
    with pytest.raises(PermissionDenied):  # not a unit she holds
        ask(held, ELIN, T2, "omprovning", "Varför inte.")
    for someone in (ANNA, CECILIA, ADAM):  # the team answers; it does not ask
        with pytest.raises(PermissionDenied):
            ask(held, someone, T1, "omprovning", "Varför inte.")
    asked = ask(held, ELIN, T1, "omprovning", "Vi har fått tidbokning.")
    with pytest.raises(PermissionDenied):  # a unit manager does not answer
        answer_request(held, ELIN, asked.number, "Självsvar.")
    with pytest.raises(PermissionDenied):
        open_requests(held, ELIN)
    with pytest.raises(PermissionDenied):
        unit_requests(held, ELIN, T2)
    with pytest.raises(RequestRefused) as exc:  # an answer is checked as the reason is
        answer_request(held, ANNA, asked.number, "Ring 19121212-1212.")
    assert exc.value.words()[0] == "wizard.err.personnummer"
    assert [e.field for e in exc.value.errors] == ["answer"]
    assert [r.number for r in open_requests(held, ANNA)] == [asked.number]


def test_two_answers_at_once_give_one(held: Store) -> None:
    asked = ask(held, ELIN, T1, "omprovning", "Vi har fått tidbokning.")

    def answer(who: object) -> object:
        try:
            return answer_request(held, who, asked.number, f"Svar från {who.email}.")  # type: ignore[attr-defined]
        except RequestRefused as exc:
            return exc.reason

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(answer, (ANNA, BERIT)))
    assert sorted(type(o).__name__ for o in outcomes) == ["UnitRequest", "str"], outcomes
    assert "answered" in outcomes
    [given] = [o for o in outcomes if isinstance(o, UnitRequest)]
    assert unit_requests(held, ELIN, T1) == [given]
    assert verify_audit(held, ADAM).intact


@pytest.mark.parametrize(
    "forgery",
    [
        "UPDATE unit_requests SET answer = 'Ett annat svar.'",
        "UPDATE unit_requests SET reason = 'Annat.'",
        "DELETE FROM unit_requests",
        "UPDATE unit_requests SET answer = NULL, answered_by = NULL, answered_at = NULL",
    ],
    ids=["answer", "reason", "deleted", "unanswered"],
)
def test_a_request_changed_behind_the_app_s_back_is_named(held: Store, forgery: str) -> None:
    asked = ask(held, ELIN, T1, "omprovning", "Vi har fått tidbokning.")
    answer_request(held, ANNA, asked.number, "Vi tittar på det.")
    with held.engine.begin() as conn:
        conn.execute(text(forgery))
    result = verify_audit(held, ADAM)
    assert (result.problem, result.where) == ("audit.altered_request", str(asked.number))


def test_a_decision_approved_answers_the_unit_s_open_requests_and_tells_who_asked(
    held: Store,
) -> None:
    from logic.services.mail import outbox
    from tests.factories import decide

    first = ask(held, ELIN, T1, "undantag", "Vi har ingen bokning på nätet.")
    second = ask(held, ELIN, T1, "omprovning", "Vi har nya lokaler.")
    answer_request(held, ANNA, second.number, "Vi tittar på det.")  # answered in words
    olle = ELIN.model_copy(update={"email": "olle@region.se", "units": (T2,)})
    save_user(held, olle, ADAM)
    other = ask(held, olle, T2, "undantag", "Annan enhet.")
    submitted = decide(held, T1, ANNA)
    assert [r.number for r in open_requests(held, ANNA)] == [first.number, other.number]
    approve_decision(held, T1, submitted.revision, submitted.content_hash, BERIT)
    assert [r.number for r in open_requests(held, ANNA)] == [other.number]  # its own unit's
    by_number = {r.number: r for r in unit_requests(held, ELIN, T1)}
    done = by_number[first.number]
    assert (done.answer, done.answered_revision, done.answered_by) == (
        "", submitted.revision, BERIT.email,
    )  # fmt: skip
    assert by_number[second.number].answered_revision is None  # answered before, in words
    told = {m.subject: m.body for m in outbox(held, ADAM).mails if m.recipient == ELIN.email}
    body = told[f"Din begäran nr {first.number} om Vårdcentralen Test är besvarad"]
    answered_by = f"Berit Beslutsfattare har besvarat din begäran nr {first.number} "
    assert body.startswith(f"Hej Elin Enhetschef,\n\n{answered_by}")  # the approver, by name
    assert verify_audit(held, ADAM).intact
    with held.engine.begin() as conn:  # the decision that answered it, changed by hand
        conn.execute(text("UPDATE unit_requests SET answered_revision = 7 WHERE number = :n"),
                     {"n": first.number})  # fmt: skip
    result = verify_audit(held, ADAM)
    assert (result.problem, result.where) == ("audit.altered_request", str(first.number))
