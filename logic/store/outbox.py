"""The outbox: mail written in the same transaction as what it tells, and where each mail's
sending stands. A sender claims one mail at a time until a moment; a claim that runs out (a
sender killed half way) lets the next sender take the mail again, with the same Message-ID."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from logic.domain.mail import Mail, OutboxMail
from logic.store.rows import Rows, utc
from logic.store.schema import outbox


def _at(value: Any) -> dt.datetime | None:
    return utc(value) if value is not None else None


def _from(row: Any) -> OutboxMail:
    return OutboxMail(
        number=int(row.number),
        key=str(row.key),
        kind=str(row.kind),
        recipient=str(row.recipient),
        recipient_name=str(row.recipient_name),
        language=str(row.language),
        subject=str(row.subject),
        body=str(row.body),
        message_id=str(row.message_id),
        created_at=utc(row.created_at),
        attempts=int(row.attempts),
        claimed_until=_at(row.claimed_until),
        last_error=row.last_error,
        sent_at=_at(row.sent_at),
        failed_at=_at(row.failed_at),
    )


class OutboxRows(Rows):
    def add(self, mails: list[Mail]) -> int:
        """The mails whose key the outbox does not hold yet (a key is taken once, also by
        two writers at once); how many were added."""
        if not mails:
            return 0
        dialect = postgresql if self.postgresql else sqlite
        values = [
            {
                "key": m.key,
                "kind": m.kind,
                "recipient": m.recipient.email,
                "recipient_name": m.recipient.namn,
                "language": m.recipient.language,
                "subject": m.subject,
                "body": m.body,
                "message_id": f"<{uuid.uuid4().hex}@basutbud>",
                "about": "|".join(map(str, m.about)) or None,
                "created_at": self.now,
                "attempts": 0,
            }
            for m in mails
        ]
        statement = (
            dialect.insert(outbox)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(outbox.c.number)
        )
        added = 0
        for value in values:  # a number back for each row added, none where the key was taken
            added += len(self.connection.execute(statement, value).all())
        return added

    def keys(self, prefix: str) -> set[str]:
        statement = select(outbox.c.key).where(outbox.c.key.startswith(prefix, autoescape=True))
        return {str(k) for k in self.connection.execute(statement).scalars()}

    def digested(self, recipient: str) -> set[int]:
        """The requests already in a digest to this person."""
        statement = select(outbox.c.about).where(
            outbox.c.kind == "request_digest", outbox.c.recipient == recipient
        )
        return {int(n) for about in self.connection.execute(statement).scalars()
                for n in (about or "").split("|") if n}  # fmt: skip

    def claim_next(self, token: str, until: dt.datetime, after: int = 0) -> OutboxMail | None:
        """The oldest mail after number `after` neither sent nor failed nor claimed by a
        sender still within its claim, claimed by `token` until `until` (one more attempt);
        None when there is none. Two senders at once never claim the same mail."""
        now = self.now
        free = (
            outbox.c.sent_at.is_(None),
            outbox.c.failed_at.is_(None),
            (outbox.c.claimed_until.is_(None)) | (outbox.c.claimed_until <= now),
        )
        candidate = (
            select(outbox.c.number)
            .where(outbox.c.number > after, *free)
            .order_by(outbox.c.number)
            .limit(1)
        )
        if self.postgresql:  # another sender's claim in flight is passed by, not waited on
            candidate = candidate.with_for_update(skip_locked=True)
        number = self.connection.execute(candidate).scalar()
        if number is None:
            return None
        claimed = self.connection.execute(
            update(outbox)
            .where(outbox.c.number == number, *free)
            .values(claimed_by=token, claimed_until=until, attempts=outbox.c.attempts + 1)
        ).rowcount
        return self.get(number) if claimed == 1 else None

    def sent(self, number: int) -> bool:
        """Marked sent; False when it was marked already (a sender whose claim ran out, and
        the one that took the mail over, both sent it: the window the docs name)."""
        statement = (
            update(outbox)
            .where(outbox.c.number == number, outbox.c.sent_at.is_(None))
            .values(sent_at=self.now, claimed_until=None, last_error=None)
        )
        return self.connection.execute(statement).rowcount == 1

    def failed(self, number: int, token: str, error: str, for_good: bool) -> None:
        """Not sent by the sender holding `token`: for good (the server refused the recipient
        or the message), or to be tried again later (the server unreachable, busy or gone
        mid-way). A claim that ran out and was taken over is the other sender's: untouched."""
        values: dict[str, Any] = {"claimed_until": None, "last_error": error[:2000]}
        if for_good:
            values["failed_at"] = self.now
        statement = update(outbox).where(
            outbox.c.number == number, outbox.c.sent_at.is_(None), outbox.c.claimed_by == token
        )
        self.connection.execute(statement.values(**values))

    def get(self, number: int) -> OutboxMail | None:
        row = self.connection.execute(select(outbox).where(outbox.c.number == number)).first()
        return _from(row) if row else None

    def newest(self, limit: int) -> list[OutboxMail]:
        statement = select(outbox).order_by(outbox.c.number.desc()).limit(limit)
        return [_from(r) for r in self.connection.execute(statement)]

    def counts(self) -> dict[str, int]:
        """How many mails are sent, failed for good, and not yet sent."""
        statement = select(
            func.count(outbox.c.sent_at),
            func.count(outbox.c.failed_at),
            func.count(),
        )
        sent, failed, total = self.connection.execute(statement).one()
        return {"sent": int(sent), "failed": int(failed), "unsent": int(total - sent - failed)}
