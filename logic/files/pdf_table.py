"""A table on an fpdf2 page, drawn cell by cell: fpdf2's own table() breaks every cell into
lines twice (to measure the row, then to draw it), character by character, and a report of
fifty thousand units spent twenty seconds there. Here a cell is measured once (each distinct
text once), and only a text wider than its column is broken into lines.

The look is fpdf2's table's: a grey bold heading row, repeated on every page, thin borders,
text left-aligned and centred in its row. Columns are as wide as their longest text where
the page allows; otherwise the narrow ones keep their width and the wide ones share the rest,
each at least as wide as its longest word."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

PAD = 1.0  # mm between a cell's border and its text, left and right
HEADING_FILL = (230, 230, 230)


def draw_table(
    pdf: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    line_height: float,
    lead: Callable[[], None] = lambda: None,
    lead_height: float = 0.0,
) -> None:
    """The table at the current position in the current font (the heading in its bold),
    breaking pages as needed. `lead` draws what goes above it (its title and note,
    `lead_height` high): it starts on the next page when it would be left at a page's foot
    without the heading and the first row."""
    family, size = pdf.font_family, pdf.font_size_pt
    # each distinct text measured, and broken into lines, once: a report repeats names,
    # dates and what units lack
    text_width = functools.cache(pdf.get_string_width)  # in the regular font only
    pdf.set_font(family, "B", size)
    heading_words = [
        max((pdf.get_string_width(w) for w in name.split()), default=0.0) for name in header
    ]
    pdf.set_font(family, "", size)
    widths = _column_widths(pdf.epw, heading_words, rows, text_width)
    pdf.set_font(family, "B", size)
    heading_lines = [
        _lines(pdf, name, w, pdf.get_string_width) for name, w in zip(header, widths, strict=True)
    ]
    pdf.set_font(family, "", size)

    def heading() -> None:
        pdf.set_font(family, "B", size)
        _row(pdf, heading_lines, widths, line_height, fill=True)
        pdf.set_font(family, "", size)

    @functools.cache
    def lines_of(text: str, width: float) -> list[str]:
        return _lines(pdf, text, width, text_width)

    first = [lines_of(text, w) for text, w in zip(rows[0], widths, strict=True)] if rows else []
    together = _height(heading_lines, line_height) + (_height(first, line_height) if rows else 0)
    fits_a_page = lead_height + together <= pdf.page_break_trigger - pdf.t_margin
    if fits_a_page and pdf.will_page_break(lead_height + together):
        pdf.add_page()
    lead()
    heading()
    for row in rows:
        lines = [lines_of(text, w) for text, w in zip(row, widths, strict=True)]
        if pdf.will_page_break(_height(lines, line_height)):
            pdf.add_page()
            heading()
        _row(pdf, lines, widths, line_height, fill=False)


def _column_widths(
    total: float,
    heading_words: list[float],
    rows: Sequence[Sequence[str]],
    width: Callable[[str], float],
) -> list[float]:
    natural, least = [], []
    for index, word in enumerate(heading_words):
        column = {row[index] for row in rows}
        longest = max((width(text) for text in column), default=0.0)
        longest_word = max((width(w) for text in column for w in text.split()), default=0.0)
        natural.append(max(word, longest) + 2 * PAD)
        least.append(min(max(word, longest_word), 60.0) + 2 * PAD)
    if sum(natural) <= total:  # every text on one line: the room left shared out alike
        return [n * total / sum(natural) for n in natural]
    # the columns narrower than an even share keep their width, again and again; the others
    # share what is left, by how wide they would be, but never below their longest word
    widths: dict[int, float] = {}
    room = total
    while len(widths) < len(natural):
        share = room / (len(natural) - len(widths))
        fits = [i for i, n in enumerate(natural) if i not in widths and n <= share]
        if not fits:
            break
        for i in fits:
            widths[i] = natural[i]
            room -= natural[i]
    rest = [i for i in range(len(natural)) if i not in widths]
    wanted = sum(natural[i] for i in rest) or 1
    for i in rest:
        widths[i] = max(least[i], room * natural[i] / wanted)
    return [widths[i] for i in range(len(natural))]


def paragraph(pdf: Any, text: str, line_height: float) -> None:
    """A text across the page from the left margin in the current font, left-aligned (not
    justified: easier to read), as `multi_cell(0, line_height, text, align="L",
    new_x="LMARGIN", new_y="NEXT")` writes it: the same lines (`_by_spaces`), each measured
    as one text instead of character by character (the report's notes and lines were a
    tenth of its time in multi_cell)."""
    pdf.set_x(pdf.l_margin)
    room = pdf.w - pdf.r_margin - pdf.l_margin - 2 * pdf.c_margin
    lines = _by_spaces(text, room, pdf.get_string_width)
    if lines is None:  # a text fpdf2 may break otherwise: its own way
        pdf.multi_cell(0, line_height, text, align="L", new_x="LMARGIN", new_y="NEXT")
        return
    for line in lines:
        pdf.cell(0, line_height, line, new_x="LMARGIN", new_y="NEXT")


def paragraph_height(pdf: Any, text: str, line_height: float) -> float:
    """How high `paragraph` writes the text in the current font, wherever the pen is (a
    soft hyphen alone on a line can make it a line short: the report has none, a name
    holding one is refused at import)."""
    room = pdf.w - pdf.r_margin - pdf.l_margin - 2 * pdf.c_margin
    lines = _by_spaces(text, room, pdf.get_string_width)
    if lines is not None:
        return len(lines) * line_height
    width = pdf.w - pdf.r_margin - pdf.l_margin  # from the left margin, as paragraph writes
    lines = pdf.multi_cell(width, line_height, text, dry_run=True, output="LINES")
    # a line break at the end moves the pen a line further, which multi_cell's lines omit
    return (len(lines) + text.endswith("\n")) * line_height


def _lines(pdf: Any, text: str, width: float, text_width: Callable[[str], float]) -> list[str]:
    if "\n" not in text and text_width(text) <= width - 2 * PAD:
        return [text]
    words = _by_spaces(text, width - 2 * PAD, text_width)
    if words is not None:
        return words
    room = width - 2 * PAD + 2 * pdf.c_margin  # multi_cell keeps c_margin on each side
    return list(pdf.multi_cell(room, 1, text, dry_run=True, output="LINES")) or [""]


@functools.cache
def _other_breaks() -> frozenset[str]:
    """Where fpdf2 may break a line other than at a plain space (or must: a new line), and
    what it draws otherwise than as itself (a soft hyphen). fpdf2 is imported when drawn."""
    from fpdf.line_break import BREAKING_SPACE_SYMBOLS_STR, HYPHEN, NEWLINE, SOFT_HYPHEN

    return frozenset(
        (set(BREAKING_SPACE_SYMBOLS_STR) - {" "}) | {HYPHEN, SOFT_HYPHEN, NEWLINE, "\r", "\f"}
    )


def _by_spaces(text: str, room: float, text_width: Callable[[str], float]) -> list[str] | None:
    """The lines fpdf2's multi_cell breaks a text of words and single spaces into, each as
    long as fits: a line's width is its characters' widths summed, so each candidate line is
    measured as one text (cached), not character by character as multi_cell does (held
    equal to it by a property test). None when the text may break elsewhere (a hyphen,
    another kind of space, a new line), has spaces at an end or two together (multi_cell
    drops a space it breaks at), or a word is wider than the room: multi_cell then says."""
    if not _other_breaks().isdisjoint(text) or "  " in text or text != text.strip(" "):
        return None
    words = text.split(" ")
    if any(text_width(word) > room for word in words):
        return None
    lines, line = [], words[0]
    for word in words[1:]:
        longer = f"{line} {word}"
        if text_width(longer) <= room + 1e-9:  # fpdf2's own tolerance
            line = longer
        else:
            lines.append(line)
            line = word
    return [*lines, line]


def _height(lines: list[list[str]], line_height: float) -> float:
    return max(map(len, lines)) * line_height + PAD / 2


def _row(
    pdf: Any, lines: list[list[str]], widths: list[float], line_height: float, fill: bool
) -> None:
    height = _height(lines, line_height)
    x, y = pdf.l_margin, pdf.get_y()
    if fill:
        pdf.set_fill_color(*HEADING_FILL)
    for cell, width in zip(lines, widths, strict=True):
        pdf.rect(x, y, width, height, style="DF" if fill else "D")
        top = y + (height - len(cell) * line_height) / 2
        for n, text in enumerate(cell):
            # the baseline a little above the line's foot, as a cell puts it
            pdf.text(x + PAD, top + (n + 1) * line_height - 0.3 * pdf.font_size, text)
        x += width
    pdf.set_xy(pdf.l_margin, y + height)
