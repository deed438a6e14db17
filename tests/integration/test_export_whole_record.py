"""The decision export holds the whole record: every text a person wrote into a unit's
current decision, each deviation with what was recommended and chosen, and the verdict on
it, in every format and both profiles; no cell reads None or nan. Which texts there are is
read from the model, so a text field added later cannot be left out of the export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Annotated, Any, get_args, get_origin

import pytest
from openpyxl import load_workbook
from pydantic import AfterValidator, BaseModel

from logic.demo.history import seed_demo_history
from logic.domain.assessment import DEVIATION_CODES, Draft, Exemption, review_bounds
from logic.domain.register import RegisterFilter
from logic.domain.text import normalise_text
from logic.files import export
from logic.files.export import HEADERS, PROFILES, TEXT_COLUMNS
from logic.files.reference_data import catalog
from logic.services.assessment import open_assessment, submit_decision
from logic.services.register import export_decisions
from logic.services.units import import_units
from logic.services.verdicts import approve_decision, return_decision
from logic.settings import settings
from logic.store.store import Store
from tests.factories import ADAM, ANNA, BERIT, CECILIA, HEADER, ROW, completed, on_day

TODAY = dt.date(2026, 11, 25)
EXEMPT = "SE162321000255-T0001"
OUT = "SE162321000255-T0002"
NEVER = "SE162321000255-T0003"


def is_free_text(annotation: Any, metadata: list[Any] = ()) -> bool:  # type: ignore[assignment]
    if get_origin(annotation) is Annotated:
        metadata = [*metadata, *get_args(annotation)[1:]]
    return any(isinstance(m, AfterValidator) and m.func is normalise_text for m in metadata)


def free_text_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field of the model (and the models in it) a person types into: FreeText."""
    paths: set[str] = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if is_free_text(annotation, field.metadata):
            paths.add(prefix + name)
        elif get_origin(annotation) is dict and is_free_text(get_args(annotation)[1]):
            paths.add(f"{prefix}{name}.*")
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths |= free_text_paths(annotation, f"{prefix}{name}.")
    return paths


def test_every_text_field_of_a_decision_has_its_column_in_the_export() -> None:
    mapped = {p.rpartition(".")[0] + ".*" if "justifications." in p else p for p in TEXT_COLUMNS}
    assert free_text_paths(Draft) == mapped
    assert set(TEXT_COLUMNS.values()) <= set(HEADERS)
    assert {f"motivering_{code}" for code in DEVIATION_CODES} <= set(HEADERS)


def read(file: bytes, profile: str) -> dict[str, dict[str, str]]:
    """The export's rows by HSA-id, keyed by the column codes (whatever the header's words)."""
    if profile == "xlsx":
        sheet = load_workbook(io.BytesIO(file), read_only=True).active
        lines = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        text = file.decode("utf-8-sig")
        lines = list(
            csv.reader(io.StringIO(text), delimiter=";" if profile == "csv-excel" else ",")
        )
    assert len(lines[0]) == len(HEADERS)
    padded = [line + [""] * (len(HEADERS) - len(line)) for line in lines[1:]]  # empty at the end
    return {line[0]: dict(zip(HEADERS, line, strict=True)) for line in padded}


def texts_of(decision: dict[str, Any]) -> dict[str, str]:
    """Column -> each text the stored decision holds (TEXT_COLUMNS' paths read from it)."""
    found: dict[str, str] = {}
    for path, column in TEXT_COLUMNS.items():
        value: Any = decision
        for part in path.split("."):
            value = (value or {}).get(part)
        if value:
            found[column] = value
    return found


@pytest.fixture
def decided(store: Store) -> Store:
    """Three units: one exempted with every text there is and returned with a comment, one
    decided outside the baseline against the recommendation and approved with a comment,
    one never assessed."""
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002"), ROW.replace("T0001", "T0003")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    exempt = completed(open_assessment(store, EXEMPT, ANNA).draft).model_copy(
        update={
            "variant": "specialistmottagning",
            "variant_justification": "VARIANT-SKÄL",
            "outcome": "undantagen",
            "response_time": "",
            "exemption": Exemption(
                scope="hela_enheten",
                grounds=("annat",),
                other_ground="BESKRIVEN-GRUND",
                rationale="UNDANTAGETS-MOTIVERING",
                review_date=review_bounds(TODAY, catalog())[1],
            ),
            "rationale": "MOTIVERING-1",
            "remark": "ANMÄRKNING-1",
            "justifications": {"undantag": "HELA-ENHETEN-SKÄL"},
        }
    )
    first = submit_decision(store, exempt, ANNA)
    return_decision(store, EXEMPT, first.revision, first.content_hash, "ÅTERREMISS-SKÄL", BERIT)
    out = completed(open_assessment(store, OUT, ANNA).draft).model_copy(
        update={
            "outcome": "ej_omfattad",
            "rationale": "MOTIVERING-2",
            "justifications": {"utfall": "UTFALL-SKÄL", "lagstaniva": "LÄGSTANIVÅ-SKÄL"},
        }
    )
    second = submit_decision(store, out, ANNA)
    approve_decision(store, OUT, second.revision, second.content_hash, BERIT, "GODKÄND-KOMMENTAR")
    return store


