"""Pages the text path emptied, or nearly, that poppler's pdftotext reads: found by the text-loss audit
(`python -m tools.eval_quality.text_loss`) on ../shared/corpus, the suites' development parts and PDFBox's test
PDFs outside its text-extraction suite. PDFBox's PDFs are read from a clone of its repository named by
FINEPDFS_PDFBOX_CLONE (skipped without it); each has a companion test ("..._constructed"), always run, on a
small PDF set the way the real one is. The pages go through the extraction and the filter's post-processing,
as the pipeline sends them."""

from pathlib import Path

import pytest

from shared.config import stage_settings
from stages.extract_docling.constructed_pdf import lines_at, pdf_string, text_pdf
from stages.extract_docling.pymupdf_text import UNMAPPED, _span_text, extract_pdf
from stages.extract_docling.test_real_failures import debian_pdf, one_page
from stages.extract_docling.test_sideways_text import pdfbox_pdf
from stages.filter.postprocess import PostprocessConfig, postprocess_pages

MULTIPDF = "pdfbox/src/test/resources/org/apache/pdfbox/multipdf/"
DOCLING_TESTS = Path(__file__).resolve().parents[2].parent / "shared" / "external" / "docling-tests" / "pdfs"


def shipped(pdf: bytes) -> list[str]:
    """Page texts as the pipeline ships them: extraction, then the filter's post-processing."""
    pages = [p.text for p in extract_pdf(pdf, tables=True)]
    return [p.strip() for p in postprocess_pages(pages, set(), stage_settings("filter").pick(PostprocessConfig))]


def merged(parts: list[bytes]) -> bytes:
    from shared.mupdf import import_pymupdf

    pymupdf = import_pymupdf()
    doc = pymupdf.open()
    for part in parts:
        doc.insert_pdf(pymupdf.open(stream=part, filetype="pdf"))
    return doc.tobytes()


def test_a_document_of_one_line_per_page_keeps_every_line():
    # PDFBox's rot0, rot90, rot180 and rot270 (its merge tests put them together): each page says only "Page
    # rotation: N", at a /Rotate of N; the filter took the line for a running head on every page (it repeats,
    # digits aside, at the top and bottom of each) and the document came out empty
    pages = shipped(merged([pdfbox_pdf(f"{MULTIPDF}rot{turn}.pdf") for turn in (0, 90, 180, 270)]))
    assert pages == [f"Page rotation: {turn}" for turn in (0, 90, 180, 270)]


def test_a_document_of_one_line_per_page_keeps_every_line_constructed():
    # the same line on each page, set at its top edge: the extraction's repeated-edge rule took it too
    pages = shipped(text_pdf([lines_at([f"Test sheet, copy {n}"], 72, 740, 0) for n in range(1, 5)]))
    assert pages == [f"Test sheet, copy {n}" for n in range(1, 5)]


def test_a_page_whose_only_line_sits_at_its_top_keeps_it():
    # PDFBox's input/compression/attachment.pdf: page 2 says only "Attachment auf Seite 2", set at the top,
    # which read as a running head with its page's number
    pages = shipped(pdfbox_pdf("pdfbox/src/test/resources/input/compression/attachment.pdf"))
    assert pages == ["Dies ist ein Test für Attachments!", "Attachment auf Seite 2"]


def test_a_page_whose_only_line_sits_at_its_top_keeps_it_constructed():
    pages = shipped(text_pdf([lines_at(["Dies ist ein Test für Attachments!"], 72, 760, 0),
                              lines_at(["Attachment auf Seite 2"], 72, 760, 0)], height=842))
    assert pages == ["Dies ist ein Test für Attachments!", "Attachment auf Seite 2"]


def test_a_blank_page_still_loses_its_lone_page_number_constructed():
    # a page that holds only its number has no body either: the number still goes (hepthesis's page xii)
    body = lines_at(["The body of the page runs on here, line after line, as a page of a thesis does."] * 30,
                    72, 700, 20)
    pages = shipped(text_pdf([body + "\n" + lines_at(["xi"], 300, 40, 0), lines_at(["xii"], 300, 40, 0)]))
    assert pages[1] == ""


