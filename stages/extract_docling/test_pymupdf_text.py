"""The PyMuPDF text path on PDFs made here: furniture out, columns in order, hyphenation undone, a ruled
table as Markdown (and left as text with tables off), a rotated margin stamp out."""

import gc

import pymupdf
import pytest

from stages.extract_docling import pymupdf_text
from stages.extract_docling.pymupdf_text import (
    _label_on_top,
    _multirow_group,
    _wrapped_lines_joined,
    extract_pdf,
    fewer_collections,
)


def make_pdf(pages: int = 3) -> bytes:
    doc = pymupdf.open()
    for n in range(1, pages + 1):
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 40), f"Annual Report of the Example Society {n}", fontsize=9)  # running head
        page.insert_text((300, 760), str(n), fontsize=10)  # page number
        page.insert_text((20, 500), "Downloaded from example.org on 1 May 2024", fontsize=8, rotate=90)
        left = ["The first column starts the page and its", "sentences run on to a broken word: exam-",
                "ple, which the text path joins again."]
        right = ["The second column is read after the", "first one, from top to bottom, as people",
                 "read a two-column page."]
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            page.insert_text((72, 100 + 12 * i), a, fontsize=10)
            page.insert_text((320, 100 + 12 * i), b, fontsize=10)
        for i, row in enumerate([("item", "count", "price"), ("pears", "12", "3.50"), ("plums", "7", "2.10")]):
            for x, cell in zip((72, 200, 300), row, strict=True):
                page.insert_text((x, 200 + 14 * i), cell, fontsize=10)
        for y in (188, 232):  # booktabs-like rules above and below the table
            page.draw_line((70, y), (360, y), width=0.5)
    return doc.tobytes()


def test_text_path_removes_furniture_orders_columns_and_rejoins_words():
    pages = extract_pdf(make_pdf(), tables=True)
    assert len(pages) == 3
    assert pages[1].text == (
        "The first column starts the page and its sentences run on to a broken word: example, which the text "
        "path joins again.\n\n"
        "The second column is read after the first one, from top to bottom, as people read a two-column page."
        "\n\n| item | count | price |\n|---|---|---|\n| pears | 12 | 3.50 |\n| plums | 7 | 2.10 |")
    removed = len("Annual Report of the Example Society 2") + len("2") + len("Downloaded from example.org on 1 May 2024")
    assert pages[1].furniture_chars == removed


def test_tables_off_keeps_cells_as_text():
    text = extract_pdf(make_pdf(1), tables=False)[0].text
    assert "|" not in text
    assert "pears" in text and "3.50" in text


DEJAVU = "/usr/share/fonts/truetype/dejavu"  # fonts-dejavu-core: Arabic glyphs, and lam-alef ligatures


def make_arabic_pdf() -> bytes:
    """Two right-to-left columns per page, written by MuPDF's own HTML layout (HarfBuzz shaping): it draws
    each line in visual order, lam-alef as one glyph mapped to two characters."""
    import os

    import pytest

    if not os.path.isfile(f"{DEJAVU}/DejaVuSans.ttf"):
        pytest.skip(f"needs DejaVu Sans ({DEJAVU}, Debian package fonts-dejavu-core) to write Arabic")
    css = "@font-face {font-family: dv; src: url(DejaVuSans.ttf);} p {font-family: dv; font-size: 11pt;}"
    right = ('<p dir="rtl">قال الوزير: لا، إلا الكلام في ٢٩ سبتمبر ٢٠١٩ (ستار) . . هذا هو العمود الأول من '
             'الصفحة وهو يقرأ أولا.</p>')
    left = '<p dir="rtl">هذا هو العمود الثاني من الصفحة ويقرأ بعد العمود الأول كما يقرأ الناس صفحة من عمودين.</p>'
    doc = pymupdf.open()
    archive = pymupdf.Archive(DEJAVU)
    for _ in range(3):
        page = doc.new_page(width=612, height=792)
        page.insert_htmlbox(pymupdf.Rect(320, 100, 540, 400), right, css=css, archive=archive)
        page.insert_htmlbox(pymupdf.Rect(72, 100, 292, 400), left, css=css, archive=archive)
    return doc.tobytes()


