"""The report's tables: every text on the page, none wider than its column, the heading on
every page, an HSA-id or a date never broken, the page's width used and not exceeded."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import pypdf
from fpdf import FPDF
from hypothesis import example, given, settings
from hypothesis import strategies as st

from logic.files import pdf_table
from logic.files.pdf_table import PAD, draw_table

FONTS = Path(__file__).resolve().parents[2] / "data" / "fonts"
HEADER = ["Enhet", "Förvaltning", "Försenad sedan frist", "Saknar", "HSA-id"]
LACKS = "Av- och omboka tid, Förnya recept, Kontakta oss / Skriv till oss, Kontakta mig"


def _pdf() -> FPDF:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 6.5)
    return pdf


def _rows(n: int) -> list[list[str]]:
    return [
        [f"Vårdcentralen Norra {i}", "Primärvård Skåne", "2022-09-30", LACKS if i % 3 else "",
         f"SE162321000255-B{i:06d}"]
        for i in range(n)
    ]  # fmt: skip


def test_every_text_is_on_a_page_under_a_heading_repeated_on_every_page() -> None:
    pdf = _pdf()
    rows = _rows(300)
    draw_table(pdf, HEADER, rows, line_height=3.2)
    pages = pypdf.PdfReader(io.BytesIO(bytes(pdf.output()))).pages
    assert len(pages) > 3
    texts = [" ".join(page.extract_text().split()) for page in pages]
    for text in texts:
        assert text.startswith("Enhet Förvaltning Försenad"), text[:80]
    everything = " ".join(texts)
    for row in rows:
        for cell in (row[0], row[4]):  # names and HSA-ids whole, in order
            assert cell in everything
    assert everything.index("SE162321000255-B000007") < everything.index("SE162321000255-B000299")


def test_no_text_is_wider_than_its_column_and_the_page_is_filled() -> None:
    pdf = _pdf()
    drawn: list[tuple[float, float, str]] = []
    real_text = pdf.text

    def text(x: float, y: float, value: str = "") -> None:
        drawn.append((x, y, value))
        real_text(x, y, value)

    pdf.text = text  # type: ignore[method-assign]
    widths: list[float] = []
    real_rect = pdf.rect

    def rect(x: float, y: float, w: float, h: float, style: str | None = None) -> None:
        widths.append(w)
        real_rect(x, y, w, h, style=style)

    pdf.rect = rect  # type: ignore[method-assign]
    pdf.set_font("DejaVu", "", 10)  # too wide for every text on one line
    draw_table(pdf, HEADER, _rows(20), line_height=4.5)
    columns = widths[: len(HEADER)]
    assert abs(sum(columns) - pdf.epw) < 0.01  # the page's width, no more
    lefts = [pdf.l_margin + sum(columns[:i]) for i in range(len(HEADER))]
    for x, _, value in drawn:
        column = max(i for i, left in enumerate(lefts) if left <= x + 1e-6)
        assert pdf.get_string_width(value) <= columns[column] - 2 * PAD + 1e-6, value
    whole = {v for _, _, v in drawn}
    assert "SE162321000255-B000019" in whole and "2022-09-30" in whole  # never broken
    assert LACKS not in whole  # the long text is broken between words


def test_columns_narrower_than_a_share_keep_their_width() -> None:
    def width(text: str) -> float:
        return float(len(text))

    narrow = pdf_table._column_widths(100.0, [3.0, 3.0, 3.0], [["ab", "x" * 200, "cd"]], width)
    assert narrow[0] == narrow[2] == 3.0 + 2 * PAD
    assert abs(sum(narrow) - 100.0) < 1e-6
    room = pdf_table._column_widths(100.0, [3.0, 3.0], [["ab", "cd"]], width)
    assert abs(sum(room) - 100.0) < 1e-6 and room[0] == room[1]


_one_pdf = functools.cache(_pdf)
LETTERS = "abcdefghijklmnopqrstuvwxyzåäöÅÄÖ()%,./0123456789WMil"
# words and single spaces (broken the quick way) or any text (left to fpdf2)
WORDS = (
    st.lists(st.text(LETTERS, min_size=1, max_size=14), min_size=1, max_size=12).map(" ".join)
    | st.lists(st.text(LETTERS, max_size=14), min_size=1, max_size=12).map("  ".join)
    | st.text(LETTERS + " -\n\u00ad\u2009", max_size=60)
)


@settings(max_examples=300, deadline=None, derandomize=True)  # CI: the same texts each run
@example(text="00000/////// ", width=17.0, size=7.5)  # a space at the end, where it breaks
@example(text="abcdef   ghijkl   mnopqr", width=14.0, size=7.5)
@given(
    text=WORDS, width=st.floats(min_value=8.0, max_value=60.0), size=st.sampled_from([6.5, 7.5, 10])
)
def test_lines_broken_at_spaces_are_the_lines_fpdf2_breaks_into(
    text: str, width: float, size: float
) -> None:
    """The quick way of breaking a cell into lines (words and single spaces, each line as
    long as fits) gives fpdf2's own lines, or leaves the text to fpdf2."""
    pdf = _one_pdf()  # loading the fonts takes longer than breaking a text
    pdf.set_font("DejaVu", "", size)
    measured = pdf.get_string_width
    quick = pdf_table._by_spaces(text, width - 2 * PAD, measured)
    room = width - 2 * PAD + 2 * pdf.c_margin
    if quick is not None:
        assert quick == list(pdf.multi_cell(room, 1, text, dry_run=True, output="LINES"))
    assert pdf_table._lines(pdf, text, width, measured) == (
        [text]
        if "\n" not in text and measured(text) <= width - 2 * PAD
        else list(pdf.multi_cell(room, 1, text, dry_run=True, output="LINES")) or [""]
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("abc åäö XYZ 123 - ,.Wi"), min_size=0, max_size=400).map(
            lambda text: " ".join(text.split()) or "x"
        ),
        min_size=1,
        max_size=30,
    )
)
@example(["Vid varje inläsning av enhetsfilen " * 12, "ett-ord-med-bindestreck " * 9, "–"])
@example([" ".join([word] * 150) for word in ("Wi", "Wii", "WWi", "iii", "Wiii", "ab", "åäö")])
def test_a_paragraph_is_written_as_multi_cell_writes_it(texts: list[str]) -> None:
    """The same lines at the same places, pages broken alike, the pages' drawing the same
    byte for byte: only measured faster."""
    quick, slow = _pdf(), _pdf()
    for text in texts:
        page, top, height = quick.page, quick.get_y(), pdf_table.paragraph_height(quick, text, 3.6)
        pdf_table.paragraph(quick, text, 3.6)
        if quick.page == page:  # as high as it is written
            assert abs(quick.get_y() - top - height) < 1e-9
        slow.multi_cell(0, 3.6, text, align="L", new_x="LMARGIN", new_y="NEXT")
        assert (quick.page, quick.get_x(), quick.get_y()) == (slow.page, slow.get_x(), slow.get_y())
    drawn = [
        [page.get_contents().get_data() for page in pypdf.PdfReader(io.BytesIO(pdf.output())).pages]
        for pdf in (quick, slow)
    ]
    assert drawn[0] == drawn[1]  # byte for byte: left-aligned, not spread to justify a line


