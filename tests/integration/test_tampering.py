"""Every column of every append-only table, altered behind the app's back (triggers off, as
only the database's owner could), is named by verification; so are the forgeries that
recompute a hash, delete a pending decision, edit the register's projection or grant a role
in the users table. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from logic.domain.record import revision_hash
from logic.services.audit import verify_audit
from logic.services.units import import_units
from logic.store.store import Store
from tests.factories import ADAM, BERIT, HEADER, ROW, decide, on_day
from tests.integration.test_audit import triggers_off

APPROVED, PENDING = "SE162321000255-T0001", "SE162321000255-T0002"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def recorded(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002"), ROW.replace("T0001", "T0003")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    decide(store, APPROVED, approver=BERIT, rationale="Fastställd.")
    decide(store, PENDING, rationale="Väntar.")
    assert verify_audit(store, ADAM).intact
    return store


REVISION_COLUMNS = {
    "hsa_id": "'SE162321000255-T0003'",
    "revision": "7",
    "based_on_revision": "6",
    "author": "'mallory@region.se'",
    "created_at": "'2020-01-01 00:00:00'",
    "inputs": """'{"namn": "Annan"}'""",
    "recommendation": "'{}'",
    "catalog_version": "'forged'",
    "outcome": "'undantagen'",
    "variant": "'avdelning'",
    "decision": """'{"rationale": "Annan."}'""",
    "content_hash": "'" + "0" * 64 + "'",
    "required": "'kontakt'",
    "missing": "''",
    "grounds": "'annat'",
    "rationale": "'Annan motivering.'",
    "review_date": "'2030-01-01'",
    "deviates": "CASE WHEN deviates THEN false ELSE true END",
    "rule_ids": "'forged_rule'",
}
APPROVAL_COLUMNS = {
    "hsa_id": f"'{PENDING}'",
    "revision": "2",
    "content_hash": "'" + "0" * 64 + "'",
    "verdict": "'aterremitterad'",
    "comment": "'Ändrad.'",
    "approver": "'mallory@region.se'",
    "at": "'2020-01-01 00:00:00'",
}
EVENT_COLUMNS = {
    "at": "'2020-01-01 00:00:00'",
    "actor": "'mallory@region.se'",
    "action": "'export_decisions'",
    "details": """'{"forged": true}'""",
    "prev_hash": "'" + "1" * 64 + "'",
    "hash": "'" + "2" * 64 + "'",
}


@pytest.mark.parametrize(("column", "value"), REVISION_COLUMNS.items(), ids=list(REVISION_COLUMNS))
def test_every_column_of_a_revision_is_covered(recorded: Store, column: str, value: str) -> None:
    with triggers_off(recorded, "assessment_revisions") as conn:
        conn.execute(
            text(f"UPDATE assessment_revisions SET {column} = {value} WHERE hsa_id = :h"),
            {"h": PENDING},
        )
    result = verify_audit(recorded, ADAM)
    assert (result.intact, result.problem) == (False, "audit.altered_revision"), column
    assert result.where.startswith(("SE162321000255-T0002", "SE162321000255-T0003")), column
    assert result.where.endswith(": rule_ids") == (column == "rule_ids"), column


@pytest.mark.parametrize(("column", "value"), APPROVAL_COLUMNS.items(), ids=list(APPROVAL_COLUMNS))
def test_every_column_of_a_verdict_is_covered(recorded: Store, column: str, value: str) -> None:
    with triggers_off(recorded, "approvals") as conn:
        conn.execute(text(f"UPDATE approvals SET {column} = {value}"))
    result = verify_audit(recorded, ADAM)
    assert (result.intact, result.problem) == (False, "audit.altered_approval"), column


@pytest.mark.parametrize(("column", "value"), EVENT_COLUMNS.items(), ids=list(EVENT_COLUMNS))
def test_every_column_of_an_audit_event_is_covered(
    recorded: Store, column: str, value: str
) -> None:
    with triggers_off(recorded, "audit_events") as conn:
        second = conn.execute(text("SELECT id FROM audit_events ORDER BY id")).all()[1][0]
        conn.execute(
            text(f"UPDATE audit_events SET {column} = {value} WHERE id = :i"), {"i": second}
        )
    result = verify_audit(recorded, ADAM)
    assert result.problem in ("audit.altered_event", "audit.broken_link"), column
    assert result.where == str(second) or result.where == str(second + 1)


def test_a_pending_decision_edited_with_its_hash_recomputed_is_detected(recorded: Store) -> None:
    with recorded.transaction() as tx:
        [revision] = tx.revisions.of_unit(PENDING)
    forged = revision.model_copy(
        update={
            "rationale": "Ändrad i efterhand.",
            "decision": revision.decision | {"rationale": "Ändrad i efterhand."},
        }
    )
    with triggers_off(recorded, "assessment_revisions") as conn:
        conn.execute(
            text(
                "UPDATE assessment_revisions SET rationale = :r, decision = :d, content_hash = :c"
                " WHERE hsa_id = :h"
            ),
            {
                "r": forged.rationale,
                "d": json.dumps(forged.decision),
                "c": revision_hash(forged),
                "h": PENDING,
            },
        )
    result = verify_audit(recorded, ADAM)
    assert (result.problem, result.where) == ("audit.altered_revision", f"{PENDING} rev 1")


def test_a_deleted_pending_decision_is_detected(recorded: Store) -> None:
    with triggers_off(recorded, "assessment_revisions") as conn:
        conn.execute(text("DELETE FROM assessment_revisions WHERE hsa_id = :h"), {"h": PENDING})
        conn.execute(
            text(
                "UPDATE units SET current_revision = NULL, decision_status = NULL WHERE hsa_id = :h"
            ),
            {"h": PENDING},
        )
    result = verify_audit(recorded, ADAM)
    assert (result.problem, result.where) == ("audit.missing_revision", f"{PENDING} rev 1")


@pytest.mark.parametrize(
    "assignment",
    [
        "decision_outcome = 'undantagen'",
        "decision_missing = ''",
        "decision_required = 'kontakt'",
        "decision_review_date = '2030-01-01'",
        "decision_deviates = true",
        "decision_below_minimum = true",
        "kontakt_since = NULL",
        "current_revision = NULL",
        "decision_status = 'aterremitterad'",
        "in_force_approver = 'mallory@region.se'",
    ],
)
def test_the_registers_projection_is_recomputed(recorded: Store, assignment: str) -> None:
    """The follow-up aggregates these columns: a forged value would show wrong figures."""
    with recorded.engine.begin() as conn:
        conn.execute(text(f"UPDATE units SET {assignment} WHERE hsa_id = :h"), {"h": APPROVED})
    result = verify_audit(recorded, ADAM)
    assert (result.problem, result.where.split(":")[0]) == ("audit.altered_register", APPROVED)


def test_a_role_granted_directly_in_the_users_table_is_detected(recorded: Store) -> None:
    from logic.domain.auth import SYSTEM
    from logic.services.users import save_user

    save_user(recorded, ADAM.model_copy(update={"roles": ("chef",)}), ADAM)
    assert verify_audit(recorded, SYSTEM).intact
    with recorded.engine.begin() as conn:
        conn.execute(
            text("UPDATE users SET roles = 'administrator|chef' WHERE email = :e"),
            {"e": ADAM.email},
        )
    result = verify_audit(recorded, SYSTEM)
    assert (result.problem, result.where) == ("audit.altered_user", ADAM.email)


def rewrite_chain_without_the_key(store: Store, actor_of_first: str | None = None) -> None:
    """What the database's owner can do without the key: delete every event and write them
    again, unkeyed, each hash recomputed (optionally changing the first one's actor)."""
    from logic.domain.record import GENESIS, event_hash

    with store.transaction() as tx:
        events = tx.audit.events()
    with triggers_off(store, "audit_events") as conn:
        conn.execute(text("DELETE FROM audit_events"))
        previous = GENESIS
        for event in events:
            first = event.id == events[0].id
            actor = actor_of_first if first and actor_of_first else event.actor
            digest = event_hash(event.at, actor, event.action, event.details, previous)
            conn.execute(
                text(
                    "INSERT INTO audit_events (id, at, actor, action, details, prev_hash, hash)"
                    " VALUES (:i, :at, :a, :ac, :d, :p, :h)"
                ),
                {
                    "i": event.id,
                    "at": event.at,
                    "a": actor,
                    "ac": event.action,
                    "d": json.dumps(event.details),
                    "p": previous,
                    "h": digest,
                },
            )
            previous = digest


def test_a_chain_rewritten_with_recomputed_hashes_fails_against_a_head_written_down(
    recorded: Store,
) -> None:
    from logic.domain.record import parse_head

    noted = parse_head(verify_audit(recorded, ADAM).head)
    rewrite_chain_without_the_key(recorded, actor_of_first="mallory@region.se")
    result = verify_audit(recorded, ADAM, expect=noted)
    assert (result.problem, result.where) == ("audit.head_mismatch", f"{noted[0]}:{noted[1]}")


def test_without_the_key_a_rewritten_chain_is_detected_even_without_a_head(
    recorded: Store,
) -> None:
    rewrite_chain_without_the_key(recorded)
    assert verify_audit(recorded, ADAM).problem == "audit.unkeyed_chain"


def test_a_chain_rewritten_without_the_key_stays_found_whatever_the_app_does(
    recorded: Store,
) -> None:
    """The app's start, a sign-in, an action, a verification: none of them appends a keyed
    event after a chain rewritten without the key (that would make it verify), each is
    refused in words; only an administrator's explicit, recorded introduction does."""
    from logic.bootstrap import prepare
    from logic.domain.errors import UnkeyedChain
    from logic.services.audit import introduce_key
    from logic.services.users import sign_in
    from logic.settings import Settings

    rewrite_chain_without_the_key(recorded)
    with recorded.transaction() as tx:
        before = len(tx.audit.events())
    prepare(recorded, Settings(auth_mode="local"))  # the app's next start
    for action in (
        lambda: sign_in(recorded, ADAM.email, ADAM.namn, "local"),
        lambda: import_units(recorded, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv"),
    ):
        with pytest.raises(UnkeyedChain) as refused:
            action()
        assert refused.value.words()[0] == "audit.refused_unkeyed"
    assert verify_audit(recorded, ADAM).problem == "audit.unkeyed_chain"  # said, unrecorded
    with recorded.transaction() as tx:
        assert len(tx.audit.events()) == before  # nothing appended
    introduced = introduce_key(recorded, ADAM)  # a person's decision, on the record
    assert introduced is not None and introduced.problem == "audit.unkeyed_chain"
    assert verify_audit(recorded, ADAM).intact
    with recorded.transaction() as tx:
        newest = tx.audit.events()[-2]
    assert (newest.action, newest.actor) == ("audit_key_introduced", ADAM.email)


def test_keyed_events_after_unkeyed_ones_without_the_introduction_are_found(
    recorded: Store,
) -> None:
    """A keyed event after a chain rewritten without the key that is not the introduction
    of exactly that chain (its length and head) does not make it verify."""
    rewrite_chain_without_the_key(recorded)
    with recorded.transaction() as tx:  # an introduction that does not name what it keys
        head, _ = tx.audit.chain_tail()
        tx.audit.append(ADAM.email, "audit_key_introduced", {"unkeyed_events": 1, "head": head})
    assert verify_audit(recorded, ADAM).problem == "audit.key_not_introduced"


def test_a_keyed_event_forged_with_details_out_of_shape_after_unkeyed_ones_is_named(
    recorded: Store,
) -> None:
    """Details that are no mapping (a list) on the keyed event after a chain rewritten
    without the key: named as no introduction, never a crash."""
    rewrite_chain_without_the_key(recorded)
    with recorded.transaction() as tx:
        head, _ = tx.audit.chain_tail()
        tx.audit.append(ADAM.email, "audit_key_introduced", {"unkeyed_events": 1, "head": head})
    with triggers_off(recorded, "audit_events") as conn:
        newest = conn.execute(text("SELECT MAX(id) FROM audit_events")).scalar_one()
        conn.execute(text("UPDATE audit_events SET details = '[1]' WHERE id = :i"), {"i": newest})
    result = verify_audit(recorded, ADAM)
    assert (result.problem, result.where) == ("audit.key_not_introduced", str(newest))


def test_a_chain_begun_without_a_key_takes_it_when_an_administrator_introduces_it(engine) -> None:  # type: ignore[no-untyped-def]
    from logic.services.audit import introduce_key, verify_copy
    from logic.store.db import migrate

    migrate(engine)
    unkeyed = Store(engine)  # an older app, before keys
    import_units(unkeyed, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")
    keyed = Store(engine, b"the-key")
    assert introduce_key(keyed, ADAM) and introduce_key(keyed, ADAM) is None  # once
    decide(on_day(keyed, TODAY), APPROVED)
    result = verify_audit(keyed, ADAM)
    assert result.intact and result.unkeyed == 1
    wrong_key = Store(engine, b"another-key")
    assert verify_copy(wrong_key).problem == "audit.unknown_key"  # read-only: no trace
    decide(on_day(unkeyed, TODAY), APPROVED)  # an unkeyed event after keyed ones
    assert verify_audit(keyed, ADAM).problem == "audit.unkeyed_event"


@pytest.mark.parametrize(
    "assignment", ["details = '[1]'", "details = '{'", "at = 'garbage'"], ids=str
)
def test_an_event_forged_out_of_shape_is_named_not_a_crash(
    recorded: Store, assignment: str
) -> None:
    from logic.domain.auth import SYSTEM

    postgres = recorded.engine.dialect.name == "postgresql"
    if postgres and assignment != "details = '[1]'":
        pytest.skip("PostgreSQL's json and timestamp types refuse such a value themselves")
    with triggers_off(recorded, "audit_events") as conn:
        first = conn.execute(text("SELECT MIN(id) FROM audit_events")).scalar_one()
        conn.execute(text(f"UPDATE audit_events SET {assignment} WHERE id = :i"), {"i": first})
    result = verify_audit(recorded, SYSTEM)
    assert (result.problem, result.where) == ("audit.altered_event", str(first))


def test_a_user_row_forged_out_of_shape_is_named(recorded: Store) -> None:
    from logic.domain.auth import SYSTEM, User
    from logic.services.users import save_user

    save_user(recorded, User(email="bo@region.se", namn="Bo", roles=("chef",)), SYSTEM)
    for assignment in ("namn = '19121212-1212'", "roles = 'bogus'", "namn = 'a\tb'"):
        with recorded.engine.begin() as conn:
            conn.execute(text(f"UPDATE users SET {assignment} WHERE email = 'bo@region.se'"))
        result = verify_audit(recorded, SYSTEM)
        assert (result.problem, result.where) == ("audit.altered_user", "bo@region.se")
