"""A unit manager reports that an e-service is in place (or removed) at their unit, from a
date: an observation from the unit that the roll-out counts from that day, shown as reported
until the unit file confirms or contradicts it, in the audit chain and verified. SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from logic.domain.auth import PermissionDenied
from logic.domain.unit_reports import ReportRefused
from logic.services.audit import verify_audit
from logic.services.rollout import unit_rollout
from logic.services.unit_managers import report_e_service, reported_units
from logic.services.units import import_units
from logic.services.users import save_user
from logic.services.verdicts import approve_decision
from logic.store.store import Store
from tests.factories import ADAM, ANNA, CECILIA, ELIN, HEADER, ROW, on_day

TODAY = dt.date(2026, 11, 25)
T1, T2 = "SE162321000255-T0001", "SE162321000255-T0002"
OBSERVED = dt.date(2026, 11, 1)


@pytest.fixture
def held(store: Store) -> Store:
    store = on_day(store, TODAY)  # one clock: every action after the one before
    rows = "\n".join([HEADER, ROW, ROW.replace("T0001", "T0002")])
    import_units(store, rows.encode(), ADAM, "t.csv", observed=OBSERVED)
    save_user(store, ELIN, ADAM)
    return store


def status(store: Store, case_type: str, as_of: dt.date = TODAY) -> str:
    rows = unit_rollout(store, ELIN, T1, as_of)
    return next(r.status for r in rows if r.arendetyp == case_type)


def test_a_report_counts_from_its_day_and_shows_as_reported_until_the_file_says(
    held: Store,
) -> None:
    assert status(held, "fornya_recept") != "infort"
    assert reported_units(held, ELIN, [T1]) == []
    day = dt.date(2026, 11, 20)
    made = report_e_service(held, ELIN, T1, "fornya_recept", True, day)
    assert (made.hsa_id, made.observed, made.by) == (T1, day, ELIN.email)
    assert status(held, "fornya_recept") == "infort"
    assert status(held, "fornya_recept", dt.date(2026, 11, 19)) != "infort"  # from its day
    assert reported_units(held, ELIN, [T1]) == [made] == reported_units(held, CECILIA)
    with held.transaction() as tx:
        [event] = [e for e in tx.audit.events() if e.action == "report_e_service"]
    assert event.details["case_type"] == "fornya_recept" and event.details["observations"] == 1
    assert (event.details["hsa_id"], event.details["observed"]) == (T1, day.isoformat())
    assert verify_audit(held, ADAM).intact

    # the unit file's next import, later: it no longer rests on the report
    later = on_day(held, TODAY + dt.timedelta(days=2))  # a later day: its moments come after
    confirmed = ROW.removesuffix(";kontakt") + ";kontakt|fornya_recept"
    rows = [HEADER, confirmed, ROW.replace("T0001", "T0002")]
    import_units(
        later, "\n".join(rows).encode(), ADAM, "t.csv", observed=TODAY + dt.timedelta(days=1)
    )
    assert reported_units(later, ELIN, [T1]) == []
    assert status(later, "fornya_recept", TODAY + dt.timedelta(days=1)) == "infort"
    assert verify_audit(later, ADAM).intact


def test_a_report_is_refused_in_words_and_only_for_the_unit_s_manager(held: Store) -> None:
    for case_type, in_place, day, reason in [
        ("allt", True, TODAY, "case_type"),
        ("fornya_recept", True, TODAY + dt.timedelta(days=1), "future"),
        ("fornya_recept", True, OBSERVED - dt.timedelta(days=1), "older"),
        ("kontakt", True, TODAY, "unchanged"),  # in place already
        ("fornya_recept", False, TODAY, "unchanged"),  # not there to remove
    ]:
        with pytest.raises(ReportRefused) as exc:
            report_e_service(held, ELIN, T1, case_type, in_place, day)
        assert exc.value.reason == reason
    with pytest.raises(PermissionDenied):  # not a unit she holds
        report_e_service(held, ELIN, T2, "fornya_recept", True, TODAY)
    for someone in (ANNA, CECILIA, ADAM):  # the register's people import the file instead
        with pytest.raises(PermissionDenied):
            report_e_service(held, someone, T1, "fornya_recept", True, TODAY)
    with pytest.raises(PermissionDenied):  # another unit's reports are not hers to read
        reported_units(held, ELIN, [T2])
    with held.transaction() as tx:
        assert [e for e in tx.audit.events() if e.action == "report_e_service"] == []
    removed = report_e_service(held, ELIN, T1, "kontakt", False, TODAY)
    assert removed.observed == TODAY
    assert status(held, "kontakt") != "infort"


def test_an_e_service_on_the_region_s_template_is_removed_with_its_template(
    held: Store,
) -> None:
    templated = ROW.replace("T0001", "T0003") + ";kontakt"  # kontakt on the region's template
    import_units(held, "\n".join([HEADER + ";regionala_mallar", templated]).encode(), ADAM, "t.csv")
    save_user(held, ELIN.model_copy(update={"units": (T1, "SE162321000255-T0003")}), ADAM)
    report_e_service(held, ELIN, "SE162321000255-T0003", "kontakt", False, TODAY)
    with held.transaction() as tx:
        unit = tx.units.get("SE162321000255-T0003")
    assert unit is not None and (unit.e_tjanster, unit.regionala_mallar) == ((), ())
    assert verify_audit(held, ADAM).intact


def test_reports_beside_an_import_of_the_unit_file_both_land_and_the_record_holds(
    held: Store,
) -> None:
    """Two unit managers report while an administrator imports yesterday's file: every
    action lands or is refused in words, the register keeps the newest facts per unit (the
    reports, dated today), and verification holds."""
    from concurrent.futures import ThreadPoolExecutor

    other = ELIN.model_copy(update={"email": "olle@region.se", "units": (T2,)})
    save_user(held, other, ADAM)
    yesterday = TODAY - dt.timedelta(days=1)
    rows = "\n".join([HEADER, ROW, ROW.replace("T0001", "T0002")]).encode()
    with ThreadPoolExecutor(3) as pool:
        done = [
            pool.submit(import_units, held, rows, ADAM, "t.csv", observed=yesterday),
            pool.submit(report_e_service, held, ELIN, T1, "fornya_recept", True, TODAY),
            pool.submit(report_e_service, held, other, T2, "fornya_recept", True, TODAY),
        ]
        for future in done:
            future.result()
    with held.transaction() as tx:
        facts = {h: set(tx.units.get(h).e_tjanster) for h in (T1, T2)}  # type: ignore[union-attr]
    assert facts == {T1: {"kontakt", "fornya_recept"}, T2: {"kontakt", "fornya_recept"}}
    assert verify_audit(held, ADAM).intact


def test_the_export_says_which_rows_rest_on_a_report_now_and_as_known_earlier(
    held: Store,
) -> None:
    import csv
    import io

    from logic.services.rollout import export_rollout

    def rapport(store: Store, known_at: dt.datetime | None = None) -> set[tuple[str, str]]:
        data = export_rollout(store, CECILIA, "csv", TODAY, known_at).data
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        at = rows[0].index("rapport")
        return {(r[0], r[at]) for r in rows[1:]}

    before = held.transaction  # a moment before the report: nothing rests on one
    with before() as tx:
        earlier = tx.now
    day = dt.date(2026, 11, 20)
    report_e_service(held, ELIN, T1, "fornya_recept", True, day)
    now = rapport(held)  # from the projection
    assert now == {(T1, day.isoformat()), (T2, "")}
    with held.transaction() as tx:
        moment = tx.now
    assert rapport(held, moment) == now  # the same from the history, known at a moment
    assert rapport(held, earlier) == {(T1, ""), (T2, "")}


def test_the_report_says_how_many_units_rest_on_their_own_report(held: Store) -> None:
    import io

    import pypdf

    from logic.services.rollout import rollout_report

    def first_page(known_at: dt.datetime | None = None, forvaltning: str | None = None) -> str:
        data = rollout_report(held, CECILIA, "pdf", TODAY, known_at, forvaltning).data
        text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
        return " ".join(text.split())

    with held.transaction() as tx:
        earlier = tx.now
    assert "egen rapport" not in first_page()
    report_e_service(held, ELIN, T1, "fornya_recept", True, dt.date(2026, 11, 20))
    assert "1 enhets uppgifter om e-tjänster vilar på enhetens egen rapport" in first_page()
    assert "egen rapport" not in first_page(earlier)  # as known before the report
    assert "1 enhets uppgifter" in first_page(None, "Primärvård Skåne")  # the unit's own
    assert "egen rapport" not in first_page(None, "Medicinsk service")  # another's: none
    named = rollout_report(held, CECILIA, "pdf", TODAY, earlier).file_name
    assert named == f"inforande-rapport-{TODAY}-kant-{earlier:%Y%m%d-%H%M}.pdf"
    later = on_day(held, TODAY + dt.timedelta(days=2))
    confirmed = ROW.removesuffix(";kontakt") + ";kontakt|fornya_recept"
    rows = "\n".join([HEADER, confirmed, ROW.replace("T0001", "T0002")]).encode()
    import_units(later, rows, ADAM, "t.csv", observed=TODAY)
    assert "egen rapport" not in " ".join(
        pypdf.PdfReader(io.BytesIO(rollout_report(later, CECILIA, "pdf", TODAY).data))
        .pages[0].extract_text().split()
    )  # fmt: skip


def test_a_unit_s_follow_up_on_one_page_for_its_own_manager(held: Store) -> None:
    import io

    import pypdf

    from logic.services.decision_documents import unit_follow_up
    from tests.factories import BERIT, decide

    decide(held, T1, ANNA, approver=BERIT)
    report_e_service(held, ELIN, T1, "fornya_recept", True, dt.date(2026, 11, 20))
    made = unit_follow_up(held, ELIN, T1, TODAY)
    assert made.file_name == f"uppfoljning-{T1}-{TODAY.isoformat()}.pdf"
    pages = pypdf.PdfReader(io.BytesIO(made.data)).pages
    text = " ".join(pages[0].extract_text().split())
    assert len(pages) == 1
    assert f"Uppföljning av basutbudet: Vårdcentralen Test, per {TODAY.isoformat()}" in text
    assert "Gällande beslut" in text and "Omfattas" in text
    assert "Förnya recept" in text and "Frist 2023-06-30" in text
    assert "vilar på enhetens egen rapport från 2026-11-20 (elin@region.se)" in text
    english = unit_follow_up(held, ELIN, T1, TODAY, "en").data
    assert (
        "The e-services per case type"
        in pypdf.PdfReader(io.BytesIO(english)).pages[0].extract_text()
    )
    with pytest.raises(PermissionDenied):  # another unit's
        unit_follow_up(held, ELIN, T2, TODAY)
    with held.transaction() as tx:
        made_events = [e for e in tx.audit.events() if e.action == "unit_follow_up"]
    assert [e.details["hsa_id"] for e in made_events] == [T1, T1]
    assert [e.details["lang"] for e in made_events] == ["sv", "en"]
    assert made_events[0].details["sha256"] == hashlib.sha256(made.data).hexdigest()


def test_a_follow_up_shows_one_state_though_a_decision_is_approved_while_it_is_read(
    held: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decision in force and the roll-out's rows are read as one state of the register:
    a decision approved between the two reads (PostgreSQL reads each statement afresh
    unless asked for a snapshot) is in neither, so the page says what held when it began."""
    import io

    import pypdf

    from logic.services.decision_documents import unit_follow_up
    from logic.store.verdicts import VerdictRows
    from tests.factories import BERIT, decide, exemption_of

    def words(data: bytes) -> str:
        return " ".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())

    exemption = exemption_of(held, T1, TODAY + dt.timedelta(days=365))
    # waiting: until it is approved the roll-out counts on the proposal (no exemption)
    waiting = [decide(held, T1, ANNA, outcome="delvis_undantagen", exemption=exemption)]
    reading = VerdictRows.given

    def meanwhile(self: VerdictRows, hsa_id: str | None = None) -> Any:
        found = reading(self, hsa_id)
        if waiting:  # Berit approves it between the verdicts read and the roll-out read
            revision = waiting.pop()
            approve_decision(held, T1, revision.revision, revision.content_hash, BERIT)
        return found

    monkeypatch.setattr(VerdictRows, "given", meanwhile)
    during = words(unit_follow_up(held, ELIN, T1, TODAY).data)
    assert not waiting
    after = words(unit_follow_up(held, ELIN, T1, TODAY).data)
    assert "inget fastställt beslut" in during and "Förnya recept Försenad" in during
    assert "inget fastställt beslut" not in after and "Förnya recept Undantagen" in after


def test_a_template_the_catalog_has_none_for_counts_on_no_side_of_a_report(
    store: Store,
) -> None:
    """The file may list a regional template for a case type the region has none for
    (boka_tid): it is never counted as on a template, before a report or after it, so the
    progress moved by the report is the progress made again from the record."""
    held = on_day(store, TODAY)
    head = HEADER + ";regionala_mallar"
    offered = "kontakt|fornya_recept|boka_tid;kontakt|boka_tid;boka_tid"  # by phone; online
    row = ROW.replace("kontakt|fornya_recept;kontakt", offered)
    import_units(held, f"{head}\n{row}".encode(), ADAM, "t.csv", observed=OBSERVED)
    save_user(held, ELIN, ADAM)
    [booking] = [r for r in unit_rollout(held, ELIN, T1, TODAY) if r.arendetyp == "boka_tid"]
    assert (booking.status, booking.mall) == ("infort", False)  # on no template of the region
    report_e_service(held, ELIN, T1, "fornya_recept", True, dt.date(2026, 11, 20))
    verified = verify_audit(held, ADAM)
    assert verified.intact, verified.problems
