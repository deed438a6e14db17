"""Mail is written to the outbox in the same transaction as what it tells (an approved
decision, an answered request), in the recipient's language, and the day's reminders (a
review date 30 days away, an e-service past its deadline, the digest of new requests) are
written once however often send-mail runs. SQLite and PostgreSQL. Sending: test_send_mail."""

from __future__ import annotations

import datetime as dt

import pytest

from logic.domain.auth import SYSTEM, PermissionDenied
from logic.domain.errors import VerdictRefused
from logic.services.mail import outbox, send_mail, write_reminders
from logic.services.unit_managers import answer_request, ask
from logic.services.units import import_units
from logic.services.users import choose_language, save_user
from logic.services.verdicts import approve_decision, return_decision
from logic.store.store import Store
from tests.factories import (
    ADAM,
    ANNA,
    BERIT,
    BERTIL,
    CECILIA,
    ELIN,
    HEADER,
    ROW,
    decide,
    exemption_of,
    on_day,
)

TODAY = dt.date(2026, 11, 25)
T1, T2 = "SE162321000255-T0001", "SE162321000255-T0002"
CLAIM = dt.timedelta(minutes=5)


@pytest.fixture
def held(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002").replace("Test", "Norr")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    for person in (ELIN, ANNA, BERTIL, BERIT):
        save_user(store, person, ADAM)
    return store


def mails(store: Store) -> list[tuple[str, str, str]]:
    """(kind, recipient, subject) of every mail in the outbox, oldest first."""
    return [(m.kind, m.recipient, m.subject) for m in reversed(outbox(store, ADAM).mails)]


def test_an_approved_decision_is_told_to_the_unit_s_managers_in_their_language(
    held: Store,
) -> None:
    decide(held, T2, ANNA, approver=BERIT)  # a unit nobody manages: no mail
    assert mails(held) == []
    first = decide(held, T1, ANNA)
    return_decision(held, T1, first.revision, first.content_hash, "Ändra.", BERIT)
    assert mails(held) == []  # returned: nothing to tell the unit
    second = decide(held, T1, ANNA)
    with pytest.raises(VerdictRefused):  # a stale hash: refused, and nothing written
        approve_decision(held, T1, second.revision, "0" * 64, BERIT)
    assert mails(held) == []
    approve_decision(held, T1, second.revision, second.content_hash, BERIT)
    assert mails(held) == [
        ("decision_approved", ELIN.email, "Nytt beslut om basutbudet för Vårdcentralen Test")
    ]
    [mail] = outbox(held, ADAM).mails
    assert mail.body.startswith("Hej Elin Enhetschef,\n\nEtt beslut om basutbudet för ")
    assert "Vårdcentralen Test (SE162321000255-T0001)" in mail.body
    assert "http://localhost:8501/min_enhet" in mail.body
    assert "Motivering" not in mail.body  # what people wrote stays in the app
    choose_language(held, ELIN, "en")
    third = decide(held, T1, ANNA, rationale="Ny motivering.")
    approve_decision(held, T1, third.revision, third.content_hash, BERIT)
    assert mails(held)[-1] == (
        "decision_approved",
        ELIN.email,
        "A new baseline decision for Vårdcentralen Test",
    )


def test_an_answer_is_told_to_who_asked_and_the_digest_to_the_team_once_a_day(
    held: Store,
) -> None:
    asked = ask(held, ELIN, T1, "undantag", "Vi har ingen bokning på nätet.")
    written = write_reminders(held, SYSTEM)
    digests = [(k, to) for k, to, _ in mails(held) if k == "request_digest"]
    assert sorted(digests) == [("request_digest", ANNA.email), ("request_digest", BERTIL.email)]
    assert written == len(mails(held))  # the digests and the deadlines passed, nothing else
    assert write_reminders(held, SYSTEM) == 0  # once a day, however often it runs
    with held.transaction() as tx:  # a run that wrote mail is on the record; one that wrote
        runs = [e.details for e in tx.audit.events() if e.action == "write_reminders"]
    assert runs == [{"mails": written}]  # none is not
    digest = [m for m in outbox(held, ADAM).mails if m.recipient == ANNA.email]
    assert [m.subject for m in digest] == ["1 ny begäran från enheter"]
    assert f"Nr {asked.number}: Undantag, Vårdcentralen Test ({T1})" in digest[0].body
    assert "bokning" not in digest[0].body  # the reason is read in the app
    answer_request(held, ANNA, asked.number, "Vi bedömer enheten igen i januari.")
    assert mails(held)[-1] == (
        "request_answered",
        ELIN.email,
        f"Din begäran nr {asked.number} om Vårdcentralen Test är besvarad",
    )
    assert "januari" not in outbox(held, ADAM).mails[0].body
    assert "http://localhost:8501/min_enhet" in outbox(held, ADAM).mails[0].body  # to read it
    tomorrow = on_day(held, TODAY + dt.timedelta(days=1))
    assert write_reminders(tomorrow, SYSTEM) == 0  # nothing new, nothing open
    second = ask(tomorrow, ELIN, T1, "omprovning", "Vi har nya lokaler.")
    ask(tomorrow, ELIN, T1, "undantag", "Och ännu en sak.")
    assert write_reminders(tomorrow, SYSTEM) == 2  # a digest each to Anna and Bertil
    latest = [m for m in outbox(held, ADAM).mails if m.recipient == ANNA.email][0]
    assert latest.subject == "2 nya begäranden från enheter"
    assert f"Nr {second.number}: Omprövning av beslutet" in latest.body
    assert f"Nr {asked.number}:" not in latest.body  # answered, and in yesterday's digest


def test_a_review_date_near_and_a_deadline_passed_are_told_once(held: Store) -> None:
    review = TODAY + dt.timedelta(days=180)
    exemption = exemption_of(held, T1, review)
    decide(held, T1, ANNA, approver=BERIT, outcome="delvis_undantagen", exemption=exemption)
    before = on_day(held, review - dt.timedelta(days=31))
    write_reminders(before, SYSTEM)
    assert [k for k, _, _ in mails(held) if k == "review_due"] == []  # 31 days: not yet
    near = on_day(held, review - dt.timedelta(days=30))
    assert write_reminders(near, SYSTEM) >= 1
    assert write_reminders(near, SYSTEM) == 0
    due = [m for m in outbox(held, ADAM).mails if m.kind == "review_due"]
    assert [(m.recipient, m.subject) for m in due] == [
        (ELIN.email, f"Beslutet för Vårdcentralen Test ska omprövas senast {review.isoformat()}")
    ]
    late = [m for m in outbox(held, ADAM).mails if m.kind == "deadline_passed"]
    assert late, "a required e-service not in place by its deadline is told"
    assert {m.recipient for m in late} == {ELIN.email}
    assert all("Vårdcentralen Test" in m.subject for m in late)
    assert all("http://localhost:8501/min_enhet" in m.body for m in late)
    assert all("http://localhost:8501/min_enhet" in m.body for m in due)
    on_review_day = on_day(held, review)
    write_reminders(on_review_day, SYSTEM)
    assert len([m for m in outbox(held, ADAM).mails if m.kind == "review_due"]) == 1


def test_without_a_server_mail_waits_and_only_administrators_see_the_outbox(
    held: Store,
) -> None:
    decide(held, T1, ANNA, approver=BERIT)
    run = send_mail(held, SYSTEM, None, CLAIM)
    # the decision's mail, and the two deadlines passed that the run wrote
    assert (run.written, run.sent, run.failed, run.waiting, run.error) == (2, 0, 0, 3, None)
    assert outbox(held, ADAM).counts == {"sent": 0, "failed": 0, "unsent": 3}
    shown = outbox(held, ADAM)
    assert {m.status(shown.now) for m in shown.mails} == {"waiting"}
    for someone in (ANNA, BERIT, CECILIA, ELIN):
        with pytest.raises(PermissionDenied):
            outbox(held, someone)
        with pytest.raises(PermissionDenied):
            send_mail(held, someone, None, CLAIM)
