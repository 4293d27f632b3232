"""Right-to-left lines rebuilt in reading order from character positions, as MuPDF hands them out."""

from shared.bidi import logical_text, mostly_rtl


def drawn_right_to_left(text: str, right: float = 500.0, advance: float = 5.0) -> list[tuple[float, float, str]]:
    """``text`` (logical order) drawn glyph by glyph from the right margin leftwards, in logical order: how
    XeTeX writes Arabic words."""
    chars, x = [], right
    for char in text:
        chars.append((x - advance, x, char))
        x -= advance
    return chars


def test_left_to_right_lines_are_left_as_drawn():
    chars = [(10.0 + i, 11.0 + i, c) for i, c in enumerate("Plain text, 2024.")]
    assert logical_text(chars) == "Plain text, 2024."
    assert logical_text(list(reversed(chars))) == ".4202 ,txet nialP"  # no RTL letter: nothing is reordered


def test_numbers_in_an_arabic_line_read_most_significant_digit_first():
    # the Amiri manual's date line: each number drawn right to left like the words around it
    chars = drawn_right_to_left("٩٢ سبتمبر ٩١٠٢")
    assert logical_text(chars) == "٢٩ سبتمبر ٢٠١٩"


def test_a_lam_alef_ligature_drawn_as_alef_then_lam_reads_lam_alef():
    # MuPDF on arabi's samplebook.pdf: "إلا" comes out as إ, a zero-width ا at the ligature's right edge, ل
    chars = [(353.6, 356.7, "إ"), (353.6, 353.6, "ا"), (346.4, 353.6, "ل")]
    assert logical_text(chars) == "إلا"
    # "الإخلال": the hamza-alef of "لإ" is the zero-width one
    chars = [(441.0, 443.4, "ا"), (438.7, 438.7, "إ"), (431.2, 438.7, "ل"), (425.1, 431.2, "خ"),
             (419.0, 419.0, "ا"), (411.5, 419.0, "ل"), (406.0, 411.5, "ل")]
    assert logical_text(chars) == "الإخلال"


def test_line_end_punctuation_drawn_first_ends_the_line():
    # samplebook.pdf draws the dots that end a line (at its left end) before its words
    chars = [(374.8, 376.3, "."), (376.3, 379.4, " "), (379.4, 381.0, "."),
             *drawn_right_to_left("والزهد فيما", right=494.4)]
    assert logical_text(chars) == "والزهد فيما. ."


def test_brackets_of_a_right_to_left_run_are_mirrored_back():
    # a line drawn in visual order (what PyMuPDF's own HTML boxes write): ")ستار(" left to right
    visual = ")ستار("
    chars = [(100.0 + 5 * i, 105.0 + 5 * i, c) for i, c in enumerate(reversed(visual))]
    assert logical_text(chars) == "(ستار)"


def test_a_mostly_latin_line_keeps_left_to_right_order_around_its_arabic_word():
    url = "http://ar.wikipedia.org/wiki/"
    chars = [(10.0 + 4 * i, 14.0 + 4 * i, c) for i, c in enumerate(url)]
    chars += drawn_right_to_left("أوبن_تيب", right=10.0 + 4 * len(url) + 40, advance=5.0)
    assert logical_text(chars) == url + "أوبن_تيب"


def test_combining_marks_stay_on_their_letter():
    # "مُشَكَّلة" drawn right to left, the vowel marks overlapping their letters' boxes
    chars, x = [], 300.0
    for char in "مُشَكَّلة":
        if char in "\u064f\u064e\u0651":
            chars.append((x + 1, x + 3, char))
        else:
            chars.append((x - 5, x, char))
            x -= 5
    assert logical_text(chars) == "مُشَكَّلة"


def test_a_page_is_right_to_left_when_most_of_its_letters_are():
    assert mostly_rtl(["مرحبا بالعالم", "TeX"])
    assert not mostly_rtl(["An English page", "with one word: مرحبا"])
    assert not mostly_rtl(["", "1234"])


def test_a_lam_alef_whose_zero_width_alef_follows_the_lam():
    # PyMuPDF's own HTML boxes (DejaVu Sans): "الأول" draws ا, ل, then the zero-width أ at the lam's right edge
    chars = [(503.74, 506.78, "ا"), (497.45, 503.72, "ل"), (503.72, 503.72, "أ"), (492.14, 497.44, "و"),
             (484.14, 492.13, "ل")]
    assert logical_text(chars) == "الأول"
