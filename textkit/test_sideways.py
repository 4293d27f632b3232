"""Text set sideways or at a slant beside horizontal text (textkit.layout: sideways_groups, join_sideways, the
margin stamps of split_furniture), on hand-placed boxes: a block of such text is body, read in its own order;
a lone line in the page's margin is a stamp."""

from textkit.layout import Box, join_sideways, page_text, sideways_groups, split_furniture

W, H = 612.0, 792.0  # US letter, points
SIZE = 8.0


def line(x0, y0, x1, text, size=10.0, **kw) -> Box:
    return Box(x0, y0, x1, y0 + 1.2 * size, text, size=size, **kw)


def body() -> list[Box]:
    """A horizontal paragraph over the left half of the page."""
    return [line(60, 370 + 12 * i, 380, t) for i, t in enumerate(
        ["alpha bravo charlie delta", "echo foxtrot golf hotel", "india juliet kilo lima"])]


def upward(x0: float, bottom: float, texts: list[str]) -> list[Box]:
    """Lines at 90 degrees (running upwards), each next one to the right, as MuPDF boxes them."""
    return [Box(x0 + 9.5 * i, bottom - 5 * len(t), x0 + 9.5 * i + 10, bottom, t, size=SIZE, rotation=90)
            for i, t in enumerate(texts)]


def downward(x1: float, top: float, texts: list[str]) -> list[Box]:
    """Lines at 270 degrees (running downwards), each next one to the left."""
    return [Box(x1 - 9.5 * i - 10, top, x1 - 9.5 * i, top + 5 * len(t), t, size=SIZE, rotation=270)
            for i, t in enumerate(texts)]


def upside_down(x1: float, y1: float, texts: list[str]) -> list[Box]:
    """Lines at 180 degrees, each next one above."""
    return [Box(x1 - 5 * len(t), y1 - 9.5 * i - 10, x1, y1 - 9.5 * i, t, size=SIZE, rotation=180)
            for i, t in enumerate(texts)]


PARAGRAPH = ["Lorem ipsum dolor sit amet,", "consetetur sadipscing elitr,", "sed diam nonumy eirmod",
             "tempor invidunt ut labore"]


def test_a_paragraph_set_sideways_beside_the_body_is_no_margin_stamp():
    # PDFBox's AcroFormsRotation.pdf: form fields' text at 90, 180 and 270 degrees beside horizontal ones; the
    # blocks at 90 and 270 degrees were taken for margin stamps (rotated text beside the body) and lost
    for block in (upward(407, 472, PARAGRAPH), downward(552, 484, PARAGRAPH), upside_down(389, 586, PARAGRAPH)):
        kept, furniture = split_furniture(body() + block, W, H)
        assert furniture == [] and len(kept) == 3 + len(PARAGRAPH)


def test_a_lone_line_in_the_margin_is_still_a_stamp():
    page = body() * 3  # a page of body text: the stamps are a small part of it
    stamp = Box(20, 200, 32, 600, "arXiv:2101.00001v1 [cs.CL] 1 Jan 2021", size=9, rotation=90)
    two_lines = upward(575, 700, ["Downloaded from https://example.org", "by guest on 3 May 2021"])
    kept, furniture = split_furniture(page + [stamp] + two_lines, W, H)
    assert [b.text for b in kept] == [b.text for b in page]
    assert len(furniture) == 3


def test_sideways_lines_that_outweigh_the_horizontal_text_are_no_stamps():
    # a page of single lines set along each edge around one short horizontal line: they are what it says
    centre = line(250, 390, 320, "Centre line", size=11)
    edges = [Box(40, 420, 51, 600, "Text going up along the left edge", size=11, rotation=90),
             Box(560, 200, 571, 390, "Text going down along the right edge", size=11, rotation=270)]
    kept, furniture = split_furniture([centre, *edges], W, H)
    assert furniture == [] and len(kept) == 3


def test_a_sideways_label_on_a_page_of_display_type_is_kept():
    # PDFBox's AngledExample.pdf: "Vertical Text" at 90 degrees beside "Horizontal Text", both 36 pt
    heading = Box(209, 96, 435, 132, "Horizontal Text", size=36)
    label = Box(93, 79, 129, 265, "Vertical Text", size=36, rotation=90)
    kept, furniture = split_furniture([heading, label], 595, 842)
    assert furniture == [] and len(kept) == 2


def test_sideways_blocks_are_read_line_after_line_in_their_own_direction():
    for block in (upward(407, 472, PARAGRAPH), downward(552, 484, PARAGRAPH), upside_down(389, 586, PARAGRAPH)):
        [group] = sideways_groups(block[::-1])
        assert [b.text for b in group] == PARAGRAPH
        [joined] = join_sideways(block[::-1])
        assert joined.text == " ".join(PARAGRAPH)


def test_pieces_of_one_upward_line_are_read_from_its_start():
    # a line at 90 degrees drawn in three pieces: read by their boxes top to bottom, it came out backwards
    pieces = [Box(100, 400 - 60 * (i + 1), 110, 400 - 60 * i, t, size=SIZE, rotation=90)
              for i, t in enumerate(["first piece", "second piece", "third piece"])]
    assert [b.text for b in join_sideways(pieces)] == ["first piece second piece third piece"]


def test_labels_side_by_side_stay_apart():
    # column heads set sideways in a table, a column apart: each its own cell, not one block
    heads = [Box(100 + 40 * i, 300, 110 + 40 * i, 360, f"Heading {i}", size=SIZE, rotation=90) for i in range(4)]
    assert len(sideways_groups(heads)) == 4 and join_sideways(heads) == heads


def test_a_page_with_a_sideways_block_keeps_every_word_in_order():
    text = page_text(body() + downward(552, 484, PARAGRAPH)[::-1], W, H).text
    assert "alpha bravo charlie delta" in text and " ".join(PARAGRAPH) in text
