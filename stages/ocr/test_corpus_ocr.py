"""Real scans from ../shared/corpus (OCRmyPDF's test files) through `finepdfs ocr --engine rapidocr`: a 2400 dpi
page, a skewed one, CCITT and JBIG2 images and French accents come out as their printed words."""

from pathlib import Path

import pytest

from shared import schemas
from stages.ocr.conftest import run_ocr, stage_output
from tools.ocr.fixtures import routed_shard_from_files

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
EXPECTED = {
    "ocrmypdf__2400dpi.pdf": "Linzensoep",
    "ocrmypdf__skew.pdf": "32 Track MIDI Sequence Recorder",
    "ocrmypdf__ccitt.pdf": "The LinnSequencer",
    "ocrmypdf__jbig2.pdf": "The LinnSequencer",
    "ocrmypdf__francais.pdf": "Portez ce vieux whisky au juge",
}

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


def test_real_scans_are_read(tmp_path):
    files = [CORPUS / "ocr" / name for name in EXPECTED]
    if not all(f.is_file() for f in files):
        pytest.skip(f"../shared/corpus is absent (looked in {CORPUS}): corpus tests skipped")
    routed_shard_from_files(files, tmp_path / "in")
    assert run_ocr("--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), "--engine", "rapidocr") == 0
    out = stage_output(tmp_path / "out")
    assert out["ledger"]["docs_out"] == len(EXPECTED) and out["ledger"]["balanced"]
    for name, words in EXPECTED.items():
        row = out["rows"][name]
        assert row[schemas.FAILED_PAGES] == [] and words in row[schemas.TEXT], (name, row[schemas.TEXT][:200])
