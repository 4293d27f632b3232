"""textkit.layout on hand-placed boxes: the geometry of real page types, with the exact expected text."""

from dataclasses import replace

from textkit.layout import (
    Box,
    _column_extents,
    block_paragraphs,
    document_gutters,
    find_tables,
    is_formula,
    is_page_number,
    join_hyphenated,
    join_lines,
    join_spaced_heading_words,
    markdown_table,
    merge_markers,
    merge_toc_rows,
    merge_words,
    page_text,
    reading_order,
    reading_turn,
    repeated_edge_keys,
    rows,
    side_by_side,
    split_furniture,
    turned,
    vocabulary,
    word_extents,
)

W, H = 612.0, 792.0  # US letter, points


def line(x0, y0, x1, text, size=10.0, **kw) -> Box:
    return Box(x0, y0, x1, y0 + 1.2 * size, text, size=size, **kw)


def column(x0, x1, y0, texts, pitch=12.0, size=10.0) -> list[Box]:
    return [line(x0, y0 + i * pitch, x1, t, size) for i, t in enumerate(texts)]


def texts(blocks):
    return [[b.text for b in block] for block in blocks]


def test_two_columns_under_a_title_are_read_column_by_column():
    title = line(150, 80, 460, "A Title Across Both Columns", size=16)
    left = column(72, 296, 130, ["L1", "L2", "L3"]) + column(72, 296, 190, ["L4", "L5"])
    right = column(316, 540, 130, ["R1", "R2", "R3"]) + column(316, 540, 190, ["R4", "R5"])
    # the gap between L3/L4 and R3/R4 is at the same height in both columns: still one column layout
    order = reading_order([*right, *left, title])
    assert texts(order) == [["A Title Across Both Columns"], ["L1", "L2", "L3", "L4", "L5"],
                            ["R1", "R2", "R3", "R4", "R5"]]


def test_a_full_width_strip_between_column_layouts_keeps_its_place():
    top = column(72, 296, 100, ["a1", "a2"]) + column(316, 540, 100, ["b1", "b2"])
    figure = line(72, 160, 540, "Figure 1: a caption that spans the page")
    bottom = column(72, 296, 200, ["c1", "c2"]) + column(316, 540, 200, ["d1", "d2"])
    assert texts(reading_order([*top, figure, *bottom])) == [
        ["a1", "a2"], ["b1", "b2"], ["Figure 1: a caption that spans the page"], ["c1", "c2"], ["d1", "d2"]]


def test_a_left_column_that_runs_on_below_the_right_one_is_read_to_its_end_first():
    left = column(72, 296, 100, ["l1", "l2", "l3"]) + column(72, 296, 150, ["l4", "l5"])
    right = column(316, 540, 100, ["r1", "r2"])
    assert texts(reading_order(left + right)) == [["l1", "l2", "l3", "l4", "l5"], ["r1", "r2"]]


def test_running_head_page_number_and_margin_stamp_are_furniture():
    header = [line(72, 40, 80, "2"), line(380, 40, 540, "CHAPTER 1. INTRODUCTION")]
    body = column(72, 540, 80, ["Body text starts here and runs across the line.", "More body text."])
    folio = line(300, 740, 312, "17")
    stamp = Box(20, 200, 32, 600, "Downloaded from https://example.org on 3 May 2021", size=9, rotation=90)
    kept, furniture = split_furniture(header + body + [folio, stamp], W, H)
    assert [b.text for b in kept] == [b.text for b in body]
    assert sorted(b.text for b in furniture) == sorted(["2", "CHAPTER 1. INTRODUCTION", "17", stamp.text])


def test_heading_at_the_top_footnote_and_text_near_the_bottom_stay():
    heading = line(72, 50, 300, "2 Related Work", size=14, bold=True)
    body = column(72, 540, 80, [f"body line {i} of a page that is full of text" for i in range(54)])
    # the last body lines reach y = 80 + 53 * 12 = 716: inside the bottom band, but in the body's rhythm
    footnote = line(72, 745, 500, "1 See the appendix for the proof of this claim.", size=8)
    kept, furniture = split_furniture([heading, *body, footnote], W, H)
    assert furniture == []
    assert len(kept) == 56


def test_a_figure_inside_a_formula_at_the_top_is_no_folio():
    """DocBank's fusion page (arXiv 1402.5330, page 2): under the folio "2", the right column's first lines and
    the left column's display (1), whose "1" over a fraction stands alone as a box mid-row, were dropped as a
    running head with its page number. A folio stands at its row's end, or well apart from both neighbours."""
    folio = line(557, 29, 562, "2", 9)
    right = [Box(317, y, 562, y + 9, text, size=9) for y, text in (
        (55, "collision, followed by formation of a composite system. In"),
        (67, "general, the composite system undergoes fusion only in a"),
        (78, "fraction f of the capture events. For light and medium"))]
    formula = [Box(x0, y0, x1, y1, text, size=9) for x0, y0, x1, y1, text in (
        (90, 80, 139, 89, "D(B)dB ="), (156, 73, 161, 82, "1"), (177, 80, 192, 89, "exp"),
        (201, 72, 256, 89, "−(B −B0)2"), (286, 80, 299, 89, "(1)"))]
    body = column(54, 299, 112, [f"left column line {n} under the display" for n in range(20)], 11.5, 9)
    kept, furniture = split_furniture([folio, *right, *formula, *body], W, H)
    assert [b.text for b in furniture] == ["2"]
    head = [line(72, 40, 300, "CHAPTER 1. INTRODUCTION", 9), line(528, 40, 540, "12", 9)]
    assert [b.text for b in split_furniture([*head, *body], W, H)[1]] == ["CHAPTER 1. INTRODUCTION", "12"]
    # a folio centred between a foot's parts, well apart from both (pdfx's manual, a page of the own suite)
    foot = [line(18, 770, 161, "JWRA 34, Jagathy, Trivandrum 695014, India", 8), line(304, 770, 312, "44", 8),
            line(359, 770, 388, "Contacts:", 8)]
    assert [b.text for b in split_furniture([*body, *foot], W, H)[1]] == [b.text for b in foot]


def test_text_at_the_very_edge_is_a_running_head_only_in_the_edge_s_first_group():
    """DocBank's quatmc3 page (arXiv 1612.05617, page 4): under the folio "4", the right column's first two
    lines, beside a plot's tick label "10", were dropped as a running head with its number: they stand within
    the top 7% of the page, which let a group through without being set apart. That holds for the edge's first
    group only (under a folio dropped already, the text may begin there)."""
    folio = line(557, 29, 562, "4", 9)
    top = [Box(327, 55, 562, 64, "To overcome this problem we follow the iterative", size=9),
           Box(71, 60, 80, 71, "10", size=9),
           Box(317, 67, 562, 75, "method employed in Refs. 45-48 which is based on the", size=9)]
    right = column(317, 562, 78, [f"right column line {n} of the text" for n in range(50)], 11.5, 9)
    kept, furniture = split_furniture([folio, *top, *right], W, H)
    assert [b.text for b in furniture] == ["4"]


def test_a_numbered_heading_opening_a_page_is_no_running_head():
    """DocBank's ODT_Soubies page (arXiv 1708.00745, page 8, LNCS): "4" and "Algorithm analysis", two boxes
    set bold at 14 points over a 10-point body, open the page; the number was taken for a folio and the
    heading dropped as a running head. A running head with its folio, set plain, still goes."""
    heading = [line(119, 90, 127, "4", 14.3, bold=True), line(143, 90, 276, "Algorithm analysis", 14.3, bold=True)]
    body = column(119, 493, 140, [f"body line {n} of the section on the memory requirement" for n in range(40)])
    assert split_furniture([*heading, *body], W, H)[1] == []
    head = [line(42, 78, 54, "12", 12), line(71, 78, 250, "Kobzar, Niemiec, Pohl & Bohdan", 12, italic=True)]
    assert [b.text for b in split_furniture([*head, *body], W, H)[1]] == ["12", "Kobzar, Niemiec, Pohl & Bohdan"]


def test_publisher_lines_and_page_x_of_y_are_furniture():
    top = line(72, 30, 540, "Journal of Examples, Vol. 12, No. 3, pp. 101-120, 2021. doi:10.1000/xyz123", size=8)
    body = column(72, 540, 90, ["Some text of the article.", "And more of it."])
    bottom = line(250, 750, 360, "Page 3 of 9", size=9)
    kept, furniture = split_furniture([top, *body, bottom], W, H)
    assert [b.text for b in kept] == ["Some text of the article.", "And more of it."]
    assert [b.text for b in furniture] == [top.text, "Page 3 of 9"]


def test_reference_rows_running_on_to_the_foot_are_body_not_a_publisher_s_line():
    """DocBank's main page (arXiv 1706.01211, page 13; development part): both columns run on to the page's
    foot at the body's leading, the right column's last reference reads "Journal of Instrumentation, vol. 10,
    no. 01, p. C01022, 2015. [Online]." like a publisher's line, and the last three rows of both columns were
    dropped as one. A publisher's line has no running text of the body beside it: the same line set apart
    stays furniture, and so do an archive's lines in small type close under the body, a licence's icon beside
    them."""
    left = column(54, 299, 640, [f"left column text line {k} of the body" for k in range(9)], 11.9, 10)
    right = column(317, 562, 640, [f"[{k}] A. Author, “A title of a paper,” in a reference" for k in range(6)]
                   + ["Journal of Instrumentation, vol. 10, no. 01, p. C01022, 2015. [Online].",
                      "Available: https://doi.org/10.1088/1748-0221/10/01/C01022", "front-end stage"], 11.9, 10)
    assert split_furniture(left + right, W, H)[1] == []
    apart = line(72, 760, 540, "Journal of Examples, vol. 10, no. 01, 2015. doi:10.1000/xyz123", size=10)
    assert [b.text for b in split_furniture([*left[:6], apart], W, H)[1]] == [apart.text]
    body = column(49, 396, 680, [f"the body's text set in one column, line {k}" for k in range(6)], 11.0, 9)
    notice = [line(88, 754, 406, "This is the author's version of the work. It is posted at https://example.org", 7),
              line(49, 762, 78, "cba", 10), line(88, 764, 406, "for your personal use. Not for redistribution.", 7)]
    assert [b.text for b in split_furniture(body + notice, W, H)[1]] == [b.text for b in notice]


def test_a_formula_set_alone_near_the_foot_is_body_not_a_running_foot():
    """docling-odf's text_document_01 (development part; LibreOffice Writer's export, one A4 page): a display
    formula centred under the last paragraph, 30 points below it and at 0.93 of the page's height, short, with
    no full stop: the shape of a running foot, and it was dropped as one. A relation between terms is body; a
    web address's query ("?sl=ko&tl=en") states none, and a publisher's line keeps going."""
    A4_W, A4_H = 595.3, 841.9

    def body_line(y0, text):  # the page's own line boxes (10.5 pt)
        return Box(56.8, y0, 513.1, y0 + 11.7, text, size=10.5)

    body = [body_line(672.8 + 13.9 * i, f"Contrary to popular belief, Lorem Ipsum is not simply random text {i}")
            for i in range(5)]
    formula = Box(272.4, 770.2, 323.2, 782.1, "X2 + Y2 = Z", size=10.5)
    kept, furniture = split_furniture([*body, formula], A4_W, A4_H)
    assert furniture == [] and kept[-1].text == "X2 + Y2 = Z"
    address = replace(formula, x0=200.0, x1=400.0, text="https://translate.google.com/?sl=ko&tl=en")
    assert [b.text for b in split_furniture([*body, address], A4_W, A4_H)[1]] == [address.text]
    assert not is_formula('SCALE: 1"=100\'')  # pdf.js Brotli-Prototype-FileA's drawing sheets: a title block's line


def test_repeated_edge_rows_are_furniture_on_every_page():
    words = ["alpha", "beta", "gamma", "delta", "epsilon"]
    pages = [[line(72, 40, 300, f"The Running Title {n}"), *column(72, 540, 90, [f"the {words[n - 1]} page"])]
             for n in range(1, 6)]
    repeated = repeated_edge_keys(pages)
    assert "the running title #" in repeated
    kept, furniture = split_furniture(pages[0], W, H, repeated)
    assert [b.text for b in furniture] == ["The Running Title 1"]


def test_repeated_rows_that_run_on_into_the_text_under_them_stay():
    # pdf.js calrgb.pdf (../shared/corpus): each page opens with the same four lines of the colour space's
    # parameters, set line under line; the first three repeat at the top of every page, and were taken away
    opening = ["WhitePoint [ 0.95 1.00 1.09 ]", "BlackPoint [ 0.00 0.00 0.00 ]", "Gamma [ 1.80 1.80 1.80 ]",
               "Matrix [ 0.45 0.24 0.03 0.32 0.67 0.14 0.18 0.09 0.92 ]"]
    page = column(72, 400, 40, opening) + column(72, 540, 120, ["A, B, C = 0.00, 0.00, 0.00"])
    repeated = {"whitepoint # # # # # #", "blackpoint # # # # # #", "gamma # # # # # #"}
    kept, furniture = split_furniture(page, W, H, repeated)
    assert furniture == [] and len(kept) == len(page)
    apart = column(72, 400, 40, opening[:3]) + column(72, 540, 120, ["A, B, C = 0.00, 0.00, 0.00"])
    assert len(split_furniture(apart, W, H, repeated)[1]) == 3  # set apart from the text, they are furniture


def test_page_numbers():
    assert all(is_page_number(t) for t in ["12", "- 12 -", "xii", "Page 3", "3 of 9", "3/9", "[4]", "p. 7"])
    assert not any(is_page_number(t) for t in ["12 apples", "Chapter 3", "mix", "1999 was a year", ""])


def test_hyphenation_is_undone_but_real_hyphens_stay():
    assert join_hyphenated("the inter-", "national standard") == "the international standard"
    assert join_hyphenated("a well-", "known result") == "a well-known result"
    assert join_hyphenated("send an e-", "mail") == "send an e-mail"
    assert join_hyphenated("state-of-the-", "art methods") == "state-of-the-art methods"
    assert join_hyphenated("COVID-", "19 cases") == "COVID-19 cases"
    assert join_hyphenated("interpreter-", "to-trace calls") == "interpreter-to-trace calls"
    assert join_hyphenated("ends with a dash -", "next") is None
    assert join_hyphenated("no hyphen", "here") is None
    assert join_hyphenated("soft\u00ad", "ware") == "software"
    # the document's own spelling decides
    assert join_hyphenated("a data-", "base", vocabulary(["the data-base was"])) == "a data-base"
    assert join_hyphenated("a self-", "ish act", vocabulary(["selfish"])) == "a selfish act"
    assert join_hyphenated("VM Trace-", "Monkey.", vocabulary(["TraceMonkey supports"])) == "VM TraceMonkey."
    assert join_lines(["Words broken by hy-", "phenation are rejoined", "and lines joined."]) == (
        "Words broken by hyphenation are rejoined and lines joined.")


def test_a_compound_broken_at_a_line_end_keeps_its_hyphen():
    """Both halves are words the document uses on their own (not only as halves of broken words) and the
    whole is not: a compound; a syllable break's halves are no words, and a half the document closes up with
    its other words ("some" in "something") makes a closed compound."""
    lines = ["The student union led some of the", "specific case; one was heard. A case-", "specific rule, a student-",
             "led march.  Infor-", "mation was given to something; some-", "one else, many times, a thing."]
    words = vocabulary(lines)
    assert join_lines(lines[1:3], words).endswith("A case-specific rule, a student-")
    assert join_lines(lines[2:4], words).endswith("a student-led march.  Infor-")
    assert join_lines(lines[3:5], words).startswith("led march.  Information was")
    assert join_lines(lines[4:], words).endswith("to something; someone else, many times, a thing.")
    # the halves of the broken words themselves are no evidence
    assert join_hyphenated("a stu-", "dent", vocabulary(["a stu-", "dent"])) == "a student"
    # no evidence without the counts: a plain set of words
    assert join_hyphenated("a case-", "specific rule", {"case", "specific"}) == "a casespecific rule"


def test_a_number_broken_at_its_hyphen_is_joined_without_a_space():
    """A plain number before the hyphen and a digit after it: a range or a number, no space between."""
    assert join_hyphenated("Pub. L. No. 117-", "328, § 108") == "Pub. L. No. 117-328, § 108"
    assert join_hyphenated("(at 1498-", "99)") == "(at 1498-99)"
    assert join_hyphenated("ends with a number 12 -", "13") is None
    # a code's or a link's chain of numbers is left as it was (PDFBox writes "Section 38-3-" / "110")
    assert join_hyphenated("Section 38-3-", "110") is None
    assert join_hyphenated("doi:10.1037/0022-", "3514") is None


def test_paragraphs_headings_and_list_items():
    block = [
        line(72, 100, 250, "1 Introduction", size=14, bold=True),
        line(72, 125, 540, "This paragraph has two lines and the first one runs to the right"),
        line(72, 137, 300, "edge of the column."),
        line(87, 149, 540, "An indented line starts the second paragraph, which also goes on"),
        line(72, 161, 400, "to a second line."),
        line(72, 173, 300, "• first item"),
        line(72, 185, 300, "• second item"),
    ]
    paragraphs = block_paragraphs(block)
    assert [(p.kind, p.text) for p in paragraphs] == [
        ("heading", "1 Introduction"),
        ("text", "This paragraph has two lines and the first one runs to the right edge of the column."),
        ("text", "An indented line starts the second paragraph, which also goes on to a second line."),
        ("list", "• first item"),
        ("list", "• second item"),
    ]