def _page_texts(pdf: FPDF) -> list[str]:
    pages = pypdf.PdfReader(io.BytesIO(bytes(pdf.output()))).pages
    return [" ".join(page.extract_text().split()) for page in pages]


def test_a_tables_title_is_never_left_at_a_pages_foot_without_its_first_row() -> None:
    together = (2 * 3.2 + PAD / 2) + (3.2 + PAD / 2)  # the heading's two lines, a row's one
    for room in range(2, 40):  # the lead starting from 2 to 40 mm above the page's foot
        pdf = _pdf()
        pdf.set_y(pdf.page_break_trigger - room)

        def lead(pdf: FPDF = pdf) -> None:
            pdf_table.paragraph(pdf, "Största förändringarna", 5)
            pdf_table.paragraph(pdf, "Per förvaltning", 3.6)

        draw_table(pdf, HEADER, _rows(3), line_height=3.2, lead=lead, lead_height=8.6)
        for text in _page_texts(pdf):
            if "Största" in text:  # the title, its note, the heading and the first row
                assert "Per förvaltning Enhet Förvaltning" in text, (room, text)
                assert "Vårdcentralen Norra 0" in text, (room, text)
        # the lead moves only when it must: with room for it all, it stays on the first page
        assert ("Största" in _page_texts(pdf)[0]) == (room >= 8.6 + together), room


def test_a_lead_and_table_higher_than_a_page_start_where_they_are() -> None:
    pdf = _pdf()
    top = pdf.get_y()
    draw_table(pdf, HEADER, _rows(2), 3.2, lead=lambda: None, lead_height=500.0)
    assert pdf.page == 1 and pdf.get_y() > top  # no empty page before it


@example("a\n", 10.0)
@example("a\nb\n", 10.0)
@example("\n", 150.0)
@example("ord-med " * 40, 150.0)
@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="ab -\n", max_size=200), st.sampled_from([10.0, 150.0]))
def test_a_paragraph_is_as_high_as_measured_wherever_the_pen_is(text: str, x: float) -> None:
    pdf = _pdf()
    pdf.set_x(x)
    height = pdf_table.paragraph_height(pdf, text, 3.6)
    top = pdf.get_y()
    pdf_table.paragraph(pdf, text, 3.6)
    assert abs(pdf.get_y() - top - height) < 1e-9


def test_an_empty_tables_title_is_kept_with_the_dash_that_says_it_is_empty() -> None:
    import pandas as pd

    from logic.files.rollout_report import _pdf_section
    from logic.presentation.rollout_report import Section, Table

    empty = Table("Ensam titel", pd.DataFrame(columns=["a"]), note="en not")
    for room in (6, 10, 14, 20):
        pdf = _pdf()
        pdf.set_y(pdf.page_break_trigger - room)
        _pdf_section(pdf, Section("S", tables=[empty]), "sv")
        texts = _page_texts(pdf)
        assert [t for t in texts if "Ensam titel" in t] == ["Ensam titel en not –"], (room, texts)
