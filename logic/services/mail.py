"""Mail, sent by `python -m logic send-mail` (cron or a loop): the day's reminders written
to the outbox, then every mail in it sent once over SMTP. The mail an action tells (an
approved decision, an answered request) is written by that action, in its own transaction
(services/verdicts.py, services/unit_managers.py): a transactional outbox, so what is
committed is told and what is rolled back is not.

Once: a mail is claimed (in a transaction of its own) before it is sent and marked sent right
after the server took it. A failure the server calls permanent marks it failed; any other
(unreachable, busy, gone mid-way) leaves it for the next run. A sender killed half way
leaves its claim, which runs out after MAIL_CLAIM_SECONDS; the next run sends the mail again
with the same Message-ID. Killed between the server's "taken" and the mark (a few
milliseconds), the mail can reach its recipient twice under that one Message-ID: SMTP has no
way to close that gap (RFC 1047), and mail systems tell such a copy by its Message-ID."""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from logic.domain import mail as mails
from logic.domain.auth import User
from logic.domain.mail import Asked, Mail, OutboxMail, Recipient
from logic.i18n import t
from logic.mailer import (
    SmtpConfig,
    connected,
    described,
    message,
    refused_for_good,
    this_mail_only,
)
from logic.readmodels.recipients import regional_team, unit_managers_of
from logic.readmodels.rollout_history import read_history
from logic.services.unit_of_work import Work, unit_of_work
from logic.settings import app_link, settings
from logic.store import readmodel_register as register_rows
from logic.store.store import Store

__all__ = ["MailRun", "Outbox", "outbox", "send_mail", "write_reminders"]


def write_reminders(store: Store, user: User) -> int:
    """The day's reminders into the outbox, each once (however many runs a day): to unit
    managers, a review date 30 days away or nearer and an e-service past its deadline; to
    the regional team, a digest of the requests asked since their last one. How many were
    written."""
    with unit_of_work(store, user, "send_mail") as work:
        tx, lang = work.tx, settings().app_language
        held = {h for p in tx.users.all() if p.active for h in p.units}
        managers = unit_managers_of(tx, held, lang)
        found = _reviews_due(work, managers) + _deadlines_passed(work, managers)
        found += _digests(work, lang)
        written = tx.outbox.add(found)
        if written:
            tx.audit.append(work.user.email, "write_reminders", {"mails": written})
    return written


def _reviews_due(work: Work, managers: dict[str, list[Recipient]]) -> list[Mail]:
    """The decisions in force to be reviewed within 30 days, to their units' managers."""
    if not managers:
        return []
    today, link, found = work.today, app_link("min_enhet"), []
    for row in register_rows.rows_of_units(work.tx, sorted(managers)):
        # the date that stands, as the review queue has it (register: review_due()): the
        # decision in force's while a returned revision waits to be made again
        due, in_force = row.review_date, row.in_force_revision
        if in_force is None or due is None:
            continue
        if today < due <= today + mails.REVIEW_NOTICE:
            found += [
                mails.review_due(t, to, row.hsa_id, row.namn, in_force, due, link)
                for to in managers[row.hsa_id]
            ]
    return found


def _deadlines_passed(work: Work, managers: dict[str, list[Recipient]]) -> list[Mail]:
    """The e-services past their deadline and not in place, to their units' managers."""
    if not managers:
        return []
    cat, link, found = work.catalog, app_link("min_enhet"), []
    rollout = read_history(work.tx, work.now, work.today, None, None, cat, sorted(managers))
    for r in rollout.rows:
        if r.status != "forsenat" or r.frist is None:
            continue
        for to in managers[r.hsa_id]:
            named = (r.arendetyp, cat.case_type(r.arendetyp).name(to.language))
            found.append(mails.deadline_passed(t, to, r.hsa_id, r.enhet, named, r.frist, link))
    return found


