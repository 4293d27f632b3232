"""`finepdfs classify`: raw PDF shards -> routed PDF shards in OUTPUT/docling/ and OUTPUT/ocr/ (+ errors)."""

from __future__ import annotations

from enum import StrEnum
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

STAGE = "classify"


class Route(StrEnum):
    docling = "docling"
    ocr = "ocr"


def command(
    input: InputOpt,
    output: OutputOpt,
    tasks: TasksOpt = None,
    rank: RankOpt = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
    threshold: Annotated[
        float | None, typer.Option(help="Route to OCR when p(ocr) >= this. Default: [classify].threshold.")
    ] = None,
    force_route: Annotated[
        Route | None, typer.Option("--force-route", help="Send every PDF this way (reason 'forced').")
    ] = None,
    model: Annotated[
        str | None, typer.Option(help="Router XGBoost JSON. Default: the bundled model.")
    ] = None,
    sample_pages: Annotated[int | None, typer.Option(help="Pages read per PDF. Default: [classify].")] = None,
) -> None:
    """Route each PDF to Docling (usable text layer) or OCR, with the XGBoost router.

    Writes OUTPUT/docling/ and OUTPUT/ocr/ (routed PDFs with ocr_prob, route, route_reason, garbled_ratio,
    pages_needing_ocr, num_pages), OUTPUT/errors/ for PDFs that cannot be read (CorruptPdf, EncryptedPdf,
    ZeroPages, PdfTooLarge, EmptyFile) and OUTPUT/ledger/.
    """
    from rich.console import Console

    from shared import schemas
    from shared.shards import ShardReader, ShardWriter
    from stages.classify.model import RouterModel, RoutingRule
    from stages.classify.steps import ClassifyPdf

    cfg = stage_config(STAGE, config)
    model_path = model or cfg.get("model") or None
    try:
        RouterModel(model_path)  # fail before any shard starts, with a clear message
    except (FileNotFoundError, RuntimeError) as error:
        Console(stderr=True).print(f"[red]{STAGE}: {error}[/red]")
        raise typer.Exit(2) from None
    rule = RoutingRule(
        threshold=cfg["threshold"] if threshold is None else threshold,
        ocr_if_garbled=cfg["ocr_if_garbled"],
        garbled_threshold=cfg["garbled_threshold"],
        force_route=force_route.value if force_route else None,
    )
    opts = StageOptions(STAGE, input, output, tasks, rank, workers, logging_dir, config)

    def build(ledger):
        return [
            ShardReader(input, schemas.RAW_PDFS, ledger),
            ClassifyPdf(
                rule,
                model_path=model_path,
                sample_pages=sample_pages or cfg["sample_pages"],
                seed=cfg["seed"],
                max_pdf_bytes=cfg["max_pdf_bytes"],
                time_budget_s=cfg["time_budget_s"],
                scan_pages=cfg["scan_pages"],
            ),
            ShardWriter(output, schemas.ROUTED_PDFS, STAGE, ledger, partition_by=schemas.ROUTE),
        ]

    raise typer.Exit(run_stage(opts, build))
