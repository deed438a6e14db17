"""What an adversarial review of the mail and the reports found, each a test: an address
with å, a recipient refused for now, a language changed, a follow-up of an earlier date,
who reported after a catalog change, a review date while a returned revision waits."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest

from logic.domain.auth import SYSTEM, User
from logic.domain.mail import Mail, Recipient
from logic.mailer import SmtpConfig
from logic.services.decision_documents import unit_follow_up
from logic.services.mail import outbox, send_mail, write_reminders
from logic.services.units import import_units
from logic.services.users import choose_language, save_user
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, ELIN, HEADER, ROW, decide, exemption_of, on_day
from tests.smtp_server import smtp_server

TODAY = dt.date(2026, 11, 25)
T1 = "SE162321000255-T0001"
CLAIM = dt.timedelta(minutes=5)


@pytest.fixture
def held(store: Store) -> Store:
    store = on_day(store, TODAY)
    import_units(store, "\n".join([HEADER, ROW]).encode(), ADAM, source="t.csv")
    for person in (ELIN, ANNA, BERIT):
        save_user(store, person, ADAM)
    return store


def test_a_non_ascii_address_the_user_table_accepts_is_sent_or_failed_not_a_crash(
    held: Store,
) -> None:
    asa = User(email="åsa@region.se", namn="Åsa", roles=("enhetschef",), units=(T1,))
    save_user(held, asa, ADAM)  # accepted by the user table
    with held.transaction() as tx:
        tx.outbox.add([Mail("k:1", "decision_approved", Recipient(asa.email, "Åsa", "sv"),
                            "Ämne", "Text\n"),
                       Mail("k:2", "decision_approved", Recipient(ELIN.email, "Elin", "sv"),
                            "Ämne", "Text\n")])  # fmt: skip
    with smtp_server() as (inbox, port):
        run = send_mail(held, SYSTEM, SmtpConfig("127.0.0.1", port, "b@region.se"), CLAIM)
    assert run.error is None  # the run went on past the address it could not send
    by_key = {m.key: m for m in outbox(held, ADAM).mails}
    assert by_key["k:2"].sent_at is not None  # Elin's, after Åsa's
    assert by_key["k:1"].failed_at is not None  # refused for good, with the reason
    assert "non-ASCII" in (by_key["k:1"].last_error or "")


def test_a_deadline_passed_is_told_once_even_after_a_change_of_language(held: Store) -> None:
    write_reminders(held, SYSTEM)
    first = [m for m in outbox(held, ADAM).mails if m.kind == "deadline_passed"]
    assert first
    choose_language(held, ELIN, "en")
    write_reminders(held, SYSTEM)
    again = [m for m in outbox(held, ADAM).mails if m.kind == "deadline_passed"]
    assert len(again) == len(first)


def test_a_follow_up_as_of_a_date_before_the_decision_does_not_show_it_in_force(
    held: Store,
) -> None:
    later = on_day(held, TODAY + dt.timedelta(days=10))
    decide(later, T1, ANNA, approver=BERIT)  # approved ten days after TODAY
    made = unit_follow_up(later, ELIN, T1, TODAY)  # as of TODAY: no decision in force then
    text = " ".join(pypdf.PdfReader(io.BytesIO(made.data)).pages[0].extract_text().split())
    assert "inget fastställt beslut" in text, text


def test_who_reported_stays_who_reported_after_the_catalog_changes(held: Store) -> None:
    from logic.files.reference_data import catalog
    from logic.services.unit_managers import report_e_service, reported_units
    from logic.services.units import refresh_recommendations

    report_e_service(held, ELIN, T1, "fornya_recept", True, TODAY)
    assert [r.by for r in reported_units(held, ELIN, [T1])] == [ELIN.email]
    other = catalog().model_copy(update={"version": "t" * 12})
    assert refresh_recommendations(held.with_catalog(other), ADAM) == 1  # as take-effect does

    assert [r.by for r in reported_units(held, ELIN, [T1])] == [ELIN.email]


def test_one_recipient_refused_for_now_does_not_hold_everyone_s_mail(held: Store) -> None:
    people = [f"chef{i}@region.se" for i in range(3)]
    with held.transaction() as tx:
        tx.outbox.add([Mail(f"k:{p}", "decision_approved", Recipient(p, "Chef", "sv"),
                            "Ämne", "Text\n") for p in people])  # fmt: skip
    with smtp_server() as (inbox, port):
        inbox.refuse[people[0]] = "452 4.2.2 Mailbox full"  # one person's mailbox, for days
        config = SmtpConfig("127.0.0.1", port, "b@region.se")
        for _ in range(3):  # three runs of send-mail (cron)
            send_mail(held, SYSTEM, config, CLAIM)

        assert [len(inbox.to(p)) for p in people] == [0, 1, 1]  # the others went, once


def test_a_review_date_near_is_told_while_a_returned_revision_waits(held: Store) -> None:
    from logic.services.verdicts import return_decision

    review = TODAY + dt.timedelta(days=180)
    exemption = exemption_of(held, T1, review)
    decide(held, T1, ANNA, approver=BERIT, outcome="delvis_undantagen", exemption=exemption)
    second = decide(
        held,
        T1,
        ANNA,
        outcome="delvis_undantagen",
        exemption=exemption,
        earlier_texts_confirmed=True,
    )  # a new assessment, returned: revision 1 stays in force
    return_decision(held, T1, second.revision, second.content_hash, "Ändra.", BERIT)
    near = on_day(held, review - dt.timedelta(days=10))
    write_reminders(near, SYSTEM)
    from logic.store.readmodel_register import review_queue

    with held.transaction() as tx:  # the app's own review queue lists it as due
        assert [i.hsa_id for i in review_queue(tx, review - dt.timedelta(days=10))] == [T1]
    due = [m for m in outbox(held, ADAM).mails if m.kind == "review_due"]
    assert due
