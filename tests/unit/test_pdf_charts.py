"""The report's charts drawn by fpdf2: every printed share and name on the page, each point
where its date and share put it, the deadlines labelled, the case types told apart by more
than colour, the chart tagged as a figure with its text alternative, and nothing drawn
below the height it said it needs."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pypdf
import pytest
from fpdf import FPDF

from logic.files import pdf_charts
from logic.files.reference_data import catalog
from logic.presentation.rollout_charts import grid_of, lines_of
from logic.presentation.rollout_frames import _summary_columns

FONTS = Path(__file__).resolve().parents[2] / "data" / "fonts"
D = dt.date
CAT = catalog()
KONTAKT, RECEPT, BOKA = (
    CAT.case_type(code).name("sv") for code in ("kontakt", "fornya_recept", "boka_tid")
)


class Recorded(FPDF):
    """An FPDF that remembers where the lines and points went."""

    def __init__(self) -> None:
        super().__init__(orientation="landscape", format="A4")
        self.lines_drawn: list[list[tuple[float, float]]] = []
        self.points: list[tuple[float, float]] = []
        self.texts: list[tuple[float, float, str, int]] = []
        self.lowest = 0.0  # the lowest edge of a rectangle on the current page

    def polyline(self, point_list: Any, *args: Any, **kwargs: Any) -> None:
        self.lines_drawn.append(list(point_list))
        super().polyline(point_list, *args, **kwargs)

    def circle(self, x: float, y: float, radius: float, style: Any = None) -> None:
        self.points.append((x, y))
        super().circle(x, y, radius, style)

    def text(self, x: float, y: float, text: str = "") -> None:
        self.texts.append((x, y, text, self.page))
        super().text(x, y, text)

    def rect(self, x: float, y: float, w: float, h: float, *args: Any, **kwargs: Any) -> None:
        self.lowest = max(self.lowest, y + h)
        super().rect(x, y, w, h, *args, **kwargs)

    def add_page(self, *args: Any, **kwargs: Any) -> None:
        super().add_page(*args, **kwargs)
        self.lowest = 0.0


def _pdf() -> Recorded:
    pdf = Recorded()
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    return pdf


def _text(pdf: FPDF) -> str:
    pages = pypdf.PdfReader(io.BytesIO(bytes(pdf.output()))).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _summary(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [[f, a, 10, 5, share, 0, 0.0, 0, 0] for f, a, share in rows],
        columns=_summary_columns("sv"),
    )


def _progress(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [[day, name, 10, 5, share, 0.0] for day, name, share in rows],
        columns=["Observerad", "Ärendetyp", "Krävs", "Införda", "Andel införda (%)", "Mall"],
    )


def _drawn(shown: Any, pdf: FPDF | None = None) -> tuple[FPDF, float, float]:
    pdf = pdf or _pdf()
    top = pdf.get_y()
    pdf_charts.draw(pdf, shown, "Diagrammet")
    return pdf, top, pdf.get_y()


def test_the_grid_prints_every_share_and_name_and_leaves_a_cell_without_units_blank() -> None:
    grid = grid_of(
        _summary([("Primärvård Skåne", RECEPT, 75.0), ("Primärvård Skåne", KONTAKT, 12.5),
                  ("Sjukhusen i nordväst", KONTAKT, 100.0)]),
        CAT, "sv",
    )  # fmt: skip
    assert grid.columns == (KONTAKT, RECEPT)  # the catalog's order, not the table's
    pdf, top, below = _drawn(grid)
    text = _text(pdf)
    for shown in ("75,0 %", "12,5 %", "100,0 %", "Primärvård Skåne", "Sjukhusen i nordväst",
                  KONTAKT, RECEPT):  # fmt: skip
        assert shown in text
    assert text.count(" %") == 3  # Sjukhusen i nordväst has no unit required to renew
    assert below - top == pytest.approx(pdf_charts.height_of(grid, pdf))


def test_the_grid_in_english_writes_a_decimal_point() -> None:
    contact = CAT.case_type("kontakt").name("en")
    grid = grid_of(_summary([("Primärvård Skåne", contact, 12.5)]), CAT, "en")
    assert "12.5 %" in _text(_drawn(grid)[0])


def test_a_fuller_share_is_a_darker_blue() -> None:
    shades = [sum(pdf_charts._blue(share)) for share in (0, 25, 50, 100)]
    assert shades == sorted(shades, reverse=True) and len(set(shades)) == 4
    assert pdf_charts._blue(0) != (255, 255, 255)  # a share of none is still a cell


def test_each_point_is_where_its_date_and_share_put_it() -> None:
    lines = lines_of(
        _progress([("2022-01-01", KONTAKT, 0.0), ("2023-01-01", KONTAKT, 100.0),
                   ("2022-07-02", KONTAKT, 50.0)]),
        CAT, "sv",
    )  # fmt: skip
    pdf, top, below = _drawn(lines)
    [drawn] = pdf.lines_drawn
    left = pdf.l_margin + pdf_charts.LINES_LEFT
    bottom = top + pdf_charts.LINES_TOP + pdf_charts.LINES_PLOT
    first, middle, last = drawn  # by date, whatever the table's order
    assert first == pytest.approx((left, bottom))
    assert last == pytest.approx((left + pdf_charts.LINES_WIDTH, bottom - pdf_charts.LINES_PLOT))
    assert middle == pytest.approx(
        (left + pdf_charts.LINES_WIDTH * 182 / 365, bottom - pdf_charts.LINES_PLOT / 2)
    )
    assert pdf.points[:3] == drawn  # a point at each observation (the legend's after)
    assert below - top == pytest.approx(pdf_charts.height_of(lines, pdf))


def test_the_lines_name_their_axes_case_types_and_deadlines() -> None:
    lines = lines_of(
        _progress([("2022-03-01", KONTAKT, 28.0), ("2023-03-01", KONTAKT, 64.0)]), CAT, "sv"
    )
    assert [day for day, _ in lines.rules()] == [D(2022, 9, 30)]  # the region's deadline
    text = _text(_drawn(lines)[0])
    for shown in ("Frist 2022-09-30", "Observerad", "Andel införda (%)", "Ärendetyp", KONTAKT,
                  "2022-03", "2022-09", "2023-03", "0", "50", "100"):  # fmt: skip
        assert shown in text


def test_a_deadline_outside_the_observations_widens_the_time_axis() -> None:
    lines = lines_of(_progress([("2023-03-01", KONTAKT, 64.0)]), CAT, "sv")  # after 2022-09-30
    pdf, top, _ = _drawn(lines)
    [(x, _)] = pdf.points[:1]
    assert x == pytest.approx(pdf.l_margin + pdf_charts.LINES_LEFT + pdf_charts.LINES_WIDTH)


def test_one_date_and_no_deadline_still_draws_a_point_in_the_middle() -> None:
    lines = lines_of(_progress([("2023-03-01", "Okänd ärendetyp", 40.0)]), CAT, "sv")
    pdf, top, _ = _drawn(lines)
    assert pdf.lines_drawn == []  # one point, no line
    x, _ = pdf.points[0]
    assert x == pytest.approx(pdf.l_margin + pdf_charts.LINES_LEFT + pdf_charts.LINES_WIDTH / 2)


def test_case_types_differ_by_dash_or_shape_not_colour_alone() -> None:
    styles = [pdf_charts.style_of(k) for k in range(25)]
    assert len({(dash, shape) for _, dash, shape in styles}) == 25
    many = lines_of(
        _progress([("2023-03-01", name, 40.0) for name in (KONTAKT, RECEPT, BOKA)]), CAT, "sv"
    )
    text = _text(_drawn(many)[0])
    assert all(name in text for name in (KONTAKT, RECEPT, BOKA))


def test_the_chart_is_one_figure_with_its_text_alternative() -> None:
    lines = lines_of(_progress([("2023-03-01", KONTAKT, 64.0)]), CAT, "sv")
    data = bytes(_drawn(lines)[0].output())
    assert b"/S /Figure" in data and b"/Alt (Diagrammet)" in data


@pytest.mark.parametrize(
    ("first", "last", "ticks"),
    [
        (D(2022, 1, 2), D(2022, 3, 1), ["2022-02", "2022-03"]),
        (D(2022, 1, 15), D(2022, 6, 1), ["2022-02", "2022-03", "2022-04", "2022-05", "2022-06"]),
        (D(2022, 1, 1), D(2023, 1, 1), ["2022-01", "2022-03", "2022-05", "2022-07", "2022-09",
                                        "2022-11", "2023-01"]),
        (D(2022, 3, 1), D(2026, 12, 7), ["2022-07", "2023-01", "2023-07", "2024-01", "2024-07",
                                         "2025-01", "2025-07", "2026-01", "2026-07"]),
        (D(2000, 1, 1), D(2030, 1, 1), ["2000-01", "2005-01", "2010-01", "2015-01", "2020-01",
                                        "2025-01", "2030-01"]),
    ],
)  # fmt: skip
def test_the_time_axis_ticks_whole_months_in_even_steps(
    first: dt.date, last: dt.date, ticks: list[str]
) -> None:
    assert [d.strftime("%Y-%m") for d in pdf_charts.month_ticks(first, last)] == ticks


def test_a_grid_longer_than_a_page_goes_on_under_its_heading_on_the_next() -> None:
    names = [f"Förvaltning {n:02d}" for n in range(60)]
    grid = grid_of(_summary([(name, KONTAKT, 50.0) for name in names]), CAT, "sv")
    pdf = _pdf()
    pdf.set_y(150)  # most of the page used already
    lowest = []
    original = pdf.add_page

    def page_ended(*args: Any, **kwargs: Any) -> None:
        lowest.append(pdf.lowest)
        original(*args, **kwargs)

    pdf.add_page = page_ended  # type: ignore[method-assign]
    pdf_charts.draw(pdf, grid, "Diagrammet")
    lowest.append(pdf.lowest)
    assert pdf.page == 4 and all(low <= pdf.page_break_trigger for low in lowest)
    shown = [text for _, _, text, _ in pdf.texts]
    assert all(name in shown for name in names)  # not one administration lost
    assert [page for _, _, text, page in pdf.texts if text == KONTAKT] == [1, 2, 3, 4]
    assert bytes(pdf.output()).count(b"/S /Figure") == 4  # a figure per page


def test_drawing_a_chart_leaves_the_pen_as_it_was() -> None:
    for shown in (
        lines_of(_progress([("2022-03-01", KONTAKT, 28.0), ("2023-03-01", RECEPT, 64.0)]),
                 CAT, "sv"),
        grid_of(_summary([("Primärvård Skåne", KONTAKT, 12.5)]), CAT, "sv"),
    ):  # fmt: skip
        pdf = _pdf()
        pdf.set_font("DejaVu", "", 9)
        before = (pdf.line_width, pdf.draw_color, pdf.fill_color, pdf.text_color,
                  pdf.dash_pattern, pdf.font_size_pt, pdf.font_style)  # fmt: skip
        assert pdf_charts.height_to_start(shown, pdf) <= pdf_charts.height_of(shown, pdf)
        pdf_charts.draw(pdf, shown, "Diagrammet")
        after = (pdf.line_width, pdf.draw_color, pdf.fill_color, pdf.text_color,
                 pdf.dash_pattern, pdf.font_size_pt, pdf.font_style)  # fmt: skip
        assert after == before


def test_close_dates_still_get_a_time_axis_and_close_deadlines_do_not_overlap() -> None:
    lines = lines_of(_progress([("2022-09-10", KONTAKT, 40.0)]), CAT, "sv")
    assert pdf_charts.month_ticks(D(2022, 9, 10), D(2022, 9, 30)) == []
    pdf, _, _ = _drawn(lines)  # the point and the deadline, twenty days apart
    assert "2022-10" in [text for _, _, text, _ in pdf.texts]
    many = pdf_charts.Lines(
        lines.frame,
        pd.DataFrame({"Observerad": ["2022-09-30", "2022-10-05"],
                      "Frist": ["Frist 2022-09-30", "Frist 2022-10-05"]}),
        lines.series,
    )  # fmt: skip
    pdf, _, _ = _drawn(many)
    labels = [(x, y) for x, y, text, _ in pdf.texts if text.startswith("Frist")]
    assert len(labels) == 2 and labels[0][1] != labels[1][1]  # one under the other


def test_a_share_that_is_no_number_is_no_cell_and_no_point() -> None:
    grid = grid_of(
        _summary([("Primärvård Skåne", KONTAKT, float("nan")), ("Primärvård Skåne", RECEPT, 5.0)]),
        CAT, "sv",
    )  # fmt: skip
    assert list(grid.shares) == [("Primärvård Skåne", RECEPT)]
    lines = lines_of(
        _progress([("2022-03-01", KONTAKT, float("nan")), ("2023-03-01", KONTAKT, 64.0)]),
        CAT, "sv",
    )  # fmt: skip
    assert lines.series[KONTAKT] == [(D(2023, 3, 1), 64.0)]


def test_a_long_name_is_cut_to_fit_with_an_ellipsis() -> None:
    pdf = _pdf()
    pdf.set_font("DejaVu", "", 6.5)
    name = "Förvaltningen för " + "mycket " * 400
    cut = pdf_charts._fitted(pdf, name, 40.0)
    assert cut.endswith("…") and name.startswith(cut[:-1])
    assert pdf.get_string_width(cut) <= 40.0 < pdf.get_string_width(name[: len(cut)] + "…")
    assert pdf_charts._fitted(pdf, "Kort", 40.0) == "Kort"


@pytest.mark.parametrize(
    ("first", "last"),
    [(D(1000, 1, 1), D(2000, 12, 31)), (D(2024, 1, 1), D(9999, 12, 31)),
     (D(9990, 1, 1), D(9999, 12, 31)), (D(1, 1, 1), D(1, 1, 20))],
)  # fmt: skip
def test_the_time_axis_holds_dates_at_the_calendars_ends(first: dt.date, last: dt.date) -> None:
    ticks = pdf_charts.month_ticks(first, last)
    assert 0 < len(ticks) <= 10 and all(first <= day <= last for day in ticks)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_deadline_or_date_at_the_calendars_end_is_still_drawn(day: str) -> None:
    lines = lines_of(_progress([(day, "Okänd ärendetyp", 40.0)]), CAT, "sv")
    pdf, _, _ = _drawn(lines)
    assert len(pdf.points) == 2  # the point and the legend's


def test_a_grid_on_pages_with_less_room_than_a_row_ends() -> None:
    grid = grid_of(_summary([(f"F {n}", KONTAKT, 50.0) for n in range(5)]), CAT, "sv")
    pdf = _pdf()
    pdf.set_auto_page_break(True, margin=200)  # no room for a row under the heading
    original = pdf.add_page

    def add_page(*args: Any, **kwargs: Any) -> None:
        assert pdf.page < 50, "pages without end"
        original(*args, **kwargs)

    pdf.add_page = add_page  # type: ignore[method-assign]
    pdf_charts.draw(pdf, grid, "Diagrammet")
    assert pdf.page <= 6  # a row a page
