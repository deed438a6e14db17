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


def test_facts_no_unit_can_have_are_named_where_no_digest_covers_them() -> None:
    """An import recorded before imports committed to a digest leaves its observations
    unchecked by the chain: a fact no unit can have, written into the observation and the
    register alike, is named as the unit's facts, not a crash of the rules."""
    stored = {f: "|".join(v) if isinstance(v, list) else v
              for f, v in UNIT.model_dump(mode="json").items()}  # fmt: skip
    forged = stored | {"enhetstyp": "rymdstation", "observed": AT.date()}
    observation = forged | {"id": 1, "recorded_at": AT, "source": "fil"}
    unit = CurrentStatus(hsa_id=UNIT.hsa_id, decision=None, in_force_revision=None,
                         in_force_approver=None, facts=forged,
                         catalog_version=CAT.version)  # fmt: skip
    events = chain(("import_units", {"source": "gammal.csv", "units": 1}))  # no digest
    result = verify(events, [], current=[unit], observations=[observation], catalog=CAT)
    assert (result.problem, result.where) == ("audit.altered_register", f"{UNIT.hsa_id}: facts")


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


# --- A whole record, keyed, and each way of forging it -----------------------------------
KEY = b"the-key"
BERIT_AT = AT + dt.timedelta(hours=1)


def keyed_chain(
    steps: list[tuple[str, str, dict[str, Any]]], key: bytes | None = KEY
) -> list[AuditEvent]:
    from logic.domain.record import key_id

    events, head = [], GENESIS
    for number, (actor, action, details) in enumerate(steps, start=1):
        at = BERIT_AT if action == "approve_decision" else AT
        digest = event_hash(at, actor, action, details, head, key)
        events.append(
            AuditEvent(id=number, at=at, actor=actor, action=action, details=details,
                       prev_hash=head, hash=digest, key_id=key_id(key) if key else None)
        )  # fmt: skip
        head = digest
    return events


def whole_record(key: bytes | None = KEY, approver: str = "berit@region.se") -> dict[str, Any]:
    from logic.domain.record import StoredVerdict

    revision, _, rows = submitted()
    bo = User(email="bo@region.se", namn="Bo", roles=("beslutsfattare",))
    approval = StoredVerdict(
        hsa_id=UNIT.hsa_id, revision=1, content_hash=revision.content_hash,
        verdict="faststalld", comment="Ok.", approver=approver, at=BERIT_AT,
    )  # fmt: skip
    steps = [
        ("adam@region.se", "add_user",
         {"email": "bo@region.se", "after": bo.model_dump(mode="json")}),
        ("anna@region.se", "submit_decision",
         {"hsa_id": UNIT.hsa_id, "revision": 1, "content_hash": revision.content_hash}),
        (approver, "approve_decision",
         {"hsa_id": UNIT.hsa_id, "revision": 1, "content_hash": revision.content_hash,
          "comment": "Ok."}),
    ]  # fmt: skip
    decision = on_submission(revision).model_copy(update={"status": "faststalld"})
    return {
        "events": keyed_chain(steps, key),
        "revisions": rows,
        "approvals": [approval],
        "current": [CurrentStatus(hsa_id=UNIT.hsa_id, decision=decision, in_force_revision=1,
                                  in_force_approver=approver, in_force_at=BERIT_AT)],
        "users": [bo],
        "key": key,
    }  # fmt: skip


def test_a_whole_keyed_record_verifies_and_gives_its_head() -> None:
    record = whole_record()
    result = verify(**record)
    assert (result.problem, result.events, result.revisions, result.unkeyed) == (None, 3, 1, 0)
    head = f"3:{record['events'][-1].hash}"
    assert result.head == head
    from logic.domain.record import parse_head

    assert parse_head(f" {head.upper()} \n") == (3, record["events"][-1].hash)
    for not_a_head in ("", "3", "x:" + "a" * 64, "3:" + "a" * 63, "3:" + "a" * 65):
        assert parse_head(not_a_head) is None, not_a_head
    assert verify(**record, expect=parse_head(head)).intact
    assert verify(**record, expect=(2, record["events"][1].hash)).intact  # still passes it


