"""The roll-out report as a file: PDF for reading (fpdf2: pure Python, the font embedded, no
system libraries; the charts drawn by fpdf2 itself, logic/files/pdf_charts.py) and XLSX for
working with the figures (openpyxl, text cells never formulas; the charts as images
rendered by vl-convert, no browser). One layout of the content made in
logic/presentation/rollout_report.py: the managers' summary first, then the region and one page
per administration, the late units in an appendix, how it was made at the end."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from logic.domain.catalog import Catalog
from logic.domain.management_summary import ManagementSummary
from logic.domain.rollout_summary import Summary
from logic.files import pdf_charts
from logic.files.export import safe_text
from logic.files.pdf_table import draw_table, paragraph, paragraph_height
from logic.i18n import one_decimal, t
from logic.presentation.rollout_report import Report, Section, Table, chart_json, report_content

FONTS = Path(__file__).resolve().parent.parent.parent / "data" / "fonts"
ReportFormat = str  # "pdf" or "xlsx"
REPORT_FORMATS = ("pdf", "xlsx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def chart_png(chart: Any, width: int = 640) -> bytes:
    return _png(chart_json(chart, width))


@functools.lru_cache(maxsize=64)  # some 30 KB each
def _png(spec: str) -> bytes:
    """A chart's image for the XLSX, drawn once per Vega-Lite spec: the spec holds every
    figure the chart shows, so the next report reuses each chart whose figures did not
    change (vl-convert takes 0.1-0.3 s a chart). On white, in 256 colours: a chart has a
    few colours and their edges, so the file is smaller."""
    import vl_convert
    from PIL import Image

    drawn = Image.open(io.BytesIO(vl_convert.vegalite_to_png(spec, scale=2))).convert("RGBA")
    white = Image.new("RGB", drawn.size, (255, 255, 255))
    white.paste(drawn, mask=drawn.getchannel("A"))
    few = white.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    palette = few.getpalette() or []
    lightest = max(range(len(palette) // 3), key=lambda i: sum(palette[3 * i : 3 * i + 3]))
    palette[3 * lightest : 3 * lightest + 3] = [255, 255, 255]  # the page's white, exactly
    few.putpalette(palette)
    kept = io.BytesIO()
    few.save(kept, format="PNG", compress_level=1)
    return kept.getvalue()


def _text(value: Any, lang: str = "sv") -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):  # a share: one decimal, a comma in Swedish
        return one_decimal(value, lang)
    return safe_text(str(value))


# --- PDF ---------------------------------------------------------------------------------
def render_pdf(report: Report, lang: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(report.title)
    pdf.set_creation_date(report.made_at)
    pdf.set_lang(lang)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=14)

    def footer() -> None:
        pdf.set_y(-10)
        pdf.set_font("DejaVu", "", 7)
        pdf.cell(0, 5, f"{report.title} · {t('rollout.report_page', lang, page=pdf.page_no())}")

    pdf.footer = footer  # type: ignore[method-assign]
    for index, section in enumerate(report.sections):
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 14 if index == 0 else 13)
        if index == 0:
            paragraph(pdf, report.title, 7)
            pdf.ln(1)
            pdf.set_font("DejaVu", "", 8)
            for line in report.lines:
                paragraph(pdf, line, 4.2)
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 13)
        paragraph(pdf, section.title, 7)
        _pdf_section(pdf, section, lang)
    if report.colophon:  # how it was made: at the end, not on the cover
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 10)
        paragraph(pdf, t("rollout.report_colophon", lang), 5)
        pdf.set_font("DejaVu", "", 7.5)
        for line in report.colophon:
            paragraph(pdf, line, 3.8)
    return bytes(pdf.output())


def _pdf_section(pdf: Any, section: Section, lang: str) -> None:
    for table in section.tables:
        pdf.ln(1.5)
        if table.frame.empty:  # its title and note kept with the dash that says so
            if pdf.will_page_break(_table_lead(pdf, table, measure_only=True) + 4):
                pdf.add_page()
            _table_lead(pdf, table)
            pdf.set_font("DejaVu", "", 8)
            paragraph(pdf, "–", 4)
            continue
        lead_height = _table_lead(pdf, table, measure_only=True)
        font = ("DejaVu", "", 6.5 if len(table.frame.columns) > 8 else 7.5)

        def lead(table: Table = table, font: tuple[str, str, float] = font) -> None:
            _table_lead(pdf, table)
            pdf.set_font(*font)

        pdf.set_font(*font)
        draw_table(
            pdf,
            [str(c) for c in table.frame.columns],
            [[_text(v, lang) for v in values] for values in table.frame.itertuples(index=False)],
            line_height=3.2,
            lead=lead,
            lead_height=lead_height,
        )
    for chart in section.charts:
        if pdf.will_page_break(pdf_charts.height_to_start(chart.chart, pdf) + 16):
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 10)
        paragraph(pdf, chart.title, 5)
        pdf_charts.draw(pdf, chart.chart, chart.title)
        pdf.set_font("DejaVu", "", 7)
        paragraph(pdf, t("rollout.report_chart_data", lang, table=chart.table), 3.6)


def _table_lead(pdf: Any, table: Table, measure_only: bool = False) -> float:
    """A table's title and note: written, or only measured (their height)."""
    height = 0.0
    for font, text, line_height in (
        (("DejaVu", "B", 10), table.title, 5),
        (("DejaVu", "", 7), table.note, 3.6),
    ):
        if not text:
            continue
        pdf.set_font(*font)
        if measure_only:
            height += paragraph_height(pdf, text, line_height)
        else:
            paragraph(pdf, text, line_height)
    return height


