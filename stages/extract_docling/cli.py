"""`finepdfs extract-docling`: routed text PDFs -> documents (text + page_ends) with Docling on CPU."""

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
from shared.config import models_dir, stage_config

STAGE = "extract-docling"


def command(
    input: InputOpt,
    output: OutputOpt,
    tasks: TasksOpt = None,
    rank: RankOpt = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
    layout_model: Annotated[
        str | None,
        typer.Option(help="auto: the layout model when its weights are in MODELS_DIR/docling, else model-free; "
                     "on: require it; off: model-free NativePdfPipeline."),
    ] = None,
    document_timeout: Annotated[float | None, typer.Option(help="Seconds per document (FinePDFs: 600).")] = None,
    max_pages: Annotated[int | None, typer.Option(help="Pages converted per document at most.")] = None,
    max_memory_mb: Annotated[int | None, typer.Option(help="Memory cap of the Docling worker (0: none).")] = None,
) -> None:
    """Extract text with page offsets from text PDFs (Docling's layout model with its weights, else PyMuPDF).

    Reads raw or routed PDF shards (e.g. OUT/classify/docling), writes DOCUMENTS shards. Corrupt, encrypted,
    zero-page and non-PDF inputs, timeouts and worker crashes become error rows; the shard always completes.
    """
    from shared import schemas
    from shared.shards import ShardReader, ShardWriter
    from stages.extract_docling.steps import DoclingExtract, DoclingSettings, resolve_layout_artifacts

    cfg = stage_config(STAGE, config)
    mode = layout_model or cfg.get("layout_model", "auto")
    try:
        artifacts = resolve_layout_artifacts(models_dir(config), mode)
    except FileNotFoundError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    settings = DoclingSettings.from_config(cfg, artifacts, document_timeout_s=document_timeout or None,
                                           max_pages=max_pages or None)
    typer.echo(f"{STAGE}: using {settings.extractor}"
               + ("" if artifacts else " (no layout weights in the models dir; `just models` fetches them)"),
               err=True)
    opts = StageOptions(STAGE, input, output, tasks, rank, workers, logging_dir, config)

    def build(ledger):
        return [
            ShardReader(input, schemas.RAW_PDFS, ledger, batch_size=16),
            DoclingExtract(
                settings,
                max_memory_mb=max_memory_mb if max_memory_mb is not None else cfg.get("max_memory_mb", 0),
                recycle_after=cfg.get("recycle_after", 200),
            ),
            ShardWriter(output, schemas.DOCUMENTS, STAGE, ledger),
        ]

    raise typer.Exit(run_stage(opts, build))
