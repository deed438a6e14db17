"""The decision document as a file: a PDF "Beslut" (fpdf2, the font embedded), A4 portrait,
one per revision; the status of a decision not in force on every page. The same revision
makes the same bytes (the document's date is the revision's or its verdict's). Several
documents go into one ZIP, also the same bytes for the same revisions."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from logic.domain.catalog import Catalog
from logic.domain.record import StoredRevision, StoredVerdict
from logic.files.export import safe_text
from logic.files.rollout_report import FONTS
from logic.i18n import t
from logic.presentation.decision_document import DecisionDocument, decision_document
from logic.presentation.unit_follow_up import unit_follow_up

MEDIA_TYPE = "application/pdf"
ZIP_MEDIA_TYPE = "application/zip"


def render(
    revision: StoredRevision, verdict: StoredVerdict | None, cat: Catalog, lang: str, tz: Any
) -> bytes:
    """The revision's document (its content: presentation/decision_document.py) as PDF."""
    return render_pdf(decision_document(revision, verdict, cat, lang, tz))


def render_pdf(doc: DecisionDocument) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", format="A4")
    pdf.set_title(safe_text(doc.title))
    pdf.set_creation_date(doc.made_at)
    pdf.set_lang(doc.lang)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=18)

    def header() -> None:
        if doc.status:  # a decision not in force says so on every page
            pdf.set_font("DejaVu", "B", 9)
            pdf.set_text_color(150, 0, 0)
            pdf.multi_cell(0, 4.5, doc.status, border=1, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            pdf.ln(3)

    def footer() -> None:
        pdf.set_y(-13)
        pdf.set_font("DejaVu", "", 7)
        page = t("rollout.report_page", doc.lang, page=pdf.page_no())
        pdf.cell(0, 5, safe_text(f"{doc.footer} · {page}"))

    pdf.header = header  # type: ignore[method-assign]
    pdf.footer = footer  # type: ignore[method-assign]
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 7.5, safe_text(doc.title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for part in doc.parts:
        if pdf.will_page_break(22):
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, safe_text(part.heading), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9.5)
        if part.rows:
            with pdf.table(
                col_widths=(34, 66),
                text_align="LEFT",
                line_height=4.8,
                first_row_as_headings=False,
                borders_layout="HORIZONTAL_LINES",
            ) as grid:
                for label, value in part.rows:
                    grid.row([safe_text(label), safe_text(value) or "–"])
        for paragraph in part.paragraphs:
            if paragraph.strip():
                pdf.ln(1)
                pdf.multi_cell(
                    0, 4.8, safe_text(paragraph), align="L", new_x="LMARGIN", new_y="NEXT"
                )
    return bytes(pdf.output())


def render_follow_up(*content: Any) -> bytes:
    """One unit's follow-up as of a date (presentation/unit_follow_up.py), as PDF."""
    return render_pdf(unit_follow_up(*content))


def follow_up_name(hsa_id: str, as_of: Any) -> str:
    return f"uppfoljning-{hsa_id}-{as_of.isoformat()}.pdf"


def render_zip(documents: Iterable[tuple[str, bytes]]) -> bytes:
    """(file name, PDF) pairs as one ZIP; fixed dates, so the same documents make the same
    bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in documents:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def file_name(hsa_id: str, revision: int) -> str:
    return f"beslut-{hsa_id}-rev{revision}.pdf"


_UNSAFE_IN_NAME = re.compile(r"[^\w .-]")


def zip_name(forvaltning: str) -> str:
    """The ZIP of an administration's decisions; its name as the unit file gives it, with
    anything a file name may not hold as "-"."""
    return f"beslut-{_UNSAFE_IN_NAME.sub('-', forvaltning).strip(' .')}.zip"
