"""A bold label and its value that MuPDF reads as one line ("Original author(s) Andreas Gal") are two pieces
where the value stands in a column other lines start in (a key-value box: a Wikipedia infobox); a bold lead
of running text (a theorem's, a list item's) stays joined to its sentence."""

from pathlib import Path

import pymupdf
import pytest

from stages.extract_docling.constructed_pdf import LAID_OUT_FONTS, laid_out_pdf
from stages.extract_docling.pymupdf_text import extract_pdf

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "text"


def table_rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()
            if line.startswith("|") and not line.startswith("|---")]


def test_an_infobox_s_first_row_is_a_row_of_its_table():
    """pdf.js's Wikipedia print, page 1: the infobox's first row, "Original author(s)" (bold) and "Andreas Gal",
    is one PDF line (a space span 0.7 type sizes wide between), set a little apart from the rows under it; it
    was joined to the image caption above and left out of the table."""
    pdf = CORPUS / "pdfjs__pdfjs_wikipedia.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} is absent (the corpus lives in ../shared)")
    pymupdf._get_layout = None
    doc = pymupdf.open(pdf)
    doc.select([0])
    [page] = extract_pdf(doc, tables=True)
    rows = table_rows(page.text)
    assert rows[0] == ["Original author(s)", "Andreas Gal"]
    assert rows[1] == ["Developer(s)", "Mozilla"]
    assert "the sidebar\n" in page.text


def _key_values(first_gap: float) -> bytes:
    """Bold labels with values in one column; the first label as long as the column allows, its value
    ``first_gap`` points after it, so MuPDF reads the two as one line."""
    width = pymupdf.get_text_length("Original author(s)", fontname=LAID_OUT_FONTS["B"], fontsize=10)
    column = 100 + width + first_gap
    rows = [("Original author(s)", "Andreas Gal"), ("Developer(s)", "Mozilla"), ("Written in", "JavaScript"),
            ("License", "Apache License 2.0")]
    lines = []
    for i, (label, value) in enumerate(rows):
        y = 100 + 20 * i + (4 if i else 0)
        lines += [(100, y, 10, label, "B"), (column, y, 10, value, "R")]
    return laid_out_pdf(lines, [])


def test_a_bold_label_on_one_line_with_its_value_parts_where_the_values_column_starts():
    [page] = extract_pdf(_key_values(first_gap=7), tables=True)
    assert table_rows(page.text) == [["Original author(s)", "Andreas Gal"], ["Developer(s)", "Mozilla"],
                                     ["Written in", "JavaScript"], ["License", "Apache License 2.0"]]


def test_a_bold_lead_of_running_text_stays_joined():
    """A theorem's bold lead and its sentence, with lines under it that start at the margin, not where the
    sentence does: one paragraph."""
    lead = "Theorem 1."
    width = pymupdf.get_text_length(lead, fontname=LAID_OUT_FONTS["B"], fontsize=10)
    lines = [(100, 100, 10, lead, "B"), (100 + width + 6, 100, 10, "Let x be a point of the closed set.", "R"),
             (100, 112, 10, "Then every sequence converging to x lies in the set", "R"),
             (100, 124, 10, "from some index on, as the proof below shows.", "R")]
    [page] = extract_pdf(laid_out_pdf(lines, []), tables=True)
    assert "Theorem 1. Let x be a point of the closed set. Then every sequence" in page.text
