"""The one CLI shape every stage shares, and the code that runs a stage's pipeline on datatrove.

    finepdfs <stage> --input URI --output URI [--tasks N] [--rank R] [--workers W] [--logging-dir URI] [--config F]

``--rank`` (or $SLURM_ARRAY_TASK_ID + $FINEPDFS_RANK_OFFSET) runs that one task; without it every task runs
locally with datatrove's LocalPipelineExecutor. Exit code 0 only when every assigned shard is complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import typer
from datatrove.io import get_datafolder

from shared.ledger import ShardLedger, ledger_filename
from shared.shards import list_shards

InputOpt = Annotated[str, typer.Option("--input", "-i", help="Input folder or URI (local path or fsspec URL).")]
OutputOpt = Annotated[str, typer.Option("--output", "-o", help="Output folder or URI for this stage's shards.")]
TasksOpt = Annotated[
    int | None, typer.Option("--tasks", help="Total number of tasks (shards). Default: one per input shard.")
]
RankOpt = Annotated[
    int | None,
    typer.Option(
        "--rank",
        help="Run only this task. Default: $SLURM_ARRAY_TASK_ID (+ $FINEPDFS_RANK_OFFSET) if set, else all tasks.",
    ),
]
WorkersOpt = Annotated[int, typer.Option("--workers", help="Tasks run in parallel on this machine.")]
LoggingDirOpt = Annotated[
    str | None, typer.Option("--logging-dir", help="datatrove logs, stats and completions. Default: OUTPUT/_logs")
]
ConfigOpt = Annotated[
    str | None, typer.Option("--config", help="TOML config overriding shared/defaults.toml ($FINEPDFS_CONFIG).")
]


@dataclass
class StageOptions:
    stage: str
    input: str
    output: str
    tasks: int | None = None
    rank: int | None = None
    workers: int = 1
    logging_dir: str | None = None
    config: str | None = None

    @property
    def logs(self) -> str:
        return self.logging_dir or f"{self.output.rstrip('/')}/_logs"


def rank_from_env(rank: int | None) -> int | None:
    """An explicit --rank wins; else a Slurm array index plus an offset (arrays split over MaxArraySize)."""
    if rank is not None:
        return rank
    array_id = os.environ.get("SLURM_ARRAY_TASK_ID")
    if array_id is None:
        return None
    return int(array_id) + int(os.environ.get("FINEPDFS_RANK_OFFSET", "0"))


def default_tasks(input_uri: str) -> int:
    return max(1, len(list_shards(input_uri)))


def run_stage(opts: StageOptions, build_pipeline: Callable[[ShardLedger], list], tasks: int | None = None) -> int:
    """Run a stage's pipeline over its tasks and check every assigned shard completed with a balanced ledger.

    ``build_pipeline(ledger)`` returns the datatrove steps; the reader and the ShardWriter share that ledger.
    """
    from datatrove.executor import LocalPipelineExecutor
    from rich.console import Console

    console = Console(stderr=True)
    tasks = opts.tasks or tasks or default_tasks(opts.input)
    rank = rank_from_env(opts.rank)
    ranks = [rank] if rank is not None else list(range(tasks))
    if rank is not None and not 0 <= rank < tasks:
        console.print(f"[red]{opts.stage}: rank {rank} is outside 0..{tasks - 1}[/red]")
        return 2
    output = get_datafolder(opts.output)
    logs = get_datafolder(opts.logs)
    # Our ledger is the truth about completion: a datatrove completion marker without a ledger is stale.
    for r in ranks:
        if logs.isfile(f"completions/{r:05d}") and not output.isfile(ledger_filename(r)):
            logs.rm(f"completions/{r:05d}")

    pipeline = build_pipeline(ShardLedger(stage=opts.stage, rank=0))
    executor_kwargs = dict(pipeline=pipeline, tasks=tasks, logging_dir=opts.logs)
    if rank is not None:
        executor_kwargs |= dict(workers=1, local_tasks=1, local_rank_offset=rank)
    else:
        executor_kwargs |= dict(workers=max(1, min(opts.workers, tasks)))
    console.print(f"[bold]{opts.stage}[/bold]: {opts.input} -> {opts.output} ({len(ranks)} of {tasks} tasks)")
    try:
        LocalPipelineExecutor(**executor_kwargs).run()
    except Exception as error:  # noqa: BLE001 - reported below as incomplete shards
        console.print(f"[red]{opts.stage}: {type(error).__name__}: {error}[/red]")

    incomplete = [r for r in ranks if not output.isfile(ledger_filename(r))]
    if incomplete:
        console.print(f"[red]{opts.stage}: {len(incomplete)} shard(s) incomplete: {incomplete[:20]}[/red]")
        return 1
    return 0
