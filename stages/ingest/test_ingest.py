"""ingest: folders and WARC files in, deduplicated raw PDF shards out, every file accounted for."""

import io
import json

import pymupdf
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from shared import schemas
from shared.shards import read_dataset
from stages.cli import run_stage


def make_pdf(text: str) -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    return doc.tobytes()


def run_ingest(**kwargs) -> int:
    return run_stage("ingest", **kwargs)


@pytest.fixture
def pdf_folder(tmp_path):
    root = tmp_path / "in"
    (root / "nested").mkdir(parents=True)
    (root / "a.pdf").write_bytes(make_pdf("alpha"))
    (root / "b.PDF").write_bytes(make_pdf("beta"))
    (root / "nested" / "copy-of-a.pdf").write_bytes((root / "a.pdf").read_bytes())
    (root / "empty.pdf").write_bytes(b"")
    (root / "notes.pdf").write_text("this is not a pdf")
    (root / "readme.txt").write_text("ignored: not a .pdf")
    return root


@pytest.mark.parametrize("tasks", [1, 3])
def test_every_file_is_an_output_a_counted_duplicate_or_an_error(pdf_folder, tmp_path, tasks):
    out = tmp_path / f"raw{tasks}"
    assert run_ingest(input=str(pdf_folder), output=str(out), tasks=tasks) == 0

    rows = read_dataset(out).to_pylist()
    assert sorted(r[schemas.FILE_PATH] for r in rows) in (["a.pdf", "b.PDF"], ["b.PDF", "nested/copy-of-a.pdf"])
    for row in rows:
        pdf = row[schemas.MEDIA][0]["media_bytes"]
        assert pdf.startswith(b"%PDF-") and row[schemas.SIZE_BYTES] == len(pdf)
        assert row[schemas.ID] == row[schemas.SHA256]
    errors = {r[schemas.SOURCE]: r[schemas.ERROR_CLASS] for r in read_dataset(out / "errors").to_pylist()}
    assert errors == {"empty.pdf": "EmptyFile", "notes.pdf": "NotAPdf"}
    drops = read_dataset(out / "drops").to_pylist()
    assert [d[schemas.DROP_REASON] for d in drops] == ["duplicate_pdf_bytes"]

    ledgers = [json.loads(p.read_text()) for p in sorted((out / "ledger").glob("*.json"))]
    assert len(ledgers) == tasks and all(ledger["balanced"] for ledger in ledgers)
    assert sum(ledger["docs_in"] for ledger in ledgers) == 5


def test_warc_pdf_records_are_ingested_with_their_url_offset_and_dump(tmp_path):
    warc = tmp_path / "in" / "CC-MAIN-2019-43" / "segments" / "crawl.warc.gz"
    warc.parent.mkdir(parents=True)
    with open(warc, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for url, body, ctype in [
            ("https://example.org/index.html", b"<html></html>", "text/html"),
            ("https://example.org/paper.pdf", make_pdf("gamma"), "application/pdf"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    out = tmp_path / "raw"
    assert run_ingest(input=str(tmp_path / "in"), output=str(out)) == 0
    rows = read_dataset(out).to_pylist()
    assert [(r[schemas.URL], r[schemas.SOURCE_KIND], r[schemas.FILE_PATH], r[schemas.DUMP]) for r in rows] == [
        ("https://example.org/paper.pdf", "warc", "CC-MAIN-2019-43/segments/crawl.warc.gz", "CC-MAIN-2019-43")
    ]
    assert rows[0][schemas.DATE]
    # FinePDFs' offset: the WARC record starts there (the second record, after the HTML page)
    from warcio.archiveiterator import ArchiveIterator

    offset = rows[0][schemas.OFFSET]
    assert offset > 0
    with open(warc, "rb") as f:
        f.seek(offset)
        record = next(iter(ArchiveIterator(f)))
        assert record.rec_headers.get_header("WARC-Target-URI") == "https://example.org/paper.pdf"


def test_pdf_files_have_no_warc_offset(pdf_folder, tmp_path):
    assert run_ingest(input=str(pdf_folder), output=str(tmp_path / "raw")) == 0
    assert set(read_dataset(tmp_path / "raw").column(schemas.OFFSET).to_pylist()) == {None}


def test_rerun_is_a_noop_and_missing_input_fails(pdf_folder, tmp_path):
    out = tmp_path / "raw"
    assert run_ingest(input=str(pdf_folder), output=str(out)) == 0
    before = (out / "00000.parquet").stat().st_mtime_ns
    assert run_ingest(input=str(pdf_folder), output=str(out)) == 0
    assert (out / "00000.parquet").stat().st_mtime_ns == before
    assert run_ingest(input=str(tmp_path / "nope"), output=str(tmp_path / "raw2")) == 2  # a usage error
