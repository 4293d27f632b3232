import pytest

from textkit.pages import check_page_ends, join_pages, split_pages


def test_join_then_split_gives_back_each_page():
    pages = ["  First page.\n", "", "Third page\nwith two lines", "Last."]
    text, ends = join_pages(pages)
    assert text == "First page.\n\nThird page\nwith two lines\n\nLast."
    assert [p.strip() for p in split_pages(text, ends)] == ["First page.", "", "Third page\nwith two lines", "Last."]
    check_page_ends(text, ends)


def test_check_page_ends_rejects_offsets_that_do_not_tile_the_text():
    with pytest.raises(ValueError):
        check_page_ends("abc", [1, 2])
    with pytest.raises(ValueError):
        check_page_ends("abc", [2, 1, 3])
