"""The decision export as people take it out: named in the region's local time, in the
words asked for (Swedish, English) or in codes, of the media type its format is; a
follow-up table's file carries its own SHA-256; on both databases."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

from logic.domain.register import RegisterFilter
from logic.files import export_words
from logic.files.export import HEADERS
from logic.services.register import export_decisions, export_table
from logic.services.units import import_units
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, CECILIA, HEADER, ROW, decide, on_day

TODAY = dt.date(2026, 7, 1)  # summer time: 09:00 in the region is 07:00 UTC


def header_and_row(data: bytes) -> tuple[list[str], list[str]]:
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))[:2]
    return header, row


def test_the_export_is_named_in_local_time_and_typed_by_its_format(store: Store) -> None:
    store = on_day(store, TODAY)
    import_units(store, "\n".join([HEADER, ROW]).encode(), ADAM, source="t.csv")
    made = export_decisions(store, RegisterFilter(), "csv", CECILIA)
    assert made.file_name == "beslut-20260701-0900.csv"
    assert made.media_type == "text/csv" and made.rows == 1
    sheet = export_decisions(store, RegisterFilter(), "xlsx", CECILIA)
    assert sheet.media_type.endswith("spreadsheetml.sheet")
    assert sheet.file_name.endswith(".xlsx")


def test_the_export_in_words_is_in_the_language_asked_for(store: Store) -> None:
    store = on_day(store, TODAY)
    import_units(store, "\n".join([HEADER, ROW]).encode(), ADAM, source="t.csv")
    decide(store, "SE162321000255-T0001", ANNA, approver=BERIT)
    codes, coded = header_and_row(export_decisions(store, RegisterFilter(), "csv", CECILIA).data)
    assert codes == list(HEADERS)
    for lang in ("sv", "en"):
        made = export_decisions(store, RegisterFilter(), "csv", CECILIA, in_words=lang)
        header, row = header_and_row(made.data)
        assert header == export_words.headers(lang)
        assert row[codes.index("utfall")] == {"sv": "Omfattas", "en": "In scope"}[lang]
    assert coded[codes.index("utfall")] == "omfattas"


def test_a_follow_up_table_carries_its_own_hash(store: Store) -> None:
    made = export_table(store, "tabell", ["a", "b"], [["1", "2"]], "csv", CECILIA)
    assert made.sha256 == hashlib.sha256(made.data).hexdigest()
    assert (made.file_name, made.rows) == ("tabell.csv", 1)


def test_each_exempted_case_type_is_in_its_cell(store: Store) -> None:
    from logic.domain.assessment import Exemption, grounds_for, review_bounds
    from logic.files.reference_data import catalog

    store = on_day(store, TODAY)
    import_units(store, "\n".join([HEADER, ROW]).encode(), ADAM, source="t.csv")
    hsa_id = "SE162321000255-T0001"
    with store.transaction() as tx:
        unit = tx.units.get(hsa_id)
    assert unit is not None
    exempted = ("av_omboka", "fornya_recept")
    exemption = Exemption(
        scope="per_arendetyp",
        case_types=exempted,
        grounds=grounds_for(unit, "per_arendetyp", catalog())[:1],
        rationale="Skäl.",
        review_date=review_bounds(TODAY, catalog())[1],
    )
    decide(store, hsa_id, ANNA, approver=BERIT, outcome="delvis_undantagen", exemption=exemption)
    header, row = header_and_row(export_decisions(store, RegisterFilter(), "csv", CECILIA).data)
    assert row[header.index("undantagna_arendetyper")] == "av_omboka|fornya_recept"
