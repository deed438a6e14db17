"""Four-eyes approval through the services, on SQLite and PostgreSQL: a second person
approves or returns exactly the content they saw; the record shows who and when."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from logic.domain.errors import CommentInvalid, VerdictRefused
from logic.domain.register import RegisterFilter, RegisterView
from logic.domain.workflow import revision_statuses
from logic.services.audit import verify_audit
from logic.services.register import export_decisions, follow_up, register_page
from logic.services.units import import_units
from logic.services.verdicts import (
    approve_decision,
    pending_decisions,
    return_decision,
    returned_decisions,
    unit_verdicts,
)
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, CECILIA, HEADER, ROW, decide, on_day
from tests.integration.test_audit import triggers_off

HSA = "SE162321000255-T0001"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def loaded(store: Store) -> Store:
    store = on_day(store, TODAY)
    import_units(store, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")
    return store


def row(store: Store) -> dict[str, object]:
    [only], _ = register_page(store, RegisterView(), CECILIA)
    return only


def test_a_submitted_decision_awaits_approval_and_a_second_person_approves_it(
    loaded: Store,
) -> None:
    revision = decide(loaded, HSA, ANNA)
    assert row(loaded).status == "for_beslut"
    assert [p.hsa_id for p in pending_decisions(loaded, BERIT)] == [HSA]

    approval = approve_decision(loaded, HSA, revision.revision, revision.content_hash, BERIT)
    assert (approval.verdict, approval.approver) == ("faststalld", BERIT.email)
    shown = row(loaded)
    assert (shown.status, shown.in_force_approver) == ("faststalld", BERIT.email)
    assert pending_decisions(loaded, BERIT) == []
    [report] = follow_up(loaded, None, CECILIA).by_forvaltning
    assert (report.faststallda, report.for_beslut) == (1, 0)
    [latest] = follow_up(loaded, None, CECILIA).latest_approvals
    assert latest.approver == BERIT.email
    exported = export_decisions(loaded, RegisterFilter(), "csv", CECILIA).data.decode()
    assert f"faststalld,{BERIT.email}," in exported
    with loaded.transaction() as tx:
        event = tx.audit.events()[-2]  # before the export
    assert event.action == "approve_decision" and event.actor == BERIT.email
    assert event.details["content_hash"] == revision.content_hash
    assert verify_audit(loaded, ADAM).intact


def test_approval_by_the_author_is_refused_and_nothing_is_written(loaded: Store) -> None:
    revision = decide(loaded, HSA, BERIT)  # a beslutsfattare also assesses
    with loaded.transaction() as tx:
        events = len(tx.audit.events())
    with pytest.raises(VerdictRefused) as refused:
        approve_decision(loaded, HSA, revision.revision, revision.content_hash, BERIT)
    assert refused.value.reason == "own_revision"
    with pytest.raises(VerdictRefused):
        return_decision(loaded, HSA, revision.revision, revision.content_hash, "Nej.", BERIT)
    assert unit_verdicts(loaded, HSA, CECILIA) == []
    assert row(loaded).status == "for_beslut"
    with loaded.transaction() as tx:  # only the two refused attempts
        refused = tx.audit.events()[events:]
    assert [(e.action, e.details["reason"]) for e in refused] == [
        ("verdict_refused", "own_revision"),
        ("verdict_refused", "own_revision"),
    ]


def test_a_stale_approval_is_refused_when_the_content_changed_after_it_was_seen(
    loaded: Store,
) -> None:
    seen = decide(loaded, HSA, ANNA, rationale="Första.")
    newer = decide(loaded, HSA, ANNA, rationale="Ändrad efteråt.")
    for number, digest in ((seen.revision, seen.content_hash), (newer.revision, seen.content_hash)):
        with pytest.raises(VerdictRefused) as refused:
            approve_decision(loaded, HSA, number, digest, BERIT)
        assert refused.value.reason == "stale"
    assert unit_verdicts(loaded, HSA, CECILIA) == []
    approve_decision(loaded, HSA, newer.revision, newer.content_hash, BERIT)
    with pytest.raises(VerdictRefused) as twice:
        approve_decision(loaded, HSA, newer.revision, newer.content_hash, BERIT)
    assert twice.value.reason == "already_decided"


def test_a_return_needs_a_comment_and_the_next_approval_supersedes_the_earlier_one(
    loaded: Store,
) -> None:
    first = decide(loaded, HSA, ANNA)
    approve_decision(loaded, HSA, first.revision, first.content_hash, BERIT)
    second = decide(loaded, HSA, ANNA, rationale="Ny bedömning.")
    with pytest.raises(CommentInvalid):
        return_decision(loaded, HSA, second.revision, second.content_hash, "  ", BERIT)
    return_decision(loaded, HSA, second.revision, second.content_hash, "Ange svarstiden.", BERIT)
    [returned] = returned_decisions(loaded, ANNA)
    assert (returned.comment, returned.approver) == ("Ange svarstiden.", BERIT.email)
    assert row(loaded).status == "aterremitterad"
    third = decide(loaded, HSA, ANNA, rationale="Svarstiden angiven.")
    approve_decision(loaded, HSA, third.revision, third.content_hash, BERIT)
    verdicts = {a.revision: a.verdict for a in unit_verdicts(loaded, HSA, CECILIA)}
    assert revision_statuses([1, 2, 3], verdicts) == {
        1: "ersatt",
        2: "aterremitterad",
        3: "faststalld",
    }
    assert returned_decisions(loaded, ANNA) == []


def test_a_comment_with_a_personal_identity_number_is_refused(loaded: Store) -> None:
    """On a return and on an approval alike, naming the comment; nothing is given."""
    revision = decide(loaded, HSA, ANNA)
    number = "Se 19121212-1212."
    for give in (
        lambda: return_decision(
            loaded, HSA, revision.revision, revision.content_hash, number, BERIT
        ),
        lambda: approve_decision(
            loaded, HSA, revision.revision, revision.content_hash, BERIT, comment=number
        ),
    ):
        with pytest.raises(CommentInvalid) as refused:
            give()
        assert [e.field for e in refused.value.errors] == ["comment"]
        assert refused.value.words()[0] == "wizard.err.personnummer"
    assert unit_verdicts(loaded, HSA, CECILIA) == []


def test_a_verdict_on_a_revision_that_never_was_is_refused_in_words(loaded: Store) -> None:
    with pytest.raises(VerdictRefused) as refused:
        approve_decision(loaded, HSA, 1, "0" * 64, BERIT)  # the unit was never decided
    assert refused.value.reason == "not_found"


def test_approvals_are_append_only_in_the_database(loaded: Store) -> None:
    revision = decide(loaded, HSA, ANNA)
    approve_decision(loaded, HSA, revision.revision, revision.content_hash, BERIT)
    for statement in ("UPDATE approvals SET approver = 'mallory'", "DELETE FROM approvals"):
        with pytest.raises(DBAPIError), loaded.engine.begin() as conn:
            conn.execute(text(statement))
    assert unit_verdicts(loaded, HSA, CECILIA)[0].approver == BERIT.email


@pytest.mark.parametrize(
    ("table", "statement"),
    [
        ("approvals", "UPDATE approvals SET approver = 'anna@region.se'"),  # the author
        ("approvals", "UPDATE approvals SET approver = 'tredje@region.se'"),  # someone else
        ("approvals", "UPDATE approvals SET verdict = 'aterremitterad'"),
        ("approvals", "UPDATE approvals SET comment = 'Efterhandskonstruktion.'"),
        ("approvals", "DELETE FROM approvals"),
        (
            "units",
            "UPDATE units SET decision_status = 'faststalld', in_force_approver = 'x@y.se'"
            " WHERE hsa_id = 'SE162321000255-T0002'",
        ),
    ],
    ids=["author", "third-party", "verdict", "comment", "deleted", "register"],
)
def test_an_approval_or_register_status_altered_in_the_database_is_detected(
    loaded: Store, table: str, statement: str
) -> None:
    other = ROW.replace("T0001", "T0002")
    import_units(loaded, f"{HEADER}\n{other}\n".encode(), ADAM, source="t2.csv")
    revision = decide(loaded, HSA, ANNA)
    approve_decision(loaded, HSA, revision.revision, revision.content_hash, BERIT)
    decide(loaded, "SE162321000255-T0002", ANNA)  # awaits approval
    assert verify_audit(loaded, ADAM).intact
    with triggers_off(loaded, table) as conn:
        conn.execute(text(statement))
    result = verify_audit(loaded, ADAM)
    assert result.problem in ("audit.altered_approval", "audit.altered_register")
    assert not result.intact


def test_an_approval_inserted_behind_the_apps_back_is_detected(loaded: Store) -> None:
    revision = decide(loaded, HSA, ANNA)
    with loaded.engine.begin() as conn:  # INSERT is allowed: append-only, not read-only
        conn.execute(
            text(
                "INSERT INTO approvals (hsa_id, revision, content_hash, verdict, comment, approver,"
                " at) VALUES (:h, 1, :c, 'faststalld', '', 'berit@region.se', :at)"
            ),
            {"h": HSA, "c": revision.content_hash, "at": dt.datetime.now(dt.UTC)},
        )
    result = verify_audit(loaded, ADAM)
    assert (result.problem, result.where) == ("audit.altered_approval", f"{HSA} rev 1")


def test_a_deactivated_decision_maker_cannot_approve_with_a_page_held_before(
    loaded: Store,
) -> None:
    from logic.domain.auth import PermissionDenied
    from logic.services.users import save_user

    revision = decide(loaded, HSA, ANNA)
    save_user(loaded, BERIT, ADAM)
    save_user(loaded, BERIT.model_copy(update={"active": False}), ADAM)
    with pytest.raises(PermissionDenied):  # BERIT as the page still holds her: with the role
        approve_decision(loaded, HSA, revision.revision, revision.content_hash, BERIT)
    assert unit_verdicts(loaded, HSA, CECILIA) == []


def test_a_returned_proposal_leaves_the_decision_in_force_standing(loaded: Store) -> None:
    first = decide(loaded, HSA, ANNA)
    approve_decision(loaded, HSA, first.revision, first.content_hash, BERIT)
    second = decide(loaded, HSA, ANNA, rationale="Ny bedömning.")
    return_decision(loaded, HSA, second.revision, second.content_hash, "Inte så.", BERIT)
    shown = row(loaded)
    assert (shown.revision, shown.status) == (2, "aterremitterad")
    assert (shown.in_force_revision, shown.in_force_approver) == (1, BERIT.email)
    [report] = follow_up(loaded, None, CECILIA).by_forvaltning
    assert (report.aterremitterade, report.med_faststallt_beslut) == (1, 1)
    assert follow_up(loaded, None, CECILIA).latest_approvals[0].approver == (BERIT.email)
    assert verify_audit(loaded, ADAM).intact


def test_a_decision_maker_who_wrote_part_of_the_draft_cannot_approve_it(loaded: Store) -> None:
    """Berit takes over Anna's draft, writes the rationale and hands it back; Anna submits
    it unchanged. Berit wrote part of it: she may not approve it; another decision-maker may."""
    from logic.domain.auth import User
    from logic.services.assessment import (
        open_assessment,
        save_draft,
        submit_decision,
        take_over_draft,
    )
    from tests.factories import completed

    open_assessment(loaded, HSA, ANNA)
    berits = take_over_draft(loaded, HSA, BERIT).draft
    save_draft(loaded, berits.model_copy(update={"rationale": "Berits ord."}), BERIT)
    annas = take_over_draft(loaded, HSA, ANNA).draft
    revision = submit_decision(loaded, completed(annas), ANNA)
    assert revision.decision["editors"] == [ANNA.email, BERIT.email]
    with loaded.transaction() as tx:
        events = len(tx.audit.events())
    with pytest.raises(VerdictRefused) as info:
        approve_decision(loaded, HSA, revision.revision, revision.content_hash, BERIT)
    assert info.value.reason == "own_revision"
    with loaded.transaction() as tx:
        assert tx.verdicts.given(HSA) == []
        assert [e.action for e in tx.audit.events()[events:]] == ["verdict_refused"]
    other = User(email="bo@region.se", namn="Bo Beslutsfattare", roles=("beslutsfattare",))
    approve_decision(loaded, HSA, revision.revision, revision.content_hash, other)
    assert verify_audit(loaded, ADAM).intact


def test_an_approval_by_someone_who_wrote_part_is_detected_when_forged(loaded: Store) -> None:
    from logic.services.assessment import (
        open_assessment,
        save_draft,
        submit_decision,
        take_over_draft,
    )
    from tests.factories import completed

    open_assessment(loaded, HSA, ANNA)
    save_draft(loaded, take_over_draft(loaded, HSA, BERIT).draft, BERIT)
    revision = submit_decision(loaded, completed(take_over_draft(loaded, HSA, ANNA).draft), ANNA)
    other = ADAM.model_copy(update={"roles": ("beslutsfattare",)})
    approve_decision(loaded, HSA, revision.revision, revision.content_hash, other)
    with triggers_off(loaded, "approvals") as conn:
        conn.execute(text("UPDATE approvals SET approver = 'berit@region.se'"))
    assert not verify_audit(loaded, ADAM).intact


def test_who_wrote_part_of_a_returned_proposal_cannot_approve_its_resubmission(
    loaded: Store,
) -> None:
    from logic.domain.auth import User
    from logic.services.assessment import (
        open_assessment,
        save_draft,
        submit_decision,
        take_over_draft,
    )
    from tests.factories import completed

    open_assessment(loaded, HSA, ANNA)
    save_draft(loaded, take_over_draft(loaded, HSA, BERIT).draft, BERIT)  # Berit writes
    first = submit_decision(loaded, completed(take_over_draft(loaded, HSA, ANNA).draft), ANNA)
    other = User(email="bo@region.se", namn="Bo", roles=("beslutsfattare",))
    return_decision(loaded, HSA, first.revision, first.content_hash, "Ändra.", other)
    again = submit_decision(loaded, completed(open_assessment(loaded, HSA, ANNA).draft), ANNA)
    assert BERIT.email in again.decision["editors"]  # her text is carried on
    with pytest.raises(VerdictRefused) as info:
        approve_decision(loaded, HSA, again.revision, again.content_hash, BERIT)
    assert info.value.reason == "own_revision"
