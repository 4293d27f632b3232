"""The text-loss audit's page rows: letters shared with pdftotext as multisets, order and spacing ignored."""

from tools.eval_quality.text_loss import letters, page_rows


def test_letters_are_a_multiset_of_lowercased_letters():
    assert letters("Ab, a1 b!") == {"a": 2, "b": 2}


def test_a_page_row_counts_what_we_share_with_pdftotext_and_what_mupdf_does():
    ours = ["Horizontal Text"]
    poppler = ["Vertical Text\n\nHorizontal Text\n"]
    mupdf = ["Vertical Text Horizontal Text"]
    [row] = page_rows("angled.pdf", ours, poppler, mupdf)
    assert (row["ours"], row["pdftotext"], row["shared"], row["mupdf_shared"]) == (14, 26, 14, 26)
    assert row["share"] == round(14 / 26, 3)


def test_pages_only_one_reader_has_are_rows_too():
    rows = page_rows("short.pdf", ["one"], ["one", "two"], [])
    assert [r["ours"] for r in rows] == [3, 0] and rows[1]["share"] == 0.0