def test_ocr_words_become_lines():
    words = [Box(10, 10, 40, 22, "Hello"), Box(45, 11, 90, 23, "world"), Box(300, 10, 340, 22, "right"),
             Box(10, 40, 50, 52, "Next")]
    assert [b.text for b in merge_words(words)] == ["Hello world", "right", "Next"]


def test_page_text_end_to_end():
    lines = [
        line(72, 40, 80, "4"), line(400, 40, 540, "A SHORT TITLE"),
        line(72, 90, 296, "Left column text that is long enough to"),
        line(72, 102, 296, "reach the gutter and then goes on in the"),
        line(72, 114, 200, "next column."),
        line(316, 90, 540, "Right column words come after the left"),
        line(316, 102, 540, "column, and a broken word like exam-"),
        line(316, 114, 400, "ple is whole."),
        line(300, 750, 312, "4"),
    ]
    result = page_text(lines, W, H)
    assert result.text == (
        "Left column text that is long enough to reach the gutter and then goes on in the next column.\n\n"
        "Right column words come after the left column, and a broken word like example is whole.")
    assert result.furniture_chars == len("4") + len("A SHORT TITLE") + len("4")


def test_aligned_short_cells_become_a_markdown_table_and_text_columns_do_not():
    header = [line(72, 100, 110, "Df"), line(150, 100, 200, "Sum Sq"), line(230, 100, 290, "Mean Sq")]
    body = [[line(72, 112 + 12 * i, 100, name), line(150, 112 + 12 * i, 190, s), line(230, 112 + 12 * i, 280, m)]
            for i, (name, s, m) in enumerate([("sex", "75.37", "75.37"), ("grade", "36.31", "36.31"),
                                              ("Residuals", "18682.87", "200.89")])]
    tables = find_tables(header + [b for row in body for b in row])
    assert [t.cells for t in tables] == [[["Df", "Sum Sq", "Mean Sq"], ["sex", "75.37", "75.37"],
                                          ["grade", "36.31", "36.31"], ["Residuals", "18682.87", "200.89"]]]
    assert tables[0].markdown().splitlines()[:3] == ["| Df | Sum Sq | Mean Sq |", "|---|---|---|",
                                                      "| sex | 75.37 | 75.37 |"]
    prose = column(72, 296, 100, ["a line of running text in the left column of a page"] * 6) + column(
        316, 540, 100, ["and the right column holds more running text of the page"] * 6)
    assert find_tables(prose) == []


def test_two_column_definition_lists_need_a_rule_to_be_a_table():
    rows_ = [[line(72, 100 + 12 * i, 120, k), line(200, 100 + 12 * i, 260, v)]
             for i, (k, v) in enumerate([("Type", "PDF viewer"), ("License", "Apache"), ("Size", "3.94 MB"),
                                         ("Written in", "JavaScript")])]
    boxes = [b for row in rows_ for b in row]
    assert find_tables(boxes) != []  # four short label/value rows: an infobox
    assert find_tables(boxes[:4]) == []  # two rows without a rule: a short list, left as text
    assert find_tables(boxes[:4], rules=[(70.0, 262.0, 98.0)]) != []


def test_page_text_puts_the_table_where_it_stands():
    lines = [line(72, 80, 400, "Table 1: Results of the two runs."),
             line(72, 100, 110, "run"), line(200, 100, 230, "time"), line(300, 100, 340, "pages"),
             line(72, 112, 80, "a"), line(200, 112, 220, "1.5"), line(300, 112, 320, "12"),
             line(72, 124, 80, "b"), line(200, 124, 220, "2.5"), line(300, 124, 320, "20"),
             line(72, 150, 400, "The second run was slower.")]
    text = page_text(lines, W, H, tables=True).text
    assert text == ("Table 1: Results of the two runs.\n\n| run | time | pages |\n|---|---|---|\n| a | 1.5 | 12 |\n"
                    "| b | 2.5 | 20 |\n\nThe second run was slower.")
    assert "|" not in page_text(lines, W, H, tables=False).text


def test_a_page_set_sideways_is_read_turned_upright():
    # a landscape table on portrait paper: its lines run upwards (90 degrees), each following line further
    # right; the page number at the foot is upright
    sideways = [Box(100 + 14 * i, 200, 112 + 14 * i, 600, f"row {i} cells", size=10, rotation=90) for i in range(5)]
    folio = line(300, 750, 310, "7")
    assert reading_turn([*sideways, folio]) == 90 and reading_turn([folio]) == 0
    boxes, rules, width, height = turned([*sideways, folio], W, H, 90, vertical=[(200, 600, 95)])
    assert (width, height) == (H, W) and all(b.horizontal for b in boxes[:5])
    assert [b.text for b in sorted(boxes[:5], key=lambda b: b.y0)] == [f"row {i} cells" for i in range(5)]
    assert rules == [(H - 600, H - 200, 95)] and boxes[5].rotation == 270
    assert page_text(boxes, width, height).text == "row 0 cells row 1 cells row 2 cells row 3 cells row 4 cells"


def test_double_spaced_running_text_is_one_paragraph_until_its_indent():
    # a court filing: 12 pt lines on a 26 pt pitch, each running to the right edge; a new paragraph indents
    first = ["By order dated May 1, 2007, the court dismissed this case in its",
             "entirety, with prejudice, upon the parties' settlement and its",
             "Stipulation Of Dismissal. However, the court stated that it would",
             "retain jurisdiction over the question."]
    lines = [line(72, 100 + 26 * i, 540 if i < 3 else 300, t, size=12) for i, t in enumerate(first)]
    lines.append(line(108, 204, 540, "Thereafter, on May 2, 2007, the court held a conference with", size=12))
    lines.append(line(72, 230, 540, "counsel for the parties to discuss the remaining question.", size=12))
    paragraphs = block_paragraphs(lines)
    assert [p.text.split()[0] for p in paragraphs] == ["By", "Thereafter,"]


def test_two_short_rows_across_three_columns_are_read_along_their_rows_and_text_columns_are_not():
    grid = [line(57, 100, 147, "Fraternity Members"), line(227, 100, 245, "480"), line(311, 100, 408, "Male"),
            line(57, 113, 139, "Sorority Members"), line(227, 113, 245, "484"), line(311, 113, 418, "Female")]
    assert [b.text for block in reading_order(grid) for b in block] == [
        "Fraternity Members", "480", "Male", "Sorority Members", "484", "Female"]
    prose = (column(72, 190, 100, ["The first column starts", "and runs on here."])
             + column(220, 340, 100, ["The second column too", "and runs on there."])
             + column(370, 490, 100, ["A third one as well", "ends the page."]))
    assert len(reading_order(prose)) == 3  # column by column


def test_a_heading_set_wider_than_its_figures_heads_their_column():
    """ICDAR 2013's us-017, page 4 (development part): "Elementary" / "ungraded" set wider than the figures
    under them, reaching back towards the "12" column; the gap left of the figures was cut twice, and the
    heading stood in a column of its own beside them."""

    def cell(x0, y0, x1, text):  # the page's own line boxes: 8.5 points high, clear of the rules
        return Box(x0, y0, x1, y0 + 8.5, text, size=9.0)

    rights = [141.4, 206.6, 271.7, 336.8, 402.0, 467.1, 521.0, 575.9]
    header = [cell(278.6, 75.5, 303.4, "Grade"), cell(477.6, 78.8, 521.0, "Elementary"),
              cell(532.5, 78.8, 575.9, "Secondary"), cell(42.5, 89.8, 60.0, "Year")]
    header += [cell(x1 - 5.0 * len(t), 89.8, x1, t) for x1, t in zip(rights[:6], ["7", "8", "9", "10", "11", "12"], strict=False)]
    header += [cell(483.8, 89.8, 521.0, "ungraded"), cell(537.4, 89.8, 575.9, "ungraded")]
    figures = [("1996", "3,464", "3,403", "3,801", "3,323", "2,930", "2,586", "399", "208"),
               ("1997", "3,520", "3,415", "3,819", "3,376", "2,972", "2,673", "440", "216"),
               ("1998", "3,530", "3,480", "3,856", "3,382", "3,021", "2,722", "449", "214"),
               ("1999", "3,541", "3,497", "3,935", "3,415", "3,034", "2,782", "415", "205"),
               ("2000", "3,629", "3,538", "3,963", "3,491", "3,083", "2,803", "334", "177")]
    body = [cell(42.5, 115.1 + 10.9 * i, 62.5, row[0]) for i, row in enumerate(figures)]
    body += [cell(x1 - 5.0 * len(t), 115.1 + 10.9 * i, x1, t)
             for i, row in enumerate(figures) for x1, t in zip(rights, row[1:], strict=False)]
    edges = [42.5, 115.0, 141.4, 206.6, 271.7, 336.8, 402.0, 467.1, 521.0, 575.9]
    rules = [(a, b, y) for y in (71.0, 100.0) for a, b in zip(edges, edges[1:], strict=False)]
    rules += [(a, b, 86.0) for a, b in zip(edges[1:7], edges[2:8], strict=False)]  # under "Grade"
    text = page_text(header + body, W, H, tables=True, rules=rules, remove_furniture=False).text
    # "Grade" heads the columns its rule lies over: it stands in the first of them (as a spanning cell's grid does);
    # the headings beside it, under no group rule, span the header's two rows and are read in the first (the
    # competition's own cells)
    assert text.splitlines()[:3] == ["| Year | Grade |  |  |  |  |  | Elementary ungraded | Secondary ungraded |",
                                     "|---" * 9 + "|", "|  | 7 | 8 | 9 | 10 | 11 | 12 |  |  |"]
    assert "| 1996 | 3,464 | 3,403 | 3,801 | 3,323 | 2,930 | 2,586 | 399 | 208 |" in text


def test_a_header_line_of_group_headings_is_a_row_of_its_own():
    """ICDAR 2013's us-025, page 3 (development part): over "no. Rate (95% CI)" twice stand "Hispanic" and
    "non-Hispanic", each set across a border of the columns it heads, and over them "Women"; the header of
    several lines over its rule was one row ("Hispanic (95% CI)", "Women no."), the groups lost."""

    def cell(x0, y0, x1, text):  # the page's own line boxes: 7.6 points high
        return Box(x0, y0, x1, y0 + 7.6, text, size=8.0)

    header = [cell(181.0, 98.2, 207.6, "Women"), cell(36.8, 107.5, 52.1, "Age"),
              cell(115.9, 111.4, 145.7, "Hispanic"), cell(232.2, 111.4, 278.9, "non-Hispanic"),
              cell(36.8, 116.5, 59.5, "group"), cell(36.8, 125.5, 51.8, "(yrs)")]
    units = [(77.5, 89.0, "no."), (106.1, 121.7, "Rate"), (147.2, 175.8, "(95% CI)"), (202.8, 214.3, "no."),
             (232.9, 248.4, "Rate"), (273.4, 302.0, "(95% CI)")]
    header += [cell(x0, 125.5, x1, t) for x0, x1, t in units]
    columns = [(36.7, 57.2), (80.1, 92.4), (107.9, 121.9), (143.2, 179.7), (202.5, 220.6), (237.8, 251.8),
               (269.4, 305.9)]
    figures = [("45-54", "345", "15.5", "(13.8-17.1)", "5,663", "28.7", "(27.9-29.4)"),
               ("55-64", "806", "60.9", "(56.7-65.1)", "12,273", "81.6", "(80.2-83.0)"),
               ("65-74", "1,512", "199.2", "(189.2-209.2)", "22,270", "234.7", "(231.6-237.8)"),
               ("75-84", "3,012", "666.6", "(642.8-690.4)", "54,839", "751.6", "(745.3-757.9)")]
    body = [cell(x0, 139.5 + 9.5 * i, x1, t) for i, row in enumerate(figures) for (x0, x1), t in zip(columns, row, strict=False)]
    rules = [(36.8, 306.0, 95.0), (36.8, 306.0, 136.0), (36.8, 306.0, 177.0)]
    text = page_text(header + body, W, H, tables=True, rules=rules, remove_furniture=False).text
    rows = [line for line in text.splitlines() if line.startswith("|") and not line.startswith("|---")]
    assert [r for r in rows if "Women" in r or "Hispanic" in r] == [
        "|  |  |  |  | Women |  |  |", "| Age group |  | Hispanic |  |  | non-Hispanic |  |"]
    assert "| 45-54 | 345 | 15.5 | (13.8-17.1) | 5,663 | 28.7 | (27.9-29.4) |" in rows


def test_rules_of_two_tables_side_by_side_a_hair_apart_in_height_stay_two():
    """tabula-java's AnimalSounds1.pdf: the header rules of its two tables side by side lie at 95.77 and 94.87;
    pieces of one rule meeting end to end are still one rule."""
    from textkit.layout import merged_rules

    assert merged_rules([(313.1, 555.3, 94.87), (56.7, 299.0, 95.77)]) == [(56.7, 299.0, 95.77),
                                                                           (313.1, 555.3, 94.87)]
    assert merged_rules([(100.0, 200.0, 50.2), (10.0, 99.0, 50.0)]) == [(10.0, 200.0, 50.0)]


def test_a_table_set_as_copies_side_by_side_is_one_table_a_copy():
    """A table set twice or three times across the width to fill the page (us-035a's "Age | Total population"
    three times over): each copy is a table of its own, read one after another; a header repeated over
    figures (its group heading lost) or a header that only looks alike stays one table."""
    rows = [["Age", "Total population", "Age", "Total population"],
            ["Under 1 year", "3,533,692", "40 years", "2,468,083"],
            ["1 years", "3,269,557", "41 years", "2,375,849"],
            ["2 years", "3,223,816", "", ""]]
    assert side_by_side(rows) == [[["Age", "Total population"], ["Under 1 year", "3,533,692"], ["1 years", "3,269,557"],
                                   ["2 years", "3,223,816"]],
                                  [["Age", "Total population"], ["40 years", "2,468,083"], ["41 years", "2,375,849"]]]
    assert side_by_side(rows[:2]) == [rows[:2]]  # one row a copy: too little to tell
    unnamed = [["t −µ", "", "t −µ", ""], ["min", "(less) and max", "x", "(greater)."], ["diag(Σ)", "", "diag(Σ)", ""]]
    assert side_by_side(unnamed) == [unnamed]  # a formula's pieces, a column unnamed
    figures = [["Men", "Women", "Men", "Women"], ["12.1", "13.0", "12.5", "13.9"], ["11.0", "9.5", "10.2", "9.1"]]
    assert side_by_side(figures) == [figures]
    assert side_by_side([["Age", "Total", "Age", "Rate"], ["a", "1", "b", "2"]]) == [[["Age", "Total", "Age", "Rate"],
                                                                                   ["a", "1", "b", "2"]]]
    assert side_by_side([["", "", "", ""], ["a", "1", "b", "2"]]) == [[["", "", "", ""], ["a", "1", "b", "2"]]]
    assert markdown_table([["a", "b"], ["1", "2"]]) == "| a | b |\n|---|---|\n| 1 | 2 |"


def test_a_dash_before_a_dash_or_a_figure_is_a_cell_not_a_list_marker():
    """us-019, page 3: "White 1.1 ... 7.4 — — — —", the dashes (no projection for those lead times) 24 points
    apart at 9 points: a dash stood as a list marker for the dash after it, two columns' cells became one
    ("— —"). A dash before words is still a bullet."""
    y0, y1 = 327.1, 336.1
    row = [Box(53.1, y0, 76.1, y1, "White", size=9.0), Box(430.2, y0, 442.7, y1, "7.4", size=9.0)]
    row += [Box(x, y0, x + 9.0, y1, "—", size=9.0) for x in (466.4, 499.2, 531.9, 564.7)]
    assert [b.text for b in merge_markers(row)] == ["White", "7.4", "—", "—", "—", "—"]
    figure = [Box(466.4, y0, 475.4, y1, "–", size=9.0), Box(495.7, y0, 508.2, y1, "7.1", size=9.0)]
    assert [b.text for b in merge_markers(figure)] == ["–", "7.1"]
    bullet = [Box(72.0, y0, 77.0, y1, "—", size=9.0), Box(84.0, y0, 300.0, y1, "Remains between 5.0% and 7.3%", size=9.0)]
    assert [b.text for b in merge_markers(bullet)] == ["— Remains between 5.0% and 7.3%"]


def test_a_marker_leads_the_text_on_its_own_line_in_a_row_that_chains_lines():
    """IRS Publication 15 (2013), page 42's worksheet: lines 11 points apart with boxes 11.4 tall, beside a
    column set on other baselines; ``rows`` chained line 5's label, its wrapped second line and line 6 into
    one row, and "6." was joined to "Amount subject to withholding" (line 5's, over it) instead of "Tax to be
    withheld on $450.00 from", its own line's."""
    def at(x0, x1, y0, text):
        return Box(x0, y0, x1, y0 + 11.4, text, size=8.0)

    beside = [at(50, 250, y, "a line of the column beside") for y in (424.6, 430.0, 439.5, 445.0)]
    worksheet = [at(319.2, 323.7, 424.6, "5"), at(338.2, 445.6, 424.6, "Amount subject to withholding"),
                 at(338.2, 470.1, 434.6, "(subtract line 4 from line 1)"), at(536.8, 565.7, 424.6, "$450.00"),
                 at(319.2, 325.9, 445.6, "6."), at(338.2, 463.9, 445.6, "Tax to be withheld on $450.00 from")]
    assert len(rows(beside + worksheet)) < 4  # the lines chained
    texts = [b.text for b in merge_markers(beside + worksheet)]
    assert "6. Tax to be withheld on $450.00 from" in texts and "Amount subject to withholding" in texts


