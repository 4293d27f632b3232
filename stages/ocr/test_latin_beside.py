"""eng beside a Cyrillic language model only where the page holds Latin text (cpu_engine._holds_latin_words).

testdata/russian-1799-old-letters.jpg: six lines of a TUNE page of the real-scan set (tools/ocr_quality/real.py,
nlr18-1799-305283f4: mary-lev/historical-ocr-analysis, a Russian book of 1799, public domain; the repository's
statement: MIT), cropped and scaled from its 530 dpi to the 300 dpi the stage reads it at, JPEG quality 75."""

from pathlib import Path

import pytest

from stages.ocr.cpu_engine import CpuOcrSettings, Line, _holds_latin_words

CROP = Path(__file__).parent / "testdata" / "russian-1799-old-letters.jpg"
CROP_TRUTH = ("всѣ печальныя мысли, и лучшій\nпредметъ въ Природѣ занимаетъ\nмою душу. — Кто предположилъ\n"
              "всегдашнею цѣлію и непремѣннымъ\nдолгомъ, быть добрымъ Граждани-\nномъ, исполнять свято свою дол-")


def probe(*words: tuple[str, float]) -> list[Line]:
    return [Line(0, 0, 100, 10, " ".join(w for w, _ in words), 0.8, 1, words)]


def test_latin_text_in_the_probe_is_words_not_look_alikes():
    settings = CpuOcrSettings(engine="cpu")
    # what the Cyrillic pack read with confidence in the middle bands of the 1790-1800 Russian books
    old_print = probe(("Bb", 0.88), ("umo", 0.93), ("Ero", 0.92), ("No.", 0.95), ("aoaromb,", 0.86),
                      ("cmpaxĎ,", 0.87), ("Ben-", 0.92))
    assert not _holds_latin_words(old_print, "Cyrillic", settings)
    # ... and in those of the OCR set's Cyrillic and Greek TeX manuals
    assert _holds_latin_words(probe(("Пакет", 0.95), ("\\usepackage{cmap}", 0.92)), "Cyrillic", settings)
    assert _holds_latin_words(probe(("greektonoi.sty", 0.90),), "Greek", settings)
    assert not _holds_latin_words(probe(("chapter", 0.60),), "Cyrillic", settings)  # unsure: no evidence
    assert not _holds_latin_words(probe(("Cmopyxaxb", 0.86),), "Cyrillic", settings)  # "Сторукихъ", look-alikes


@pytest.mark.slow
def test_an_old_russian_page_is_read_by_rus_alone_and_better_than_with_eng():
    pytest.importorskip("tesserocr")
    from PIL import Image

    from shared.config import stage_settings
    from stages.ocr.cpu_engine import cpu_settings, init_cpu_worker, ocr_image
    from stages.ocr.stage import render_spec
    from tools.ocr_quality.text import similarity

    def read(**overrides):
        settings = stage_settings("ocr", overrides=overrides)
        with Image.open(CROP) as image:
            return ocr_image(init_cpu_worker(cpu_settings("cpu", settings, render_spec(settings))), image)

    alone, with_eng = read(), read(language_eng_word_confidence=0.0)
    assert (alone.script, alone.read_with, with_eng.read_with) == ("Cyrillic", "rus", "rus+eng")
    assert not any("a" <= char.lower() <= "z" for char in alone.text), alone.text  # "Bob" for "всѣ", "sh" for "въ"
    # measured: 0.879 alone, 0.819 with eng
    assert similarity(CROP_TRUTH, alone.text) >= similarity(CROP_TRUTH, with_eng.text) + 0.04
