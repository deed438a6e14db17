"""Mail the app writes: to a unit manager when a decision on their unit is approved, when
their request is answered, when the review date is 30 days away and when an e-service is
past its deadline; to the regional team, a digest of new requests. Each mail is written in
the recipient's language, as plain text holding no personal data beyond names and e-mail
addresses: it names the unit and says what happened, and links to the app for the rest
(what a person wrote, a reason or an answer, stays in the app).

A mail has a key saying what it tells and to whom: the outbox takes each key once, so a
reminder written by two runs of `send-mail` at once, or by one run after another, is one
mail. The words come from the message catalog, handed in as `words` (logic.i18n.t)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol, get_args

MailKind = Literal[
    "decision_approved", "request_answered", "review_due", "deadline_passed", "request_digest"
]
MAIL_KINDS: tuple[str, ...] = get_args(MailKind)
REVIEW_NOTICE = dt.timedelta(days=30)  # a review date this near is told to the unit manager

MailStatus = Literal["waiting", "sending", "sent", "failed"]


class Words(Protocol):
    def __call__(self, key: str, lang: str, /, **params: object) -> str: ...


@dataclass(frozen=True)
class Recipient:
    email: str
    namn: str
    language: str  # sv or en: the language they last chose in the app (or the app's)


@dataclass(frozen=True)
class Mail:
    key: str  # what it tells and to whom: written once
    kind: str
    recipient: Recipient
    subject: str
    body: str
    about: tuple[int, ...] = ()  # a digest's requests (each in one digest per person)


@dataclass(frozen=True)
class OutboxMail:
    """A mail in the outbox, with where its sending stands."""

    number: int
    key: str
    kind: str
    recipient: str
    recipient_name: str
    language: str
    subject: str
    body: str
    message_id: str
    created_at: dt.datetime
    attempts: int
    claimed_until: dt.datetime | None
    last_error: str | None
    sent_at: dt.datetime | None
    failed_at: dt.datetime | None

    def status(self, now: dt.datetime) -> MailStatus:
        if self.sent_at is not None:
            return "sent"
        if self.failed_at is not None:
            return "failed"
        if self.claimed_until is not None and self.claimed_until > now:
            return "sending"
        return "waiting"


def _mail(words: Words, kind: str, key: str, to: Recipient, link: str, **params: object) -> Mail:
    lang = to.language
    subject = words(f"mail.{kind}.subject", lang, **params)
    body = "\n\n".join(
        [
            words("mail.greeting", lang, namn=to.namn),
            words(f"mail.{kind}.body", lang, **params),
            words("mail.link", lang, link=link),
            words("mail.signature", lang),
        ]
    )
    subject = " ".join(subject.split())  # one line, whatever a unit's name holds
    return Mail(key=key, kind=kind, recipient=to, subject=subject, body=body + "\n")


def decision_approved(
    words: Words, to: Recipient, hsa_id: str, unit: str, revision: int, link: str
) -> Mail:
    """A decision on the recipient's unit was approved (fastställt): read it, and its
    decision document, on Min enhet."""
    key = f"decision_approved:{hsa_id}:{revision}:{to.email}"
    return _mail(words, "decision_approved", key, to, link, unit=unit, hsa_id=hsa_id)


def request_answered(
    words: Words, to: Recipient, number: int, hsa_id: str, unit: str, by: str, link: str
) -> Mail:
    """The recipient's request was answered (the answer itself is read in the app)."""
    key = f"request_answered:{number}:{to.email}"
    params = {"number": number, "unit": unit, "hsa_id": hsa_id, "by": by}
    return _mail(words, "request_answered", key, to, link, **params)


def review_due(
    words: Words,
    to: Recipient,
    hsa_id: str,
    unit: str,
    revision: int,
    review_date: dt.date,
    link: str,
) -> Mail:
    """The decision in force on the recipient's unit is to be reviewed within 30 days."""
    key = f"review_due:{hsa_id}:{revision}:{review_date.isoformat()}:{to.email}"
    params = {"unit": unit, "hsa_id": hsa_id, "date": review_date.isoformat()}
    return _mail(words, "review_due", key, to, link, **params)


def deadline_passed(
    words: Words,
    to: Recipient,
    hsa_id: str,
    unit: str,
    case_type: tuple[str, str],
    deadline: dt.date,
    link: str,
) -> Mail:
    """An e-service the recipient's unit must offer is not in place by its deadline
    (`case_type`: its code, which the key holds, and its name in the recipient's words, so
    a change of language or of the catalog's words tells nothing again)."""
    code, name = case_type
    key = f"deadline_passed:{hsa_id}:{code}:{deadline.isoformat()}:{to.email}"
    params = {"unit": unit, "hsa_id": hsa_id, "case_type": name}
    return _mail(words, "deadline_passed", key, to, link, date=deadline.isoformat(), **params)


@dataclass(frozen=True)
class Asked:
    """A new request, as the digest names it: its number, unit and kind in words."""

    number: int
    hsa_id: str
    unit: str
    kind: str


def request_digest(
    words: Words, to: Recipient, day: dt.date, asked: Sequence[Asked], link: str
) -> Mail:
    """For one of the regional team: the requests asked since their last digest (at most
    one digest a day)."""
    lines = "\n".join(
        words(
            "mail.request_digest.line",
            to.language,
            number=a.number,
            unit=a.unit,
            hsa_id=a.hsa_id,
            kind=a.kind,
        )
        for a in asked
    )
    key = f"request_digest:{day.isoformat()}:{to.email}"
    made = _mail(words, "request_digest", key, to, link, count=len(asked), lines=lines)
    return replace(made, about=tuple(a.number for a in asked))
