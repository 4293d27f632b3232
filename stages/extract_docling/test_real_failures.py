"""Failure classes of the text path, each on a real document of that class from ../shared/corpus (read in
place, never copied here; skipped with a message where the corpus is absent) or from a Debian package that
`just eval-quality` keeps in its cache (a small one fetched here where apt is, a large one skipped where it is
not there). A real document that can be skipped has a companion test ("..._constructed") beside it, always
run: a small PDF set the way the real one is (constructed_pdf.py)."""

import shutil
from pathlib import Path

import pytest

from stages.extract_docling.pymupdf_text import UNMAPPED, composed_text, extract_pdf, spaced_chars

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def corpus_pdf(name: str) -> bytes:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (the development corpus lives in ../shared/corpus)")
    return path.read_bytes()


def debian_pdf(package: str, version: str, path: str, sha256: str, fetch: bool = False) -> bytes:
    """A PDF out of a Debian package in the eval cache (``just eval-quality`` fetches these packages). With
    ``fetch`` (a small package: CI's cache starts empty) it is downloaded into the cache where apt is, and a
    failed download fails the test; without, nothing is downloaded here."""
    from tools.eval_quality.fetch import PageSource, _deb_files, cache_dir, source_pdfs

    source = PageSource(path, "debian", package, version, path, sha256, 1)
    if fetch and shutil.which("apt-get") and shutil.which("dpkg-deb"):
        messages: list[str] = []
        found = source_pdfs([source], log=messages.append)
        if path not in found:
            pytest.fail(f"{path} could not be fetched from {package}={version}: {' / '.join(messages)}")
        return found[path].read_bytes()
    if not _deb_files(package, version, cache_dir() / "debs") and not source_pdfs([source], fetch=False):
        pytest.skip(f"{package}={version} is not in the eval cache: run `just eval-quality` once")
    found = source_pdfs([source], log=lambda _: None)
    if not found:
        pytest.skip(f"{path} could not be had from {package}={version}")
    return found[path].read_bytes()


def one_page(pdf: bytes, number: int) -> bytes:
    from shared.mupdf import import_pymupdf

    doc = import_pymupdf().open(stream=pdf, filetype="pdf")
    doc.select([number - 1])
    return doc.tobytes()


def test_a_repeating_edge_row_does_not_take_the_body_rows_beside_it():
    # an architect's drawing set: the licence mark "cc" repeats at the top edge of every sheet, and on sheet 24
    # the sheet's own labels sit in the same close group of rows; they were dropped with it as furniture
    pages = extract_pdf(corpus_pdf("text/pdfjs__Brotli-Prototype-FileA.pdf"), tables=False)  # furniture only
    assert pages[23].text.startswith("FIBER CEMENT LAP SIDING\n\nEXT SHEATHING W/ WEATHER RESISTIVE BARRIER")
    assert "KEY NOTES" in pages[10].text and "MASONRY FLUE LINER" in pages[10].text


def test_private_use_code_points_are_taken_out_and_counted():
    # a pdf.js regression file whose symbol font maps its glyphs to the private-use area
    [page] = extract_pdf(corpus_pdf("text/pdfjs__issue16263.pdf"), tables=True)
    assert page.unmapped_chars == 120
    assert not UNMAPPED.search(page.text)
    assert "OA" in page.text


def test_accents_drawn_as_glyphs_of_their_own_are_composed_with_their_letter():
    # positions as PyMuPDF gives them: the accent's box lies over the letter, before or after it in the line
    assert composed_text([(0, 4, "c"), (4, 9, "a"), (9, 12, "f"), (11.7, 17.5, "´"), (12, 17.2, "e")]) == "café"
    assert composed_text([(0, 5, "J"), (5, 10, "a"), (10, 12, " "), (6, 9, "\u0301"), (12, 17, "n")]) == "Ján"
    assert composed_text([(0, 5, "c"), (1, 4, "ˇ")]) == "č"
    assert composed_text([(0, 3, "`"), (3, 6, "`"), (6, 11, "a")]) == "``a"  # TeX's opening quotes stay


