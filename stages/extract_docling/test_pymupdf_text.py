"""The PyMuPDF text path on PDFs made here: furniture out, columns in order, hyphenation undone, a ruled
table as Markdown (and left as text with tables off), a rotated margin stamp out."""

import pymupdf

from stages.extract_docling.pymupdf_text import extract_pdf


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
