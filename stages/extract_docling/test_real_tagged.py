"""Tables of the ``tagged`` suite's development pages (one-page PDFs cut from tagged PDFs, in the evaluation
cache only: skipped where it is absent), each with a constructed page that stands in for it."""

from stages.extract_docling.constructed_pdf import laid_out_pdf, right_aligned
from stages.extract_docling.pymupdf_text import _label_beside_a_paragraph, extract_pdf
from stages.extract_docling.suite_pages import suite_page_text, table_rows


def _page_text(name: str) -> str:
    return suite_page_text("tagged", name)


def test_a_label_wrapped_beside_a_paragraph_stays_one_row():
    """Chelsea's survey report, page 20 (a Word export): a two-column grid ruled between its rows, the last
    row's theme wrapped over three lines beside a comment of sixteen; the three lines beside the label read
    as rows of a grid ruled only in its header, and the row was cut into one row per line (TEDS 0.19)."""
    rows = table_rows(_page_text("chelsea-p20"))
    assert len(rows) == 4
    assert rows[3][0] == "Plus de sécurité des routes/accotement sécuritaires pour les cyclistes"
    assert rows[3][1].endswith("afin de guider ses politiques futures.")


def test_a_label_wrapped_beside_a_paragraph_stays_one_row_constructed():
    """Stands in for Chelsea's page 20 (above; PyMuPDF's finder closes that grid's open sides from the way
    Word draws it, which a constructed page does not repeat): the lines read out of the ruled row, a label over
    three lines beside a paragraph of eight, are one cell's label and text; lines of a grid ruled only in its
    header, labels down the rows or entries in two columns under the labelled ones, are rows."""
    label = ["Last theme set", "over three lines", "beside its comment"]
    comment = [f"comment line {i}" for i in range(8)]
    split = [[label[i] if i < 3 else "", text] for i, text in enumerate(comment)]
    assert _label_beside_a_paragraph(split, 0)
    assert not _label_beside_a_paragraph(split[:4], 0)  # as many lines after the label as in it: rows
    rows = [[f"Entry {i}", f"{i}.5"] for i in range(6)]
    assert not _label_beside_a_paragraph(rows, 0)
    grouped = [*rows[:3], ["", "7.5", "8.5"], ["", "9.5", "1.5"], ["", "2.5", "3.5"], ["", "4.5", "5.5"]]
    assert not _label_beside_a_paragraph([r + [""] * (3 - len(r)) for r in grouped], 0)
    # entries of their own over a last entry's description that runs on: each entry stays a row
    entries = [["A", "short"], ["B", "short"], ["C", "line 1"], *[["", f"line {i}"] for i in range(2, 6)]]
    assert not _label_beside_a_paragraph(entries, 0)
    assert _label_beside_a_paragraph([["Roads and", "line 0"], ["cycling paths", "line 1"],
                                      *[["", f"line {i}"] for i in range(2, 6)]], 0)


def test_a_label_wrapped_onto_its_figures_line_is_one_row():
    """IRS Publication 15, page 42 (typeset by an XSL-FO formatter), Table 5: a grid ruled around its header
    and its body, one row a line; "Daily or miscellaneous (each day of the payroll" runs to the column's
    side and goes on with "period) .... 15.00", its figure beside the last line. It was two rows, the first
    with no figure."""
    rows = table_rows(_page_text("pub15-p42"))
    daily = next(r for r in rows if r[0].startswith("Daily"))
    assert daily[0].startswith("Daily or miscellaneous (each day of the payroll period)")
    assert daily[1] == "15.00"
    assert not any(r[0].startswith("period)") for r in rows)