def test_a_tex_document_with_separate_accents_reads_composed():
    # jura's manual (Debian texlive-humanities-doc): Computer Modern draws the umlauts apart ("f¨ur")
    from tools.eval_quality.fetch import cache_dir

    found = sorted((cache_dir() / "quality" / "files").glob("texlive-humanities-doc_*/**/jura/jura.pdf"))
    if not found:
        pytest.skip("jura.pdf is fetched by `just eval-quality` into its cache; run it once")
    pages = extract_pdf(found[0].read_bytes(), tables=True)
    assert "Dokumentklasse für LATEX" in pages[1].text and "Verfügung gestellt" in pages[1].text
    assert not any(c in page.text for page in pages for c in "¨´")


def test_a_table_drawn_as_a_grid_keeps_its_header_row_and_cells():
    # a Google Docs export (py-pdf sample files): a ruled table of countries, the header row names them
    [page] = extract_pdf(corpus_pdf("text/sample-files__google-doc-document.pdf"), tables=True)
    table = [line for line in page.text.splitlines() if line.startswith("|")]
    assert table[0].startswith("|  | Indonesia") and "| Germany" in table[0] and table[1].startswith("|---|")
    assert "| Capital | Jakarta | Berlin | Vienna | Paris | Vatican City |" in table


def test_a_table_of_contents_keeps_each_page_number_with_its_entry():
    # py-pdf's pdflatex outline sample: LaTeX's contents, titles left, page numbers right-aligned
    page = extract_pdf(corpus_pdf("text/sample-files__pdflatex-outline.pdf"), tables=True)[0]
    assert page.text.startswith("Contents\n\n1 Foo 2\n\n2 Bar 2\n\n3 Baz 2")
    # a pdf.js regression file (a LaTeX font manual): dot leaders out, no table made of the contents
    page = extract_pdf(corpus_pdf("text/pdfjs__issue10640.pdf"), tables=True)[0]
    assert "1 Introduction 1\n\n2 Installation 2" in page.text and "Calling Open Sans 2" in page.text
    assert "|" not in page.text.split("1 Introduction\n\n")[0]


XTABLE = ("r-cran-xtable", "1:1.8-4-2", "usr/lib/R/site-library/xtable/doc/xtableGallery.pdf",
          "151023b27c2279437ed721b09d9e97920d332a099b8a138fea0a5529006caed4")
LSCAPE = ("texlive-latex-extra-doc", "2022.20230122-4", "usr/share/doc/texlive-doc/latex-dev/graphics/lscape.pdf",
          "7dfa1734996a6e1fa31f62863119a72b524dd060b97f34060a10ed72c0e342a3")


def test_a_table_set_sideways_on_a_portrait_page_is_read_row_by_row():
    # xtable's gallery (Debian r-cran-xtable), page 26: a sidewaystable (turned text matrices, no /Rotate); its
    # 30 rows of figures came out one number a paragraph, column by column
    [page] = extract_pdf(one_page(debian_pdf(*XTABLE, fetch=True), 26), tables=True)  # 0.7 MB: fetched
    rows = [line for line in page.text.splitlines() if line.startswith("|")]
    assert rows[0] == "|  | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 |"
    assert "| 1 | 0.41 | 0.49 | -0.58 | -1.23 | 0.98 | 0.31 | 0.45 | -1.02 | -2.87 | -1.21 |" in rows
    assert len(rows) == 32 and page.text.rstrip().endswith("Table 5: A sideways table")


def test_a_landscape_page_is_read_as_if_turned():
    # lscape's manual (Debian texlive-latex-extra-doc) is set landscape on portrait paper: every line runs
    # upwards; the whole first page was lost (each line taken for a stamp in the margin)
    pages = extract_pdf(debian_pdf(*LSCAPE), tables=True)
    assert pages[0].text.startswith("The lscape package∗\n\nD. P. Carlisle")
    assert ("All text, within the landscape environment is rotated through 90 degrees. The environment may span "
            "several pages.") in pages[0].text
    assert "13 \\def\\landscape{%\n\n14 \\let\\LS@makecol=\\@makecol" in pages[1].text


