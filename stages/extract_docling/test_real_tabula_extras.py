"""Tables of the ``tabula-extras`` suite's development pages (tabula-extractor's and tabula-py's test PDFs,
each cropped to its test's area; in the evaluation cache only: skipped where it is absent), each with a
constructed page that stands in for it."""

from stages.extract_docling.constructed_pdf import laid_out_pdf, right_aligned
from stages.extract_docling.pymupdf_text import extract_pdf
from stages.extract_docling.suite_pages import suite_page_text, table_rows


def _page_text(name: str) -> str:
    return suite_page_text("tabula-extras", name)


def test_a_grid_cropped_at_its_frame_keeps_its_last_column():
    """gre.pdf's score table, cropped to the test's area: the frame's right side lies half a point past the
    page's edge, and the finder, reading the page only, lost the last column ("% Rank*"); its lines were
    then read into a table of their own holding the grid's Markdown escaped in a cell (TEDS 0.32). The last
    row ("650  163  91") stands at the page's foot and stays the table's, not a folio."""
    rows = table_rows(_page_text("gre-p1"))
    assert rows[0] == ["Prior Scale", "New Scale", "% Rank*"]
    assert rows[1] == ["800", "170", "99"]
    assert rows[-1] == ["650", "163", "91"]
    assert len(rows) == 17
    assert "\\|" not in _page_text("gre-p1")


def test_a_grid_cropped_at_its_frame_keeps_its_last_column_constructed():
    """Stands in for gre.pdf (above): a ruled grid of three columns whose right side is drawn just past the
    page's right edge."""
    width = 240.0
    xs = [2, 60, 146, width + 0.5]
    ys = [10 + 20 * k for k in range(6)]
    rules = [(x, ys[0], x, ys[-1]) for x in xs] + [(xs[0], y, xs[-1], y) for y in ys]
    cells = [["Prior", "New", "Rank"], *[[str(800 - 10 * k), str(170 - k), str(99 - k)] for k in range(4)]]
    lines = [(x + 8, y + 14, 10, text, "H") for y, row in zip(ys, cells, strict=False) for x, text in zip(xs, row, strict=False)]
    [page] = extract_pdf(laid_out_pdf(lines, rules, width=width, height=200), tables=True)
    rows = table_rows(page.text)
    assert rows[0] == ["Prior", "New", "Rank"]
    assert rows[-1] == ["770", "167", "96"]


def test_a_grid_cut_by_the_pages_foot_keeps_its_cut_row():
    """vertical_rulings_bug.pdf, cropped to the test's area: the crop cuts the grid through its third row (a
    name wrapped over two lines, its bottom rule below the page's edge); the finder, seeing no bottom to the
    row, left it out of the grid and it was read as a line of text."""
    rows = table_rows(_page_text("vertical_rulings_bug"))
    assert len(rows) == 3
    assert rows[2][0] == "ABRAHAMSON, TIMOTHY GARTH"
    assert rows[2][-1] == "$22.93"


def test_a_grid_cut_by_the_pages_foot_keeps_its_cut_row_constructed():
    """Stands in for vertical_rulings_bug.pdf (above): a ruled grid of three columns whose last row's
    bottom rule lies below the page's bottom edge, its strokes running past it."""
    height = 75.0
    xs = [10, 150, 260, 380]
    ys = [2, 24, 46, 90]
    rules = [(x, ys[0], x, ys[-1]) for x in xs] + [(xs[0], y, xs[-1], y) for y in ys]
    cells = [["SMITH, JOHN", "ARLINGTON", "$3.08"], ["DOE, JANE", "MORGANTOWN", "$76.28"],
             ["ROE, RICHARD", "URBANDALE", "$22.93"]]
    lines = [(x + 6, y + 15, 10, text, "H") for y, row in zip(ys, cells, strict=False) for x, text in zip(xs, row, strict=False)]
    [page] = extract_pdf(laid_out_pdf(lines, rules, width=400, height=height), tables=True)
    rows = table_rows(page.text)
    assert rows == [row for row in cells]


def test_a_line_printers_listing_is_one_table():
    """monospaced1.pdf, a line printer's listing in Courier cropped to its rows: hospital names in capitals,
    forty characters long, beside counts and percentages set far apart. The names were taken for a text column
    beside a table (only the percentages came out as one), and the first and last rows for a running head and
    foot with their page numbers."""
    rows = table_rows(_page_text("monospaced1"))
    assert len(rows) == 8
    assert rows[0] == ["ALBERT LEA, MAYO CLINIC HEALTH SYS- ALBE", "0", "0", "0", "7", "7", ".0", ".0", ".0", "23.3",
                       "10.4"]
    assert rows[-1] == ["", "22", "7", "37", "30", "67", "100.0", "100.0", "100.0", "100.0", "100.0"]


