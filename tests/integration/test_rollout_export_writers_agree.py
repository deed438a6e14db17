"""The roll-out export is written two ways: now, from SQL (rows_now: the status worked out in
the query, dates as YYYY-MM-DD text straight into the CSV writer, as the export does into the
Arrow writer), and as of an earlier date
or moment, from the rows the history makes (rollout_cells: dates as dates). For the same
rows, whatever text they carry (what a spreadsheet would run as a formula, control
characters, any script), the two make the same file, and the same spreadsheet cells. On
both databases."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logic.domain.rollout import Interval, RolloutRow, status
from logic.files import arrow_csv
from logic.files.export import render_table, to_csv
from logic.files.reference_data import catalog
from logic.files.rollout_export import ROLLOUT_HEADERS, rollout_cells
from logic.readmodels.rollout_projection import projection_row
from logic.services.units import import_units
from logic.store.readmodel_rollout_export import rows_now
from logic.store.store import Store
from tests.factories import ADAM, HEADER, ROW
from tests.hostile_text import TEXT

UNITS = [f"SE162321000255-W{i}" for i in range(3)]
CASE_TYPES = ("kontakt", "fornya_recept", "av_omboka", "boka_tid")
DAYS = st.none() | st.dates(dt.date(2021, 6, 1), dt.date(2024, 12, 31))


@st.composite
def projections(draw: st.DrawFn) -> tuple[dt.date, list[RolloutRow]]:
    """A date and the roll-out's rows, each as the domain would make it for that date."""
    as_of = draw(st.dates(dt.date(2022, 1, 1), dt.date(2024, 6, 30)))
    keys = draw(
        st.lists(st.tuples(st.sampled_from(UNITS), st.sampled_from(CASE_TYPES)), unique=True)
    )
    rows = []
    for hsa_id, arendetyp in keys:
        exempted, in_place = draw(st.booleans()), draw(st.booleans())
        on_template = in_place and draw(st.booleans())
        frist = None if exempted else draw(DAYS)
        span = Interval(in_place)
        rows.append(
            RolloutRow(
                hsa_id=hsa_id,
                enhet=draw(TEXT),
                forvaltning=draw(TEXT),
                arendetyp=arendetyp,
                status=status(span, on_template, frist, as_of, exempted),
                infort_efter=draw(DAYS),
                infort_senast=draw(DAYS),
                frist=frist,
                i_tid=draw(st.sampled_from(["ja", "nej", "okant"])) if frist else "",
                mall=on_template,
                basis=draw(st.sampled_from(["beslut", "forslag"])),
            )
        )
    return as_of, rows


def cells_of(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_from_sql_is_the_file_the_history_s_rows_make(store: Store) -> None:
    file = "\n".join([HEADER, *(ROW.replace("SE162321000255-T0001", u) for u in UNITS)]) + "\n"
    import_units(store, file.encode(), ADAM, source="t.csv")
    cat = catalog()

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(projections(), st.sampled_from(["csv-excel", "csv"]))
    def check(projection: tuple[dt.date, list[RolloutRow]], profile: str) -> None:
        as_of, rows = projection
        with store.transaction() as tx:
            tx.rollout.clear()
            tx.rollout.replace([], [projection_row(r, cat) for r in rows])
        ordered = sorted(rows, key=lambda r: (r.forvaltning, r.enhet, r.hsa_id, r.arendetyp))
        with store.transaction(readonly=True) as tx:
            text_cells = list(rows_now(tx, as_of, None, dates_as_text=True))
            date_cells = list(rows_now(tx, as_of, None))
            late = list(rows_now(tx, as_of, None, status="forsenat", dates_as_text=True))
        now = to_csv(text_cells, profile, headers=ROLLOUT_HEADERS)  # from SQL
        history = to_csv(rollout_cells(ordered), profile, headers=ROLLOUT_HEADERS)  # the rows
        assert now == history
        assert len(text_cells) == len(rows)
        # the export's own way: the same rows as text columns into the Arrow writer
        table = arrow_csv.table_of(text_cells, len(ROLLOUT_HEADERS))
        late_table = arrow_csv.table_of(late, len(ROLLOUT_HEADERS))
        assert table is not None and late_table is not None
        assert arrow_csv.to_csv(ROLLOUT_HEADERS, table, profile) == history
        assert arrow_csv.to_csv(ROLLOUT_HEADERS, late_table, profile) == to_csv(
            late, profile, headers=ROLLOUT_HEADERS
        )
        only_late = [r for r in ordered if r.status == "forsenat"]
        assert to_csv(late, profile, headers=ROLLOUT_HEADERS) == to_csv(
            rollout_cells(only_late), profile, headers=ROLLOUT_HEADERS
        )
        xlsx = render_table(ROLLOUT_HEADERS, date_cells, "xlsx")
        assert cells_of(xlsx) == cells_of(
            render_table(ROLLOUT_HEADERS, list(rollout_cells(ordered)), "xlsx")
        )

    check()
