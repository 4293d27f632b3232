"""The one CLI shape every stage shares, and the loop that runs a stage's steps on datatrove.

    finepdfs <stage> --input URI --output URI [--tasks N] [--rank R] [--workers W] [--logging-dir URI]
                     [--config FILE] [--step STEP] [--<setting> VALUE ...]

A stage says only what it adds: its entry in shared/registry.py (datasets, steps) and a module with
``build(run: StageRun) -> list[PipelineStep]``. Its settings are its section of shared/defaults.toml; each scalar
setting is a flag of the same name (``document_timeout_s`` -> ``--document-timeout-s``) and an environment
variable (``FINEPDFS_EXTRACT_DOCLING_DOCUMENT_TIMEOUT_S``); flags beat the environment, which beats --config,
which beats the defaults.

``--rank`` (or $SLURM_ARRAY_TASK_ID + $FINEPDFS_RANK_OFFSET) runs that one task; without it every task runs
locally with datatrove's LocalPipelineExecutor. Exit code 0 only when every assigned shard is complete, 1 when
one is not, 2 for a usage error (one line, no traceback).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import click

from shared import registry
from shared.config import ConfigError, Settings, defaults, help_texts, models_dir, stage_settings
from shared.registry import TASKS, Stage, Step


class UsageError(click.ClickException):
    """A mistake of the caller (bad value, missing input, missing weights): one clear line, exit code 2."""

    exit_code = 2


def env_name(stage: str | None, key: str) -> str:
    """The environment variable of a setting: FINEPDFS_<KEY> for [run] settings, FINEPDFS_<STAGE>_<KEY> else."""
    parts = ["FINEPDFS"] + ([stage] if stage and stage != "run" else []) + [key]
    return "_".join(p.upper().replace("-", "_") for p in parts)


def flag_name(key: str) -> str:
    return "--" + key.replace("_", "-")


@dataclass
class StageRun:
    """One stage step to run: where it reads and writes, how many tasks, and its settings."""

    stage: Stage
    step: Step
    stage_input: str  # --input: the stage's input (every step's paths derive from these two)
    stage_output: str  # --output: the stage's output folder
    tasks: int
    settings: Settings
    rank: int | None = None
    workers: int = 1
    logging_dir: str | None = None
    config: str | None = None
    force: bool = False  # redo the step when its manifest differs (settings, input, tasks) instead of stopping
    ledger: object = field(default=None, repr=False)  # the shard ledger the reader and the writer share
    input_check: object = field(default=None, repr=False)  # shared.manifest.InputCheck, set by check_manifest

    @property
    def input(self) -> str:
        return self.step.input_uri(self.stage_input, self.stage_output)

    @property
    def output(self) -> str:
        return self.step.output_uri(self.stage_output)

    @property
    def data_output(self) -> str:
        """Where the step's documents go: its output folder, or the stage's data folder (the final dataset)."""
        return self.step.data_uri(self.stage_output)

    @property
    def name(self) -> str:
        """The stage name in ledgers, stats and errors: the stage's for its last step, else stage-step."""
        return self.stage.name if self.step == self.stage.all_steps[-1] else f"{self.stage.name}-{self.step.name}"

    @property
    def logs(self) -> str:
        return self.logging_dir or f"{self.output.rstrip('/')}/_logs"

    @cached_property
    def models_dir(self) -> Path:
        return models_dir(self.config)

    def reader(self, schema=None, **kwargs):
        """The standard reader of this stage's input dataset (counts docs_in in the shared ledger). ``schema``:
        the columns the stage needs, when fewer than its input dataset's (it then reads more kinds of input)."""
        from shared import schemas
        from shared.shards import ShardReader

        return ShardReader(self.input, schema or schemas.DATASETS[self.stage.reads], self.ledger, **kwargs)

    def writer(self, **kwargs):
        """The standard last step: this stage's output dataset, drops, errors, and the ledger last."""
        from shared import schemas
        from shared.shards import ShardWriter

        dataset = self.stage.writes
        return ShardWriter(self.output, schemas.DATASETS[dataset] if dataset else None, self.name, self.ledger,
                           partition_by=schemas.PARTITION_BY.get(dataset), input_check=self.input_check,
                           data_folder=self.data_output, **kwargs)

    @property
    def is_last_step(self) -> bool:
        return self.step == self.stage.all_steps[-1]


