"""send-mail sends each mail in the outbox once, over a real SMTP server on 127.0.0.1
(aiosmtpd, started by the tests): a server that refuses a recipient for good or for now,
one that drops the connection mid-message, two senders at once, and a sender killed with
SIGKILL half way. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine

from logic.domain.auth import SYSTEM
from logic.domain.mail import Mail, Recipient
from logic.mailer import SmtpConfig
from logic.services.audit import verify_audit
from logic.services.mail import outbox, send_mail
from logic.store.store import Store
from tests.cli import ROOT
from tests.factories import ADAM, on_day
from tests.smtp_server import Inbox, smtp_server

TODAY = dt.date(2026, 11, 25)
CLAIM = dt.timedelta(minutes=5)
PEOPLE = [f"chef{i}@region.se" for i in range(5)]
KEY = b"a-key-for-the-sender-process"  # the command line's (at least 16 characters)


@pytest.fixture
def server() -> Iterator[tuple[Inbox, SmtpConfig]]:
    with smtp_server() as (inbox, port):
        yield inbox, SmtpConfig("127.0.0.1", port, "basutbud@region.se")


@pytest.fixture
def waiting(store: Store) -> Store:
    """Five mails in the outbox, one to each of five people, written as an action writes
    them (with nobody to remind: the runs below write no reminders of their own)."""
    store = on_day(store, TODAY)
    with store.transaction() as tx:
        tx.outbox.add(
            [
                Mail(f"test:{to}", "decision_approved", Recipient(to, f"Chef {i}", "sv"),
                     f"Ämne {i}", f"Hej Chef {i},\n\nText.\n")
                for i, to in enumerate(PEOPLE)
            ]
        )  # fmt: skip
    return store


def received(inbox: Inbox) -> list[str]:
    return sorted(str(m["To"]).split("<")[-1].rstrip(">") for m in inbox.received)


def test_each_mail_is_sent_once_as_plain_text_in_utf_8(
    waiting: Store, server: tuple[Inbox, SmtpConfig]
) -> None:
    inbox, config = server
    run = send_mail(waiting, SYSTEM, config, CLAIM)
    assert (run.sent, run.failed, run.waiting, run.error) == (5, 0, 0, None)
    assert received(inbox) == PEOPLE
    first = inbox.to(PEOPLE[0])[0]
    assert (first["Subject"], first["From"]) == ("Ämne 0", "basutbud@region.se")
    assert first["To"] == "Chef 0 <chef0@region.se>"
    assert first.get_content().replace("\r\n", "\n") == "Hej Chef 0,\n\nText.\n"
    assert first.get_content_type() == "text/plain"
    assert first["Auto-Submitted"] == "auto-generated"
    shown = outbox(waiting, ADAM)
    assert {m.message_id for m in shown.mails} == {str(m["Message-ID"]) for m in inbox.received}
    assert {m.status(shown.now) for m in shown.mails} == {"sent"}
    again = send_mail(waiting, SYSTEM, config, CLAIM)
    assert (again.sent, len(inbox.received)) == (0, 5)  # nothing twice
    assert verify_audit(waiting, ADAM).intact


def test_a_recipient_refused_for_good_fails_and_one_refused_for_now_waits(
    waiting: Store, server: tuple[Inbox, SmtpConfig]
) -> None:
    inbox, config = server
    inbox.refuse[PEOPLE[1]] = "550 5.1.1 No such user"
    inbox.refuse[PEOPLE[3]] = "451 4.3.0 Try again later"
    run = send_mail(waiting, SYSTEM, config, CLAIM)
    # 0, 2 and 4 sent; 1 refused for good; 3 refused for now waits (the others go on)
    assert (run.sent, run.failed, run.waiting, run.error) == (3, 1, 1, None)
    shown = {m.recipient: m for m in outbox(waiting, ADAM).mails}
    now = outbox(waiting, ADAM).now
    assert shown[PEOPLE[1]].status(now) == "failed"
    assert shown[PEOPLE[1]].last_error == "550 5.1.1 No such user"
    assert shown[PEOPLE[3]].status(now) == "waiting"
    assert shown[PEOPLE[3]].last_error == "451 4.3.0 Try again later"
    with waiting.transaction() as tx:  # the run on the record, with what it did
        [event] = [e for e in tx.audit.events() if e.action == "send_mail"]
    assert (event.details["sent"], event.details["failed"]) == (3, 1)
    del inbox.refuse[PEOPLE[3]]  # the mailbox takes mail again: the next run sends it
    run = send_mail(waiting, SYSTEM, config, CLAIM)
    assert (run.sent, run.failed, run.waiting, run.error) == (1, 0, 0, None)
    assert received(inbox) == [PEOPLE[0], PEOPLE[2], PEOPLE[3], PEOPLE[4]]
    assert shown[PEOPLE[1]].attempts == 1  # refused for good: never tried again


def test_a_server_that_drops_the_connection_mid_message_gets_it_again_once(
    waiting: Store, server: tuple[Inbox, SmtpConfig]
) -> None:
    inbox, config = server
    inbox.drop.add(PEOPLE[2])
    run = send_mail(waiting, SYSTEM, config, CLAIM)
    assert (run.sent, run.waiting) == (2, 3)
    assert run.error is not None and "Disconnected" in run.error
    run = send_mail(waiting, SYSTEM, config, CLAIM)
    assert (run.sent, run.waiting, run.error) == (3, 0, None)
    assert received(inbox) == PEOPLE


def test_no_server_at_the_address_leaves_every_mail_waiting(waiting: Store) -> None:
    from tests.smtp_server import free_port

    run = send_mail(waiting, SYSTEM, SmtpConfig("127.0.0.1", free_port(), "a@b.se"), CLAIM)
    assert (run.sent, run.waiting) == (0, 5)
    assert run.error is not None and "ConnectionRefused" in run.error
    assert {m.attempts for m in outbox(waiting, ADAM).mails} == {0}


def test_two_senders_at_once_send_each_mail_once(
    waiting: Store, server: tuple[Inbox, SmtpConfig]
) -> None:
    inbox, config = server
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda _: send_mail(waiting, SYSTEM, config, CLAIM), range(2)))
    assert sum(r.sent for r in runs) == 5
    assert received(inbox) == PEOPLE


def test_a_sender_killed_half_way_neither_loses_a_mail_nor_sends_one_twice(
    waiting: Store, server: tuple[Inbox, SmtpConfig], engine: Engine, request: pytest.FixtureRequest
) -> None:
    """`python -m logic send-mail` killed with SIGKILL while the server holds the third
    mail at its recipient: the two before it are sent and marked; the third is claimed, not
    sent. The next run, after the claim ran out, sends the third, fourth and fifth once."""
    inbox, config = server
    inbox.hold = PEOPLE[2]
    url = database_url(engine, request)
    env = os.environ | {
        "DATABASE_URL": url,
        "AUDIT_KEY": KEY.decode(),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(config.port),
        "SMTP_FROM": config.sender,
        "MAIL_CLAIM_SECONDS": "12",
        "APP_LANGUAGE": "sv",
    }
    sender = subprocess.Popen(
        [sys.executable, "-m", "logic", "send-mail"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not inbox.holding.wait(0.1) and sender.poll() is None:
            assert time.monotonic() < deadline, "the sender never reached the third mail"
        assert sender.poll() is None, sender.communicate()
        os.kill(sender.pid, signal.SIGKILL)
        sender.wait(30)
    finally:
        if sender.poll() is None:
            sender.kill()
    assert sender.returncode == -signal.SIGKILL
    inbox.hold = None
    inbox.release.set()
    assert received(inbox) == PEOPLE[:2]
    shown = {m.recipient: m for m in outbox(waiting, ADAM).mails}
    assert shown[PEOPLE[2]].status(outbox(waiting, ADAM).now) == "sending"  # claimed
    early = subprocess.run(
        [sys.executable, "-m", "logic", "send-mail"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert early.returncode == 0, early.stderr
    # the fourth and fifth; the third is still claimed by the killed sender: not yet
    assert received(inbox) == [PEOPLE[0], PEOPLE[1], PEOPLE[3], PEOPLE[4]]
    claimed = shown[PEOPLE[2]].claimed_until
    assert claimed is not None
    time.sleep(max(0.0, (claimed - dt.datetime.now(dt.UTC)).total_seconds()) + 0.5)
    after = subprocess.run(
        [sys.executable, "-m", "logic", "send-mail"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert after.returncode == 0, after.stderr
    assert received(inbox) == PEOPLE  # every mail, each once
    assert "1 skickade" in after.stdout
    assert verify_audit(Store(engine, KEY), ADAM).intact  # the runs' events, in the chain


def database_url(engine: Engine, request: pytest.FixtureRequest) -> str:
    """The test database's URL for a subprocess (PostgreSQL: its schema on the search path)."""
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name != "postgresql":
        return url
    with engine.connect() as connection:
        found = connection.exec_driver_sql("SHOW search_path").scalar()
    return f"{url}?options=-csearch_path%3D{found}"


def test_mail_to_someone_deactivated_since_is_not_sent(
    waiting: Store, server: tuple[Inbox, SmtpConfig]
) -> None:
    from logic.domain.auth import User
    from logic.services.mail import NOT_ACTIVE
    from logic.services.users import save_user

    inbox, config = server
    gone = User(email=PEOPLE[1], namn="Chef 1", roles=("enhetschef",), active=False)
    save_user(waiting, gone, ADAM)
    run = send_mail(waiting, SYSTEM, config, CLAIM)
    assert (run.sent, run.failed) == (4, 1)
    assert PEOPLE[1] not in received(inbox)
    shown = {m.recipient: m for m in outbox(waiting, ADAM).mails}
    assert shown[PEOPLE[1]].last_error == NOT_ACTIVE
