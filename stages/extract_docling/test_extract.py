"""extract-docling on the bundled samples: the text paths and Docling's layout pipeline, error rows, furniture
counts, missing-weights message."""

import difflib
import json
import re
from pathlib import Path

import pytest

from shared import schemas
from shared.shards import read_dataset
from stages.cli import run_stage

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "pdfs"
TRUTH = json.loads((REPO / "samples" / "ground_truth.json").read_text())["files"]


def exit_code(stage: str, **kwargs) -> int:
    return run_stage(stage, **kwargs)


def similarity(a: str, b: str) -> float:
    norm = lambda t: re.sub(r"\s+", " ", t.replace("—", "-")).strip()  # noqa: E731
    return difflib.SequenceMatcher(None, norm(a), norm(b), autojunk=False).ratio()


@pytest.fixture(scope="module")
def raw_samples(tmp_path_factory) -> Path:
    """Ingested text and broken samples (the scanned ones are the OCR stage's business)."""
    folder = tmp_path_factory.mktemp("in")
    for sub in ("text", "broken"):
        (folder / sub).symlink_to(SAMPLES / sub)
    out = tmp_path_factory.mktemp("raw")
    assert exit_code("ingest", input=str(folder), output=str(out)) == 0
    return out


def test_model_free_pipeline_extracts_text_and_names_each_failure(raw_samples, tmp_path, monkeypatch):
    monkeypatch.setenv("FINEPDFS_MODELS_DIR", str(tmp_path / "no-models"))
    out = tmp_path / "docs"
    assert exit_code("extract-docling", input=str(raw_samples), output=str(out)) == 0
    rows = {r[schemas.FILE_PATH]: r for r in read_dataset(out).to_pylist()}
    for path, row in rows.items():
        truth = "\n\n".join(p["text"] for p in TRUTH[path]["pages"])
        assert similarity(row[schemas.TEXT], truth) > 0.9, path
        assert row[schemas.EXTRACTOR] == "pymupdf-text"
        assert len(row[schemas.PAGE_ENDS]) == row[schemas.NUM_PAGES] == len(TRUTH[path]["pages"])
    # the report's running header and "Page N of 5" footers are furniture; a one-page letter has none
    assert rows["text/report_en.pdf"][schemas.FURNITURE_CHARS] > 0
    assert "Page 2 of 5" not in rows["text/report_en.pdf"][schemas.TEXT]
    errors = {r[schemas.SOURCE]: r[schemas.ERROR_CLASS] for r in read_dataset(out / "errors").to_pylist()}
    assert errors == {
        "broken/encrypted.pdf": "EncryptedPdf",
        "broken/truncated.pdf": "CorruptPdf",
        "broken/zero_pages.pdf": "ZeroPages",
    }
    ledger = json.loads((out / "ledger" / "00000.json").read_text())
    assert ledger["balanced"] and ledger["docs_in"] == len(rows) + len(errors)


def test_docling_native_text_path_stays_available(raw_samples, tmp_path, monkeypatch):
    monkeypatch.setenv("FINEPDFS_MODELS_DIR", str(tmp_path / "no-models"))
    out = tmp_path / "docs"
    assert exit_code("extract-docling", input=str(raw_samples), output=str(out), text_path="docling-native") == 0
    rows = {r[schemas.FILE_PATH]: r for r in read_dataset(out).to_pylist()}
    assert {r[schemas.EXTRACTOR] for r in rows.values()} == {"docling-native"}
    for path, row in rows.items():
        truth = "\n\n".join(p["text"] for p in TRUTH[path]["pages"])
        assert similarity(row[schemas.TEXT], truth) > 0.9, path


def test_layout_pipeline_runs_when_weights_are_present(raw_samples, tmp_path, monkeypatch):
    from tools.tiny_models import make_tiny_layout_model

    make_tiny_layout_model(tmp_path / "models")  # random weights: checks the plumbing, not layout quality
    monkeypatch.setenv("FINEPDFS_MODELS_DIR", str(tmp_path / "models"))
    out = tmp_path / "docs"
    assert exit_code("extract-docling", input=str(raw_samples), output=str(out), layout_model="on") == 0
    rows = {r[schemas.FILE_PATH]: r for r in read_dataset(out).to_pylist()}
    assert {r[schemas.EXTRACTOR] for r in rows.values()} == {"docling-layout"}
    row = rows["text/single_page_en.pdf"]
    truth = TRUTH["text/single_page_en.pdf"]["pages"][0]["text"]
    assert similarity(row[schemas.TEXT], truth) > 0.8


def test_layout_on_without_weights_says_what_is_missing_and_how_to_fetch(raw_samples, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FINEPDFS_MODELS_DIR", str(tmp_path / "empty"))
    assert exit_code("extract-docling", input=str(raw_samples), output=str(tmp_path / "o"), layout_model="on") == 2
    message = capsys.readouterr().err
    assert "docling-layout-heron" in message and "just models" in message


CORPUS = REPO.parent / "shared" / "corpus"
MEMORY_HOG = CORPUS / "text" / "pdfjs__issue16263.pdf"  # a 58 KB page that makes docling-parse allocate ~18 GB


@pytest.mark.corpus
@pytest.mark.slow
def test_a_pdf_that_exhausts_memory_costs_one_error_row_not_the_shard(tmp_path):
    if not MEMORY_HOG.exists():
        pytest.skip(f"development corpus not found at {CORPUS}")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "hog.pdf").symlink_to(MEMORY_HOG)
    (folder / "fine.pdf").symlink_to(SAMPLES / "text" / "single_page_en.pdf")
    assert exit_code("ingest", input=str(folder), output=str(tmp_path / "raw")) == 0
    out = tmp_path / "docs"
    assert exit_code("extract-docling", input=str(tmp_path / "raw"), output=str(out), layout_model="off",
                     text_path="docling-native", max_memory_mb=3072) == 0
    assert [r[schemas.FILE_PATH] for r in read_dataset(out).to_pylist()] == ["fine.pdf"]
    errors = read_dataset(out / "errors").to_pylist()
    assert [(e[schemas.SOURCE], e[schemas.ERROR_CLASS]) for e in errors] == [("hog.pdf", "MemoryLimitExceeded")]
