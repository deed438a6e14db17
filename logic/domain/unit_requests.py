"""A unit manager's request (begäran) about their unit: a new assessment (omprövning) or an
exemption (undantag), with the reason in their own words. It enters the regional team's
queue and is answered once, in words, by one of them; both halves are in the audit chain
and verified against the table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from logic.domain.errors import Refused
from logic.domain.validation import FieldError, text_errors

RequestKind = Literal["omprovning", "undantag"]
REQUEST_KINDS: tuple[str, ...] = get_args(RequestKind)


@dataclass(frozen=True)
class UnitRequest:
    number: int
    hsa_id: str
    kind: str
    reason: str
    asked_by: str
    asked_at: dt.datetime
    answer: str | None = None
    answered_by: str | None = None
    answered_at: dt.datetime | None = None
    answered_revision: int | None = None  # answered by a decision: the revision approved

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class RequestRefused(Refused):
    """`reason`: text (the reason or the answer refused: `errors` say why), kind (not a
    kind of request), not_found, answered (answered already, by someone else perhaps)."""

    def __init__(self, reason: str, errors: list[FieldError] | None = None):
        super().__init__(reason)
        self.reason, self.errors = reason, errors or []

    def words(self) -> tuple[str, dict[str, object]]:
        if self.errors:
            return self.errors[0].message, dict(self.errors[0].params)
        return f"request.refused.{self.reason}", {}


def checked_text(field: str, value: str) -> str:
    """A reason or an answer as it may be kept: required, within the length, no identity
    number, no invisible character; RequestRefused otherwise."""
    errors = text_errors(field, value, required=True)
    if errors:
        raise RequestRefused("text", errors)
    return value.strip()


def request_in_event(actor: str, at: dt.datetime, details: Mapping[str, object]) -> tuple:
    return (
        details.get("hsa_id"),
        details.get("kind"),
        details.get("reason"),
        actor,
        at.isoformat(),
    )


def answer_in_event(actor: str, at: dt.datetime, details: Mapping[str, object]) -> tuple:
    return (details.get("answer"), details.get("revision"), actor, at.isoformat())


def request_problem(
    stored: Iterable[UnitRequest],
    asked: Mapping[object, tuple],
    answered: Mapping[object, tuple],
) -> str | None:
    """The first request (its number) that the table and the audit events do not hold alike:
    what was asked, and the answer if any; None if they agree."""
    seen: set[object] = set()
    for r in stored:
        seen.add(r.number)
        mine = (r.hsa_id, r.kind, r.reason, r.asked_by, r.asked_at.isoformat())
        if asked.get(r.number) != mine:
            return str(r.number)
        given = (
            (r.answer, r.answered_revision, r.answered_by, r.answered_at.isoformat())
            if r.answered_at
            else None
        )
        if answered.get(r.number) != given:
            return str(r.number)
    for number in sorted({*asked, *answered} - seen, key=str):
        return str(number)
    return None
