"""Tables on real documents (../shared/corpus and the development part of Docling's regression PDFs, read in
place, never copied here; skipped with a message where they are absent)."""

from dataclasses import replace
from pathlib import Path

import pytest

from stages.extract_docling.constructed_pdf import laid_out_pdf, right_aligned, row_lines
from stages.extract_docling.pymupdf_text import (
    _cell,
    _cell_texts,
    as_drawings,
    extract_pdf,
    header_texts_unread,
    merge_spanned_columns,
    page_lines,
    page_rules,
    split_tall_rows,
)
from textkit.layout import find_tables

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def shared_pdf(name: str) -> Path:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the development documents live in ../shared)")
    return path


def _page(name: str, index: int = 0):
    import pymupdf

    pymupdf._get_layout = None
    return pymupdf.open(shared_pdf(name))[index]


def test_a_ruled_table_on_a_sideways_page_holds_its_own_lines():
    """An architect's cover sheet set sideways (/Rotate 90): the finder's cells are in the turned page's
    frame, the text lines in the unturned one; read in one frame, each cell holds the lines drawn in it, in
    reading order (before: the lines of other cells, or none)."""
    pdf = shared_pdf("corpus/text/pdfjs__Brotli-Prototype-FileA.pdf").read_bytes()
    import pymupdf

    doc = pymupdf.open(stream=pdf, filetype="pdf")
    doc.select([0])
    [page] = extract_pdf(doc, tables=True)
    cells = [c.strip() for line in page.text.splitlines() if line.startswith("|") for c in line.split("|")]
    index = next(c for c in cells if c.startswith("A0.0"))
    assert index.startswith("A0.0 COVER PAGE A0.1 PROJECT INFORMATION A0.2 GENERAL NOTES")
    assert index.endswith("A5.0 SCHEDULES")


def test_the_drawings_read_once_are_the_finders_paths_as_pymupdf_gives_them():
    """``as_drawings`` of a form's ``get_cdrawings`` is ``get_drawings``: the same
    keys in the same order, the same Points, Rects and Quads, so the finder sees the paths it always saw."""
    page = _page("corpus/text/pdfjs__bug1815476.pdf")

    def typed(value):
        if isinstance(value, (list, tuple)):
            return type(value).__name__, [typed(v) for v in value]
        return type(value).__name__, value

    ours, theirs = as_drawings(page.get_cdrawings()), page.get_drawings()
    assert len(ours) == len(theirs) > 20
    assert [[(k, typed(v)) for k, v in p.items()] for p in ours] == [[(k, typed(v)) for k, v in p.items()]
                                                                     for p in theirs]


def test_columns_a_spanning_cell_cuts_are_one_column_again_and_no_text_is_lost():
    page = _page("corpus/text/pdfjs__bug1815476.pdf")
    lines = page_lines(page)
    [table] = [t for t in page.find_tables(strategy="lines").tables if t.col_count == 5]
    rows = _cell_texts(table, lines) or [[_cell(c) for c in r] for r in table.extract()]
    merged = merge_spanned_columns(rows, [r.cells for r in table.rows])
    assert {len(r) for r in merged} == {3}
    assert [" ".join(c for c in r if c) for r in merged] == [" ".join(c for c in r if c) for r in rows]
    assert ["", "Nº EXPEDIENTE: ___________", ""] in merged


def test_a_ruled_row_holding_several_rows_of_cells_is_split_at_them():
    """The finder reads the two panels' captions, their colour lines and their labels as one ruled row; the
    page's lines make three rows of two cells of it."""
    page = _page("corpus/text/pdfjs__knockout_groups_test.pdf")
    lines = page_lines(page)
    table = next(t for t in page.find_tables(strategy="lines").tables if "Knockout" in str(t.extract()))
    rows = _cell_texts(table, lines) or [[_cell(c) for c in r] for r in table.extract()]
    split, cells = split_tall_rows(table, rows, lines)
    assert len(split) == len(cells) > len(rows)
    texts = [[c for c in r if c] for r in split]
    assert ["KNOCKOUT", "KNOCKOUT"] in texts
    assert ["Non-isolated Knockout (I=false, K=true)", "Isolated Knockout (I=true, K=true)"] in texts


def test_a_table_of_figures_with_a_wide_gap_between_columns_stays_one_table():
    """The results table of a paper (Docling's 2305.03393v1-pg9) with its figure columns set 80 pt further
    right, as statistical tables set them: the wide gap is no gutter between text columns."""
    page = _page("external/docling-tests/pdfs/2305.03393v1-pg9.pdf")
    [table] = find_tables(page_lines(page), page_rules(page)[0])
    assert (len(table.cells), len(table.cells[0])) == (9, 8)
    wide = [replace(b, x0=b.x0 + 80, x1=b.x1 + 80) if b.x0 > 280 else b for b in table.boxes]
    [spread] = find_tables(wide)
    assert spread.cells == table.cells


def test_a_section_heading_between_rows_of_a_table_is_a_row_of_it():
    """A medical record's social history: "Substance and Sexual Activity" heads the rows under it as the other
    headings of the table do (before: it ended the table, and the rows under it were a second table).
    The page is cut above its last two rows: "Fear of current or ex partner: Not on file" is one PDF line (label
    and value one space apart), which the table finder cannot part, so the whole table is read as text. Those
    rows used to be taken for the running foot with "Page 51" under them, which kept the table but lost them."""
    import pymupdf

    doc = pymupdf.open(shared_pdf("corpus/text/pdfjs__issue14117.pdf"))
    doc[0].set_cropbox(pymupdf.Rect(0, 0, 612, 735))
    [page] = extract_pdf(doc.tobytes(), tables=True)
    assert ("| Smoking status: | Not on file |\n| Substance and Sexual Activity |  |\n"
            "| Alcohol use: | Not on file |") in page.text


def test_a_heading_cut_over_two_ruled_rows_is_one_row_again():
    """ICDAR 2013's eu-001 (its development part; the suite's PDFs stay in the evaluation cache): the finder
    cuts "to air" and "kg/year" of one heading cell into two rows (the cell under it spans both); read as one
    row, the table has the competition's four columns and two heading rows."""
    from tools.eval_quality.suites import DEV, default_folder, split_of

    path = default_folder("icdar2013") / "competition-dataset-eu" / "eu-001.pdf"
    if not path.exists():
        pytest.skip("ICDAR 2013 is prepared into the evaluation cache by `python -m tools.eval_quality.suites prepare`")
    assert split_of("icdar2013", "eu-001") == DEV
    import pymupdf

    doc = pymupdf.open(path)
    doc.select([0])
    [page] = extract_pdf(doc, tables=True)
    assert ("|  | THRESHOLD FOR RELEASES |  |  |\n|---|---|---|---|\n"
            "|  | to air kg/year | to water kg/year | to land kg/year |\n"
            "| Carbon dioxide (CO2) | 100 million | - | - |") in page.text


def _icdar_path(doc_id: str) -> Path:
    """An ICDAR 2013 document of the suite's development part."""
    from tools.eval_quality.suites import DEV, default_folder, split_of

    path = default_folder("icdar2013") / f"competition-dataset-{doc_id[:2]}" / f"{doc_id}.pdf"
    if not path.exists():
        pytest.skip("ICDAR 2013 is prepared into the evaluation cache by `python -m tools.eval_quality.suites prepare`")
    assert split_of("icdar2013", doc_id) == DEV
    return path


def _icdar_page(doc_id: str, page_number: int):
    """One page of an ICDAR 2013 document of the suite's development part, as a one-page document."""
    import pymupdf

    doc = pymupdf.open(_icdar_path(doc_id))
    doc.select([page_number - 1])
    [page] = extract_pdf(doc, tables=True)
    return page.text


def _finder_headers(page) -> list[tuple]:
    """Each grid's header as PyMuPDF's rules set it: above the grid or not, its cells, its box."""
    return [(t.header.external, t.header.cells, tuple(t.header.bbox)) for t in page.find_tables(strategy="lines").tables]


def test_the_header_rules_set_the_same_headers_without_reading_their_texts():
    """PyMuPDF's header rules decide alike whether a grid's header lies above it, and where its cells are,
    when the texts they read are not read (``header_texts_unread``): on ICDAR 2013's us-038, page 2 (a
    header set over the grid) and on a sideways page (/Rotate 270), whose headers the finder sets itself
    before it turns the page back. Afterwards the finder reads texts as before."""
    import pymupdf
    from pymupdf.table import Table

    path = _icdar_path("us-038")
    pages = [pymupdf.open(path)[1], _page("corpus/text/pdfjs__Brotli-Prototype-FileA.pdf")]
    assert pages[1].rotation
    own = [_finder_headers(page) for page in pages]
    saved = pymupdf.Page.get_textbox, Table.extract
    with header_texts_unread():
        unread = [_finder_headers(page) for page in pages]
    assert unread == own
    assert [h[0] for h in own[0]] == [True] and True in [h[0] for h in own[1]]
    assert (pymupdf.Page.get_textbox, Table.extract) == saved
    assert "Percent of Species R" in pages[0].find_tables(strategy="lines").tables[0].header.names[0]


def test_a_caption_set_close_over_a_ruled_table_is_parted_from_it_at_the_rule():
    """ICDAR 2013's eu-006, page 3: the caption sits a few points over the table's top rule and crosses its
    columns, so the region had no gutter and the table was read as one paragraph; parted at the drawn rules,
    the table keeps its header row."""
    text = _icdar_page("eu-006", 3)
    assert "Table 8.15 - Foreign turnover of leading French retail groups, 1997\n\n" in text
    assert ("| Groups | Foreign turnover (FFr bn.) | % of Total Turnover |\n|---|---|---|\n"
            "| Carrefour | 62.7 | 40.5% |") in text


def test_a_header_of_several_lines_over_its_rule_is_one_row():
    """ICDAR 2013's us-020, page 5: a caption over the top rule, a note under the bottom rule, a header of
    four lines over the rule under it: one header row of the body's eight columns (before: one paragraph)."""
    text = _icdar_page("us-020", 5)
    assert ("| Benchmarking education systems | Schools in original sample | Eligible schools in original sample "
            "| Schools in original sample that participated | Substitute schools | Total schools that participated "
            "| Sampled students in participating schools | Students assessed |\n|---|---|---|---|---|---|---|---|\n"
            "| Alberta-CAN | 150 | 147 | 143 | 2 | 145 | 4,292 | 3,789 |") in text
    assert "\n\nNOTE: Education systems in the Southern hemisphere" in text


def test_a_group_heading_over_a_wrapped_header_stays_a_row_of_its_own():
    """ICDAR 2013's us-025, page 2: "American Indian/Alaska native" and the other groups span three columns
    each over "no. Rate (95% CI)": a header row of their own, not joined into the columns' headings."""
    text = _icdar_page("us-025", 2)
    header = next(line for line in text.splitlines() if "American Indian/Alaska native" in line)
    assert "no." not in header
    assert "| (yrs) | no. | Rate | (95% CI) | no. |" in text or "| no. | Rate | (95% CI) | no. | Rate |" in text


def test_a_ruled_table_beside_a_text_column_is_read_apart_from_it():
    """ICDAR 2013's us-025, page 4: a ruled table in the left column, the article's text in the right one, a
    gutter narrower than page halves' between them: the table's rows hold no line of the text column."""
    text = _icdar_page("us-025", 4)
    rows = [line for line in text.splitlines() if line.startswith("| District of Columbia")]
    assert rows and all("atheroscle" not in r for r in rows)
    assert "health through preventing onset of hypertension and atheroscle" in text


def test_a_grid_missing_inner_strokes_is_left_to_the_text_table_finder():
    """ICDAR 2013's eu-026, page 5: ruled across, with one inner vertical stroke; PyMuPDF's finder reads two
    columns ("Freq. Percent Cum." in one cell) and takes the caption's last line for an external header.
    Its cells hold lines set apart by wide gaps, so the lines are read by textkit's finder instead: four
    columns, the caption over the table."""
    text = _icdar_page("eu-026", 5)
    assert ("| no. of correct answers | Freq. | Percent | Cum. |\n|---|---|---|---|\n"
            "| 0 | 138 | 6.9 | 6.9 |") in text
    assert "| to three questions" not in text


def test_a_wide_gap_between_a_ruled_tables_column_groups_does_not_part_it():
    """ICDAR 2013's us-025, page 2: "Coronary heart disease" and "Stroke" are column groups set far apart,
    as far as page halves; the table's rules cross the gap, so it is one table (before: two, the second read
    as columns of text)."""
    text = _icdar_page("us-025", 2)
    assert "| Female | 200,915 | 103.1 | (102.7–103.6) | 82,595 | 42.6 | (42.3–42.9) |" in text


def test_a_word_running_a_little_over_a_narrow_ruled_cell_is_read_from_the_lines():
    """ICDAR 2013's eu-023, page 3: "Sometimes" runs 3 points over its header cell's border; the cells are
    still read from the page's lines (before: the finder's own text, "Leftoutofthings", "279% .")."""
    text = _icdar_page("eu-023", 3)
    assert "| How often do you feel this way? | Never | Sometimes | Often |" in text
    assert "| Left out of things | 27.9% | 52.2% | 19.9% |" in text


def test_a_forms_lines_with_dot_leaders_are_no_table():
    """A filled-in tax form (pdf.js `prefilled_f1040.pdf`, page 1): its numbered lines run into dot leaders
    and an amount box; read as a table, the leaders became columns of cells holding only dots."""
    [page] = extract_pdf(_one_page("corpus/text/pdfjs__prefilled_f1040.pdf", 0), tables=True)
    cells = [c.strip() for line in page.text.splitlines() if line.startswith("|") for c in line.split("|")[1:-1]]
    assert not any(c and not c.strip(" .") for c in cells)
    assert "Wages, salaries, tips, etc. Attach Form(s) W-2" in page.text


def _one_page(name: str, index: int):
    import pymupdf

    doc = pymupdf.open(shared_pdf(name))
    doc.select([index])
    return doc