ACMART = ("texlive-latex-extra-doc", "2022.20230122-4",
          "usr/share/doc/texlive-doc/latex/authorarchive/examples/brucker-authorarchive-2016-acmart.pdf",
          "1fb288230203e5dd1e1ee2dbcbf64c7f0bdf73fb889821058363f6936436096c")


def test_a_single_page_loses_its_running_head_of_two_short_pieces():
    # authorarchive's ACM example (Debian texlive-latex-extra-doc; its page 2 is in the own suite, a development
    # set), page 2 alone: nothing repeats; the running head is the paper's title left and the conference right,
    # set smaller than the body, two short pieces (16 words together, over a head's 14)
    [page] = extract_pdf(one_page(debian_pdf(*ACMART), 2), tables=True)
    assert "LHack" not in page.text and "authorarchive Package" not in page.text
    assert page.text.startswith("Sed accumsan risus eget odio.")


def test_a_running_foot_between_larger_page_numbers_is_no_footnote():
    # a pdf.js regression file: two pages of an annual report side by side; the foot "62  MITSUBISHI ELECTRIC
    # CORPORATION ANNUAL REPORT 2021 ... 63" started with a number and a word, so it was kept as a footnote
    [page] = extract_pdf(corpus_pdf("text/pdfjs__issue14297.pdf"), tables=True)
    body_end = " ".join(page.text.replace("|", " ").split())  # the statement's last row, as a table or as text
    assert "ANNUAL REPORT" not in page.text and body_end.endswith("¥ 116,318 ¥ 2,870,611")


def test_a_title_page_set_in_display_type_keeps_its_top_line():
    # a book's title page from PDFBox's text tests (development part of the pdfbox suite): the author's name
    # at the top, smaller than the title, was taken for a running head
    path = cache_dir_external() / "pdfbox" / "PDFBOX-3062-005717-p1.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is absent: `python -m tools.eval_quality.suites prepare pdfbox CLONE` puts it there")
    [page] = extract_pdf(path.read_bytes(), tables=True)
    assert page.text.startswith("HANS L. TREFOUSSE")


def cache_dir_external() -> Path:
    from tools.eval_quality.fetch import cache_dir

    return cache_dir() / "external"


def test_a_letter_drawn_in_a_circle_is_the_copyright_sign():
    # CWEB's manual from PDFBox's text tests (development part of the pdfbox suite): TeX's \copyright came out
    # as "c" and a combining enclosing circle ("c⃝1994")
    path = cache_dir_external() / "pdfbox" / "cweb.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is absent: `python -m tools.eval_quality.suites prepare pdfbox CLONE` puts it there")
    pages = extract_pdf(path.read_bytes(), tables=True)
    assert "copyright ©1994" in pages[0].text and not any("\u20dd" in page.text for page in pages)


def test_words_set_apart_by_position_alone_are_parted_by_a_space():
    # a court opinion from PDFBox's text tests (development part of the pdfbox suite): justified lines whose
    # words are moved apart without a space glyph ran on ("medicalhistoryof", "Samuelreturned")
    path = cache_dir_external() / "pdfbox" / "PDFBOX-3042-003177-p2.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is absent: `python -m tools.eval_quality.suites prepare pdfbox CLONE` puts it there")
    [page] = extract_pdf(path.read_bytes(), tables=True)
    assert "medical history of diabetes" in page.text and "then examined Samuel and concluded" in page.text
    assert "Two days later, Samuel returned to the ER." in page.text
    # the glyphs of a word stay together: kerning moves them by less than a tenth of the type size
    glyphs = [(i * 5.1, i * 5.1 + 5, c, 10) for i, c in enumerate("medical")]
    glyphs += [(37.2 + i * 5.1, 37.2 + i * 5.1 + 5, c, 10) for i, c in enumerate("history")]  # 1.6 pt apart
    assert "".join(c for _, _, c in spaced_chars(glyphs)) == "medical history"
    # letter-spaced text (a glyph gap of 0.3 pt, some of 0.97 pt at 9 pt) keeps its words whole
    spaced = [(i * 5.3, i * 5.3 + 5, c, 9) for i, c in enumerate("Concurring")]
    spaced[2:] = [(x0 + 0.67, x1 + 0.67, c, s) for x0, x1, c, s in spaced[2:]]
    assert "".join(c for _, _, c in spaced_chars(spaced)) == "Concurring"


