"""Text drawn under a ruled table's cell shading (drawn before the opaque fills over it) is no cell's text:
a slide's text box left behind its table (docling-odf's odf_presentation_01, read from the eval cache and
skipped where the cache lacks it), and a constructed page that draws the same way, which always runs."""

from pathlib import Path

import pymupdf
import pytest

from stages.extract_docling.constructed_pdf import lines_at, text_pdf
from stages.extract_docling.pymupdf_text import covers, extract_pdf

ODF = Path.home() / ".cache" / "finepdfs-eval" / "external" / "docling-odf"


def table_rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()
            if line.startswith("|") and not line.startswith("|---")]


def test_a_text_box_behind_a_slide_s_table_is_read_before_it_not_in_a_cell():
    """odf_presentation_01 slide 1 (development part; LibreOffice Impress, turned /Rotate 270): "With footnote"
    is drawn second, then the table's cell fills over it, some as four lines corner to corner; it was read
    into the empty cell it lies under. Docling's reader of the source has it after the title, before the
    table."""
    from tools.eval_quality.suites import DEV, split_of

    assert split_of("docling-odf", "odf_presentation_01.odp") == DEV
    pdf = ODF / "sources" / "odf_presentation_01.odp.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} is absent (python -m tools.eval_quality.suites prepare docling-odf brings it)")
    pymupdf._get_layout = None
    doc = pymupdf.open(pdf)
    doc.select([0])
    [page] = extract_pdf(doc, tables=True)
    rows = table_rows(page.text)
    assert all("footnote" not in cell for row in rows for cell in row)
    assert rows[-2] == ["", "", "● True", "", "● True", "● False", "● False"]
    assert page.text.index("Test Table Slide") < page.text.index("With footnote") < page.text.index("| ")


def _shaded_grid(hidden_first: bool) -> bytes:
    """A 3 x 3 ruled grid whose cells are shaded grey, a note set in the middle cell's room: drawn before the
    shading (hidden under it) or after it (seen, the cell's own text)."""
    note = lines_at(["Behind note"], 212, 627, 20, font="F1", size=10)
    fills = "0.8 g " + " ".join(f"{100 + 100 * c} {600 + 20 * r} 100 20 re f" for r in range(3) for c in range(3))
    grid = "0 g 0 G 1 w " + " ".join(f"{100 + 100 * c} 600 m {100 + 100 * c} 660 l S" for c in range(4)) + " " + \
        " ".join(f"100 {600 + 20 * r} m 400 {600 + 20 * r} l S" for r in range(4))
    cells = "\n".join(lines_at([text], 105 + 100 * c, 646 - 20 * r, 20, font="F1", size=10)
                      for r, row in enumerate([["Name", "Kind", "Size"], ["Alpha", "", "12"], ["Beta", "Soft", "7"]])
                      for c, text in enumerate(row) if text)
    parts = [note, fills, grid, cells] if hidden_first else [fills, grid, note, cells]
    return text_pdf(["\n".join(parts)])


def test_a_line_under_a_cell_s_shading_leaves_the_table_and_comes_before_it():
    [page] = extract_pdf(_shaded_grid(hidden_first=True), tables=True)
    rows = table_rows(page.text)
    assert rows == [["Name", "Kind", "Size"], ["Alpha", "", "12"], ["Beta", "Soft", "7"]]
    assert page.text.index("Behind note") < page.text.index("| Name")


def test_a_line_drawn_over_a_cell_s_shading_stays_in_its_cell():
    [page] = extract_pdf(_shaded_grid(hidden_first=False), tables=True)
    assert table_rows(page.text)[1] == ["Alpha", "Behind note", "12"]


def test_fills_in_a_blending_group_hide_nothing_and_clips_cut_fills():
    """A highlighter's fill (a group that multiplies) leaves the words under it seen; a fill larger than its
    clip (a figure's white ground) covers only the clip's room."""
    rect = pymupdf.Rect
    fill = {"type": "f", "fill": (1, 1, 1), "fill_opacity": 1.0, "seqno": 5}
    drawings = [
        {"type": "group", "blendmode": "Multiply", "opacity": 0.4, "level": 0, "rect": rect(0, 0, 50, 50)},
        dict(fill, rect=rect(0, 0, 50, 50), items=[("re", rect(0, 0, 50, 50), 1)], level=1),
        {"type": "clip", "scissor": rect(100, 100, 200, 200), "level": 0},
        dict(fill, rect=rect(0, -300, 900, 900), items=[("re", rect(0, -300, 900, 900), 1)], level=1, seqno=7),
        dict(fill, rect=rect(300, 300, 320, 320), level=0, seqno=9,
             items=[("l", pymupdf.Point(320, 300), pymupdf.Point(320, 320)),
                    ("l", pymupdf.Point(320, 320), pymupdf.Point(300, 320)),
                    ("l", pymupdf.Point(300, 320), pymupdf.Point(300, 300))]),
    ]
    assert covers(drawings) == [(7, 100, 100, 200, 200), (9, 300, 300, 320, 320)]


def test_the_fills_read_from_the_drawings_tuples_are_those_of_pymupdf_s_objects():
    """``covers`` of a page's ``get_cdrawings`` (plain tuples, read once for the page) is ``covers`` of the
    same paths as ``as_drawings`` gives the finder (PyMuPDF's Rects and Points): the fills are found only
    when a table is, from the paths the finder does not change. The constructed grid, then the slide."""
    from stages.extract_docling.pymupdf_text import as_drawings

    pages = [pymupdf.open(stream=_shaded_grid(hidden_first=True), filetype="pdf")[0]]
    pdf = ODF / "sources" / "odf_presentation_01.odp.pdf"
    if pdf.is_file():
        pages.append(pymupdf.open(pdf)[0])
    for page in pages:
        tuples = page.get_cdrawings()
        found = covers(tuples)
        assert found and found == covers(as_drawings([dict(path) for path in tuples]))


def test_a_line_s_characters_under_later_fills_are_counted_whatever_the_order_given():
    """``_under`` sorts the characters by height and the fills by when they are drawn: lines and fills given
    in any order find the same hidden line (constructed: a line of four characters, three under a fill
    drawn after them, one under a fill drawn before)."""
    from stages.extract_docling.pymupdf_text import Box, _under

    line = Box(0, 0, 40, 10, "abcd")
    chars = [(5, 5 + 10 * i, 5, c, (10 * i, 0, 10 * i + 10, 10)) for i, c in enumerate("abcd")]
    fills = [(9, -1, -1, 31, 11), (2, 29, -1, 41, 11)]  # the first three drawn over, the fourth under
    for order in (fills, fills[::-1]):
        assert _under([line], order, chars[::-1], 0.5) == {id(line)}
        assert _under([line], order, chars, 0.8) == set()
