"""The per-page safety net: a page routed to OCR keeps its own usable text layer over a poor read."""

from pathlib import Path

import pytest

from stages.ocr.document import keep_text_layer, letters
from stages.ocr.render import PdfCache, laid_out_text_layer

FORM = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "text" / "pdfjs__160F-2019.pdf"


def test_a_form_page_keeps_its_text_layer_over_a_read_of_a_few_characters():
    # a real tax form with 76 interactive fields over a clean text layer (pdf.js test file); the read below
    # is a STAND-IN for what the CPU engine returned on such a page in the issue (16 characters)
    if not FORM.is_file():
        pytest.skip(f"{FORM} is absent (the development corpus lives in ../shared/corpus)")
    layer = laid_out_text_layer(PdfCache(), str(FORM), 0)
    assert letters(layer) >= 1000
    assert keep_text_layer("Form 160F 2019 a", layer)
    assert not keep_text_layer(layer[: int(len(layer) * 0.8)], layer)  # a read close to the layer: OCR stays


def test_a_page_without_a_usable_text_layer_takes_the_read():
    assert not keep_text_layer("A scanned page, read by OCR.", "")
    assert not keep_text_layer("x", "\ufffd" * 500 + "\ue001" * 300)  # garbled glyphs are no letters
