"""ingest's input listing: FIFOs, broken links, link loops and undecodable names cost one error row (or nothing),
never the shard, and never the good PDFs beside them."""

import json
import os

import pymupdf
import pytest

from shared import schemas
from shared.shards import read_dataset
from stages.cli import run_stage
from stages.ingest.listing import InputNames, assign, list_local, path_bytes, path_text

BAD_NAME = b"bad\xff\xfe name.pdf"


def make_pdf(text: str) -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    return doc.tobytes()


@pytest.mark.parametrize("raw", [b"a.pdf", BAD_NAME, b"100%.pdf", "caf\u00e9.pdf".encode(), b"%FF.pdf", b"x\x80"])
def test_path_text_is_valid_utf8_and_gives_the_bytes_back(raw):
    text = path_text(os.fsdecode(raw))
    text.encode("utf-8")  # strict: a Parquet string column takes it
    assert path_bytes(text) == raw


def test_path_text_leaves_ordinary_names_alone():
    assert path_text("nested/caf\u00e9 report.pdf") == "nested/caf\u00e9 report.pdf"
    assert path_text(os.fsdecode(BAD_NAME)) == "bad%FF%FE name.pdf"
    assert path_text("100%.pdf") == "100%25.pdf"


@pytest.fixture
def hostile_folder(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "good.pdf").write_bytes(make_pdf("good"))
    (root / "sub" / "good2.pdf").write_bytes(make_pdf("good two"))
    with open(os.path.join(os.fsencode(root), BAD_NAME), "wb") as f:
        f.write(make_pdf("badly named"))
    os.mkfifo(root / "y.pdf")
    os.symlink(root / "missing.pdf", root / "dangling.pdf")
    os.symlink("self.pdf", root / "self.pdf")  # a link to itself: ELOOP
    os.symlink("..", root / "sub" / "up")  # a directory loop: walked once
    os.symlink(root / "nowhere", root / "dangling-dir")  # no input name: not an input
    (root / "notes.txt").write_text("not an input")
    return root


def test_listing_sorts_every_entry_into_input_or_problem_without_opening_it(hostile_folder):
    listing = list_local(str(hostile_folder), InputNames((".pdf",), (".warc", ".warc.gz")))
    found = {e.text: (e.kind, e.error_class) for e in listing.entries}
    assert found == {
        "bad%FF%FE name.pdf": ("pdf", None),
        "dangling.pdf": ("problem", "BrokenLink"),
        "good.pdf": ("pdf", None),
        "self.pdf": ("problem", "BrokenLink"),
        "sub/good2.pdf": ("pdf", None),
        "y.pdf": ("problem", "NotARegularFile"),
    }
    assert listing.directories_seen_twice == 1
    assert listing.ignored_broken_links == 1


@pytest.mark.timeout(120)  # today a FIFO blocks ingest forever: this fails instead of hanging
@pytest.mark.parametrize("tasks", [1, 3])
def test_hostile_entries_are_error_rows_and_the_good_pdfs_beside_them_are_kept(hostile_folder, tmp_path, tasks):
    out = tmp_path / f"raw{tasks}"
    assert run_stage("ingest", input=str(hostile_folder), output=str(out), tasks=tasks) == 0

    rows = read_dataset(out).to_pylist()
    assert sorted(r[schemas.FILE_PATH] for r in rows) == ["bad%FF%FE name.pdf", "good.pdf", "sub/good2.pdf"]
    bad = next(r for r in rows if r[schemas.FILE_PATH].startswith("bad"))
    assert path_bytes(bad[schemas.FILE_PATH]) == BAD_NAME
    assert os.fsencode(hostile_folder) + b"/" + BAD_NAME == path_bytes(bad[schemas.MEDIA][0]["url"])
    with open(os.path.join(os.fsencode(hostile_folder), BAD_NAME), "rb") as f:
        assert bad[schemas.MEDIA][0]["media_bytes"] == f.read()

    errors = {r[schemas.SOURCE]: r[schemas.ERROR_CLASS] for r in read_dataset(out / "errors").to_pylist()}
    assert errors == {"y.pdf": "NotARegularFile", "dangling.pdf": "BrokenLink", "self.pdf": "BrokenLink"}
    ledgers = [json.loads(p.read_text()) for p in sorted((out / "ledger").glob("*.json"))]
    assert len(ledgers) == tasks and all(ledger["balanced"] for ledger in ledgers)
    assert sum(ledger["docs_in"] for ledger in ledgers) == 6


def test_a_regular_file_swapped_for_a_fifo_after_the_listing_is_not_opened_blocking(hostile_folder, tmp_path):
    from shared.ledger import FAILED, ShardLedger, fate
    from stages.ingest.steps import IngestInputs, PdfSourceReader

    inputs = IngestInputs(str(hostile_folder), (".pdf",), (".warc",))
    entry = next(e for e in inputs.listing().entries if e.text == "good.pdf")
    os.unlink(hostile_folder / "good.pdf")
    os.mkfifo(hostile_folder / "good.pdf")
    doc = next(iter(PdfSourceReader(inputs, ShardLedger("ingest", 0), 1 << 20).read_entry(entry)))
    assert fate(doc) == FAILED and doc.metadata["__error_class"] == "NotARegularFile"


def test_inputs_are_spread_by_documents_and_the_same_listing_gives_the_same_tasks():
    from stages.ingest.listing import InputEntry

    pdfs = [InputEntry(f"{i}.pdf", size, "pdf") for i, size in enumerate([10, 20, 30, 40, 5000, 60])]
    warc = [InputEntry("crawl.warc.gz", 150, "warc")]  # about four PDFs of the median size (40)
    entries = pdfs + warc
    tasks = assign(entries, 2)
    assert tasks == assign(entries, 2)
    assert tasks == [0, 0, 0, 0, 0, 1, 1]  # contiguous in input order: 5 PDFs against 1 + the WARC's 4
    assert assign(entries, 1) == [0] * 7 and assign(pdfs, 6) == list(range(6))


@pytest.mark.timeout(60)  # today this blocks forever in open(): the timeout makes it a failure, not a hang
def test_a_fifo_named_like_a_pdf_does_not_block_ingest(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "x.pdf").write_bytes(make_pdf("beside the fifo"))
    os.mkfifo(root / "y.pdf")
    out = tmp_path / "raw"
    assert run_stage("ingest", input=str(root), output=str(out)) == 0
    assert [r[schemas.FILE_PATH] for r in read_dataset(out).to_pylist()] == ["x.pdf"]
    errors = read_dataset(out / "errors").to_pylist()
    assert [(e[schemas.SOURCE], e[schemas.ERROR_CLASS]) for e in errors] == [("y.pdf", "NotARegularFile")]
