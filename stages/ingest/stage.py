"""Read a folder of PDFs (recursive) and WARC/WARC.gz files into Parquet shards of PDF bytes, in two steps:

    hash    OUTPUT/_hashes/<rank>.npy     sha256 of every PDF each task found (--tasks)
    read    OUTPUT/<rank>.parquet         RAW_PDFS, each PDF once; drops/, errors/, ledger/ (--tasks)

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
    from stages.ingest.steps import IngestInputs

    settings = run.settings
    return IngestInputs(run.input, tuple(settings["extensions"]), tuple(settings["warc_extensions"]))


def input_listing(run) -> list[tuple[str, int]]:
    """(path, size) of every input this stage would read (problems included, size 0): the input's state in the
    stage's manifest. Paths in their lossless text form."""
    return [(entry.text, entry.size) for entry in _inputs(run).listing().entries]


def build(run):
    from stages.ingest.steps import DedupPdfBytes, PdfHashIndex, PdfSourceReader

    inputs = _inputs(run)
    reader = PdfSourceReader(inputs, run.ledger, max_pdf_bytes=run.settings["max_pdf_bytes"])
    if run.step.name == "hash":
        return [reader, PdfHashIndex(run.output, inputs, run.ledger)]
    return [reader, DedupPdfBytes(index_folder(run.stage_output), inputs), run.writer()]
