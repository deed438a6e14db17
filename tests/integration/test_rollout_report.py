"""The roll-out report on both databases: the PDF opened and read, the XLSX read back, and
a report as known at a moment made again, byte for byte, after an older observation was
imported, while the same report as known now takes it into account."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdf
import pytest
from openpyxl import load_workbook

from logic.files import rollout_report as rollout_report_file
from logic.services.rollout import rollout_report
from logic.store.store import Store
from tests.factories import CECILIA
from tests.integration.test_rollout import OTHER, UNIT, at, clocked, observe, row

D = dt.date


def pdf_text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_a_report_known_at_a_moment_is_made_again_identical_after_a_back_fill(
    store: Store,
) -> None:
    observe(store, D(2022, 6, 1), row(UNIT, "kontakt"), row(OTHER, ""))
    observe(store, D(2022, 12, 1), row(UNIT, "kontakt"), row(OTHER, "kontakt"))
    first_made = at(D(2023, 1, 10))
    first = rollout_report(clocked(store, first_made), CECILIA, "pdf", D(2022, 12, 31), first_made)

    observe(
        store,
        D(2022, 9, 1),
        row(UNIT, "kontakt"),
        row(OTHER, "kontakt"),
        recorded=at(D(2023, 2, 1)),
    )
    again = rollout_report(clocked(store, first_made), CECILIA, "pdf", D(2022, 12, 31), first_made)
    assert again.data == first.data and again.sha256 == first.sha256

    now = rollout_report(clocked(store, at(D(2023, 2, 2))), CECILIA, "pdf", D(2022, 12, 31))
    before, after = pdf_text(first.data), pdf_text(now.data)
    # the moments in the region's time (12:00 UTC is 13:00 in Stockholm in January)
    assert "Rapporten gjordes 2023-01-10 13:00" in before
    assert "2022-09-01" not in before and "2022-09-01" in after  # the back-filled quarter
    for text in (before, after):
        # the summary first, the late units in an appendix, how it was made at the end
        order = [
            text.index(heading)
            for heading in (
                "Sammanfattning för ledningen",
                "Digital kontakt på plats",
                "Hela regionen",
                "Bilaga: försenade enheter",
                "Om rapporten",
                "Katalogversion",
            )
        ]
        assert order == sorted(order)
        assert "Införande av e-tjänster på 1177.se" in text
        assert "Per 2022-12-31" in text
        assert "Hela regionen" in text and "Primärvård Skåne" in text
        assert "Digital kontakt vid varje observation" in text
        assert "Digital kontakt: sedan när" in text
        assert "Regional mall Kontakta oss / Skriv till oss (exempel)" in text
        assert "2022-06-30" in text  # Primärvård Skåne's deadline for digital contact
    with store.transaction() as tx:
        actions = [e.action for e in tx.audit.events()]
    assert actions.count("rollout_report") == 3


def test_the_xlsx_report_reads_back_with_a_sheet_per_administration(store: Store) -> None:
    observe(store, D(2022, 6, 1), row(UNIT, "kontakt"), row(OTHER, ""))
    report = rollout_report(
        clocked(store, at(D(2022, 7, 1))), CECILIA, "xlsx", D(2022, 7, 1), lang="en"
    )
    book = load_workbook(io.BytesIO(report.data))
    summary, region_sheet, own, appendix, about = book.sheetnames
    assert (summary, region_sheet, own) == (
        "Summary for the management",
        "The whole region",
        "Primärvård Skåne",
    )
    assert appendix.startswith("Appendix") and about == "About the report"
    cells = [c.value for r in book["The whole region"].iter_rows() for c in r if c.value]
    assert "Overview" in cells
    late = [c.value for r in book[appendix].iter_rows() for c in r if c.value]
    assert "Vårdcentralen Test" in late  # the late unit, by name, in the appendix
    first = [c.value for r in book[summary].iter_rows() for c in r if c.value]
    assert "Digital contact in place" in first and "Per administration" in first
    colophon = " ".join(str(c.value) for r in book[about].iter_rows() for c in r if c.value)
    assert "Catalog version" in colophon or "catalog version" in colophon.lower()
    region = book["The whole region"]
    header = next(r for r in region.iter_rows() if r[0].value == "Administration")
    numbers = next(region.iter_rows(min_row=header[0].row + 1, max_row=header[0].row + 1))
    assert [c.value for c in numbers[:3]] == ["Primärvård Skåne", 2, 0]


def test_each_chart_is_drawn_once_until_a_figure_it_shows_changes(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The XLSX's chart images; the PDF draws its charts itself, as lines and text."""
    import vl_convert

    drawn: list[str] = []
    draw = vl_convert.vegalite_to_png

    def counted(spec: str, **options: Any) -> bytes:
        drawn.append(spec)
        return draw(spec, **options)

    monkeypatch.setattr(vl_convert, "vegalite_to_png", counted)
    rollout_report_file._png.cache_clear()  # charts drawn by earlier tests
    observe(store, D(2022, 6, 1), row(UNIT, "kontakt"), row(OTHER, ""))
    made = at(D(2023, 1, 10))
    pdf = rollout_report(clocked(store, made), CECILIA, "pdf", D(2022, 12, 31))
    assert not drawn and "Frist 2022-09-30" in pdf_text(pdf.data)  # no image in the PDF
    first = rollout_report(clocked(store, made), CECILIA, "xlsx", D(2022, 12, 31))
    assert drawn
    before = len(drawn)
    again = rollout_report(clocked(store, made), CECILIA, "xlsx", D(2022, 12, 31))
    assert len(drawn) == before and again.rows == first.rows  # none drawn again
    # (not the bytes: an XLSX's zip entries carry the moment written, to two seconds)

    observe(store, D(2022, 12, 1), row(UNIT, "kontakt"), row(OTHER, "kontakt"))
    rollout_report(clocked(store, at(D(2023, 1, 11))), CECILIA, "xlsx", D(2022, 12, 31))
    anew = drawn[before:]
    assert anew and not set(anew) & set(drawn[:before])  # only charts whose figures changed