def test_a_line_printers_listing_is_one_table_constructed():
    """Stands in for monospaced1.pdf (above): rows typed in Courier, a name in capitals and figures set wide
    apart on each, the page cropped to them."""
    names = ["ROCHESTER, MAYO CLINIC METHODIST HOSPITA", "ROCHESTER, MAYO CLINIC ST. MARYS",
             "BLUE EARTH, UNITED HOSPITAL DISTRICT", "FAIRMONT, MAYO CLINIC HEALTH SYSTEM -FAI",
             "MANKATO, MAYO CLINIC HEALTH SYSTEM- MANK"]
    figures = [["6", "7", "14", "27.3", "37.8"], ["9", "0", "11", "40.9", "29.7"], ["3", "0", "4", "13.6", "10.8"],
               ["1", "0", "2", "4.5", "5.4"], ["3", "0", "5", "13.6", "13.5"]]
    lines = []
    for k, (name, row) in enumerate(zip(names, figures, strict=True)):
        y = 10 + 9 * k
        lines.append((1, y, 7, name, "C"))
        lines += [right_aligned(214 + 46 * j, y, 7, text, "C") for j, text in enumerate(row)]
    [page] = extract_pdf(laid_out_pdf(lines, [], width=440, height=56), tables=True)
    rows = table_rows(page.text)
    assert rows == [[name, *row] for name, row in zip(names, figures, strict=True)]


def test_a_list_in_five_columns_set_far_apart_is_a_table():
    """french1.pdf, a list of translated French books (author, title, publisher, field, the translation's
    publisher), unruled, the publisher and field columns set far from the title column: the wide gutters were
    taken for page halves, and the parts between them read as text one after the other. The publisher column,
    a few short words wide, is no text column. The last row stays the table's, not a running foot."""
    rows = table_rows(_page_text("french1"))
    assert ["COLLECTIF", "Picador Book of African Stories", "Divers", "L", "Stephen Gray"] in rows
    assert ["ADLER LAURE", "Marguerite Duras", "Gallimard", "L", "Albin"] in rows
    assert rows[-1] == ["", "La Ronde et autres récits (extraits)", "Gallimard", "L", "Dituria"]
    assert len(rows) >= 40
    # a row of two long cells (a name of 41 characters, a title of 36) between rows of the list is one of them
    assert ["CHAMPSEIX ÉLISABETH & CHAMPSEIX JEAN-PAUL", "L’Albanie ou la Logique du désespoir", "La Découverte", "SSH",
            "Elena Gjika"] in rows
    assert sum(line.startswith("|---") for line in _page_text("french1").splitlines()) == 1


def test_a_list_in_five_columns_set_far_apart_is_a_table_constructed():
    """Stands in for french1.pdf (above): author, title, publisher, field and translation's publisher, the
    publisher column far from the title's and from the field's; a row of a long name and a long title between
    the others, over a book without its publisher."""
    entries = [("CAMUS ALBERT", "La Chute", "Gallimard", "L", "Naim Frasheri"),
               ("", "Le Mythe de Sisyphe", "Gallimard", "L", "Fan Noli"),
               ("GENET JEAN", "Journal du voleur", "Gallimard", "L", "Apollonia"),
               ("GIL ROGER", "Neuropsychologie", "Masson", "ST", "Dituria"),
               ("GIONO JEAN", "Regain", "Grasset", "L", "Albin"),
               ("", "Un de Baumugnes", "Grasset", "L", "Globus"),
               ("GRACQ JULIEN", "Au château d'Argol", "José Corti", "L", "Globus"),
               ("CHAMPSEIX ÉLISABETH & CHAMPSEIX JEAN-PAUL", "L'Albanie ou la Logique du désespoir", "La Découverte",
                "SSH", "Elena Gjika"),
               ("CORNEILLE PIERRE", "Horace", "", "L", "Toena"),
               ("KUNDERA MILAN", "La Plaisanterie", "Gallimard", "L", "Dituria")]
    xs = [1, 182, 403, 495, 540]
    lines = [(x, 80 + 10 * k, 7, text, "H") for k, entry in enumerate(entries) for x, text in zip(xs, entry, strict=True)
             if text]
    [page] = extract_pdf(laid_out_pdf(lines, [], width=650, height=200), tables=True)
    rows = table_rows(page.text)
    assert rows == [list(entry) for entry in entries]
