"""The report's charts drawn by fpdf2 itself, as lines, shapes and text in the PDF: what
they show is worked out in logic/presentation/rollout_charts.py, the same the pages draw
with Altair. Drawn in the PDF's own vector graphics a chart takes milliseconds, where
rendering it to an image took a JavaScript engine a tenth of a second or more (and the
image had to be decoded and compressed again into the file), and it stays sharp when
printed or enlarged. Each chart is tagged as a figure with its title as text alternative,
and its figures are in the table the report names under it. Meaning never by colour alone:
the grid prints each share, the lines differ by dash and point shape as well."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

from logic.presentation.rollout_charts import Grid, Lines

WIDTH = 200.0  # mm, as the images were
FONT = "DejaVu"
INK = (17, 17, 17)
AXIS = (136, 136, 136)
GRIDLINE = (221, 221, 221)
RULE = (68, 68, 68)
# Vega's "tableau10", as the pages colour the case types
COLOURS = (
    (76, 120, 168), (245, 133, 24), (228, 87, 86), (114, 183, 178), (84, 162, 75),
    (238, 202, 59), (178, 121, 162), (255, 157, 166), (157, 117, 93), (186, 176, 172),
)  # fmt: skip
DASHES = ((0.0, 0.0), (2.4, 1.0), (0.6, 0.8), (4.0, 1.5), (1.2, 1.2))  # (dash, gap): 0 solid
SHAPES = ("circle", "square", "triangle", "diamond", "cross")


def height_of(shown: Grid | Lines, pdf: Any) -> float:
    """The height the whole chart takes, in mm (a grid over more than a page takes more)."""
    if isinstance(shown, Grid):
        return _grid_header(shown, pdf) + len(shown.rows) * GRID_ROW + 2
    return LINES_TOP + LINES_PLOT + LINES_BELOW + _legend_height(shown, pdf)


def height_to_start(shown: Grid | Lines, pdf: Any) -> float:
    """The room the chart needs below its title to start on this page: the lines whole, a
    grid's heading and its first rows (the rest go on over the next pages)."""
    if isinstance(shown, Grid):
        return _grid_header(shown, pdf) + min(len(shown.rows), 3) * GRID_ROW + 2
    return height_of(shown, pdf)