def test_arabic_reads_in_logical_order_right_column_first():
    pages = extract_pdf(make_arabic_pdf(), tables=True)
    assert pages[1].text == (
        "قال الوزير: لا، إلا الكلام في ٢٩ سبتمبر ٢٠١٩ (ستار) . . هذا هو العمود الأول من الصفحة وهو يقرأ أولا."
        "\n\n"
        "هذا هو العمود الثاني من الصفحة ويقرأ بعد العمود الأول كما يقرأ الناس صفحة من عمودين.")


def test_a_page_whose_characters_pymupdf_cannot_hand_out_is_read_line_by_line():
    # PyMuPDF raises SystemError for "rawdict" on some pages of arabi's sample book (unmapped glyphs); each
    # line is then read from a band through its middle
    from stages.extract_docling.pymupdf_text import page_lines

    class Refusing:
        def __init__(self, page):
            self.page = page

        def __getattr__(self, name):  # everything else is the real page's
            return getattr(self.page, name)

        def get_text(self, kind, **options):
            if kind == "rawdict" and "clip" not in options:
                raise SystemError("<built-in function JM_make_textpage_dict> returned a result with an exception set")
            return self.page.get_text(kind, **options)

    page = pymupdf.open(stream=make_arabic_pdf())[0]
    assert [b.text for b in page_lines(Refusing(page))] == [b.text for b in page_lines(page)]
    assert "قال الوزير: لا، إلا الكلام في ٢٩ سبتمبر" in [b.text for b in page_lines(Refusing(page))]


def test_a_grid_is_strokes_that_can_hold_two_columns():
    from stages.extract_docling.pymupdf_text import is_grid

    def frame(x0, y0, x1, y1):
        return [(x0, x1, y0), (x0, x1, y1)], [(y0, y1, x0), (y0, y1, x1)]

    frames = [frame(72, 100 + 80 * i, 300 + 40 * i, 160 + 80 * i) for i in range(3)]  # framed listings
    assert not is_grid([h for f in frames for h in f[0]], [v for f in frames for v in f[1]])
    rows = [(72, 300, y) for y in (100, 120, 140)]  # two ruled rows of two cells, drawn cell by cell
    cells = [(100, 140, x) for x in (72, 180, 300)]
    assert is_grid(rows, cells)
    assert not is_grid(rows, [cells[0], cells[2]])  # the same without the rule between the columns


def test_a_cell_wrapped_onto_a_second_line_in_a_split_row_stays_in_its_row():
    """arXiv 2510.14285 page 20 (Table 1): a tuning parameter wrapped onto a second line in two columns
    ("ζ = (1.7, 1.8)," over "p = (0.5, 0.85)"); the tall ruled row split at its lines made the second line a
    row of its own. A row of standard errors fills every column and stays a row."""
    split = [["ĉ", "0.2805", "-", "0.2509", "-"],
             ["c̃(2)", "0.1215", "ζ = (1.7, 1.8),", "0.1421", "ζ = (1.9, 1.25),"],
             ["", "", "p = (0.5, 0.85)", "", "p = (0.5, 0.65)"],
             ["", "(0.004)", "(0.005)", "(0.004)", "(0.006)"]]
    assert _wrapped_lines_joined(split, 0, 5) == [
        ["ĉ", "0.2805", "-", "0.2509", "-"],
        ["c̃(2)", "0.1215", "ζ = (1.7, 1.8), p = (0.5, 0.85)", "0.1421", "ζ = (1.9, 1.25), p = (0.5, 0.65)"],
        ["", "(0.004)", "(0.005)", "(0.004)", "(0.006)"]]


