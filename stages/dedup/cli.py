"""`finepdfs dedup` (every step, locally) and `finepdfs dedup-step <step>` (one step, e.g. one Slurm array).

Layout, with OUT/dedup as the stage's output (what `finepdfs dedup` and orchestration/cluster.toml use):

    OUT/dedup/_minhash/signatures/<lang>/bucket_XXX/<rank>.minhash.sig, <lang>/exact/<rank>.hashes
    OUT/dedup/_minhash/buckets/<lang>/<bucket>_<worker>.dups
    OUT/dedup/_minhash/clusters/<lang>/<file>.remove|.clusters|.sizes|.exact
    OUT/dedup/<lang>/<rank>.parquet   DEDUPED_DOCUMENTS; drops/, errors/, ledger/ as every stage

Each intermediate step writes ``<its output>/ledger/<rank>.json`` when a task is done (the completion marker the
local runner and the Slurm planner read). signatures and filter must run with the same --tasks.
"""

from __future__ import annotations

import posixpath
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

STAGE = "dedup"
MINHASH_DIR = "_minhash"
STEPS = ("signatures", "buckets", "cluster", "filter")
STEP_FOLDERS = {"signatures": "signatures", "buckets": "buckets", "cluster": "clusters"}

LanguagesOpt = Annotated[
    str | None, typer.Option("--languages", help="Comma-separated languages to process (default: all found).")
]
BucketsOpt = Annotated[int | None, typer.Option(help="MinHash buckets (default [dedup] num_buckets: 32).")]
HashesOpt = Annotated[int | None, typer.Option(help="Hashes per bucket (default [dedup] hashes_per_bucket: 10).")]
NgramsOpt = Annotated[int | None, typer.Option(help="Word n-gram size of the shingles (default [dedup] n_grams: 5).")]


