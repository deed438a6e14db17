"""The decision export's CSV is written two ways: over whole columns, from the rows as the
database driver hands them over (decision_columns, into the Arrow writer), and row by row
(record_row, each moment put in local time, the csv module's writer), which the XLSX, the
export in words and anything not as the app writes it still take. For the same register,
whatever the decisions hold (exemptions, deviations and their justifications, verdicts with
comments, moments either side of a change to or from summer time, any text), the service's
file is the row-by-row file, byte for byte. On both databases."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, text, update

from logic.domain.assessment import DEVIATION_CODES
from logic.domain.register import RegisterFilter
from logic.files import decision_columns, export
from logic.services.register import export_decisions
from logic.services.units import import_units
from logic.store import readmodel_register
from logic.store.schema import approvals, assessment_revisions, units
from logic.store.store import Store
from tests.factories import ADAM, CECILIA, HEADER, ROW
from tests.hostile_text import TEXT
from tests.integration.test_audit import triggers_off

UNITS = [f"SE162321000255-D{i}" for i in range(4)]
STOCKHOLM = ZoneInfo("Europe/Stockholm")
# moments in UTC near the changes to and from summer time, and any other
MOMENTS = st.one_of(
    st.sampled_from(
        [
            dt.datetime(2026, 3, 29, 0, 59, 59, 999999),
            dt.datetime(2026, 3, 29, 1, 0),
            dt.datetime(2026, 10, 25, 0, 59),
            dt.datetime(2026, 10, 25, 1, 0, 30),
            dt.datetime(2026, 12, 31, 23, 0),
            dt.datetime(2040, 7, 1, 12, 0),  # summer time by the zone file's yearly rule
        ]
    ),
    st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2060, 12, 31)),
)
CODES = st.lists(st.sampled_from(["kontakt", "fornya_recept", "boka_tid", "av_omboka"]))
revisions = itertools.count(1)


@st.composite
def decisions(draw: st.DrawFn) -> dict[str, Any]:
    """The JSON a revision holds, as far as the export reads it: any text, any shape the
    domain writes (no exemption, an exemption with or without its texts, deviations)."""
    exemption = draw(
        st.none()
        | st.fixed_dictionaries(
            {"case_types": CODES},
            optional={"rationale": TEXT | st.none(), "other_ground": TEXT | st.none()},
        )
    )
    deviations = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "code": st.sampled_from(DEVIATION_CODES),
                    "recommended": TEXT,
                    "chosen": TEXT,
                },
                optional={"justification": TEXT | st.none()},
            ),
            max_size=3,
        )
    )
    return {
        "decision_text": draw(TEXT),
        "exemption": exemption,
        "response_time": draw(TEXT | st.none()),
        "remark": draw(TEXT | st.none()),
        "deviations": deviations,
    }


@st.composite
def unit_states(draw: st.DrawFn) -> dict[str, Any] | None:
    """A unit never decided (None), or its current revision, the verdict on it and the
    revision in force."""
    if draw(st.booleans()):
        return None
    return {
        "decision": draw(decisions()),
        "created_at": draw(MOMENTS),
        "review_date": draw(st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2031, 12, 31))),
        "texts": [draw(TEXT) for _ in range(6)],
        "verdict": draw(st.none() | st.sampled_from(["faststalld", "aterremitterad"])),
        "verdict_at": draw(MOMENTS),
        "comment": draw(TEXT),
        "in_force_at": draw(st.none() | MOMENTS),
        "below_minimum": draw(st.booleans()),
    }


def write(store: Store, hsa_id: str, state: dict[str, Any] | None) -> None:
    """The unit's rows as the services leave them (written here directly: the register's
    shape, not its workflow, is what the export reads)."""
    with store.engine.begin() as conn:
        if state is None:
            conn.execute(
                update(units)
                .where(units.c.hsa_id == hsa_id)
                .values(current_revision=None, decision_status=None, in_force_at=None,
                        in_force_revision=None, in_force_approver=None)
            )  # fmt: skip
            return
        revision = next(revisions)
        outcome, variant, required, missing, rationale, author = state["texts"]
        outcome, variant = outcome[:30], variant[:30]  # the columns' length
        conn.execute(
            insert(assessment_revisions).values(
                hsa_id=hsa_id, revision=revision, author=author or "a",
                created_at=state["created_at"].replace(tzinfo=dt.UTC), inputs={},
                recommendation={}, catalog_version="2026.1", outcome=outcome or "omfattas",
                variant=variant, decision=state["decision"], content_hash="0" * 64,
                required=required, missing=missing, grounds="annat", rationale=rationale,
                review_date=state["review_date"], rule_ids="R1|R2",
            )
        )  # fmt: skip
        if state["verdict"]:
            conn.execute(
                insert(approvals).values(
                    hsa_id=hsa_id, revision=revision, content_hash="0" * 64,
                    verdict=state["verdict"], comment=state["comment"], approver=author or "b",
                    at=state["verdict_at"].replace(tzinfo=dt.UTC),
                )
            )  # fmt: skip
        in_force = state["in_force_at"]
        conn.execute(
            update(units)
            .where(units.c.hsa_id == hsa_id)
            .values(
                current_revision=revision, decision_status=state["verdict"] or "for_beslut",
                decision_below_minimum=state["below_minimum"],
                in_force_at=in_force.replace(tzinfo=dt.UTC) if in_force else None,
                in_force_revision=revision if in_force else None,
                in_force_approver=author if in_force else None,
            )
        )  # fmt: skip


def row_by_row(store: Store, profile: export.Profile) -> bytes:
    """The file as the csv module's writer makes it of record_row's rows, each moment put in
    Stockholm's time here (zoneinfo, not Arrow)."""
    moments = [export.HEADERS.index(n) for n in ("beslutad", "faststalld", "granskad")]

    def rows() -> Iterator[tuple[Any, ...]]:
        with store.transaction(readonly=True) as tx:
            for raw in readmodel_register.export_rows(tx, RegisterFilter(), dt.date(2026, 12, 7)):
                row = list(export.record_row(raw))
                for i in moments:
                    if row[i] is not None:
                        aware = row[i] if row[i].tzinfo else row[i].replace(tzinfo=dt.UTC)
                        row[i] = aware.astimezone(STOCKHOLM).replace(tzinfo=None)
                yield tuple(row)

    return export.render(list(rows()), profile)


