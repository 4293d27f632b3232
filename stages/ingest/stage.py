"""Read a folder of PDFs (recursive) and WARC/WARC.gz files into Parquet shards of PDF bytes, in two steps:

    hash    OUTPUT/_hashes/<rank>.npy     sha256 of every PDF each task found (--tasks)
    read    OUTPUT/<rank>.parquet         RAW_PDFS, each PDF once; drops/, errors/, ledger/ (--tasks)

With Common Crawl's columnar index as input (``--input cc-index://CC-MAIN-2024-10``, or a path / URI of its
Parquet files) the hash step reads each PDF capture by byte range from its WARC file and fetches the captures
Common Crawl truncated again over HTTP(S) (stored in OUTPUT/_hashes/refetched/ for the read step); the read step
reads the same captures again and takes the refetched ones from there.

Exact duplicates (same sha256) anywhere in the input (across WARC files and folders) are dropped and counted;
the first copy in input order stays, whatever --tasks is. Empty, oversized and non-PDF files, FIFOs, broken
links and unreadable parts of WARC files become error rows; damaged WARC records are flagged is_truncated.
"""

from __future__ import annotations


def index_folder(ingest_output: str) -> str:
    """Where the hash step writes its index (the registry's step output)."""
    from shared import registry

    return registry.get("ingest").step("hash").output_uri(ingest_output)


def _inputs(run):
    """The input: Common Crawl's index (cc-index://CRAWL, a .parquet path, or a folder of Parquet files with no PDF
    or WARC file in it), else a folder of PDFs and WARC files."""
    from datatrove.io import get_datafolder

    from stages.ingest import cc_index
    from stages.ingest.steps import IngestInputs

    settings = run.settings
    index = cc_index.CcIndexInputs(run.input, settings["cc_index_base"], settings["cc_data_base"])
    if cc_index.is_index_uri(run.input) or run.input.rstrip("/").endswith(cc_index.INDEX_EXTENSION):
        return index
    files = IngestInputs(run.input, tuple(settings["extensions"]), tuple(settings["warc_extensions"]))
    try:
        if files.listing().entries:  # listed once: the steps use this listing
            return files
    except FileNotFoundError:
        return files  # the stage says the input folder is missing
    return index if cc_index.holds_index_files(get_datafolder(run.input)) else files


def input_listing(run) -> list[tuple[str, int]]:
    """(path, size) of every input this stage would read (problems included, size 0): the input's state in the
    stage's manifest. Paths in their lossless text form."""
    return [(entry.text, entry.size) for entry in _inputs(run).listing().entries]


def build(run):
    from stages.ingest.cc_index import CcIndexInputs
    from stages.ingest.steps import DedupPdfBytes, PdfHashIndex, PdfSourceReader

    inputs = _inputs(run)
    if isinstance(inputs, CcIndexInputs):
        return _build_index(run, inputs)
    reader = PdfSourceReader(inputs, run.ledger, max_pdf_bytes=run.settings["max_pdf_bytes"])
    if run.step.name == "hash":
        return [reader, PdfHashIndex(run.output, inputs, run.ledger)]
    return [reader, DedupPdfBytes(index_folder(run.stage_output), inputs), run.writer()]


def _build_index(run, inputs):
    from stages.ingest.refetch import FetchSettings, RefetchTruncated
    from stages.ingest.steps import CaptureReader, DedupPdfBytes, PdfHashIndex

    settings = run.settings
    reader = CaptureReader(inputs, run.ledger, settings["max_pdf_bytes"], settings["read_batch"])
    store = index_folder(run.stage_output)
    if run.step.name == "hash":
        fetch = settings.pick(FetchSettings)
        return [reader, RefetchTruncated(store, fetch, settings["refetch_batch"]),
                PdfHashIndex(run.output, inputs, run.ledger)]
    return [reader, RefetchTruncated(store, None), DedupPdfBytes(store, inputs), run.writer()]