def test_double_spaced_text_is_not_a_paragraph_a_line():
    # a federal court order from PDFBox's text tests (development part of the pdfbox suite), set double-spaced:
    # every line was a paragraph of its own
    path = cache_dir_external() / "pdfbox" / "PDFBOX-3062-002207-p1.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is absent: `python -m tools.eval_quality.suites prepare pdfbox CLONE` puts it there")
    [page] = extract_pdf(path.read_bytes(), tables=True)
    assert ("the court dismissed this case in its entirety, with prejudice, upon the parties’ settlement and "
            "Stipulation Of Dismissal (docket no. 211).") in page.text
    assert "question.  On May 3, 2007, the court also received a letter from counsel" in page.text


# Companions of the tests above whose real document is not at hand without the evaluation cache (PDFBox's text
# tests, a Debian package too large to fetch in CI): a small PDF set the way the real one is, always run.

def _wrapped(text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
    """``text`` broken into lines of Times-Roman at ``size`` no wider than ``width`` (the first ``indent`` less)."""
    from shared.mupdf import import_pymupdf

    measure = import_pymupdf().get_text_length
    lines, line = [], ""
    for word in text.split():
        room = width - (indent if not lines else 0)
        if line and measure(f"{line} {word}", fontname="tiro", fontsize=size) > room:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


PROSE = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
         "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip "
         "ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu "
         "fugiat nulla pariatur.")


def _paragraphs(paragraphs: list[str], top: float, pitch: float, size: float = 10, x: float = 72,
                width: float = 468) -> str:
    """Operators setting each paragraph as wrapped lines, its first line indented, a line's pitch apart."""
    from stages.extract_docling.constructed_pdf import lines_at

    ops, y = [], top
    for text in paragraphs:
        lines = _wrapped(text, width, size, indent=2 * size)
        ops.append(lines_at(lines[:1], x + 2 * size, y, pitch, size=size))
        ops.append(lines_at(lines[1:], x, y - pitch, pitch, size=size))
        y -= pitch * len(lines)
    return "\n".join(ops)


def test_a_letter_drawn_in_a_circle_is_the_copyright_sign_constructed():
    """Stands in for CWEB's manual (PDFBox's text tests): TeX's \\copyright draws a "c" and, over it, the symbol
    font's large circle, which the font's ToUnicode map gives as U+20DD; read as "c⃝1994" before the fix."""
    from stages.extract_docling.constructed_pdf import text_pdf

    circled = ("BT /F2 10 Tf 72 520 Td (This document is copyright ) Tj ET BT /F2 10 Tf 199.4 520 Td (c) Tj ET "
               "BT /F3 14 Tf 197 517.5 Td (O) Tj ET BT /F2 10 Tf 211 520 Td (1994 by Silvio Levy and Donald E. "
               "Knuth.) Tj ET")
    [page] = extract_pdf(text_pdf([_paragraphs([PROSE, PROSE], 650, 12) + "\n" + circled]), tables=True)
    assert "copyright ©1994 by Silvio Levy" in page.text and "\u20dd" not in page.text


def test_words_set_apart_by_position_alone_are_parted_by_a_space_constructed():
    """Stands in for PDFBOX-3042-003177 (a court opinion, PDFBox's text tests): each line one TJ whose words are
    moved 0.13 type sizes apart with no space glyph between them; MuPDF ran them on ("medicalhistoryof")."""
    from stages.extract_docling.constructed_pdf import pdf_string, text_pdf

    lines = ["The patient had a medical history of diabetes and high blood pressure.",
             "Two days later, Samuel returned to the ER. The physician then examined Samuel and concluded",
             "that the symptoms had not changed since the first visit to the hospital."]
    ops = ["BT /F2 10 Tf 72 700 Td"]
    for line in lines:
        ops.append("[" + " -130 ".join(pdf_string(word) for word in line.split()) + "] TJ 0 -13 Td")
    [page] = extract_pdf(text_pdf(["\n".join(ops + ["ET"])]), tables=True)
    assert "medical history of diabetes" in page.text and "then examined Samuel and concluded" in page.text
    assert "Two days later, Samuel returned to the ER." in page.text


