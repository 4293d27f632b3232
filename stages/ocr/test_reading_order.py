"""The cpu engine's reading order on real scans: Tesseract's own regions and their order are kept unless our
XY-cut columns part as few lines from their neighbours (``engine_or_columns``). The lines are Tesseract's read
of four tune pages of the real-scan set (testdata/reading_order_pages.json says where they come from)."""

import json
from pathlib import Path

import pytest

from stages.ocr.cpu_engine import Line, ordered_text
from textkit import layout

PAGES = json.loads((Path(__file__).parent / "testdata" / "reading_order_pages.json").read_text())["pages"]


def page(name: str) -> tuple[list[Line], float, float]:
    data = PAGES[name]
    lines = [Line(x0, y0, x1, y1, text, block=block) for x0, y0, x1, y1, text, block in data["lines"]]
    return lines, data["width"], data["height"]


def text(name: str, order: str) -> str:
    lines, width, height = page(name)
    return ordered_text(lines, order, False, width, height)[0]


def before(body: str, first: str, second: str) -> bool:
    assert first in body and second in body, (first, second)
    return body.index(first) < body.index(second)


def test_two_dense_columns_that_xy_cut_reads_row_by_row_keep_tesseracts_order():
    """argus-5 (1910 gazette): XY-cut finds no gutter and reads the two columns across (0.24 against the
    truth); Tesseract's blocks read each column through (0.97)."""
    auto = text("argus-5", "auto")
    assert auto == text("argus-5", "regions") != text("argus-5", "columns")
    # the left column's entry is read to its end before the right column's first entry
    assert before(auto, "dispositif spécial pour faciliter les vira", "Paillet et Société Ducretet")


def test_columns_under_a_heading_across_the_gutter_are_read_after_the_columns_above_it():
    """argus-16: "Brevets délivrés" is set across the gutter, Tesseract reads it as two lines; XY-cut cuts the
    whole page at the gutter and reads the left column's lower half before the right column's upper half."""
    auto = text("argus-16", "auto")
    assert auto == text("argus-16", "regions")
    assert before(auto, "neuses automatiques", "Brevets") and before(auto, "Brevets", "411309")
    assert not before(text("argus-16", "columns"), "neuses automatiques", "Brevets")


def test_a_region_tesseract_puts_after_the_page_end_is_read_in_its_column():
    """nubis-212d-1800-3 (an 1800 book page): Tesseract's block order puts three lines of the one column
    after the page's last line; XY-cut reads them in place, and parts no neighbour."""
    auto = text("nubis-212d-1800-3", "auto")
    assert auto == text("nubis-212d-1800-3", "columns") != text("nubis-212d-1800-3", "regions")
    assert before(auto, "Le présent arrêté", "Wtrations Centrales")


@pytest.mark.parametrize("name", ["argus-5", "argus-16", "nubis-212d-1800-3"])
def test_the_order_chosen_parts_no_more_neighbours_than_the_other(name):
    lines, width, height = page(name)
    boxes = [layout.Box(ln.x0, ln.y0, ln.x1, ln.y1, ln.text, region=ln.block) for ln in lines]

    def parted(by_region: bool) -> int:
        result = layout.page_text(boxes, width, height, by_region=by_region)
        return layout.broken_neighbours([line for p in result.paragraphs for line in p.lines])

    assert min(parted(True), parted(False)) < max(parted(True), parted(False))  # these pages tell them apart


def test_broken_neighbours_counts_two_columns_read_row_by_row():
    left = [layout.Box(0, 20 * i, 100, 20 * i + 15, f"l{i}") for i in range(5)]
    right = [layout.Box(140, 20 * i, 240, 20 * i + 15, f"r{i}") for i in range(5)]
    by_column = left + right
    by_row = [b for pair in zip(left, right, strict=True) for b in pair]
    assert layout.broken_neighbours(by_column) == 0
    assert layout.broken_neighbours(by_row) == 8  # l0..l3 and r0..r3 each parted from the line under them
    heading = [layout.Box(0, 0, 100, 15, "Brevets"), layout.Box(115, 0, 215, 15, "délivrés")]
    below = [layout.Box(0, 20 * i, 215, 20 * i + 15, f"l{i}") for i in range(1, 5)]
    assert layout.broken_neighbours(heading + below) == 0  # a line's near right-hand part may come between
    assert layout.broken_neighbours([heading[0], *below, heading[1]]) == 2  # the heading's halves read apart


def test_a_running_head_with_its_page_number_leaves_the_first_body_lines_in():
    """nubis-1msc-1840-1 (an 1840 book page): "MESSIANIQUE.  5" is set close above the body; the head row with
    its page number went as furniture and took the two body rows under it along (textkit's edge group)."""
    auto = text("nubis-1msc-1840-1", "auto")
    assert auto.startswith("protestantisme, et sur la philosophie moderne")
    assert "cherche à ramener la domination" in auto and "MESSIANIQUE" not in auto
