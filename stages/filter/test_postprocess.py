"""Post-processing: boilerplate goes, body text stays, page offsets stay right."""

from pathlib import Path

import pytest

from shared.config import stage_settings
from stages.filter.postprocess import (
    PostprocessConfig,
    coalesce_failed_pages,
    normalize_page,
    postprocess_pages,
    remove_page_numbers,
    remove_repeated_edge_lines,
)
from textkit.markers import FAILED_PAGE_MARKER
from textkit.pages import check_page_ends, join_pages, split_pages

BODIES = [
    "The cooperative pumped 4.2 million cubic metres of water this year.\nDemand peaked in July.",
    "Two new wells were drilled near the northern reservoir.\nBoth passed their quality tests.",
    "Leak detection found 31 faults in the old cast iron mains.\nAll of them were repaired by October.",
    "Tariffs stay unchanged for households.\nIndustrial users pay two percent more.",
    "The board thanks the volunteers who read the meters every month.",
]
HEADER = "Harbour Valley Water Cooperative — Annual Report 2023"
CONFIG = stage_settings("filter").pick(PostprocessConfig)


def report_pages() -> list[str]:
    """A 5-page report as OCR returns it: running header, body, 'Page N of 5' footer."""
    return [f"{HEADER}\n{body}\nPage {i + 1} of 5" for i, body in enumerate(BODIES)]


def test_running_header_and_page_footer_go_and_body_text_stays():
    pages = postprocess_pages(report_pages(), set(), stage_settings("filter").pick(PostprocessConfig))
    assert [p.strip() for p in pages] == BODIES


def test_page_ends_tile_the_edited_text():
    text, ends = join_pages(postprocess_pages(report_pages(), set(), stage_settings("filter").pick(PostprocessConfig)))
    check_page_ends(text, ends)
    assert len(ends) == 5
    assert [p.strip() for p in split_pages(text, ends)] == BODIES


def test_bare_page_numbers_go_only_when_they_follow_the_page_index():
    pages = [f"{body}\n{i + 3}" for i, body in enumerate(BODIES[:2])]  # printed numbers start at 3
    assert remove_page_numbers(pages) == BODIES[:2]
    lonely = ["Steps to follow:\n1. Open the valve\n2. Wait\n3"]
    assert remove_page_numbers(lonely) == lonely


def test_lines_repeated_on_few_pages_or_inside_the_body_are_kept():
    pages = [f"Intro\n{BODIES[0]}", f"Intro\n{BODIES[1]}", BODIES[2], BODIES[3], BODIES[4], BODIES[0]]
    # "Intro" tops 2 of 6 pages: under both thresholds (3 pages and half of the pages)
    assert remove_repeated_edge_lines(pages) == pages


def test_a_run_of_failed_pages_becomes_one_marker_and_page_count_is_kept():
    pages = ["first", "", FAILED_PAGE_MARKER, "", "fifth", FAILED_PAGE_MARKER]
    out = coalesce_failed_pages(pages, failed_pages={1, 3})
    assert out == ["first", FAILED_PAGE_MARKER, "", "", "fifth", FAILED_PAGE_MARKER]
    assert coalesce_failed_pages(pages, {1, 3}, keep_marker=False) == ["first", "", "", "", "fifth", ""]


def test_unicode_normalisation_fixes_ligatures_invisible_characters_and_leaders():
    assert normalize_page("ﬁnal eﬀort, co\u00adoperation\u200b") == "final effort, cooperation"
    assert normalize_page("Contents . . . . . . . 3\nName: ________") == "Contents 3\nName: "
    assert normalize_page("caf\u0065\u0301") == "caf\u00e9"  # NFC


def test_a_paragraph_that_opens_every_page_is_text_not_a_running_head():
    # as in py-pdf's sample pdflatex-outline.pdf (../shared/corpus): every section prints the same filler
    # paragraph, so each page opens and closes with it; the header rule took the paragraphs away
    filler = ("Hello, here is some text without a meaning. This text should show what a printed text will look "
              "like at this place. If you read this text, you will get no information.")
    pages = [f"{HEADER}\n{filler}\n{body}\n{filler}" for body in BODIES]
    assert remove_repeated_edge_lines(pages) == [f"{filler}\n{body}\n{filler}" for body in BODIES]


def test_table_rows_at_the_top_of_every_page_are_no_running_head():
    # pdf.js calgray.pdf (../shared/corpus): each page is one ruled table of the same labels, "A = 0.15",
    # "A = 0.20", ...; with digits ignored every row was a repeated edge line and each page kept its rule alone
    pages = [f"| WhitePoint {n} | Gamma {n} |\n|---|---|\n| A = 0.{n}0 | A = 0.{n}5 |\n| A = 0.{n}1 | A = 0.{n}6 |"
             for n in range(1, 6)]
    assert remove_repeated_edge_lines(pages) == pages


