"""Text the page shows that the text path must not lose on its way to the page's text: lines inside a ruled
grid that none of the grid's cells holds. A real document from ../shared/corpus (read in place, skipped with a
message where it is absent) beside a companion on the rule itself, always run."""

import pytest

from stages.extract_docling.pymupdf_text import _held, _letters, extract_pdf
from stages.extract_docling.test_real_failures import corpus_pdf  # one reader of ../shared/corpus


def test_a_paragraph_inside_a_ruled_grid_that_no_cell_holds_is_kept():
    # a filled-in US tax form: the declaration over the signature lines sits inside the frame of the ruled grid
    # of "Sign Here" / "Paid Preparer", in none of its cells; it went with the grid's lines
    pages = extract_pdf(corpus_pdf("text/pdfjs__prefilled_f1040.pdf"), tables=True)
    text = " ".join(pages[1].text.split())
    assert "Under penalties of perjury, I declare that I have examined this return" in text
    assert "is based on all information of which preparer has any knowledge." in text
    assert text.count("penalties of perjury") == 1


def test_a_line_is_held_by_a_table_whose_cells_hold_its_words():
    table = _letters("| Reimbursement | Publication |\n|---|---|\n| Amount £ | Notes |\n| 0 | consectet |")
    assert _held("Reimbursement Publication", table)  # one line across two header cells
    assert _held("Amount £ 0", table)
    assert _held("ur, Notes", table)  # a word cut at a cell's border ("consectet" | "ur,")
    assert not _held("Under penalties of perjury", table)
    assert _held("— . .", table)  # nothing to read: nothing to keep


def icdar_pdf(name: str) -> bytes:
    from tools.eval_quality.fetch import cache_dir

    path = cache_dir() / "external" / "icdar2013" / "competition-dataset-eu" / f"{name}.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is absent: `python -m tools.eval_quality.suites prepare icdar2013 CLONE` puts it there")
    return path.read_bytes()


def test_the_first_line_of_a_page_set_with_wide_leading_is_no_running_head():
    # an ECB working paper set 1.5-spaced (ICDAR 2013's eu-026, development part): a page's first body line,
    # as far from the next as the lines below are from one another, was taken for a running head (it holds
    # a number: a footnote's, or a figure) and lost
    pages = extract_pdf(icdar_pdf("eu-026"), tables=True)
    assert pages[1].text.startswith("account statistics of the Deutsche Bundesbank is 3,105 Euros.")
    assert pages[4].text.startswith("know”.16 A comparison of these responses with results from earlier studies")
