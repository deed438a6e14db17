"""Four-eyes approval: the statuses a decision passes through and when a verdict is refused."""

from __future__ import annotations

from typing import Any

from logic.domain.workflow import refusal, revision_statuses


def test_a_submitted_revision_awaits_a_decision() -> None:
    assert revision_statuses([1], {}) == {1: "for_beslut"}


def test_a_later_approved_decision_marks_the_earlier_one_ersatt() -> None:
    verdicts = {1: "faststalld", 2: "faststalld"}
    assert revision_statuses([1, 2], verdicts) == {1: "ersatt", 2: "faststalld"}


def test_an_approved_decision_stays_in_force_while_a_new_proposal_awaits_approval() -> None:
    assert revision_statuses([1, 2], {1: "faststalld"}) == {1: "faststalld", 2: "for_beslut"}


def test_a_returned_decision_stays_returned_and_an_overtaken_proposal_is_ersatt() -> None:
    assert revision_statuses([1, 2, 3], {1: "aterremitterad"}) == {
        1: "aterremitterad",
        2: "ersatt",
        3: "for_beslut",
    }


GOOD: dict[str, Any] = {
    "approver": "berit@region.se",
    "author": "anna@region.se",
    "revision": 2,
    "latest": 2,
    "seen_hash": "h2",
    "stored_hash": "h2",
    "recomputed_hash": "h2",
    "has_verdict": False,
}


def test_a_second_person_may_approve_the_newest_revision_as_seen() -> None:
    assert refusal(**GOOD) is None


def test_the_approver_can_never_be_the_author() -> None:
    assert refusal(**GOOD | {"approver": "Anna@Region.se"}) == "own_revision"


def test_an_approval_of_content_changed_since_it_was_seen_is_refused() -> None:
    assert refusal(**GOOD | {"seen_hash": "h1"}) == "stale"
    assert refusal(**GOOD | {"latest": 3}) == "stale"


def test_a_revision_whose_content_no_longer_matches_its_hash_cannot_be_approved() -> None:
    assert refusal(**GOOD | {"recomputed_hash": "tampered"}) == "altered"


def test_one_verdict_per_revision() -> None:
    assert refusal(**GOOD | {"has_verdict": True}) == "already_decided"
    assert refusal(**GOOD | {"author": None, "stored_hash": None}) == "not_found"


def test_the_approver_can_never_be_anyone_who_wrote_part_of_the_revision() -> None:
    editors = ("anna@region.se", "berit@region.se")
    assert refusal(**GOOD | {"editors": editors}) == "own_revision"
    assert refusal(**GOOD | {"editors": ("anna@region.se",)}) is None