def _digests(work: Work, lang: str) -> list[Mail]:
    """To each of the regional team: the requests asked since their last digest."""
    asked = work.tx.requests.unanswered()
    if not asked:
        return []
    units = register_rows.rows_of_units(work.tx, [a.hsa_id for a in asked])
    named = {r.hsa_id: r.namn for r in units}
    found = []
    for to in regional_team(work.tx, lang):
        # by number, not by time: a request committed after a digest that began before it
        # is in the next one (a moment would pass it by for good)
        told = work.tx.outbox.digested(to.email)
        new = [
            Asked(a.number, a.hsa_id, named.get(a.hsa_id, a.hsa_id),
                  t(f"request.kind.{a.kind}", to.language))
            for a in asked
            if a.number not in told
        ]  # fmt: skip
        if new:
            found.append(mails.request_digest(t, to, work.today, new, app_link("oversikt")))
    return found


@dataclass(frozen=True)
class MailRun:
    """What one run of send-mail did: reminders written, mails sent, mails the server refused
    for good, mails left for the next run, and why it stopped early (if it did)."""

    written: int
    sent: int
    failed: int
    waiting: int
    error: str | None = None


NOT_ACTIVE = "not sent: the recipient is no longer an active user"
Connect = Callable[[SmtpConfig], AbstractContextManager[smtplib.SMTP]]


def send_mail(
    store: Store,
    user: User,
    config: SmtpConfig | None,
    claim: dt.timedelta,
    connect: Connect = connected,
) -> MailRun:
    """Write the day's reminders, then send every mail in the outbox once, oldest first
    (without a server, `config` None, mail stays in the outbox). Stops at the first failure
    that is not the recipient's or the message's: the rest waits for the next run."""
    written = write_reminders(store, user)
    sent = failed = 0
    error: str | None = None
    if config is not None:
        token = uuid.uuid4().hex  # this run's claims
        try:
            with connect(config) as server:
                last = 0  # each mail once a run, oldest first: one left waiting is passed
                while True:
                    with unit_of_work(store, user, "send_mail") as work:
                        mail = work.tx.outbox.claim_next(token, work.now + claim, last)
                        person = work.tx.users.get(mail.recipient) if mail else None
                        gone = person is not None and not person.active  # never deleted
                        if gone:  # deactivated since it was written: their mail stops too
                            work.tx.outbox.failed(mail.number, token, NOT_ACTIVE, True)
                    if mail is None:
                        break
                    last = mail.number
                    if gone:
                        failed += 1
                        continue
                    problem = _send(server, mail, config.sender)
                    with unit_of_work(store, user, "send_mail") as work:
                        if problem is None:
                            work.tx.outbox.sent(mail.number)
                        else:
                            for_good = refused_for_good(problem)
                            work.tx.outbox.failed(mail.number, token, described(problem), for_good)
                    if problem is None:
                        sent += 1
                    elif refused_for_good(problem):
                        failed += 1
                    elif not this_mail_only(problem):  # the server's, not the mail's: stop
                        error = described(problem)
                        break
        except (smtplib.SMTPException, OSError) as exc:  # connecting, STARTTLS, signing in
            error = described(exc)
    with unit_of_work(store, user, "send_mail") as work:
        waiting = work.tx.outbox.counts()["unsent"]
        if sent or failed:
            stopped = {"error": error} if error else {}
            work.tx.audit.append(
                work.user.email, "send_mail", {"sent": sent, "failed": failed} | stopped
            )
    return MailRun(written, sent, failed, waiting, error)


def _send(server: smtplib.SMTP, mail: OutboxMail, sender: str) -> Exception | None:
    try:
        server.send_message(message(mail, sender))
    except (smtplib.SMTPException, OSError, UnicodeError, ValueError) as exc:
        return exc
    return None


@dataclass(frozen=True)
class Outbox:
    """The outbox as the Administration page shows it: counts, the newest mails, and the
    moment they are read at (whether a mail is being sent depends on it)."""

    counts: dict[str, int]
    mails: list[OutboxMail]
    now: dt.datetime


def outbox(store: Store, user: User, limit: int = 200) -> Outbox:
    with unit_of_work(store, user, "send_mail", readonly=True) as work:
        tx = work.tx
        return Outbox(tx.outbox.counts(), tx.outbox.newest(limit), work.now)
