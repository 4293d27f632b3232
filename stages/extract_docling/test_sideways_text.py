"""Text set sideways or at a slant, and pages turned by /Rotate: every word arrives, in reading order. Real
documents (../shared/corpus, and PDFBox's own test PDFs from a clone of its repository where one is given:
FINEPDFS_PDFBOX_CLONE, work tree or bare) beside PDFs built here with PyMuPDF at every quarter turn, at
slants, and with a sideways block beside horizontal text."""

import os
import subprocess
from pathlib import Path

import pytest

from stages.extract_docling.pymupdf_text import extract_pdf
from tools.eval_quality.suites import SOURCES

PDFBOX_COMMIT = SOURCES["pdfbox"].commit  # the pdfbox suite's


def pdfbox_pdf(path: str) -> bytes:
    """One of PDFBox's test PDFs (not of its text-extraction suite) out of a clone of its repository."""
    clone = Path(os.environ.get("FINEPDFS_PDFBOX_CLONE", "/nonexistent"))
    git = ["git", "-C", str(clone)] if (clone / ".git").exists() else ["git", "--git-dir", str(clone)]
    if not clone.exists():
        pytest.skip("set FINEPDFS_PDFBOX_CLONE to a clone of github.com/apache/pdfbox to run this test")
    shown = subprocess.run([*git, "show", f"{PDFBOX_COMMIT}:{path}"], capture_output=True)
    if shown.returncode:
        pytest.skip(f"{path} is not in {clone} at {PDFBOX_COMMIT[:12]}")
    return shown.stdout


def words(text: str) -> list[str]:
    return " ".join(text.replace("|", " ").split()).split()


def test_form_fields_set_at_every_quarter_turn_are_all_read():
    # PDFBox's AcroFormsRotation.pdf: the same paragraph in form fields at 0, 90, 180 and 270 degrees; the blocks
    # at 90 and 270 degrees were lost as margin stamps, the one at 180 degrees read last line first
    pages = extract_pdf(pdfbox_pdf("pdfbox/src/test/resources/org/apache/pdfbox/pdmodel/interactive/form/"
                                   "AcroFormsRotation.pdf"), tables=True)
    paragraph = ("Lorem ipsum dolor sit amet, consetetur sadipscing elitr, sed diam nonumy eirmod tempor invidunt "
                 "ut labore et dolore magna aliquyam erat, sed diam voluptua.")
    assert " ".join(words(pages[0].text)).count(paragraph) == 4


def test_a_sideways_label_beside_display_type_is_kept():
    # PDFBox's AngledExample.pdf: "Vertical Text" at 90 degrees beside "Horizontal Text", both 36 pt
    [page] = extract_pdf(pdfbox_pdf("tools/src/test/resources/org/apache/pdfbox/AngledExample.pdf"), tables=True)
    assert "Vertical Text" in page.text and "Horizontal Text" in page.text


LINES = ["alpha bravo charlie delta echo foxtrot", "golf hotel india juliet kilo lima",
         "mike november oscar papa quebec romeo", "sierra tango uniform victor whiskey xray"]
PARAGRAPH = ["one two three four five six", "seven eight nine ten eleven twelve",
             "thirteen fourteen fifteen sixteen seventeen"]


def draw(page, origin: tuple[float, float], angle: int, lines: list[str], size: float = 11, lead: float = 14):
    """Lines with their baselines at ``angle`` degrees (counter-clockwise), each next one under the last in the
    text's own frame."""
    import math

    import pymupdf

    a = math.radians(angle)
    for i, text in enumerate(lines):
        point = pymupdf.Point(origin[0] + i * lead * math.sin(a), origin[1] + i * lead * math.cos(a))
        if angle % 90 == 0:
            page.insert_text(point, text, fontsize=size, rotate=angle % 360)
        else:
            page.insert_text(point, text, fontsize=size, morph=(point, pymupdf.Matrix(angle)))


def built(pages: list[tuple[int, list[tuple[tuple[float, float], int, list[str]]]]]) -> bytes:
    """A PDF of pages (their /Rotate, the blocks drawn on them: origin, angle, lines)."""
    import pymupdf

    doc = pymupdf.open()
    for rotation, blocks in pages:
        page = doc.new_page(width=595, height=842)
        for origin, angle, lines in blocks:
            draw(page, origin, angle, lines)
        page.set_rotation(rotation)
    return doc.tobytes()


# where a block at each angle starts so that it lies on the page
START = {0: (72, 100), 90: (100, 700), 180: (500, 700), 270: (500, 100), 30: (100, 500), 45: (100, 500),
         60: (100, 500), 330: (100, 300)}


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("angle", [0, 90, 180, 270, 30, 45, 60, 330])
def test_a_page_of_text_at_any_angle_on_a_page_at_any_turn_is_read_whole_and_in_order_constructed(angle, rotation):
    [page] = extract_pdf(built([(rotation, [(START[angle], angle, LINES)])]), tables=True)
    assert words(page.text) == words(" ".join(LINES))


@pytest.mark.parametrize(("angle", "origin"), [(90, (300, 500)), (270, (400, 250)), (180, (450, 400)),
                                               (45, (150, 450))])
def test_a_block_set_sideways_beside_horizontal_text_is_read_whole_and_in_order_constructed(angle, origin):
    [page] = extract_pdf(built([(0, [((72, 100), 0, LINES), (origin, angle, PARAGRAPH)])]), tables=True)
    assert " ".join(words(" ".join(LINES))) in " ".join(words(page.text))
    assert " ".join(words(" ".join(PARAGRAPH))) in " ".join(words(page.text))


def test_a_margin_stamp_beside_the_body_is_still_furniture_constructed():
    pdf = built([(0, [((72, 100), 0, LINES), ((20, 700), 90, ["arXiv:2101.00001v1 [cs.CL] 1 Jan 2021"])])])
    [page] = extract_pdf(pdf, tables=True)
    assert words(page.text) == words(" ".join(LINES))


def test_a_page_of_lines_set_along_its_edges_is_read_whole_constructed():
    # one short horizontal line, the rest single lines along the edges at 90, 270 and 180 degrees: taken for
    # margin stamps, they were lost and the page came out as its one horizontal line
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((250, 400), "Centre line", fontsize=11)
    page.insert_text((40, 600), "Text going up along the left edge", fontsize=11, rotate=90)
    page.insert_text((570, 200), "Text going down along the right edge", fontsize=11, rotate=270)
    page.insert_text((400, 760), "Text upside down at the foot", fontsize=11, rotate=180)
    [out] = extract_pdf(doc.tobytes(), tables=True)
    for text in ("Centre line", "Text going up along the left edge", "Text going down along the right edge",
                 "Text upside down at the foot"):
        assert text in out.text