@pytest.mark.parametrize("in_words", [None, "sv"])
@pytest.mark.parametrize("profile", PROFILES)
def test_the_export_holds_every_text_each_deviation_and_the_verdict(
    decided: Store, profile: str, in_words: str | None
) -> None:
    file = export_decisions(decided, RegisterFilter(), profile, CECILIA, in_words=in_words)  # type: ignore[arg-type]
    rows = read(file.data, profile)
    exempt, out, never = rows[EXEMPT], rows[OUT], rows[NEVER]
    assert {k: exempt[k] for k in TEXT_COLUMNS.values() if exempt[k]} == {
        "motivering": "MOTIVERING-1",
        "anmarkning": "ANMÄRKNING-1",
        "motivering_variant": "VARIANT-SKÄL",
        "undantagsmotivering": "UNDANTAGETS-MOTIVERING",
        "annan_grund": "BESKRIVEN-GRUND",
        "motivering_undantag": "HELA-ENHETEN-SKÄL",
    }
    assert {k: out[k] for k in TEXT_COLUMNS.values() if out[k]} == {
        "motivering": "MOTIVERING-2",
        "motivering_utfall": "UTFALL-SKÄL",
        "motivering_lagstaniva": "LÄGSTANIVÅ-SKÄL",
    }
    assert exempt["granskningskommentar"] == "ÅTERREMISS-SKÄL"
    assert out["granskningskommentar"] == "GODKÄND-KOMMENTAR"
    assert exempt["granskad_av"] == out["granskad_av"] == BERIT.email
    assert exempt["granskad"].startswith(TODAY.isoformat())
    if in_words is None:
        assert (exempt["granskning"], out["granskning"]) == ("aterremitterad", "faststalld")
        assert exempt["avvikelser"] == (
            "variant:primarvard>specialistmottagning|undantag:ingen>hela_enheten"
        )
        assert out["avvikelser"] == "utfall:omfattas>ej_omfattad|lagstaniva:kontakt>undantas"
    else:
        assert (exempt["granskning"], out["granskning"]) == ("Återremitterat", "Fastställt")
        assert exempt["avvikelser"].startswith("annan variant (Vårdcentral (primärvård) →")
        assert out["avvikelser"].startswith("annat beslut än det som följer av")
    assert not any(never[k] for k in TEXT_COLUMNS.values())
    for row in rows.values():
        for column, cell in row.items():
            assert cell not in ("None", "nan", "NaN", "[]", "{}"), (column, cell)


def test_the_demo_history_exports_every_text_people_wrote(store: Store) -> None:
    """Every current decision of the demo history: each of its texts, read from the stored
    decision by TEXT_COLUMNS, is in its row, and so is the comment of its verdict."""
    if store.engine.dialect.name != "sqlite":
        pytest.skip("the demo history is one register: SQLite is enough")
    seed_demo_history(store, settings().sample_units, catalog(), TODAY)
    rows = read(
        export_decisions(on_day(store, TODAY), RegisterFilter(), "csv", CECILIA).data, "csv"
    )
    checked = 0
    with store.transaction() as tx:
        for unit in tx.units.all():
            latest = tx.revisions.latest(unit.hsa_id)
            if latest is None:
                continue
            row = rows[unit.hsa_id]
            for column, text in texts_of(latest.decision).items():
                assert row[column] == export.neutralise(export.safe_text(text)), column
                checked += 1
            given = [v for v in tx.verdicts.given(unit.hsa_id) if v.revision == latest.revision]
            for verdict in given:
                assert row["granskningskommentar"] == verdict.comment
                checked += bool(verdict.comment)
    assert checked > 40
