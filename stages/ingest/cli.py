"""`finepdfs ingest`: PDFs and WARC files -> raw PDF shards."""

from __future__ import annotations

from typing import Annotated

import typer

from shared.cli import (
    ConfigOpt,
    InputOpt,
    LoggingDirOpt,
    OutputOpt,
    RankOpt,
    StageOptions,
    TasksOpt,
    WorkersOpt,
    run_stage,
)
from shared.config import stage_config

STAGE = "ingest"


def command(
    input: InputOpt,
    output: OutputOpt,
    tasks: TasksOpt = None,
    rank: RankOpt = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
    max_pdf_bytes: Annotated[int | None, typer.Option(help="Larger PDFs become error rows (PdfTooLarge).")] = None,
) -> None:
    """Read a folder of PDFs (recursive) and WARC/WARC.gz files into Parquet shards of PDF bytes.

    Exact duplicates (same sha256) are dropped and counted; empty, oversized and non-PDF files become error rows.
    Files are assigned to tasks by byte size, so duplicates always meet in the same task.
    """
    from shared import schemas
    from shared.shards import ShardWriter
    from stages.ingest.steps import DedupPdfBytes, PdfSourceReader

    cfg = stage_config(STAGE, config)
    opts = StageOptions(STAGE, input, output, tasks, rank, workers, logging_dir, config)

    def build(ledger):
        return [
            PdfSourceReader(
                input,
                ledger,
                max_pdf_bytes=max_pdf_bytes or cfg["max_pdf_bytes"],
                extensions=tuple(cfg["extensions"]),
                warc_extensions=tuple(cfg["warc_extensions"]),
            ),
            DedupPdfBytes(),
            ShardWriter(output, schemas.RAW_PDFS, STAGE, ledger),
        ]

    raise typer.Exit(run_stage(opts, build, tasks=tasks or 1))