def test_double_spaced_text_is_not_a_paragraph_a_line_constructed():
    """Stands in for PDFBOX-3062-002207 (a federal court order, PDFBox's text tests): 12 pt lines 28 pt apart
    (a word processor's double spacing), full to the right margin, each paragraph's first line indented, its
    paragraphs several lines long; every line was a paragraph of its own."""
    from stages.extract_docling.constructed_pdf import text_pdf

    first = ("On March 1, 2007, the court dismissed this case in its entirety, with prejudice, upon the parties' "
             "settlement and Stipulation Of Dismissal (docket no. 211). The parties did not ask the court to keep "
             "jurisdiction over the settlement, and the court did not do so. " + PROSE)
    second = ("On May 3, 2007, the court also received a letter from counsel for the plaintiff asking that the "
              "judgment be amended, which the court now takes up and decides on the papers before it. " + PROSE)
    [page] = extract_pdf(text_pdf([_paragraphs([first, second], 700, 28, size=12)]), tables=True)
    paragraphs = page.text.split("\n\n")
    assert len(paragraphs) == 2, paragraphs
    assert "upon the parties' settlement and Stipulation Of Dismissal (docket no. 211)." in paragraphs[0]


def test_a_title_page_set_in_display_type_keeps_its_top_line_constructed():
    """Stands in for PDFBOX-3062-005717 (a book's title page, PDFBox's text tests): the author's name at the top,
    smaller than the title set in display type below it, was taken for a running head."""
    from stages.extract_docling.constructed_pdf import lines_at, text_pdf

    ops = [lines_at(["HANS L. TREFOUSSE"], 200, 740, 0, size=16),
           lines_at(["ANDREW JOHNSON", "A BIOGRAPHY OF THE", "SEVENTEENTH PRESIDENT"], 72, 600, 50, size=36)]
    [page] = extract_pdf(text_pdf(["\n".join(ops)]), tables=True)
    assert page.text.startswith("HANS L. TREFOUSSE")


def test_a_single_page_loses_its_running_head_of_two_short_pieces_constructed():
    """Stands in for page 2 of authorarchive's ACM example (Debian texlive-latex-extra-doc, too large to fetch):
    the running head is the paper's title left and the conference right, set 7 pt over a 10 pt body, two short
    pieces of 15 words together (over a head's 14); nothing repeats on a single page."""
    from stages.extract_docling.constructed_pdf import lines_at, text_pdf

    head = [lines_at(["LHack: Using the authorarchive Package for Self-Archiving Author Copies"], 54, 750, 0, size=7),
            lines_at(["Conference'17, July 2017, Washington, DC, USA"], 405, 750, 0, size=7)]
    body = _paragraphs(["Sed accumsan risus eget odio. " + PROSE, PROSE, PROSE], 710, 12, x=54, width=504)
    [page] = extract_pdf(text_pdf(["\n".join(head + [body])]), tables=True)
    assert "LHack" not in page.text and "Conference'17" not in page.text
    assert page.text.startswith("Sed accumsan risus eget odio.")


def test_a_landscape_page_is_read_as_if_turned_constructed():
    """Stands in for lscape's manual (Debian texlive-latex-extra-doc, too large to fetch): the page is set
    landscape on portrait paper, every line running upwards (text matrices turned a quarter, no /Rotate). The
    real page was lost (each line taken for a stamp in the margin); this narrower one, its lines away from the
    margins, ran into one paragraph before the fix (title, author and body alike)."""
    from stages.extract_docling.constructed_pdf import pdf_string, text_pdf

    lines = [("The lscape package", 17), ("D. P. Carlisle", 12)]
    lines += [(line, 10) for line in _wrapped("All text, within the landscape environment is rotated through 90 "
                                              "degrees. The environment may span several pages. " + PROSE, 650, 10)]
    ops, x = ["BT"], 80.0
    for text, size in lines:
        x += 1.6 * size
        ops.append(f"/F2 {size} Tf 0 1 -1 0 {x:.1f} 80 Tm {pdf_string(text)} Tj")
    [page] = extract_pdf(text_pdf(["\n".join(ops + ["ET"])]), tables=True)
    assert page.text.startswith("The lscape package\n\nD. P. Carlisle")
    assert "All text, within the landscape environment is rotated through 90 degrees." in page.text