def test_an_equation_number_at_a_column_s_right_edge_leads_nothing_across_the_gutter():
    """DocBank's fragility page (arXiv 1608.03834, page 3): "(1)" ends a display in the left column, flush with
    its lines' right edge, 18 points from the right column's line on its row; taken for a list marker it joined
    that line and closed the gutter, and the page was read row by row across both columns. A marker before its
    item in the right column still leads it."""
    left = column(52, 297, 89, ["cay of electron wavefunctions for the closed shells. The",
                                "effective interatomic potential reads as"], pitch=11.5, size=9)
    equation = [line(91, 129, 197, "V (r) = Aexp−qTF(r−2a0)", 9), line(284.4, 138, 297, "(1)", 9)]
    right = column(315, 560, 89, ["perimental data. Conversely, the Ashcroft prefactor A is",
                                  "not a sensitive parameter, and its values are not crucial",
                                  "for the match with experiments.", "In Ref. [8], it was found that",
                                  "modulus and viscosity data of various alloys, values of"], pitch=12.25, size=9)
    right[-1] = replace(right[-1], y0=138, y1=138 + 10.8)
    merged = merge_markers(left + equation + right)
    assert "(1)" in [b.text for b in merged]
    assert [[b.text for b in block][:1] for block in reading_order(merged)][-1] == ["perimental data. Conversely, "
                                                                                  "the Ashcroft prefactor A is"]
    item = [line(315, 300, 330, "(1)", 9), line(336, 300, 560, "the first item of a list in the right column", 9)]
    assert "(1) the first item" in " ".join(b.text for b in merge_markers(left + item + right))
    # notes numbered down their markers' column (ICDAR 2013's us-009): the marker above is no text line
    notes = [line(72.0, 400, 84.5, "(2)", 9), line(90, 400, 540, "Various direct costs are excluded from the base", 9),
             line(72.3, 412, 84.5, "(3)", 9), line(90, 412, 540, "Would include IR&D, if applicable.", 9)]
    assert [b.text for b in merge_markers(notes)] == ["(2) Various direct costs are excluded from the base",
                                                      "(3) Would include IR&D, if applicable."]


def test_an_overfull_line_printed_over_the_next_column_stays_in_its_own():
    """DocBank's PapierFluctuations page (arXiv 1809.08252, page 1): "Two-dimensional Dirac materials
    (graphene, p+ip superconductor3...)" runs 36 points past its column's edge, over the right column's "mic
    terms" on its row; it closed the only gutter and the columns below the abstract were read row by row. A
    formula's pieces that overlap stay as they were (no gutter is looked for under them)."""
    left = column(54, 299, 281, [f"left column line {n} of the introduction's text" for n in range(8)], 11.5, 9)
    left[3] = replace(left[3], x1=353.0, text="Two-dimensional Dirac materials (graphene, p+ip superconductor3...)")
    right = column(317, 562, 281, [f"right column line {n} of the other text" for n in range(8)], 11.5, 9)
    order = [b.text for block in reading_order(left + right) for b in block]
    assert order == [b.text for b in left + right]
    pieces = [line(100, 300, 180, "∂2 u −V(u) + 4i", 9), line(170, 300, 230, "πb2∂τ", 9),
              line(100, 320, 160, "where V(u) is", 9)]
    assert [b.text for block in reading_order(pieces) for b in block] == [b.text for b in pieces]
    # a line drawn over the whole of another (pdf.js issue19971's broken Arabic lines) is no overfull line
    over = [line(72, 300, 538, "a line drawn over the whole of another one of its row", 9),
            line(251, 300, 472, "the other line of the row under it", 9),
            line(72, 320, 240, "a short line under the first", 9), line(251, 320, 472, "and one beside it", 9)]
    assert [b.text for block in reading_order(over) for b in block] == [b.text for b in over]
    # a line cut at a superscript into overlapping pieces (arXiv 2510.14285 p24, one column) opens no gutter
    pieces = [Box(65, 613, 181, 626, "To obtain Di,2 = oP (∆5/4", size=10),
              Box(169, 615, 547, 626, "n ) for 1 < Y < 2, it suffices to bound the terms", size=10),
              Box(65, 627, 424, 641, "Following the same argument leading to [3], to obtain Vi,1 = oP (∆5/4", size=10),
              Box(412, 630, 547, 640, "n ), we require, for arbitrarily", size=10),
              Box(65, 642, 150, 653, "small s′, s′′ > 0,", size=10)]
    assert [b.text for block in reading_order(pieces) for b in block] == [b.text for b in pieces]


def test_display_pieces_beside_the_other_column_are_no_table_across_the_gutter():
    """DocBank's noa page (arXiv 1704.08939, page 13): under a full-width equation, the right column holds
    mostly displays; the strip's only gutter is no wider than a table's column gap, so a table was looked for
    across it, and equation (50)'s pieces with the left column's lines beside them became one table. The
    page's justified columns above (lines starting and ending at the same places, side by side) make that
    gutter the columns' own in every strip."""
    top_left = column(54, 299, 55, [f"left column line {n} of running text set justified" for n in range(6)], 11.5, 9)
    top_right = column(317, 562, 55, [f"right column line {n} of running text set justified" for n in range(6)],
                       11.5, 9)
    wide = [line(63, 140, 525, "V = g ∫ dφ [sin θ + (1 + cos θ) cos φ] an equation across both columns", 9)]
    left = column(54, 299, 170, [f"left column text line {n} beside the displays" for n in range(6)], 11.5, 9)
    pieces = [line(x, 170 + 11.5 * n, x + w, text, 9) for n in range(4)
              for x, w, text in ((333, 12, "gv"), (370, 40, "dE ρ(E)"), (447, 60, "⟨sin2 θ⟩ = 1"))]
    blocks = reading_order(top_left + top_right + wide + left + pieces, tables=True)
    assert not any(b.kind == "table" and "left column" in b.text for block in blocks for b in block)
    order = " ".join(b.text for block in blocks for b in block)
    assert order.index("left column text line 5 beside the displays") < order.index("gv")


def test_a_page_of_displays_keeps_the_document_s_column_gutter():
    """arXiv 2510.14181, page 5 (revtex, two columns; the arxiv suite's development part): both columns hold
    mostly display equations, too few lines of text to show the page's columns (``text_column_gutters``), so
    the gutter was taken for a table's column gap and equations of both columns were read as one table, row by
    row across. The document's other pages, set in justified columns, give the gutter; a page of one column
    keeps its own order."""
    def two_columns(n):
        return (column(54, 299, 60, [f"left line {k} of page {n} set justified" for k in range(8)], 11.5, 9)
                + column(317, 562, 60, [f"right line {k} of page {n} set justified" for k in range(8)], 11.5, 9))
    gutters = document_gutters([two_columns(n) for n in range(3)] + [column(54, 562, 60, ["one column"] * 8)])
    assert len(gutters) == 1 and 298 <= gutters[0][0] < gutters[0][1] <= 318
    assert document_gutters([two_columns(0), two_columns(1)]) == []  # two pages are no document's layout
    left = column(54, 299, 100, [f"left column text line {k} before its display" for k in range(3)], 11.5, 9)
    left += [line(120, 150 + 11.5 * k, 200, f"a{k} = b{k} + c", 9) for k in range(3)]
    left += [line(281, 150 + 11.5 * k, 299, f"({k + 1})", 9) for k in range(3)]
    left += column(54, 299, 190, [f"left column text line {k} after its display" for k in range(2)], 11.5, 9)
    right = [line(x, 100 + 11.5 * k, x + w, f"{t}{k}", 9) for k in range(6)
             for x, w, t in ((330, 30, "dx"), (380, 60, "∂L ∂q"), (470, 50, "= p"))]
    right += column(317, 562, 180, [f"right column text line {k} after its displays" for k in range(3)], 11.5, 9)
    page = left + right
    order = " ".join(b.text for block in reading_order(page, tables=True, column_gutters=gutters) for b in block)
    assert order.index("(3)") < order.index("dx0") and order.index("a2 = b2 + c") < order.index("right column")
    across = " ".join(b.text for block in reading_order(page, tables=True) for b in block)
    assert across.index("dx0") < across.index("(3)")  # without the document's gutter: row by row across
    one = column(54, 562, 100, [f"a line of one column {k}" for k in range(6)], 11.5, 9)
    assert texts(reading_order(one, tables=True, column_gutters=gutters)) == texts(reading_order(one, tables=True))


def test_a_justified_heading_s_wide_word_spaces_are_no_gutter():
    """arXiv 2510.14033, page 1 (two columns; the arxiv suite's development part): the right column's section
    heading, 14.3 points bold, set justified over two lines and a third, each word its own box where the
    spaces are wide (13-17 points); the spaces after "Periodically" and "and" line up, and the heading was cut
    there into columns: "2 Periodically cesses and / correlated progenerated vector". Its words are one line
    on each row; two headings side by side across the page's gutter stay apart."""
    def words(y, pieces):
        return [Box(x0, y, x1, y + 12.8, t, size=14.35, bold=True) for x0, x1, t in pieces]
    heading = (words(305.5, [(311.0, 319.0, "2"), (335.2, 418.7, "Periodically"), (435.9, 506.7, "correlated"),
                             (523.8, 552.9, "pro-")])
               + words(323.5, [(335.2, 376.2, "cesses"), (389.0, 414.8, "and"), (427.6, 496.4, "generated"),
                               (509.2, 552.8, "vector")])
               + words(341.4, [(335.2, 480.3, "stationary sequences")]))
    left = column(56.7, 298.5, 300, [f"left column line {k} of the abstract set justified" for k in range(8)], 12, 10)
    right = column(311.0, 552.8, 370, [f"right column line {k} of the body set justified" for k in range(6)], 12, 10)
    page = left + heading + right
    joined = [b.text for b in join_spaced_heading_words(merge_markers(page)) if b.bold]
    assert joined == ["2 Periodically correlated pro-", "cesses and generated vector", "stationary sequences"]
    text = page_text(page, W, H).text
    assert text.index("2 Periodically correlated pro-") < text.index("cesses and generated vector") < text.index(
        "stationary sequences") < text.index("right column line 0")
    side = [Box(160, 200, 298.5, 212.8, "A Left Heading", size=14.35, bold=True),
            Box(311.0, 200, 420, 212.8, "A Right Heading", size=14.35, bold=True)]
    assert {"A Left Heading", "A Right Heading"} <= {b.text for b in join_spaced_heading_words(left + side + right)}


def test_a_contents_list_in_two_columns_is_merged_column_by_column():
    """arXiv 2510.14523, page 1 (revtex, the arxiv suite's development part): the contents list is set in the
    page's two columns, each entry's title and page number boxes of their own; each row of both halves was made
    one line across the gutter ("I. Introduction 2 a. A general monomial formula for TT pure terms 14") and the
    list was read row by row across. The gutter is the document's (the page's own entries are ragged)."""
    def entries(x0, x1, y0, titles, first):
        out = []
        for k, title in enumerate(titles):
            y = y0 + 12 * k
            out += [Box(x0, y, x0 + 6 * len(title), y + 9, title, size=9), Box(x1 - 6, y, x1, y + 9, str(first + k), size=9)]
        return out
    left = entries(54, 299, 300, [f"{k}. A section" + " of the first" * (k % 3) for k in range(1, 7)], 2)
    right = entries(317, 562, 300, [f"{k}. An appendix's section" + " in" * (k % 3) for k in range(1, 7)], 13)
    merged = merge_toc_rows(left + right, column_gutters=[(299, 317)])
    assert sorted(b.text for b in merged)[:2] == ["1. A section of the first 2", "1. An appendix's section in 13"]
    assert all(b.x1 <= 299 or b.x0 >= 317 for b in merged)
    assert len(merge_toc_rows(left + right)) == 6  # without the gutter: one line a row, across it


def test_a_contents_list_with_numbers_set_flush_left_keeps_each_entry_whole():
    """arXiv 2510.14523, page 1 (revtex, the arxiv suite's development part): the page numbers of the contents
    stand flush left in their box ("9" ends at 299, "11" at 304), so the two-digit ones missed the one right edge
    and came out after their titles as a paragraph of their own ("11", "11 11 12"); and an entry labelled with a
    capital ("B. Rank Identifiability Analysis 5") was joined to the line above it (a capital and a full stop is
    no list marker: initials); an entry wrapped under its hanging indent was parted at the indent."""
    entries = [(63, "III. A Cautionary Tale: The Tucker Model", "4"), (79, "A. Model Definition and Its Moments", "4"),
               (80, "B. Rank Identifiability Analysis", "5"), (54, "VII. Discussion", "9"),
               (63, "A. Theoretical Details and Proofs", "11"), (95, "a. A counting lemma for rank exponents", "11"),
               (82, "2. Theoretical analysis of the Tucker model", "12")]
    boxes = []
    for k, (x0, title, number) in enumerate(entries):
        y = 400 + 11.5 * k
        boxes += [line(x0, y, x0 + 5 * len(title), title, 9), line(294, y, 294 + 5 * len(number), number, 9)]
    # an entry wrapped under its hanging indent, its number on its second line
    boxes += [line(79, 377, 281, "A. The Log-Linear System of Prior Predictive", 9),
              line(94, 388.5, 177, "Moment Equations", 9), line(294, 388.5, 299, "4", 9)]
    text = page_text(boxes, W, H).text
    for _, title, number in entries:
        assert f"{title} {number}" in text.splitlines()
    assert not any(line_.strip() in {"11", "11 11 12"} for line_ in text.splitlines())
    assert "A. The Log-Linear System of Prior Predictive Moment Equations 4" in text.splitlines()


def test_a_booktabs_table_of_wrapped_text_cells_is_read_by_its_frame():
    """arXiv 2510.14523, page 3 (the arxiv suite's development part): Table I between a top, a header and a bottom
    rule, its last column wrapped sentences and formulas ("Symmetry induces M identities ... the reduced log-rank
    system is de-" / "generate"), two columns set a space apart on some lines ("Tensor Train (TT) Yes"). Its rows
    read as lines of text: two rows came out as a table, the rest as paragraphs (TEDS 0.24 against arXiv's HTML).
    Read by its frame, it is the paper's five rows of four columns. A formula's piece sticking out past the
    rules' end (by a line height and a bit) is still the table's."""
    size = 9.0
    caption = [line(56.3, 54.1, 559.8, "TABLE I: Summary of identifiability and closed-form estimators.", size)]
    header = [line(69.5, 91.7, 94.6, "Model", size), line(148.8, 91.7, 198.2, "Identifiable?", size),
              line(252.5, 91.7, 444.2, "Rank parameters Closed-form from observables", size)]
    body = [line(69.5, 107.0, 96.6, "Tucker", size), line(148.8, 107.0, 300.7, "No (from 2nd moments) (r1,...,rM)", size),
            line(325.5, 107.0, 546.6, "Symmetry induces M identities; the reduced log-rank system is de-", size),
            line(325.5, 117.4, 434.3, "generate (non-identifiable).", size),
            line(69.5, 127.8, 131.4, "PARAFAC/CP", size), line(148.8, 127.8, 165.0, "Yes", size),
            line(252.5, 127.8, 256.6, "r", size), line(325.5, 127.8, 383.4, "For any p and q:", size),
            line(69.5, 138.2, 165.0, "Tensor Train (TT) Yes", size), line(252.5, 138.2, 310.1, "(r1, ..., rM-1)", size),
            line(333.7, 148.6, 429.7, "rp = v{p,p+1} / v{p+1}", size), line(451.4, 148.6, 544.3, "Interior 1 < p < M-1", size),
            line(460.6, 159.0, 500.0, "p = M-1 and", size), line(530.4, 159.0, 557.2, "M > 3", size),
            line(69.5, 169.4, 165.0, "Tensor Ring (TR) Yes", size), line(252.5, 169.4, 300.7, "(r1, ..., rM)", size),
            line(325.5, 169.4, 546.6, "Define xi and solve; the circulant system is invertible.", size)]
    rules = [(69.0, 547.0, 87.0), (69.0, 547.0, 103.0), (69.0, 547.0, 182.0)]
    text = page_text(caption + header + body, W, H, tables=True, rules=rules).text
    table = [r for r in text.splitlines() if r.startswith("|") and not r.startswith("|---")]
    assert table[0] == "| Model | Identifiable? | Rank parameters | Closed-form from observables |"
    assert table[1] == ("| Tucker | No (from 2nd moments) | (r1,...,rM) | Symmetry induces M identities; the reduced "
                        "log-rank system is degenerate (non-identifiable). |")
    assert [r.split(" | ")[0] for r in table[1:]] == ["| Tucker", "| PARAFAC/CP", "| Tensor Train (TT)", "| Tensor Ring (TR)"]
    assert table[3].startswith("| Tensor Train (TT) | Yes | (r1, ..., rM-1) | rp = v{p,p+1} / v{p+1} Interior")
    assert "TABLE I" in text.split("| Model")[0]


def test_column_numbers_of_a_table_are_no_list_markers_of_each_other():
    """arXiv 2510.11973, page 36 (the arxiv suite's development part): a regression table's header "(1)  (2)
    (3)  (4)", 21 points apart at 7 points: "(1)" led "(2)" as a list item, and the two columns' numbers
    shared a cell. A marker before its item's words still leads them."""
    header = [Box(x, 206.4, x + 8.9, 212.6, f"({n})", size=7.0) for n, x in enumerate((260.8, 290.5, 320.2, 352.4), 1)]
    assert [b.text for b in merge_markers(header)] == ["(1)", "(2)", "(3)", "(4)"]
    item = [Box(72, 300, 80.9, 306.2, "(1)", size=7.0), Box(86, 300, 300, 306.2, "the first item", size=7.0)]
    assert [b.text for b in merge_markers(item)] == ["(1) the first item"]


