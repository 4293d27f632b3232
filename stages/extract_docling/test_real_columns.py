"""Two-column journal and conference pages read column by column: development pages of the ``docbank`` suite
(arXiv papers, read from the eval cache, each cut out alone into the test's folder; skipped with a message where
the cache lacks them). Each test checks lines of one column come out joined in order, as the suite's
``paragraph-pair`` checks do. A page of the ``arxiv`` suite's development part too (whole papers)."""

from pathlib import Path

import pytest

from stages.extract_docling.pymupdf_text import extract_pdf


def docbank_page(doc_id: str, out: Path) -> bytes:
    """A development page of the docbank suite alone as a PDF (never a held-out one)."""
    from tools.eval_quality import docbank
    from tools.eval_quality.suites import DEV, default_folder, split_of

    assert split_of("docbank", doc_id) == DEV, doc_id
    folder = default_folder("docbank")
    prefix, page = doc_id.rsplit("_", 1)
    pdf = folder / f"{prefix}{docbank.PDF_SUFFIX}"
    if not pdf.is_file():
        pytest.skip(f"{pdf} is absent (python -m tools.eval_quality.suites prepare docbank CLONE brings it)")
    return docbank.cut_page(pdf, int(page) + 1, out).read_bytes()


def page_text(doc_id: str, out: Path) -> str:
    import pymupdf

    pymupdf._get_layout = None
    [page] = extract_pdf(docbank_page(doc_id, out), tables=True)
    return " ".join(page.text.split())


def test_an_equation_number_does_not_join_the_next_column(tmp_path: Path):
    """Equations (1) and (2) in the left column: their numbers, flush with the column's right edge, were taken
    for list markers of the right column's lines beside them, and the page was read row by row across."""
    text = page_text("152.tar_1608.03834.gz_fragility_II_05062016_AZ_2", tmp_path)
    assert "(1) modulus" not in text and "(2) pure substances" not in text
    assert ("The effective interatomic potential reads as" in text
            and "most sensitive parameter in our analysis, in the sense that small variations in B can lead to "
                "large deviations" in text)
    assert text.index("the ratios of the respective atoms") < text.index("known fact, it turns out")


def test_an_overfull_line_does_not_join_the_columns(tmp_path: Path):
    """A first page: a left-column line runs over the right column's first words on its row; the columns under
    the abstract were read row by row from there on."""
    text = page_text("275.tar_1809.08252.gz_PapierFluctuations3_0", tmp_path)
    assert ("superconductor3...) and three-dimensional Weyl semi-metals are good examples of the latter" in text
            and "in their vNEE. Instead of being simply quantified by one number" in text)
    assert text.index("chiral charge of the Weyl node") < text.index("and showed that the presence of a")


def test_a_column_s_first_lines_beside_a_formula_under_the_folio_stay(tmp_path: Path):
    """The right column's first three lines and the left column's display (1) under the folio, in the top
    band: the display's "1" over a fraction was taken for a page number, the rows for a running head."""
    text = page_text("23.tar_1402.5330.gz_fusion_1", tmp_path)
    assert "collision, followed by formation of a composite system. In general, the composite system" in text
    assert text.index("to a given fusion") < text.index("collision, followed by formation")


def test_a_column_s_first_lines_beside_a_plot_under_the_folio_stay(tmp_path: Path):
    """The right column's first two lines, beside a plot's tick label "10", under the folio: dropped as a
    running head with its page number."""
    text = page_text("248.tar_1612.05617.gz_quatmc3_3", tmp_path)
    assert "To overcome this problem we follow the iterative method employed in Refs." in text


def test_a_numbered_heading_opening_a_page_stays(tmp_path: Path):
    """An LNCS page opens with "4 Algorithm analysis" (bold, larger, number and title two boxes): dropped as a
    running head with its folio."""
    text = page_text("169.tar_1708.00745.gz_ODT_Soubies_8", tmp_path)
    assert text.startswith("4 Algorithm analysis")


def test_display_equations_beside_the_other_column_are_no_table_across_it(tmp_path: Path):
    """Equations (47) to (50) in both columns under a full-width equation: a table across the gutter held the
    right column's equation pieces and the left column's lines ("| where we have taken the zero temperature
    limit, and | 2k2s | ..."), and the column order broke."""
    text = page_text("89.tar_1704.08939.gz_noa_12", tmp_path)
    assert "| where we have taken" not in text
    assert "where we have taken the zero temperature limit, and ϵF < 0 (hole-doped WSM). Besides" in text
    assert text.index("We remind the reader that the integrals") < text.index("Applying Eq. (49) to Eqs.")