def draw(pdf: Any, shown: Grid | Lines, alt_text: str) -> None:
    """The chart at the left margin below the current position, which moves below it; the
    colours, lines and font as they were before. Each part on a page is a figure, tagged as
    fpdf2 tags an image (its own _marked_sequence), with the text alternative."""
    if isinstance(shown, Grid):
        rows = list(shown.rows)
        while rows:
            room = pdf.page_break_trigger - pdf.get_y() - _grid_header(shown, pdf) - 2
            fits = max(int(room // GRID_ROW), 0)
            if not fits and pdf.get_y() > pdf.t_margin:  # on the next page, whole
                pdf.add_page()
                continue
            fits = max(fits, 1)  # a page with less room than a row: one a page, not none
            with pdf.local_context(), pdf._marked_sequence(title=alt_text, alt_text=alt_text):
                _draw_grid(pdf, shown, rows[:fits])
            rows = rows[fits:]
            if rows:  # the rest under the heading again on the next page
                pdf.add_page()
    elif any(shown.series.values()):
        with pdf.local_context(), pdf._marked_sequence(title=alt_text, alt_text=alt_text):
            _draw_lines(pdf, shown)


# --- the grid: administrations by case type -------------------------------------------------
GRID_ROW = 6.0
GRID_ANGLE = 35.0


def _grid_header(grid: Grid, pdf: Any) -> float:
    with _font(pdf, 6.5):
        longest = max((pdf.get_string_width(c) for c in grid.columns), default=0.0)
    return min(longest, 60.0) * math.sin(math.radians(GRID_ANGLE)) + 4


def _draw_grid(pdf: Any, grid: Grid, rows: list[str]) -> None:
    x0, top = pdf.l_margin, pdf.get_y() + _grid_header(grid, pdf)
    pdf.set_font(FONT, "", 6.5)
    label_w = min(max((pdf.get_string_width(r) for r in grid.rows), default=0.0), 70.0) + 2
    cell_w = min(17.0, (WIDTH - label_w) / max(len(grid.columns), 1))
    left = x0 + label_w
    pdf.set_text_color(*INK)
    for j, column in enumerate(grid.columns):  # the case types above, slanted
        cx = left + (j + 0.5) * cell_w
        with pdf.rotation(GRID_ANGLE, cx, top - 1.5):
            pdf.text(cx, top - 1.5, _fitted(pdf, column, 60.0))
    for i, row in enumerate(rows):
        y = top + i * GRID_ROW
        pdf.set_font(FONT, "", 6.5)
        name = _fitted(pdf, row, label_w - 2)
        pdf.text(left - 1 - pdf.get_string_width(name), y + GRID_ROW / 2 + 1, name)
        for j, column in enumerate(grid.columns):
            share = grid.shares.get((row, column))
            if share is None:  # the administration has no unit required to have it
                continue
            x = left + j * cell_w
            pdf.set_fill_color(*_blue(share))
            pdf.rect(x, y, cell_w, GRID_ROW, style="F")
            text = grid.label(share)
            size = 7.0
            pdf.set_font(FONT, "", size)
            while pdf.get_string_width(text) > cell_w - 0.6 and size > 4:  # narrow cells
                size -= 0.5
                pdf.set_font(FONT, "", size)
            pdf.text(x + (cell_w - pdf.get_string_width(text)) / 2, y + GRID_ROW / 2 + 1.2, text)
    pdf.set_draw_color(*GRIDLINE)
    pdf.set_line_width(0.2)
    pdf.rect(left, top, cell_w * len(grid.columns), GRID_ROW * len(rows))
    pdf.set_y(top + GRID_ROW * len(rows) + 2)


def _blue(share: float) -> tuple[int, int, int]:
    """Light to dark blue by the share, at a third of its strength over the white page (as
    the pages' grid: Vega's "blues" at opacity 0.35), so the printed share stays legible."""
    light, dark = (207, 225, 242), (8, 81, 156)
    f = max(0.0, min(share, 100.0)) / 100
    return tuple(  # type: ignore[return-value]
        round(255 - 0.35 * (255 - (a + (b - a) * f))) for a, b in zip(light, dark, strict=True)
    )


# --- the lines: the share in place over time -------------------------------------------------
LINES_TOP = 4.0  # above the plot: room for the deadlines' labels
LINES_PLOT = 70.0
LINES_LEFT = 16.0  # the share's ticks and title
LINES_WIDTH = WIDTH - LINES_LEFT - 4
LINES_BELOW = 10.0  # the dates' ticks and title
MIN_SPAN = 62  # days the time axis spans at least: two months ticked


def _draw_lines(pdf: Any, lines: Lines) -> None:
    x0, y0 = pdf.l_margin + LINES_LEFT, pdf.get_y() + LINES_TOP
    bottom = y0 + LINES_PLOT
    days = [d for points in lines.series.values() for d, _ in points]
    days += [d for d, _ in lines.rules()]
    first, last = min(days), max(days)
    short = MIN_SPAN - (last - first).days
    if short > 0:  # dates close together: widened either side, so months are ticked
        start = max(1, first.toordinal() - short // 2)  # within the calendar, at its ends too
        end = min(dt.date.max.toordinal(), start + MIN_SPAN)
        first, last = dt.date.fromordinal(end - MIN_SPAN), dt.date.fromordinal(end)
    span = (last - first).days

    def x_of(day: dt.date) -> float:
        return x0 + LINES_WIDTH * (day - first).days / span

    def y_of(share: float) -> float:
        return bottom - LINES_PLOT * max(0.0, min(share, 100.0)) / 100

    pdf.set_font(FONT, "", 6.5)
    pdf.set_text_color(*INK)
    pdf.set_line_width(0.15)
    for share in range(0, 101, 10):  # the share's gridlines and ticks
        y = y_of(share)
        pdf.set_draw_color(*GRIDLINE)
        pdf.line(x0, y, x0 + LINES_WIDTH, y)
        pdf.text(x0 - 1.5 - pdf.get_string_width(str(share)), y + 0.9, str(share))
    for day in month_ticks(first, last):
        x = x_of(day)
        pdf.set_draw_color(*GRIDLINE)
        pdf.line(x, y0, x, bottom)
        pdf.set_draw_color(*AXIS)
        pdf.line(x, bottom, x, bottom + 1)
        label = day.strftime("%Y-%m")
        pdf.text(x - pdf.get_string_width(label) / 2, bottom + 3.6, label)
    pdf.set_draw_color(*AXIS)
    pdf.line(x0, bottom, x0 + LINES_WIDTH, bottom)
    pdf.line(x0, y0, x0, bottom)
    pdf.set_font(FONT, "B", 7)
    pdf.text(x0 + (LINES_WIDTH - pdf.get_string_width(lines.x_title)) / 2, bottom + 7.5,
             lines.x_title)  # fmt: skip
    title_x = pdf.l_margin + 3
    title_y = y0 + (LINES_PLOT + pdf.get_string_width(lines.y_title)) / 2
    with pdf.rotation(90, title_x, title_y):
        pdf.text(title_x, title_y, lines.y_title)

    pdf.set_font(FONT, "", 6.5)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    ends: list[float] = []  # where each line of labels ends: close deadlines go lower
    for day, label in sorted(lines.rules()):  # the deadlines, labelled at the top
        x = x_of(day)
        pdf.set_dash_pattern(1.0, 1.0)
        pdf.line(x, y0 - LINES_TOP + 1, x, bottom)
        level = next((n for n, end in enumerate(ends) if end < x), len(ends))
        ends[level : level + 1] = [x + 1.5 + pdf.get_string_width(label)]
        pdf.text(x + 0.8, y0 - LINES_TOP + 3 + 3 * level, label)
    for k, points in enumerate(lines.series.values()):
        at = [(x_of(d), y_of(s)) for d, s in points]
        _pen(pdf, k)
        if len(at) > 1:
            pdf.polyline(at)
        pdf.set_dash_pattern()
        for x, y in at:
            _mark(pdf, k, x, y)
    pdf.set_y(bottom + LINES_BELOW)
    _draw_legend(pdf, lines)


def month_ticks(first: dt.date, last: dt.date, most: int = 10) -> list[dt.date]:
    """The first days of months between two dates, every 1, 2, 3 or 6 months or 1, 2, 5, 10,
    20, 50 or 100 years, the shortest step that keeps the ticks at `most`."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    steps = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200)
    step = next((s for s in steps if months / s <= most), 1200 * math.ceil(months / most / 1200))
    index = first.year * 12 + first.month - 1  # months since year 0, January 0
    if first.day > 1:
        index += 1
    index += -index % step  # the first tick
    end = last.year * 12 + last.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index, end + 1, step)]


def _legend_height(lines: Lines, pdf: Any) -> float:
    with _font(pdf, 6.5):
        return 5 + 4 * len(list(_legend_rows(lines, pdf)))


@contextlib.contextmanager
def _font(pdf: Any, size: float) -> Iterator[None]:
    """Text measured in the charts' font, the font as it was after."""
    family, style, was = pdf.font_family, pdf.font_style, pdf.font_size_pt
    pdf.set_font(FONT, "", size)
    try:
        yield
    finally:
        if family:
            pdf.set_font(family, style, was)


def _legend_rows(lines: Lines, pdf: Any) -> Iterator[list[tuple[int, str, float]]]:
    """The case types in rows that fit the chart's width: (index, name, width)."""
    pdf.set_font(FONT, "", 6.5)
    row: list[tuple[int, str, float]] = []
    used = 0.0
    for k, name in enumerate(lines.series):
        name = _fitted(pdf, name, WIDTH - LINES_LEFT - 15)
        width = 10 + pdf.get_string_width(name) + 5
        if row and used + width > WIDTH - LINES_LEFT:
            yield row
            row, used = [], 0.0
        row.append((k, name, width))
        used += width
    if row:
        yield row


def _draw_legend(pdf: Any, lines: Lines) -> None:
    x0, y = pdf.l_margin + LINES_LEFT, pdf.get_y()
    pdf.set_font(FONT, "B", 7)
    pdf.set_text_color(*INK)
    pdf.text(x0, y + 2.5, lines.legend_title)
    y += 5
    for row in _legend_rows(lines, pdf):
        x = x0
        for k, name, width in row:
            _pen(pdf, k)
            pdf.line(x, y, x + 8, y)
            pdf.set_dash_pattern()
            _mark(pdf, k, x + 4, y)
            pdf.set_font(FONT, "", 6.5)
            pdf.text(x + 10, y + 1, name)
            x += width
        y += 4
    pdf.set_y(y)


def style_of(k: int) -> tuple[tuple[int, int, int], tuple[float, float], str]:
    """The k-th case type's colour, dash and point shape: the dash and shape together tell
    25 case types apart without their colour."""
    shape = SHAPES[k // len(DASHES) % len(SHAPES)]
    return COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)], shape


def _pen(pdf: Any, k: int) -> None:
    """The k-th case type's line: its colour, width and dash."""
    colour, (dash, gap), _ = style_of(k)
    pdf.set_draw_color(*colour)
    pdf.set_line_width(0.45)
    pdf.set_dash_pattern(dash, gap) if dash else pdf.set_dash_pattern()


def _mark(pdf: Any, k: int, x: float, y: float) -> None:
    """The k-th case type's point shape, filled in its colour."""
    colour, _, shape = style_of(k)
    pdf.set_fill_color(*colour)
    r = 0.8
    if shape == "circle":
        pdf.circle(x, y, r, style="F")
    elif shape == "square":
        pdf.rect(x - r, y - r, 2 * r, 2 * r, style="F")
    elif shape == "triangle":
        pdf.polygon([(x, y - r * 1.2), (x + r * 1.1, y + r), (x - r * 1.1, y + r)], style="F")
    elif shape == "diamond":
        pdf.polygon([(x, y - r * 1.3), (x + r, y), (x, y + r * 1.3), (x - r, y)], style="F")
    else:
        pdf.set_line_width(0.5)
        pdf.line(x - r, y - r, x + r, y + r)
        pdf.line(x - r, y + r, x + r, y - r)


def _fitted(pdf: Any, text: str, width: float) -> str:
    """The text, cut with an ellipsis to fit the width in the current font (the longest cut
    found by halving: a name may be long)."""
    if pdf.get_string_width(text) <= width:
        return text
    fits, too_long = 0, len(text)
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if pdf.get_string_width(text[:middle] + "…") <= width:
            fits = middle
        else:
            too_long = middle
    return text[:fits] + "…"