def _wrapped_label_pdf(heading: str | None = None, heading_width: float | None = None) -> bytes:
    """A grid as Publication 15's Table 5 draws it: a frame, a rule under the header, the body one row a line;
    the last label wraps, its figure beside its second line. ``heading``: a label-only row set first in the
    body (a group's heading, ``heading_width`` wide), followed by a row starting in lower case."""
    labels = ["Weekly", "Biweekly", "Monthly", "Quarterly"]
    lines = [(319.2, 190.9, 8.0, "Payroll Period", "B"), (497.0, 190.9, 8.0, "One Allowance", "B")]
    y = 214.6
    if heading:
        lines.append((319.2, y, 8.0, heading, "H", *([heading_width] if heading_width else [])))
        y += 11.0
        labels[0] = "weekly"
    for label, value in zip(labels, ["75.00", "150.00", "325.00", "975.00"], strict=True):
        lines += [(319.2, y, 8.0, label, "H"), right_aligned(566.0, y, 8.0, value)]
        y += 11.0
    lines += [(319.2, y, 8.0, "Daily or miscellaneous (each day of the payroll", "H", 165.0),
              (319.2, y + 10.0, 8.0, "period)", "H"), right_aligned(566.0, y + 10.0, 8.0, "15.00")]
    bottom = y + 16.0
    rules = [(315.0, 182.5, 570.0, 183.0), (315.0, 204.0, 570.0, 204.5), (315.0, bottom, 570.0, bottom + 0.5)]
    rules += [(x, 182.7, x + 0.5, bottom) for x in (315.0, 493.0, 570.0)]
    return laid_out_pdf(lines, rules, 612, 792)


def test_a_label_wrapped_onto_its_figures_line_is_one_row_constructed():
    """Stands in for Publication 15's page 42 (above): the wrapped label is one row with its figure; a short
    heading over the body's rows, the row under it starting in lower case, stays a row of its own."""
    [page] = extract_pdf(_wrapped_label_pdf(), tables=True)
    rows = table_rows(page.text)
    assert ["Daily or miscellaneous (each day of the payroll period)", "15.00"] in rows
    [page] = extract_pdf(_wrapped_label_pdf(heading="Pay periods"), tables=True)
    rows = table_rows(page.text)
    assert ["Pay periods", ""] in rows and ["weekly", "75.00"] in rows
    # a heading set across the grid (past the first column's side, its middle still in it) wraps no label
    [page] = extract_pdf(_wrapped_label_pdf(heading="Pay periods of the year, as the employer sets them",
                                            heading_width=215.0), tables=True)
    rows = table_rows(page.text)
    assert ["weekly", "75.00"] in rows


def test_a_worksheets_two_columns_of_amounts_stay_two_columns():
    """Publication 15, page 42: the percentage method's worked example sets each line's amount in one of two
    columns (the allowance's "$75.00" and "2" inside, the totals "$600.00", "$150.00" outside); they were read
    as one column."""
    rows = table_rows(_page_text("pub15-p42"))
    total = next(r for r in rows if r[0].startswith("1. Total wage payment"))
    allowance = next(r for r in rows if r[0].startswith("2. One allowance"))
    assert len(total) == len(allowance) == 3
    assert (total[1:], allowance[1:]) == (["", "$600.00"], ["$75.00", ""])


def test_an_invoices_address_and_total_around_its_items():
    """The PDF/UA reference suite's invoice (Kraxi Systems): the customer's address lines and "INVOICE 2020-10 ...
    January 8, 2020", set in the items' columns over a blank gap, were read as the table's first rows, and the
    total "845.00" alone under the last item's amount as that amount's second line, and the items' numbers,
    a space before their descriptions, under "ITEM DESCRIPTION" as one column with them (TEDS 0.41)."""
    rows = table_rows(_page_text("ua-invoice-p1"))
    assert rows[0] == ["ITEM", "DESCRIPTION", "QUANTITY", "PRICE (€)", "AMOUNT (€)"]
    assert rows[1] == ["1", "Super Kite", "2", "20.00", "40.00"]
    assert rows[-2][-1] == "0.00" and rows[-1] == ["", "", "", "", "845.00"]
    assert not any("Everland" in c or "INVOICE" in c for r in rows for c in r)