def test_a_page_the_furniture_edits_would_empty_keeps_its_text():
    # PDFBox's rot0 ... rot270 merged into one document (its merge tests do so): every page says only "Page
    # rotation: N", which repeats (digits ignored) at the top and bottom of every page; the document came out empty
    config = stage_settings("filter").pick(PostprocessConfig)
    pages = [f"Page rotation: {turn}" for turn in (0, 90, 180, 270)]
    assert postprocess_pages(pages, set(), config) == pages
    # beside a body the same line is still a running head, and a page of its number alone still loses it
    pages = [f"{HEADER}\n{body}\nPage {i + 1} of 5" for i, body in enumerate(BODIES[:4])] + [f"{HEADER}\nPage 5 of 5"]
    assert [p.strip() for p in postprocess_pages(pages, set(), config)] == BODIES[:4] + [HEADER]
    assert postprocess_pages(["12", f"{BODIES[0]}\n13", f"{BODIES[1]}\n14"], set(), config)[0] == ""


# --- running heads and feet behave as furniture: at the page's edge, figures that agree, a body beside them ---
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def corpus_pages(name: str) -> list[str]:
    """A corpus PDF's pages as the text path extracts them (before this stage's post-processing)."""
    from stages.extract_docling.pymupdf_text import extract_pdf

    path = CORPUS / "text" / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (the development corpus lives in ../shared/corpus)")
    return [page.text for page in extract_pdf(path.read_bytes(), tables=True)]


def test_numbered_section_headings_are_body_text():
    # py-pdf's pdflatex-outline.pdf: sections "1 Foo", "2 Bar", ... each over the same filler paragraph; "2 Bar",
    # "5 Bar", "8 Bar" sat in the top lines of pages 2-4 and, digits ignored, repeated there as "# bar"
    pages = postprocess_pages(corpus_pages("sample-files__pdflatex-outline.pdf"), set(), CONFIG)
    assert [heading in pages[page].split("\n") for page, heading in ((1, "2 Bar"), (2, "5 Bar"), (3, "8 Bar"))] == [
        True] * 3


def test_a_test_pages_parameter_lines_are_body_text():
    # pdf.js calrgb.pdf: each page opens with its colour space's parameters, "WhitePoint [ 1.00000 ... ]",
    # "Gamma [ 1.8000 ... ]"; digits ignored they repeated at the top of all five pages and went
    pages = corpus_pages("pdfjs__calrgb.pdf")
    out = postprocess_pages(pages, set(), CONFIG)
    assert [p.count("WhitePoint") + p.count("Gamma [") for p in out] == [2] * len(pages)


def test_a_continued_tables_caption_is_no_running_head():
    # ICDAR 2013 us-018 (development part): one table per page, continued tables repeat their caption;
    # "Table 14.", "Table 14.", "Table 15.", ... open the pages and, digits ignored, counted as a running head
    pages = [f"Table {n}.\nActual and projected numbers for public high school graduates, by region and state\n"
             f"| Region and state | Actual |\n|---|---|\n| Alabama | {n}1,0{n}5 |"
             for n in (14, 14, 15, 16, 17, 18, 19)]
    assert remove_repeated_edge_lines(pages) == pages


def test_a_repeated_line_under_each_pages_own_title_is_body_text():
    # ICDAR 2013 us-017 (development part): "[In thousands]" under each table's two-line caption; it repeats in
    # the top three lines of every page, but under lines that do not repeat: it is no running head
    pages = [f"Table {n}. Actual and projected numbers for enrollment, by {topic}\nschools: Fall 1996 through "
             f"fall 2021\n[In thousands]\n| Year | Total |\n|---|---|\n| 1996 | 4{n},611 |"
             for n, topic in enumerate(("grade", "region", "state", "race", "control", "level"), start=1)]
    assert remove_repeated_edge_lines(pages) == pages


def test_a_line_on_pages_of_a_line_or_two_is_no_running_foot():
    # PDFBox's with_outline.pdf: pages of outline headings, four of them closing with "Content"; on two of those
    # pages it is one of one or two lines: only two pages have a line between a head and a foot
    pages = ["First level 1\nFirst level 2\nFist level 3\nSome content", "Some other content",
             "Second at level 1\nSecond level 2\nContent", "Third level 1\nThird level 2\nThird level 3\nContent",
             "Fourth level 1\nContent", "Content"]
    assert remove_repeated_edge_lines(pages) == pages


def test_a_working_paper_series_foot_still_goes_with_its_page_number():
    # ICDAR 2013 eu-026 (development part): "ECB Working Paper Series No 1299 Febuary 2011" over the page
    # number closes every page: the figures agree from page to page, it is the last line once "13" is gone
    pages = [f"{body}\nECB Working Paper Series No 1299 Febuary 2011\n{13 + i}" for i, body in enumerate(BODIES)]
    assert [p.strip() for p in postprocess_pages(pages, set(), CONFIG)] == BODIES


def test_a_running_head_with_the_page_number_in_it_goes_despite_one_misread_number():
    # an OCR'd report: "Annual Report 2023 — page N" follows the page index on every page but one, which OCR
    # read as "page 71": that page keeps it, the others lose theirs
    bodies = BODIES * 2
    pages = [f"Annual Report 2023 — page {i + 1}\n{body}" for i, body in enumerate(bodies)]
    pages[6] = f"Annual Report 2023 — page 71\n{bodies[6]}"  # misread: neither 2023 nor the page index
    out = remove_repeated_edge_lines(pages)
    assert [p.strip() for p in out[:6] + out[7:]] == bodies[:6] + bodies[7:]
    assert out[6] == pages[6]


