"""No page is read whole twice without need: the script is decided on the language probe's band (its letters),
before the whole-page read (cpu_engine._script_by_letters), and the script check stops at a candidate that reads
the band surely. A Tesseract stand-in records every read; the bands are what Tesseract read on tune pages of the
real-scan set (tools/ocr_quality/real.py; AjaxMultiCommentary/GT-commentaries-OCR, CC-BY 4.0)."""

from pathlib import Path

import pytest
from PIL import Image

from stages.ocr import cpu_engine, scripts
from stages.ocr.cpu_engine import CpuOcrSettings, Line, ocr_image

# Schneidewin's Aias (1853) p. 101, a German commentary page under Greek verse that OSD calls Cyrillic: the
# middle band read with the Cyrillic pack (with Latin beside it) is the German commentary
GERMAN_BAND = "мег, seinen Feinden Freude, aber (und darauf kommt es allein an, das ist die Hauptsache) für ihn"
# Campbell's Sophocles (1881) p. 50, OSD: Latin; the band (the apparatus under the verse) read with the Greek pack
# is surer than with eng, and mostly Greek
GREEK_BAND = "481. λόγον] λον L. λόγον C. 482. τῆς σαυτοῦ] τῆσαὐτοῦ LIT. τῆς σαυ- ες τοῦ C7."
# ... while the whole page, English commentary under the verse, read with Greek+Latin holds more Latin letters
PAGE_MOSTLY_LATIN = "ὅστις κεναῖσιν ἐλπίσιν θερμαίνεται. The sense is: he who warms himself with empty hopes is no man"
BAND_HEIGHT = 100  # the stand-in page is 1000 px high: a read of an image this high or lower is a band read


class _Tesseract:
    """Reads every image with the text and confidence given per model for bands and for whole pages."""

    def __init__(self, settings, folder, osd, band, page):
        self.settings, self.folder, self.osd, self.band, self.page = settings, folder, osd, band, page
        self.whole_reads, self.band_reads = [], []

    def detect(self, image):
        return self.osd, 0

    def model_for(self, script):
        return scripts.tesseract_model(script or scripts.DEFAULT_SCRIPT, {}, self.folder)

    def read(self, image, script):
        return self.read_model(image, self.model_for(script))

    def read_model(self, image, model):
        is_band = image.height <= BAND_HEIGHT
        (self.band_reads if is_band else self.whole_reads).append(model)
        text, confidence = (self.band if is_band else self.page).get(model, ("", 0.0))
        return [Line(0, 0, 100, 10, text, confidence)] if text else []


class _State:
    def __init__(self, settings, reader, language=None):
        self.settings, self.reader, self.found = settings, reader, language

    def engine(self, name):
        assert name == cpu_engine.TESSERACT, name  # confident lines: RapidOCR is not asked
        return self.reader

    def language(self, text):
        return self.found


def _read(tmp_path, osd, band, page, language=None):
    for pack in ("Latin", "Greek", "Cyrillic", "Arabic", "Hebrew", "Devanagari", "eng", "deu"):
        (tmp_path / f"{pack}.traineddata").write_bytes(b"")
    settings = CpuOcrSettings(engine="cpu", deskew=False, tessdata=str(tmp_path),
                              language_probe_models={"Latin": "eng"})
    reader = _Tesseract(settings, str(tmp_path), osd, band, page)
    result = ocr_image(_State(settings, reader, language), Image.new("L", (500, 1000), 255))
    return result, reader


def test_a_latin_band_on_a_page_osd_calls_cyrillic_is_latin_before_the_page_is_read(tmp_path):
    # the language read (deu) falls under the probe's confidence: the page is read once more, with the Latin pack
    # (it was read with the Cyrillic pack first, found Latin by its letters, and read a third time)
    page = {"deu": ("Aias. Tekmessa", 0.69), "Latin": ("Aias. Tekmessa", 0.72),
            "Cyrillic+Latin": ("Aias. Tekmessa", 0.76)}
    result, reader = _read(tmp_path, "Cyrillic", {"Cyrillic+Latin": (GERMAN_BAND, 0.88)}, page, ("deu_Latn", 0.9))
    assert reader.whole_reads == ["deu", "Latin"]
    assert (result.read_with, result.text) == ("Latin", "Aias. Tekmessa")