# --- XLSX --------------------------------------------------------------------------------
def render_xlsx(report: Report, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.created = workbook.properties.modified = report.made_at.replace(tzinfo=None)
    used: set[str] = set()
    for index, section in enumerate(report.sections):
        sheet = workbook.create_sheet(_sheet_name(section.title, used))
        row = 1
        if index == 0:
            _put(sheet, row, 1, report.title).font = Font(bold=True, size=14)
            row += 1
            for line in report.lines:
                _put(sheet, row, 1, line)
                row += 1
            row += 1
        _put(sheet, row, 1, section.title).font = Font(bold=True, size=13)
        row += 2
        for table in section.tables:
            _put(sheet, row, 1, table.title).font = Font(bold=True)
            row += 1
            if table.note:
                _put(sheet, row, 1, table.note)
                row += 1
            for col, name in enumerate(table.frame.columns, start=1):
                _put(sheet, row, col, str(name)).font = Font(bold=True)
            row += 1
            for values in table.frame.itertuples(index=False):
                for col, value in enumerate(values, start=1):
                    _put(sheet, row, col, value)
                row += 1
            row += 1
        for chart in section.charts:
            _put(sheet, row, 1, chart.title).font = Font(bold=True)
            image = Image(io.BytesIO(chart_png(chart.chart)))
            image.width, image.height = image.width // 2, image.height // 2
            sheet.add_image(image, f"A{row + 1}")
            row += image.height // 20 + 3
        for col in range(1, 13):
            sheet.column_dimensions[chr(64 + col)].width = 34 if col == 1 else 18
    if report.colophon:  # how it was made: the last sheet
        sheet = workbook.create_sheet(_sheet_name(t("rollout.report_colophon", lang), used))
        _put(sheet, 1, 1, t("rollout.report_colophon", lang)).font = Font(bold=True, size=13)
        for row, line in enumerate(report.colophon, start=3):
            _put(sheet, row, 1, line)
        sheet.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(sheet: Any, row: int, col: int, value: Any) -> Any:
    """A cell: text stored as text (never evaluated as a formula), numbers as numbers."""
    cell = sheet.cell(row=row, column=col)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return cell
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"
    else:
        cell.value = value.item() if hasattr(value, "item") else value
    return cell


def _sheet_name(title: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, each once."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28].strip() or "Blad"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name.lower())
    return name


def render(report: Report, fmt: ReportFormat, lang: str) -> bytes:
    return render_pdf(report, lang) if fmt == "pdf" else render_xlsx(report, lang)


def render_summary(
    summary: Summary,
    cat: Catalog,
    fmt: ReportFormat,
    lang: str,
    tz: ZoneInfo,
    management: ManagementSummary | None = None,
    reported: int = 0,
) -> bytes:
    """The report of the roll-out's figures, laid out (presentation) and written."""
    return render(report_content(summary, cat, lang, tz, management, reported), fmt, lang)


def report_name(as_of: Any, forvaltning: str | None, known_at: Any, fmt: str) -> str:
    """inforande-rapport-<as of>[-<administration>][-kant-<moment>].<fmt>: two reports of
    other parts or moments never share a name."""
    parts = ["inforande-rapport", as_of.isoformat()]
    if forvaltning:
        parts.append(re.sub(r"[^0-9A-Za-zÅÄÖåäö]+", "-", forvaltning).strip("-"))
    if known_at is not None:
        parts.append("kant-" + known_at.strftime("%Y%m%d-%H%M"))
    return "-".join(parts) + f".{fmt}"
