"""extract-docling bounds every document by its own document_timeout_s, whatever the PDF does to the parser."""

from __future__ import annotations

from shared import schemas
from shared.shards import read_dataset
from stages.cli import run_stage
from textkit.markers import FAILED_PAGE_MARKER
from textkit.pages import split_pages
from tools.hostile.pdfs import many_text_operators_pdf
from tools.pdf_fixtures import make_pdf


def test_one_page_that_parses_for_ever_is_one_timeout_row_named_as_such(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    # ten times the default: a fast machine read the default page in under the 3 s budget (CI, 2026-12-05)
    (folder / "operators.pdf").write_bytes(many_text_operators_pdf(3_000_000))
    (folder / "fine.pdf").write_bytes(make_pdf(["text"]))
    assert run_stage("ingest", input=folder, output=tmp_path / "raw") == 0
    out = tmp_path / "docs"
    assert run_stage("extract-docling", input=tmp_path / "raw", output=out, document_timeout_s=3) == 0
    assert [r[schemas.FILE_PATH] for r in read_dataset(out).to_pylist()] == ["fine.pdf"]
    (error,) = read_dataset(out / "errors").to_pylist()
    assert error[schemas.SOURCE] == "operators.pdf" and error[schemas.ERROR_CLASS] == "WorkerTimeout"
    assert "document_timeout_s (3 s)" in error[schemas.ERROR_MESSAGE]


def test_a_damaged_pdf_ships_its_readable_pages_flagged_never_as_whole(tmp_path):
    """`head -c 39843 report_en.pdf`: PyMuPDF repairs it and sees 5 pages; what cannot be read is a failed page
    (marker + failed_pages), the document is flagged is_truncated, the page count is the PDF's."""
    from pathlib import Path

    report = (Path(__file__).resolve().parents[2] / "samples/pdfs/text/report_en.pdf").read_bytes()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cut.pdf").write_bytes(report[:39843])
    assert run_stage("ingest", input=folder, output=tmp_path / "raw") == 0
    for text_path in ("pymupdf", "docling-native"):
        out = tmp_path / text_path
        assert run_stage("extract-docling", input=tmp_path / "raw", output=out, text_path=text_path) == 0
        rows = read_dataset(out).to_pylist() + read_dataset(out / "errors").to_pylist()
        (row,) = rows
        if schemas.ERROR_CLASS in row:  # nothing readable at all: an error row, never an empty document
            assert row[schemas.ERROR_CLASS] in ("AllPagesFailed", "CorruptPdf")
            continue
        assert row[schemas.NUM_PAGES] == 5, text_path
        assert row[schemas.IS_TRUNCATED] is True, text_path
        pages = split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS])
        assert [i for i, p in enumerate(pages) if p.strip() == FAILED_PAGE_MARKER] == row[schemas.FAILED_PAGES]


def test_the_page_cap_is_an_error_row_not_a_silent_cut(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "long.pdf").write_bytes(make_pdf(["text"] * 6))
    assert run_stage("ingest", input=folder, output=tmp_path / "raw") == 0
    out = tmp_path / "docs"
    assert run_stage("extract-docling", input=tmp_path / "raw", output=out, max_pages=5) == 0
    (error,) = read_dataset(out / "errors").to_pylist()
    assert error[schemas.ERROR_CLASS] == "TooManyPages" and "6 pages > max_pages 5" in error[schemas.ERROR_MESSAGE]