# --- settings as flags -------------------------------------------------------------------------------------
def _scalar_settings(section: str) -> dict:
    return {k: v for k, v in defaults()[section].items() if not isinstance(v, dict)}


def _click_type(default):
    if isinstance(default, bool):
        return None
    return {int: click.INT, float: click.FLOAT}.get(type(default), click.STRING)


def setting_options(section: str, prefix: str = "", choices: dict | None = None) -> list[click.Option]:
    """One option per scalar setting of a config section (``prefix`` for `finepdfs run`'s per-stage flags)."""
    options = []
    helps = help_texts().get(section, {})
    for key, default in _scalar_settings(section).items():
        flag = flag_name(f"{prefix}{key}")
        dest = f"{prefix}{key}".replace("-", "_")
        shown = ", ".join(map(str, default)) if isinstance(default, list) else default
        text = (helps.get(key) or "").replace("%", "%%")
        text = f"{text} (config: [{section}] {key}; default: {shown!r})".strip()
        kind = choices.get(key) if choices else None
        common = dict(default=None, envvar=env_name(section, key), show_envvar=True, help=text)
        if isinstance(default, bool):
            options.append(click.Option([f"{flag}/--no-{flag[2:]}", dest], **common))
        else:
            kind = click.Choice(list(kind)) if kind else _click_type(default)
            options.append(click.Option([flag, dest], type=kind, **common))
    return options


def settings_from_flags(section: str, values: dict, prefix: str = "") -> dict:
    """The flags that were given (not None), as config values (lists from comma-separated text)."""
    given = {}
    for key, default in _scalar_settings(section).items():
        value = values.get(f"{prefix}{key}".replace("-", "_"))
        if value is None:
            continue
        if isinstance(default, list):
            value = [v.strip() for v in str(value).split(",") if v.strip()]
        given[key] = value
    return given


def stage_module(stage: Stage):
    return importlib.import_module(stage.module_name)


def check_choices(settings: Settings, choices: dict) -> None:
    for key, allowed in (choices or {}).items():
        if settings[key] not in allowed:
            raise ConfigError(f"[{settings.section}] {key} must be one of {', '.join(map(repr, allowed))}, "
                              f"not {settings[key]!r}")


# --- running ---------------------------------------------------------------------------------------------
def rank_from_env(rank: int | None) -> int | None:
    """An explicit --rank wins; else a Slurm array index plus an offset (arrays split over MaxArraySize)."""
    if rank is not None:
        return rank
    array_id = os.environ.get("SLURM_ARRAY_TASK_ID")
    if array_id is None:
        return None
    return int(array_id) + int(os.environ.get("FINEPDFS_RANK_OFFSET", "0"))


def step_tasks(step: Step, tasks: int, settings: Settings) -> int:
    if step.tasks == TASKS:
        return tasks
    if isinstance(step.tasks, int):
        return step.tasks
    return int(settings[step.tasks])


def make_runs(stage: Stage, input: str, output: str, settings: Settings, tasks: int, steps: list[str] | None = None,
              **common) -> list[StageRun]:
    chosen = [stage.step(name) for name in steps] if steps else list(stage.all_steps)
    return [StageRun(stage, step, input, output, step_tasks(step, tasks, settings), settings, **common)
            for step in chosen]