def test_a_multirow_label_goes_to_its_group_s_first_row():
    """A ``\\multirow`` label set alone between a group's two rows, or beside the last of its rows of figures,
    is the group's; it is written in the group's first row. A header's wrapped words beside a label set by
    their last line are no group."""
    alone = [["", "a", "0.1", "0.2"], ["-", "", "", ""], ["", "b", "0.3", "0.4"]]
    assert _multirow_group(alone, 0, 4)
    assert _label_on_top(alone, 0) == [["-", "a", "0.1", "0.2"], ["", "b", "0.3", "0.4"]]
    last = [["", "a", "0.1", "0.2"], ["", "b", "0.3", "0.4"], ["v0", "c", "0.5", "0.6"]]
    assert _multirow_group(last, 0, 4)
    assert _label_on_top(last, 0) == [["v0", "a", "0.1", "0.2"], ["", "b", "0.3", "0.4"], ["", "c", "0.5", "0.6"]]
    header = [["", "Percent of", "Number of", "Share of"], ["", "Districts", "schools", "pupils"],
              ["Region", "(n = 154)", "(n = 96)", "(all)"]]
    assert not _multirow_group(header, 0, 4)


def test_the_rawdict_reading_is_shared_by_the_lines_and_a_tables_glyphs():
    # page_lines (a run-on line read from its characters' positions) and PageGlyphs read the same "rawdict" of one text page once; the glyphs
    # are those a text page of their own gives
    from stages.extract_docling.pymupdf_text import PageGlyphs, page_lines, page_textpage

    class Counting:
        def __init__(self, page):
            self.page, self.reads = page, 0

        def __getattr__(self, name):
            return getattr(self.page, name)

        def get_text(self, kind, **options):
            self.reads += kind == "rawdict"
            return self.page.get_text(kind, **options)

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "medicalhistoryrecords 12.5", fontsize=11)
    counting = Counting(page)
    textpage = page_textpage(page)
    lines = page_lines(counting, textpage)
    glyphs = PageGlyphs(counting, textpage).in_box(lines[0])
    assert counting.reads == 1
    assert glyphs == PageGlyphs(page).in_box(lines[0])
    assert "".join(g[4] for g in glyphs) == "medicalhistoryrecords12.5"


def test_fewer_collections_while_reading_and_the_threshold_back_after(monkeypatch):
    """A document is read with Python's collector run less often (a sixth of the text path's time went to it),
    and the process's own threshold is back afterwards, also where the reading failed."""
    before = gc.get_threshold()
    seen = []
    read_page = pymupdf_text._read_page
    monkeypatch.setattr(pymupdf_text, "_read_page", lambda *a: seen.append(gc.get_threshold()) or read_page(*a))
    extract_pdf(make_pdf(2), tables=True)
    assert seen == [(max(pymupdf_text.YOUNG_OBJECTS, before[0]), *before[1:])] * 2
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), fewer_collections(123_456):
        assert gc.get_threshold()[0] == 123_456
        raise RuntimeError
    assert gc.get_threshold() == before


def test_fewer_collections_keeps_a_switched_off_collector_off():
    """A process that switched automatic collection off (threshold 0) is not given it back while reading."""
    before = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with fewer_collections():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def glyph_pages() -> bytes:
    """A page with a spacing accent ("cafe´") and a run-on word, and a plain page."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 100), "The cafe\u00b4 served breakfast to the visitors.", fontsize=11)
    page.insert_text((72, 120), "Then theyreadthewholepageaboutit in the morning.", fontsize=11)
    doc.new_page(width=612, height=792).insert_text((72, 100), "A plain line of text and no more.", fontsize=11)
    return doc.tobytes()


def test_a_page_read_from_its_glyphs_skips_the_dict_reading_and_reads_the_same(monkeypatch):
    """A page whose plain text has what its lines are read from glyphs for (an accent, a run-on word) is read
    as "rawdict" alone, and its lines are those the "dict" reading first gave; a plain page is read as "dict"."""
    doc = pymupdf.open(stream=glyph_pages(), filetype="pdf")
    pages = list(doc)
    direct = [pymupdf_text.page_lines(page) for page in pages]
    accented, plain = (pymupdf_text._texts_from_glyphs(p, pymupdf_text.page_textpage(p)) for p in pages)
    assert accented is not None and pymupdf_text._glyphs_wanted(accented) is not None
    assert plain is None
    monkeypatch.setattr(pymupdf_text, "_may_want_glyphs", lambda text: False)  # "dict" first, as before
    assert [pymupdf_text.page_lines(page) for page in pages] == direct
