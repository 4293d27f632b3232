"""`finepdfs run`: the whole pipeline on one machine, every stage of shared/registry.py in order.

    OUT/ingest -> OUT/classify/{docling,ocr} -> OUT/extract-docling + OUT/ocr -> OUT/filter/<lang>
    -> OUT/dedup/<lang> -> OUT/tokenize/<lang> (the released dataset) -> OUT/stats (summary.md, report.html)

Every stage gets the same --tasks (each writes that many shards), and skips the shards it already completed, so a
second run is a no-op and an interrupted run resumes. A stage's settings are given as `--<stage>-<setting>`
(`--ocr-engine tesseract`), as FINEPDFS_<STAGE>_<SETTING> in the environment, or in the --config file.
"""

from __future__ import annotations

import time

import click

from shared import registry
from shared.cli import (
    UsageError,
    check_choices,
    make_runs,
    run_settings,
    run_step,
    setting_options,
    settings_from_flags,
    stage_module,
)
from shared.config import ConfigError, defaults, help_texts, stage_settings


def _prefix(stage: registry.Stage) -> str:
    return f"{stage.name}-"


def _options() -> list[click.Option]:
    run_help = help_texts()["run"]
    options = [
        click.Option(["--input", "-i", "input"], default="samples/pdfs", show_default=True,
                     help="Folder (or URI) of PDFs and/or WARC files."),
        click.Option(["--output", "-o", "output"], default="out", show_default=True,
                     help="Run folder: one subfolder per stage."),
        click.Option(["--tasks", "tasks"], type=click.IntRange(min=1), default=None, envvar="FINEPDFS_TASKS",
                     show_envvar=True, help=f"{run_help['tasks']} (default: {defaults()['run']['tasks']})"),
        click.Option(["--workers", "workers"], type=click.IntRange(min=1), default=None, envvar="FINEPDFS_WORKERS",
                     show_envvar=True, help=f"{run_help['workers']} (default: {defaults()['run']['workers']})"),
        click.Option(["--config", "config"], default=None, envvar="FINEPDFS_CONFIG", show_envvar=True,
                     help="TOML file overriding shared/defaults.toml (unknown keys are errors)."),
        click.Option(["--force", "force"], is_flag=True, default=False,
                     help="Redo the stages whose settings, input or --tasks changed since they ran into OUTPUT "
                     "(default: stop and say what changed)."),
    ]
    for stage in registry.STAGES:
        choices = getattr(_module_or_none(stage), "CHOICES", {})
        options += setting_options(stage.name, prefix=_prefix(stage), choices=choices)
    return options


def _module_or_none(stage):
    try:
        return stage_module(stage)
    except ModuleNotFoundError:
        return None


def run_pipeline(input: str, output: str, tasks: int | None, workers: int | None, config: str | None,
                 flags: dict, force: bool = False) -> int:
    from rich.console import Console

    from shared.shards import FolderLock, FolderLocked

    try:
        with FolderLock(output, "run", f"the run folder {output}"):  # one `finepdfs run` per run folder
            return _run_pipeline(input, output, tasks, workers, config, flags, force, Console(stderr=True))
    except FolderLocked as error:
        raise UsageError(str(error)) from None


def _run_pipeline(input, output, tasks, workers, config, flags, force, console) -> int:
    out = output.rstrip("/")
    tasks, workers = run_settings(config, tasks, workers)
    plan = []
    for stage in registry.STAGES:
        if _module_or_none(stage) is None:
            raise UsageError(f"stage {stage.name} is not installed here: pip install "
                             f"'finepdfs-stages[{stage.pyproject_extra}]' (or `scripts/just run`)")
        settings = stage_settings(stage.name, config, settings_from_flags(stage.name, flags, _prefix(stage)))
        check_choices(settings, getattr(stage_module(stage), "CHOICES", {}))
        plan.append((stage, settings))
    timings: dict[str, float] = {}
    for stage, settings in plan:
        console.rule(f"[bold]{stage.name}")
        start = time.monotonic()
        for run in make_runs(stage, stage.input_uris(out, input), stage.output_uri(out), settings, tasks,
                             workers=workers, config=config, force=force):
            code = run_step(run)
            if code:
                console.print(f"[red]stage {run.name} failed (exit {code}); fix the cause and re-run: completed "
                              "shards are kept[/red]")
                return code
        timings[stage.name] = time.monotonic() - start
    console.rule("[bold green]done")
    console.print(f"final dataset: {out}/tokenize   summary: {out}/stats/summary.md   report: "
                  f"{out}/stats/report.html")
    console.print("stage wall times: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    return 0


def _callback(input, output, tasks, workers, config, force, **flags):
    try:
        code = run_pipeline(input, output, tasks, workers, config, flags, force)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    raise SystemExit(code)


command = click.Command(
    "run", callback=_callback, params=_options(), help=__doc__.split("\n\n", 1)[1].strip(),
    short_help="The whole pipeline on this machine (every stage, in order).",
)