def test_a_page_number_under_a_left_hand_head_still_goes():
    # ICDAR 2013 eu-021 (development part) as OCR would read it: "Presentation of Findings" and "Healthy Students
    # Healthy Lives" alternate over the page number on its nine pages; the right-hand head (five pages) and every
    # number go, the left-hand head (four pages, under half) stays, and the number under it still goes
    heads, bodies = ("Presentation of Findings", "Healthy Students Healthy Lives"), (BODIES * 2)[:9]
    pages = [f"{heads[i % 2]}\n{17 + i}\n{body}" for i, body in enumerate(bodies)]
    out = remove_repeated_edge_lines(pages)
    assert out == [body if i % 2 == 0 else f"{heads[1]}\n{body}" for i, body in enumerate(bodies)]


def test_a_tables_repeated_footnote_over_its_other_notes_is_body_text():
    # ICDAR 2013 us-024 (development part): each table's notes close its page, the first of them the same on
    # every page; under it come notes that differ, so it is not at the page's edge
    note = ("* First household member contacted by interviewer who is aged ≥18 years and is an owner or renter "
            "of the housing unit.")
    pages = [f"tABLE {n}. Selected characteristics of householders* in {kind} housing\n| Characteristic | 2007 |\n"
             f"|---|---|\n| Total | {n}0.5 |\nAbbreviations: CI = confidence interval; OR = odds ratio.\n{note}\n"
             f"† {kind.capitalize()} housing: as defined in table {n}." for n, kind in
             enumerate(("inadequate", "unhealthy", "crowded", "old", "rented"), start=1)]
    assert remove_repeated_edge_lines(pages) == pages


def test_a_grid_of_the_same_labels_on_every_page_is_body_text():
    # pdf.js calrgb.pdf as OCR (or a plain text layer) reads it: under each colour swatch its label, "A, B, C =
    # 0.00, 0.00, 0.55", the same grid on all five pages; the last lines of each page are three such labels
    labels = "\n".join(f"A, B, C = 0.00, 0.00, 0.{n:02d}" for n in (55, 35, 15, 0))
    pages = [f"WhitePoint [ {w} ]\nGamma [ {g} {g} {g} ]\n{labels}" for w, g in (
        ("1.00000 1.00000 1.00000", "1.00000"), ("0.9505 1.0000 1.0890", "1.8000"),
        ("1.00000 1.00000 1.00000", "1.00000"), ("1.00000 1.00000 1.00000", "5.00000"),
        ("1.00000 1.00000 1.00000", "1.00000"))]
    assert remove_repeated_edge_lines(pages) == pages


def test_a_scanned_spreads_running_head_counts_two_printed_pages_a_page():
    # a book scanned two printed pages to an image: the head over each scan carries the left page's number,
    # 12, 14, 16, ...; it follows the page index two to a page, as "2 Bar", "5 Bar", "8 Bar" (three) do not
    pages = [f"{12 + 2 * i} A History of the Harbour Valley\n{body}" for i, body in enumerate(BODIES)]
    assert remove_repeated_edge_lines(pages) == BODIES


def test_a_long_tables_header_read_one_cell_a_line_at_every_pages_top_is_body_text():
    # tabula's Publication_of_award_of_Bids_for_Transport_Sector__August_2016 (development part) as PyMuPDF's
    # plain text reads it (as OCR would): a table over five pages, its header's cells one to a line at the top of
    # every page; the first three ("Serial", "No.", "Contract Description") repeat in the top zone, and went as a
    # running head, but the lines under them repeat too, twice the zone deep: the page carries its table on
    header = ("Serial\nNo.\nContract Description\nContract No.\nMethod of\nProcurement\nContractor/Suppliers\n"
              "/Consultant\nAddress\nContract\nAmount\nContract\nCurrency\nDate\nsigned\nMm/dd/yr\nEstimated\n"
              "Contract\ncompletion\ndate\nMm/dd/yr\nRemarks")
    ends = [("14", "38,192.83\nGBP £\n17‐Dec‐15\n8‐Mar‐16\nCompleted"),  # pages 2-5: their first and last lines
            ("Research Equipment", "184,386.25\nGHS\n4‐Jun‐15\n21‐Sep‐16\nAssignment\nis ongoing"),
            ("33", "424,278.08\nGHS\n16‐Feb‐16\n16‐Sept‐16\nAssignment\nis ongoing"),
            ("grounds (Supervision", "2,761,306.04\nGHS\n5‐Feb‐16\n3‐Aug‐16\nProject\nongoing")]
    pages = [f"{header}\n{first}\nProcurement of Road\nSafety Manual for\nTeachers\nNCB\n{last}" for first, last in ends]
    assert remove_repeated_edge_lines(pages) == pages
    headed = [f"Transport Sector Project\nMinistry of Roads and Highways\n{page}" for page in pages]
    assert remove_repeated_edge_lines(headed) == headed  # the head runs into the table's: all of it is kept
