"""The set's measure and its true text: exact values on small cases."""

import pymupdf
import pytest

from tools.ocr_quality.select_pages import missing_letters
from tools.ocr_quality.text import dominant_script, normalize, page_truth, similarity


def test_similarity_is_one_minus_cer_after_whitespace_normalisation():
    assert similarity("a  b\nc", "a b c") == 1.0
    assert similarity("abcdefghij", "abcdefghiX") == pytest.approx(0.9)
    assert similarity("abcde", "") == 0.0
    assert similarity("ab", "abxxxxxxxx") == 0.0  # floored at 0, not negative


def test_normalisation_folds_ligatures_line_end_hyphens_and_cjk_line_breaks():
    assert normalize("ﬁne hyphen-\nation  x") == "fine hyphenation x"
    assert normalize("港口\n办公室 将", "Han") == "港口办公室将"
    assert normalize("港口 办公室", "Latin") == "港口 办公室"
    # bidi marks print nothing; a Persian half space (ZWNJ) looks like the space a text layer has there
    assert normalize("می\u200cشود \u200e۲۰\u200f") == "می شود ۲۰"


def test_dominant_script():
    assert dominant_script("Привет, TeX") == "Cyrillic"
    assert dominant_script("これは日本語の文章です") == "Japanese"
    assert dominant_script("这是中文的文章") == "Han"
    assert dominant_script("مرحبا بالعالم") == "Arabic"
    assert dominant_script("1234 !!") is None


def test_page_truth_leaves_out_invisible_text_and_the_page_number():
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 100
    for i in range(30):
        page.insert_text((72, y), f"Line {i} of the body text of this page, set in the usual size.", fontsize=10)
        y += 14
    page.insert_text((72, 600), "hidden words", fontsize=10, render_mode=3)
    page.insert_text((290, 800), "7", fontsize=10)
    truth = page_truth(page)
    assert truth.splitlines()[0] == "Line 0 of the body text of this page, set in the usual size."
    assert len(truth.splitlines()) == 30 and "hidden" not in truth
    assert truth.splitlines()[-1] == "Line 29 of the body text of this page, set in the usual size."
    assert page_truth(page, furniture=True).splitlines()[-1] == "7"


def test_a_letter_missing_from_the_text_layer_is_caught_and_homoglyphs_are_not():
    ocr = "Потреба за опрезом треба бити " * 3
    assert missing_letters("Потреа за опрезом треа ити " * 3, ocr) == ["б"]
    assert missing_letters("TEX TEX TEX TEX TEX", "ТЕХ ТЕХ ТЕХ ТЕХ ТЕХ") == []  # Cyrillic read for Latin
    assert missing_letters("θέμα θέμα θέμα θέμα θέμα", "θεμα θεμα θεμα θεμα θεμα") == []  # accents
