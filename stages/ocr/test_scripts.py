"""Which model reads which script, and one list of Debian packages for the image and for a fresh machine."""

from pathlib import Path

from shared import registry
from stages.ocr import scripts

REPO = Path(__file__).resolve().parents[2]


def test_the_image_and_a_fresh_machine_install_the_models_the_stage_reads_with():
    listed = registry.get("ocr").apt_packages
    assert listed == scripts.APT_PACKAGES and "tesseract-ocr-osd" in listed and "tesseract-ocr-script-cyrl" in listed
    assert "shared.registry ocr | cut -f4" in (REPO / "scripts" / "services.d" / "ocr.sh").read_text()


def test_osd_names_map_to_the_families_the_stage_routes_on():
    assert [scripts.from_osd(n) for n in ("Katakana", "Hiragana", "Han", "Korean", "Cyrillic", "Common")] == \
        ["Japanese", "Japanese", "Han", "Hangul", "Cyrillic", "Latin"]
    assert scripts.is_rtl("Arabic") and scripts.is_rtl("Hebrew") and not scripts.is_rtl("Latin")


def test_each_script_gets_its_pack_with_latin_beside_it_where_that_reads_better(tmp_path):
    for pack in ("Latin", "Cyrillic", "Arabic", "HanS", "Greek"):
        (tmp_path / f"{pack}.traineddata").write_bytes(b"")
    assert scripts.tesseract_model("Latin", {}, tmp_path) == "Latin"
    assert scripts.tesseract_model("Cyrillic", {}, tmp_path) == "Cyrillic+Latin"
    assert scripts.tesseract_model("Han", {}, tmp_path) == "HanS+Latin"
    assert scripts.tesseract_model("Arabic", {}, tmp_path) == "Arabic"
    assert scripts.tesseract_model("Greek", {"Greek": "ell+eng"}, tmp_path) == "ell+eng"
    assert scripts.tesseract_model("Tamil", {}, tmp_path) == "Latin"  # its pack is not installed here


def test_tidy_text_drops_bidi_marks_and_restores_the_arabic_comma():
    # Tesseract's Arabic model: "،" after a word comes out as "»"; numbers are wrapped in LRM / RLM
    assert scripts.tidy_text("قال» ثم \u200e٢٠\u200f ذهب", "Arabic") == "قال، ثم ٢٠ ذهب"
    # a guillemet a "«" opened in its paragraph is a quotation mark
    assert scripts.tidy_text("قال «نعم» ثم", "Arabic") == "قال «نعم» ثم"
    assert scripts.tidy_text("قال «نعم\n\nثم» ذهب", "Arabic") == "قال «نعم\n\nثم، ذهب"
    # other scripts keep their guillemets
    assert scripts.tidy_text("il dit » non", "Latin") == "il dit » non"


def test_a_page_read_with_more_latin_than_its_detected_script_is_latin_after_all():
    occitan_read_as_cyrillic = "Lo gascon es una varietat de l'occitan, pаrlat en Gasconha"  # one Cyrillic "а"
    assert scripts.latin_after_all(occitan_read_as_cyrillic, "Cyrillic", "Cyrillic+Latin")
    assert not scripts.latin_after_all("Это русский текст с TeX и LaTeX", "Cyrillic", "Cyrillic+Latin")
    assert not scripts.latin_after_all("Lo gascon", "Latin", "Latin")  # nothing to correct
    assert not scripts.latin_after_all("Lo gascon", "Arabic", "Arabic")  # no Latin model read it
    assert not scripts.latin_after_all("用 \\usepackage{ctex} 排版中文", "Han", "HanS+Latin")  # dense scripts: never


def test_a_language_identified_on_the_page_names_its_own_model_where_installed(tmp_path):
    for model in ("fra", "ara", "rus", "chi_sim", "fas"):
        (tmp_path / f"{model}.traineddata").write_bytes(b"")
    assert scripts.language_model("fra_Latn", tmp_path) == ("fra", "Latin")
    assert scripts.language_model("arb_Arab", tmp_path) is None  # the Arabic pack reads Arabic script better
    assert scripts.language_model("fas_Arab", tmp_path) is None
    assert scripts.language_model("rus_Cyrl", tmp_path) == ("rus+eng", "Cyrillic")  # Latin names beside it
    assert scripts.language_model("rus_Cyrl", tmp_path, with_eng=()) == ("rus", "Cyrillic")  # a page without
    assert scripts.language_model("deu_Latn", tmp_path) is None  # not installed here: the script's pack reads it
    assert scripts.language_model("cmn_Hani", tmp_path) is None  # Han pages keep their own engine


def test_a_page_under_the_floor_is_handwriting_when_it_has_lines_of_writing_else_low_confidence():
    from stages.ocr.document import HANDWRITING, LOW_CONFIDENCE, PageResult, judge_confidence

    floor = {"tesseract": 0.5}
    letter = judge_confidence(PageResult("Dear Sir ...", confidence=0.38, read_by="tesseract", lines=22), floor)
    photo = judge_confidence(PageResult("~ ,;", confidence=0.12, read_by="tesseract", lines=6), floor)
    sticker = judge_confidence(PageResult("IIl", confidence=0.4, read_by="tesseract", lines=1), floor)
    printed = judge_confidence(PageResult("text", confidence=0.91, read_by="tesseract", lines=30), floor)
    assert (letter.failure, photo.failure, sticker.failure, printed.failure) == \
        (HANDWRITING, LOW_CONFIDENCE, LOW_CONFIDENCE, None)


def test_a_line_tesseract_drew_across_two_columns_is_cut_at_the_gutter():
    from stages.ocr.cpu_engine import split_at_gutters

    words = [(100, 10, 160, 30, "Laitier.", 0.9), (170, 10, 230, 30, "Patin", 0.9),  # left column
             (520, 11, 580, 31, "Payne", 0.9), (590, 11, 640, 31, "et", 0.9)]  # right column, 290 px away
    assert [[w[4] for w in run] for run in split_at_gutters(words)] == [["Laitier.", "Patin"], ["Payne", "et"]]
    assert len(split_at_gutters(words[:2])) == 1  # word spaces never cut


def test_a_straightened_scan_is_filled_with_its_own_paper_tone():
    from PIL import Image, ImageDraw

    from stages.ocr.deskew import deskew

    page = Image.new("L", (600, 800), 200)  # grey paper
    draw = ImageDraw.Draw(page)
    for y in range(100, 700, 30):
        draw.line([(50, y), (550, y + 25)], fill=20, width=6)  # lines about 2.9 degrees off
    straight, angle = deskew(page)
    assert angle != 0 and straight.getpixel((0, 0)) == 200 and straight.getpixel((straight.width - 1, 0)) == 200