def _invoice_pdf() -> bytes:
    lines = [(55.0, 100.0, 10.0, "John Q. Doe", "H"), (55.0, 112.0, 10.0, "Suite B", "H"),
             (55.0, 124.0, 10.0, "Everland", "H"), (55.0, 200.0, 10.0, "INVOICE 2020-10", "H"),
             right_aligned(530.0, 200.0, 10.0, "January 8, 2020"),
             (101.7, 243.0, 10.0, "ITEM DESCRIPTION", "H"), (331.0, 243.0, 10.0, "QUANTITY", "H"),
             (411.0, 243.0, 10.0, "PRICE", "H"), right_aligned(530.0, 243.0, 10.0, "AMOUNT")]
    y = 261.0
    for name, qty, price, amount in [("1 Super Kite", "2", "20.00", "40.00"), ("2 Turbo Flyer", "5", "40.00", "200.00"),
                                     ("3 Giga Trash", "1", "180.00", "180.00"), ("4 Free Gift", "1", "0.00", "0.00")]:
        lines += [(120.0, y, 10.0, name, "H"), right_aligned(384.0, y, 10.0, qty),
                  right_aligned(458.0, y, 10.0, price), right_aligned(530.0, y, 10.0, amount)]
        y += 18.0
    lines.append(right_aligned(530.0, y, 10.0, "420.00"))
    return laid_out_pdf(lines, [])


def test_an_invoices_address_and_total_around_its_items_constructed():
    """Stands in for the invoice (above): lines over a blank gap of two lines and more, one of them with two
    cells, are text over the table; a lone figure under a figure in its column is a row (a total), not a
    wrapped line of the cell above; rows numbered on by one a space before labels that start where the header's
    second word does are two columns."""
    [page] = extract_pdf(_invoice_pdf(), tables=True)
    rows = table_rows(page.text)
    assert rows[0] == ["ITEM", "DESCRIPTION", "QUANTITY", "PRICE", "AMOUNT"]
    assert rows[-2] == ["4", "Free Gift", "1", "0.00", "0.00"] and rows[-1] == ["", "", "", "", "420.00"]
    assert "INVOICE 2020-10" in page.text.split("|")[0]


def test_a_two_column_grid_of_long_labels_ruled_between_rows():
    """CMS-1490S, page 12: the DMEPOS table, two columns ruled between its rows with one stroke down the middle
    and open sides, each row's label a list of states over two to five lines beside an address of three; a
    first cell of more than two lines in a band had stopped the banded reading, and the lines were read as
    text (TEDS 0.49)."""
    rows = table_rows(_page_text("cms-claim-p12"))
    assert ["If you live in:", "Mail your form and supporting documentation to:"] in rows
    last = next(r for r in rows if r[0].startswith("Alaska"))
    assert last[0].endswith("Utah, Washington, Wyoming") and last[1] == "Noridian JD P.O. Box 6727 Fargo, ND 58108-6727"


def _states_pdf(title: tuple = (40.0, 100.0, 12.0, "FOR DURABLE MEDICAL EQUIPMENT, PROSTHETICS, ORTHOTICS AND SUPPLIES ONLY",
                                "H")) -> bytes:
    bands = [(["If you live in:"], ["Mail your form to:"]),
             (["Connecticut, Delaware, Maine,", "Maryland, New Jersey,", "New York, Vermont"],
              ["Noridian JA", "P.O. Box 6780", "Fargo, ND 58108-6780"]),
             (["Illinois, Indiana,", "Ohio, Wisconsin"], ["CGS Administrators, LLC", "P.O. Box 20013", "Nashville, TN"]),
             (["Alabama, Arkansas, Colorado,", "Florida, Georgia, Louisiana,", "Mississippi, New Mexico,",
               "Oklahoma, Puerto Rico,", "Texas, Virginia"], ["CGS Administrators, LLC", "P.O. Box 20010", "Nashville"])]
    lines, rules, y = [title], [], 110.0
    for left, right in bands:
        rules.append((36.0, y, 582.0, y + 0.25))
        height = 12.0 * max(len(left), len(right)) + 4.0
        for i, text in enumerate(left):
            lines.append((40.0, y + 12.0 * (i + 1), 10.0, text, "H"))
        for i, text in enumerate(right):
            lines.append((310.0, y + 12.0 * (i + 1), 10.0, text, "H"))
        y += height
    rules.append((36.0, y, 582.0, y + 0.25))
    return laid_out_pdf(lines, rules, 612, 792)