def test_a_tex_document_with_separate_accents_reads_composed_constructed():
    """Stands in for jura's manual (Debian texlive-humanities-doc, 27 MB, not fetched in CI): Computer Modern
    draws the umlaut as a glyph of its own over the letter ("f¨ur")."""
    from stages.extract_docling.constructed_pdf import text_pdf

    # TeX's \"u: the accent (Times' dieresis, WinAnsi 0xA8, 333 units wide) kerned over the "u" (500) after it
    umlaut = "-83.5 (\xa8) 416.5"
    ops = [_paragraphs([PROSE], 700, 12), f"BT /F2 10 Tf 72 600 Td [(Die Dokumentklasse f) {umlaut} (ur LaTeX steht "
           f"zur)] TJ 0 -12 Td [(Verf) {umlaut} (ugung gestellt.)] TJ ET"]
    [page] = extract_pdf(text_pdf(["\n".join(ops)]), tables=True)
    assert "Dokumentklasse für LaTeX" in page.text and "Verfügung gestellt" in page.text
    assert not any(c in page.text for c in "¨´")


def test_a_text_that_opens_every_page_is_no_running_head():
    # py-pdf's sample-files pdflatex-outline.pdf: each section prints the same filler paragraph, so three
    # pages open with the same words; the rows were taken for a running head (and the filter's paragraphs
    # for repeated edge lines), a third of the document went
    from tools.eval_quality.systems import pipeline_pages

    pages = pipeline_pages(tables=True)(corpus_pdf("text/sample-files__pdflatex-outline.pdf"))
    text = "\n\n".join(pages)
    assert " ".join(text.split()).count("Hello, here is some text without a meaning.") == 12  # 8 before, as pdftotext
    assert pages[2].startswith("written and an impression of the look.")



def test_a_table_at_the_top_of_every_page_keeps_its_rows():
    # pdf.js calgray.pdf: every page one ruled table of labels that differ only in their figures ("A = 0.35");
    # the filter took each row for a running head (digits ignored) and left the pages empty but for the rule
    from tools.eval_quality.systems import pipeline_pages

    pages = pipeline_pages(tables=True)(corpus_pdf("text/pdfjs__calgray.pdf"))
    assert all("| A = 0.35 | A = 0.40 | A = 0.45 | A = 0.50 |" in page for page in pages)


def test_a_grid_of_labels_and_figures_too_short_for_a_table_is_read_along_its_rows_constructed():
    """Stands in for PDFBOX-3062-N2MOQ7YZ (a student-life report's figures, PDFBox's text tests, dev part): two
    rows of a label and its figure, twice across the page; read as four columns, each label came apart from
    its figure ("Fraternity Members Sorority Members 480 484 ...")."""
    from stages.extract_docling.constructed_pdf import lines_at, text_pdf

    grid = [("Fraternity Members", "480", "Male Undergraduates", "3495"),
            ("Sorority Members", "484", "Female Undergraduates", "4880")]
    ops = [lines_at([row[i] for row in grid], x, 640, 13, size=11) for i, x in enumerate((57, 227, 311, 478))]
    [page] = extract_pdf(text_pdf(["\n".join(ops)]), tables=True)
    assert page.text == ("Fraternity Members 480 Male Undergraduates 3495\n\n"
                         "Sorority Members 484 Female Undergraduates 4880")


def test_text_drawn_twice_over_itself_is_read_once():
    # pdf.js issue1350.pdf, a voucher: its form labels are drawn twice at the same place; both copies were read
    pages = extract_pdf(corpus_pdf("text/pdfjs__issue1350.pdf"), tables=True)
    assert "\n".join(page.text for page in pages).count("Please write your name here") == 1