def test_a_column_beside_a_table_between_full_width_text_is_read_as_a_band():
    """arXiv 2510.14969, page 11 (the arxiv suite's development part): a small table set beside the text
    (wraptable) under and over full-width lines, no white row between: the region has no gutter and no gap,
    and was read row by row, each text line joined with a table row. The rows that share a gutter with a
    line of text beside it are a band of their own, read by its columns."""
    above = [Box(54, 200 + 13.5 * n, 558, 211 + 13.5 * n, f"full-width line {n} above the table", size=10)
             for n in range(3)]
    beside = []
    for n in range(8):
        y = 241 + 13.5 * n
        beside += [Box(54, y, 316, y + 11, f"text line {n} beside the table", size=10),
                   Box(340, y, 409, y + 11, f"Model {n}", size=10), Box(483, y, 501, y + 11, f"{n}.28", size=10),
                   Box(527, y, 540, y + 11, f"{n}.6", size=10)]
    below = [Box(54, 350 + 13.5 * n, 558, 361 + 13.5 * n, f"full-width line {n} below", size=10) for n in range(2)]
    order = [b.text for block in reading_order(above + beside + below) for b in block]
    texts = [t for t in order if t.startswith("text line")]
    start = order.index(texts[0])
    assert order[start:start + 8] == [f"text line {n} beside the table" for n in range(8)]
    assert order[:3] == [b.text for b in above] and order[-2:] == [b.text for b in below]
    # a contents list's titles beside their page numbers (ltnews31, the own suite) stay rows
    toc = []
    for n in range(6):
        y = 241 + 13.5 * n
        toc += [Box(54, y, 316, y + 11, f"Extending the font series management, part {n}", size=10),
                Box(400, y, 410, y + 11, str(n + 2), size=10)]
    order = [b.text for block in reading_order(above + toc + below) for b in block]
    assert order[3:5] == ["Extending the font series management, part 0", "2"]
    # a code listing's ragged lines beside their comments (tracemonkey, ../shared/corpus) stay rows
    code = []
    for n in range(6):
        y = 241 + 13.5 * n
        code += [Box(54, y, 200 + 13 * n, y + 11, f"v{n} := ld state[{748 + 16 * n}] and more code", size=10),
                 Box(300, y, 420 + 9 * n, y + 11, f"// load value {n} from the trace record", size=10)]
    order = [b.text for block in reading_order(above + code + below) for b in block]
    assert order[3:5] == ["v0 := ld state[748] and more code", "// load value 0 from the trace record"]


# us-024, page 2, its first four columns and rows 1-19 (x0, y0, x1, y1, text, size, bold), as PyMuPDF reads them
_HOUSING = [
    (130.3, 114.5, 182.3, 122.1, "total occupied", 8.0, True), (131.9, 123.5, 179.1, 131.1, "housing units", 8.0, True),
    (193.8, 123.5, 205.4, 131.1, "no.", 8.0, True), (221.4, 123.5, 233.0, 131.1, "(%)", 8.0, True),
    (36.4, 123.5, 83.9, 131.1, "Characteristic", 8.0, True), (36.4, 137.4, 48.6, 145.1, "Sex", 8.0, True),
    (42.4, 149.4, 58.7, 156.9, "Male", 8.0, False), (144.8, 149.4, 167.0, 156.9, "61,206", 8.0, False),
    (191.6, 149.4, 209.7, 156.9, "2,862", 8.0, False), (220.0, 149.4, 234.4, 156.9, "(4.7)", 8.0, False),
    (42.4, 161.2, 66.5, 168.8, "Female", 8.0, False), (144.8, 161.2, 167.0, 168.8, "49,486", 8.0, False),
    (191.6, 161.2, 209.7, 168.8, "2,909", 8.0, False), (220.0, 161.2, 234.4, 168.8, "(5.9)", 8.0, False),
    (36.4, 173.0, 86.1, 180.6, "Race/Ethnicity", 8.0, True),
    (42.4, 184.9, 109.7, 192.5, "White, non-Hispanic", 8.0, False), (144.8, 184.9, 167.0, 192.5, "78,744", 8.0, False),
    (191.6, 184.9, 209.7, 192.5, "3,174", 8.0, False), (220.0, 184.9, 234.4, 192.5, "(4.0)", 8.0, False),
    (42.4, 196.8, 71.1, 204.3, "Hispanic", 8.0, False), (144.8, 196.8, 167.0, 204.3, "12,609", 8.0, False),
    (197.3, 196.8, 209.7, 204.3, "966", 8.0, False), (220.0, 196.8, 234.4, 204.3, "(7.7)", 8.0, False),
    (42.4, 232.3, 123.2, 239.9, "American Indian/Alaska", 8.0, False), (154.7, 232.3, 167.0, 239.9, "707", 8.0, False),
    (201.5, 232.3, 209.7, 239.9, "51", 8.0, False), (220.0, 232.3, 234.4, 239.9, "(7.2)", 8.0, False),
    (44.4, 241.3, 65.8, 248.9, "Native", 8.0, False),
    (36.4, 250.7, 110.3, 258.3, "Sex, by race/ethnicity", 8.0, True), (42.4, 262.6, 58.7, 270.2, "Male", 8.0, False),
    (50.3, 274.5, 117.5, 282.0, "White, non-Hispanic", 8.0, False), (144.8, 274.5, 167.0, 282.0, "45,116", 8.0, False),
    (191.6, 274.5, 209.7, 282.0, "1,638", 8.0, False), (220.0, 274.5, 234.4, 282.0, "(3.6)", 8.0, False),
]


def test_a_row_label_wrapped_under_its_row_is_part_of_it():
    """us-024, page 2: "American Indian/Alaska" over "Native", 9 points apart where the rows are 11.9 apart and
    indented 2 points: one label of one row (before: "Native" a row of its own). The bold heading right under
    it ("Sex, by race/ethnicity", further left) and the row label "Male" under that heading stay rows."""
    boxes = [Box(x0, y0, x1, y1, text, size=size, bold=bold) for x0, y0, x1, y1, text, size, bold in _HOUSING]
    [table] = find_tables(boxes, [(36.4, 240.2, 85.8), (36.4, 240.2, 133.8)])  # its rules over and under the header
    labels = [row[0] for row in table.cells]
    assert ["American Indian/Alaska Native", "707", "51", "(7.2)"] in table.cells
    assert labels[-4:] == ["American Indian/Alaska Native", "Sex, by race/ethnicity", "Male", "White, non-Hispanic"]


def test_lists_set_side_by_side_are_read_list_by_list():
    """docling-odf's odf_presentation_01, slide 3 (development part; LibreOffice Impress's export, turned
    upright): five lists set side by side, two of them under a lead-in line; their items stand on common
    baselines, and were written as one five-column table read across ("1. List item4 | • I1 | Some info:")."""

    def item(x0, y0, x1, text):  # the page's own line boxes, turned upright, bullets merged with their items
        return Box(x0, y0, x1, y0 + 24.0, text, size=20.0)

    columns = [(198, 302, ["1. List item4", "2. List item5", "3. List item6"]),
               (358, 395, ["• I1", "• I2", "• I3", "• I4"]),
               (451, 537, ["Some info:", "• Item A", "• Item B"]),
               (600, 706, ["Maybe a list?", "1. List1", "2. List2", "3. List3"]),
               (748, 789, ["• l1", "• l2", "• l3"])]
    boxes = [item(x0, 196.0 + 21.7 * i, x1, text) for x0, x1, texts_ in columns for i, text in enumerate(texts_)]
    assert find_tables(boxes) == []
    text = page_text(boxes, 842.0, 595.0, tables=True, remove_furniture=False).text
    assert "|" not in text
    assert text.split("\n")[:4] == ["1. List item4", "2. List item5", "3. List item6", "• I1"]
    assert text.index("• Item B") < text.index("Maybe a list?") < text.index("3. List3") < text.index("• l1")


def test_numbered_lists_set_side_by_side_count_as_lists():
    """The numbered lists of the slide above (its columns 1 and 4) are lists as its bulleted ones are: numbers
    going up by one, a lead-in line allowed; a table's one column of row numbers beside figures is not two."""
    from textkit.layout import _side_by_side_lists

    rows = [["1. List item4", "Maybe a list?"], ["2. List item5", "1. List1"], ["3. List item6", "2. List2"],
            ["", "3. List3"]]
    assert _side_by_side_lists(rows)
    assert not _side_by_side_lists([["1. Wheat", "120", "135"], ["2. Barley", "80", "95"], ["3. Oats", "40", "42"]])


def test_a_table_that_numbers_its_rows_stays_a_table():
    """One column of numbered items beside figures is a table's row numbers, not a list beside it."""
    rows_ = [("1. Wheat", "120", "135"), ("2. Barley", "80", "95"), ("3. Oats", "40", "42"), ("4. Rye", "12", "15")]
    boxes = [line(x0, 100 + 14 * i, x0 + 10 + 6 * len(t), t) for i, row in enumerate(rows_)
             for x0, t in zip((72, 250, 350), row, strict=True)]
    [table] = find_tables(boxes)
    assert table.cells[0] == ["1. Wheat", "120", "135"]


def test_a_heading_starting_right_of_its_left_neighbours_figures_heads_its_own_column():
    """docling-odf's odf_table_with_title_01 (development part; LibreOffice Calc's export): "Year" and
    "Freshwater Ducks" left-aligned in their cells, the years and counts right-aligned in theirs, so that
    "Freshwater Ducks" starts 2 points right of the years' right edge, left of the bound between the figure
    columns: both headings fell into the first column, one cell "Year Freshwater Ducks"."""

    def cell(x0, y0, x1, text):  # the page's own line boxes (10 pt Liberation Sans)
        return Box(x0, y0, x1, y0 + 11.2, text, size=10.0)

    boxes = [cell(121.7, 116.9, 143.4, "Year"), cell(185.7, 116.9, 271.8, "Freshwater Ducks")]
    for i, (year, count) in enumerate([("2019", "120"), ("2020", "135"), ("2021", "150"), ("2022", "170"),
                                       ("2023", "160"), ("2024", "180")]):
        boxes += [cell(161.4, 129.7 + 12.8 * i, 183.6, year), cell(257.0, 129.7 + 12.8 * i, 273.7, count)]
    [table] = find_tables(boxes)
    assert table.cells[:2] == [["Year", "Freshwater Ducks"], ["2019", "120"]]


def test_bulleted_lines_set_larger_than_the_body_are_list_items_not_headings():
    """docling-odf's text_document_01 (development part; LibreOffice Writer's export): a nested list in 12 pt
    under body text in 10.5 pt, its levels indented 18 points each. Taken for headings (larger than the body),
    each item was a paragraph apart, and on the page, whose XY cut parts the list into strips, the two items
    on both sides of a strip break were joined as one heading run on ("◦ bullet list 2.2 ▪ bullet list
    2.2.1")."""
    body = column(56.8, 532.5, 327.0, ["Contrary to popular belief, Lorem Ipsum is not simply random text. It has",
                                       "roots in a piece of classical Latin literature from 45 BC, making it over",
                                       "two thousand years old, and is written in 45 BC."], pitch=13.9, size=10.5)
    items = [(74.8, 440.0, "1. numbered list 1"), (74.8, 462.8, "2. numbered list 2"),
             (92.8, 485.7, "◦ bullet list 2.1"), (92.8, 508.5, "◦ bullet list 2.2"),
             (110.8, 531.4, "▪ bullet list 2.2.1"), (92.8, 554.2, "◦ bullet list 2.3")]
    lines = body + [Box(x0, y0, x0 + 90.0, y0 + 13.3, text, size=12.0) for x0, y0, text in items]
    text = page_text(lines, 595.0, 842.0, remove_furniture=False).text
    assert text.split("\n")[-4:] == ["◦ bullet list 2.1", "◦ bullet list 2.2", "▪ bullet list 2.2.1",
                                     "◦ bullet list 2.3"]