def test_a_reference_list_running_on_to_the_foot_stays(tmp_path: Path):
    """Both columns run on to the page's foot; the right column's last reference ("Journal of Instrumentation,
    vol. 10, no. 01, ...") read as a publisher's line, and the last three rows of both were dropped with it."""
    text = page_text("121.tar_1706.01211.gz_main_12", tmp_path)
    assert ("Their successors, the ePixS spectroscopic, hybrid pixel detectors already offer hundreds of pixels "
            "with similar performance in a compact, robust and affordable package" in text)
    assert "Journal of Instrumentation, vol. 10, no. 01, p. C01022, 2015." in text


def arxiv_page(paper: str, page: int):
    """One page of a development paper of the arxiv suite (never a held-out one), as a one-page document."""
    import pymupdf

    from tools.eval_quality.suites import DEV, default_folder, split_of

    assert split_of("arxiv", paper) == DEV, paper
    pdf = default_folder("arxiv") / f"arxiv_{paper.replace('.', '_')}.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} is absent (python -m tools.eval_quality.suites prepare arxiv CLONE brings it)")
    pymupdf._get_layout = None
    one = pymupdf.open()
    with pymupdf.open(pdf) as src:
        one.insert_pdf(src, from_page=page - 1, to_page=page - 1)
    return one


def test_a_table_s_column_numbers_stay_in_their_own_cells():
    """A regression table's header "(1) (2) (3) ...": "(1)" was joined to "(2)" as a list marker, one cell."""
    [page] = extract_pdf(arxiv_page("2510.11973", 36), tables=True)
    assert "| (1) | (2) | (3) | (4) | (5) | (6) |" in page.text


def test_a_column_beside_a_table_is_read_before_the_table():
    """A small table set beside the text (wraptable) between full-width lines, no white row between: each
    text line came out joined with a table row ("sizing high-quality trajectories ... UI-Simulator-F 6.28 8.6")."""
    [page] = extract_pdf(arxiv_page("2510.14969", 11), tables=True)
    text = " ".join(page.text.split())
    assert "both key to synthesizing high-quality trajectories. To this end, we discuss more ablation study" in text
    assert "| UI-Simulator-F | 6.28 | 8.6 |" in text


def whole_paper(paper: str):
    """Our extraction of every page of a development paper of the arxiv suite (rules that need the document's
    other pages), skipped where the eval cache lacks it."""
    import pymupdf

    from tools.eval_quality.suites import DEV, default_folder, split_of

    assert split_of("arxiv", paper) == DEV, paper
    pdf = default_folder("arxiv") / f"arxiv_{paper.replace('.', '_')}.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} is absent (python -m tools.eval_quality.suites prepare arxiv CLONE brings it)")
    pymupdf._get_layout = None
    with pymupdf.open(pdf) as doc:
        return extract_pdf(doc, tables=True)


def test_a_page_of_displays_is_read_in_the_document_s_columns():
    """arXiv 2510.14181 (revtex, two columns), page 5: both columns mostly display equations, too few lines of
    text to show the columns; equations of both were read as tables row by row across ("∂L d ⟨ψ| ∂ψ ∂t ⟩= ...
    (20) ∂ċ∗n = iħcn, ... (28)"). The paper's other pages give the gutter (the whole paper is read here)."""
    text = " ".join(whole_paper("2510.14181")[4].text.split())
    assert "The time derivative of the state is: Euler-Lagrange Equations" not in text
    assert (text.index("where we sum over coordinate components") < text.index("Thus, the complete Lagrangian is:")
            < text.index("Euler-Lagrange Equations") < text.index("Computing the derivatives:"))


def test_a_justified_heading_is_not_cut_into_columns():
    """A section heading set justified in the right column, its words far apart: the spaces of its two lines
    lined up and it was cut there into columns ("2 Periodically cesses and / correlated progenerated vector")."""
    [page] = extract_pdf(arxiv_page("2510.14033", 1), tables=True)
    assert "2 Periodically correlated processes and generated vector stationary sequences" in page.text


def test_a_contents_list_in_two_columns_is_read_column_by_column():
    """A contents list set in two columns under the abstract: each row of both halves was made one line across
    the gutter ("I. Introduction 2 a. A general monomial formula for TT pure terms 14") and read row by row.
    The page's entries are ragged; the paper's other pages give the gutter (the whole paper is read here)."""
    text = " ".join(whole_paper("2510.14523")[0].text.split())
    assert "I. Introduction 2 a. A general monomial" not in text
    assert text.index("I. Introduction 2") < text.index("VII. Discussion 9") < text.index("a. A general monomial")
