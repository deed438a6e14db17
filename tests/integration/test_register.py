"""Register, follow-up aggregates and exports, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from logic.domain.assessment import Exemption
from logic.domain.register import RegisterFilter, RegisterView
from logic.files.export import HEADERS
from logic.services.register import export_decisions, follow_up, register_page
from logic.services.units import seed_sample_units
from logic.settings import settings
from logic.store.store import Store
from tests.factories import ANNA, BERIT, CECILIA, on_day
from tests.factories import decide as record

TODAY = dt.date(2026, 11, 25)
WARD = "SE162321000255-DEMO0055"
CLINIC = "SE162321000255-DEMO0002"
LAB = "SE162321000255-DEMO0063"  # production lab without patient contact
NASTY = 'Enheten "Å;Ä,Ö"\nandra raden; =HYPERLINK("x") och @SUM'


EXEMPT = Exemption(
    scope="hela_enheten",
    grounds=("produktion_utan_bokning",),
    rationale="Ingen bokning.",
    review_date=dt.date(2027, 1, 10),
)


def decide(store: Store, hsa_id: str, **fields: object) -> None:
    record(store, hsa_id, **fields)


@pytest.fixture
def decided(store: Store) -> Store:
    store = on_day(store, TODAY)
    seed_sample_units(store, settings().sample_units)
    decide(store, WARD, rationale=NASTY)
    decide(store, CLINIC)
    decide(
        store,
        LAB,
        outcome="undantagen",
        response_time="",
        exemption=EXEMPT,
    )
    return store


def page(store: Store, today: dt.date = TODAY, **filters: object) -> tuple[list[dict], int]:
    view = RegisterView(filter=RegisterFilter(**filters))
    return register_page(on_day(store, today), view, CECILIA)


def test_register_filters_by_status_outcome_missing_text_and_review(decided: Store) -> None:
    rows, total = page(decided)
    assert total == 72 and len(rows) == 50
    assert page(decided, status="ej_bedomd")[1] == 69
    assert page(decided, status="bedomd")[1] == 3
    assert [r.hsa_id for r in page(decided, utfall="undantagen")[0]] == [LAB]
    assert page(decided, utfall="ej_bedomd")[1] == 69
    # the ward lacks kontakt; the clinic lacks kontakta_mig but has kontakt
    assert [r.hsa_id for r in page(decided, saknar="kontakt")[0]] == [WARD]
    assert [r.hsa_id for r in page(decided, text="hyperlink")[0]] == [WARD]
    assert [r.hsa_id for r in page(decided, text="sodervarn")[0]] == [CLINIC]
    assert page(decided, status="omprovning_kravs")[1] == 0
    assert [r.hsa_id for r in page(decided, dt.date(2027, 2, 1), status="omprovning_kravs")[0]] == [
        LAB
    ]
    assert [r.hsa_id for r in page(decided, omprovas_inom=60)[0]] == [LAB]


def test_register_sorts_and_pages(decided: Store) -> None:
    view = RegisterView(sort="beslutad", descending=True, page=1)
    rows, _ = register_page(decided, view, CECILIA)
    assert rows[0].submitted_at is not None
    second, _ = register_page(decided, view.model_copy(update={"page": 2}), CECILIA)
    assert len(second) == 22
    assert not {r.hsa_id for r in rows} & {r.hsa_id for r in second}


@pytest.mark.parametrize("profile", ["csv-excel", "csv"])
def test_csv_export_round_trips_through_pandas_and_csv(decided: Store, profile: str) -> None:
    f = RegisterFilter(status="bedomd")
    file = export_decisions(decided, f, profile, CECILIA)  # type: ignore[arg-type]
    assert file.rows == 3
    excel = profile == "csv-excel"
    assert file.data.startswith(b"\xef\xbb\xbf") == excel
    text = file.data.decode("utf-8-sig")
    assert "\r\n" in text
    sep = ";" if excel else ","
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    assert tuple(parsed[0]) == HEADERS
    by_id = {row[0]: dict(zip(HEADERS, row, strict=True)) for row in parsed[1:]}
    ward = by_id[WARD]
    assert ward["motivering"] == NASTY  # starts with "E": not a formula, kept as written
    assert ward["enhet"] == "Kirurgavdelningen Trelleborg (demo)"
    assert by_id[LAB]["omprovas_senast"] == "2027-01-10"
    assert by_id[LAB]["undantagsgrunder"] == "produktion_utan_bokning"
    frame = pd.read_csv(io.BytesIO(file.data), sep=sep, encoding="utf-8-sig", dtype=str)
    assert list(frame.columns) == list(HEADERS)
    assert frame.set_index("hsa_id").loc[WARD, "motivering"] == NASTY
    assert (
        pd.read_csv(io.BytesIO(file.data), sep=sep, encoding="utf-8-sig")["revision"].dtype.kind
        == "i"
    )


def test_formula_like_text_is_neutralised_in_every_profile(store: Store) -> None:
    seed_sample_units(store, settings().sample_units)
    decide(store, CLINIC, rationale="=1+2")
    for profile in ("csv-excel", "csv"):
        text = export_decisions(store, RegisterFilter(status="bedomd"), profile, CECILIA).data
        assert b"'=1+2" in text
    xlsx = export_decisions(store, RegisterFilter(status="bedomd"), "xlsx", CECILIA)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    header = [c.value for c in sheet[1]]
    row = [c for c in sheet[2]]
    rationale = row[header.index("motivering")]
    assert rationale.value == "=1+2" and rationale.data_type == "s"  # text, not a formula
    assert isinstance(row[header.index("revision")].value, int)
    assert sheet.freeze_panes == "A2"
    assert isinstance(row[header.index("beslutad")].value, dt.datetime)


def test_every_export_is_in_the_audit_log_with_filter_rows_and_hash(decided: Store) -> None:
    f = RegisterFilter(forvaltning="Medicinsk service")
    file = export_decisions(decided, f, "xlsx", CECILIA)
    with decided.transaction() as tx:
        event = tx.audit.events()[-1]
    assert event.action == "export_decisions" and event.actor == CECILIA.email
    assert event.details == {
        "filter": {"forvaltning": "Medicinsk service"},
        "profile": "xlsx",
        "rows": file.rows,
        "sha256": file.sha256,
    }
    assert file.rows == 6


def test_follow_up_aggregates_in_sql(decided: Store) -> None:
    board = follow_up(decided, None, CECILIA)
    report = {r.forvaltning: r for r in board.by_forvaltning}
    assert sum(r.enheter for r in board.by_forvaltning) == 72
    assert sum(r.ej_bedomda for r in board.by_forvaltning) == 69
    assert report["Medicinsk service"].undantagna == 1
    assert sum(r.omfattas for r in board.by_forvaltning) == 2
    assert board.grounds["produktion_utan_bokning"] == 1
    only = follow_up(decided, "Medicinsk service", CECILIA)
    assert [r.forvaltning for r in only.by_forvaltning] == ["Medicinsk service"]


def test_follow_up_of_an_administration_holds_its_own_grounds_and_approvals(
    decided: Store,
) -> None:
    record(decided, CLINIC, approver=BERIT)  # Primärvård Skåne's decision, approved
    lab = follow_up(decided, "Medicinsk service", CECILIA)
    assert lab.grounds["produktion_utan_bokning"] == 1 and lab.latest_approvals == []
    clinic = follow_up(decided, "Primärvård Skåne", CECILIA)
    assert clinic.grounds.get("produktion_utan_bokning", 0) == 0
    assert [a.hsa_id for a in clinic.latest_approvals] == [CLINIC]


def test_review_required_appears_by_itself_the_day_after_the_review_date(decided: Store) -> None:
    from logic.services.register import review_queue

    review = dt.date(2027, 1, 10)
    assert review_queue(on_day(decided, review - dt.timedelta(days=31)), ANNA) == []
    [due] = review_queue(on_day(decided, review), ANNA)
    assert (due.hsa_id, due.overdue) == (LAB, False)
    [overdue] = review_queue(on_day(decided, review + dt.timedelta(days=1)), ANNA)
    assert overdue.overdue is True
    assert page(decided, review, status="omprovning_kravs")[1] == 0
    assert page(decided, review + dt.timedelta(days=1), status="omprovning_kravs")[1] == 1


def test_a_returned_decision_is_no_review_in_any_list(decided: Store) -> None:
    """A returned decision is to be made again (Översikt lists it among the returned): its
    review date is due in no list: not the review queue, not the register's filters, not the
    follow-up's counts. They agree, before and after the return; and a returned
    re-assessment leaves the decision in force standing, with its own date."""
    from logic.services.register import review_queue, unit_history
    from logic.services.rollout import management
    from logic.services.verdicts import approve_decision, return_decision
    from tests.factories import BERIT

    def everywhere(day: dt.date) -> tuple[list[str], int, int, int, int]:
        at = on_day(decided, day)
        report = follow_up(at, None, CECILIA).by_forvaltning
        managers = management(at, CECILIA, day).region.reviews  # kept until a write
        return (
            [i.hsa_id for i in review_queue(at, ANNA)],
            page(decided, day, status="omprovning_kravs")[1],
            page(decided, day, omprovas_inom=0)[1],
            sum(r.omprovning_forsenad for r in report),
            managers.overdue if managers else -1,
        )

    overdue = dt.date(2027, 1, 11)  # the day after the LAB's review date
    assert everywhere(overdue) == ([LAB], 1, 1, 1, 1)
    at = on_day(decided, overdue)
    latest = unit_history(at, LAB, ANNA)[-1]
    return_decision(at, LAB, latest.revision, latest.content_hash, "Gör om.", BERIT)
    assert everywhere(overdue) == ([], 0, 0, 0, 0)

    # approved, then a re-assessment returned: the decision in force stands, with its date
    review = dt.date(2027, 6, 1)
    exempt = EXEMPT.model_copy(update={"review_date": review})
    again = record(at, LAB, outcome="undantagen", response_time="", exemption=exempt)
    approve_decision(at, LAB, again.revision, again.content_hash, BERIT)
    newer = record(at, LAB, outcome="undantagen", response_time="", exemption=exempt)
    return_decision(at, LAB, newer.revision, newer.content_hash, "Gör om.", BERIT)
    assert everywhere(review + dt.timedelta(days=1)) == ([LAB], 1, 1, 1, 1)


def test_exempting_digital_contact_is_flagged_in_register_export_and_report(
    decided: Store,
) -> None:
    """The lowest level dropped for a unit in scope: a deviation from the policy itself."""
    other = "SE162321000255-DEMO0003"
    decide(
        decided,
        other,
        outcome="delvis_undantagen",
        exemption=Exemption(
            scope="per_arendetyp",
            case_types=("kontakt",),
            grounds=("erbjuds_inte",),
            rationale="Ingen kontaktfunktion.",
            review_date=dt.date(2027, 1, 10),
        ),
        justifications={"lagstaniva": "Enheten läggs ned i vår."},
    )
    rows, _ = page(decided, status="bedomd")
    flagged = {r.hsa_id: r.below_minimum for r in rows}
    assert flagged == {other: True, WARD: False, CLINIC: False, LAB: False}
    rows, _ = page(decided, status="ej_bedomd")
    assert {r.below_minimum for r in rows} == {None}
    file = export_decisions(decided, RegisterFilter(), "csv", CECILIA)
    exported = {
        r["hsa_id"]: r["under_lagstaniva"] for r in csv.DictReader(io.StringIO(file.data.decode()))
    }
    assert exported[other] == "ja" and exported[CLINIC] == "nej"
    assert exported["SE162321000255-DEMO0001"] == ""  # not assessed
    rows = {r["hsa_id"]: r for r in csv.DictReader(io.StringIO(file.data.decode()))}
    assert rows[other]["undantagna_arendetyper"] == "kontakt"
    assert rows[other]["svarstid"] == "samma_vardag"
    assert rows[other]["beslutstext"].startswith("Vårdcentralen Husensjö Helsingborg (demo): ")
    assert "lägstanivån undantas" in rows[other]["beslutstext"]
    assert rows[CLINIC]["undantagna_arendetyper"] == ""
    assert rows["SE162321000255-DEMO0001"]["beslutstext"] == ""
    board = follow_up(decided, None, CECILIA)
    assert sum(r.under_lagstaniva for r in board.by_forvaltning) == 1
    assert sum(r.avviker for r in board.by_forvaltning) == 1


def test_a_decision_that_waits_returns_to_the_review_queue_when_its_analysis_is_due(
    decided: Store,
) -> None:
    from logic.services.register import review_queue

    waiting = "SE162321000255-DEMO0069"  # procured, contract analysis not done
    expected = dt.date(2027, 3, 1)
    decide(decided, waiting, outcome="avvaktar", response_time="", analysis_expected=expected)
    assert waiting not in [
        i.hsa_id for i in review_queue(on_day(decided, dt.date(2027, 1, 1)), ANNA)
    ]
    due = {i.hsa_id: i for i in review_queue(on_day(decided, expected), ANNA)}
    assert due[waiting].outcome == "avvaktar" and not due[waiting].overdue


def test_an_export_in_words_for_people_says_what_the_screen_says(decided: Store) -> None:
    file = export_decisions(decided, RegisterFilter(status="bedomd"), "csv", CECILIA, in_words="sv")
    rows = list(csv.DictReader(io.StringIO(file.data.decode())))
    assert list(rows[0])[:5] == ["HSA-id", "Enhet", "Förvaltning", "Beslut", "Variant"]
    lab = next(r for r in rows if r["HSA-id"] == LAB)
    assert lab["Beslut"] == "Undantagen" and lab["Beslutsstatus"] == "För beslut"
    assert lab["Grunder för undantag"] and "_" not in lab["Grunder för undantag"]
    clinic = next(r for r in rows if r["HSA-id"] == CLINIC)
    assert "Kontakta oss / Skriv till oss" in clinic["E-tjänster som krävs"]
    assert clinic["Utlovad svarstid"] == "Senast samma vardag"
    assert clinic["Undantar lägstanivån"] == "Nej"
    codes = export_decisions(decided, RegisterFilter(status="bedomd"), "csv", CECILIA)
    assert codes.data.decode().startswith("hsa_id,enhet,forvaltning,utfall")  # the default
    with decided.transaction() as tx:
        logged = [e.details for e in tx.audit.events() if e.action == "export_decisions"]
    assert [d.get("in_words") for d in logged] == ["sv", None]


def test_the_report_says_the_reviews_of_its_own_part_and_only_when_it_is_now(
    decided: Store,
) -> None:
    """The report's reviews are the register's now: of the administration it is made for,
    and left out of a report known at an earlier moment (not known then)."""
    from logic.services.rollout import rollout_report

    overdue = dt.date(2027, 1, 11)  # the day after the LAB's review date
    at = on_day(decided, overdue)
    with at.transaction() as tx:
        own = tx.units.get(LAB).forvaltning
        other = next(u.forvaltning for u in tx.units.all() if u.forvaltning != own)

    def reviews(**kwargs: object) -> str | None:
        made = rollout_report(at, CECILIA, "xlsx", overdue, **kwargs).data  # type: ignore[arg-type]
        first = openpyxl.load_workbook(io.BytesIO(made)).worksheets[0]
        said = [r[2].value for r in first.iter_rows() if r[0].value == "Omprövningar försenade"]
        return said[0] if said else None

    assert (reviews() or "").startswith("1 försenade")
    assert (reviews(forvaltning=own) or "").startswith("1 försenade")
    assert (reviews(forvaltning=other) or "").startswith("0 försenade")
    earlier = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    assert reviews(known_at=earlier) == "– (registret visar bara omprövningarna i dag)"


def test_the_export_finds_the_reviews_due_on_its_own_day(decided: Store) -> None:
    """The register's review filters count from the day of the export, as the page does."""
    overdue = dt.date(2027, 1, 11)  # the day after the LAB's review date
    at = on_day(decided, overdue)
    for filters in ({"status": "omprovning_kravs"}, {"omprovas_inom": 0}):
        exported = export_decisions(at, RegisterFilter(**filters), "csv", CECILIA)
        assert exported.rows == page(decided, overdue, **filters)[1] == 1, filters


def test_the_export_s_moments_are_the_region_s_whatever_the_server_s_time_zone(
    decided: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decided at 09:00 in the region (the factories' clock): so in the file, also on a
    server whose own time zone is New York's (SQLite hands back moments without a zone,
    PostgreSQL in its session's time zone)."""
    import time

    from sqlalchemy import event

    if decided.engine.dialect.name == "postgresql":

        def new_york(connection: object, _record: object) -> None:
            with connection.cursor() as cursor:  # type: ignore[attr-defined]
                cursor.execute("SET TIME ZONE 'America/New_York'")

        decided.engine.dispose()
        event.listen(decided.engine, "connect", new_york)

    def decided_at() -> set[str]:
        data = export_decisions(decided, RegisterFilter(), "csv", CECILIA).data
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        return {r["beslutad"][:16] for r in rows if r["beslutad"]}

    assert decided_at() == {f"{TODAY} 09:00"}
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert decided_at() == {f"{TODAY} 09:00"}
    finally:
        monkeypatch.undo()
        time.tzset()