def test_large_type_at_a_slight_slant_is_no_watermark():
    # PDFBox's custom-render-demo: "Hello World" in 44 pt at 9 degrees beside "Annotation" in 20 pt was taken
    # for a diagonal watermark, half of the page's text
    pdf = pdfbox_pdf("examples/src/main/resources/org/apache/pdfbox/examples/rendering/custom-render-demo.pdf")
    [page] = shipped(pdf)
    assert "HelloWorld" in page and "Annotation" in page


def test_large_type_at_a_slight_slant_is_no_watermark_constructed():
    import math

    def slanted(text: str, degrees: float, size: float, x: float, y: float) -> str:
        c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
        return f"BT /F1 {size} Tf {c:.4f} {s:.4f} {-s:.4f} {c:.4f} {x} {y} Tm {pdf_string(text)} Tj ET"

    annotation = lines_at(["Annotation"], 360, 720, 0, font="F1", size=20)
    [page] = shipped(text_pdf([slanted("Hello World", 9, 44, 20, 500) + "\n" + annotation]))
    assert "Hello World" in page and "Annotation" in page
    body = lines_at(["A page of body text set in twelve point type, one line after another."] * 30, 72, 700, 20)
    [page] = shipped(text_pdf([body + "\n" + slanted("DRAFT", 45, 96, 150, 250)]))
    assert "DRAFT" not in page  # a watermark across the page's diagonal still goes


def test_a_sideways_field_as_long_as_the_page_text_is_kept():
    # PDFBox's PDFBOX-4958: one form field "text field" upright, one at 90 degrees in the left margin; half of
    # the page's text was dropped as a margin stamp
    [page] = shipped(pdfbox_pdf("pdfbox/src/test/resources/org/apache/pdfbox/pdmodel/interactive/form/"
                                "PDFBOX-4958.pdf"))
    assert page.split() == ["text", "field", "text", "field"]


def test_a_sideways_field_as_long_as_the_page_text_is_kept_constructed():
    sideways = f"BT /F1 12 Tf 0 1 -1 0 70 570 Tm {pdf_string('text field')} Tj ET"
    [page] = shipped(text_pdf([lines_at(["text field"], 59, 755, 0, font="F1") + "\n" + sideways]))
    assert page.split() == ["text", "field", "text", "field"]


def test_a_dingbat_fonts_check_boxes_are_no_text():
    # Docling's table_mislabeled_as_picture (its suite's development part): each answer's check box is drawn
    # twice, in Wingdings and in a dingbat font, which come as U+0084 (ftfy then reads it as a low quote "„")
    # and as U+FFFD: every answer started "� „"
    path = DOCLING_TESTS / "table_mislabeled_as_picture.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is absent (Docling's test PDFs live in ../shared/external/docling-tests)")
    [page] = shipped(path.read_bytes())
    assert "They work in parallel to State funded private practitioners" in page
    assert not {"\ufffd", "\x84", "„"} & set(page)


def test_a_dingbat_fonts_check_boxes_are_no_text_constructed():
    # the spans as MuPDF gives them on that page; a text font's U+0080-U+009F may be Windows-1252 and stays
    assert _span_text({"text": "\x84", "font": "Wingdings"}) == ""
    assert _span_text({"text": "\x84", "font": "AllumiStd-DingbatsTwo"}) == ""
    assert _span_text({"text": "\x83", "font": "ArialMT"}) == "\x83"
    assert UNMAPPED.sub("", "\ufffdThey work") == "They work"


def test_tex_math_delimiters_without_a_mapping_are_dropped():
    # sandwich's vignette (r-cran-sandwich, the own suite's page 3): the large brackets of its formulas have no
    # Unicode in their font and came out as U+FFFD ("ˆ́ = � X¦X �−1 X¦y")
    pdf = one_page(debian_pdf("r-cran-sandwich", "3.0-2-1", "usr/lib/R/site-library/sandwich/doc/sandwich.pdf",
                              "ab762c22ff2d6b0c26e6e642171f116a11ec4dcfe58821148bdf41856f293a1b"), 3)
    [page] = shipped(pdf)
    assert "\ufffd" not in page and "X¦X −1 X¦y (2)" in page
