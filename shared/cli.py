"""The one CLI shape every stage shares: click options built from a stage's declared settings.

    finepdfs <stage> --input URI --output URI [--tasks N] [--rank R] [--workers W] [--logging-dir URI]
                     [--config FILE] [--step STEP] [--force] [--<setting> VALUE ...]

A stage says only what it adds: its folder's stage.toml (datasets, steps, settings) and a module with
``build(run: StageRun) -> list[PipelineStep]``. Each scalar setting is a flag of the same name
(``document_timeout_s`` -> ``--document-timeout-s``) and an environment variable
(``FINEPDFS_EXTRACT_DOCLING_DOCUMENT_TIMEOUT_S``); flags beat the environment, which beats --config, which beats
the defaults (shared/config.py resolves them). The run loop is shared/runner.py.

``--rank`` (or $SLURM_ARRAY_TASK_ID + $FINEPDFS_RANK_OFFSET) runs that one task; without it every task runs
locally with datatrove's LocalPipelineExecutor. Exit code 0 only when every assigned shard is complete, 1 when
one is not, 2 for a usage error (one line, no traceback).
"""

from __future__ import annotations

import click

from shared import registry
from shared.config import RUN_SECTION, ConfigError, declared, env_name, parse_text, stage_settings
from shared.registry import Setting, Stage
from shared.runner import UsageError, make_runs, run_steps, stage_module

CLICK_TYPES = {"int": click.INT, "float": click.FLOAT}  # the rest stay text, parsed like the environment's


def flag_name(key: str) -> str:
    return "--" + key.replace("_", "-")


def _dest(prefix: str, key: str) -> str:
    return f"{prefix}{key}".replace("-", "_")


def setting_option(section: str, setting: Setting, prefix: str = "", flag: str | None = None) -> click.Option:
    """The option of one scalar setting (``prefix`` for `finepdfs run`'s per-stage flags). Values stay text
    here and are parsed by shared/config.py, like the environment's."""
    flag = flag or flag_name(f"{prefix}{setting.key}")
    dest = _dest(prefix, setting.key)
    shown = ", ".join(map(str, setting.default)) if isinstance(setting.default, list) else setting.default
    text = f"{setting.help} (config: [{section}] {setting.key}; env: {env_name(section, setting.key)}; " \
           f"default: {shown!r})".replace("%", "%%").strip()
    if setting.type == "bool":
        return click.Option([f"{flag}/--no-{flag[2:]}", dest], default=None, help=text)
    kind = click.Choice([str(c) for c in setting.choices]) if setting.choices else CLICK_TYPES.get(setting.type)
    if setting.min is not None and setting.type in CLICK_TYPES:
        kind = (click.IntRange if setting.type == "int" else click.FloatRange)(min=setting.min)
    return click.Option([flag, dest], type=kind, default=None, help=text)


def setting_options(section: str, prefix: str = "") -> list[click.Option]:
    return [setting_option(section, s, prefix) for s in declared(section).values() if s.scalar]


def settings_from_flags(section: str, values: dict, prefix: str = "") -> dict:
    """The flags that were given (not None), as typed config values."""
    given = {}
    for key, setting in declared(section).items():
        value = values.get(_dest(prefix, key)) if setting.scalar else None
        if value is None:
            continue
        given[key] = value if isinstance(value, bool) else parse_text(setting, str(value), flag_name(prefix + key))
    return given


def common_options(stage: Stage | None = None) -> list[click.Option]:
    run = declared(RUN_SECTION)
    options = [
        click.Option(["--input", "-i", "input"], required=True,
                     help="Input folder or URI (local path or fsspec URL); several separated by commas. ingest "
                     "also reads Common Crawl's index: cc-index://CC-MAIN-2024-10."),
        click.Option(["--output", "-o", "output"], required=True, help="Output folder or URI of this stage."),
        setting_option(RUN_SECTION, run["tasks"]),
        click.Option(["--rank", "rank"], type=click.IntRange(min=0), default=None,
                     help="Run only this task. Default: $SLURM_ARRAY_TASK_ID (+ $FINEPDFS_RANK_OFFSET) if set, "
                     "else every task."),
        setting_option(RUN_SECTION, run["workers"]),
        click.Option(["--logging-dir", "logging_dir"], default=None,
                     help="datatrove logs, stats and completions. Default: OUTPUT/_logs."),
        click.Option(["--config", "config"], default=None, envvar="FINEPDFS_CONFIG", show_envvar=True,
                     help="TOML file with a section per stage overriding the stages' defaults (unknown keys are "
                     "errors)."),
        click.Option(["--force", "force"], is_flag=True, default=False,
                     help="When OUTPUT was made with other settings, input or --tasks: redo it (default: stop and "
                     "say what changed)."),
    ]
    if stage is not None and stage.multi_step:
        options.append(click.Option(["--step", "step"], type=click.Choice(stage.step_names), default=None,
                                    help=f"Run only this step (steps, in order: {', '.join(stage.step_names)}). "
                                    "Default: every step."))
    return options


def run_settings(config: str | None, tasks, workers) -> tuple[int, int]:
    """--tasks and --workers (given as flags, or None) over the environment, --config and the defaults."""
    flags = settings_from_flags(RUN_SECTION, {"tasks": tasks, "workers": workers})
    values = stage_settings(RUN_SECTION, config, flags)
    return values["tasks"], values["workers"]


def stage_command(stage: Stage) -> click.Command:
    """The click command of a stage: the common options, then one option per setting of its stage.toml."""
    module = stage_module(stage)

    def callback(input, output, tasks, rank, workers, logging_dir, config, force, step=None, **flags):
        try:
            settings = stage_settings(stage.name, config, settings_from_flags(stage.name, flags))
            tasks, workers = run_settings(config, tasks, workers)
            runs = make_runs(stage, input, output, settings, tasks, [step] if step else None, rank=rank,
                             workers=workers, logging_dir=logging_dir, config=config, force=force)
            if rank is not None and len(runs) > 1:
                raise UsageError(f"--rank runs one task of one step: add --step ({', '.join(stage.step_names)})")
            code = run_steps(runs)
        except ConfigError as error:
            raise UsageError(str(error)) from None
        raise SystemExit(code)

    params = common_options(stage) + setting_options(stage.name)
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