def forge(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return record | changes


def replace_event(record: dict[str, Any], index: int, **update: Any) -> list[AuditEvent]:
    events = list(record["events"])
    events[index] = events[index].model_copy(update=update)
    return events


def unkeyed_last(record: dict[str, Any]) -> list[AuditEvent]:
    """The last event written again without the key, linked as before."""
    last = record["events"][-1]
    digest = event_hash(last.at, last.actor, last.action, last.details, last.prev_hash)
    return replace_event(record, -1, key_id=None, hash=digest)


def e_step(record: dict[str, Any], index: int) -> tuple[str, str, dict[str, Any]]:
    """An event of the record as a step to chain again."""
    event = record["events"][index]
    return event.actor, event.action, event.details


FORGERIES = {
    "a link cut": lambda r: forge(r, events=replace_event(r, 1, prev_hash="1" * 64)),
    "an event's actor": lambda r: forge(r, events=replace_event(r, 2, actor="mallory@region.se")),
    "an event out of shape": lambda r: forge(r, events=replace_event(r, 1, at=None)),
    "another key": lambda r: forge(r, key=b"another-key"),
    "no key given": lambda r: forge(r, key=None),
    "an unkeyed event after keyed ones": lambda r: forge(r, events=unkeyed_last(r)),
    "a chain rewritten without the key": lambda r: forge(r, events=whole_record(None)["events"]),
    "a head written down, rewritten": lambda r: forge(r, expect=(2, "f" * 64)),
    "a head written down, cut off": lambda r: forge(r, expect=(4, "f" * 64)),
    "a revision altered": lambda r: forge(
        r,
        revisions=[
            r["revisions"][0]._replace(
                revision=r["revisions"][0].revision.model_copy(update={"rationale": "Ändrad."})
            )
        ],
    ),  # fmt: skip
    "a revision's rule ids": lambda r: forge(
        r, revisions=[r["revisions"][0]._replace(rule_ids="x")]
    ),
    "a revision unreadable": lambda r: forge(
        r, revisions=[RevisionRow(None, "", f"{UNIT.hsa_id} rev 1")]
    ),
    "a revision deleted": lambda r: forge(r, revisions=[], current=[]),
    "a verdict's comment": lambda r: forge(
        r, approvals=[r["approvals"][0].model_copy(update={"comment": "Ändrad."})]
    ),
    "a verdict by the author": lambda r: forge(
        r, approvals=[r["approvals"][0].model_copy(update={"approver": "anna@region.se"})]
    ),
    "a verdict deleted": lambda r: forge(r, approvals=[]),
    "a verdict by the author, recorded as such": lambda r: whole_record(approver="anna@region.se"),
    "a verdict on a revision that never was": lambda r: forge(
        r, events=keyed_chain([e_step(r, 0), e_step(r, 2)]), revisions=[], current=[]
    ),
    "a revision inserted behind the app's back": lambda r: forge(
        r,
        events=keyed_chain([e_step(r, 0)]),
        approvals=[],
        current=[
            r["current"][0].model_copy(
                update={"in_force_revision": None, "in_force_approver": None}
            )
        ],
    ),  # fmt: skip
    "the decision in force": lambda r: forge(
        r, current=[r["current"][0].model_copy(update={"in_force_approver": "mallory@region.se"})]
    ),
    "the register lost a unit": lambda r: forge(r, current=[]),
    "a user's roles": lambda r: forge(
        r, users=[r["users"][0].model_copy(update={"roles": ("administrator",)})]
    ),
    "a user deactivated": lambda r: forge(
        r, users=[r["users"][0].model_copy(update={"active": False})]
    ),
    "a user added": lambda r: forge(
        r, users=[*r["users"], User(email="eve@region.se", namn="Eve", roles=("chef",))]
    ),
    "a user deleted": lambda r: forge(r, users=[]),
}
NAMED = {
    "a link cut": ("audit.broken_link", "2"),
    "an event's actor": ("audit.altered_event", "3"),
    "an event out of shape": ("audit.altered_event", "2"),
    "another key": ("audit.unknown_key", "1"),
    "no key given": ("audit.unknown_key", "1"),
    "an unkeyed event after keyed ones": ("audit.unkeyed_event", "3"),
    "a chain rewritten without the key": ("audit.unkeyed_chain", "3"),
    "a head written down, rewritten": ("audit.head_mismatch", "2:" + "f" * 64),
    "a head written down, cut off": ("audit.head_missing", "4:" + "f" * 64),
    "a revision altered": ("audit.altered_revision", f"{UNIT.hsa_id} rev 1"),
    "a revision's rule ids": ("audit.altered_revision", f"{UNIT.hsa_id} rev 1: rule_ids"),
    "a revision unreadable": ("audit.altered_revision", f"{UNIT.hsa_id} rev 1"),
    "a revision deleted": ("audit.missing_revision", f"{UNIT.hsa_id} rev 1"),
    "a verdict's comment": ("audit.altered_approval", f"{UNIT.hsa_id} rev 1"),
    "a verdict by the author": ("audit.altered_approval", f"{UNIT.hsa_id} rev 1"),
    "a verdict deleted": ("audit.altered_approval", f"{UNIT.hsa_id} rev 1"),
    "a verdict by the author, recorded as such": ("audit.altered_approval", f"{UNIT.hsa_id} rev 1"),
    "a verdict on a revision that never was": ("audit.altered_approval", f"{UNIT.hsa_id} rev 1"),
    "a revision inserted behind the app's back": (
        "audit.unrecorded_revision",
        f"{UNIT.hsa_id} rev 1",
    ),
    "the decision in force": ("audit.altered_register", f"{UNIT.hsa_id}: in_force"),
    "the register lost a unit": ("audit.altered_register", f"{UNIT.hsa_id}: current_revision"),
    "a user's roles": ("audit.altered_user", "bo@region.se"),
    "a user deactivated": ("audit.altered_user", "bo@region.se"),
    "a user added": ("audit.altered_user", "eve@region.se"),
    "a user deleted": ("audit.altered_user", "bo@region.se"),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_each_forgery_of_a_whole_record_is_named_where_it_is(forgery: str) -> None:
    result = verify(**FORGERIES[forgery](whole_record()))
    assert (result.intact, result.problem, result.where) == (False, *NAMED[forgery])
    assert result.head == ""  # no head is given for a record that does not verify


def test_events_chained_before_the_key_are_counted_and_only_at_the_start() -> None:
    record = whole_record()
    steps = [e_step(record, i) for i in range(3)]
    unkeyed = keyed_chain(steps[:2], key=None)
    keyed = keyed_chain(steps, key=KEY)
    from logic.domain.record import key_id

    third = keyed[2]
    digest = event_hash(third.at, third.actor, third.action, third.details, unkeyed[-1].hash, KEY)
    events = [*unkeyed, third.model_copy(update={"prev_hash": unkeyed[-1].hash, "hash": digest})]
    assert events[-1].key_id == key_id(KEY)
    # a keyed event that does not introduce the key: the chain was rewritten, then continued
    result = verify(**record | {"events": events})
    assert (result.problem, result.where) == ("audit.key_not_introduced", str(third.id))
    # the administrator's introduction, naming the unkeyed part: from it on, keyed
    details = {"unkeyed_events": 2, "head": unkeyed[-1].hash}
    at = third.at
    intro = third.model_copy(
        update={
            "action": "audit_key_introduced",
            "details": details,
            "prev_hash": unkeyed[-1].hash,
            "hash": event_hash(
                at, third.actor, "audit_key_introduced", details, unkeyed[-1].hash, KEY
            ),
        }
    )
    after = event_hash(at, third.actor, third.action, third.details, intro.hash, KEY)
    then = third.model_copy(update={"prev_hash": intro.hash, "hash": after})
    result = verify(**record | {"events": [*unkeyed, intro, then]})
    assert (result.intact, result.unkeyed, result.events) == (True, 2, 4)
    wrong = {"unkeyed_events": 1, "head": unkeyed[-1].hash}  # names another chain
    forged = intro.model_copy(
        update={
            "details": wrong,
            "hash": event_hash(
                at, third.actor, "audit_key_introduced", wrong, unkeyed[-1].hash, KEY
            ),
        }
    )
    result = verify(**record | {"events": [*unkeyed, forged, then]})
    assert result.problem == "audit.key_not_introduced"
