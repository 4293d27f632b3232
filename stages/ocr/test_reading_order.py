"""Reading order of OCR line boxes: columns one after the other, titles and footers where they stand, table
rows kept as rows, right-to-left columns for Arabic and Hebrew."""

from stages.ocr.reading_order import Line, page_text, xy_cut


def column(x0: float, x1: float, top: float, words: list[str], height: float = 20, gap: float = 8) -> list[Line]:
    return [Line(x0, top + i * (height + gap), x1, top + i * (height + gap) + height, w) for i, w in enumerate(words)]


LEFT = [f"left{i}" for i in range(6)]
RIGHT = [f"right{i}" for i in range(6)]


def two_column_page(title: bool = True, footer: bool = True) -> list[Line]:
    lines = column(100, 480, 200, LEFT) + column(520, 900, 200, RIGHT)
    if title:
        lines.append(Line(200, 100, 800, 130, "Title over both columns"))
    if footer:
        lines.append(Line(480, 1300, 520, 1320, "7"))
    return lines


def test_columns_are_read_one_after_the_other_between_title_and_footer():
    text = page_text(two_column_page())
    assert text.split() == ["Title", "over", "both", "columns", *LEFT, *RIGHT, "7"]


def test_interleaved_input_order_does_not_matter():
    lines = two_column_page()
    assert page_text(list(reversed(lines))) == page_text(lines)


def test_right_to_left_scripts_read_the_right_column_first():
    assert page_text(two_column_page(title=False, footer=False), rtl=True).split() == [*RIGHT, *LEFT]


def test_table_cells_stay_rows():
    cells = []
    for row in range(4):
        y = 100 + row * 30
        cells += [Line(100, y, 160, y + 20, f"a{row}"), Line(400, y, 460, y + 20, f"b{row}"),
                  Line(700, y, 760, y + 20, f"c{row}")]
    assert [len(region) for region in xy_cut(cells)] == [12]
    assert page_text(cells).split() == ["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2", "a3", "b3", "c3"]


def test_one_column_with_paragraph_gaps_is_one_column():
    lines = column(100, 900, 100, ["p1 l1", "p1 l2"]) + column(100, 900, 200, ["p2 l1", "p2 l2"])
    assert page_text(lines) == "p1 l1\np1 l2\n\np2 l1\np2 l2"
