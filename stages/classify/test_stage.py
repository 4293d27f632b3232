"""`finepdfs classify`: ingested shards in, docling/ and ocr/ shards out, unreadable PDFs as error rows."""

import json
from pathlib import Path

import pytest

from shared import schemas
from shared.pdf_bytes import pdf_bytes
from shared.shards import read_dataset, row_to_document
from stages.cli import run_stage
from tools.hostile.pdfs import encrypted_pdf, nested_xobjects_pdf, truncated_pdf, zero_page_pdf
from tools.pdf_fixtures import make_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def run(stage: str, **kwargs) -> int:
    return run_stage(stage, **kwargs)


def classify_folder(folder: Path, out: Path, **flags) -> dict[str, dict]:
    assert run("ingest", input=str(folder), output=str(out / "ingest")) == 0
    assert run("classify", input=str(out / "ingest"), output=str(out / "classify"), **flags) == 0
    rows = read_dataset(out / "classify").to_pylist()
    return {r[schemas.FILE_PATH]: r for r in rows}


def ledger(out: Path) -> dict:
    (path,) = sorted((out / "classify" / "ledger").glob("*.json"))
    return json.loads(path.read_text())


@pytest.fixture
def mixed_bag(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, pdf in {
        "article.pdf": make_pdf(["text", "text", "text"]),
        "scan.pdf": make_pdf(["scan", "scan"]),
        "scan_with_ocr_layer.pdf": make_pdf(["scan+ocr"]),
        "mixed.pdf": make_pdf(["text", "scan", "text"]),
        "encrypted.pdf": encrypted_pdf(),
        "truncated.pdf": truncated_pdf(),
        "zero_pages.pdf": zero_page_pdf(),
    }.items():
        (folder / name).write_bytes(pdf)
    return folder


def test_routes_pages_and_error_rows_with_a_balanced_ledger(mixed_bag, tmp_path):
    out = tmp_path / "out"
    rows = classify_folder(mixed_bag, out)

    assert {p: r[schemas.ROUTE] for p, r in rows.items()} == {
        "article.pdf": "docling",
        "scan.pdf": "ocr",
        "scan_with_ocr_layer.pdf": "ocr",
        "mixed.pdf": "ocr",
    }
    assert rows["mixed.pdf"][schemas.PAGES_NEEDING_OCR] == [1]
    assert rows["scan.pdf"][schemas.PAGES_NEEDING_OCR] == [0, 1]
    assert rows["article.pdf"][schemas.PAGES_NEEDING_OCR] == []
    assert rows["article.pdf"][schemas.NUM_PAGES] == 3
    for row in rows.values():
        assert row[schemas.ROUTE_REASON] == "model"
        assert 0.0 <= row[schemas.OCR_PROB] <= 1.0 and row[schemas.GARBLED_RATIO] == 0.0
        # the bytes stay where ingest stored them: the routed row names the ingest shard and row
        media = row[schemas.MEDIA][0]
        assert media["media_bytes"] is None and media["path"] == "../../ingest/00000.parquet"
        doc = row_to_document(dict(row))
        doc.media[0].path = str(out / "classify" / row[schemas.ROUTE] / media["path"])
        assert pdf_bytes(doc).startswith(b"%PDF")
    assert rows["scan.pdf"][schemas.OCR_PROB] > rows["article.pdf"][schemas.OCR_PROB]

    # partitioned by route
    assert {r[schemas.FILE_PATH] for r in read_dataset(out / "classify" / "docling").to_pylist()} == {
        "article.pdf"
    }
    assert len(read_dataset(out / "classify" / "ocr").to_pylist()) == 3

    errors = {
        r[schemas.SOURCE]: r[schemas.ERROR_CLASS]
        for r in read_dataset(out / "classify" / "errors").to_pylist()
    }
    assert errors == {
        "encrypted.pdf": "EncryptedPdf",
        "truncated.pdf": "CorruptPdf",
        "zero_pages.pdf": "ZeroPages",
    }
    counts = ledger(out)
    assert counts["balanced"] and counts["docs_in"] == 7 and counts["docs_out"] == 4
    assert counts["outputs"] == {"docling": 1, "ocr": 3}
    assert counts["failed"] == {"CorruptPdf": 1, "EncryptedPdf": 1, "ZeroPages": 1}


def test_force_route_sends_everything_one_way_with_reason_forced(mixed_bag, tmp_path):
    out = tmp_path / "out"
    rows = classify_folder(mixed_bag, out, force_route="ocr")
    assert {r[schemas.ROUTE] for r in rows.values()} == {"ocr"}
    assert {r[schemas.ROUTE_REASON] for r in rows.values()} == {"forced"}
    # forced to OCR: a born-digital PDF with no flagged page gets every page
    assert rows["article.pdf"][schemas.PAGES_NEEDING_OCR] == [0, 1, 2]
    assert ledger(out)["outputs"] == {"ocr": 4}


def test_a_missing_model_stops_the_stage_before_any_shard(mixed_bag, tmp_path):
    assert run("ingest", input=str(mixed_bag), output=str(tmp_path / "ingest")) == 0
    code = run(
        "classify",
        input=str(tmp_path / "ingest"),
        output=str(tmp_path / "c"),
        model=str(tmp_path / "nope.json"),
    )
    assert code == 2 and not (tmp_path / "c" / "ledger").exists()


def test_bundled_samples_route_as_their_ground_truth_says(tmp_path):
    if not (SAMPLES / "pdfs").is_dir():
        pytest.skip(f"bundled samples absent ({SAMPLES / 'pdfs'})")
    truth = json.loads((SAMPLES / "ground_truth.json").read_text())["files"]
    out = tmp_path / "out"
    rows = classify_folder(SAMPLES / "pdfs", out)
    checked = 0
    for path, entry in truth.items():
        if entry["kind"] == "broken" or entry.get("duplicate_of"):
            continue
        row = rows[path]
        expected = "docling" if entry["kind"] == "text" else "ocr"
        assert row[schemas.ROUTE] == expected, (path, row[schemas.OCR_PROB])
        if entry["kind"] in ("scanned", "mixed"):
            assert row[schemas.PAGES_NEEDING_OCR] == entry["ocr_pages"], path
        checked += 1
    assert checked >= 10
    assert ledger(out)["balanced"]


def test_a_pdf_that_hangs_pymupdf_is_one_error_row_with_its_cause(mixed_bag, tmp_path):
    """Nine levels of nested Form XObjects: get_text() runs for minutes; the worker is killed at the hard limit
    and the other PDFs of the shard are routed as usual."""
    (mixed_bag / "nested.pdf").write_bytes(nested_xobjects_pdf())
    rows = classify_folder(mixed_bag, tmp_path / "out", document_timeout_s=3)
    assert "nested.pdf" not in rows and {"article.pdf", "scan.pdf", "mixed.pdf"} <= set(rows)
    errors = {r[schemas.SOURCE]: r for r in read_dataset(tmp_path / "out" / "classify" / "errors").to_pylist()}
    assert errors["nested.pdf"][schemas.ERROR_CLASS] == "WorkerTimeout"
    assert "document_timeout_s (3 s)" in errors["nested.pdf"][schemas.ERROR_MESSAGE]
    assert ledger(tmp_path / "out")["balanced"]


def test_a_damaged_pdf_is_flagged_truncated(tmp_path):
    """MuPDF repairs a PDF cut short and reads its pages: the route stands, and is_truncated says so."""
    folder = tmp_path / "in"
    folder.mkdir()
    whole = make_pdf(["text", "text", "text"])
    (folder / "whole.pdf").write_bytes(whole)
    (folder / "cut.pdf").write_bytes(whole[: int(len(whole) * 0.8)])
    rows = classify_folder(folder, tmp_path / "out")
    assert rows["whole.pdf"][schemas.IS_TRUNCATED] is False
    assert rows["cut.pdf"][schemas.IS_TRUNCATED] is True