def _shaded_heading_table() -> bytes:
    """A ruled table set as eu-001's: a heading spanning the figure columns, then heading cells of two lines
    ("to air" over "kg/year") each shaded as a whole and again behind each of its lines (a word processor's
    cell and paragraph shading), which gives the finder a border between the two lines."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    xs, ys, grey = [96, 257, 340, 428, 500], [299, 311, 331, 341, 351, 361], (0.85, 0.85, 0.85)
    page.draw_rect((xs[1], ys[0], xs[-1], ys[1]), color=None, fill=grey)
    for x0, x1 in zip(xs[1:], xs[2:], strict=False):
        page.draw_rect((x0, ys[1], x1, ys[2]), color=None, fill=grey)
        page.draw_rect((x0 + 5, ys[1], x1 - 5, ys[1] + 9.5), color=None, fill=grey)
        page.draw_rect((x0 + 5, ys[1] + 9.5, x1 - 5, ys[2]), color=None, fill=grey)
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=0.5)
    for x in xs:  # the spanning heading has no inner borders
        page.draw_line((x, ys[0] if x in (xs[0], xs[1], xs[-1]) else ys[1]), (x, ys[-1]), width=0.5)
    page.insert_text((300, ys[0] + 9), "THRESHOLD FOR RELEASES", fontsize=8)
    for x, medium in zip(xs[1:4], ["to air", "to water", "to land"], strict=True):
        page.insert_text((x + 6, ys[1] + 8), medium, fontsize=8)
        page.insert_text((x + 6, ys[1] + 17.5), "kg/year", fontsize=8)
    body = [("Carbon dioxide (CO2)", "100 million", "-", "-"), ("Methane (CH4)", "100 000", "-", "-"),
            ("Nitrous oxide (N2O)", "10 000", "-", "-")]
    for y, row in zip(ys[2:5], body, strict=True):
        for x, text in zip(xs[:4], row, strict=True):
            page.insert_text((x + 6, y + 8), text, fontsize=8)
    return doc.tobytes()


def test_a_heading_cut_over_two_ruled_rows_is_one_row_again_constructed():
    """Stands in for ICDAR 2013's eu-001 (above; its PDFs are only in the evaluation cache): the shading behind
    each line of a two-line heading cell made the finder cut "to air" and "kg/year" into two rows."""
    [page] = extract_pdf(_shaded_heading_table(), tables=True)
    assert ("|  | THRESHOLD FOR RELEASES |  |  |\n|---|---|---|---|\n"
            "|  | to air kg/year | to water kg/year | to land kg/year |\n"
            "| Carbon dioxide (CO2) | 100 million | - | - |") in page.text


def test_a_caption_set_close_over_a_ruled_table_is_parted_from_it_at_the_rule_constructed():
    """Stands in for ICDAR 2013's eu-006, page 3 (above; its PDFs are only in the evaluation cache): its
    caption set 9 points over the top rule and crossing the columns, the header under it, rules under the
    header and the last row; before the table was parted at its rules, it was read as one paragraph."""
    caption = [(140.9, 101.9, 10.9, "Table 8.15 - Foreign turnover of leading French retail groups, 1997", "B")]
    header = [(107.6, 122.8, 10.9, text, "B") if x == 0 else (x, 122.8, 10.9, text, "B")
              for x, text in [(0, "Groups"), (235.3, "Foreign turnover (FFr bn.)"), (388.2, "% of Total Turnover")]]
    body = [("Carrefour", "62.7", "40.5%"), ("Promodès", "37.0", "35.7%"), ("Auchan", "23.5", "19.5%"),
            ("Cora", "11.0", "24.0%"), ("Casino", "8.5", "11.5%"), ("Comptoirs Modernes", "2.0", "7.0%")]
    rows = []
    for i, (name, turnover, share) in enumerate(body):
        y = 136.1 + 12.84 * i
        rows += [(107.6, y, 10.9, name, "R"), right_aligned(300.9, y, 10.9, turnover, "R"),
                 right_aligned(458.4, y, 10.9, share, "R")]
    source = [(107.5, 234.0, 10.9, "Source: Linéaires, trade estimates", "I")]
    rules = [(89.6, 110.8, 505.0, 112.1), (89.6, 125.2, 505.1, 125.8), (89.6, 203.0, 505.0, 204.3)]
    [page] = extract_pdf(laid_out_pdf(caption + header + rows + source, rules), tables=True)
    assert "Table 8.15 - Foreign turnover of leading French retail groups, 1997\n\n" in page.text
    assert ("| Groups | Foreign turnover (FFr bn.) | % of Total Turnover |\n|---|---|---|\n"
            "| Carrefour | 62.7 | 40.5% |") in page.text


def _shaded_grid_of_narrow_cells() -> bytes:
    """A ruled grid set as eu-023's page 3 (a word processor's): each cell shaded as a whole and again behind
    its paragraph, 5 points in from the borders, so the finder's cells are the paragraphs' shading and
    "Sometimes " (set from the paragraph's left edge) runs 2.5 points over its cell's right one."""
    xs = [56.9, 218.9, 264.2, 320.0, 362.9]
    ys = [205.1, 216.8, 228.7, 239.9, 251.1, 262.1, 273.1, 284.3, 295.3, 306.5, 319.9]
    rows = [("How often do you feel this way? ", "Never ", "Sometimes ", "Often "),
            ("Left out of things ", "27.9% ", "52.2% ", "19.9% "), ("Helpless ", "25.5% ", "50.1% ", "24.4% "),
            ("Hopeless ", "32.4% ", "43.5% ", "24.1% "), ("Tense and stressed out ", "3.1% ", "31.4% ", "65.5% "),
            ("Overwhelmed by all you had to do ", "6.2% ", "27.7% ", "66.1% "),
            ("Exhausted (not from physical activity) ", "7.2% ", "34.3% ", "58.5% "),
            ("Depressed and difficult to function ", "38.2% ", "37.6% ", "24.2% "),
            ("Seriously considered suicide ", "85.6% ", "11.3% ", "3.1% "),
            ("Attempted suicide ", "97.1% ", "1.9% ", "1.0% ")]
    lines = [(63.2, 197.0, 10.0, "Table 3.4: Perceived negative well-being amongst university students ", "B")]
    for top, (label, *cells) in zip(ys, rows, strict=False):
        lines.append((63.0, top + 9.9, 9.0, label, "H"))
        if top == ys[0]:
            lines += [(x, top + 9.9, 9.0, t, "H") for x, t in zip([230.0, 270.0, 331.0], cells, strict=True)]
        else:
            lines += [right_aligned(r, top + 9.9, 9.0, t) for r, t in zip([259.2, 309.0, 358.2], cells, strict=True)]
    rules = []
    for top, bottom in zip(ys, ys[1:], strict=False):
        for i, (left, right) in enumerate(zip(xs, xs[1:], strict=False)):
            grey = 0.70 if top == ys[0] else 0.88 if i == 0 else 0.95
            rules += [(left + 1.4, top + 0.7, right, bottom, grey), (left + 6.1, top + 0.7, right - 4.7, bottom, grey)]
    rules += [(xs[0], y - 0.7, xs[-1] + 1.4, y) for y in ys] + [(x, ys[0], x + 1.4, ys[-1]) for x in xs]
    return laid_out_pdf(lines, rules, 420, 595)


def test_a_word_running_a_little_over_a_narrow_ruled_cell_is_read_from_the_lines_constructed():
    """Stands in for ICDAR 2013's eu-023, page 3 (above): with "Sometimes " over its shaded cell's border the
    cells were the finder's own text, which loses the pen-moved spaces ("Leftoutofthings", "279% .")."""
    [page] = extract_pdf(_shaded_grid_of_narrow_cells(), tables=True)
    assert "| How often do you feel this way? | Never | Sometimes | Often |" in page.text
    assert "| Left out of things | 27.9% | 52.2% | 19.9% |" in page.text


def test_a_header_of_several_lines_over_its_rule_is_one_row_constructed():
    """Stands in for ICDAR 2013's us-020, page 5 (above): a caption over the top rule, a header of up to four
    lines set to the columns' right edges over the rule under it, eight body rows, the bottom rule and a note
    under it (strokes, 1.5 and 1 point wide); before, the header was read as a table of its own and the rows
    and the note as one paragraph."""
    header = [(56.2, 118.2, "Benchmarking"), (56.2, 127.5, "education systems"), (181.0, 118.2, "Schools in"),
              (164.6, 127.5, "original sample"), (222.3, 108.9, "Eligible schools"), (242.6, 118.2, "in original"),
              (250.8, 127.5, "sample"), (307.2, 99.6, "Schools"), (301.6, 108.9, "in original"),
              (294.7, 118.2, "sample that"), (294.7, 127.5, "participated"), (359.4, 118.2, "Substitute"),
              (367.6, 127.5, "schools"), (436.5, 108.9, "Total"), (411.5, 118.2, "schools that"),
              (412.8, 127.5, "participated"), (481.3, 99.6, "Sampled"), (474.4, 108.9, "students in"),
              (470.1, 118.2, "participating"), (485.6, 127.5, "schools"), (540.4, 118.2, "Students"),
              (538.2, 127.5, "assessed")]
    body = [("Alberta-CAN", "150", "147", "143", "2", "145", "4,292", "3,789"),
            ("Ontario-CAN", "200", "191", "188", "1", "189", "4,932", "4,561"),
            ("Quebec-CAN", "200", "197", "189", "1", "190", "4,529", "4,244"),
            ("Maltese-MLT", "99", "95", "95", "0", "95", "3,942", "3,548"),
            ("Andalusia-ESP", "150", "150", "149", "0", "149", "4,652", "4,333"),
            ("Abu Dhabi-UAE", "168", "165", "164", "0", "164", "4,308", "4,146"),
            ("Dubai-UAE", "152", "139", "138", "0", "138", "6,497", "6,061"),
            ("Florida-USA", "81", "80", "77", "0", "77", "3,052", "2,598")]
    lines = [(54.0, 85.6, 10.0, "Table A-2. Total number of schools and students, by education system: 2011", "B")]
    lines += [(x, y, 7.8, text, "H") for x, y, text in header]
    rights = [216.7, 275.8, 334.8, 393.8, 452.9, 511.9, 570.9]
    for i, (name, *figures) in enumerate(body):
        y = 138.7 + 10.8 * i
        lines.append((56.2, y, 7.8, name, "H"))
        lines += [right_aligned(r, y, 7.2, f) for r, f in zip(rights, figures, strict=True)]
    bottom = 138.7 + 10.8 * len(body) - 6
    lines += [(54.0, bottom + 9.2, 7.2, "NOTE: Education systems in the Southern hemisphere administered PIRLS 2011 "
               "in the fall of 2010, while those in the Northern hemisphere administered the", "H"),
              (54.0, bottom + 18, 7.2, "assessment in the spring of 2011.", "H")]
    rules = [(54.0, 92.1, 575.3, 92.1, 0, 1.5), (54.0, 130.4, 575.3, 130.4), (54.0, bottom, 575.3, bottom, 0, 1.5)]
    [page] = extract_pdf(laid_out_pdf(lines, rules, 612, 792), tables=True)
    assert ("| Benchmarking education systems | Schools in original sample | Eligible schools in original sample "
            "| Schools in original sample that participated | Substitute schools | Total schools that participated "
            "| Sampled students in participating schools | Students assessed |\n|---|---|---|---|---|---|---|---|\n"
            "| Alberta-CAN | 150 | 147 | 143 | 2 | 145 | 4,292 | 3,789 |") in page.text
    assert "\n\nNOTE: Education systems in the Southern hemisphere" in page.text


def _two_column_groups_table() -> bytes:
    """us-025's page 2, its Table 1 (rows cut to five): two column groups, "Coronary heart disease" and
    "Stroke", 49 points apart, each underlined by a rule of its own; rules across over and under the header
    and under the last row. Set in Helvetica at 0.72 the real size, each line widened to the real font's
    width, so the lines' boxes are as tall and as wide as the real page's (the gap is measured in them)."""
    rows = [
        (78.5, 6.48, "B", [(45.0, 535.3, "tABLE 1. number of deaths and age-adjusted death rates* for coronary heart "
                                         "disease and stroke, by sex and race/ethnicity - national Vital")]),
        (88.5, 6.48, "B", [(45.0, 144.0, "Statistics System, United States, 2006")]),
        (102.6, 5.76, "B", [(233.0, 79.6, "Coronary heart disease"), (466.2, 22.4, "Stroke")]),
        (116.7, 5.76, "B", [(45.0, 47.4, "Characteristic"), (197.3, 11.6, "no."), (258.3, 15.5, "Rate"),
                            (321.6, 28.6, "(95% CI)"), (401.9, 11.6, "no."), (460.4, 15.5, "Rate"),
                            (523.6, 28.6, "(95% CI)")]),
        (130.6, 5.76, "B", [(45.0, 12.2, "Sex")]),
        (141.4, 5.76, "R", [(51.0, 24.1, "Female"), (201.6, 26.3, "200,915"), (259.3, 18.1, "103.1"),
                            (313.5, 44.7, "(102.7-103.6)"), (407.7, 22.2, "82,595"), (465.5, 14.0, "42.6"),
                            (519.7, 36.5, "(42.3-42.9)")]),
        (152.2, 5.76, "R", [(51.0, 16.2, "Male"), (201.6, 26.3, "224,510"), (259.3, 18.1, "176.5"),
                            (313.5, 44.7, "(175.7-177.2)"), (407.8, 22.2, "54,524"), (465.5, 14.0, "43.9"),
                            (519.7, 36.5, "(43.5-44.3)")]),
        (163.0, 5.76, "B", [(45.0, 16.3, "Race")]),
        (173.8, 5.76, "R", [(51.0, 17.4, "Black"), (205.7, 22.2, "44,530"), (259.3, 18.1, "161.6"),
                            (313.5, 44.7, "(160.1-163.1)"), (407.8, 22.2, "17,045"), (465.5, 14.0, "61.6"),
                            (519.7, 36.5, "(60.7-62.6)")]),
        (184.6, 5.76, "R", [(51.0, 19.6, "White"), (201.6, 26.3, "371,445"), (259.3, 18.1, "134.2"),
                            (313.6, 44.7, "(133.8-134.6)"), (403.7, 26.3, "115,864"), (465.5, 14.0, "41.7"),
                            (519.7, 36.5, "(41.5-42.0)")]),
        (197.9, 5.76, "B", [(45.0, 17.0, "total"), (200.2, 27.6, "425,425"), (258.3, 19.0, "135.0"),
                            (312.4, 46.9, "(134.6-135.4)"), (402.3, 27.6, "137,119"), (464.7, 14.8, "43.6"),
                            (518.8, 38.3, "(43.3-43.8)")]),
        (212.0, 5.76, "R", [(45.0, 129.2, "Abbreviation: CI = confidence interval.")]),
    ]
    rules = [(45.0, 93.0, 578.4, 93.0), (169.4, 105.2, 374.2, 105.2), (378.5, 105.2, 578.4, 105.2),
             (45.0, 121.2, 578.4, 121.2), (45.0, 201.5, 578.4, 201.5)]
    return laid_out_pdf(row_lines(rows), rules, 612, 792)


def test_a_wide_gap_between_a_ruled_tables_column_groups_does_not_part_it_constructed():
    """Stands in for ICDAR 2013's us-025, page 2 (above): the gap between the column groups is as wide as
    page halves'; before, the table was cut there and the "Stroke" side read as columns of text."""
    [page] = extract_pdf(_two_column_groups_table(), tables=True)
    assert "| Female | 200,915 | 103.1 | (102.7-103.6) | 82,595 | 42.6 | (42.3-42.9) |" in page.text


def _group_headings_table() -> bytes:
    """us-025's page 2, its Table 2 (rows cut to four): "Race" over four groups, each heading spanning three
    columns over "no. Rate (95% CI)", the stub's heading "Age group (yrs)" in two lines beside them; rules
    under "Race" and under each group's heading. Set as `_two_column_groups_table`'s lines are."""
    rows = [
        (301.3, 6.48, "B", [(45.0, 537.0, "tABLE 2. number of deaths and age-specific death rates* for coronary "
                                         "heart disease among adults aged >=45 years, by age group, sex, and")]),
        (311.3, 6.48, "B", [(45.0, 227.2, "race - national Vital Statistics System, United States, 2006")]),
        (325.4, 5.76, "B", [(323.6, 16.3, "Race")]),
        (338.6, 5.76, "B", [(91.0, 106.3, "American Indian/Alaska native"), (229.8, 73.3, "Asian/Pacific Islander"),
                            (379.8, 18.4, "Black"), (504.9, 20.4, "White")]),
        (343.7, 5.76, "B", [(45.0, 38.1, "Age group")]),
        (352.7, 5.76, "B", [(45.0, 15.0, "(yrs)")] + [(x + dx, w, t) for x in (91.2, 213.9, 337.0, 462.6)
                                                       for dx, w, t in ((0, 11.6, "no."), (27.5, 15.5, "Rate"),
                                                                        (68.1, 28.6, "(95% CI)"))]),
        (366.6, 5.76, "B", [(45.0, 26.6, "Women")]),
        (378.8, 5.76, "R", [(51.0, 20.4, "45-54"), (97.9, 8.2, "47"), (123.9, 14.0, "21.8"),
                            (155.4, 36.5, "(16.0-29.0)"), (221.7, 8.2, "91"), (251.7, 9.9, "8.7"),
                            (280.8, 32.4, "(7.0-10.6)"), (335.1, 18.1, "1,564"), (370.1, 14.0, "56.0"),
                            (401.1, 36.5, "(53.2-58.8)"), (464.0, 18.1, "4,316"), (499.8, 14.0, "24.1"),
                            (531.0, 36.5, "(23.4-24.8)")]),
        (390.9, 5.76, "R", [(51.0, 20.4, "55-64"), (93.8, 12.3, "116"), (123.9, 14.0, "85.5"),
                            (153.3, 40.6, "(69.9-101.0)"), (217.6, 12.3, "224"), (247.6, 14.0, "31.9"),
                            (278.8, 36.5, "(27.7-36.1)"), (335.1, 18.1, "2,636"), (366.0, 18.1, "147.8"),
                            (397.0, 44.7, "(142.1-153.4)"), (460.0, 22.2, "10,137"), (499.8, 14.0, "73.8"),
                            (531.0, 36.5, "(72.3-75.2)")]),
        (403.0, 5.76, "R", [(51.0, 20.4, "65-74"), (93.9, 12.3, "164"), (119.8, 18.1, "234.9"),
                            (151.3, 44.7, "(199.0-270.9)"), (217.6, 12.3, "527"), (243.5, 18.1, "132.2"),
                            (274.7, 44.7, "(120.9-143.5)"), (335.1, 18.1, "3,859"), (366.0, 18.1, "367.2"),
                            (397.0, 44.7, "(355.6-378.8)"), (460.0, 22.2, "19,287"), (495.7, 18.1, "221.0"),
                            (526.9, 44.7, "(217.9-224.1)")]),
        (415.2, 5.76, "R", [(51.0, 20.4, "75-84"), (93.9, 12.3, "242"), (119.8, 18.1, "654.1"),
                            (151.3, 44.7, "(571.7-736.5)"), (211.8, 18.1, "1,056"), (243.5, 18.1, "448.6"),
                            (274.7, 44.7, "(421.5-475.7)"), (335.1, 18.1, "6,114"), (366.0, 18.1, "940.8"),
                            (397.0, 44.7, "(917.3-964.4)"), (460.0, 22.2, "50,538"), (495.8, 18.1, "740.4"),
                            (526.9, 44.7, "(733.9-746.8)")]),
    ]
    rules = [(45.0, 315.8, 580.2, 315.8), (83.4, 328.0, 580.2, 328.0), (83.4, 341.2, 202.8, 341.2),
             (207.1, 341.2, 325.8, 341.2), (330.1, 341.2, 448.0, 341.2), (452.3, 341.2, 580.2, 341.2),
             (45.0, 357.2, 580.2, 357.2), (45.0, 419.0, 580.2, 419.0)]
    return laid_out_pdf(row_lines(rows), rules, 612, 792)


def test_a_group_heading_over_a_wrapped_header_stays_a_row_of_its_own_constructed():
    """Stands in for ICDAR 2013's us-025, page 2 (above): before, the groups' headings were joined into the
    row of "no. Rate (95% CI)" ("American Indian/Alaska native no.")."""
    [page] = extract_pdf(_group_headings_table(), tables=True)
    header = next(line for line in page.text.splitlines() if "American Indian/Alaska native" in line)
    assert "no." not in header
    assert "| no. | Rate | (95% CI) | no. | Rate |" in page.text


def _ruled_table_beside_a_text_column() -> bytes:
    """us-025's page 4 (its Table 6 cut to seven rows): a ruled table in the left column (rules end at 298),
    the article's text in the right one from 323, a gutter of 25 points, narrower than page halves'; the
    table's lines set at 0.72 of the real size and widened as `_two_column_groups_table`'s are, the text's
    lines at 7.2 points (its real 10 at 0.72)."""
    text = ["disparities in heart disease and stroke among persons who already",
            "have heart disease or have experienced a stroke often focuses on",
            "differences in access to care (13-16), use of diagnostic and surgi-",
            "cal procedures (17-20), and type of medication used in treatment",
            "(21,22). Research examining the promotion of cardiovascular",
            "health through preventing onset of hypertension and atheroscle-",
            "rosis should be given priority because major disparities exist in the",
            "prevalence of cardiovascular risk factors among population groups",
            "at early ages (23-25). However, insufficient research has been",
            "conducted regarding behaviors that maintain low risk and prevent",
            "the initiation and progression of hypertension and atherosclerosis."]
    rows = [(79.8 + 12.0 * i, 7.2, "R", [(323.1, 255.4, line)]) for i, line in enumerate(text)]
    rows += [
        (79.9, 6.48, "B", [(44.8, 255.5, "tABLE 6. number of deaths and age-adjusted death rates* for")]),
        (89.9, 6.48, "B", [(44.8, 255.5, "coronary heart disease and stroke, by state/area - national Vital")]),
        (99.9, 6.48, "B", [(44.8, 144.0, "Statistics System, United States, 2006")]),
        (113.6, 5.4, "B", [(124.6, 74.7, "Coronary heart disease"), (244.3, 21.0, "Stroke")]),
        (127.3, 5.4, "B", [(44.8, 34.3, "State/Area"), (121.9, 10.8, "no."), (145.7, 14.6, "Rate"),
                           (174.3, 26.8, "(95% CI)"), (220.8, 10.8, "no."), (243.1, 14.6, "Rate"),
                           (265.5, 26.8, "(95% CI)")]),
    ]
    rows += [
        (140.9, 5.4, "R", [(44.8, 62.0, "District of Columbia"), (120.5, 16.9, "1,144"), (142.7, 16.9, "193.5"),
                           (166.7, 41.9, "(182.2-204.8)"), (225.3, 11.5, "221"), (241.7, 13.1, "37.6"),
                           (261.8, 34.2, "(32.6-42.6)")]),
        (151.8, 5.4, "R", [(44.7, 29.1, "New York"), (116.6, 20.8, "39,385"), (142.7, 16.9, "181.2"),
                           (166.7, 41.9, "(179.4-183.0)"), (219.9, 16.9, "6,398"), (241.7, 13.1, "29.7"),
                           (261.8, 34.2, "(29.0-30.5)")]),
        (162.7, 5.4, "R", [(44.7, 32.3, "Oklahoma"), (120.4, 16.9, "6,930"), (142.6, 16.9, "177.4"),
                           (166.7, 41.9, "(173.2-181.6)"), (219.9, 16.9, "2,085"), (241.7, 13.1, "53.3"),
                           (261.7, 34.2, "(51.0-55.6)")]),
        (173.6, 5.4, "R", [(44.7, 32.5, "Tennessee"), (116.6, 20.8, "10,602"), (142.6, 16.9, "167.8"),
                           (166.7, 41.9, "(164.6-171.0)"), (219.9, 16.9, "3,407"), (241.7, 13.1, "54.6"),
                           (261.7, 34.2, "(52.8-56.5)")]),
        (184.4, 5.4, "R", [(44.7, 40.5, "Rhode Island"), (120.4, 16.9, "2,187"), (142.6, 16.9, "162.4"),
                           (166.7, 41.9, "(155.5-169.3)"), (225.3, 11.5, "421"), (241.7, 13.1, "31.4"),
                           (261.7, 34.2, "(28.4-34.5)")]),
        (195.3, 5.4, "R", [(44.7, 28.0, "Arkansas"), (120.4, 16.9, "5,100"), (142.6, 16.9, "160.1"),
                           (166.7, 41.9, "(155.7-164.5)"), (219.8, 16.9, "1,884"), (241.7, 13.1, "58.8"),
                           (261.7, 34.2, "(56.1-61.4)")]),
        (206.2, 5.4, "R", [(44.7, 40.3, "West Virginia"), (120.4, 16.9, "3,548"), (142.6, 16.9, "158.7"),
                           (166.6, 41.9, "(153.4-163.9)"), (219.8, 16.9, "1,072"), (241.7, 13.1, "47.6"),
                           (261.7, 34.2, "(44.7-50.5)")]),
    ]
    rules = [(44.8, 104.4, 298.4, 104.4), (112.7, 116.3, 209.0, 116.3), (213.3, 116.3, 298.4, 116.3),
             (44.8, 131.8, 298.4, 131.8), (44.8, 210.5, 298.4, 210.5)]
    return laid_out_pdf(row_lines(rows), rules, 612, 792)


def test_a_ruled_table_beside_a_text_column_is_read_apart_from_it_constructed():
    """Stands in for ICDAR 2013's us-025, page 4 (above): before, the table's rows took in the text column's
    lines at their heights ("| District of Columbia | ... | health through preventing onset of ...")."""
    [page] = extract_pdf(_ruled_table_beside_a_text_column(), tables=True)
    rows = [line for line in page.text.splitlines() if line.startswith("| District of Columbia")]
    assert rows and all("atheroscle" not in r for r in rows)
    assert "health through preventing onset of hypertension and atheroscle" in page.text


def _grid_missing_inner_strokes() -> bytes:
    """eu-026's page 5 (a LaTeX page): a caption, a note of two lines, a table ruled across (a double rule
    under the header and at the foot) with one inner vertical stroke, after its first column; the other
    columns are set apart by space only. The page's other strokes are there too (the margin's long vertical
    stroke, the page number's box, the footnote's rule) and one line of body text under the table: without
    them PyMuPDF's finder does not read the grid as the real page's (two columns, the note's last line as its
    external header). Set at 0.66 the real size, widened to Computer Modern's widths."""
    cells = [["no. of correct answers", "Freq.", "Percent", "Cum."], ["0", "138", "6.9", "6.9"],
             ["1", "178", "8.8", "15.7"], ["2", "626", "31.1", "46.8"], ["3", "1070", "53.2", "100.0"]]
    rows = [(181.6, 7.92, "R", [(214.9, 167.1, "Table 2: Financial Literacy 2007")]),
            (193.3, 6.6, "R", [(82.4, 432.0, "This table contains the frequency and the proportion of respondents who "
                                             "were able to answer zero")]),
            (205.3, 6.6, "R", [(82.4, 208.6, "to three questions on the financial literacy task.")]),
            (281.3, 6.6, "R", [(82.4, 358.8, "Source: SAVE 2007, data is weighted according to sample weights 2009, "
                                             "N= 2012.")]),
            (593.5, 7.92, "R", [(75.2, 237.3, "we do not see any difficulty in using this data.")])]
    widths = {"no. of correct answers": 95.9, "Freq.": 22.0, "Percent": 32.8, "Cum.": 23.8}  # figures: 5 a digit
    for y, row in zip([216.0, 230.7, 242.7, 254.6, 266.6], cells, strict=True):
        rows.append((y, 6.6, "R", [(x, widths.get(text) or sum(5.0 if c.isdigit() else 2.7 for c in text), text)
                                   for x, text in zip([82.4, 238.8, 322.7, 406.7], row, strict=True)]))
    rules = [(76.5, y, 520.4, y, 0, 0.4) for y in (207.4, 219.8, 222.2, 270.4, 272.8)]
    rules += [(232.6, y0, 232.6, y1, 0, 0.4) for y0, y1 in ((207.6, 219.6), (222.4, 270.2))]
    rules += [(544.3, 82.2, 544.3, 819.2, 0, 0.3), (544.4, 796.5, 567.1, 819.2, 0.6), (75.2, 680.4, 253.8, 680.4, 0, 0.4)]
    return laid_out_pdf(row_lines(rows), rules, 595.3, 841.9)


def test_a_grid_missing_inner_strokes_is_left_to_the_text_table_finder_constructed():
    """Stands in for ICDAR 2013's eu-026, page 5 (above): before, the finder's grid of two columns was taken
    ("Freq. Percent Cum." in one cell, "to three questions ..." its header)."""
    [page] = extract_pdf(_grid_missing_inner_strokes(), tables=True)
    assert ("| no. of correct answers | Freq. | Percent | Cum. |\n|---|---|---|---|\n"
            "| 0 | 138 | 6.9 | 6.9 |") in page.text
    assert "| to three questions" not in page.text


def _form_lines_with_dot_leaders() -> bytes:
    """A tax form's lines set as pdf.js `prefilled_f1040.pdf`'s page 1 sets its lines 6d to 14: a line's
    number, its label, then a dot leader whose dots are set one by one every 12 points (up to the line's
    number at 467, or at 352 where a line's amount goes in an inner column), the arrows (here ">") pointing
    to a box. Its drawn boxes and the margin's text are left out: the form is read as a table without them."""
    rows = [  # baseline, the line's pieces (x, text, font), its dots (first x, last x)
        (332.7, [(122.4, "d", "B"), (136.8, "Total number of exemptions claimed .", "H")], (288, 468)),
        (345.7, [(118.0, "7", "B"), (136.8, "Wages, salaries, tips, etc. Attach Form(s) W-2", "H"), (469.4, "7", "B")],
         (312, 444)),
        (357.7, [(118.0, "8a", "B"), (136.8, "Taxable", "B"), (168.9, "interest. Attach Schedule B if required .", "H"),
                 (467.1, "8a", "B")], (324, 444)),
        (369.7, [(122.4, "b", "B"), (136.8, "Tax-exempt", "B"), (184.5, "interest.", "H"), (215.5, "Do not", "B"),
                 (243.2, "include on line 8a .", "H"), (351.7, "8b", "B")], (324, 336)),
        (381.7, [(118.0, "9 a", "B"), (136.8, "Ordinary dividends. Attach Schedule B if required", "H"),
                 (467.1, "9a", "B")], (324, 444)),
        (393.7, [(122.4, "b", "B"), (136.8, "Qualified dividends", "H"), (351.7, "9b", "B")], (216, 336)),
        (405.7, [(113.5, "10", "B"), (136.8, "Taxable refunds, credits, or offsets of state and local income taxes", "H"),
                 (467.2, "10", "B")], (384, 444)),
        (417.7, [(113.5, "11", "B"), (136.8, "Alimony received .", "H"), (467.2, "11", "B")], (216, 444)),
        (429.7, [(113.5, "12", "B"), (136.8, "Business income or (loss). Attach Schedule C or C-EZ .", "H"),
                 (467.2, "12", "B")], (348, 444)),
        (441.7, [(113.5, "13", "B"), (136.8, "Capital gain or (loss). Attach Schedule D if required. If not required, "
                                           "check here", "H"), (467.2, "13", "B")], None),
        (453.7, [(113.5, "14", "B"), (136.8, "Other gains or (losses). Attach Form 4797 .", "H"), (467.2, "14", "B")],
         (300, 444)),
    ]
    lines = [(531.2, 331.9, 6.0, ">", "R"), (489.6, 332.9, 7.0, "lines above", "B"), (421.9, 440.2, 6.0, ">", "R")]
    for y, pieces, dots in rows:
        lines += [(x, y, 8.0, text, font) for x, text, font in pieces]
        lines += [(x, y, 8.0, ".", "H") for x in range(dots[0], dots[1] + 1, 12)] if dots else []
    return laid_out_pdf(lines, [], 612, 792)


def test_a_forms_lines_with_dot_leaders_are_no_table_constructed():
    """Stands in for pdf.js `prefilled_f1040.pdf` (above; the shared corpus is not in the repository): before,
    the form's lines were read as a table whose leader dots stood in columns of cells of their own."""
    [page] = extract_pdf(_form_lines_with_dot_leaders(), tables=True)
    cells = [c.strip() for line in page.text.splitlines() if line.startswith("|") for c in line.split("|")[1:-1]]
    assert not any(c and not c.strip(" .") for c in cells)
    assert "Wages, salaries, tips, etc. Attach Form(s) W-2" in page.text


def test_figures_set_close_on_one_baseline_are_cells_of_their_own_constructed():
    """Stands in for ICDAR 2013's us-025, page 4 (development part; its PDFs are only in the evaluation cache):
    the count and the rate under "no." and "Rate" stand 5 points apart on one baseline, and MuPDF reads them as
    one line joined by a space of its own ("1,144 193.5"): the two columns were one, on every row."""
    header = [(44.8, 79.0, "State/Area"), (121.9, 132.7, "no."), (145.7, 160.3, "Rate"), (174.3, 201.0, "(95% CI)"),
              (220.8, 231.7, "no."), (243.1, 257.6, "Rate"), (265.5, 292.3, "(95% CI)")]
    body = [("District of Columbia", "1,144", "193.5", "(182.2-204.8)", "221", "37.6", "(32.6-42.6)"),
            ("New York", "39,385", "181.2", "(179.4-183.0)", "6,398", "29.7", "(29.0-30.5)"),
            ("Oklahoma", "6,930", "177.4", "(173.2-181.6)", "2,085", "53.3", "(51.0-55.6)"),
            ("Tennessee", "10,602", "167.8", "(164.6-171.0)", "3,407", "54.6", "(52.8-56.5)"),
            ("Rhode Island", "2,187", "162.4", "(155.5-169.3)", "421", "31.4", "(28.4-34.5)")]
    rows = [(127.5, 7.5, "H", [(x0, x1 - x0, text) for x0, x1, text in header])]
    for i, (label, count, rate, ci, count2, rate2, ci2) in enumerate(body):
        y = 141.0 + 10.9 * i
        rows.append((y, 7.5, "H", [(44.8, 3.1 * len(label), label), (137.4 - 3.9 * len(count), 3.9 * len(count), count),
                                   (142.7, 16.9, rate), (166.7, 41.9, ci), (236.8 - 3.9 * len(count2), 3.9 * len(count2), count2),
                                   (241.7, 13.1, rate2), (261.8, 34.2, ci2)]))
    rules = [(45, 103.5, 298, 104), (45, 131.5, 298, 132), (45, 196.5, 298, 197)]
    [page] = extract_pdf(laid_out_pdf(row_lines(rows), rules), tables=True)
    assert "| District of Columbia | 1,144 | 193.5 | (182.2-204.8) | 221 | 37.6 | (32.6-42.6) |" in page.text
    assert "| State/Area | no. | Rate | (95% CI) | no. | Rate | (95% CI) |" in page.text


def test_a_row_label_wrapped_around_its_values_is_one_row_constructed():
    """Stands in for ICDAR 2013's us-023, page 2 (development part, only in the evaluation cache): a label
    wrapped over two lines with the row's figures set midway between them ("Between-state income inequality
    (Gini" / figures / "index)"); the three were three rows, and a long label line ended the table there."""
    years = [f"{y}" for y in range(1997, 2003)]
    xs = [200 + 60 * j for j in range(len(years))]
    rows = [(84.0, 9.0, "H", [(45.0, 431.0, "TABLE. Inequality in income, premature mortality and health")]),
            (112.0, 8.0, "H", [(45.0, 66.5, "Inequality measure")] + [(x, 17.0, y) for x, y in zip(xs, years, strict=False)])]
    values = [["0.4590", "0.4560", "0.4580", "0.4620", "0.4660", "0.4620"],
              ["0.0628", "0.0636", "0.0612", "0.0646", "0.0658", "0.0671"],
              ["7108.3", "6960.6", "6920.0", "6899.5", "6940.6", "6965.2"],
              ["0.0762", "0.0785", "0.0820", "0.0850", "0.0819", "0.0861"]]
    labels = [("Household income inequality", "(Gini index)"), ("Between-state income inequality (Gini", "index)"),
              ("Premature mortality (years of potential life", "lost before age 75 yrs/100,000 population)"),
              ("Between-state inequality in premature", "mortality (Gini index)")]
    for i, ((first, second), figures) in enumerate(zip(labels, values, strict=False)):
        top = 135.0 + 24.0 * i
        rows.append((top, 8.0, "H", [(45.0, 3.3 * len(first), first)]))
        rows.append((top + 6.0, 8.0, "H", [(x, 22.2, v) for x, v in zip(xs, figures, strict=False)]))
        rows.append((top + 12.0, 8.0, "H", [(45.0, 3.3 * len(second), second)]))
    rules = [(45, 101.5, 577, 102), (45, 117.5, 577, 118), (45, 236.5, 577, 237)]
    [page] = extract_pdf(laid_out_pdf(row_lines(rows), rules), tables=True)
    assert ("| Between-state income inequality (Gini index) | 0.0628 | 0.0636 | 0.0612 | 0.0646 | 0.0658 | 0.0671 |"
            in page.text)
    assert ("| Premature mortality (years of potential life lost before age 75 yrs/100,000 population) | 7108.3 |"
            in page.text)


def test_a_heading_centred_over_the_value_columns_between_rows_is_a_row_constructed():
    """Stands in for ICDAR 2013's us-019, page 4 (development part, only in the evaluation cache): "Percentage
    difference between actual and projected values" is centred over the value columns between two runs of
    rows of one table; it ended the table there (two tables, the heading a paragraph between them)."""
    label = "Projections of Education Statistics to"
    xs = [(240.5, 268.0), (341.0, 368.5), (441.5, 469.0), (542.0, 569.5)]
    rows = []
    first = [["49,644", "49,825", "50,067", "50,353"], ["49,470", "49,623", "49,788", "50,034"],
             ["-", "49,265", "49,312", "49,386"], ["-", "-", "49,282", "49,306"]]
    second = [["0.7", "1.1", "1.4", "1.8"], ["0.4", "0.7", "0.8", "1.1"], ["-", "#", "-0.1", "-0.2"],
              ["-", "-", "-0.2", "-0.4"]]
    y = 100.0
    for block, heading in ((first, "Projected enrollment, in thousands"),
                           (second, "Percentage difference between actual and projected values")):
        rows.append((y, 9.0, "H", [(282.6 if len(heading) > 40 else 331.8, 4.1 * len(heading), heading)]))
        y += 11.1
        for k, figures in enumerate(block):
            rows.append((y, 9.0, "H", [(36.0, 170.2, f"{label} {2017 + k}")]
                         + [(x1 - 4.6 * len(v), 4.6 * len(v), v) for (_, x1), v in zip(xs, figures, strict=False)]))
            y += 11.1
        y += 11.0
    rules = [(36, 62.5, 569, 63), (36, 80.5, 569, 81), (36, y - 8, 569, y - 7.5)]
    [page] = extract_pdf(laid_out_pdf(row_lines(rows), rules), tables=True)
    assert sum(line.startswith("|---") for line in page.text.splitlines()) == 1  # one table
    assert "Percentage difference between actual and projected values |" in page.text
    assert f"| {label} 2017 | 0.7 | 1.1 | 1.4 | 1.8 |" in page.text


def _banded_table() -> bytes:
    """A table set as ICDAR 2013's us-022, page 2 (development part, only in the evaluation cache): a frame,
    the header and every other row shaded cell by cell (a filled rectangle a cell), the rows between them
    unshaded, so the finder has no column border through them and reads each as one cell."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    xs, top, pitch, light = [104, 220, 278, 335, 393, 450, 508], 306, 26, (0.83, 0.88, 0.93)
    body = [("Investigative Matters", "426", "365", "285", "402", "387"),
            ("Defendants Charged", "290", "259", "235", "259", "215"),
            ("Cases Charged", "217", "197", "173", "177", "168"),
            ("Defendants Sentenced", "287", "242", "223", "207", "208"),
            ("No Prison Term", "148", "107", "126", "121", "102"),
            ("1-12 Months", "52", "48", "35", "38", "27")]
    rows = [("District Totals", "FY 2007", "FY 2008", "FY 2009", "FY 2010", "FY 2011"), *body]
    bottom = top + pitch * len(rows)
    for i, row in enumerate(rows):
        y = top + pitch * i
        if i % 2 == 0:
            for x0, x1 in zip(xs, xs[1:], strict=False):
                page.draw_rect((x0, y, x1, y + pitch), color=None, fill=(0.0, 0.4, 0.7) if i == 0 else light)
        for j, (x0, x1, text) in enumerate(zip(xs, xs[1:], row, strict=False)):
            width = pymupdf.get_text_length(text, fontsize=9)
            page.insert_text((x0 + 6 if j == 0 else (x0 + x1 - width) / 2, y + 16), text, fontsize=9)
    page.draw_line((xs[0], top), (xs[-1], top), width=0.5)
    page.draw_line((xs[0], bottom), (xs[-1], bottom), width=0.5)
    for x in (xs[0], xs[-1]):
        page.draw_line((x, top), (x, bottom), width=0.5)
    return doc.tobytes()


def test_an_unshaded_row_of_a_banded_table_keeps_its_columns_constructed():
    """The unshaded rows of a table shaded every other row were read into their first cell ("290 259 235 259
    215 Defendants Charged"); their lines, each inside one column of the shaded rows, are its cells."""
    [page] = extract_pdf(_banded_table(), tables=True)
    assert "| Defendants Charged | 290 | 259 | 235 | 259 | 215 |" in page.text
    assert "| Cases Charged | 217 | 197 | 173 | 177 | 168 |" in page.text
    assert "| District Totals | FY 2007 | FY 2008 | FY 2009 | FY 2010 | FY 2011 |" in page.text


def _captioned_grid(lead: list[str]) -> bytes:
    """A grid ruled from its first body row down, its header row over the top rule unruled, and ``lead``
    lines set over it: as ICDAR 2013's us-008 (a caption set across the columns) and us-005 (a paragraph
    whose last line ends over the first cell), both development part, only in the evaluation cache."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    xs, ys = [72, 180, 288, 396, 504], [114, 127, 140, 153, 168]
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=0.5)
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=0.5)
    for i, text in enumerate(lead):
        page.insert_text((72, 72 + 14 * i), text, fontsize=12)
    for x, text in zip(xs, ["Age Cohort", "Head Start Group", "Control Group", "Total Sample"], strict=False):
        page.insert_text((x + 20, 110), text, fontsize=11)
    body = [("3-year-olds", "1,530", "1,029", "2,559"), ("4-year-olds", "1,253", "855", "2,108"),
            ("Total", "2,783", "1,884", "4,667")]
    for y, row in zip(ys, body, strict=False):
        for x, text in zip(xs, row, strict=False):
            page.insert_text((x + 6, y + 10), text, fontsize=11)
    return doc.tobytes()


def test_a_caption_over_a_grid_is_not_its_header_row_constructed():
    """The finder takes the lines over a grid whose top is not ruled as its header row, a caption set across
    its columns too ("Exhibit 2.2. Numbe" | "er of Children Random"): lines running over a cell's side, and
    the last line of a paragraph under such a line, stay text; the header row under them is the table's."""
    caption = ["Exhibit 2.2.   Number of Children Randomly Assigned to Head Start and Control Groups,",
               "                       by Age Cohort"]
    [page] = extract_pdf(_captioned_grid(caption), tables=True)
    assert "| Age Cohort | Head Start Group | Control Group | Total Sample |\n|---|---|---|---|\n" in page.text
    assert "Exhibit 2.2. Number of Children Randomly Assigned" in page.text.replace("   ", " ")
    paragraph = ["the geography. In both cases, the income is compared to the MSA or statewide",
                 "nonmetropolitan median income."]
    [page] = extract_pdf(_captioned_grid(paragraph), tables=True)
    assert "| Age Cohort | Head Start Group | Control Group | Total Sample |\n|---|---|---|---|\n" in page.text
    assert "nonmetropolitan median income.\n" in page.text


def test_a_group_heading_over_the_first_row_and_a_long_heading_between_rows_are_rows_constructed():
    """Stands in for ICDAR 2013's us-019, page 4, its second table (development part, only in the evaluation
    cache): "Lead time (years)" set over the columns "1 2 3 4" right above them was a paragraph before the
    table, and the 77-character heading centred over the value columns under them ended the header's table."""
    label = "Projections of Education Statistics to"
    rights = [252.9, 358.2, 463.6, 569.0]
    rows = [(348.0, 9.0, "H", [(367.3, 68.6, "Lead time (years)")]),
            (362.3, 9.0, "H", [(36.0, 28.5, "Source")] + [(x1 - 5.0, 5.0, str(j + 1)) for j, x1 in enumerate(rights)]),
            (377.0, 9.0, "H", [(246.6, 309.7, "Absolute value of percentage difference between actual and projected values")])]
    figures = [["-", "0.7", "1.1", "1.4"], ["0.4", "0.7", "0.8", "1.1"], ["#", "0.1", "0.2", "-"], ["0.2", "0.4", "-", "-"]]
    for k, row in enumerate(figures):
        rows.append((388.0 + 11.1 * k, 9.0, "H", [(36.0, 170.2, f"{label} {2017 + k}")]
                     + [(x1 - 4.6 * len(v), 4.6 * len(v), v) for x1, v in zip(rights, row, strict=False)]))
    rules = [(36, 336.5, 569, 337), (234, 350.5, 569, 351), (36, 365.5, 569, 366), (36, 433.5, 569, 434)]
    [page] = extract_pdf(laid_out_pdf(row_lines(rows), rules), tables=True)
    lines = page.text.splitlines()
    # "Source", under no group rule, spans the header's two rows: read in the first (the competition's cells)
    assert lines[0].startswith("| Source | Lead time (years) |")
    assert "|  | 1 | 2 | 3 | 4 |" in page.text
    assert "| Absolute value of percentage difference between actual and projected values |" in page.text
    assert sum(line.startswith("|---") for line in lines) == 1  # one table


def _grid_of_figures_drawn_out_of_order(across: bool) -> bytes:
    """Stands in for ICDAR 2013's us-007 and us-009 (development part, only in the evaluation cache): a ruled
    grid whose figure "0.14" is drawn glyph by glyph out of order ("0", "1", "4", then "." between them), and
    (``across``) a row set as one PDF line across two ruled cells, the figures parted by spaces."""
    from stages.extract_docling.constructed_pdf import pdf_string, text_pdf

    strokes = [f"{x} 480 m {x} 600 l S" for x in (100, 200, 300, 400)]
    strokes += [f"100 {y} m 400 {y} l S" for y in (480, 520, 560, 600)]

    def glyphs(x: float, y: float, pieces: list[tuple[float, str]]) -> str:
        return "BT /F1 10 Tf " + " ".join(f"1 0 0 1 {x + dx:.2f} {y} Tm {pdf_string(t)} Tj" for dx, t in pieces) + " ET"

    zero, point = 5.56, 2.78  # Helvetica's widths of a figure and of "." at 10 points
    out_of_order = [(0, "0"), (zero + point, "1"), (2 * zero + point, "4"), (zero, ".")]
    content = ["0 0 0 RG 1 w " + " ".join(strokes),
               glyphs(110, 570, [(0, "Item")]), glyphs(210, 570, [(0, "Share")]), glyphs(310, 570, [(0, "Total")]),
               glyphs(110, 530, [(0, "Alpha")]), glyphs(210, 530, out_of_order), glyphs(310, 530, [(0, "1.5")]),
               glyphs(110, 490, [(0, "Beta")])]
    if across:
        content.append(glyphs(210, 490, [(0, "1,314,000" + " " * 20 + "373,250")]))
    else:
        content += [glyphs(210, 490, [(0, "1,314,000")]), glyphs(310, 490, [(0, "373,250")])]
    return text_pdf(["\n".join(content)])


def test_a_ruled_cells_text_follows_its_glyphs_positions_constructed():
    """A cell's figure drawn out of order read "0 14 ." (MuPDF's lines, in drawing order), and a PDF line across
    two ruled cells sent the whole table to the finder's own text, which puts a figure's separators after its
    digits ("1314000 , ,", "014 ."): cells are read from their glyphs, left to right."""
    for across in (False, True):
        [page] = extract_pdf(_grid_of_figures_drawn_out_of_order(across), tables=True)
        assert "| Item | Share | Total |" in page.text
        assert "| Alpha | 0.14 | 1.5 |" in page.text
        assert "| Beta | 1,314,000 | 373,250 |" in page.text


def test_a_label_column_not_ruled_across_beside_figures_ruled_row_by_row_is_parted_into_the_rows_constructed():
    """Stands in for ICDAR 2013's us-009 (development part, only in the evaluation cache): the label column's
    rows are not ruled, the figures' are, so the finder reads the labels as one cell down the whole body
    ("Salaries Fringe Benefits Travel Rent" beside the first row's figures, or, split as a tall row, the
    figures of the rows under it twice); each label sits on its row's baseline and goes into that row."""
    from stages.extract_docling.constructed_pdf import lines_at, text_pdf

    strokes = [f"{x} 480 m {x} 600 l S" for x in (100, 200, 300, 400)]
    strokes += [f"100 {y} m 400 {y} l S" for y in (480, 560, 600)] + [f"200 {y} m 400 {y} l S" for y in (500, 520, 540)]
    labels, shares, totals = ["Salaries", "Fringe Benefits", "Travel", "Rent"], ["0.14", "0.35", "0.10", "0.26"], \
        ["1,314,000", "352,000", "26,000", "94,000"]
    content = ["0 0 0 RG 1 w " + " ".join(strokes), lines_at(["Item"], 110, 575, 20, "F1", 10),
               lines_at(["Share"], 210, 575, 20, "F1", 10), lines_at(["Total"], 310, 575, 20, "F1", 10),
               lines_at(labels, 110, 545, 20, "F1", 10), lines_at(shares, 210, 545, 20, "F1", 10),
               lines_at(totals, 310, 545, 20, "F1", 10)]
    [page] = extract_pdf(text_pdf(["\n".join(content)]), tables=True)
    body = [f"| {label} | {share} | {total} |" for label, share, total in zip(labels, shares, totals, strict=True)]
    assert page.text.splitlines() == ["| Item | Share | Total |", "|---|---|---|", *body]  # each row once


def test_a_heading_with_a_group_rule_under_it_is_a_header_row_of_its_own():
    """ICDAR 2013's us-017, page 2: "Total", "Public" and "Private" each set over the middle one of the three
    columns they head ("PK–12 PK–8 9–12"), a rule under each over its three columns: a header row of their
    own, each heading in its group's first column (before: joined into the columns' headings, "Total PK–8")."""
    text = _icdar_page("us-017", 2)
    assert ("| Year | Total |  |  | Public |  |  | Private |  |  |\n|---|---|---|---|---|---|---|---|---|---|\n"
            "|  | PK–12 | PK–8 | 9–12 | PK–12 | PK–8 | 9–12 | PK–12 | PK–8 | 9–12 |") in text  # "Year" spans both rows


def test_group_headings_over_their_rules_stand_in_their_groups_first_column():
    """ICDAR 2013's us-025, page 3: "Women" and "Men" over six columns each, "Hispanic" and "non-Hispanic" over
    three each, a rule under each heading over its group: each heading in its group's first column, as the
    grid of a spanning cell has it (before: in the column it happened to be set over, "Hispanic" in the
    second column of its group and "non-Hispanic" beside it)."""
    text = _icdar_page("us-025", 3)
    assert "| Age group (yrs) | Women |  |  |  |  |  | Men |  |  |  |  |  |" in text  # "Age group" spans the rows
    assert "|  | Hispanic |  |  | non-Hispanic |  |  | Hispanic |  |  | non-Hispanic |  |  |" in text


def test_a_cell_shaded_line_by_line_is_one_cell():
    """ICDAR 2013's eu-021, page 3: each line of the shaded header cells is shaded again by a rectangle of the
    cell's own colour; the finder cut the header at those invisible edges into a row per line ("Suffered" over
    "from"). Joined, the header is one row."""
    text = _icdar_page("eu-021", 3)
    assert ("| Treatment/Therapy |  | Suffered from | Followed treatment |\n|---|---|---|---|\n"
            "| Allergy problems | Count | 93 | 77 |") in text


def test_a_ruled_row_holding_entries_set_apart_by_blank_space_is_split_at_them():
    """ICDAR 2013's us-032, page 1: each ruled row holds a group's heading ("Stationary:") and two entries, a
    label beside a description and examples wrapped over several lines, a blank band between entries (each
    label's column shaded line by line too): a row per heading and entry (before: one row for the three)."""
    text = _icdar_page("us-032", 1)
    assert "| Stationary: |  |  |\n| Major | Emissions of 10 tons per year or more of any one air toxic" in text
    assert "| Area | Emissions of less than 10 tons per year of any one air toxic pollutant" in text
    assert "| Non-road | Emissions from a diverse collection of engines" in text


def test_shadings_of_one_colour_inside_or_stacked_are_one_shading_for_the_finder():
    """eu-021's header cell as drawn (above): the cell's grey rectangle and one per line of it, of the same grey,
    laid inside it; and us-032's label column, a green rectangle per line stacked edge to edge. The finder gets
    one rectangle each; another colour and a stroke are left as they are."""
    import pymupdf

    from stages.extract_docling.pymupdf_text import finder_paths

    def shade(rect, fill):
        return {"type": "f", "fill": fill, "color": None, "rect": pymupdf.Rect(rect),
                "items": [("re", pymupdf.Rect(rect), 1)]}

    grey, green = (0.703, 0.703, 0.703), (0.8, 1.0, 0.8)
    cell = [shade((209.4, 97.3, 285.4, 124.4), grey), shade((210.2, 98.9, 284.4, 109.2), grey),
            shade((210.2, 109.2, 284.4, 119.5), grey)]
    column = [shade((149.4, 238.4 + 11.5 * i, 234.4, 249.9 + 11.5 * i), green) for i in range(4)]
    stroke = {"type": "s", "fill": None, "color": (0, 0, 0), "rect": pymupdf.Rect(56, 95.9, 364, 95.9),
              "items": [("l", pymupdf.Point(56, 95.9), pymupdf.Point(364, 95.9))]}
    other = shade((286.1, 97.3, 362.2, 124.4), (0.9, 0.9, 0.9))
    paths = finder_paths([*cell, *column, stroke, other])
    rects = sorted(tuple(round(v, 1) for v in p["rect"]) for p in paths)
    assert rects == [(56.0, 95.9, 364.0, 95.9), (149.4, 238.4, 234.4, 284.4), (209.4, 97.3, 285.4, 124.4),
                     (286.1, 97.3, 362.2, 124.4)]
    assert [p["rect"] for p in finder_paths([stroke, other])] == [stroke["rect"], other["rect"]]


def test_a_caption_and_a_note_drawn_inside_a_grids_frame_stay_text():
    """ICDAR 2013's us-012, page 1: the exhibit's title and its note are drawn inside the grid's frame as its
    first and last rows, one cell across the table each: text over and under the table, not rows of it."""
    text = _icdar_page("us-012", 1)
    assert text.startswith("Exhibit B.4 State Implementation of the “1 Percent Rule,” 2003–04 and 2005–06 "
                           "(continued)\n\n|  | AYP Based on 2003–04 Testing |")
    assert "| WY | Yes | No | Yes | No | na |\n\nNote: “na” means not available." in text


@pytest.mark.parametrize("name", ["corpus/text/pdfjs__prefilled_f1040.pdf", "corpus/text/pdfjs__issue14117.pdf",
                                  "corpus/text/pdfjs__bug1815476.pdf", "corpus/text/pdfjs__TAMReview.pdf"])
def test_a_grid_is_found_as_by_looking_at_every_crossing(name):
    """``crossings`` (``is_grid``'s search) looks only at the vertical strokes a horizontal one spans (found by
    their x, for speed): on real pages (forms and ruled tables: grids; a report's pages with and without one)
    it finds every place where two strokes meet that the search through every pair finds, and no other."""
    import pymupdf

    from stages.extract_docling.pymupdf_text import crossings

    pymupdf._get_layout = None
    with pymupdf.open(shared_pdf(name)) as doc:
        for page in doc:
            _, vertical, horizontal = page_rules(page)
            for tolerance in (0.5, 2.0, 10.0):  # fewer and more meetings than the default finds
                every_pair = {(x, y) for hx0, hx1, y in horizontal for vy0, vy1, x in vertical
                              if hx0 - tolerance <= x <= hx1 + tolerance and vy0 - tolerance <= y <= vy1 + tolerance}
                assert crossings(horizontal, vertical, tolerance) == every_pair


def test_sparing_pymupdfs_header_rules_changes_no_output(monkeypatch):
    """``_may_have_header_above`` spares PyMuPDF's header rules (two renders per grid) where they cannot set a
    header above the grid: a shortcut, not a change. On real forms and ruled tables (grids with a header set
    above them, with captions across their columns, with nothing above) the text is the same as with the
    rules run for every grid, and some grids are spared, or the shortcut would spare nothing."""
    import stages.extract_docling.pymupdf_text as text_path

    names = ("corpus/text/pdfjs__TAMReview.pdf", "corpus/text/pdfjs__canvas.pdf",
             "corpus/text/pdfjs__issue6127.pdf", "corpus/text/pdfjs__prefilled_f1040.pdf")
    pdfs = [shared_pdf(name).read_bytes() for name in names]
    decided = []
    shortcut = text_path._may_have_header_above
    monkeypatch.setattr(text_path, "_may_have_header_above", lambda *a: decided.append(shortcut(*a)) or decided[-1])
    spared = [[page.text for page in extract_pdf(pdf, tables=True)] for pdf in pdfs]
    monkeypatch.setattr(text_path, "_may_have_header_above", lambda *a: True)
    assert spared == [[page.text for page in extract_pdf(pdf, tables=True)] for pdf in pdfs]
    assert decided.count(False) >= 3 and decided.count(True) >= 3


def _tabula_page(doc_id: str) -> str:
    """Page 1 of a PDF of the tabula suite's development part (tabula-java's test PDFs, in the evaluation cache)."""
    from tools.eval_quality.suites import DEV, default_folder, split_of

    path = default_folder("tabula") / f"{doc_id}.pdf"
    if not path.exists():
        pytest.skip("the tabula suite is prepared into the evaluation cache by `python -m tools.eval_quality.suites prepare`")
    assert split_of("tabula", doc_id) == DEV
    import pymupdf

    doc = pymupdf.open(path)
    doc.select([0])
    [page] = extract_pdf(doc, tables=True)
    return page.text


def test_a_numbered_table_of_figures_set_in_two_halves_is_two_tables():
    """tabula-java's MultiColumn.pdf: rows "1 100 200" .. "24 123 223" and, beside them, "25 124 224" ..
    "44 143 243", no rules. The serial numbers down the first column are no line-numbered code listing (the
    cells beside them are figures), and the second half numbered on from the first is read after it, a table
    of its own (before: every column a paragraph of numbers)."""
    text = _tabula_page("MultiColumn")
    assert "| 1 | 100 | 200 |\n|---|---|---|\n| 2 | 101 | 201 |" in text
    assert "| 24 | 123 | 223 |\n\n| 25 | 124 | 224 |\n|---|---|---|\n| 26 | 125 | 225 |" in text


def test_two_tables_ruled_row_by_row_side_by_side_are_two_tables_of_whole_rows():
    """tabula-java's AnimalSounds1.pdf: two tables side by side, a rule under each row, cells wrapped onto
    several lines. The rules of each end at the gap between them, at heights of their own: two tables; the
    lines between two rules are one row. (Before: one table across both, a row per line, its rules lost where
    two rules a hair apart in height were merged into one.)"""
    text = _tabula_page("AnimalSounds1")
    assert ("| Animal | Action | Result |\n|---|---|---|\n| Cat | Says | Meow |\n"
            "| Parastratiosph ecomyiastratio sphecomyioid es | Says | bzzzzzzz |\n| Fox | Says | Ring") in text
    assert ("| Animal | Action | Result |\n|---|---|---|\n| Dogs/wolves/ More dogs | Says | Bow-wow/ ruff-ruff |\n"
            "| Donkey | Says | Hee-Haw Hee-Haw |") in text


def test_a_unit_over_one_column_of_a_grid_is_no_header_row():
    """tabula-java's spreadsheet_no_bounding_frame.pdf: "(In 1000 ha)" stands over the last column, above the
    grid's top; the finder takes it for a header row set above the grid, with five empty cells (so is
    "(単位：百万円)" over twotables.pdf's). One name is no header: it stays text, the grid's rows begin with
    its own header."""
    text = _tabula_page("spreadsheet_no_bounding_frame")
    assert "(In 1000 ha)\n\n| PRODUCTS | HARVEST |  |  | VARIATION |  |\n|---|---|---|---|---|---|\n" in text


def test_a_table_set_three_times_side_by_side_is_three_tables():
    """ICDAR 2013's us-035a, page 3: "Age | Total population" set three times across the page (ages 0-39,
    40-79, 80-112+): three tables, each read down its ages, as the competition labels them (before: one
    table of six columns, ages 0, 40 and 80 on one row; TEDS 0.43 each)."""
    text = _icdar_page("us-035a", 3)
    assert "| Age | Total population |\n|---|---|\n| Under 1 year | 3,533,692 |\n| 1 years | 3,269,557 |" in text
    assert "| 39 years | 2,552,762 |\n\n| Age | Total population |\n|---|---|\n| 40 years | 2,468,083 |" in text
    assert "| Total | 226,545,805 |" in text


def test_a_table_set_twice_side_by_side_is_two_tables_constructed():
    """Stands in for us-035a, page 3 (above), its rows cut to four, at the real page's positions (Courier
    there, Helvetica here): a rule over and under the header, the copies' columns 60 points apart."""
    lefts, rights = [74.4, 234.0], [224.2, 358.1]
    rows = [("Age", "Total population"), ("Under 1 year", "3,533,692"), ("1 years", "3,269,557"),
            ("2 years", "3,223,816"), ("3 years", "3,179,441")]
    later = [("Age", "Total population"), ("40 years", "2,468,083"), ("41 years", "2,375,849"),
             ("42 years", "2,325,572"), ("43 years", "2,237,108")]
    lines = [(72.0, 81.8, 12.0, "Table A.2: 1980 Census population by single year of age", "B")]
    for copy, left, right in ((rows, lefts[0], rights[0]), (later, lefts[1], rights[1])):
        for i, (label, figure) in enumerate(copy):
            y = 112.0 + 12.0 * i + (6.0 if i else 0.0)
            lines += [(left, y, 8.9, label, "H"), right_aligned(right, y, 8.9, figure)]
    rules = [(72.0, 98.0, 362.0, 98.0), (72.0, 119.5, 362.0, 119.5), (72.0, 178.0, 362.0, 178.0)]
    [page] = extract_pdf(laid_out_pdf(lines, rules, 612, 792), tables=True)
    assert ("| Age | Total population |\n|---|---|\n| Under 1 year | 3,533,692 |\n| 1 years | 3,269,557 |\n"
            "| 2 years | 3,223,816 |\n| 3 years | 3,179,441 |\n\n| Age | Total population |\n|---|---|\n"
            "| 40 years | 2,468,083 |") in page.text


def test_a_ruled_table_of_descriptions_set_flush_right_is_a_table():
    """ICDAR 2013's us-019, page 2: a table of forecast assumptions, its second column long descriptions set
    flush right (ragged left) between rules over and under the header and under the table. Its rows' two
    long cells looked like lines of two text columns, so only its last rows were a table (TEDS 0.43)."""
    text = _icdar_page("us-019", 2)
    assert ("| Variable | Assumption |\n|---|---|\n| Demographic assumptions |  |\n"
            "| Population | Projections are consistent with the Census Bureau estimates |\n"
            "| 18- to 24-year-old population | Census Bureau projection: average annual growth rate of 0.1% |") in text
    assert "| Age 25 and over | Remains between 5.0% and 7.3% |" in text


_ASSUMPTIONS = [  # us-019, page 2: (baseline y, label or "", description or ""), at the real page's positions
    (62.1, "Variable", "Assumption"), (77.2, "Demographic assumptions", ""),
    (88.0, "Population", "Projections are consistent with the Census Bureau estimates"),
    (99.3, "18- to 24-year-old population", "Census Bureau projection: average annual growth rate of 0.1%"),
    (110.4, "25- to 29-year-old population", "Census Bureau projection: average annual growth rate of 0.6%"),
    (121.4, "30- to 34-year-old population", "Census Bureau projection: average annual growth rate of 1.3%"),
    (132.5, "35- to 44-year-old population", "Census Bureau projection: average annual growth rate of 0.6%"),
    (154.5, "Economic assumptions", ""),
    (165.6, "Inflation rate", "Inflation rate ranges between 1.0% and 2.0%"),
    (176.6, "Unemployment rate (men)", ""), (187.7, "Ages 18 and 19", "Remains between 17.7% and 26.8%"),
    (198.7, "Ages 20 to 24", "Remains between 10.8% and 15.6%"), (209.8, "Age 25 and over", "Remains between 5.3% and 7.9%"),
]


def test_a_ruled_table_of_descriptions_set_flush_right_is_a_table_constructed():
    """Stands in for us-019, page 2 (above), its rows cut to twelve, at the real page's positions; and the
    same lines without the table's rules are read as text (a right-aligned block beside text is no table)."""
    lines = [(40.0, 47.0, 9.0, "Table A-1. Summary of forecast assumptions to 2021", "B")]
    for y, label, description in _ASSUMPTIONS:
        lines.append((40.0, y, 9.0, label, "H"))
        if description:
            lines.append(right_aligned(565.1, y, 9.0, description))
    rules = [(36.0, 51.0, 569.1, 51.0), (36.0, 66.1, 569.1, 66.1), (36.0, 214.0, 569.1, 214.0)]
    [page] = extract_pdf(laid_out_pdf(lines, rules, 612, 792), tables=True)
    assert ("| Variable | Assumption |\n|---|---|\n| Demographic assumptions |  |\n"
            "| Population | Projections are consistent with the Census Bureau estimates |\n") in page.text
    assert "| Age 25 and over | Remains between 5.3% and 7.9% |" in page.text
    [bare] = extract_pdf(laid_out_pdf(lines, [], 612, 792), tables=True)
    assert "| Population |" not in bare.text


def test_column_headings_wrapped_onto_a_second_line_are_one_header_row():
    """ICDAR 2013's us-035a, pages 4 and 2: "Sample" over "size", "Weighted" over "Percent", "Proportion" over
    "(total)", set closer than the table's rows, their bars too thick to be read as rules: each heading one
    cell of one header row (before: a second header row of "size" and "Percent" alone; TEDS 0.84 and 0.90)."""
    text = _icdar_page("us-035a", 4)
    assert "| Status | Sample size | Percent | Weighted Percent |\n|---|---|---|---|\n| Total | 39695 |" in text
    text = _icdar_page("us-035a", 2)
    # "U.S. population" over the first figure column, as ICDAR's truth has it, since the typed line's pieces
    # are parted at its spaces with the boxes their characters fill (typed_pieces): before, it headed the second
    assert ("| Age groups | U.S. population |  |  |\n|---|---|---|---|\n"
            "|  | Proportion (total) | Proportion (20+ years) | Total |\n| Under 1 year | 0.0156 |  | 3,533,692 |") in text


def test_column_headings_wrapped_onto_a_second_line_are_one_header_row_constructed():
    """Stands in for us-035a, page 4 (above), at the real page's positions (Courier there, Helvetica here), no
    rules: the headings' second lines 12.7 points under their first, the rows 15.4 points apart. Set as far
    under the first line as the rows are apart, the second line is a row of its own."""
    for second, joined in ((136.3, True), (139.0, False)):
        text = _status_table(second)
        header = "| Status | Sample size | Percent | Weighted Percent |\n|---|---|---|---|\n| Total | 39695 |"
        assert (header in text) is joined
        assert ("|  | size |  | Percent |" in text) is not joined


def _status_table(second: float) -> str:
    rows = [(123.6, [(145.4, "Status"), (283.9, "Sample"), (339.8, "Percent"), (433.0, "Weighted")]),
            (second, [(298.3, "size"), (440.2, "Percent")])]
    body = [("Total", "39695", "100.0", "100.0"), ("Not interviewed", "5701", "14.4", "18.2"),
            ("Interviewed, not examined", "2683", "6.8", "7.5"), ("MEC examined", "30818", "77.6", "73.4"),
            ("Home examined", "493", "1.2", "0.8")]
    lines = [(72.0, 81.8, 12.0, "Table A.3: Overall interview and examination response rates,", "B")]
    lines += [(x, y, 10.0, text, "H") for y, cells in rows for x, text in cells]
    y0 = second + 15.4
    for i, (label, *figures) in enumerate(body):
        y = y0 + 15.4 * i
        lines.append((74.4, y, 10.0, label, "H"))
        lines += [right_aligned(r, y, 10.0, f) for r, f in zip((327.1, 390.2, 490.6), figures, strict=True)]
    [page] = extract_pdf(laid_out_pdf(lines, [], 612, 792), tables=True)
    return page.text


def test_dashes_for_no_figure_are_cells_of_their_own():
    """ICDAR 2013's us-019, page 3: "—" in the four last lead-time columns of six rows: each dash its own
    cell (before: a dash was read as a list marker for the next, "— —" in one column and the next empty)."""
    text = _icdar_page("us-019", 3)
    assert "| White | 1.1 | 2.4 | 3.9 | 5.5 | 6.7 | 7.4 | — | — | — | — |" in text


def test_a_row_label_wrapped_under_its_row_is_one_cell():
    """ICDAR 2013's us-024, page 2: "American Indian/Alaska" over "Native" (and "American Indian/" over
    "Alaska Native"), set closer than the rows and indented: one label of its row (before: a row of its own)."""
    text = _icdar_page("us-024", 2)
    assert "| American Indian/Alaska Native | 707 | 51 | (7.2) |" in text
    assert "| American Indian/ Alaska Native | 348 | 18 | (5.3) |" in text
    assert "| Sex, by race/ethnicity |  |" in text


def test_an_open_sided_ruled_grid_keeps_its_label_and_last_columns():
    """ICDAR 2013's us-001, page 3 (a Census table): the rules run past the outer vertical strokes to the label
    column and the last "Difference" column, and no stroke closes the sides; the grid has both (before: the
    finder's frame stopped at the inner strokes, and the labels and the last column went out as loose text)."""
    text = _icdar_page("us-001", 3)
    assert "| Category | Age-adjusted disability rate |" in text
    assert ("| All people . . . . . . . . . | 18.6 | 0.3 | 18.1 | 0.3 | *–0.5 | 18.7 | 0.3 | 18.7 | 0.3 | – |"
            in text)
    assert "| Hispanic or Latino . . . . . . . | 18.4 | 0.9 | 17.8 | 0.7 | –0.6 | 13.1 | 0.7 | 13.2 | 0.6 | 0.1 |" in text


def _open_sided_grid() -> bytes:
    """A statistical table set as us-001's page 3 is: rules across the whole width, vertical strokes only
    between the figure columns, none at the sides, and no text anywhere else on the page."""
    left, right, inner = 80, 550, [200, 283, 366, 450]
    ys = [100, 120, 190]
    rules = [(left, y, right, y) for y in ys] + [(x, ys[0], x, ys[-1]) for x in inner]
    names = ["2005", "2010", "Change", "Difference"]
    header = [(88, 114, 9, "Category", "H")] + [right_aligned(x - 5, 114, 9, name)
                                                for x, name in zip(inner[1:] + [right], names, strict=True)]
    body = []
    for i, (label, *figures) in enumerate([("All people", "18.6", "18.1", "-0.5", "0.2"),
                                            ("Male", "17.9", "17.6", "-0.3", "0.1"),
                                            ("Female", "19.0", "18.3", "-0.7", "-0.2")]):
        y = 136 + 18 * i
        body.append((88, y, 9, label, "H"))
        body += [right_aligned(x - 5, y, 9, figure) for x, figure in zip(inner[1:] + [right], figures, strict=True)]
    return laid_out_pdf(header + body, rules)


def test_an_open_sided_ruled_grid_keeps_its_outer_columns_constructed():
    """Stands in for us-001 above: the finder closes such a grid with the frame of its strokes only where it
    sees text inside, which it measured in two frames at once and, read in a clip of the page, did not see."""
    [page] = extract_pdf(_open_sided_grid(), tables=True)
    assert "| Category | 2005 | 2010 | Change | Difference |" in page.text
    assert "| All people | 18.6 | 18.1 | -0.5 | 0.2 |" in page.text
    assert "| Female | 19.0 | 18.3 | -0.7 | -0.2 |" in page.text


def test_two_grids_of_one_width_stacked_are_closed_apart():
    """Real coordinates (tabula-java's twotables.pdf, development part): two closed grids one above the other,
    their header rules of one width (153-410) with strokes over most of the height between them; the sides
    drawn for open-sided grids are one per grid, none from the first grid's header into the second's."""
    from stages.extract_docling.pymupdf_text import open_sides

    first_rows = [112, 126, 140, 155, 286]
    second_rows = [312, 327, 358, 503]
    rules = ([(67.4, 409.9, y) for y in first_rows if y != 126] + [(153.0, 409.9, 126)]
             + [(67.4, 512.6, y) for y in second_rows if y != 327] + [(153.0, 409.9, 327)])
    vertical = ([(112, 286, x) for x in (67.4, 153.0, 409.9)] + [(126, 286, x) for x in (204, 256, 307, 358)]
                + [(312, 503, x) for x in (67.4, 153.0, 409.9, 512.6)] + [(327, 503, x) for x in (204, 256)])
    sides = sorted(open_sides(rules, vertical))
    assert sides == [((67.4, 112), (67.4, 286)), ((67.4, 312), (67.4, 503)),
                     ((409.9, 112), (409.9, 286)), ((512.6, 312), (512.6, 503))]


def _markdown_rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()
            if line.startswith("|") and not line.startswith("|---")]


def test_a_statements_long_wrapped_labels_keep_its_rows_of_figures_in_one_table():
    """A financial statement (pdf.js issue14297, Mitsubishi Electric's annual report) whose labels run to two
    lines beside their figures ("Changes in fair value of financial assets measured at" / "fair value through
    other comprehensive income", "(31,874)", "64,457"): such a row of a label and figures is a table's, however
    long its label (``textkit.layout._label_and_figures``). Before, its two label lines counted as lines of
    text columns: the table came apart into runs too short to be tables, and its labels and figures were
    read as separate columns of text."""
    pdf = shared_pdf("corpus/text/pdfjs__issue14297.pdf").read_bytes()
    [page] = extract_pdf(pdf, tables=True)
    rows = {row[0]: row[1:] for row in _markdown_rows(page.text) if row}
    label = "Changes in fair value of financial assets measured at fair value through other comprehensive income"
    assert [c for c in rows[label] if c] == ["(31,874)", "64,457"]
    assert [c for c in rows["Exchange differences on translating foreign operations"] if c] == ["(49,360)", "61,880"]
    assert [c for c in rows["Total items that will not be reclassified to net profit"] if c] == ["(56,976)", "151,117"]


def test_a_ruled_table_of_short_labels_and_long_descriptions_is_a_table():
    """pdf.js's TAMReview.pdf, table 7: "Variation in TAM application" over "Applications", "Country", "Type
    of Study", "Participants", each beside a description wrapped over up to five lines, ruled over its header,
    under it and under its last row. Two columns of long lines read as text before (a numbered list looks the
    same, but nothing closes it with a rule under its last item); its four entries are rows now, each
    description's lines in its cell. (The document's fonts map most glyphs to no character, which MuPDF gives
    as U+FFFD and the text path drops: the cells are matched by their readable parts.)"""
    import pymupdf

    doc = pymupdf.open(shared_pdf("corpus/text/pdfjs__TAMReview.pdf"))
    doc.select([13])
    [page] = extract_pdf(doc, tables=True)
    rows = _markdown_rows(page.text)
    assert len(rows) == 5 and {len(row) for row in rows} == {2}
    assert ["A?! A1 @" in row[1] for row in rows] == [False, False, True, False, False]  # "USA, UK, Taiwan"
    assert sum(len(row[1]) for row in rows[1:]) > 40  # the descriptions' wrapped lines are in their cells


def test_a_numbered_list_is_no_table_of_labels_and_descriptions():
    """The other side of the rule above: numbered entries with long text and no rules closing them stay text
    (the own suite's tables of contents and indexes check the same for two-column lists)."""
    from textkit.layout import Box, _ruled_entries

    region = [[Box(90, y, 100, y + 10, str(k)), Box(140, y, 500, y + 10, "a long line of an entry " * 2)]
              for k, y in enumerate(range(100, 160, 13), start=1)]
    assert not _ruled_entries(region, [120.0], 10.0, [])
    assert not _ruled_entries(region, [120.0], 10.0, [(85, 505, 95)])  # a rule over it only
    assert _ruled_entries(region, [120.0], 10.0, [(85, 505, 95), (85, 505, 166)])


def test_a_bullet_drawn_apart_from_its_item_is_set_off_by_a_space():
    """pdf.js's issue19971.pdf: each "•" (Roboto, 10.5 pt) is a span of its own, 3 points before its item
    ("111" in a 22.5 pt display face), no space glyph between: MuPDF's line reads "•111". A bullet run into
    its item's first word makes no list item (LibreOffice's lists are drawn so too, "◦bullet list 2.1")."""
    from stages.extract_docling.pymupdf_text import _spans_text

    page = _page("corpus/text/pdfjs__issue19971.pdf")
    lines = [line for block in page.get_text("dict")["blocks"] for line in block.get("lines", ())]
    bulleted = [line for line in lines if line["spans"][0]["text"] == "•"]
    assert ["".join(span["text"] for span in line["spans"]) for line in bulleted] == ["•111", "•222", "•333"]
    assert [_spans_text(line) for line in bulleted] == ["• 111", "• 222", "• 333"]
    others = [line for line in lines if line not in bulleted]
    assert all(_spans_text(line) == "".join(span["text"] for span in line["spans"]) for line in others)


def _suite_page(suite: str, doc_id: str, path: str, page_number: int = 1) -> str:
    """One page of a document of a suite's development part (read from the evaluation cache), its text."""
    from tools.eval_quality.suites import DEV, default_folder, split_of

    pdf = default_folder(suite) / path
    if not pdf.exists():
        pytest.skip(f"{suite} is prepared into the evaluation cache by `python -m tools.eval_quality.suites prepare`")
    assert split_of(suite, doc_id) == DEV
    import pymupdf

    doc = pymupdf.open(pdf)
    doc.select([page_number - 1])
    [page] = extract_pdf(doc, tables=True)
    return page.text


def test_two_ruled_rows_beside_figures_spanning_both_stay_two_rows():
    """camelot's background_lines_1 (its development part): "Delhi" and "Rajasthan" are two rows, each with its
    own date, ruled apart (a white rule over shaded bands), beside figures whose cells span both; the rows
    stay two, the second with empty figure cells, as camelot reads it (before: "Delhi Rajasthan")."""
    text = _suite_page("camelot", "background_lines_1", "files/background_lines_1.pdf")
    assert ("| Delhi | 1.12.2009 | 8 | 17 | 1.29 | 3,665 | 2,409 | 1,000 |\n"
            "| Rajasthan | 2.12.2009 to 19.12.2009 |  |  |  |  |  |  |\n| Gujarat |") in text


def test_a_row_ruled_apart_from_the_row_above_is_not_joined_to_it():
    """background_lines_1's two rows (above) as the finder gives them: cell rectangles, the figures' cells of the
    first reaching down over the second (None there), and the page's white rules along the second's top over
    its label and date. Without those rules the second row is a continuation of the first (a wrapped label cut
    at a shading's edge), and is joined to it."""
    from stages.extract_docling.pymupdf_text import join_covered_rows

    columns = [54.2, 131.6, 217.1, 270.7, 307.1, 361.0, 419.2, 485.5, 541.1]
    first = [(x0, 355.7, x1, 372.0 if j < 2 else 400.4) for j, (x0, x1) in enumerate(zip(columns, columns[1:], strict=False))]
    second = [(54.2, 372.0, 131.6, 400.4), (131.6, 372.0, 217.1, 400.4)] + [None] * 6
    rows = [["Delhi", "1.12.2009", "8", "17", "1.29", "3,665", "2,409", "1,000"],
            ["Rajasthan", "2.12.2009 to 19.12.2009", "", "", "", "", "", ""]]
    rules = [(54.0, 131.6, 355.7), (131.6, 217.1, 355.7), (54.0, 131.6, 372.0), (131.6, 217.4, 372.0)]
    assert join_covered_rows(rows, [first, second], rules)[0] == rows
    assert join_covered_rows(rows, [first, second])[0] == [
        ["Delhi Rajasthan", "1.12.2009 2.12.2009 to 19.12.2009", "8", "17", "1.29", "3,665", "2,409", "1,000"]]


def test_a_grid_on_a_quarter_turned_page_is_read_whole():
    """ICDAR 2013's eu-015, page 2 (/Rotate 90, three grids side by side): the finder read the page between the
    strokes' heights in the unturned frame, which cut off each grid's heading and first two rows; those were
    read as a header above the grid ("Air passengers rights Germany Spain | 268 233 Enquiries")."""
    text = _icdar_page("eu-015", 2)
    assert "| Air passengers rights | Enquiries |\n|---|---|\n| Spain | 268 |\n| Germany | 233 |\n" in text
    assert "| Free movement of persons / workers | Enquiries |\n|---|---|\n| Spain | 153 |\n" in text


def test_the_strokes_span_is_taken_as_the_page_is_shown():
    """eu-015's page 2 (above), its strokes as PyMuPDF gives them (the unturned page's frame): the rules across
    the first grid, shown from y 79 to 404, are drawn down the unturned page at x 79 to 404; the finder, which
    reads the page as shown, is given that height. An unturned page's span is the strokes' own."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    strokes = [(670.2, 784.9, 79.2), (543.3, 658.0, 79.2), (670.2, 784.9, 404.2), (153.4, 527.2, 519.0)]
    from stages.extract_docling.pymupdf_text import strokes_span

    assert [round(v, 1) for v in strokes_span(page, strokes)] == [153.4, 784.9]
    page.set_rotation(90)
    assert [round(v, 1) for v in strokes_span(page, strokes)] == [79.2, 519.0]


def test_group_headings_over_their_rules_are_rows_of_the_tables_header():
    """ICDAR 2013's us-018, page 6: "Current expenditures" over "Constant 2010–11 dollars" and "Current dollars",
    each over a rule over the columns it heads, are header rows of the table (before: text over it)."""
    text = _icdar_page("us-018", 6)
    assert ("| School year | Fall enrollment (in thousands) | Current expenditures |  |  |  |\n"
            "|---|---|---|---|---|---|\n|  |  | Constant 2010–11 dollars |  | Current dollars |  |\n") in text


def test_large_figures_set_apart_by_a_wide_space_are_cells_of_their_own():
    """ICDAR 2013's us-018, page 1: the bold "United States" row's figures fill their columns, half a type size
    apart, and MuPDF reads each column group's figures as one line; they are a cell each, so the row, and the
    header over it, stay in the table (before: the line read as prose took both out of it)."""
    text = _icdar_page("us-018", 1)
    assert ("| United States | 2,753,438 | 2,799,250 | 2,815,544 | 2,893,045 | 3,001,337 | 3,039,015 | 3,068,550 | "
            "3,103,540 | 3,100,510 | 3,092,290 |\n| Northeast |") in text


def test_a_half_space_parts_large_figures_but_not_a_listings_short_ones():
    """us-018 page 1's line as MuPDF gives it (a space span between figures 4.5 points wide at 9 points), and a
    line of an R listing set so (deb-coin's "c(46, 28,", a monospaced space a little narrower than its 0.6 type
    sizes there): the large figures are pieces of their own, the listing's short ones stay one line."""
    from stages.extract_docling.pymupdf_text import split_wide_spaces

    def line(spans, size):
        return {"dir": (1.0, 0.0), "bbox": (spans[0][1], 92.2, spans[-1][2], 100.6),
                "spans": [{"text": t, "bbox": (x0, 92.2, x1, 100.6), "size": size} for t, x0, x1 in spans]}

    figures = line([("2,753,438", 125.4, 165.5), (" ", 165.5, 170.0), ("2,799,250", 170.0, 210.0),
                    (" ", 210.0, 214.5), ("2,815,544", 214.5, 254.6)], 9.0)
    assert ["".join(s["text"] for s in p["spans"]) for p in split_wide_spaces(figures)] == [
        "2,753,438", "2,799,250", "2,815,544"]
    listing = line([("length = c(46,", 60.0, 132.0), (" ", 132.0, 136.5), ("28,", 136.5, 152.7),
                    (" ", 152.7, 157.2), ("46,", 157.2, 173.4)], 9.0)
    assert len(split_wide_spaces(listing)) == 1


def test_a_heading_over_a_group_rule_under_a_caption_stays_the_tables():
    """ICDAR 2013's us-019, page 4: "Lead time (years)" over its rule over "1 2 3 4", under the one-line caption
    of Table A-4: the heading is the first row of the table, and the caption stays text over it."""
    text = _icdar_page("us-019", 4)
    assert ("Table A-4. Example of constructing mean absolute percentage errors, part 2\n\n"
            "| Source | Lead time (years) |  |  |  |\n|---|---|---|---|---|\n|  | 1 | 2 | 3 | 4 |\n") in text


def test_a_header_of_staggered_lines_beside_group_headings_is_read_by_column():
    """ICDAR 2013's us-024, page 2: headings wider than their figures ("total occupied" / "housing units"), set
    at staggered heights beside the group headings "Inadequate housing units": the header's rows are parted at
    the group rules, each heading whole in its row, the group headings in the first column their rules cover
    (before: a row per line, the group headings a column right)."""
    text = _icdar_page("us-024", 2)
    assert ("|  | total occupied housing units | Inadequate housing units |  |  |  | total occupied housing units | "
            "Inadequate housing units |  |  |  |\n"
            "|  |  | no. | (%) | Unadjusted oR | (95% CI) |  | no. | (%) | Unadjusted oR | (95% CI) |\n| Sex |") in text


def test_a_row_whose_label_and_value_both_wrap_is_one_row_of_the_table():
    """ICDAR 2013's us-019, page 2: a label wrapped with a hanging indent beside a description wrapped in the
    next column are one row (before: two, "constant dollars" a row label of its own)."""
    text = _icdar_page("us-019", 2)
    assert ("| Education revenue receipts from state sources per capita in constant dollars | Annual percent changes "
            "range between -2.4% and 2.3% with an annual growth rate of 1.3% |\n") in text


def test_a_note_of_sentences_drawn_as_a_grids_last_row_stays_text():
    """ICDAR 2013's us-014, page 3: "Exhibit reads: Sixty-nine percent of district administrators agree ...
    Source: NLS-NCLB, District and Principal Surveys." is drawn inside the grid's frame as its last row, one
    cell across the table: a note under the table, not a row of it."""
    text = _icdar_page("us-014", 3)
    assert "| Helps us make effective decisions about how to improve student achievement | 71% | 60% |\n\n" in text
    assert "\n\nExhibit reads: Sixty-nine percent of district administrators agree" in text


def test_a_last_row_across_the_grid_is_a_note_when_it_holds_sentences():
    """us-014's grid (above) as the finder gives it: seven rows, the last one cell across the table. Holding
    sentences it is a note; holding a label ("Total") it is a row."""
    from types import SimpleNamespace

    from stages.extract_docling.pymupdf_text import _framed_caption_and_note

    tops = [349.6, 394.5, 419.5, 444.5, 469.5, 494.5, 520.0, 562.7]
    rows = [SimpleNamespace(bbox=(67.3, y0, 540.0, y1), cells=[(67.3, y0, 436.9, y1), (436.9, y0, 488.6, y1),
                                                                (488.6, y0, 540.0, y1)])
            for y0, y1 in zip(tops[:6], tops[1:7], strict=True)]
    rows.append(SimpleNamespace(bbox=(67.3, 520.0, 540.0, 562.7), cells=[(67.3, 520.0, 540.0, 562.7), None, None]))
    table = SimpleNamespace(bbox=(67.3, 349.6, 540.0, 562.7), rows=rows)
    texts = [["Perceived Benefit and Drawback", "Percent of Districts Agreeing", "Percent of Schools Agreeing"]]
    texts += [[f"Benefit {i}", "69%", "65%"] for i in range(5)]
    note = ("Exhibit reads: Sixty-nine percent of district administrators agree that having a dual accountability "
            "system gives a more complete picture of effectiveness than a single accountability system.")
    assert _framed_caption_and_note(table, [*texts, [note, "", ""]]) == (None, 520.0)
    assert _framed_caption_and_note(table, [*texts, ["Total of all districts", "", ""]]) == (None, None)


def test_headings_centred_over_the_value_columns_stand_in_the_first_of_them():
    """ICDAR 2013's us-019, page 4: "Enrollment, in thousands" and "Projected enrollment, in thousands" centred
    over the four year columns between the rows of Table A-3 are read in the first of those columns."""
    text = _icdar_page("us-019", 4)
    assert "|  | Enrollment, in thousands |  |  |  |\n| Actual | 49,293 |" in text
    assert "|  | Projected enrollment, in thousands |  |  |  |\n" in text


def test_a_grid_whose_last_row_holds_the_next_grid_ends_above_it():
    """tabula's spanning_cells (development part; its PDFs stay in the evaluation cache): read without
    pymupdf_layout, the finder takes the frame of two tables one under the other as one grid whose last row
    holds the paragraph between them, the second's caption and the whole second table (which it also finds on
    its own). That row is no row: the first table ends with its own last row, the text between stays text."""
    from tools.eval_quality.suites import DEV, default_folder, split_of

    path = default_folder("tabula") / "spanning_cells.pdf"
    if not path.exists():
        pytest.skip("tabula's suite is prepared into the evaluation cache by `python -m tools.eval_quality.suites prepare`")
    assert split_of("tabula", "spanning_cells") == DEV
    [page] = extract_pdf(path.read_bytes(), tables=True)
    assert "| Enterprise-class data centers | 1,495 | 1,572 | 1,585 | 1,424 | 1,485 |\n\nTable A4-13 summarizes" in page.text
    assert "\n\n| All alternative scenarios |  |  |  |  |  |\n|---|" in page.text
    assert page.text.count("Mid-range | 4,921") == 1


def test_a_last_row_is_no_row_when_another_grid_lies_inside_it():
    """spanning_cells' grids (above) as the finder gives them: the first's last row (416 to 590) holds the
    second grid (538 to 590); a last row that holds none is a row."""
    from types import SimpleNamespace

    from stages.extract_docling.pymupdf_text import _end_above_a_held_table

    tops = [146.0, 159.0, 172.0, 185.0, 416.0, 590.0]
    rows = [SimpleNamespace(bbox=(120.0, y0, 475.0, y1)) for y0, y1 in zip(tops, tops[1:], strict=False)]
    first = SimpleNamespace(bbox=(120.0, 146.0, 475.0, 590.0), rows=rows)
    second = SimpleNamespace(bbox=(131.0, 538.0, 464.0, 590.0), rows=rows[:2])
    assert _end_above_a_held_table(first, [first, second]) == 416.0
    assert _end_above_a_held_table(first, [first]) is None
    assert _end_above_a_held_table(second, [first, second]) is None


US_034_TYPED = ["                                     Design effect",  # the page's own lines, every 12.72 points
                "   Proportion            1.0   1.1   1.2   1.3   1.4   1.5   1.6 ",
                "-----------------------------------------------------------------",
                "0.99 ..................  800   880   960 1,040 1,120 1,200 1,280 ",
                "0.95 ..................  160   176   192   208   224   240   256 ",
                "0.90 ..................   80    88    96   104   112   120   128 ",
                "0.85 ..................   53    59    64    69    75    80    85 ",
                "0.80 ..................   40    44    48    52    56    60    64 ",
                "0.75 ..................   32    35    38    42    45    48    51 ",
                "0.56-0.74 .............   30    33    36    39    42    45    48 ",
                "0.55 ..................   30    33    36    39    42    45    48",
                "0.50 ..................   30    33    36    39    42    45    48",
                "0.45 ..................   30    33    36    39    42    45    48",
                "0.26-0.44 .............   30    33    36    39    42    45    48",
                "0.25 ..................   32    35    38    42    45    48    51",
                "0.20 ..................   40    44    48    52    56    60    64",
                "0.15 ..................   53    59    64    69    75    80    85",
                "0.10 ..................   80    88    96   104   112   120   128",
                "0.05 ..................  160   176   192   208   224   240   256",
                "0.01 ..................  800   880   960 1,040 1,120 1,200 1,280",
                "",  # a blank line, then the second table
                "                                    Design effect",
                "     Proportion        1.7   1.8   1.9   2.0    2.5    3.0   3.5",
                "-----------------------------------------------------------------",
                "0.99 ................ 1,360 1,440 1,520 1,600  2,000  2,400 2,800",
                "0.95 ................   272   288   304   320    400    480   560",
                "0.90 ................   136   144   152   160    200    240   280"]


def _typed_table(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


def test_a_table_typed_on_a_fixed_pitch_is_read_by_its_columns():
    """ICDAR 2013's us-034, page 2: a table typed in Courier, each row one PDF line whose cells are set apart
    by space characters and dot leaders, its header parted from its rows by a typed row of dashes. Each row was
    one cell, and no table was found (TEDS 0, as for pymupdf4llm)."""
    text = _icdar_page("us-034", 2)
    rows = _typed_table(text)
    assert rows[0] == "| Proportion | 1.0 | 1.1 | 1.2 | 1.3 | 1.4 | 1.5 | 1.6 |"
    assert rows[2] == "| 0.99 | 800 | 880 | 960 | 1,040 | 1,120 | 1,200 | 1,280 |"
    assert "| 0.99 | 1,360 | 1,440 | 1,520 | 1,600 | 2,000 | 2,400 | 2,800 |" in rows  # "1,600  2,000": two spaces
    assert "-----" not in text
    # the second table, a blank line under the first, opens with "Design effect" over its own ruled header: it
    # is a table of its own, not a section of the first
    assert rows.count("|---|---|---|---|---|---|---|---|") == 2
    assert "| 0.01 | 800 | 880 | 960 | 1,040 | 1,120 | 1,200 | 1,280 |\n\nDesign effect\n\n| Proportion | 1.7 |" in text


def test_a_table_typed_on_a_fixed_pitch_is_read_by_its_columns_constructed():
    """us-034's page 2 as it types its two tables (Courier 12 at x = 72, its own line pitch; the second table's
    rows shortened), always run."""
    lines = [(72.0, 119.52 + 12.72 * i, 12.0, text, "C") for i, text in enumerate(US_034_TYPED) if text]
    doc = __import__("pymupdf").open(stream=laid_out_pdf(lines, [], 612, 792), filetype="pdf")
    [page] = extract_pdf(doc, tables=True)
    rows = _typed_table(page.text)
    assert rows.index("| Proportion | 1.0 | 1.1 | 1.2 | 1.3 | 1.4 | 1.5 | 1.6 |") + 2 == rows.index(
        "| 0.99 | 800 | 880 | 960 | 1,040 | 1,120 | 1,200 | 1,280 |")  # the header, its line, the first row
    assert rows[-1] == "| 0.90 | 136 | 144 | 152 | 160 | 200 | 240 | 280 |"
    assert "-----" not in page.text
    assert "| 0.01 | 800 | 880 | 960 | 1,040 | 1,120 | 1,200 | 1,280 |\n\nDesign effect\n\n| Proportion | 1.7 |" in page.text


def test_shadings_of_one_colour_side_by_side_in_a_row_are_one_shading_for_the_finder():
    """arXiv 2510.14979's Table 1 (page 7): LaTeX's ``\\rowcolor`` shades the row "NEO ..." cell by cell, ten
    green rectangles edge to edge at one height; the finder took their seams for a grid's strokes and made the
    shaded row and the group heading under it a table of their own. The finder gets one rectangle across; a
    cell of another colour beside them stays its own."""
    import pymupdf

    from stages.extract_docling.pymupdf_text import finder_paths

    def shade(rect, fill):
        return {"type": "f", "fill": fill, "color": None, "rect": pymupdf.Rect(rect),
                "items": [("re", pymupdf.Rect(rect), 1)]}

    green = (0.863, 0.922, 0.961)
    seams = (110.0, 177.9, 240.6, 308.5, 340.0, 363.3, 392.5, 425.3, 454.9, 479.1, 502.0)
    row = [shade((x0, 259.6, x1, 269.9), green) for x0, x1 in zip(seams, seams[1:], strict=False)]
    other = shade((502.0, 259.6, 530.0, 269.9), (0.9, 0.9, 0.9))
    rects = sorted(tuple(round(v, 1) for v in p["rect"]) for p in finder_paths([*row, other]))
    assert rects == [(110.0, 259.6, 502.0, 269.9), (502.0, 259.6, 530.0, 269.9)]


def test_a_multirow_label_beside_a_ruled_group_of_rows_labels_each_row_of_it():
    """arXiv 2510.14285's Table 3 (page 22) as drawn: a fully ruled grid whose body rows are groups of three
    lines (\\multirow: the threshold set once, beside the group's middle line), rules only between groups.
    The finder reads each group as one row; it is split into its three rows (before: each cell held three
    figures, "0.03296 0.0291 0.0295"), the label in the group's first row (where arXiv's HTML writes a cell
    spanning rows)."""
    import pymupdf

    xs = (97, 160, 240, 290, 340, 400, 515)
    tops = (477.4, 492.1, 536.3, 580.5)
    strokes = [(xs[0], y, xs[-1], y) for y in tops] + [(x, tops[0], x, tops[-1]) for x in xs]
    header = [(x + 4, 488, 8, t, "H") for x, t in zip(xs, ("Threshold", "Estimator", "RMSE", "ARE", "RE", "Param."), strict=False)]
    body = []
    for g, top in enumerate(tops[1:3]):
        body.append((xs[0] + 4, top + 26.5, 8, f"v0 = {19 + g}/48", "H"))
        for i, base in enumerate((top + 12, top + 26.5, top + 41)):
            cells = (f"c{i}", f"0.0{g}{i}1", f"0.1{g}{i}2", f"0.2{g}{i}3", f"p = 0.{g}{i}")
            body += [(x + 4, base, 8, t, "H") for x, t in zip(xs[1:], cells, strict=False)]
    doc = pymupdf.open(stream=laid_out_pdf(header + body, strokes), filetype="pdf")
    [page] = extract_pdf(doc, tables=True)
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in page.text.splitlines()
            if line.startswith("|") and not line.startswith("|---")]
    assert rows[1:4] == [["v0 = 19/48", "c0", "0.0001", "0.1002", "0.2003", "p = 0.00"],
                         ["", "c1", "0.0011", "0.1012", "0.2013", "p = 0.01"],
                         ["", "c2", "0.0021", "0.1022", "0.2023", "p = 0.02"]]
    assert len(rows) == 7


def test_a_label_beside_wrapped_cells_is_no_multirow_group():
    """ICDAR 2013's eu-001 (page 3) as drawn: "Benzene" beside "200 (as" / "BTEX)" wrapped in two cells of its
    ruled row: the wrapped lines fill some columns only, so the row stays one ("200 (as BTEX)")."""
    import pymupdf

    xs = (97, 200, 260, 340, 420)
    tops = (477.4, 492.1, 536.3, 580.5)
    strokes = [(xs[0], y, xs[-1], y) for y in tops] + [(x, tops[0], x, tops[-1]) for x in xs]
    header = [(x + 4, 488, 8, t, "H") for x, t in zip(xs, ("Substance", "Limit", "Target A", "Target B"), strict=False)]
    body = []
    for top, name in zip(tops[1:], ("Benzene", "Toluene"), strict=False):
        body += [(xs[0] + 4, top + 26.5, 8, name, "H"), (xs[1] + 4, top + 26.5, 8, "1 000", "H")]
        body += [(x + 4, base, 8, t, "H") for x in xs[2:4] for base, t in ((top + 12, "200 (as"), (top + 41, "BTEX)"))]
    doc = pymupdf.open(stream=laid_out_pdf(header + body, strokes), filetype="pdf")
    [page] = extract_pdf(doc, tables=True)
    assert "| Benzene | 1 000 | 200 (as BTEX) | 200 (as BTEX) |" in page.text


def test_white_highlights_behind_a_paragraph_s_lines_are_no_table():
    """The Texas Law Review's battered-woman-syndrome article, page 6 (the lawreview suite's development part):
    each line of a quotation has a white box behind it, each of its own width; the finder took their sides for
    a grid and read the paragraphs as a table of two columns ("| just punishment will have on an actor's
    “well-being | in the light of a searching |"). White on the white page is seen by no one: the prose stays."""
    name = "texas_law_review_battered-woman-syndrome"
    text = _suite_page("lawreview", name, f"raw_pdf/{name}.pdf", 6)
    assert "|" not in text
    assert ("just punishment will have on an actor’s “well-being in the light of a searching and empathetic "
            "scrutiny of their character") in text


def test_only_white_fills_with_no_stroke_over_no_coloured_fill_are_unseen():
    from stages.extract_docling.pymupdf_text import unseen_whites

    def fill(rect, colour, kind="f"):
        return {"type": kind, "fill": colour, "rect": rect, "items": [("re", rect, 1)]}

    white, grey = (1.0, 1.0, 1.0), (0.8, 0.8, 0.8)
    highlight = fill((100, 100, 300, 112), white)  # on the white page
    band = fill((100, 200, 300, 230), grey)
    cell = fill((110, 205, 200, 215), white)  # a white cell on the grey band: seen
    rule = fill((100, 229.5, 300, 231), white)  # a white rule at the band's foot: seen
    boxed = fill((100, 300, 200, 320), white, "fs")  # a form's box: its stroke is seen
    before = fill((100, 400, 300, 412), white)  # drawn before the grey under it: the grey covers it
    late = fill((90, 395, 310, 420), grey)
    bands = [fill((100, 500 + 12 * i, 300, 512 + 12 * i), white) for i in range(2)]  # a table's white rows
    face = fill((100, 600, 300, 700), white)  # a plot's white face
    lines = [fill((150, 720, 300, 732), white), fill((100, 732, 300, 744), white)]  # a quotation's lines
    unseen = unseen_whites([highlight, band, cell, rule, boxed, before, late, *bands, face, *lines])
    assert unseen == {id(highlight), id(before), *map(id, lines)}


def test_a_ruled_pages_lines_and_its_tables_glyphs_read_the_characters_once():
    """A Spanish form (accents read from the characters' positions, a ruled grid): page_lines and the grid's
    PageGlyphs share one "rawdict" reading of the page's text, and every line's glyphs are those a reading of
    their own gives (page_lines' additions to the blocks change none)."""
    from stages.extract_docling.pymupdf_text import PageGlyphs, page_textpage

    page = _page("corpus/text/pdfjs__bug1815476.pdf")

    class Counting:
        reads = 0

        def __getattr__(self, name):
            return getattr(page, name)

        def get_text(self, kind, **options):
            Counting.reads += kind == "rawdict"
            return page.get_text(kind, **options)

    textpage = page_textpage(page)
    lines = page_lines(Counting(), textpage)
    shared, own = PageGlyphs(Counting(), textpage), PageGlyphs(page)
    assert [shared.in_box(b) for b in lines] == [own.in_box(b) for b in lines]
    assert Counting.reads == 1 and len(lines) > 20


def test_a_heat_map_s_specks_are_not_handed_to_the_table_finder():
    """GROBID's MullenJSSv18i03, page 35 (a development document): a heat map drawn as 19,581 filled specks under
    1.5 pt; the page's axes made it a grid page, and the finder spent 1.5 s making edges of the specks to find
    no table (1.8 s for the page, 0.66 s without them). A speck's edges are all shorter than the finder's
    shortest (``FINDER_MIN_EDGE``); a rule drawn as a thin long fill, and a stroke, are still handed over."""
    import pymupdf

    from stages.extract_docling.pymupdf_text import finder_paths, is_speck

    def fill(rect):
        return {"type": "f", "fill": (0.8, 0.2, 0.2), "color": None, "rect": pymupdf.Rect(rect),
                "items": [("re", pymupdf.Rect(rect), 1)]}

    specks = [fill((100 + 1.2 * i, 300 + 1.2 * j, 101.2 + 1.2 * i, 301.2 + 1.2 * j)) for i in range(20) for j in range(20)]
    rule = fill((56, 95.6, 364, 96.0))
    stroke = {"type": "s", "fill": None, "color": (0, 0, 0), "rect": pymupdf.Rect(56, 120, 56, 220),
              "items": [("l", pymupdf.Point(56, 120), pymupdf.Point(56, 220))]}
    assert all(is_speck(s) for s in specks) and not is_speck(rule) and not is_speck(stroke)
    assert [p["rect"] for p in finder_paths([*specks, rule, stroke])] == [rule["rect"], stroke["rect"]]


def test_a_ruled_table_beside_a_heat_map_is_still_found():
    """The grid is read as before where a plot of specks shares its page (constructed: a ruled table of three
    rows and a heat map of 1,600 specks beside it)."""
    import pymupdf

    from stages.extract_docling.pymupdf_text import extract_pdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    xs, ys = (72, 172, 272, 372), (100, 120, 140, 160)
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]))
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y))
    for r, row in enumerate((("Name", "Weight", "Height"), ("Ada", "61", "170"), ("Bo", "72", "181"))):
        for c, text in enumerate(row):
            page.insert_text((xs[c] + 4, ys[r] + 14), text, fontsize=10)
    shape = page.new_shape()
    for i in range(40):
        for j in range(40):
            shape.draw_rect(pymupdf.Rect(100 + 1.5 * i, 300 + 1.5 * j, 101.4 + 1.5 * i, 301.4 + 1.5 * j))
            shape.finish(fill=(i / 40, 0.2, j / 40), color=None)
    shape.commit()
    [out] = extract_pdf(doc.tobytes(), tables=True)
    assert "| Name | Weight | Height |" in out.text
    assert "| Ada | 61 | 170 |" in out.text and "| Bo | 72 | 181 |" in out.text
