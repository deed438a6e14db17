"""What unit managers add to the record (acknowledgements, requests and their answers),
held by verification against the audit events that recorded each: one each, alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from logic.domain.acknowledgements import (
    Acknowledgement,
    acknowledgement_in_event,
    acknowledgement_problem,
)
from logic.domain.unit_requests import (
    UnitRequest,
    answer_in_event,
    request_in_event,
    request_problem,
)

# the audit events that record them (verification collects these by action)
UNIT_MANAGER_EVENTS = ("acknowledge_decision", "ask_unit_request", "answer_request")


def unit_manager_problem(
    acknowledgements: Iterable[Acknowledgement],
    requests: Iterable[UnitRequest],
    events: Mapping[str, Sequence[Any]],
) -> tuple[str, str] | None:
    """The first acknowledgement or request that its audit event does not hold alike, as
    (problem, where); None if all agree."""
    said = [
        acknowledgement_in_event(e.actor, e.at, e.details)
        for e in events.get("acknowledge_decision", ())
    ]
    where = acknowledgement_problem(acknowledgements, said)
    if where is not None:
        return "audit.altered_acknowledgement", where
    asked = {
        e.details.get("number"): request_in_event(e.actor, e.at, e.details)
        for e in events.get("ask_unit_request", ())
    }
    answered = {
        e.details.get("number"): answer_in_event(e.actor, e.at, e.details)
        for e in events.get("answer_request", ())
    }
    where = request_problem(requests, asked, answered)
    if where is not None:
        return "audit.altered_request", where
    return None
