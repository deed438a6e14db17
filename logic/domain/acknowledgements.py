"""A unit manager's acknowledgement (kvittens) of the decision in force on their unit: who,
when, which revision, bound to its content hash as they saw it. Kept append-only and in the
audit chain; verification holds the two to each other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from logic.domain.errors import Refused


@dataclass(frozen=True)
class Acknowledgement:
    hsa_id: str
    revision: int
    email: str
    at: dt.datetime
    content_hash: str

    def key(self) -> tuple[str, int, str]:
        return (self.hsa_id, self.revision, self.email)


class AcknowledgementRefused(Refused):
    """`reason`: not_in_force (the revision is not the decision in force: a newer one was
    approved, or none is), changed (its content is not what was shown), already (this
    person acknowledged it before)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def words(self) -> tuple[str, dict[str, object]]:
        return f"ack.refused.{self.reason}", {}


def acknowledgement_in_event(actor: str, at: dt.datetime, details: Mapping[str, object]) -> tuple:
    """What an `acknowledge_decision` event says, comparable with a stored acknowledgement."""
    return (
        details.get("hsa_id"),
        details.get("revision"),
        actor,
        at.isoformat(),
        details.get("content_hash"),
    )


def acknowledgement_problem(
    stored: Iterable[Acknowledgement], recorded: Iterable[tuple]
) -> str | None:
    """The first acknowledgement (as "hsa_id revision email") that the table and the audit
    events do not both hold alike; None if they agree."""
    table = {
        a.key(): (a.hsa_id, a.revision, a.email, a.at.isoformat(), a.content_hash) for a in stored
    }
    events = {(e[0], e[1], e[2]): e for e in recorded}
    for key in sorted(table.keys() | events.keys(), key=str):
        if table.get(key) != events.get(key):
            return " ".join(str(k) for k in key)
    return None
