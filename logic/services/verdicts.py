"""Four eyes: a beslutsfattare who did not write a submitted decision approves it
(fastställer) or returns it with a comment; the queues of waiting and returned decisions."""

from __future__ import annotations

from logic.domain.auth import User
from logic.domain.errors import CommentInvalid, StaleVerdict, VerdictRefused
from logic.domain.models import Unit
from logic.domain.record import StoredVerdict, Verdict, revision_hash
from logic.domain.register import DecisionListing
from logic.domain.rules import recommend
from logic.domain.validation import text_errors
from logic.domain.workflow import on_verdict, refusal
from logic.readmodels.recipients import answer_mails, decision_mails
from logic.readmodels.rollout_projection import refresh_decided, refresh_units, templated_codes
from logic.services.unit_of_work import unit_of_work
from logic.settings import app_link, settings
from logic.store import readmodel_register as register_rows
from logic.store.store import Store


def _give_verdict(
    store: Store,
    hsa_id: str,
    revision: int,
    seen_hash: str,
    verdict: Verdict,
    comment: str,
    user: User,
) -> StoredVerdict:
    try:
        with unit_of_work(store, user, "approve") as work:
            tx, email = work.tx, work.user.email
            tx.lock_unit(hsa_id)  # one submission or verdict on a unit at a time
            tx.hold_snapshot()  # a report's moment waits for this verdict to commit
            stored = tx.revisions.get(hsa_id, revision)
            given = {a.revision for a in tx.verdicts.given(hsa_id)}
            reason = refusal(
                approver=email,
                author=stored.author if stored else None,
                revision=revision,
                latest=tx.revisions.latest_number(hsa_id),
                seen_hash=seen_hash,
                stored_hash=stored.content_hash if stored else None,
                recomputed_hash=revision_hash(stored) if stored else None,
                has_verdict=revision in given,
                editors=tuple(stored.decision.get("editors", ())) if stored else (),
            )
            if reason is not None:
                raise VerdictRefused(hsa_id, revision, reason)
            assert stored is not None  # refusal() says not_found otherwise
            approval = StoredVerdict(
                hsa_id=hsa_id,
                revision=revision,
                content_hash=seen_hash,
                verdict=verdict,
                comment=comment,
                approver=email,
                at=tx.now,
            )
            refused = tx.verdicts.add(approval)
            if refused is not None:  # a concurrent verdict landed first
                raise VerdictRefused(hsa_id, revision, refused)
            try:
                tx.units.set_decision_status(hsa_id, revision, on_verdict(approval))
            except StaleVerdict as exc:  # a submission landed meanwhile; nothing is kept
                raise VerdictRefused(hsa_id, revision, "stale") from exc
            asked = stored.decision.get("update_register") and stored.decision.get("corrections")
            if verdict == "faststalld" and asked:  # approved: now the register takes them,
                # as an observation of the unit on this day (the roll-out follows it)
                cat, today = work.catalog, work.today
                unit = Unit.model_validate(stored.inputs)
                decided = [(unit, recommend(unit, cat, today))]
                tx.units.upsert(decided, email, today, source="beslut")
                refresh_units(tx, cat, [hsa_id])
                tx.rollout.rebuild_progress(templated_codes(cat))
            elif verdict == "faststalld":  # what the unit must offer may have changed
                refresh_decided(tx, work.catalog, hsa_id)
            answered = []
            if verdict == "faststalld":  # told to the unit's managers, if it commits
                link, language = app_link("min_enhet"), settings().app_language
                tx.outbox.add(decision_mails(tx, hsa_id, revision, language, link))
                # the unit's open requests are answered by this decision
                for request in tx.requests.unanswered(hsa_id):
                    tx.requests.answer(request.number, "", email, revision)
                    answered.append(request.number)
                    done = tx.requests.get(request.number)
                    assert done is not None
                    tx.outbox.add(answer_mails(tx, done, work.user.namn, language, link))
            for number in answered:
                tx.audit.append(
                    email, "answer_request", {"number": number, "answer": "", "revision": revision}
                )
            tx.audit.append(
                email,
                "approve_decision" if verdict == "faststalld" else "return_decision",
                {
                    "hsa_id": hsa_id,
                    "revision": revision,
                    "content_hash": seen_hash,
                    "comment": comment,
                    # the corrections' observation, committed to (verification recomputes it)
                    **(
                        tx.units.recorded_observations()
                        if verdict == "faststalld" and asked
                        else {}
                    ),
                },
            )
    except VerdictRefused as exc:  # nothing was written; the attempt is on the record
        with store.transaction() as tx:
            tx.audit.append(
                user.email,
                "verdict_refused",
                {"hsa_id": hsa_id, "revision": revision, "verdict": verdict, "reason": exc.reason},
            )
        raise
    return approval


def approve_decision(
    store: Store, hsa_id: str, revision: int, seen_hash: str, user: User, comment: str = ""
) -> StoredVerdict:
    """Approve (fastställ) a submitted revision: only a beslutsfattare who did not author it,
    only the newest revision, and only the content whose hash the approver saw."""
    errors = text_errors("comment", comment, required=False)
    if errors:
        raise CommentInvalid(errors)
    return _give_verdict(store, hsa_id, revision, seen_hash, "faststalld", comment, user)


def return_decision(
    store: Store, hsa_id: str, revision: int, seen_hash: str, comment: str, user: User
) -> StoredVerdict:
    """Return (återremittera) a submitted revision to the assessors, with a required comment
    saying what to change; same conditions as an approval."""
    errors = text_errors("comment", comment, required=True, missing="workflow.err.comment")
    if errors:
        raise CommentInvalid(errors)
    return _give_verdict(store, hsa_id, revision, seen_hash, "aterremitterad", comment, user)


def pending_decisions(store: Store, user: User) -> list[DecisionListing]:
    """Submitted decisions waiting for a verdict, the oldest first."""
    with unit_of_work(store, user, "approve", readonly=True) as work:
        return register_rows.decisions_with_status(work.tx, "for_beslut")


def returned_decisions(store: Store, user: User) -> list[DecisionListing]:
    """Decisions returned to the assessors, with the comment saying what to change."""
    with unit_of_work(store, user, "assess", readonly=True) as work:
        return register_rows.decisions_with_status(work.tx, "aterremitterad")


def unit_verdicts(store: Store, hsa_id: str, user: User) -> list[StoredVerdict]:
    """Every verdict on the unit's revisions, in the order given."""
    with unit_of_work(store, user, "read_register", readonly=True, unit=hsa_id) as work:
        return work.tx.verdicts.given(hsa_id)
