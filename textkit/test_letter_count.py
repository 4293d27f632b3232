"""letter_count: the letters ``str.isalpha`` finds, ASCII lines counted without a step per character."""

from textkit.layout import letter_count


def test_letters_are_what_isalpha_counts_in_ascii_and_other_scripts():
    texts = ["Results 3.2: x_1 = 42 (n=7)", "Ján café ½ ² Ⅻ ß", "العربية 12", "中文一二", "", "  \t", "naïve-ASCII"]
    assert letter_count(texts) == sum(c.isalpha() for t in texts for c in t)


def test_page_numbers_hold_no_letters():
    assert letter_count(["Page 3", "xii", "- 12 -", "Body text"]) == len("Bodytext")
