"""What a submitted revision makes of the unit's current decision, and who wrote it: digital
contact in place under a partial exemption too, revisions recorded before editors and
deviations were kept, an e-mail in any case, a unit never decided."""

from __future__ import annotations

import datetime as dt
from typing import Any

from logic.domain.record import NewRevision, StoredRevision, seal
from logic.domain.rules import recommend
from logic.domain.workflow import on_submission, revision_statuses, wrote_part
from logic.files.reference_data import catalog
from tests.factories import make_unit

CAT = catalog()
AT = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def revision(
    outcome: str = "omfattas", missing: tuple[str, ...] = ("av_omboka",), **decision: Any
) -> StoredRevision:
    unit = make_unit()
    rec = recommend(unit, CAT, AT.date())
    new = NewRevision(
        hsa_id=unit.hsa_id,
        based_on_revision=None,
        author="anna@region.se",
        inputs=unit.model_dump(mode="json"),
        recommendation=rec,
        outcome=outcome,
        variant=rec.variant,
        decision={"outcome": outcome} | decision,
        required=("av_omboka", "kontakt"),
        missing=missing,
    )
    return seal(new, 1, AT)


def test_digital_contact_is_in_place_under_a_partial_exemption_that_keeps_it() -> None:
    assert on_submission(revision("delvis_undantagen")).kontakt_since == AT
    assert on_submission(revision("omfattas")).kontakt_since == AT
    earlier = AT - dt.timedelta(days=30)
    assert on_submission(revision("delvis_undantagen"), earlier).kontakt_since == earlier
    assert on_submission(revision("undantagen"), earlier).kontakt_since is None


def test_digital_contact_is_not_in_place_while_the_decision_finds_it_missing() -> None:
    earlier = AT - dt.timedelta(days=30)
    for outcome in ("omfattas", "delvis_undantagen"):
        lacking = revision(outcome, missing=("av_omboka", "kontakt"))
        assert on_submission(lacking).kontakt_since is None
        assert on_submission(lacking, earlier).kontakt_since is None  # the period ends
    # only kontakt itself counts, not a case type whose code merely contains it
    assert on_submission(revision(missing=("kontakta_mig",))).kontakt_since == AT


def test_a_revision_recorded_before_editors_and_deviations_were_kept_still_reads() -> None:
    older = revision()  # its decision has neither "editors" nor "deviations"
    assert "editors" not in older.decision and "deviations" not in older.decision
    current = on_submission(older)
    assert (current.below_minimum, current.status) == (False, "for_beslut")
    assert wrote_part(older, "anna@region.se")
    assert not wrote_part(older, "berit@region.se")


def test_whoever_wrote_part_of_a_revision_is_known_by_an_e_mail_in_any_case() -> None:
    edited = revision(editors=["Bertil@Region.se"])
    for email in ("anna@region.se", "ANNA@region.se", "bertil@region.se", "BERTIL@REGION.SE"):
        assert wrote_part(edited, email), email
    assert not wrote_part(edited, "Berit@Region.se")


def test_a_unit_never_decided_has_no_revision_statuses() -> None:
    assert revision_statuses([], {}) == {}
    assert revision_statuses([], {1: "faststalld"}) == {}