def row_by_row_taken(raw: Any) -> tuple[Any, ...]:
    raise AssertionError("the rows went row by row, not over columns")


def over_columns(store: Store) -> Any:
    with store.transaction(readonly=True) as tx:
        plain = readmodel_register.export_plain_rows(tx, RegisterFilter(), dt.date(2026, 12, 7))
        return decision_columns.table_of(plain, STOCKHOLM, not tx.postgresql)


@pytest.fixture
def register(store: Store) -> Store:
    file = "\n".join([HEADER, *(ROW.replace("SE162321000255-T0001", u) for u in UNITS)])
    import_units(store, file.encode(), ADAM, source="t.csv")
    return store


def test_the_file_over_whole_columns_is_the_file_row_by_row(register: Store) -> None:
    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(unit_states(), min_size=len(UNITS), max_size=len(UNITS)),
           st.sampled_from(["csv-excel", "csv"]))  # fmt: skip
    def check(states: list[dict[str, Any] | None], profile: export.Profile) -> None:
        for hsa_id, state in zip(UNITS, states, strict=True):
            write(register, hsa_id, state)
        assert over_columns(register) is not None
        expected = row_by_row(register, profile)
        with pytest.MonkeyPatch.context() as patch:  # the service takes the columns' way
            patch.setattr(export, "record_row", row_by_row_taken)
            file = export_decisions(register, RegisterFilter(), profile, CECILIA)
        assert file.data == expected
        assert file.rows == len(UNITS)

    check()


FIXED = {  # a unit's state as the app writes it, changed below as it does not
    "decision": {"decision_text": "Text", "exemption": None, "response_time": None,
                 "remark": None, "deviations": []},
    "created_at": dt.datetime(2026, 5, 1, 8, 30), "review_date": dt.date(2027, 1, 1),
    "texts": ["omfattas", "primarvard", "kontakt", "", "Motivering.", "anna@region.se"],
    "verdict": "faststalld", "verdict_at": dt.datetime(2026, 5, 2, 9),
    "comment": "Ok.", "in_force_at": dt.datetime(2026, 5, 2, 9), "below_minimum": False,
}  # fmt: skip
JSON_THE_APP_DOES_NOT_WRITE = {
    "a number too large for Arrow": {"exemption": {"case_types": [], "rationale": 10**30}},
    "a justification as a number": {
        "deviations": [{"code": "variant", "recommended": "a", "chosen": "b", "justification": 7}]
    },
    "the exemption as a JSON string": {"exemption": '{"case_types": ["kontakt"]}'},
}


def exports_as_row_by_row(store: Store) -> None:
    """The service's CSV is the row-by-row file, or the service refuses as that path does."""
    try:
        expected: bytes | type[Exception] = row_by_row(store, "csv")
    except Exception as refused:  # the row-by-row path's own refusal, as before
        expected = type(refused)
    if isinstance(expected, bytes):
        assert export_decisions(store, RegisterFilter(), "csv", CECILIA).data == expected
    else:
        with pytest.raises(expected):
            export_decisions(store, RegisterFilter(), "csv", CECILIA)


@pytest.mark.parametrize("change", list(JSON_THE_APP_DOES_NOT_WRITE))
def test_json_the_app_does_not_write_is_read_as_always(register: Store, change: str) -> None:
    """The file the row-by-row writer makes of it, or the same refusal, on both databases."""
    decision = FIXED["decision"] | JSON_THE_APP_DOES_NOT_WRITE[change]
    write(register, UNITS[0], FIXED | {"decision": decision})
    exports_as_row_by_row(register)


BEHIND_THE_APPS_BACK = {
    "a moment in another format": "UPDATE units SET in_force_at = '2026-06-01T10:00:00'",
    "text where a revision number belongs": "UPDATE units SET in_force_revision = 'sju'",
    "bytes where text belongs": "UPDATE units SET in_force_approver = X'414243'",
    "a negative revision number": "UPDATE units SET in_force_revision = -1",
    "a year 0": "UPDATE units SET in_force_at = '0000-06-01 10:00:00'",
    "a local time past the year 9999": "UPDATE units SET in_force_at = '9999-12-31 23:30:00'",
    "a date in the year 0": "UPDATE assessment_revisions SET review_date = '0000-01-01'",
    "a date that is none": "UPDATE assessment_revisions SET review_date = '2026-02-30'",
}


@pytest.mark.parametrize("change", list(BEHIND_THE_APPS_BACK))
def test_what_the_app_does_not_write_goes_row_by_row_as_always(
    register: Store, change: str
) -> None:
    """On SQLite (PostgreSQL refuses such values when they are written): the row-by-row
    writer takes the rows, and the file is what it always was, or the same refusal."""
    if register.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's types refuse such values")
    write(register, UNITS[0], FIXED)
    with triggers_off(register, "assessment_revisions") as conn:
        conn.execute(text(BEHIND_THE_APPS_BACK[change] + " WHERE hsa_id = :h"), {"h": UNITS[0]})
    assert over_columns(register) is None  # not as the app writes it
    exports_as_row_by_row(register)
