"""FinePDFs language codes from the language ID's labels: lid.176's 2-letter labels, GlotLID's as they are."""

from textkit.languages import (
    code_script,
    finepdfs_code,
    normalize_code,
    subset_language,
    subset_name,
    text_scripts,
    word_tokenizer,
)


def test_lid176_labels_become_finepdfs_codes():
    expected = {"en": "eng_Latn", "ru": "rus_Cyrl", "de": "deu_Latn", "ja": "jpn_Jpan", "ko": "kor_Hang",
                "zh": "cmn_Hani", "ar": "arb_Arab", "fa": "fas_Arab", "ms": "zsm_Latn", "et": "ekk_Latn",
                "he": "heb_Hebr", "sh": "srp_Latn", "tl": "fil_Latn", "yue": "yue_Hani", "azb": "azb_Arab"}
    assert {label: finepdfs_code(label) for label in expected} == expected


def test_glotlid_labels_stay_as_they_are():
    assert finepdfs_code("eng_Latn") == "eng_Latn" and finepdfs_code("srp_Latn") == "srp_Latn"


def test_languages_written_in_several_scripts_take_the_script_of_the_text():
    assert finepdfs_code("sr", text_scripts("Ово је текст на српском језику.")) == "srp_Cyrl"
    assert finepdfs_code("sr", text_scripts("Ovo je tekst na srpskom jeziku, latinicom.")) == "srp_Latn"
    assert finepdfs_code("sr") == "srp_Cyrl"  # no text: the language's default script
    assert finepdfs_code("zh", text_scripts("这是一段用简体中文写的文字, 有 PDF 一词")) == "cmn_Hani"
    assert finepdfs_code("uz", text_scripts("Бу ўзбек тилидаги матн.")) == "uzn_Cyrl"
    # no likely script in CLDR and no entry in datatrove's table: the text decides
    assert finepdfs_code("xal", text_scripts("Хальмг келн")) == "xal_Cyrl"


def test_config_codes_and_subsets():
    assert normalize_code("en") == normalize_code("eng_Latn") == "eng_Latn"
    assert normalize_code("fr_removed") == "fra_Latn_removed"
    assert subset_name("eng_Latn", removed=True) == "eng_Latn_removed"
    assert subset_language("eng_Latn_removed") == "eng_Latn" and code_script("cmn_Hani_removed") == "Hani"


def test_removed_subsets_get_their_language_s_word_tokenizer():
    assert word_tokenizer("eng_Latn_removed").word_tokenize("two words") == ["two", "words"]
    assert type(word_tokenizer("eng_Latn_removed")) is type(word_tokenizer("eng_Latn"))