def test_a_greek_band_keeps_the_page_greek_though_its_whole_read_holds_more_latin_letters(tmp_path):
    band = {"eng": ("481. Adyov] Aov L. Adyor C’. 482. rhs cavrod]", 0.38), "Greek+Latin": (GREEK_BAND, 0.65),
            "Cyrillic+Latin": ("481. Абүоу] Хоу І. Абуоу С\". 482.", 0.45)}
    page = {"Greek+Latin": (PAGE_MOSTLY_LATIN, 0.90), "Latin": ("dorıs kevaîsiw àmloiw", 0.66)}
    # lid.176 names modern Greek; polytonic print is read with the Greek pack (cpu_engine._pack_reads_better)
    result, reader = _read(tmp_path, "Latin", band, page, ("ell_Grek", 0.9))
    assert reader.whole_reads == ["Greek+Latin"]  # not read again with the Latin pack
    assert result.read_with == "Greek+Latin" and result.text.startswith("ὅστις")
    # the script check stopped at Greek (0.65, over script_check_below + the margin): no pack after it was read
    assert reader.band_reads == ["eng", "Greek+Latin"]


def test_a_page_without_a_probe_is_still_found_latin_on_its_whole_read(tmp_path):
    # language_probe = 0: no band is read, and the whole read's letters decide as before
    for pack in ("Latin", "Cyrillic"):
        (tmp_path / f"{pack}.traineddata").write_bytes(b"")
    settings = CpuOcrSettings(engine="cpu", deskew=False, tessdata=str(tmp_path), language_probe=0)
    page = {"Cyrillic+Latin": ("Occitan: lo país d'òc е la lenga", 0.8), "Latin": ("Occitan: lo país d'òc e la lenga", 0.9)}
    reader = _Tesseract(settings, str(tmp_path), "Cyrillic", {}, page)
    result = ocr_image(_State(settings, reader), Image.new("L", (500, 1000), 255))
    assert reader.whole_reads == ["Cyrillic+Latin", "Latin"] and result.read_with == "Latin"


# the middle three fifths of that Schneidewin page (p. 101: Greek verse above, German commentary below), as the
# stage renders it (300 dpi), JPEG quality 80; a tune page of the real-scan set. OSD calls it Cyrillic, the
# language read (deu) falls under the probe: it was read whole three times (deu, Cyrillic+Latin, Latin)
SCHNEIDEWIN_MIDDLE = Path(__file__).parent / "testdata" / "schneidewin-1853-p101-middle.jpg"


@pytest.mark.slow
def test_a_real_german_page_osd_calls_cyrillic_is_read_whole_twice_not_three_times():
    pytest.importorskip("tesserocr")
    from shared.config import stage_settings
    from stages.ocr.cpu_engine import _Tesseract, cpu_settings, init_cpu_worker
    from stages.ocr.stage import render_spec

    settings = stage_settings("ocr")
    state = init_cpu_worker(cpu_settings("cpu", settings, render_spec(settings)))
    whole_reads = []
    read_model = _Tesseract.read_model

    def recorded(reader, image, model):
        if image.height > BAND_HEIGHT * 5:
            whole_reads.append(model)
        return read_model(reader, image, model)

    with Image.open(SCHNEIDEWIN_MIDDLE) as image, pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Tesseract, "read_model", recorded)
        result = ocr_image(state, image)
    if result.script is None:
        pytest.skip("no Tesseract models here")
    assert whole_reads == ["deu", "Latin"] and result.read_with == "Latin", whole_reads