def run_step(run: StageRun, announce: bool = True) -> int:
    """Run one step over its tasks (or the one rank) and check every assigned shard completed. ``announce``:
    say what runs (a stage CLI does; `finepdfs run` prints its own progress lines)."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.io import get_datafolder
    from rich.console import Console

    from shared.ledger import ShardLedger, ledger_filename

    console = Console(stderr=True)
    tasks = run.tasks
    rank = rank_from_env(run.rank)
    if rank is not None and not 0 <= rank < tasks:
        raise UsageError(f"{run.name}: rank {rank} is outside 0..{tasks - 1} (--tasks {tasks})")
    ranks = [rank] if rank is not None else list(range(tasks))
    check_manifest(run)
    run.ledger = ShardLedger(stage=run.name, rank=0)
    pipeline = stage_module(run.stage).build(run)
    output = get_datafolder(run.output)
    logs = get_datafolder(run.logs)
    # Our ledger is the truth about completion: a datatrove completion marker without a ledger is stale.
    for r in ranks:
        if logs.isfile(f"completions/{r:05d}") and not output.isfile(ledger_filename(r)):
            logs.rm(f"completions/{r:05d}")
    executor_kwargs = dict(pipeline=pipeline, tasks=tasks, logging_dir=run.logs)
    if rank is not None:
        executor_kwargs |= dict(workers=1, local_tasks=1, local_rank_offset=rank)
    else:
        executor_kwargs |= dict(workers=max(1, min(run.workers, tasks)))
    if announce:
        console.print(f"[bold]{run.name}[/bold]: {run.input} -> {run.output} ({len(ranks)} of {tasks} tasks)")
    try:
        LocalPipelineExecutor(**executor_kwargs).run()
    except Exception as error:  # noqa: BLE001 - reported below as incomplete shards
        console.print(f"[red]{run.name}: {type(error).__name__}: {error}[/red]")
    incomplete = [r for r in ranks if not output.isfile(ledger_filename(r))]
    if incomplete:
        console.print(f"[red]{run.name}: {len(incomplete)} shard(s) incomplete: {incomplete[:20]}[/red]")
        return 1
    return 0


def output_settings(run: StageRun) -> dict:
    """The settings that decide what the step writes (not how fast: a stage's RUNTIME_SETTINGS are left out)."""
    runtime = set(getattr(stage_module(run.stage), "RUNTIME_SETTINGS", ()))
    return {k: v for k, v in sorted(run.settings.items()) if k not in runtime}


def _inner_outputs(run: StageRun) -> set[str]:
    """Names of the first-level folders inside this step's output that belong to other steps (dedup's
    _minhash/ inside the stage's output): a redo of this step leaves them alone."""
    mine = run.output.rstrip("/") + "/"
    names = set()
    for step in run.stage.all_steps:
        other = step.output_uri(run.stage_output).rstrip("/")
        if step != run.step and other.startswith(mine):
            names.add(other[len(mine):].split("/")[0])
    return names


def wipe_step_output(run: StageRun) -> None:
    from datatrove.io import get_datafolder

    folder = get_datafolder(run.output)
    if not folder.isdir(""):
        return
    keep = _inner_outputs(run)
    for entry in folder.ls("", detail=False):
        name = entry.rstrip("/").rsplit("/", 1)[-1]
        if name in keep:
            continue
        if folder.isdir(name):
            folder.rm(name, recursive=True)
        else:
            folder.rm(name)
    data = get_datafolder(run.data_output)
    if run.data_output.rstrip("/") != run.output.rstrip("/") and data.isdir(""):
        # a data-only folder (the final dataset) holds the step's output folder: its data goes, that folder stays
        own = run.output.rstrip("/")[len(run.data_output.rstrip("/")) + 1:].split("/")[0]
        for entry in data.ls("", detail=False):
            name = entry.rstrip("/").rsplit("/", 1)[-1]
            if name != own:
                data.rm(name, recursive=data.isdir(name))
    if run.logging_dir and get_datafolder(run.logs).isdir(""):
        get_datafolder(run.logs).rm("", recursive=True)


def check_manifest(run: StageRun) -> None:
    """The step's input must be there and complete; a rerun must be the same step (shared/manifest.py)."""
    from datatrove.io import get_datafolder

    from shared import manifest as mf
    from shared.shards import split_uris

    inputs = split_uris(run.input)
    module = stage_module(run.stage)
    try:
        if run.stage.reads is None:  # reads the user's files: their listing is the input's state
            listing = module.input_listing(run)
            if not listing:
                raise mf.InputError(f"no input files under {run.input} (see [{run.stage.name}] extensions)")
            fingerprint, count = mf.listing_fingerprint(listing), len(listing)
        else:
            fingerprint, count = mf.upstream_fingerprint(inputs), None
            run.input_check = mf.InputCheck(tuple(inputs), fingerprint)
    except (mf.InputError, FileNotFoundError) as error:
        raise UsageError(f"{run.name}: {error}") from None
    new = mf.build_manifest(run.name, run.step.name, inputs, fingerprint, count, output_settings(run), run.tasks)
    output = get_datafolder(run.output)
    old = mf.read_manifest(output)
    if old is not None and all(old.get(k) == new[k] for k in mf.COMPARED):
        return
    if old is not None:
        changes = mf.differences(old, new)
        if run.is_last_step and not run.force:
            raise UsageError(
                f"{run.name}: {run.output} was made by another run ({'; '.join(changes)}). Re-run with --force to "
                f"redo {run.stage.name} with the new settings (later stages then need --force too), or write to a "
                "new --output.")
        from datatrove.utils.logging import logger

        logger.warning(f"{run.name}: redoing {run.output} ({'; '.join(changes)})")
        wipe_step_output(run)
    mf.write_manifest(output, new)


def run_steps(runs: list[StageRun]) -> int:
    for run in runs:
        code = run_step(run)
        if code:
            return code
    return 0


# --- the command of a stage ------------------------------------------------------------------------------
def common_options(stage: Stage | None = None) -> list[click.Option]:
    run_defaults, run_help = defaults()["run"], help_texts()["run"]
    options = [
        click.Option(["--input", "-i", "input"], required=True,
                     help="Input folder or URI (local path or fsspec URL); several separated by commas. ingest "
                     "also reads Common Crawl's index: cc-index://CC-MAIN-2024-10."),
        click.Option(["--output", "-o", "output"], required=True, help="Output folder or URI of this stage."),
        click.Option(["--tasks", "tasks"], type=click.IntRange(min=1), default=None, envvar=env_name("run", "tasks"),
                     show_envvar=True, help=f"{run_help['tasks']} (default: {run_defaults['tasks']})"),
        click.Option(["--rank", "rank"], type=click.IntRange(min=0), default=None,
                     help="Run only this task. Default: $SLURM_ARRAY_TASK_ID (+ $FINEPDFS_RANK_OFFSET) if set, "
                     "else every task."),
        click.Option(["--workers", "workers"], type=click.IntRange(min=1), default=None,
                     envvar=env_name("run", "workers"), show_envvar=True,
                     help=f"{run_help['workers']} (default: {run_defaults['workers']})"),
        click.Option(["--logging-dir", "logging_dir"], default=None,
                     help="datatrove logs, stats and completions. Default: OUTPUT/_logs."),
        click.Option(["--config", "config"], default=None, envvar="FINEPDFS_CONFIG", show_envvar=True,
                     help="TOML file overriding shared/defaults.toml (unknown keys are errors)."),
        click.Option(["--force", "force"], is_flag=True, default=False,
                     help="When OUTPUT was made with other settings, input or --tasks: redo it (default: stop and "
                     "say what changed)."),
    ]
    if stage is not None and stage.multi_step:
        options.append(click.Option(["--step", "step"], type=click.Choice(stage.step_names), default=None,
                                    help=f"Run only this step (steps, in order: {', '.join(stage.step_names)}). "
                                    "Default: every step."))
    return options


def run_settings(config: str | None, tasks: int | None, workers: int | None) -> tuple[int, int]:
    values = stage_settings("run", config)
    return tasks or values["tasks"], workers or values["workers"]


def stage_command(stage: Stage) -> click.Command:
    """The click command of a stage: the common options, then one option per setting of its section."""
    module = stage_module(stage)
    choices = getattr(module, "CHOICES", {})

    def callback(input, output, tasks, rank, workers, logging_dir, config, force, step=None, **flags):
        try:
            settings = stage_settings(stage.name, config, settings_from_flags(stage.name, flags))
            check_choices(settings, choices)
            tasks, workers = run_settings(config, tasks, workers)
            runs = make_runs(stage, input, output, settings, tasks, [step] if step else None, rank=rank,
                             workers=workers, logging_dir=logging_dir, config=config, force=force)
            if rank is not None and len(runs) > 1:
                raise UsageError(f"--rank runs one task of one step: add --step ({', '.join(stage.step_names)})")
            code = run_steps(runs)
        except ConfigError as error:
            raise UsageError(str(error)) from None
        raise SystemExit(code)

    params = common_options(stage) + setting_options(stage.name, choices=choices)
    doc = (module.__doc__ or stage.summary).strip()
    return click.Command(stage.name, callback=callback, params=params, help=doc, short_help=stage.summary)


def stage_names_available() -> list[str]:
    """The stages whose code is here (an image carries one stage; the dev venv all)."""
    names = []
    for stage in registry.STAGES:
        try:
            stage_module(stage)
        except ModuleNotFoundError:
            continue
        names.append(stage.name)
    return names
