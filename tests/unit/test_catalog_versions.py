"""Catalog versions as pure policy: which version is in force on a day as known at a
moment, what a proposal and a verdict may not do, what a version changes, and a timetable
date written into the files."""

from __future__ import annotations

import datetime as dt

import pytest

from logic.domain.catalog_changes import CatalogChange, catalog_changes, changed_files
from logic.domain.catalog_versions import (
    BEGINNING,
    CatalogProposal,
    CatalogVerdict,
    in_force,
    latest,
    proposal_problem,
    texts_version,
    verdict_problem,
    versions_of,
)
from logic.domain.errors import CatalogRefused
from logic.files.catalog_edit import with_deadline, with_review_months, with_template
from logic.files.reference_data import catalog, catalog_texts

D = dt.date


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def proposal(number: int, effective: dt.date, based_on: int | None, by: str = "a@r.se"):  # type: ignore[no-untyped-def]
    return CatalogProposal(
        number=number,
        version=f"v{number}",
        based_on=based_on,
        effective_from=effective,
        proposed_by=by,
        proposed_at=at(D(2023, 1, 1)),
        reason="",
    )


def approved(number: int, when: dt.date) -> CatalogVerdict:
    return CatalogVerdict(
        number=number, verdict="faststalld", by="b@r.se", at=at(when), version=f"v{number}"
    )


VERSIONS = versions_of(
    [
        proposal(1, BEGINNING, None),
        proposal(2, D(2023, 2, 1), 1),
        proposal(3, D(2023, 3, 1), 2),  # withdrawn
        proposal(4, D(2023, 3, 1), 2),  # approved later, same date as 3
        proposal(5, D(2023, 4, 1), 4),  # waiting
    ],
    [
        approved(1, D(2023, 1, 1)),
        approved(2, D(2023, 1, 10)),
        CatalogVerdict(
            number=3, verdict="aterkallad", by="a@r.se", at=at(D(2023, 1, 11)), version="v3"
        ),
        approved(4, D(2023, 2, 15)),
    ],
)


@pytest.mark.parametrize(
    ("day", "known_at", "number"),
    [
        (D(2022, 1, 1), None, 1),  # the starting catalog from the beginning
        (D(2023, 1, 31), None, 1),  # the day before a version's date
        (D(2023, 2, 1), None, 2),  # on its date
        (D(2023, 3, 1), None, 4),  # approved, not the withdrawn one of the same date
        (D(2023, 5, 1), None, 4),  # a waiting proposal is never in force
        (D(2023, 3, 1), at(D(2023, 2, 1)), 2),  # as known before 4 was approved
        (D(2023, 2, 1), at(D(2023, 1, 9)), 1),  # as known before 2 was approved
        (D(2023, 2, 1), at(D(2022, 1, 1)), 1),  # the start counts as known from the beginning
    ],
)
def test_the_version_in_force_on_a_day_as_known_at_a_moment(
    day: dt.date, known_at: dt.datetime | None, number: int
) -> None:
    found = in_force(VERSIONS, day, known_at)
    assert found is not None and found.number == number


def test_the_latest_is_the_last_approved_to_take_effect() -> None:
    found = latest(VERSIONS)
    assert found is not None and found.number == 4
    assert in_force([], D(2023, 1, 1)) is None and latest([]) is None


def test_what_a_proposal_may_not_do() -> None:
    base = VERSIONS[3]  # 4, from 2023-03-01
    today = D(2023, 2, 20)
    assert proposal_problem("v4", D(2023, 3, 1), today, base) == "unchanged"
    assert proposal_problem("v9", D(2023, 2, 19), today, base) == "date_passed"
    assert proposal_problem("v9", D(2023, 2, 28), today, base) == "before_latest"
    assert proposal_problem("v9", D(2023, 3, 1), today, base) is None  # the same date: later
    assert proposal_problem("v9", today, today, None) is None  # today is not backwards


def test_what_a_verdict_may_not_do() -> None:
    waiting, base = VERSIONS[4], VERSIONS[3]
    today = D(2023, 3, 15)

    def problem(verdict: str = "faststalld", actor: str = "b@r.se", **kw):  # type: ignore[no-untyped-def]
        args = {"version": waiting, "seen_version": "v5", "today": today, "base": base} | kw
        return verdict_problem(
            verdict, actor, args["version"], args["seen_version"], args["today"], args["base"]
        )  # type: ignore[arg-type]

    assert problem() is None
    assert problem(version=None) == "not_found"
    assert problem(version=VERSIONS[1]) == "already_decided"
    assert problem(seen_version="v4") == "changed"
    assert problem(actor="a@r.se") == "own_proposal"
    assert problem(verdict="aterkallad", actor="a@r.se") is None  # the proposer withdraws
    assert problem(today=D(2023, 4, 1)) is None  # on its date: still in time
    assert problem(today=D(2023, 4, 2)) == "date_passed"
    assert problem(base=VERSIONS[1]) == "stale"  # another version approved meanwhile
    assert problem(verdict="aterkallad", base=VERSIONS[1], today=D(2024, 1, 1)) is None