def _languages(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _config(config: str | None, num_buckets: int | None, hashes_per_bucket: int | None, n_grams: int | None):
    from stages.dedup.steps import minhash_config

    cfg = stage_config(STAGE, config)
    return minhash_config(
        num_buckets=num_buckets or cfg.get("num_buckets", 32),
        hashes_per_bucket=hashes_per_bucket or cfg.get("hashes_per_bucket", 10),
        n_grams=n_grams or cfg.get("n_grams", 5),
    )


def minhash_folder(dedup_output: str, step: str) -> str:
    """Where an intermediate step writes, under the stage's output."""
    return f"{dedup_output.rstrip('/')}/{MINHASH_DIR}/{STEP_FOLDERS[step]}"


def run_step(
    step: str,
    input: str,
    output: str,
    tasks: int | None = None,
    rank: int | None = None,
    workers: int = 1,
    logging_dir: str | None = None,
    config: str | None = None,
    languages: list[str] | None = None,
    minhash=None,
    signatures: str | None = None,
    clusters: str | None = None,
) -> int:
    """Run one dedup step over its tasks (or the one --rank); returns the exit code.

    ``signatures`` (cluster step) defaults to the ``signatures`` folder beside the cluster step's input;
    ``clusters`` (filter step) defaults to OUTPUT/_minhash/clusters.
    """
    from shared import schemas
    from shared.shards import ShardWriter
    from stages.dedup import steps

    minhash = minhash or _config(config, None, None, None)
    opts = StageOptions(f"{STAGE}-{step}" if step != "filter" else STAGE, input, output, tasks, rank, workers,
                        logging_dir, config)
    if step == "signatures":
        default_tasks = steps.LanguagePlan(input, languages).default_tasks()

        def build(ledger):
            return [steps.MinhashSignatures(input, output, minhash, languages)]
    elif step == "buckets":
        default_tasks = minhash.num_buckets

        def build(ledger):
            return [steps.MinhashBuckets(input, output, minhash, languages)]
    elif step == "cluster":
        default_tasks = 1
        signatures = signatures or posixpath.join(posixpath.dirname(input.rstrip("/")), STEP_FOLDERS["signatures"])

        def build(ledger):
            return [steps.MinhashClusters(input, output, signatures, minhash, languages)]
    elif step == "filter":
        default_tasks = steps.LanguagePlan(input, languages).default_tasks()
        clusters = clusters or minhash_folder(output, "cluster")

        def build(ledger):
            return [
                steps.LanguageShardReader(input, schemas.FILTERED_DOCUMENTS, ledger, languages),
                steps.MinhashFilter(clusters),
                ShardWriter(output, schemas.DEDUPED_DOCUMENTS, STAGE, ledger, partition_by=schemas.LANGUAGE),
            ]
    else:
        raise ValueError(f"unknown dedup step {step!r}: one of {', '.join(STEPS)}")
    return run_stage(opts, build, tasks=default_tasks)


def run(
    input: str,
    output: str,
    tasks: int | None = None,
    workers: int = 1,
    logging_dir: str | None = None,
    config: str | None = None,
    languages: list[str] | None = None,
    minhash=None,
) -> int:
    """All four steps in order (what `finepdfs run` calls); returns the first non-zero exit code, or 0."""
    from stages.dedup.steps import LanguagePlan

    tasks = tasks or LanguagePlan(input, languages).default_tasks()
    common = dict(workers=workers, config=config, languages=languages, minhash=minhash)
    plan = [
        ("signatures", input, minhash_folder(output, "signatures"), tasks),
        ("buckets", minhash_folder(output, "signatures"), minhash_folder(output, "buckets"), None),
        ("cluster", minhash_folder(output, "buckets"), minhash_folder(output, "cluster"), 1),
        ("filter", input, output, tasks),
    ]
    for step, step_input, step_output, step_tasks in plan:
        logs = f"{logging_dir.rstrip('/')}/{step}" if logging_dir else None
        code = run_step(step, step_input, step_output, tasks=step_tasks, logging_dir=logs, **common)
        if code:
            return code
    return 0


def command(
    input: InputOpt,
    output: OutputOpt,
    tasks: TasksOpt = None,
    rank: RankOpt = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
    languages: LanguagesOpt = None,
    num_buckets: BucketsOpt = None,
    hashes_per_bucket: HashesOpt = None,
    n_grams: NgramsOpt = None,
) -> None:
    """Deduplicate per language: exact copies (whitespace-stripped text), then MinHash near duplicates
    (datatrove's signatures, buckets, cluster and filter steps, run here one after the other).

    Reads the filter stage's output (partitioned by language); writes OUTPUT/<lang>/ with minhash_cluster_id and
    minhash_cluster_size; removed duplicates are counted drops (exact_text_duplicate, minhash_duplicate).
    --tasks is the number of signature/filter tasks (default: one per filter rank). To run one step or one
    task (Slurm arrays), use `finepdfs dedup-step <step> --rank R`.
    """
    if rank is not None:
        typer.echo("finepdfs dedup runs every step; for one task use `finepdfs dedup-step <step> --rank R`", err=True)
        raise typer.Exit(2)
    minhash = _config(config, num_buckets, hashes_per_bucket, n_grams)
    raise typer.Exit(run(input, output, tasks, workers, logging_dir, config, _languages(languages), minhash))


subcommands = typer.Typer(
    help="One dedup step at a time (each a datatrove pipeline with its own tasks: a Slurm array each). "
    "Order: signatures -> buckets -> cluster -> filter.",
    no_args_is_help=True,
)


@subcommands.command("signatures")
def signatures_command(
    input: InputOpt,
    output: OutputOpt,
    tasks: TasksOpt = None,
    rank: RankOpt = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
    languages: LanguagesOpt = None,
    num_buckets: BucketsOpt = None,
    hashes_per_bucket: HashesOpt = None,
    n_grams: NgramsOpt = None,
) -> None:
    """Step 1: MinHash signatures and exact-text hashes of the filter stage's output (INPUT), per language.
    Task r reads shard n of every language when n % tasks == r (default tasks: one per filter rank)."""
    minhash = _config(config, num_buckets, hashes_per_bucket, n_grams)
    raise typer.Exit(run_step("signatures", input, output, tasks, rank, workers, logging_dir, config,
                              _languages(languages), minhash))


@subcommands.command("buckets")
def buckets_command(
    input: InputOpt,
    output: OutputOpt,
    tasks: TasksOpt = None,
    rank: RankOpt = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
    languages: LanguagesOpt = None,
    num_buckets: BucketsOpt = None,
    hashes_per_bucket: HashesOpt = None,
    n_grams: NgramsOpt = None,
) -> None:
    """Step 2: duplicate pairs per bucket from the signatures (INPUT). Any --tasks (default: one per bucket)."""
    minhash = _config(config, num_buckets, hashes_per_bucket, n_grams)
    raise typer.Exit(run_step("buckets", input, output, tasks, rank, workers, logging_dir, config,
                              _languages(languages), minhash))


@subcommands.command("cluster")
def cluster_command(
    input: InputOpt,
    output: OutputOpt,
    tasks: TasksOpt = None,
    rank: RankOpt = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
    languages: LanguagesOpt = None,
    num_buckets: BucketsOpt = None,
    hashes_per_bucket: HashesOpt = None,
    n_grams: NgramsOpt = None,
    signatures: Annotated[
        str | None, typer.Option(help="The signatures step's output (default: 'signatures' beside INPUT).")
    ] = None,
) -> None:
    """Step 3: clusters from the duplicate pairs (INPUT = buckets output), ids and sizes saved, exact copies
    labelled. One task per group of languages (default 1)."""
    minhash = _config(config, num_buckets, hashes_per_bucket, n_grams)
    raise typer.Exit(run_step("cluster", input, output, tasks, rank, workers, logging_dir, config,
                              _languages(languages), minhash, signatures=signatures))


@subcommands.command("filter")
def filter_command(
    input: InputOpt,
    output: OutputOpt,
    tasks: TasksOpt = None,
    rank: RankOpt = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
    languages: LanguagesOpt = None,
    num_buckets: BucketsOpt = None,
    hashes_per_bucket: HashesOpt = None,
    n_grams: NgramsOpt = None,
    clusters: Annotated[
        str | None, typer.Option(help="The cluster step's output (default: OUTPUT/_minhash/clusters).")
    ] = None,
) -> None:
    """Step 4: read the filter stage's output (INPUT) again, drop duplicates (counted), write OUTPUT/<lang>/.
    Must use the same --tasks as the signatures step."""
    minhash = _config(config, num_buckets, hashes_per_bucket, n_grams)
    raise typer.Exit(run_step("filter", input, output, tasks, rank, workers, logging_dir, config,
                              _languages(languages), minhash, clusters=clusters))