def test_a_two_column_grid_of_long_labels_ruled_between_rows_constructed():
    """Stands in for CMS-1490S's page 12 (above): a band's label of five lines beside an address of three is
    one row of a two-column grid ruled between its rows."""
    [page] = extract_pdf(_states_pdf(), tables=True)
    rows = table_rows(page.text)
    assert rows[0] == ["If you live in:", "Mail your form to:"]
    assert rows[-1] == ["Alabama, Arkansas, Colorado, Florida, Georgia, Louisiana, Mississippi, New Mexico, "
                        "Oklahoma, Puerto Rico, Texas, Virginia", "CGS Administrators, LLC P.O. Box 20010 Nashville"]


def test_a_worksheets_wrapped_labels_stay_in_its_rows():
    """Publication 15, page 42: the percentage method's worksheet, numbered lines ruled above and below; line 5's
    label wraps under its text with its amount beside the first line, line 6's with its amount beside the last.
    The lone label lines were read as text and the worksheet ended at line 5."""
    rows = table_rows(_page_text("pub15-p42"))
    five = next(r for r in rows if "Amount subject to withholding" in r[0])
    six = next(r for r in rows if "Tax to be withheld" in r[0])
    assert "(subtract line 4 from line 1)" in five[0] and five[-1] == "$450.00"
    assert "Table 1—single person, page 44" in six[0] and six[-1] == "$52.60"


def _worksheet_pdf() -> bytes:
    lines = []
    y = 200.0
    for number, label, amount in [("1.", "Total wage payment . . . . . .", "$600.00"),
                                  ("2.", "One allowance . . . . . . . .", "$75.00"),
                                  ("3.", "Allowances claimed . . . . .", "$150.00")]:
        lines += [(319.0, y, 8.0, number, "H"), (338.0, y, 8.0, label, "H"), right_aligned(566.0, y, 8.0, amount)]
        y += 11.0
    lines += [(319.0, y, 8.0, "4", "H"), (338.0, y, 8.0, "Amount subject to withholding", "H"),
              right_aligned(566.0, y, 8.0, "$450.00"), (338.0, y + 10.0, 8.0, "(subtract line 3 from line 1) . . .", "H")]
    y += 21.0
    lines += [(319.0, y, 8.0, "5. Tax to be withheld on $450.00 from", "H"),
              (338.0, y + 10.0, 8.0, "Table 1 - single person . . .", "H"), right_aligned(566.0, y + 10.0, 8.0, "$52.60")]
    rules = [(315.0, 190.0, 570.0, 190.5), (315.0, y + 14.0, 570.0, y + 14.5)]
    return laid_out_pdf(lines, rules, 612, 792)


def test_a_worksheets_wrapped_labels_stay_in_its_rows_constructed():
    """Stands in for Publication 15's page 42 (above): a numbered line's label wrapped with a hanging indent, its
    amount beside the first line or beside the last, is one row."""
    [page] = extract_pdf(_worksheet_pdf(), tables=True)
    rows = table_rows(page.text)
    assert any("(subtract line 3 from line 1)" in r[0] and r[-1] == "$450.00" for r in rows)
    assert any("Tax to be withheld" in r[0] and "Table 1 - single person" in r[0] and r[-1] == "$52.60" for r in rows)


def test_a_title_over_a_banded_grid_stays_over_it():
    """CMS-1490S, page 18: the address table continued from the page before, under the page's title set right of
    the gutter between the grid's columns: the title's band (over the grid's first rule) held nothing in the first
    column, the banded reading failed, and the header row "If you live in:" was read as text (TEDS 0.84)."""
    text = _page_text("cms-claim-p18")
    rows = table_rows(text)
    assert rows[0] == ["If you live in:", "Mail your claim form, itemized bill and supporting documents to:"]
    assert text.index("MEDICARE ADMINISTRATIVE CONTRACTOR ADDRESS TABLE") < text.index("| If you live in:")


def test_a_title_over_a_banded_grid_stays_over_it_constructed():
    """Stands in for CMS-1490S's page 18 (above): a title alone over a two-column grid's first rule, right of the
    gutter between its columns, is read over the table, and the header is the table's first row."""
    [page] = extract_pdf(_states_pdf((220.0, 100.0, 12.0, "ADDRESS TABLE OF CONTRACTORS", "H")), tables=True)
    rows = table_rows(page.text)
    assert rows[0] == ["If you live in:", "Mail your form to:"] and len(rows) == 4
    assert page.text.startswith("ADDRESS TABLE OF CONTRACTORS")
