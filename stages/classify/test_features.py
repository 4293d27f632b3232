"""Router features: deterministic, bounded in pages, bytes and time; unreadable PDFs are typed errors."""

import math
import random
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from shared.outcomes import StageError
from stages.classify import features as F
from tools.hostile.pdfs import encrypted_pdf, truncated_pdf, zero_page_pdf
from tools.pdf_fixtures import make_pdf
from tools.router.synth import make_garbled


def test_page_sampling_is_deterministic_bounded_and_keyed():
    picks = F.sample_page_indexes(1000, 8, 42, "doc-a")
    assert picks == F.sample_page_indexes(1000, 8, 42, "doc-a")
    assert len(picks) == 8 and picks[0] == 0 and picks == sorted(set(picks))
    assert all(0 <= p < 1000 for p in picks)
    # one page per stratum: the sample spans the document
    assert picks[-1] >= 1000 - 1000 // 7
    assert picks != F.sample_page_indexes(1000, 8, 42, "doc-b")
    assert picks != F.sample_page_indexes(1000, 8, 7, "doc-a")
    assert F.sample_page_indexes(5, 8, 42, "x") == [0, 1, 2, 3, 4]
    for n in range(1, 40):
        picks = F.sample_page_indexes(n, 8, 1, str(n))
        assert len(picks) == min(n, 8) and all(0 <= p < n for p in picks)


def test_features_are_deterministic():
    pdf = make_pdf(["text", "scan", "text"])
    a, b = F.extract_features(pdf), F.extract_features(pdf)
    assert a.vector.dtype == np.float32 and len(a.vector) == len(F.FEATURE_NAMES)
    np.testing.assert_array_equal(a.vector, b.vector)
    assert a.sampled_pages == b.sampled_pages == [0, 1, 2]
    assert a.pages_needing_ocr == b.pages_needing_ocr == [1]


def test_only_sample_pages_are_read_in_full_but_every_page_is_checked_for_scans():
    kinds = ["text"] * 40
    kinds[33] = "scan"
    feats = F.extract_features(make_pdf(kinds), sample_pages=4)
    values = feats.as_dict()
    assert feats.num_pages == 40 and len(feats.sampled_pages) == 4
    assert values["doc_pages_sampled"] == 4
    assert math.isclose(values["doc_num_pages_log"], math.log1p(40), rel_tol=1e-6)
    assert feats.pages_needing_ocr == [33]  # found by the cheap pass over the unsampled pages


def test_page_scan_is_bounded_and_then_unknown():
    feats = F.extract_features(make_pdf(["text"] * 12), scan_pages=10)
    assert feats.pages_needing_ocr is None
    assert math.isnan(feats.as_dict()["doc_all_need_ocr_frac"])


def test_time_budget_stops_reading_pages_but_not_the_document():
    feats = F.extract_features(make_pdf(["text"] * 10), sample_pages=8, time_budget_s=0.0)
    assert feats.out_of_time and feats.sampled_pages == [0] and feats.pages_needing_ocr is None
    assert feats.as_dict()["doc_out_of_time"] == 1.0


def test_per_page_need_for_ocr():
    feats = F.extract_features(make_pdf(["text", "scan", "blank", "scan+ocr", "text"]))
    assert feats.pages_needing_ocr == [1, 3]
    values = feats.as_dict()
    assert values["page_hidden_chars_log_max"] > 5  # the OCR layer is seen, and seen as invisible
    assert values["doc_hidden_ratio"] > 0.2


@pytest.mark.parametrize("flavor", ["pua", "fffd"])
def test_a_broken_tounicode_map_is_measured_as_garbled_text(flavor):
    clean = F.extract_features(make_pdf(["text", "text"]))
    doc = pymupdf.open(stream=make_pdf(["text", "text"]))
    garbled, _ = make_garbled(doc, random.Random(0), flavor=flavor)
    feats = F.extract_features(garbled.tobytes())
    assert clean.garbled_ratio == 0.0
    assert feats.garbled_ratio > 0.9
    assert feats.pages_needing_ocr == [0, 1]  # a garbled page needs OCR even though it has a text layer


@pytest.mark.parametrize(
    ("pdf", "error_class"),
    [
        (b"", "EmptyFile"),
        (b"%PDF-1.4\n%%EOF\n", "CorruptPdf"),
        (b"<html>not a pdf</html>", "CorruptPdf"),
        (truncated_pdf(), "CorruptPdf"),
        (zero_page_pdf(), "ZeroPages"),
        (encrypted_pdf(), "EncryptedPdf"),
    ],
)
def test_unreadable_pdfs_raise_typed_errors(pdf, error_class):
    with pytest.raises(StageError) as error:
        F.extract_features(pdf)
    assert error.value.error_class == error_class


def test_byte_limit():
    one_page = make_pdf(["text"])
    assert F.extract_features(one_page, max_bytes=len(one_page)).num_pages == 1
    with pytest.raises(StageError) as error:
        F.extract_features(one_page, max_bytes=len(one_page) - 1)
    assert error.value.error_class == "PdfTooLarge"


@pytest.mark.corpus
def test_hostile_corpus_pdfs_give_features_or_a_typed_error():
    """Every real `broken` PDF (fuzzed, encrypted, truncated, compression bombs) ends one of two ways."""
    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus"
    if not (corpus / "broken").is_dir():
        pytest.skip(f"../shared/corpus is absent (looked in {corpus}): corpus test skipped")
    classes = set()
    for path in sorted((corpus / "broken").glob("*.pdf")):
        try:
            feats = F.extract_features(path.read_bytes())
        except StageError as error:
            classes.add(error.error_class)
        else:
            assert feats.num_pages > 0 and not np.isinf(feats.vector).any(), path.name
    assert {"CorruptPdf", "EncryptedPdf", "ZeroPages"} <= classes
