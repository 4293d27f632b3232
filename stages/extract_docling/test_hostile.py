"""extract-docling bounds every document by its own document_timeout_s, whatever the PDF does to the parser."""

from __future__ import annotations

from shared import schemas
from shared.shards import read_dataset
from stages.cli import run_stage
from tools.pdf_fixtures import many_text_operators_pdf, make_pdf


def test_one_page_that_parses_for_ever_is_one_timeout_row_named_as_such(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "operators.pdf").write_bytes(many_text_operators_pdf())
    (folder / "fine.pdf").write_bytes(make_pdf(["text"]))
    assert run_stage("ingest", input=folder, output=tmp_path / "raw") == 0
    out = tmp_path / "docs"
    assert run_stage("extract-docling", input=tmp_path / "raw", output=out, document_timeout_s=3) == 0
    assert [r[schemas.FILE_PATH] for r in read_dataset(out).to_pylist()] == ["fine.pdf"]
    (error,) = read_dataset(out / "errors").to_pylist()
    assert error[schemas.SOURCE] == "operators.pdf" and error[schemas.ERROR_CLASS] == "WorkerTimeout"
    assert "document_timeout_s (3 s)" in error[schemas.ERROR_MESSAGE]
