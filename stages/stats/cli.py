"""`finepdfs stats`: datatrove document stats on the final documents, merged, plus every stage's ledger."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from shared.cli import ConfigOpt, InputOpt, LoggingDirOpt, OutputOpt, WorkersOpt

STAGE = "stats"


def command(
    input: InputOpt,
    output: OutputOpt,
    pipeline_dir: Annotated[
        str | None,
        typer.Option(help="Folder holding every stage's output (for the ledgers). Default: the parent of --input."),
    ] = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write OUTPUT/stats.json and OUTPUT/summary.md: ledgers of all stages and numbers over the final documents.

    datatrove's DocStats run over the documents in --input (one task per shard) and StatsMerger merges them
    into OUTPUT/datatrove/.
    """
    import pyarrow as pa
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.io import get_datafolder
    from datatrove.pipeline.stats import DocStats, StatsMerger
    from rich.console import Console
    from rich.markdown import Markdown

    from shared import schemas
    from shared.cli import default_tasks
    from shared.ledger import ShardLedger
    from shared.shards import ShardReader, read_dataset, split_uris
    from stages.stats.summary import documents_summary, drops_by_language, ledger_summary, render_markdown

    out = output.rstrip("/")
    pipeline_dir = pipeline_dir or input.split(",")[0].rstrip("/").rsplit("/", 1)[0]
    logs = logging_dir or f"{out}/_logs"
    tasks = default_tasks(input)
    per_task = f"{out}/datatrove/_per_task"
    LocalPipelineExecutor(
        [
            ShardReader(input, schemas.DOCUMENTS, ShardLedger(STAGE, 0)),
            DocStats(per_task, groups_to_compute=["summary", "histogram"]),
        ],
        tasks=tasks,
        workers=min(workers, tasks),
        logging_dir=f"{logs}/doc_stats",
        skip_completed=False,
    ).run()
    LocalPipelineExecutor(
        [StatsMerger(per_task, f"{out}/datatrove")], tasks=1, logging_dir=f"{logs}/merge", skip_completed=False
    ).run()

    table = pa.concat_tables([read_dataset(u, recursive=True) for u in split_uris(input)], promote_options="default")
    stats = {"ledger": ledger_summary(pipeline_dir), "documents": documents_summary(table),
             "drops_by_language": drops_by_language(pipeline_dir)}
    folder = get_datafolder(out)
    with folder.open("stats.json", "wt") as f:
        json.dump(stats, f, indent=1)
    summary = render_markdown(stats)
    with folder.open("summary.md", "wt") as f:
        f.write(summary)
    Console(stderr=True).print(Markdown(summary))
    unbalanced = [stage for stage, totals in stats["ledger"].items() if not totals["balanced"]]
    if unbalanced:
        typer.echo(f"stats: ledgers do not balance for {unbalanced}", err=True)
        raise typer.Exit(1)
