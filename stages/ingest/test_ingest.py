"""ingest: folders and WARC files in, deduplicated raw PDF shards out, every file accounted for."""

import hashlib
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
    assert sorted(r[schemas.FILE_PATH] for r in rows) == ["a.pdf", "b.PDF"]  # the first copy in path order
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


def write_warc(path, records) -> None:
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=str(path).endswith(".gz"))
        for url, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "application/pdf")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


P, Q, R, S = (make_pdf(name) for name in ("shared everywhere", "only in a", "only in b", "only in the folder"))


@pytest.fixture
def crawl(tmp_path):
    """The same PDF (P) in two WARC files and in a folder, beside PDFs found once."""
    root = tmp_path / "crawl"
    (root / "folder").mkdir(parents=True)
    write_warc(root / "a.warc.gz", [("https://a.example/p.pdf", P), ("https://a.example/q.pdf", Q)])
    write_warc(root / "b.warc", [("https://b.example/r.pdf", R), ("https://b.example/p.pdf", P)])
    (root / "folder" / "p.pdf").write_bytes(P)
    (root / "folder" / "s.pdf").write_bytes(S)
    return root


def ingested(out) -> list[tuple]:
    return sorted((r[schemas.SHA256], r[schemas.FILE_PATH], r[schemas.URL]) for r in read_dataset(out).to_pylist())


@pytest.mark.parametrize("tasks", [1, 4])
def test_the_same_pdf_in_two_warcs_and_a_folder_is_kept_once(crawl, tmp_path, tasks):
    out = tmp_path / f"raw{tasks}"
    assert run_ingest(input=str(crawl), output=str(out), tasks=tasks) == 0
    sha = {pdf: hashlib.sha256(pdf).hexdigest() for pdf in (P, Q, R, S)}
    assert ingested(out) == sorted([
        (sha[P], "a.warc.gz", "https://a.example/p.pdf"),  # the first copy in input order
        (sha[Q], "a.warc.gz", "https://a.example/q.pdf"),
        (sha[R], "b.warc", "https://b.example/r.pdf"),
        (sha[S], "folder/s.pdf", None),
    ])
    drops = sorted((d[schemas.ID], d[schemas.SOURCE], d[schemas.DROP_REASON])
                   for d in read_dataset(out / "drops").to_pylist())
    assert drops == [(sha[P], "folder/p.pdf", "duplicate_pdf_bytes"),
                     (sha[P], "https://b.example/p.pdf", "duplicate_pdf_bytes")]
    ledgers = [json.loads(p.read_text()) for p in sorted((out / "ledger").glob("*.json"))]
    assert sum(ledger["docs_in"] for ledger in ledgers) == 6 and all(ledger["balanced"] for ledger in ledgers)
    # the bytes of each PDF are in the run folder once: in the ingest shards, nowhere else
    stored = [m["media_bytes"] for r in read_dataset(out).to_pylist() for m in r[schemas.MEDIA]]
    assert sorted(stored) == sorted([P, Q, R, S])
    assert not list((out / "_hashes").glob("*.parquet"))


def test_tasks_do_not_change_which_rows_come_out(crawl, pdf_folder, tmp_path):
    import shutil

    shutil.copytree(pdf_folder, crawl / "more")
    results = []
    for tasks in (1, 4):
        out = tmp_path / f"raw{tasks}"
        assert run_ingest(input=str(crawl), output=str(out), tasks=tasks) == 0
        results.append(ingested(out))
    assert results[0] == results[1] and len(results[0]) == 6


def test_an_input_changed_between_the_two_passes_fails_instead_of_keeping_a_wrong_copy(crawl, tmp_path):
    out = tmp_path / "raw"
    assert run_ingest(input=str(crawl), output=str(out), step="hash") == 0
    changed = bytearray(P)
    changed[-10] ^= 1  # the same size, other bytes: the hash step's decision no longer holds
    (crawl / "folder" / "p.pdf").write_bytes(bytes(changed))
    assert run_ingest(input=str(crawl), output=str(out), step="read") != 0
    assert not (out / "ledger" / "00000.json").exists()
    assert run_ingest(input=str(crawl / "folder"), output=str(out), step="read") != 0  # another listing


def test_the_hash_index_keeps_digests_that_end_in_zero_bytes(tmp_path):
    import numpy as np

    from stages.ingest.steps import INDEX_DTYPE, HashIndex, index_filename

    digest = bytes(range(1, 31)) + b"\0\0"  # numpy's S32 would hand this out as 30 bytes
    table = np.array([(digest, 0, 0), (digest, 1, 0), (b"\x07" * 32, 2, 0)], dtype=INDEX_DTYPE)
    (tmp_path / "ledger").mkdir()
    with open(tmp_path / index_filename(0), "wb") as f:
        np.save(f, table)
    (tmp_path / "ledger" / "00000.json").write_text(json.dumps({"rank": 0, "tasks": 1, "listing": "L"}))
    expected, later = HashIndex(str(tmp_path), "L").for_task(lambda inputs, entries: np.isin(inputs, [0, 1, 2]))
    assert expected == {(0, 0): digest, (1, 0): digest, (2, 0): b"\x07" * 32}
    assert later == {(1, 0): (0, 0)}  # the later copy -> the kept one
