"""Right-to-left lines rebuilt in reading order from character positions, as MuPDF hands them out."""

from textkit.bidi import logical_text, mostly_rtl


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
    # a whole line of samplebook.pdf p11 as MuPDF hands it out: the closing dots first, then the words
    drawn = [(248.3, 249.9, "."), (249.9, 252.9, " "), (252.9, 254.5, "."), (426.3, 428.7, "ا"), (422.0, 426.3, "ل"),
             (416.3, 422.0, "و"), (410.3, 416.3, "ز"), (405.9, 410.3, "ي"), (399.4, 405.9, "ر"), (396.4, 399.4, " "),
             (393.4, 396.4, ":"), (390.3, 393.4, " "), (390.3, 390.3, "ا"), (383.1, 390.3, "ل"), (380.1, 383.1, " "),
             (378.5, 380.1, "."), (375.5, 378.5, " "), (373.9, 375.5, "."), (370.9, 373.9, " "), (370.9, 370.9, "ا"),
             (363.7, 370.9, "ل"), (360.7, 363.7, " "), (358.3, 360.7, "ا"), (358.3, 358.3, "إ"), (351.1, 358.3, "ل"),
             (343.2, 351.1, "خ"), (343.2, 343.2, "ا"), (335.4, 343.2, "ل"), (328.5, 335.4, "ل"), (325.4, 328.5, " "),
             (321.2, 325.4, "ب"), (318.5, 321.2, "ا"), (314.3, 318.5, "ل"), (306.9, 314.3, "ش"), (300.5, 306.9, "ر"),
             (290.4, 300.5, "ط"), (287.4, 290.4, " "), (285.8, 287.4, "."), (282.7, 285.8, " "), (281.2, 282.7, "."),
             (278.1, 281.2, " "), (272.9, 278.1, "ف"), (267.4, 272.9, "ق"), (257.6, 267.4, "ط")]
    assert "".join(c for _, _, c in drawn) == ". .الوزير : ال . . ال اإلخالل بالشرط . . فقط"
    assert logical_text(drawn) == "الوزير : لا . . لا الإخلال بالشرط . . فقط . ."
    # and in the order the ligature's characters come in when a line is read again through a clip
    assert logical_text(sorted(drawn, key=lambda c: -c[1])) == "الوزير : لا . . لا الإخلال بالشرط . . فقط . ."


def test_line_end_punctuation_drawn_first_ends_the_line():
    # samplebook.pdf draws the dots that end a line (at its left end) before its words
    chars = [(374.8, 376.3, "."), (376.3, 379.4, " "), (379.4, 381.0, "."),
             *drawn_right_to_left("والزهد فيما", right=494.4)]
    assert logical_text(chars) == "والزهد فيما . ."  # the word gap has no space character: one is put there


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