def test_text_drawn_twice_over_itself_is_read_once_constructed():
    """Stands in for pdf.js issue1350.pdf: a heading set bold by drawing it again half a point to the right
    (and a third time a little higher), as some generators make bold type or a shadow."""
    from stages.extract_docling.constructed_pdf import pdf_string, text_pdf

    heading = "A Heading Drawn Twice"
    ops = ["BT /F2 14 Tf"] + [f"1 0 0 1 {72 + dx} {720 + dy} Tm {pdf_string(heading)} Tj"
                              for dx, dy in ((0, 0), (0.5, 0), (0.5, 0.4))] + ["ET", _paragraphs([PROSE], 690, 12)]
    [page] = extract_pdf(text_pdf(["\n".join(ops)]), tables=True)
    assert page.text.count(heading) == 1 and page.text.startswith(heading + "\n\nLorem ipsum")


def test_text_that_runs_past_its_clipping_path_is_read_whole_constructed():
    """A report generator's cell: the text is drawn clipped to the cell's rectangle and runs past it. MuPDF's
    clip flag (TEXT_MEDIABOX_CLIP, since 1.26 the clip to the clipping path) cut the line mid-word; PDFBox and
    poppler read the text layer whole."""
    from stages.extract_docling.constructed_pdf import text_pdf

    [page] = extract_pdf(text_pdf(["\n".join(["q 72 680 200 30 re W n", _paragraphs([PROSE], 700, 12), "Q"])]),
                         tables=True)
    assert page.text == PROSE


def test_letter_spaced_text_is_read_as_words_constructed():
    """A heading tracked out and the text under it set with the same character spacing (``Tc`` stays in force
    across text objects), 2 points at 12 and 14 points: MuPDF took each gap between letters for a word's end
    ("L o r e m i p s u m"); poppler reads the words. A line of single letters with real spaces between them
    stays as it is."""
    from stages.extract_docling.constructed_pdf import text_pdf

    ops = ["BT /F2 14 Tf 2 Tc 1 0 0 1 72 720 Tm (Summary of the results) Tj ET", _paragraphs([PROSE], 690, 12),
           "BT /F2 12 Tf 0 Tc 1 0 0 1 72 600 Tm (Options: a b c d e f) Tj ET"]
    [page] = extract_pdf(text_pdf(["\n".join(ops)]), tables=True)
    assert page.text.startswith("Summary of the results\n\nLorem ipsum dolor sit amet, consectetur adipiscing")
    assert "Options: a b c d e f" in page.text


def test_an_equation_number_near_the_foot_is_no_page_number():
    # GROBID's test paper 1001._0908.0054 (development part of the grobid suite), page 3: the display equation
    # "mBnB = ΩBρc. (8)" sits a few lines above the foot; its "(8)" made the bottom rows read as a running
    # foot with its page number, and the column's last line, the equation and a figure caption beside it went
    path = cache_dir_external() / "grobid" / "grobid-core/src/test/resources/test/1001._0908.0054.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is absent: `python -m tools.eval_quality.suites prepare grobid CLONE` puts it there")
    page = extract_pdf(path.read_bytes(), tables=True)[2].text
    assert "Then if one fixes the mass" in page and "Figure 4" in page and "(8)" in page


def test_an_equation_number_near_the_foot_is_no_page_number_constructed():
    # the same set small: a caption and a numbered equation on the rows over the column's last line
    from stages.extract_docling.constructed_pdf import laid_out_pdf

    body = [(72, 100 + 14 * i, 10, f"Body line {i} of the column, a sentence long enough to be prose.", "R")
            for i in range(40)]
    foot = [(72, 700, 10, "mB nB = OmegaB rho c.", "R"), (300, 700, 10, "(8)", "R"),
            (72, 716, 10, "Then if one fixes the mass, the content of bosons in the", "R")]
    [page] = extract_pdf(laid_out_pdf(body + foot, [], 612, 792), tables=True)
    assert "Then if one fixes the mass" in page.text and "(8)" in page.text
