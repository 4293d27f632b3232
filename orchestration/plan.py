"""Plan a Slurm run: the stage graph of cluster.toml -> job arrays with their sbatch options and task commands.

Pure functions (no Slurm calls), so the whole plan is unit-tested and printable with ``--dry-run``:
- ``load_config``: orchestration/cluster.toml, then later files, then ``--set KEY=VALUE`` overrides.
- ``resolve_stages``: placeholders filled, paths made absolute, resources merged with [defaults].
- ``plan_run``: which stages are complete (every rank's marker exists) and skipped, and for the others the
  arrays to submit, split into chunks of at most MaxArraySize tasks (``FINEPDFS_RANK_OFFSET`` per chunk).

Standard library only (fsspec is used when present, for completion markers behind URIs).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.commands import RUNTIMES, TaskSpec, local_binds, runtime_argv, task_script
from shared import registry
from shared.config import merge

HERE = Path(__file__).resolve().parent
DEFAULT_CONFIG = HERE / "cluster.toml"
DEFAULT_DONE = "{stage_output}/ledger/{rank:05d}.json"
RESOURCE_KEYS = ("partition", "cpus", "mem", "time", "throttle")


class PlanError(ValueError):
    pass


def parse_set(assignment: str) -> dict:
    """``a.b.c=VALUE`` (VALUE in TOML; a bare word is a string) -> {"a": {"b": {"c": VALUE}}}."""
    key, sep, raw = assignment.partition("=")
    if not sep or not key.strip():
        raise PlanError(f"--set expects KEY=VALUE, got {assignment!r}")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    parts = [p.strip() for p in key.split(".")]
    tree: dict = {parts[-1]: value}
    for part in reversed(parts[:-1]):
        tree = {part: tree}
    return tree


def load_config(paths: list[str | os.PathLike] = (), sets: list[str] = ()) -> dict:
    config = tomllib.loads(DEFAULT_CONFIG.read_text())
    extra = os.environ.get("FINEPDFS_CLUSTER_CONFIG")
    for path in ([extra] if extra else []) + list(paths):
        config = merge(config, tomllib.loads(Path(path).read_text()))
    for assignment in sets:
        config = merge(config, parse_set(assignment))
    return config


@dataclass
class Job:
    """One job array: one step of one stage of shared/registry.py (a stage with several steps, like dedup's four
    MinHash steps, is several arrays, ``dedup-signatures`` ... ``dedup-drop-duplicates``)."""

    name: str
    stage: str  # the registry stage it belongs to
    after: list[str]
    tasks: int
    spec: TaskSpec
    output: str
    done: str  # completion marker template, {rank} left to fill
    partition: str
    gpus: int
    cpus: int
    mem: str
    time: str
    throttle: int
    extra_args: list[str] = field(default_factory=list)  # the cluster config's, last in spec.args


@dataclass
class ArrayChunk:
    """One sbatch call: ``size`` tasks with array indices 0..size-1, ranks offset..offset+size-1."""

    stage: str
    index: int
    offset: int
    size: int
    sbatch: list[str]


@dataclass
class StagePlan:
    job: Job
    action: str  # "submit" | "complete" (every marker present, nothing upstream re-runs) | "excluded"
    chunks: list[ArrayChunk] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    after: list[str] = field(default_factory=list)  # submitted jobs this one waits for (afterok)


def absolute(path: str, root: Path) -> str:
    if "://" in path:
        return path
    return os.path.normpath(os.path.join(root, os.path.expanduser(path)))


def _absolute_list(uris: str, root: Path) -> str:
    return ",".join(absolute(u.strip(), root) for u in uris.split(",") if u.strip())


def job_name(stage: registry.Stage, step: registry.Step) -> str:
    return f"{stage.name}-{step.name}" if stage.multi_step else stage.name


def job_names(stage: registry.Stage) -> list[str]:
    return [job_name(stage, step) for step in stage.all_steps]


def _check_overrides(config: dict) -> None:
    """cluster.toml's [stages] may only name stages of the registry (and their steps): a typo is an error."""
    import difflib

    for name, table in config.get("stages", {}).items():
        if name not in registry.BY_NAME:
            close = difflib.get_close_matches(name, registry.STAGE_NAMES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise PlanError(f"[stages.{name}] in the cluster config: no such stage{hint}; stages: "
                            f"{', '.join(registry.STAGE_NAMES)}")
        stage = registry.BY_NAME[name]
        unknown = [k for k in table if k not in STAGE_KEYS]
        if unknown:
            raise PlanError(f"[stages.{name}]: unknown keys {unknown}; known: {', '.join(STAGE_KEYS)}")
        for step in table.get("steps", {}):
            if step not in stage.step_names:
                raise PlanError(f"[stages.{name}.steps.{step}]: {name} has steps {', '.join(stage.step_names)}")


STAGE_KEYS = (*RESOURCE_KEYS, "tasks", "extra_args", "env", "image", "steps")


def _stage_settings(name: str, config_file: str):
    from shared.config import ConfigError, stage_settings

    try:
        return stage_settings(name, config_file or None)
    except ConfigError as error:
        raise PlanError(str(error)) from None


def resolve_stages(config: dict, root: Path) -> list[Job]:
    """Every step of every registry stage as a job array, in pipeline order; raises PlanError on unknown stages,
    partitions or settings."""
    run = config["run"]
    if run.get("runtime") not in RUNTIMES:
        raise PlanError(f"run.runtime must be one of {', '.join(RUNTIMES)}, not {run.get('runtime')!r}")
    _check_overrides(config)
    run_input, run_output = _absolute_list(run["input"], root), absolute(run["output"], root)
    stage_config = absolute(run["config"], root) if run.get("config") else ""
    models = absolute(run["models_dir"], root) if run.get("models_dir") else ""
    jobs: list[Job] = []
    for stage in registry.STAGES:
        overrides = config.get("stages", {}).get(stage.name, {})
        settings = _stage_settings(stage.name, stage_config)
        stage_input = _absolute_list(stage.input_uris(run_output, run_input), root)
        stage_output = stage.output_uri(run_output)
        previous: str | None = None
        for step in stage.all_steps:
            table = overrides | overrides.get("steps", {}).get(step.name, {})
            defaults = config["defaults"] | {k: v for k, v in vars(stage.resources).items() if v is not None}
            resources = {k: table.get(k, defaults[k]) for k in RESOURCE_KEYS}
            partition = config["partitions"].get(resources["partition"])
            if partition is None:
                raise PlanError(f"stage {stage.name}: partition {resources['partition']!r} is not in [partitions]")
            run_tasks = int(table.get("tasks", run["tasks"]))
            tasks = step.task_count(run_tasks, settings)
            name = job_name(stage, step)
            args = [stage.name, *(["--step", step.name] if stage.multi_step else []),
                    "--input", stage_input, "--output", stage_output, "--tasks", str(run_tasks)]
            if stage_config:
                args += ["--config", stage_config]
            extra_args = [str(a) for a in table.get("extra_args", [])]
            args += extra_args
            env = {str(k): str(v) for k, v in (run.get("env", {}) | table.get("env", {})).items()}
            if models:
                env["FINEPDFS_MODELS_DIR"] = models
            read_only = [*run_input.split(","), stage_config, models if os.path.isdir(models) else ""]
            binds = local_binds(read_only, read_only=True) + local_binds([run_output], read_only=False)
            spec = TaskSpec(stage=name, image=table.get("image", stage.image), args=args, binds=binds, env=env,
                            gpus=int(partition.get("gpus_per_task", 0)))
            after = [previous] if previous else [job_names(registry.get(up))[-1] for up in stage.upstream]
            step_output = step.output_uri(stage_output)
            jobs.append(Job(
                name=name, stage=stage.name, after=after, tasks=tasks, spec=spec, output=step_output,
                done=DEFAULT_DONE.replace("{stage_output}", step_output), partition=partition["name"],
                gpus=spec.gpus, cpus=int(resources["cpus"]), mem=str(resources["mem"]), time=str(resources["time"]),
                throttle=int(resources["throttle"]), extra_args=extra_args,
            ))
            previous = name
    return jobs


def marker_exists(path: str) -> bool:
    if "://" not in path:
        return os.path.isfile(path)
    try:
        import fsspec
    except ImportError:  # cannot look: treat as missing, the tasks themselves skip completed shards
        return False
    fs, _, (resolved,) = fsspec.get_fs_token_paths(path)
    return fs.isfile(resolved)


def missing_ranks(stage: Job) -> list[int]:
    return [rank for rank in range(stage.tasks) if not marker_exists(stage.done.format(rank=rank))]


def chunk_ranges(tasks: int, max_array_size: int) -> list[tuple[int, int]]:
    """(offset, size) pieces: array indices must stay below MaxArraySize, so big arrays become several."""
    step = max(1, max_array_size) if max_array_size > 0 else tasks
    return [(offset, min(step, tasks - offset)) for offset in range(0, tasks, step)]


def sbatch_options(stage: Job, chunk: tuple[int, int], index: int, log_dir: str, extra: list[str]) -> list[str]:
    """Options of one array's sbatch call (dependencies are added at submission, once upstream ids exist)."""
    offset, size = chunk
    array = f"0-{size - 1}" + (f"%{stage.throttle}" if stage.throttle > 0 else "")
    name = f"finepdfs-{stage.name}" + (f"-{index}" if offset else "")
    options = [
        f"--job-name={name}",
        f"--partition={stage.partition}",
        f"--array={array}",
        "--ntasks=1",
        f"--cpus-per-task={stage.cpus}",
        f"--mem={stage.mem}",
        f"--time={stage.time}",
        f"--output={log_dir}/{stage.name}/%A_%a.log",
        f"--export=ALL,FINEPDFS_RANK_OFFSET={offset}",
    ]
    if stage.gpus:
        options.append(f"--gres=gpu:{stage.gpus}")
    return options + list(extra)


def upstream_closure(stages: list[Job], name: str) -> set[str]:
    by_name = {s.name: s for s in stages}
    seen: set[str] = set()
    todo = list(by_name[name].after)
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(by_name[current].after)
    return seen


def plan_run(stages: list[Job], selected: list[str], max_array_size: int, log_dir: str,
             extra: list[str] = ()) -> list[StagePlan]:
    """Decide per job array: excluded (not selected), complete (skipped), or submit (with its chunks).

    A complete stage is re-submitted anyway when something upstream of it is: its tasks then skip their
    completed shards themselves, and nothing downstream can start from stale inputs.
    """
    names = {st.name for st in stages}
    unknown = [s for s in selected if s not in names and s not in registry.BY_NAME]
    if unknown:
        raise PlanError(f"run.stages names unknown stages {unknown}; stages: {', '.join(registry.STAGE_NAMES)} "
                        "(or one step: dedup-signatures, ...)")
    # a stage name selects every step of it
    selected = [n for s in selected for n in (job_names(registry.BY_NAME[s]) if s in registry.BY_NAME else [s])]
    plans: list[StagePlan] = []
    submitted: set[str] = set()
    by_name = {s.name: s for s in stages}

    def waits_for(names: list[str]) -> list[str]:
        """Submitted stages among these; an excluded stage passes on what it would have waited for."""
        found: list[str] = []
        for name in names:
            if name in submitted:
                found.append(name)
            elif selected and name not in selected:
                found += [n for n in waits_for(by_name[name].after) if n not in found]
        return found

    for stage in stages:
        if selected and stage.name not in selected:
            plans.append(StagePlan(stage, "excluded"))
            continue
        missing = missing_ranks(stage)
        if not missing and not (upstream_closure(stages, stage.name) & submitted):
            plans.append(StagePlan(stage, "complete"))
            continue
        chunks = [
            ArrayChunk(stage.name, i, offset, size, sbatch_options(stage, (offset, size), i, log_dir, list(extra)))
            for i, (offset, size) in enumerate(chunk_ranges(stage.tasks, max_array_size))
        ]
        plans.append(StagePlan(stage, "submit", chunks, missing, waits_for(stage.after)))
        submitted.add(stage.name)
    return plans


def stage_script(stage: Job, runtime: str, config: dict, root: Path) -> str:
    argv = runtime_argv(stage.spec, runtime, config["runtimes"].get(runtime, {}), str(root))
    return task_script(stage.spec, runtime, argv, stage.tasks)
