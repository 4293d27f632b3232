"""Read a folder of PDFs (recursive) and WARC/WARC.gz files into Parquet shards of PDF bytes.

Exact duplicates (same sha256) are dropped and counted; empty, oversized and non-PDF files become error rows.
Files are assigned to tasks by byte size, so duplicates always meet in the same task.
"""

from __future__ import annotations


def _reader(run):
    from stages.ingest.steps import PdfSourceReader

    settings = run.settings
    return PdfSourceReader(run.input, run.ledger, max_pdf_bytes=settings["max_pdf_bytes"],
                           extensions=tuple(settings["extensions"]),
                           warc_extensions=tuple(settings["warc_extensions"]))


def input_listing(run) -> list[tuple[str, int]]:
    """(path, size) of the files this stage would read: the input's state in the stage's manifest."""
    return _reader(run).list_inputs()


def build(run):
    from stages.ingest.steps import DedupPdfBytes

    return [
        _reader(run),
        DedupPdfBytes(),
        run.writer(),
    ]