def test_a_timetable_date_written_into_the_files_changes_that_date_alone() -> None:
    files = catalog_texts()
    edited = with_deadline(files, "fornya_recept", None, D(2023, 3, 31))
    assert changed_files(files, edited.files) == ["mallar.yaml"]
    assert edited.files["mallar.yaml"].startswith("# Regional templates")  # the comment kept
    assert catalog_changes(catalog(), edited.catalog) == [
        CatalogChange(
            kind="frist",
            case_type="fornya_recept",
            scope="",
            before="2023-06-30",
            after="2023-03-31",
        )
    ]
    assert edited.catalog.version == texts_version(edited.files) != catalog().version
    own = with_deadline(files, "kontakta_mig", "Skånevård Kryh", D(2024, 1, 31))
    assert catalog_changes(catalog(), own.catalog) == [
        CatalogChange(
            kind="frist",
            case_type="kontakta_mig",
            scope="Skånevård Kryh",
            before="",
            after="2024-01-31",
        )
    ]
    assert own.catalog.deadline("kontakta_mig", "Skånevård Kryh") == D(2024, 1, 31)
    assert own.catalog.deadline("kontakta_mig", "Primärvård Skåne") == D(2024, 6, 30)


def test_digital_contact_is_never_later_than_the_policys_date() -> None:
    with pytest.raises(CatalogRefused) as exc:
        with_deadline(catalog_texts(), "kontakt", None, D(2022, 10, 1))
    assert (exc.value.reason, exc.value.detail) == ("kontakt_late", "2022-09-30")
    assert with_deadline(catalog_texts(), "kontakt", None, D(2022, 9, 30)).catalog is not None


def test_a_template_gets_a_new_version_or_a_case_type_its_first() -> None:
    files = catalog_texts()
    newer = with_template(files, "fornya_recept", "Regional mall Förnya recept", "2.0")
    assert catalog_changes(catalog(), newer.catalog) == [
        CatalogChange(
            kind="mall",
            case_type="fornya_recept",
            scope="",
            before="Regional mall Förnya recept 1.3",
            after="Regional mall Förnya recept 2.0",
        )
    ]
    assert newer.catalog.template("fornya_recept").example is False  # the region's own now
    assert newer.catalog.deadline("fornya_recept", "") == D(2023, 6, 30)  # dates kept
    first = with_template(files, "boka_tid", "Regional mall Boka tid", "1.0")
    assert first.catalog.template("boka_tid").timetable == ()  # no date yet
    assert [c.kind for c in catalog_changes(catalog(), first.catalog)] == ["mall"]
    for name, version in (("", "1.0"), ("Mall", ""), ("Ring 19121212-1212", "1"), ("A\nB", "1")):
        with pytest.raises(CatalogRefused) as exc:
            with_template(files, "boka_tid", name, version)
        assert exc.value.reason == "template_name"


def test_the_review_periods_change_in_policy_yaml_with_its_comments_kept() -> None:
    files = catalog_texts()
    edited = with_review_months(files, 6, 24)
    assert (
        edited.catalog.policy.review_default_months,
        edited.catalog.policy.review_max_months,
    ) == (6, 24)
    assert changed_files(files, edited.files) == ["policy.yaml"]
    assert edited.files["policy.yaml"].count("#") == files["policy.yaml"].count("#")
    assert [
        (c.case_type, c.before, c.after) for c in catalog_changes(catalog(), edited.catalog)
    ] == [
        ("review_default_months", "12", "6"),
        ("review_max_months", "36", "24"),
    ]
    for default, longest in ((0, 12), (13, 12), (12, 121)):
        with pytest.raises(CatalogRefused) as exc:
            with_review_months(files, default, longest)
        assert exc.value.reason == "review_months"


def test_the_audit_log_says_a_catalog_versions_events_in_words() -> None:
    from logic.presentation.audit_words import event_details

    def said(action: str, **details: object) -> str:
        return event_details(action, details, catalog(), "sv")

    assert said("catalog_started", number=1, version="abc", **{"from": "2000-01-01"}) == (
        "katalogversion 1 (abc); startkatalogen, gäller från början"
    )
    proposed = said(
        "catalog_proposed",
        number=2,
        version="x",
        based_on=1,
        reason="Tidigare.",
        **{"from": "2027-01-01"},
    )
    assert (
        proposed
        == "katalogversion 2 (x); ändrar version 1; gäller från 2027-01-01; skäl: Tidigare."
    )
    assert said("catalog_approved", number=2, version="x") == "katalogversion 2 (x)"
    refused = said("catalog_refused", number=2, verdict="faststalld", reason="own_proposal")
    assert refused.startswith("katalogversion 2; Du kan inte fastställa ett förslag som du själv")
