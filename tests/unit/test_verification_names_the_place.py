"""Verification on a small record held in memory: a register that claims a decision the
record does not have is named, so is the field of a current decision that differs, and an
audited role list reads the same in any order (events written before roles were sorted)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from logic.domain.auth import User
from logic.domain.record import (
    GENESIS,
    AuditEvent,
    NewRevision,
    RevisionRow,
    StoredRevision,
    event_hash,
    seal,
)
from logic.domain.rules import recommend
from logic.domain.verification import verify
from logic.domain.workflow import CurrentStatus, on_submission
from logic.files.reference_data import catalog
from tests.factories import make_unit

CAT = catalog()
AT = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
UNIT = make_unit()


def chain(*steps: tuple[str, dict[str, Any]]) -> list[AuditEvent]:
    """Unkeyed events, each linked to the one before (as an app before keys wrote them)."""
    events, head = [], GENESIS
    for number, (action, details) in enumerate(steps, start=1):
        digest = event_hash(AT, "anna@region.se", action, details, head)
        events.append(
            AuditEvent(
                id=number,
                at=AT,
                actor="anna@region.se",
                action=action,
                details=details,
                prev_hash=head,
                hash=digest,
            )
        )
        head = digest
    return events


def submitted() -> tuple[StoredRevision, list[AuditEvent], list[RevisionRow]]:
    rec = recommend(UNIT, CAT, AT.date())
    revision = seal(
        NewRevision(
            hsa_id=UNIT.hsa_id,
            based_on_revision=None,
            author="anna@region.se",
            inputs=UNIT.model_dump(mode="json"),
            recommendation=rec,
            outcome="omfattas",
            variant=rec.variant,
            decision={"outcome": "omfattas"},
            required=rec.required,
            missing=rec.missing,
        ),
        1,
        AT,
    )
    events = chain(
        (
            "submit_decision",
            {"hsa_id": UNIT.hsa_id, "revision": 1, "content_hash": revision.content_hash},
        )
    )
    rows = [RevisionRow(revision, "|".join(dict.fromkeys(rec.rule_ids)))]
    return revision, events, rows


def test_the_record_in_memory_verifies_intact() -> None:
    revision, events, rows = submitted()
    current = [CurrentStatus(hsa_id=UNIT.hsa_id, decision=on_submission(revision),
                             in_force_revision=None, in_force_approver=None)]  # fmt: skip
    result = verify(events, rows, current=current)
    assert (result.intact, result.events, result.revisions) == (True, 1, 1)
    assert result.head == f"1:{events[-1].hash}"


@pytest.mark.parametrize(
    ("field", "value"),
    [("outcome", "undantagen"), ("missing", ()), ("review_date", dt.date(2030, 1, 1))],
)
def test_a_current_decision_forged_in_the_register_is_named_by_its_field(
    field: str, value: object
) -> None:
    revision, events, rows = submitted()
    forged = on_submission(revision).model_copy(update={field: value})
    current = [CurrentStatus(hsa_id=UNIT.hsa_id, decision=forged,
                             in_force_revision=None, in_force_approver=None)]  # fmt: skip
    result = verify(events, rows, current=current)
    assert (result.problem, result.where) == ("audit.altered_register", f"{UNIT.hsa_id}: {field}")


def test_a_decision_forged_in_the_register_for_a_unit_never_decided_is_named() -> None:
    revision, _, _ = submitted()
    claims = [
        CurrentStatus(hsa_id="SE-NEVER", decision=on_submission(revision),
                      in_force_revision=None, in_force_approver=None),
        CurrentStatus(hsa_id="SE-NEVER", decision=None,
                      in_force_revision=1, in_force_approver="mallory@region.se"),
    ]  # fmt: skip
    for claim in claims:
        result = verify([], [], current=[claim])
        assert (result.problem, result.where) == (
            "audit.altered_register",
            "SE-NEVER: current_revision",
        )
    untouched = CurrentStatus(
        hsa_id="SE-NEVER", decision=None, in_force_revision=None, in_force_approver=None
    )
    assert verify([], [], current=[untouched]).intact


def test_roles_audited_in_another_order_are_the_same_roles() -> None:
    after = {"email": "bo@region.se", "namn": "Bo", "active": True}
    events = chain(
        ("add_user", {"email": "bo@region.se",
                      "after": after | {"roles": ["handlaggare", "beslutsfattare"]}}),
    )  # fmt: skip
    bo = User(email="bo@region.se", namn="Bo", roles=("beslutsfattare", "handlaggare"))
    assert verify(events, [], users=[bo]).intact
    demoted = bo.model_copy(update={"roles": ("handlaggare",)})
    result = verify(events, [], users=[demoted])
    assert (result.problem, result.where) == ("audit.altered_user", "bo@region.se")