def test_headings_over_rules_over_groups_of_columns_stay_with_their_table():
    """ICDAR 2013's us-018, page 6 (development part): "Current expenditures" over a rule over four columns, and
    under it "Constant 2010-11 dollars" and "Current dollars", each over a rule over two; parted from the table at
    the gaps over and under them, they were read with the caption over it (a gap after "Table 18." runs down the
    caption and the headings) as text. They are rows of the table's header, each heading in the first column
    its rule covers."""

    def cell(x0, y0, x1, text):  # the page's own line boxes: 9 points high
        return Box(x0, y0, x1, y0 + 9.0, text, size=9.0)

    page = [cell(42.5, 38.3, 82.7, "Table 18."),
            cell(90.5, 38.3, 567.5, "Actual and projected numbers for current expenditures and current "
                 "expenditures per pupil in fall enrollment for"),
            cell(90.5, 49.1, 448.6, "public elementary and secondary education: School years 1996–97 through "
                 "2021–22"),
            cell(365.2, 63.0, 449.8, "Current expenditures"), cell(263.9, 77.3, 366.9, "Constant 2010–11 dollars"),
            cell(468.6, 77.3, 530.5, "Current dollars"), cell(153.7, 91.7, 214.9, "Fall enrollment"),
            cell(284.7, 91.7, 306.2, "Total"), cell(358.8, 91.7, 397.2, "Per pupil"), cell(466.2, 91.7, 487.7, "Total"),
            cell(540.2, 91.7, 578.5, "Per pupil"), cell(42.5, 101.7, 90.2, "School year"),
            cell(156.0, 101.7, 212.3, "(in thousands)"), cell(261.6, 101.7, 303.7, "(in billions)"),
            cell(329.0, 101.7, 394.7, "in fall enrollment"), cell(440.6, 101.7, 485.2, "(in billions)"),
            cell(510.3, 101.7, 576.0, "in fall enrollment"), cell(42.4, 116.5, 69.7, "Actual")]
    rights = [212.3, 303.7, 394.6, 485.2, 576.0]
    figures = [("1996–97", "45,611", "$375.9", "$8,242", "$270.2", "$5,923"),
               ("1997–98", "46,127", "390.2", "8,460", "285.5", "6,189"),
               ("1998–99", "46,539", "407.0", "8,745", "302.9", "6,508"),
               ("1999–2000", "46,857", "423.0", "9,028", "323.9", "6,912")]
    for i, row in enumerate(figures):
        y = 126.8 + 11.0 * i
        page += [cell(42.4, y, 42.4 + 5.0 * len(row[0]), row[0])]
        page += [cell(x1 - 5.0 * len(t), y, x1, t) for x1, t in zip(rights, row[1:], strict=True)]
    rules = [(42.5, 576.0, 59.6), (239.0, 576.0, 73.9), (239.0, 394.7, 88.2), (420.6, 576.0, 88.2),
             (42.5, 576.0, 112.5), (42.5, 576.0, 172.0)]
    text = page_text(page, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert ("\n\n| School year | Fall enrollment (in thousands) | Current expenditures |  |  |  |\n"
            "|---|---|---|---|---|---|\n|  |  | Constant 2010–11 dollars |  | Current dollars |  |\n"
            "|  |  | Total (in billions) | Per pupil in fall enrollment | Total (in billions) | "
            "Per pupil in fall enrollment |\n") in text
    assert "\n| 1996–97 | 45,611 | $375.9 | $8,242 | $270.2 | $5,923 |\n" in text


def test_headings_wider_than_their_figures_head_one_column_each():
    """ICDAR 2013's us-024, page 2 (development part): "total occupied" / "housing units" and "Unadjusted oR" are
    set wider than the figures under them, across the middles of the gaps beside those, and the header's lines
    stand at staggered heights beside the group headings "Inadequate housing units" (each over its rule, which
    lies under the lines beside it); each heading line was read as a row of its own, the group headings one
    column right of their rules. The header is read in rows parted at its group rules' heights (under "2007",
    under "Inadequate housing units"): a heading under no group rule spans the rows under it, read in the
    first ("Characteristic", "total occupied housing units" beside the second rule), as the competition's
    cells have it; a group heading stands in the first column its rule covers."""

    def cell(x0, y0, x1, text):  # the page's own line boxes: 7.6 points high
        return Box(x0, y0, x1, y0 + 7.6, text, size=8.0)

    header = [(228.4, 90.2, 245.5, "2007"), (448.9, 90.2, 466.1, "2009"),
              (222.2, 109.4, 310.7, "Inadequate housing units"), (441.2, 109.4, 529.7, "Inadequate housing units"),
              (130.3, 114.5, 182.3, "total occupied"), (350.7, 114.5, 402.7, "total occupied"),
              (36.4, 123.5, 83.9, "Characteristic"), (131.9, 123.5, 179.1, "housing units"),
              (193.8, 123.5, 205.4, "no."), (221.4, 123.5, 233.0, "(%)"), (242.1, 123.5, 294.2, "Unadjusted oR"),
              (307.7, 123.5, 336.3, "(95% CI)"), (352.3, 123.5, 399.4, "housing units"), (411.7, 123.5, 425.0, "no."),
              (441.8, 123.5, 453.3, "(%)"), (463.9, 123.5, 515.9, "Unadjusted oR"), (528.0, 123.5, 556.6, "(95% CI)")]
    columns = [(42.4, 58.7), (144.8, 167.0), (191.6, 209.7), (220.0, 234.4), (262.1, 274.8), (307.9, 336.1),
               (363.6, 385.8), (410.3, 428.4), (443.3, 457.7), (483.8, 496.5), (528.2, 556.5)]
    figures = [("Male", "61,206", "2,862", "(4.7)", "Ref.", "—", "60,721", "2,962", "(4.9)", "Ref.", "—"),
               ("Female", "49,486", "2,909", "(5.9)", "1.1", "(1.1–1.2)", "51,084", "2,795", "(5.5)", "1.1",
                "(1.1–1.2)"),
               ("White", "78,744", "3,174", "(4.0)", "Ref.", "—", "79,333", "3,018", "(3.8)", "Ref.", "—"),
               ("Hispanic", "12,609", "819", "(6.5)", "1.7", "(1.5–1.9)", "12,739", "786", "(6.2)", "1.6",
                "(1.4–1.9)")]
    lines = [cell(*h) for h in header]
    lines += [cell(x0, 149.4 + 11.9 * i, x1, t) for i, row in enumerate(figures)
              for (x0, x1), t in zip(columns, row, strict=True)]
    rules = [(36.4, 567.1, 85.8), (126.0, 345.7, 98.7), (350.1, 567.1, 98.7), (185.0, 347.9, 117.9),
             (403.8, 567.1, 117.9), (36.4, 567.1, 133.8), (36.4, 567.1, 196.0)]
    text = page_text(lines, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert text.splitlines()[:5] == [
        "| Characteristic | 2007 |  |  |  |  | 2009 |  |  |  |  |", "|---" * 11 + "|",
        "|  | total occupied housing units | Inadequate housing units |  |  |  | total occupied housing units | "
        "Inadequate housing units |  |  |  |",
        "|  |  | no. | (%) | Unadjusted oR | (95% CI) |  | no. | (%) | Unadjusted oR | (95% CI) |", "| Male | 61,206 | 2,862 | (4.7) | Ref. | — | 60,721 | 2,962 | (4.9) | Ref. | — |"]


def test_a_strip_of_group_headings_alone_moves_down_whole():
    """A strip holding only a group heading (parted from the caption over it and the table under it by gaps)
    moves into the table's strip; the strip it leaves empty stops the search (it raised a ValueError)."""
    from textkit.layout import _group_headings_down

    caption = line(36.0, 326.5, 366.5, "Table A-4. Example of constructing mean absolute percentage errors")
    heading = line(367.3, 341.1, 435.9, "Lead time (years)")
    table = [line(36.0, 355.4, 64.5, "Source"), line(247.9, 355.4, 252.9, "1"), line(353.2, 355.4, 358.2, "2")]
    parts = _group_headings_down([[caption], [heading], table], [(234.2, 569.0, 353.5)])
    assert parts == [[caption], [heading, *table]]


def test_a_row_whose_label_and_value_both_wrap_is_one_row():
    """ICDAR 2013's us-019, page 2 (development part): "Disposable income per capita in" / "constant dollars"
    (a hanging indent) beside "Annual percent changes range between -1.9% and 2.2%" / "with an annual growth
    rate of 1.4%": one row of two wrapped cells (before: two rows, the second a row of its own)."""

    def cell(x0, y0, x1, text):  # the page's own line boxes: 8.5 points high
        return Box(x0, y0, x1, y0 + 8.5, text, size=9.0)

    lines = [cell(40.0, 55.5, 71.8, "Variable"), cell(517.2, 55.5, 565.1, "Assumption"),
             cell(40.0, 70.6, 155.5, "Demographic assumptions"), cell(40.0, 81.4, 83.2, "Population"),
             cell(318.5, 81.4, 562.2, "Projections are consistent with the Census Bureau estimates"),
             cell(40.0, 92.7, 157.9, "18- to 24-year-old population"),
             cell(312.2, 92.7, 565.1, "Census Bureau projection: average annual growth rate of 0.1%"),
             cell(40.0, 148.0, 140.5, "Economic assumptions"),
             cell(336.2, 159.0, 565.1, "Annual percent changes range between -1.9% and 2.2%"),
             cell(40.0, 160.0, 174.2, "Disposable income per capita in"), cell(52.0, 170.0, 116.3, "constant dollars"),
             cell(424.2, 170.0, 565.1, "with an annual growth rate of 1.4%"), cell(40.0, 203.2, 89.8, "Inflation rate"),
             cell(382.7, 203.2, 565.1, "Inflation rate ranges between 1.0% and 2.0%"),
             cell(40.0, 225.2, 151.1, "Unemployment rate (men)"), cell(40.0, 236.3, 103.0, "Ages 18 and 19"),
             cell(417.4, 236.3, 565.1, "Remains between 17.7% and 26.8%")]
    rules = [(36.0, 569.1, 51.0), (36.0, 569.1, 66.1), (36.0, 569.1, 250.0)]
    text = page_text(lines, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert ("| Disposable income per capita in constant dollars | Annual percent changes range between -1.9% and "
            "2.2% with an annual growth rate of 1.4% |\n| Inflation rate |") in text


def test_a_heading_centred_over_the_value_columns_stands_in_the_first_of_them():
    """ICDAR 2013's us-019, page 4 (development part): "Mean absolute percentage error" centred over the four
    value columns between the rows: a heading spanning them, read in the first (a spanning cell's grid, as the
    competition's cells have it; before: in the column its first word stood in)."""

    def cell(x0, y0, x1, text):  # the page's own line boxes: 8.5 points high
        return Box(x0, y0, x1, y0 + 8.5, text, size=9.0)

    rights = [252.9, 358.2, 463.6, 569.0]
    lines = [cell(36.0, 355.4, 64.5, "Source")] + [cell(x1 - 5.0, 355.4, x1, str(j + 1)) for j, x1 in enumerate(rights)]
    figures = [("†", "0.7", "1.1", "1.4"), ("0.4", "0.7", "0.8", "1.1"), ("#", "0.1", "0.2", "†"),
               ("0.2", "0.4", "†", "†")]
    for i, row in enumerate(figures):
        y = 381.1 + 11.1 * i
        lines += [cell(36.0, y, 206.2, f"Projections of Education Statistics to {2017 + i}")]
        lines += [cell(x1 - 5.0 * len(t), y, x1, t) for x1, t in zip(rights, row, strict=True)]
    lines += [cell(337.1, 436.4, 465.8, "Mean absolute percentage error"), cell(36.0, 447.5, 70.8, "Example")]
    lines += [cell(x1 - 12.5, 447.5, x1, t) for x1, t in zip(rights, ["0.2", "0.5", "0.7", "1.3"], strict=True)]
    rules = [(36.0, 569.0, 351.3), (36.0, 569.0, 365.6), (36.0, 569.0, 458.1)]
    text = page_text(lines, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert "\n|  | Mean absolute percentage error |  |  |  |\n| Example | 0.2 | 0.5 | 0.7 | 1.3 |" in text


def test_a_source_line_under_a_tables_rows_is_text_not_its_last_row():
    """pdf.js's chrome-text-selection-markedContent.pdf (../shared/corpus), an analyst's key-figures box: the
    line "Source: Inderes" stands under the label column at the rows' pitch; it is the table's note, read as
    text after it (before: a row of its own, "| Source: Inderes |  |  |  |  |")."""
    figures = [("P/B", "1.5", "1.5", "1.4", "1.3"), ("Dividend yield-%", "7.0 %", "6.8 %", "7.1 %", "7.2 %"),
               ("EV/EBITDA", "6.1", "5.7", "5.0", "4.7"), ("EV/S", "0.3", "0.3", "0.3", "0.3")]
    years = ("2024", "2025e", "2026e", "2027e")
    lines = [line(x, 284, x + 20, year, size=9.0) for x, year in zip((768, 811, 854, 897), years, strict=True)]
    for i, (label, *values) in enumerate(figures):
        y = 296 + 12 * i
        lines += [line(670, y, 670 + 4.5 * len(label), label, size=9.0)]
        lines += [line(x, y, x + 14, v, size=9.0) for x, v in zip((769, 812, 855, 898), values, strict=True)]
    lines.append(line(670, 344, 734, "Source: Inderes", size=9.0))
    text = page_text(lines, 960, 540, tables=True).text
    assert text.endswith("| EV/S | 0.3 | 0.3 | 0.3 | 0.3 |\n\nSource: Inderes")
    assert text.startswith("|  | 2024 | 2025e | 2026e | 2027e |\n|---|")


def test_a_section_heading_and_its_indented_subsection_heading_stay_rows_of_the_table():
    """pdf.js's issue14297.pdf (../shared/corpus), a statement of comprehensive income: under "Net profit",
    "Other comprehensive income (loss), net of tax" and, set in under it, "Items that will not be reclassified
    to net profit" head the rows below. They are rows of the one table (before: the table was cut in two there,
    its header and first row one table, the rest another, the headings text between them)."""
    boxes = [Box(373.3, 133.1, 388.5, 143.7, "2020", size=7.4), Box(436.3, 133.0, 451.5, 144.1, "2021", size=7.4),
             Box(119.9, 148.4, 154.4, 159.7, "Net profit", size=8.5),
             Box(371.9, 148.0, 404.4, 160.0, "233,512", size=9.0), Box(434.9, 147.9, 467.4, 160.4, "201,683", size=9.0),
             Box(119.9, 168.5, 293.7, 179.8, "Other comprehensive income (loss), net of tax", size=8.5),
             Box(128.4, 188.4, 295.6, 199.7, "Items that will not be reclassified to net profit", size=8.5),
             Box(136.9, 208.2, 338.6, 219.5, "Changes in fair value of financial assets measured at", size=8.5),
             Box(136.9, 218.7, 314.0, 230.0, "fair value through other comprehensive income", size=8.5),
             Box(373.9, 213.1, 407.4, 225.1, "(31,874)", size=9.0), Box(439.9, 213.0, 467.4, 225.6, "64,457", size=9.0),
             Box(136.9, 238.9, 294.2, 250.2, "Remeasurements of defined benefit plans", size=8.5),
             Box(373.9, 238.5, 407.4, 250.5, "(23,574)", size=9.0), Box(439.9, 238.4, 467.4, 250.9, "84,501", size=9.0),
             Box(136.9, 294.6, 324.9, 305.9, "Total items that will not be reclassified to net profit", size=8.5),
             Box(373.9, 294.3, 407.4, 306.2, "(56,976)", size=9.0),
             Box(434.9, 294.1, 467.4, 306.7, "151,117", size=9.0)]
    text = page_text(boxes, W, H, tables=True).text
    assert sum(row.startswith("|---") for row in text.splitlines()) == 1, text
    assert ("| Net profit | 233,512 | 201,683 |\n| Other comprehensive income (loss), net of tax |  |  |\n"
            "| Items that will not be reclassified to net profit |  |  |\n") in text


def test_a_currency_sign_set_apart_from_its_amount_goes_with_it():
    """pdf.js issue14297 (../shared/corpus; a statement of income): the yen sign flush left in each year's
    column, the amount flush right. The 2021 column's sign lies nearer the 2020 column's figures than its own
    and was read into the 2020 cell ("¥ 233,512 ¥ | 201,683")."""
    boxes = [Box(x0, y0, x1, y1, text, size=size, bold=bold) for x0, y0, x1, y1, text, size, bold in [
        (373.3, 133.1, 388.5, 143.7, "2020", 7.4, False), (436.3, 133.0, 451.5, 144.1, "2021", 7.4, True),
        (119.9, 148.4, 154.4, 159.7, "Net profit", 8.5, False), (355.6, 148.0, 360.6, 160.0, "¥", 9.0, False),
        (371.9, 148.0, 404.4, 160.0, "233,512", 9.0, False), (416.4, 147.9, 421.4, 160.4, "¥", 9.0, True),
        (434.9, 147.9, 467.4, 160.4, "201,683", 9.0, True),
        (136.9, 208.2, 338.6, 219.5, "Changes in fair value of financial assets measured at", 8.5, False),
        (373.9, 213.1, 407.4, 225.1, "(31,874)", 9.0, False), (439.9, 213.0, 467.4, 225.6, "64,457", 9.0, True),
        (136.9, 218.7, 314.0, 230.0, "fair value through other comprehensive income", 8.5, False),
        (136.9, 238.9, 294.2, 250.2, "Remeasurements of defined benefit plans", 8.5, False),
        (373.9, 238.5, 407.4, 250.5, "(23,574)", 9.0, False), (439.9, 238.4, 467.4, 250.9, "84,501", 9.0, True)]]
    [table] = find_tables(boxes)
    assert ["Net profit", "¥ 233,512", "¥ 201,683"] in table.cells
    assert table.cells[-1] == ["Remeasurements of defined benefit plans", "(23,574)", "84,501"]


def _regression_row(y, label, cells):
    xs = (263.5, 293.2, 322.9, 355.1, 389.8, 424.5)
    return [line(155.8, y, 155.8 + 4 * len(label), label, 7)] + [line(x, y, x + 3.5, c, 7) for x, c in zip(xs, cells, strict=False)]


def test_a_table_s_rows_ending_in_0_1_or_x_are_no_table_of_contents():
    """arXiv 2510.11973 page 36: "Mean of the Outcome 0 0 0 0 0 0", "School Fixed Effects X X X ..." end in a
    one-character cell at one right edge, which read as a page number ("X" a roman ten): each row became one
    line, the table's grid ended above them and the rest was written as text. A row with cells between its
    title and its number is a table's; a table of contents (leaders between) is still one line a row."""
    rows = [_regression_row(266.0, "Mean of the Outcome", "000000"), _regression_row(276.5, "SD of the Outcome",
                                                                                        "111111")]
    rows += [_regression_row(300 + 10.4 * i, label, "XXXXXX") for i, label in enumerate(
        ("School Fixed Effects", "Cohort Fixed Effects", "Cognitive Skills"))]
    boxes = [b for r in rows for b in r]
    assert sorted(b.text for b in merge_toc_rows(boxes)) == sorted(b.text for b in boxes)
    toc = [box for i, title in enumerate(("Introduction", "Data", "Results")) for box in (
        line(72, 100 + 14 * i, 72 + 6 * len(title), title), line(200, 100 + 14 * i, 400, ". . . . . . . ."),
        line(530, 100 + 14 * i, 540, str(3 + 4 * i)))]
    assert [b.text for b in merge_toc_rows(toc)] == ["Introduction 3", "Data 7", "Results 11"]


def test_a_heading_set_apart_under_a_table_is_no_row_of_it():
    """arXiv 2510.13369 page 14 (Table 2): three rows of two job categories 20 points apart, then, 41 points
    lower, "5.2 Wages and Employment" starting left of the table and the section's text under it: the heading
    was the table's last row. A line so far under the rows, with no row after it, is the text's."""
    rows = [("Highest Exposure", "Lowest Exposure"), ("Management", "Maintenance"), ("STEM", "Agriculture"),
            ("Sciences", "Construction")]
    boxes = [box for i, (a, b) in enumerate(rows) for box in (
        line(197.0, 354.1 + 19.9 * i, 197.0 + 5.5 * len(a), a, 10.9),
        line(305.8, 354.1 + 19.9 * i, 305.8 + 5.5 * len(b), b, 10.9))]
    boxes += [line(70.9, 466.9, 243.7, "5.2 Wages and Employment", 12.0, bold=True),
              line(70.9, 493.8, 524.2, "The relationship of exposure with wages is positive. Initially, higher", 10.9),
              line(70.9, 514.1, 524.3, "greater exposure, which is consistent with wage compression resulting", 10.9)]
    text = page_text(boxes, W, H, tables=True).text
    assert "| Sciences | Construction |\n\n5.2 Wages and Employment" in text





# arXiv 2510.14958 page 7, Table 1's top: its two-row header, "Closed-source (unified) LMMs" centred across,
# the ten rows of that group, "Open-source (unified) LMMs", three rows of that group (x0, y0, x1, text; 7.4 pt)
_LMM_TABLE = [
    (74.9, 81.3, 95.1, 'Model'),
    (151.6, 81.3, 164.4, 'Size'),
    (172.8, 81.3, 192.2, 'Think'),
    (223.0, 74.7, 246.9, 'Overall'),
    (277.7, 81.3, 303.3, 'Algebra'),
    (311.1, 77.7, 337.4, 'Analytic'),
    (314.2, 86.5, 335.0, 'Geom.'),
    (346.2, 77.7, 368.7, 'Calc &'),
    (346.8, 86.5, 367.5, 'Vector'),
    (381.5, 77.7, 399.2, 'Plane'),
    (380.6, 86.5, 401.4, 'Geom.'),
    (415.5, 77.7, 431.6, 'Solid'),
    (413.8, 86.5, 434.7, 'Geom.'),
    (444.3, 81.3, 461.8, 'Stats.'),
    (471.7, 77.7, 494.3, 'Transf.'),
    (472.7, 86.5, 493.5, 'Geom.'),
    (504.1, 81.3, 519.4, 'Trig.'),
    (200.6, 87.3, 231.1, 'Complete'),
    (239.3, 87.3, 269.3, 'Weighted'),
    (252.2, 99.1, 343.1, 'Closed-source (unified) LMMs'),
    (74.9, 111.7, 121.7, 'Gemini-2.5-Pro'),
    (156.8, 111.7, 159.2, '-'),
    (179.7, 111.5, 185.3, '✓'),
    (209.4, 111.7, 222.4, '47.9'),
    (247.8, 111.7, 260.8, '58.2'),
    (284.0, 111.7, 297.0, '68.0'),
    (317.5, 111.7, 330.4, '59.2'),
    (350.7, 111.7, 363.7, '60.2'),
    (383.9, 111.7, 396.9, '54.8'),
    (417.1, 111.7, 430.1, '48.7'),
    (446.5, 111.7, 459.5, '64.5'),
    (476.0, 111.7, 489.0, '58.5'),
    (505.3, 111.7, 518.2, '69.9'),
    (74.9, 120.6, 127.5, 'Gemini-2.5-Flash'),
    (156.8, 120.6, 159.2, '-'),
    (179.7, 120.4, 185.3, '✓'),
    (209.4, 120.6, 222.4, '39.3'),
    (247.8, 120.6, 260.8, '49.5'),
    (284.0, 120.6, 297.0, '63.2'),
    (317.5, 120.6, 330.4, '56.5'),
    (350.7, 120.6, 363.7, '54.6'),
    (383.9, 120.6, 396.9, '40.7'),
    (417.1, 120.6, 430.1, '40.7'),
    (446.5, 120.6, 459.5, '61.1'),
    (476.0, 120.6, 489.0, '46.8'),
    (505.3, 120.6, 518.2, '64.6'),
    (74.9, 129.4, 127.5, 'Gemini-2.0-Flash'),
    (156.8, 129.4, 159.2, '-'),
    (180.4, 129.2, 184.6, '✗'),
    (209.4, 129.4, 222.4, '21.2'),
    (247.8, 129.4, 260.8, '32.6'),
    (284.0, 129.4, 297.0, '39.1'),
    (317.5, 129.4, 330.4, '32.6'),
    (350.7, 129.4, 363.7, '38.9'),
    (383.9, 129.4, 396.9, '31.1'),
    (417.1, 129.4, 430.1, '25.6'),
    (446.5, 129.4, 459.5, '51.4'),
    (476.0, 129.4, 489.0, '28.1'),
    (505.3, 129.4, 518.2, '38.0'),
    (74.9, 138.3, 100.0, 'GPT-4.1'),
    (156.8, 138.3, 159.2, '-'),
    (180.4, 138.1, 184.6, '✗'),
    (209.4, 138.3, 222.4, '19.0'),
    (247.8, 138.3, 260.8, '30.0'),
    (284.0, 138.3, 297.0, '40.4'),
    (317.5, 138.3, 330.4, '30.7'),
    (350.7, 138.3, 363.7, '37.1'),
    (383.9, 138.3, 396.9, '24.1'),
    (417.1, 138.3, 430.1, '25.1'),
    (446.5, 138.3, 459.5, '54.0'),
    (476.0, 138.3, 489.0, '21.5'),
    (505.3, 138.3, 518.2, '42.5'),
    (74.9, 147.1, 116.1, 'GPT-4.1-mini'),
    (156.8, 147.1, 159.2, '-'),
    (180.4, 146.9, 184.6, '✗'),
    (209.4, 147.1, 222.4, '14.6'),
    (247.8, 147.1, 260.8, '26.3'),
    (284.0, 147.1, 297.0, '35.7'),
    (317.5, 147.1, 330.4, '30.5'),
    (350.7, 147.1, 363.7, '36.5'),
    (383.9, 147.1, 396.9, '22.0'),
    (417.1, 147.1, 430.1, '22.4'),
    (446.5, 147.1, 459.5, '24.8'),
    (476.0, 147.1, 489.0, '19.7'),
    (505.3, 147.1, 518.2, '30.3'),
    (74.9, 156.0, 98.2, 'GPT-4o'),
    (156.8, 156.0, 159.2, '-'),
    (180.4, 155.8, 184.6, '✗'),
    (211.2, 156.0, 220.5, '9.9'),
    (247.8, 156.0, 260.8, '19.4'),
    (284.0, 156.0, 297.0, '21.6'),
    (317.5, 156.0, 330.4, '17.7'),
    (350.7, 156.0, 363.7, '21.8'),
    (383.9, 156.0, 396.9, '19.5'),
    (417.1, 156.0, 430.1, '18.6'),
    (446.5, 156.0, 459.5, '17.4'),
    (476.0, 156.0, 489.0, '13.2'),
    (505.3, 156.0, 518.2, '23.0'),
    (74.9, 164.8, 94.5, 'GPT-5'),
    (156.8, 164.8, 159.2, '-'),
    (179.7, 164.6, 185.3, '✓'),
    (209.4, 164.8, 222.4, '43.5'),
    (247.8, 164.8, 260.8, '51.4'),
    (284.0, 164.8, 297.0, '68.7'),
    (317.5, 164.8, 330.4, '55.5'),
    (350.7, 164.8, 363.7, '64.2'),
    (383.9, 164.8, 396.9, '45.6'),
    (417.1, 164.8, 430.1, '36.1'),
    (446.5, 164.8, 459.5, '64.5'),
    (476.0, 164.8, 489.0, '42.7'),
    (505.2, 164.8, 518.2, '66.5'),
    (74.9, 173.7, 125.3, 'Claude-Sonnet-4'),
    (156.8, 173.7, 159.2, '-'),
    (179.7, 173.5, 185.3, '✓'),
    (209.4, 173.7, 222.4, '25.0'),
    (247.8, 173.7, 260.8, '37.8'),
    (284.0, 173.7, 297.0, '44.8'),
    (317.5, 173.7, 330.4, '38.9'),
    (350.7, 173.7, 363.7, '49.3'),
    (383.9, 173.7, 396.9, '33.8'),
    (417.1, 173.7, 430.1, '33.0'),
    (446.5, 173.7, 459.5, '46.9'),
    (476.0, 173.7, 489.0, '30.3'),
    (505.3, 173.7, 518.2, '47.6'),
    (74.9, 182.6, 130.8, 'Seed-1.6-Thinking'),
    (156.8, 182.6, 159.2, '-'),
    (179.7, 182.3, 185.3, '✓'),
    (209.4, 182.6, 222.4, '44.1'),
    (247.8, 182.6, 260.8, '55.2'),
    (284.0, 182.6, 297.0, '67.7'),
    (317.5, 182.6, 330.4, '57.5'),
    (350.7, 182.6, 363.7, '55.9'),
    (383.9, 182.6, 396.9, '52.2'),
    (417.1, 182.6, 430.1, '45.0'),
    (446.5, 182.6, 459.5, '65.1'),
    (476.0, 182.6, 489.0, '56.8'),
    (505.3, 182.6, 518.2, '60.7'),
    (74.9, 191.4, 124.0, 'Qwen3-VL-Plus'),
    (156.8, 191.4, 159.2, '-'),
    (179.7, 191.2, 185.3, '✓'),
    (209.4, 191.4, 222.4, '40.9'),
    (247.8, 191.4, 260.8, '51.5'),
    (284.0, 191.4, 297.0, '67.0'),
    (317.5, 191.4, 330.4, '54.6'),
    (350.7, 191.4, 363.7, '56.9'),
    (383.9, 191.4, 396.9, '45.9'),
    (417.1, 191.4, 430.1, '42.0'),
    (446.5, 191.4, 459.5, '66.7'),
    (476.0, 191.4, 489.0, '49.3'),
    (505.3, 191.4, 518.2, '58.9'),
    (74.9, 200.3, 115.8, 'Nano-Banana'),
    (156.8, 200.3, 159.2, '-'),
    (180.4, 200.0, 184.6, '✗'),
    (209.4, 200.3, 222.4, '33.2'),
    (247.8, 200.3, 260.8, '43.7'),
    (284.0, 200.3, 297.0, '55.4'),
    (317.5, 200.3, 330.4, '50.2'),
    (350.7, 200.3, 363.7, '51.8'),
    (383.9, 200.3, 396.9, '34.5'),
    (417.1, 200.3, 430.1, '36.6'),
    (446.5, 200.3, 459.5, '56.7'),
    (476.0, 200.3, 489.0, '39.4'),
    (505.3, 200.3, 518.2, '60.4'),
    (254.5, 213.1, 340.8, 'Open-source (unified) LMMs'),
    (74.9, 225.7, 127.9, 'Qwen-2.5-VL-7B'),
    (153.7, 225.7, 162.3, '7B'),
    (180.4, 225.5, 184.6, '✗'),
    (211.2, 225.7, 220.5, '8.9'),
    (247.8, 225.7, 260.8, '18.7'),
    (284.0, 225.7, 297.0, '19.5'),
    (317.5, 225.7, 330.4, '19.0'),
    (350.7, 225.7, 363.7, '19.2'),
    (383.9, 225.7, 396.9, '20.6'),
    (417.1, 225.7, 430.1, '18.7'),
    (446.5, 225.7, 459.5, '10.7'),
    (476.0, 225.7, 489.0, '13.9'),
    (505.3, 225.7, 518.2, '15.0'),
    (74.9, 234.6, 131.6, 'Qwen-2.5-VL-32B'),
    (151.8, 234.6, 164.2, '32B'),
    (180.4, 234.4, 184.6, '✗'),
    (209.4, 234.6, 222.4, '15.4'),
    (247.8, 234.6, 260.8, '27.6'),
    (284.0, 234.6, 297.0, '29.8'),
    (317.5, 234.6, 330.4, '27.4'),
    (350.7, 234.6, 363.7, '27.8'),
    (383.9, 234.6, 396.9, '27.4'),
    (417.1, 234.6, 430.1, '27.2'),
    (446.5, 234.6, 459.5, '27.9'),
    (476.0, 234.6, 489.0, '20.1'),
    (505.3, 234.6, 518.2, '30.5'),
    (74.9, 243.4, 131.6, 'Qwen-2.5-VL-72B'),
    (151.8, 243.4, 164.2, '72B'),
    (180.4, 243.2, 184.6, '✗'),
    (209.4, 243.4, 222.4, '21.1'),
    (247.8, 243.4, 260.8, '32.8'),
    (284.0, 243.4, 297.0, '30.6'),
    (317.5, 243.4, 330.4, '19.5'),
    (350.7, 243.4, 363.7, '36.4'),
    (383.9, 243.4, 396.9, '34.5'),
    (417.1, 243.4, 430.1, '33.5'),
    (446.5, 243.4, 459.5, '23.9'),
    (476.0, 243.4, 489.0, '33.6'),
    (505.3, 243.4, 518.2, '48.9'),
]


def test_a_group_heading_centred_across_a_table_between_its_runs_is_a_row_of_it():
    """The headings between the header and the groups of rows, centred across the table, cut it into tables:
    the header's spanning cells count fewer than the rows' cells, and the first group's ("-  ✓" one cell)
    fewer than the second's ("7B  ✗")."""
    boxes = [line(x0, y0, x1, text, 7.4) for x0, y0, x1, text in _LMM_TABLE]
    rules = [(70.9, 524.4, 71.2), (200.2, 269.9, 83.9), (70.9, 524.4, 95.4), (70.9, 524.4, 108.2),
             (70.9, 524.4, 209.5), (70.9, 524.4, 222.2)]
    text = page_text(boxes, W, H, tables=True, rules=rules).text
    assert sum(row.startswith("|---") for row in text.splitlines()) == 1, text
    assert "Closed-source (unified) LMMs |" in text and "Open-source (unified) LMMs |" in text
    assert "| Gemini-2.5-Pro |" in text and "| Qwen-2.5-VL-72B |" in text


def _results_row(y, label, label_x1, values, label_x0=89.6):
    """A row of arXiv 2510.14943's Table 1 (page 7): a method and its figures, right-aligned in four columns."""
    rights = (147.5, 181.4, 214.0, 247.9)
    return [line(label_x0, y, label_x1, label, 7.0)] + [
        line(right - (3.0 if v == "-" else 3.7 * len(v)), y, right - (6.3 if v == "-" else 0.0), v, 7.0)
        for right, v in zip(rights, values, strict=True)]


def test_a_rule_between_groups_of_body_rows_is_no_header_rule():
    """The rules drawn between a results table's groups of methods (each under a heading, a model's name): the
    first rule under the first group was taken for the header's, and the group's four rows of a label and
    figures were joined into one header row ("Base GRPO LaSeR - SWA | 3.7 49.8 53.1 52.9 | ..."). From arXiv
    2510.14943 page 7, its first four value columns."""
    boxes = [line(98.6, 157.8, 203.4, "OctoThinker-3B-Short-Base", 7.0),
             *_results_row(167.8, "Base", 107.0, ["3.7", "1.3", "-", "-"]),
             *_results_row(177.8, "GRPO", 113.5, ["49.8", "25.3", "-", "-"]),
             *_results_row(187.8, "LaSeR", 114.0, ["53.1", "27.0", "-", "-"]),
             *_results_row(197.7, "- SWA", 113.5, ["52.9", "26.1", "-", "-"], label_x0=96.3),
             line(98.6, 212.6, 165.5, "Qwen2.5-7B-Base", 7.0),
             *_results_row(222.7, "Base", 107.0, ["35.8", "20.6", "3.5", "1.6"]),
             *_results_row(232.6, "GRPO", 113.5, ["79.9", "55.9", "16.2", "13.8"]),
             *_results_row(242.6, "LaSeR", 114.0, ["80.2", "58.1", "15.4", "15.7"]),
             *_results_row(252.5, "- SWA", 113.5, ["78.0", "58.3", "15.4", "12.3"], label_x0=96.3)]
    rules = [(85.6, 250.0, 153.9), (85.6, 250.0, 208.8), (85.6, 250.0, 263.6)]
    text = page_text(boxes, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert "| Base | 3.7 | 1.3 | - | - |\n|---|---|---|---|---|\n| GRPO | 49.8 | 25.3 | - | - |\n" in text, text
    assert "| - SWA | 52.9 | 26.1 | - | - |\n| Qwen2.5-7B-Base |  |  |  |  |\n" in text


def test_a_group_heading_right_under_a_header_of_fewer_cells_is_the_table_s_first_row():
    """The heading of the body's first group, right under the header's rule: the header's cells stack ("MATH-"
    over "500", "Avg." set between its two lines), so its rows count fewer cells than the body's, and the table
    was cut in two at the heading, the header a table of its own. From arXiv 2510.14943 page 7."""
    header = [line(89.6, 130.5, 117.5, "Method", 7.0), line(125.5, 133.0, 153.9, "MATH-", 7.0),
              line(161.8, 133.0, 185.2, "AMC-", 7.0), line(193.2, 133.0, 219.1, "AIME-", 7.0),
              line(231.1, 137.8, 248.1, "Avg.", 7.0),
              line(132.9, 142.9, 146.4, "500", 7.0), line(169.1, 142.9, 178.0, "23", 7.0),
              line(201.7, 142.9, 210.6, "24", 7.0)]
    body = [line(98.6, 157.8, 203.4, "OctoThinker-3B-Short-Base", 7.0),
            *_results_row(167.8, "Base", 107.0, ["3.7", "1.3", "2.0", "2.3"]),
            *_results_row(177.8, "GRPO", 113.5, ["49.8", "25.3", "17.3", "30.8"]),
            *_results_row(187.8, "LaSeR", 114.0, ["53.1", "27.0", "18.2", "32.8"])]
    rules = [(85.6, 252.0, 114.1), (85.6, 252.0, 153.9), (85.6, 252.0, 195.0)]
    text = page_text(header + body, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert sum(row.startswith("|---") for row in text.splitlines()) == 1, text
    assert "| OctoThinker-3B-Short-Base |  |  |  |  |\n| Base | 3.7 | 1.3 | 2.0 | 2.3 |" in text, text


def test_strips_between_one_table_s_rules_are_one_table_though_their_union_has_no_gutter():
    """A booktabs table cut at a group rule: over it, the header's value headings set one space apart (one line
    over all value columns); under it, a row whose first two cells are one space apart (one line across the
    stub's gutter). Each strip has columns, their union none; both lie between the table's top and bottom
    rules (same two ends), so they are one table, not a table and a paragraph. From arXiv 2510.14979 page 8."""
    xs = [(180.8, 211.2), (222.0, 251.2), (300.3, 314.6), (328.3, 342.6)]

    def row(y, label, values, label_x1=160.0):
        return [line(111.3, y, label_x1, label, 8.2)] + [line(a, y, b, v, 8.2) for (a, b), v in zip(xs, values, strict=True)]

    boxes = [line(111.3, 129.3, 133.6, "Model", 8.2), line(186.2, 129.3, 342.6, "Input RoPE AI2D DocVQA", 8.2),
             *row(154.2, "Qwen2-VL", ["Any Res.", "M-RoPE", "74.7", "90.1"]),
             *row(164.6, "InternVL2.5", ["Tile-wise", "1D-RoPE", "74.9", "88.7"]),
             *row(175.0, "Encoder-Based", ["Tile-wise", "1D-RoPE", "77.4", "89.9"]),
             *row(199.7, "Mono-InternVL", ["Tile-wise.", "1D-RoPE", "68.6", "80.0"]),
             line(111.3, 210.1, 212.4, "Mono-InternVL-1.5   Tile-wise.", 8.2),
             *[line(a, 210.1, b, v, 8.2) for (a, b), v in zip(xs[1:], ["1D-RoPE", "67.4", "81.7"], strict=True)],
             *row(220.5, "HoVLE", ["Tile-wise.", "1D-RoPE", "73.0", "86.1"])]
    rules = [(110.1, 345.0, 125.0), (110.1, 345.0, 141.0), (110.1, 345.0, 192.0), (110.1, 345.0, 233.0)]
    text = page_text(boxes, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert sum(row_.startswith("|---") for row_ in text.splitlines()) == 1, text
    assert "| Encoder-Based | Tile-wise | 1D-RoPE | 77.4 | 89.9 |\n| Mono-InternVL | Tile-wise. |" in text, text


_ALGORITHMS = [  # arXiv 2510.14967 page 17, Table 5 (x0, y0, x1, text); its header's middle three headings one line
    (180.0, 140.7, 432.0, "Table 5: Comparison between various process reward methods."),
    (111.4, 162.0, 152.9, "Algorithm"), (180.9, 162.0, 399.1, "On-Policy Explicit Labeling-Free Monte Carlo–Free"),
    (414.6, 162.0, 491.6, "Introduces No Bias"),
    (111.4, 173.4, 174.1, "ReasoningRAG"), (195.2, 173.4, 207.4, "No"), (266.5, 173.4, 281.0, "Yes"),
    (356.4, 173.4, 368.5, "No"), (405.9, 173.4, 500.3, "Sample-size Dependent"),
    (111.4, 184.4, 156.2, "StepSearch"), (194.1, 184.4, 208.5, "Yes"), (267.7, 184.4, 279.8, "No"),
    (355.2, 184.4, 369.7, "Yes"), (447.0, 184.4, 459.2, "No"),
    (111.4, 195.3, 141.3, "GiGPO"), (194.1, 195.3, 208.5, "Yes"), (266.5, 195.3, 281.0, "Yes"),
    (356.4, 195.3, 368.5, "No"), (405.9, 195.3, 500.3, "Sample-size Dependent"),
    (111.4, 206.3, 134.6, "IGPO"), (194.1, 206.3, 208.5, "Yes"), (266.5, 206.3, 281.0, "Yes"),
    (355.2, 206.3, 369.7, "Yes"), (445.8, 206.3, 460.3, "Yes"),
]


def test_column_headings_that_the_pdf_set_as_one_line_are_parted_into_their_columns():
    """Three headings set so close that the PDF made them one line: the row, its cells long, was taken for a
    line of text and the table lost its header."""
    boxes = [line(x0, y0, x1, text, 7.4) for x0, y0, x1, text in _ALGORITHMS]
    rules = [(108.0, 503.7, 160.9), (108.0, 503.7, 172.3), (108.0, 503.7, 216.5)]
    text = page_text(boxes, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert ("| Algorithm | On-Policy | Explicit Labeling-Free | Monte Carlo–Free | Introduces No Bias |\n|---|"
            in text), text


def test_a_heading_over_a_group_of_columns_is_not_parted():
    """A heading over a group of columns, set in its words' own width (3.6 points a character at 7.4 points) and
    centred over them, spans fewer columns than three, or more columns than it has runs of words: it stays
    whole, over its group."""
    boxes = [line(x0, y0, x1, text, 7.4) for x0, y0, x1, text in _ALGORITHMS[4:]]
    boxes.append(line(111.4, 151.0, 152.9, "Algorithm", 7.4))
    boxes.append(line(247.0, 151.0, 352.0, "Labeling-free methods compared", 7.4))
    boxes.append(line(414.6, 151.0, 491.6, "Introduces No Bias", 7.4))
    boxes.append(line(208.0, 162.0, 363.0, "Comparison of the methods' three properties", 7.4))
    boxes.append(line(111.4, 162.0, 152.9, "Name", 7.4))
    rules = [(108.0, 503.7, 149.0), (108.0, 503.7, 172.3), (108.0, 503.7, 216.5)]
    text = page_text(boxes, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert "Labeling-free methods compared" in text and "Comparison of the methods' three properties" in text, text


def test_a_group_heading_over_a_header_whose_stub_heading_stands_lower_is_the_table_s():
    """arXiv 2510.14958 page 8 (Table 3): "Overall" over "Complete  Weighted", the stub's heading "Model" set
    lower, centred on the header's two lines. The heading was read as text over the table: the header's row
    has no stub cell, so its first cell ("Complete") was taken for a row label left of the heading, and the
    gap was measured to "Model" (touching the heading) rather than to the row under it."""
    boxes = [line(226.3, 212.8, 256.1, "Overall", 7.0), line(75.9, 221.0, 101.2, "Model", 7.0),
             line(198.3, 228.5, 236.4, "Complete", 7.0), line(246.6, 228.5, 284.1, "Weighted", 7.0),
             line(75.9, 243.0, 139.6, "BAGEL-Canvas", 7.0), line(209.3, 243.0, 225.5, "21.9", 7.0),
             line(257.2, 243.0, 273.4, "34.4", 7.0),
             line(85.2, 254.1, 166.2, "w/o MathCanvas-Edit", 7.0), line(209.3, 254.1, 225.5, "19.8", 7.0),
             line(257.2, 254.1, 273.4, "32.0", 7.0),
             line(94.5, 265.2, 187.8, "w/o MathCanvas-Imagen", 7.0), line(209.3, 265.2, 225.5, "18.2", 7.0),
             line(257.2, 265.2, 273.4, "30.8", 7.0)]
    rules = [(72.0, 288.0, 210.0), (190.0, 288.0, 227.0), (72.0, 288.0, 240.5), (72.0, 288.0, 276.0)]
    text = page_text(boxes, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert text.startswith("| Model | Overall |  |\n|---|---|---|\n|  | Complete | Weighted |\n"), text


def test_a_lettered_heading_set_apart_under_a_table_is_no_row_of_it():
    """arXiv 2510.14967 page 16 (Table 4): the appendix heading "D  MORE DISCUSSION ...", its letter a cell
    apart from its title, three row pitches under a centred table of settings: it was the table's last row,
    and its letter a column of its own."""
    settings = [("Training hyperparameters", "Value"), ("Training Batch Size", "32"), ("Mini-Batch Size", "32"),
                ("Infer Tensor Model Parallel Size", "1"), ("Sequence Parallel Size", "4"),
                ("KL-Divergence loss coefficient", "0.001")]
    boxes = []
    for k, (name, value) in enumerate(settings):
        y = 174.7 + 11.0 * k
        boxes += [line(287.5 - 2.3 * len(name), y, 287.5 + 2.3 * len(name), name, 7.4),
                  line(376.8 - 2.5 * len(value), y, 376.8 + 2.5 * len(value), value, 7.4)]
    boxes += [line(108.3, 263.0, 116.9, "D", 8.9), line(129.5, 263.0, 392.9, "MORE DISCUSSION AND EXPERIMENTAL ANALYSIS", 8.9)]
    rules = [(216.7, 395.3, 173.6), (216.7, 395.3, 185.0), (216.7, 395.3, 240.0)]
    text = page_text(boxes, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert text.startswith("| Training hyperparameters | Value |\n"), text
    assert text.endswith("| KL-Divergence loss coefficient | 0.001 |\n\nD MORE DISCUSSION AND EXPERIMENTAL ANALYSIS")


_BALANCE = [  # arXiv 2510.11973 page 46, Table A2 (y0, [(x0, x1, text)]): header, heading, rows, heading, rows
    (324.0, [(87.7, 150.9, 'Independent Variables'), (168.6, 212.7, 'Cognitive Skills'),
              (220.5, 258.2, 'Externalizing'), (266.0, 301.6, 'Internalizing'), (310.8, 332.4, 'Woman'),
              (341.6, 368.9, 'High SES'), (379.5, 398.2, 'Height'), (411.1, 431.1, 'Weight'),
              (441.1, 478.3, 'Birth Weight'), (488.4, 510.4, 'Siblings')]),
    (340.5, [
              (151.4, 449.0, 'Relationship between individual characteristics and the probability '
               'of participating in the Family Survey')]),
    (357.0, [(87.7, 160.8, 'Individual Characteristics'), (183.3, 198.0, '0.001'), (232.0, 246.7, '0.007'),
              (275.3, 292.2, '-0.003'), (314.2, 329.0, '0.010'), (346.8, 363.7, '-0.016'),
              (381.5, 396.2, '0.005'), (413.7, 428.5, '0.002'), (452.3, 467.1, '0.003'),
              (489.3, 509.4, '-0.010*')]),
    (366.7, [(180.8, 200.5, '(0.004)'), (229.4, 249.2, '(0.004)'), (273.9, 293.7, '(0.005)'),
              (311.7, 331.5, '(0.008)'), (345.3, 365.1, '(0.014)'), (379.0, 398.8, '(0.004)'),
              (411.2, 431.0, '(0.004)'), (449.8, 469.6, '(0.004)'), (489.4, 509.2, '(0.005)')]),
    (383.2, [
              (139.1, 461.3, 'Relationship between individual characteristics and the probability '
               'of participating in the 2001 Follow-Up Survey')]),
    (399.7, [(87.7, 160.8, 'Individual Characteristics'), (178.4, 202.9, '0.085***'),
              (227.1, 251.6, '0.060***'), (271.5, 296.0, '0.007***'), (309.4, 333.8, '0.087***'),
              (341.9, 368.5, '-0.069***'), (376.6, 401.1, '0.038***'), (408.9, 433.3, '0.025***'),
              (452.3, 467.1, '0.005'), (486.0, 512.6, '-0.019***')]),
]


def test_a_long_heading_centred_between_a_table_s_rows_is_a_row_of_it():
    """Headings of 106 and 113 characters centred across a regression table between its header and its rows
    ("Relationship between individual characteristics and the probability of participating in ..."): longer
    than the 100 characters a heading between rows was allowed, they cut the table into pieces and the header
    was written as text."""
    boxes = [line(x0, y0, x1, text, 6.5) for y0, row in _BALANCE for x0, x1, text in row]
    rules = [(83.8, 516.5, y) for y in (317.7, 334.2, 350.7, 377.0, 393.5, 419.7)]
    text = page_text(boxes, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert sum(row.startswith("|---") for row in text.splitlines()) == 1, text
    assert text.startswith("| Independent Variables | Cognitive Skills |")
    assert ("| Relationship between individual characteristics and the probability of participating in the 2001 "
            "Follow-Up Survey |" + "  |" * 9 + "\n| Individual Characteristics | 0.085*** |") in text


_RANK_EFFECT = [  # arXiv 2510.11973 page 38, Table 6 (y0, [(x0, x1, text)]): three header lines, two rows
    (220.0, [(217.7, 226.7, '(1)'), (271.1, 280.0, '(2)'), (319.6, 328.5, '(3)'), (359.9, 368.9, '(4)'),
              (391.7, 400.6, '(5)'), (421.3, 430.2, '(6)'), (451.0, 459.9, '(7)'), (480.8, 489.7, '(8)')]),
    (230.5, [(202.3, 242.1, 'Awareness of'), (265.6, 285.5, 'Happy'), (338.6, 372.9, 'Homework:'),
              (415.1, 496.0, 'Daily Time on Homework:')]),
    (240.9, [(99.3, 157.0, 'Outcome Variables'), (198.0, 246.3, 'Teacher’s Name'),
              (254.7, 296.4, 'with Progress'), (304.7, 343.3, 'Autonomous'), (351.7, 377.1, 'Checked'),
              (385.4, 406.8, 'Helped'), (418.4, 433.1, '< 30'), (448.1, 462.8, '< 45'),
              (477.9, 492.6, '< 60')]),
    (258.7, [(99.3, 147.7, 'Percentile Rank'), (212.5, 231.9, '0.197*'), (267.6, 283.5, '0.083'),
              (316.1, 332.0, '0.075'), (356.5, 372.3, '0.110'), (387.0, 405.2, '-0.158'),
              (417.9, 433.7, '0.022'), (446.4, 464.6, '-0.070'), (476.2, 494.4, '-0.043')]),
    (269.2, [(211.5, 232.9, '(0.117)'), (264.9, 286.2, '(0.104)'), (313.4, 334.7, '(0.111)'),
              (353.8, 375.1, '(0.136)'), (385.5, 406.8, '(0.126)'), (415.1, 436.5, '(0.090)'),
              (444.8, 466.1, '(0.131)'), (474.6, 495.9, '(0.116)')]),
]


def test_a_group_heading_over_its_columns_headings_is_not_parted():
    """"Daily Time on Homework:" over "< 30  < 45  < 60", each word over one of the three columns: it heads the
    group (a row of headings stands under it), and parted, the header's lines were joined into one row. Only
    the row right over the header's rule is parted."""
    boxes = [line(x0, y0, x1, text, 5.2) for y0, row in _RANK_EFFECT for x0, x1, text in row]
    rules = [(95.1, 500.2, 213.2), (95.1, 500.2, 251.9), (95.1, 500.2, 280.0)]
    text = page_text(boxes, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert "| Daily Time on Homework: |  |  |\n| Outcome Variables |" in text, text


def test_a_long_name_beside_a_short_one_between_table_rows_stays_a_table_row():
    """A two-column table of names under a rule (arXiv 2510.13369, Table 1): a row whose cells are long only on
    average ("Logistics Analysts" beside a 46-letter name) between rows of the table is one of its rows; a
    row of two long lines (text columns side by side) is not."""
    names = [("Highest Exposure", "Lowest Exposure"), ("Online Merchants", "Riggers"),
             ("Logistics Analysts", "Electrical Power-Line Installers and Repairers"),
             ("Graphic Designers", "Rock Splitters, Quarry"),
             ("Market Research Analyst", "Refractory Materials Repairers"),
             ("Pharmacy Technicians*", "Roustabouts, Oil and Gas")]
    boxes = [b for i, (a, c) in enumerate(names)
             for b in (line(123, 136 + 20 * i, 123 + 5 * len(a), a), line(255, 136 + 20 * i, 255 + 5 * len(c), c))]
    rules = [(117.0, 479.0, 150.0)]
    [table] = find_tables(boxes, rules=rules)
    assert table.cells == [list(pair) for pair in names]
    text = [("a line of running text in the left column", "and the right column holds running text too")] * 6
    prose = [b for i, (a, c) in enumerate(text)
             for b in (line(123, 136 + 20 * i, 123 + 5 * len(a), a), line(355, 136 + 20 * i, 355 + 5 * len(c), c))]
    assert find_tables(prose, rules=rules) == []


def test_a_figure_s_panel_captions_under_a_table_are_no_rows_of_it_and_read_in_letter_order():
    """A table of figures with a figure's panel captions set under it in the panels' columns (arXiv 2510.14967,
    Table 3 over Figure 3): the captions are text, read row by row ("(a)" to "(g)"), not the table's last
    rows."""
    xs = (72, 160, 220, 280, 340)
    header = [line(x, 100, x + 40, t) for x, t in zip(xs, ("Method", "NQ", "TQ", "Hotpot", "Avg."), strict=True)]
    body = [line(x, 112 + 12 * i, x + 30, t) for i, values in enumerate([("IGPO", "31.0", "55.6", "27.5", "32.3"),
                                                                         ("GRPO", "40.5", "69.4", "46.8", "47.6"),
                                                                         ("Ours", "46.7", "80.1", "57.2", "58.7")])
            for x, t in zip(xs, values, strict=True)]
    captions = [line(x, 200, x + 28, t) for x, t in zip((75, 160, 222, 342), ("(a) NQ", "(b) TQ", "(c) Hotpot",
                                                                             "(d) 2Wiki"), strict=True)]
    captions += [line(x, 212, x + 28, t) for x, t in zip((160, 282, 342), ("(e) Musique", "(f) Bamboogle",
                                                                         "(g) PopQA"), strict=True)]
    text = page_text(header + body + captions, W, H, tables=True, rules=[(70.0, 380.0, 110.0)],
                     remove_furniture=False).text
    assert "| Ours | 46.7 | 80.1 | 57.2 | 58.7 |\n\n(a) NQ (b) TQ (c) Hotpot (d) 2Wiki" in text
    assert text.endswith("(e) Musique (f) Bamboogle (g) PopQA")


def test_rows_ruled_one_by_one_with_wrapped_text_cells_are_a_table():
    """A table of labels, definitions and examples, a rule under each row, the definitions and examples wrapped
    over two or three lines and the label centred beside them (arXiv 2510.14969, Table 6): each band between
    two rules is one row, each column's lines in it one cell. Before, its columns were read as three columns
    of text. Rows of figures between rules (a label a line) are not taken this way."""
    entries = [("Realism", ["Whether the task resembles", "something a real user does."],
                ["Search for a product", "is realistic."]),
               ("Validity", ["Whether each action fits", "the goal and the state."], ["Clicking submit", "too early."]),
               ("Completion", ["Whether the trajectory", "ends with the goal done."], ["The message is sent", "at the end."])]
    boxes = [line(72, 100, 120, "Dimension"), line(160, 100, 220, "Definition"), line(320, 100, 380, "Example")]
    rules = [(70.0, 470.0, 96.0), (70.0, 470.0, 114.0)]
    for i, (label, definition, example) in enumerate(entries):
        top = 118 + 30 * i
        boxes.append(line(72, top + 7, 72 + 6 * len(label), label))
        boxes += column(160, 300, top, definition)
        boxes += column(320, 460, top + 3, example)
        rules.append((70.0, 470.0, top + 27))
    [table] = find_tables(boxes, rules=rules)
    assert table.cells[0] == ["Dimension", "Definition", "Example"]
    assert table.cells[1] == ["Realism", "Whether the task resembles something a real user does.",
                              "Search for a product is realistic."]
    assert len(table.cells) == 4


def _stub_table(size: float = 7.6) -> list[Box]:
    """Rows of arXiv 2510.14979's Table 3 (page 9): a one-letter stub column "A" .. "F", then label columns
    and figures."""
    boxes = []
    for n, letter in enumerate("ABCDEF"):
        y = 139.5 + 10.7 * n
        boxes += [line(111.4, y, 117.5, letter, size), line(143, y, 165.5, "Mixed", size),
                  line(182, y, 215, f"{n}D-RoPE", size)]
        boxes += [line(x, y, x + 14.8, f"{40 + n}.{k}", size) for k, x in enumerate((234, 262, 286, 313, 339))]
    return boxes


def test_a_table_s_rules_over_its_narrow_stub_column_cross_the_gutter_beside_it():
    """arXiv 2510.14979, page 9 (the arxiv suite's development part): the table's rules start at the left edge
    of its stub column of one letter a row, narrower than a line height, so they start within a line height
    of the gutter beside it and were taken for a ruled table's ending there beside a text column: the stub
    was cut off and read as a paragraph "A B C D E F". A rule over the lines on both sides crosses it; a
    table's rules that start right of a text column still end at the gutter between them."""
    from textkit.layout import _rule_edge_gutters

    table = _stub_table()
    unit = 1.2 * 7.6
    gutter = (117.5, 143.0)
    rules = [(110.1, 501.9, 135.2), (110.1, 501.9, 205.0)]
    assert _rule_edge_gutters(table, [gutter], rules, unit) == []
    beside = [b for b in table if b.x0 > 140] + [line(40, 139.5 + 10.7 * n, 117.5, f"text line {n}", 7.6)
                                                    for n in range(6)]
    assert _rule_edge_gutters(beside, [gutter], [(138.0, 501.9, 135.2), (138.0, 501.9, 205.0)], unit) == [gutter]


def test_strips_under_a_table_s_bottom_rule_are_not_joined_to_it():
    """arXiv 2510.14979, page 9 (the arxiv suite's development part): a figure's axis labels set under a
    table's bottom rule (the last of its three rules with the same ends) lined up with its columns and were
    read as its last rows. Strips are not joined across such a rule, save one row right under it (a
    regression table's "Note:" row); strips above it still are."""
    from textkit.layout import _closing_rules, _framed_strips

    size, unit = 7.6, 1.2 * 7.6
    header = [line(111.4, 124.4, 117.5, "M", size), line(143, 124.4, 171.4, "Mode", size)]
    body = _stub_table(size)
    labels = [line(124.7, 230 + 17 * k, 132.2, tick, size) for k, tick in enumerate(("80", "75", "70"))]
    labels += [line(146.4, 282, 157.3, "PB1", size), line(196, 282, 265, "InternViT", size)]
    caption = [line(108, 100, 505, "Table 3: Configurations of attention and position encodings.", 9)]
    rules = [(110.1, 501.9, 120.1), (110.1, 501.9, 135.2), (110.1, 501.9, 206.0)]
    assert _closing_rules(caption + header + body + labels, rules, unit, 0.5 * unit) == [206.0]
    parts = _framed_strips([header, body, labels], [206.0], 0.5 * unit)
    assert [len(p) for p in parts] == [len(header) + len(body), len(labels)]
    note = [line(111.4, 212, 140, "Note:", size), line(300, 212, 400, "*p<0.05; **p<0.01", size)]
    parts = _framed_strips([header, body, note, labels], [206.0], 0.5 * unit)
    assert [len(p) for p in parts] == [len(header) + len(body) + len(note), len(labels)]
    # a "Total" row under the rule, in the table's columns, and a note under it (icdar2013 eu-026's Table 1)
    total = [line(111.4, 212, 125, "Total", size), line(143, 212, 165.5, "All", size),
             line(234, 212, 248.8, "41.2", size), line(111.4, 222, 300, "Source: the authors' runs.", size)]
    parts = _framed_strips([header, body, total], [206.0], 0.5 * unit)
    assert [len(p) for p in parts] == [len(header) + len(body) + len(total)]
    # two tables ruled alike, a heading and a caption between them: each closes at its own bottom rule
    second = [line(111.4, 250 + 10.7 * n, 117.5, "X", size) for n in range(1)]
    heading = [line(108, 214, 300, "A.2 Implementation details", size),
               line(108, 226, 400, "Table 5: Settings of the runs", size)]
    rules2 = [*rules, (110.1, 501.9, 240.0)]
    assert _closing_rules(caption + header + body + heading + second, rules2, unit, 0.5 * unit) == [206.0]


def test_a_decimal_before_a_lowercase_label_is_no_section_number():
    """arXiv 2510.14415, page 18 (the arxiv suite's development part): a table's row "400  0.5  est  cd = 2
    ...": "0.5" was taken for a section number and "est", 14 points on, for its title, one cell across two
    columns. A section's title starts with a capital; "2.1  Introduction" is still one heading."""
    row = [Box(146.2, 129.9, 157.4, 138.0, "0.5", size=8.0), Box(171.6, 129.9, 181.4, 138.0, "est", size=8.0)]
    assert [b.text for b in merge_markers(row)] == ["0.5", "est"]
    heading = [Box(72, 300, 84, 310, "2.1", size=10.0), Box(96, 300, 170, 310, "Introduction", size=10.0)]
    assert [b.text for b in merge_markers(heading)] == ["2.1 Introduction"]


def test_a_line_of_column_numbers_is_a_header_row_of_its_own():
    """arXiv 2510.11973, page 43 (the arxiv suite's development part): "(1)  (2)  (3)" over a regression
    table's outcome names is the columns' numbering, a row of its own; a line of words is not."""
    from textkit.layout import _column_numbers

    numbers = [Box(x, 100, x + 9, 107, f"({n})", size=7.0) for n, x in enumerate((200, 260, 320), 1)]
    assert _column_numbers(numbers)
    assert not _column_numbers([Box(200, 110, 230, 117, "VRT", size=7.0), Box(260, 110, 300, 117, "Grammar", size=7.0)])
    assert not _column_numbers(numbers[:1])


def test_words_lie_where_the_pdf_s_runs_place_them():
    """A header line of capitals set in runs ("MMMU MMB", " ", "MMS", ...; arXiv 2510.14979 page 9): each word
    lies in its run, where counting characters along the whole line places it a column off; a box whose text
    no longer is its runs' (changed since) is placed by the count."""
    runs = (("MMMU MMB", 225.9, 280.3), (" ", 280.3, 282.8), ("MMS", 282.8, 303.5), (" ", 303.5, 306.1),
            ("Avg.", 306.1, 321.8))
    box = Box(225.9, 124.4, 321.8, 132.1, "MMMU MMB MMS Avg.", size=10.0, runs=runs)
    words = word_extents(box)
    assert [box.text[a:b] for a, b, _, _ in words] == ["MMMU", "MMB", "MMS", "Avg."]
    assert [round(x0, 1) for _, _, x0, _ in words] == [225.9, 259.9, 282.8, 306.1]
    changed = replace(box, text="MMMU MMB")
    assert [round(x0, 1) for _, _, x0, _ in word_extents(changed)] == [225.9, 285.8]
    assert word_extents(replace(box, text="  ", runs=())) == []  # no words: nothing to place
    # counted along the box, a text with spaces ahead places its words from its own start
    assert [round(x0, 1) for _, _, x0, _ in word_extents(Box(0, 0, 60, 10, " ab cd"))] == [10.0, 40.0]


def test_a_header_across_columns_is_no_column_s_reach():
    """A column's reach comes from the cells standing in it: a header line across several columns (its middle
    in one of them) would widen that column's reach over the whole table."""
    region = [[line(100, 10, 120, "A"), line(140, 10, 300, "MMMU MMB MMS")],
              [line(100, 20, 110, "B"), line(140, 20, 160, "1.0"), line(200, 20, 220, "2.0"),
               line(260, 20, 280, "3.0")]]
    assert _column_extents(region, [130.0, 180.0, 240.0]) == [(100, 120), (140, 160), (200, 220), (260, 280)]


_RANK_EFFECT_11_PLUS = [  # arXiv 2510.11973 page 35, Table 3 (x0, y0, x1, text), 7-point cells under a 10-point caption
    (179.2, 243.7, 237.0, "Outcome Variables"), (278.0, 243.7, 346.6, "Verbal Reasoning Test"),
    (367.0, 243.7, 404.0, "11-plus Test"),
    (179.2, 261.4, 227.7, "Percentile Rank"), (278.0, 261.4, 304.4, "0.575***"), (316.5, 261.4, 342.9, "0.579***"),
    (355.0, 261.4, 381.3, "0.540***"), (389.7, 261.4, 416.0, "0.544***"),
    (280.6, 271.9, 301.9, "(0.068)"), (319.0, 271.9, 340.3, "(0.068)"), (357.5, 271.9, 378.8, "(0.074)"),
    (392.2, 271.9, 413.5, "(0.074)"),
    (179.2, 292.8, 245.9, "Mean of the Outcome"), (289.5, 292.8, 293.0, "0"), (327.9, 292.8, 331.4, "0"),
    (366.4, 292.8, 369.9, "0"), (401.1, 292.8, 404.6, "0"),
    (179.2, 303.3, 238.2, "SD of the Outcome"), (289.5, 303.3, 293.0, "1"), (327.9, 303.3, 331.4, "1"),
    (366.4, 303.3, 369.9, "1"), (401.1, 303.3, 404.6, "1"),
    (179.2, 313.7, 218.7, "Observations"), (283.3, 313.7, 299.2, "9,441"), (321.7, 313.7, 337.6, "9,441"),
    (360.2, 313.7, 376.1, "7,575"), (394.9, 313.7, 410.8, "7,575"),
]


def test_a_row_of_column_numbers_under_the_top_rule_is_the_table_s():
    """A regression table's "(1)  (2)  (3)  (4)" under its top rule, a gap over its headings: the row reaches
    past its caption's right end, so the caption and the row were joined (a gutter in their union) and written
    as text over the table."""
    def cell(x0, y0, x1, text):  # the PDF's own line height (6.2 points): the gap over the headings shows
        return Box(x0, y0, x1, y0 + 6.2, text, size=7.0)

    boxes = [Box(208.3, 192.4, 386.9, 201.2, "Table 3: Rank Effect on the 11-plus Test", size=10.0)]
    boxes += [cell(x0, 233.2, x0 + 8.9, f"({k})") for k, x0 in enumerate((286.8, 325.2, 363.7, 398.4), 1)]
    boxes += [cell(*row) for row in _RANK_EFFECT_11_PLUS]
    rules = [(175.1, 420.2, 226.4), (175.1, 420.2, 254.7), (175.1, 420.2, 324.7)]
    text = page_text(boxes, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert text.startswith("Table 3: Rank Effect on the 11-plus Test\n\n|  | (1) | (2) | (3) | (4) |\n|---|"), text
    assert "| Observations | 9,441 | 9,441 | 7,575 | 7,575 |" in text, text


def test_a_label_and_a_figure_one_space_apart_in_a_row_of_figures_are_two_cells():
    """arXiv 2510.14961 page 9 (Table 2): "Diff. Sampler (r′ = 2, βt = 0.5) 40.71%", a long label and the first
    figure one space apart, is one PDF line across the label column and the first figures' column. In a row of
    figures it is parted where the PDF's runs place its words ("0.5" and ")" two runs of one word), each part
    within its column's reach; where the label column is narrower, the line stays whole."""
    def cell(x0, y0, x1, text, **kw):
        return Box(x0, y0, x1, y0 + 9.0, text, size=9.0, **kw)

    figures = [(241.5, 272.5), (278.9, 301.5), (307.9, 338.9), (347.8, 365.4)]
    rows_ = [("Static AR (r = 4)", ["1.59%", "312.9", "3.20%", "18.6"]),
             ("Static AR (r = 8)", ["31.61%", "137.5", "14.80%", "23.1"]),
             ("Static AR (r = 64)", ["42.15%", "18.2", "18.60%", "3.4"]),
             ("Adaptive Compute AR", ["42.23%", "26.1", "30.20%", "29.5"]),
             ("Diff. Sampler (r′ = 4, βt = 0)", ["42.08%", "157.3", "18.00%", "6.2"])]
    boxes = [cell(113.7, 120.0, 150.0, "Sampler")]
    boxes += [cell(x0, 120.0, x0 + 15.0, text) for (x0, _), text in zip(figures, ["Acc", "t/s", "Acc", "t/s"],
                                                                         strict=True)]
    for k, (label, values) in enumerate(rows_):
        y0 = 137.9 + 11.2 * k
        boxes.append(cell(113.7, y0, 228.5 if label.startswith("Diff.") else 113.7 + 4.2 * len(label), label))
        boxes += [cell(x0, y0, x1, text) for (x0, x1), text in zip(figures, values, strict=True)]
    runs = (("Diff.", 113.7, 132.7), (" ", 132.7, 135.9), ("Sampler (r′ = 2, βt = 0.5", 135.9, 231.8),
            (")", 231.8, 235.1), (" ", 235.1, 241.5), ("40.71%", 241.5, 272.5))
    boxes.append(cell(113.7, 190.0, 272.5, "Diff. Sampler (r′ = 2, βt = 0.5) 40.71%", runs=runs))
    boxes += [cell(x0, 190.0, x1, text) for (x0, x1), text in zip(figures[1:], ["182.2", "17.60%", "35.9"],
                                                                    strict=True)]
    boxes.append(cell(113.7, 201.2, 185.7, "Static AR (r = 16)"))
    boxes += [cell(x0, 201.2, x1, text) for (x0, x1), text in zip(figures, ["42.08%", "157.3", "18.00%", "6.2"],
                                                                  strict=True)]
    rules = [(110.5, 400.0, 116.0), (110.5, 400.0, 133.4), (110.5, 400.0, 215.0)]
    text = page_text(boxes, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert "| Diff. Sampler (r′ = 2, βt = 0.5) | 40.71% | 182.2 | 17.60% | 35.9 |" in text, text
    narrow = [b for b in boxes if not b.text.startswith("Diff. Sampler (r′ = 4")]
    text = page_text(narrow, W, H, tables=True, rules=rules, remove_furniture=False).text
    assert "| Diff. Sampler (r′ = 2, βt = 0.5) 40.71% |" in text, text


def test_staggered_figure_columns_are_two_columns():
    """A worksheet (Publication 15's percentage-method example): each line's amount set in one of two columns,
    the inner one ("$75.00", "2") left of the totals ("$600.00"), never both on one row; no row leaves a gap
    between them, so the gap between the labels and the figures was the only bound, and the two columns were
    read as one. A column of figures that stand in two groups apart is two columns."""
    rows = [("Total wage payment . . . .", 200.0, None, "$600.00"), ("One allowance . . . .", 198.0, "$75.00", None),
            ("Allowances claimed . .", 198.0, "2", None), ("Multiply line 2 by line 3 . .", 199.0, None, "$150.00"),
            ("Amount subject to withholding", 180.0, None, "$450.00")]
    boxes = []
    for i, (label, label_end, inner, outer) in enumerate(rows):  # as the page sets them: labels' ends, the
        y = 100.0 + 12.0 * i  # figures' right edges (249, 296): the gaps' middles lie within a line's height
        boxes += [line(60.0, y, 66.0, f"{i + 1}."), line(72.0, y, label_end, label)]
        if inner:
            boxes.append(line(249.0 - 4.0 * len(inner), y, 249.0, inner))
        if outer:
            boxes.append(line(296.0 - 4.0 * len(outer), y, 296.0, outer))
    [table] = find_tables(boxes)
    assert table.cells[0] == ["1.", "Total wage payment . . . .", "", "$600.00"]
    assert table.cells[1] == ["2.", "One allowance . . . .", "$75.00", ""]


def test_a_column_of_figures_of_varying_width_stays_one_column():
    """Right-aligned figures of different widths overlap at their right edges: one column, as before."""
    figures = ["1,950.00", "75.00", "3,900.00", "150.00", "15.00"]
    boxes = []
    for i, figure in enumerate(figures):
        y = 100.0 + 12.0 * i
        boxes += [line(72.0, y, 200.0, f"Period {i}"), line(330.0 - 5.0 * len(figure), y, 330.0, figure)]
    [table] = find_tables(boxes)
    assert [len(r) for r in table.cells] == [2] * 5


def test_a_tables_last_row_of_figures_at_the_page_foot_is_no_folio():
    """Tabula's gre.pdf cropped to its table (the tabula-extras suite): the last row, "650  163  91", stands at
    the page's foot and was dropped as a running foot with its page number. Its figures stand one under each
    box of the row above: the table's columns run on into it. A folio beside a foot's text stays furniture."""
    table = [[line(24, y, 40, str(800 - 10 * k)), line(96, y, 112, str(170 - k)), line(185, y, 197, str(99 - k))]
             for k, y in enumerate(range(600, 740, 14))]
    last = [line(24, 770, 40, "650"), line(96, 770, 112, "163"), line(185, 770, 197, "91")]
    kept, furniture = split_furniture([b for row in table for b in row] + last, W, H)
    assert furniture == []
    foot = [line(24, 770, 40, "12"), line(96, 770, 300, "Annual report 2020")]
    kept, furniture = split_furniture([b for row in table for b in row] + foot, W, H)
    assert [b.text for b in furniture] == ["12", "Annual report 2020"]


def test_a_ruled_tables_block_is_no_cell_of_a_table_beside_it():
    """Tabula's gre.pdf before its grid was read whole (its lines as the text path gave them then): the grid's
    block (``kind="table"``, its Markdown) stood beside the lines the finder had left out, in rows with them,
    under a rule across the page; the unruled table finder joined the block into a cell with a line over it
    and wrote its Markdown escaped inside that cell. A finished block is a cell of its own and its rows are
    text: the block is written whole."""
    grid = Box(2.0, 0.3, 146.5, 286.4, "| Prior Scale | New Scale |\n|---|---|\n| 800 | 170 |", kind="table")
    beside = [Box(173.3, 6.8, 208.7, 16.8, "% Rank*", size=9.0)]
    beside += [Box(185.4, y, 196.6, y + 10, "99", size=9.0) for y in (30.4, 48.9, 63.3, 77.7, 92.1)]
    for k, y in enumerate((110.4, 128.8, 143.2, 157.6, 172.0, 190.3, 208.6, 223.0, 237.4, 251.8, 270.2)):
        beside += [Box(96.3, y, 112.1, y + 10, str(169 - k), size=9.0), Box(185.4, y, 196.6, y + 10, str(99 - k), size=9.0)]
    rules = [(1.7, 233.5, -0.3), (1.7, 233.5, 23.9)]
    text = page_text([*beside, grid], 232.8, 287.4, tables=True, rules=rules).text
    assert "\\|" not in text
    assert grid.text in text
