"""The stage registry: discovers every stage's contract, ``stages/<folder>/stage.toml``, and orders them.

A stage's folder is its contract, as an nf-core module's meta.yml is: its stage.toml declares the datasets it
reads and writes, its inputs in the run folder, its steps, resources, Debian packages and every setting (type,
default, help, allowed values, runtime-only or not). Everything that needs to know the stages reads
``STAGES``: the `finepdfs` CLI (one subcommand per stage, one flag per setting), `finepdfs run`, the stats
summary and the run report, the bench, the image builds and their wheel sets, the Slurm planner and
compose.yaml. Adding a stage is its folder (stage.toml, stage.py with ``build(run)``) and its pyproject extra.

Standard library only: the Slurm driver reads it with whatever python3 a login node has.

A stage has one or more steps. Each step is one datatrove pipeline with its own tasks and its own completion
markers (``<step output>/ledger/<rank>.json``); a stage with one step has a single step named like the stage.
On Slurm every step is its own job array; locally `finepdfs <stage>` runs the steps in order.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

TASKS = "tasks"  # a step's task count is the run's --tasks


@dataclass(frozen=True)
class Setting:
    """One setting of a stage: its flag --KEY, environment variable FINEPDFS_<STAGE>_KEY and config key."""

    key: str
    type: str  # bool | int | float | str | list | table
    default: object
    help: str = ""
    choices: tuple | None = None  # allowed values (None: any of its type)
    runtime: bool = False  # changes how fast, not what is written: a rerun may change it (not in the manifest check)
    free_form: bool = False  # a table whose keys are data (languages, vLLM flags), not declared settings
    min: float | None = None  # the smallest value allowed (numbers)

    @property
    def scalar(self) -> bool:
        return self.type not in ("table",)

    def accepts(self, value) -> bool:
        if self.type == "bool" or isinstance(value, bool):
            return self.type == "bool" and isinstance(value, bool)
        if self.type == "float":
            return isinstance(value, (int, float))
        return isinstance(value, SETTING_TYPES[self.type])


@dataclass(frozen=True)
class Resources:
    """What one task of a stage asks a cluster for, where it differs from orchestration/cluster.toml's
    [defaults] (None: the cluster's default). A cluster's [stages.<name>] overrides these."""

    cpus: int | None = None
    mem: str | None = None
    time: str | None = None
    partition: str | None = None  # a key of cluster.toml's [partitions]
    throttle: int | None = None  # at most this many tasks of one array at once; 0 = no limit


@dataclass(frozen=True)
class Step:
    """One datatrove pipeline of a stage.

    ``input`` / ``output`` are templates: ``{inputs}`` is the stage's input (comma-separated URIs), ``{output}``
    the stage's output folder. ``tasks`` is ``TASKS`` (the run's --tasks), a number, or the name of a key of the
    stage's config section that holds the number (dedup's buckets: ``num_buckets``).

    ``output`` holds the step's ledger (its completion markers), drops, errors and datatrove logs, and its
    documents too unless ``data`` names another folder: the final dataset is a folder of data only (loadable with
    ``datasets.load_dataset("parquet", data_dir=...)``), its bookkeeping one level down in ``__stage/``, a name
    that ``datasets`` and ``pyarrow.dataset`` skip.
    """

    name: str
    input: str = "{inputs}"
    output: str = "{output}"
    tasks: str | int = TASKS
    data: str | None = None  # where the step's documents go, when not in ``output``

    def task_count(self, run_tasks: int, settings) -> int:
        """The one rule for a step's tasks (the local runner and the Slurm plan ask it): the run's --tasks, a
        fixed number, or a setting of the stage."""
        if self.tasks == TASKS:
            return run_tasks
        if isinstance(self.tasks, int):
            return self.tasks
        return int(settings[self.tasks])

    def input_uri(self, inputs: str, output: str) -> str:
        return self.input.format(inputs=inputs, output=output.rstrip("/"))

    def output_uri(self, output: str) -> str:
        return self.output.format(output=output.rstrip("/"))

    def data_uri(self, output: str) -> str:
        return (self.data or self.output).format(output=output.rstrip("/"))


# The bookkeeping folder of a step whose data folder must hold nothing but data (see Step.data).
BOOKKEEPING_DIR = "__stage"


@dataclass(frozen=True)
class Stage:
    name: str  # subcommand, config section, image, run-folder subfolder
    summary: str  # one line for --help and the README
    reads: str | None  # dataset (shared.schemas.DATASETS key) read; None: the user's input folder
    writes: str | None  # dataset written; None: the stage writes reports, not documents
    inputs: tuple[str, ...] = ()  # run-folder paths of the datasets read; () = the run's --input
    extra: str = ""  # the pyproject extra its image installs (default: the stage's name)
    apt_packages: tuple[str, ...] = ()  # Debian packages its image installs
    resources: Resources = field(default_factory=Resources)
    steps: tuple[Step, ...] = ()
    folder: str = ""  # its folder under stages/ (default: the name with _ for -)
    settings: dict[str, Setting] = field(default_factory=dict, hash=False, compare=False)  # its [settings.*], in file order

    @property
    def package(self) -> str:
        return "stages." + (self.folder or self.name.replace("-", "_"))

    @property
    def module_name(self) -> str:
        """The Python module with build(run)."""
        return f"{self.package}.stage"

    @property
    def image(self) -> str:
        return self.name

    @property
    def pyproject_extra(self) -> str:
        return self.extra or self.name

    @property
    def all_steps(self) -> tuple[Step, ...]:
        return self.steps or (Step(self.name),)

    @property
    def multi_step(self) -> bool:
        return len(self.all_steps) > 1

    def step(self, name: str | None) -> Step:
        if name is None and not self.multi_step:
            return self.all_steps[0]
        for step in self.all_steps:
            if step.name == name:
                return step
        raise KeyError(f"stage {self.name} has no step {name!r}: one of {', '.join(self.step_names)}")

    @property
    def step_names(self) -> list[str]:
        return [s.name for s in self.all_steps]

    def input_uris(self, run_folder: str, run_input: str) -> str:
        """The stage's --input inside a run folder (what `finepdfs run`, compose and Slurm pass)."""
        if not self.inputs:
            return run_input
        return ",".join(f"{run_folder.rstrip('/')}/{path}" for path in self.inputs)

    def output_uri(self, run_folder: str) -> str:
        return f"{run_folder.rstrip('/')}/{self.name}"

    def ledger_folder(self, stage_output: str) -> str:
        """Where the stage's last step keeps its ledger (what the report and the run summary read)."""
        return self.all_steps[-1].output_uri(stage_output)

    @property
    def upstream(self) -> list[str]:
        """Stages whose output this one reads (the first path component of each input)."""
        return list(dict.fromkeys(path.split("/")[0] for path in self.inputs))


STAGE_FILE = "stage.toml"  # stages/<folder>/stage.toml: one stage's contract
RUN_FILE = Path(__file__).with_name("run.toml")  # the settings every stage shares ([run])
STAGES_DIR = Path(__file__).resolve().parents[1] / "stages"
SETTING_TYPES = {"bool": bool, "int": int, "float": float, "str": str, "list": list, "table": dict}


class StageFileError(ValueError):
    """A stage.toml that does not declare a stage the way this module reads it."""


def _setting(where: str, key: str, table: dict) -> Setting:
    unknown = set(table) - {"type", "default", "help", "choices", "runtime", "free_form", "min"}
    if unknown or "type" not in table or "default" not in table:
        raise StageFileError(f"{where}: [settings.{key}] needs type and default (and may have help, choices, "
                             f"runtime, free_form, min); unknown: {sorted(unknown)}")
    setting = Setting(key, table["type"], table["default"], table.get("help", ""),
                      tuple(table["choices"]) if "choices" in table else None, bool(table.get("runtime", False)),
                      bool(table.get("free_form", False)), table.get("min"))
    if setting.type not in SETTING_TYPES:
        raise StageFileError(f"{where}: [settings.{key}] type must be one of {', '.join(SETTING_TYPES)}")
    if not setting.accepts(setting.default):
        raise StageFileError(f"{where}: [settings.{key}] default {setting.default!r} is not a {setting.type}")
    if setting.choices is not None and setting.default not in setting.choices:
        raise StageFileError(f"{where}: [settings.{key}] default {setting.default!r} is not one of its choices")
    return setting


def read_settings(path: Path) -> dict[str, Setting]:
    """The [settings.*] tables of a stage.toml (or shared/run.toml), in file order."""
    data = tomllib.loads(path.read_text())
    return {key: _setting(str(path), key, table) for key, table in data.get("settings", {}).items()}


def read_stage(path: Path) -> Stage:
    """One stage.toml -> its Stage."""
    data = tomllib.loads(path.read_text())
    known = {"name", "summary", "reads", "writes", "inputs", "extra", "apt_packages", "resources", "steps",
             "settings"}
    if unknown := set(data) - known:
        raise StageFileError(f"{path}: unknown keys {sorted(unknown)}; known: {', '.join(sorted(known))}")
    try:
        steps = tuple(Step(**step) for step in data.get("steps", ()))
        resources = Resources(**data.get("resources", {}))
    except TypeError as error:
        raise StageFileError(f"{path}: {error}") from None
    return Stage(
        name=data["name"], summary=data["summary"], reads=data.get("reads") or None,
        writes=data.get("writes") or None, inputs=tuple(data.get("inputs", ())), extra=data.get("extra", ""),
        apt_packages=tuple(data.get("apt_packages", ())), resources=resources, steps=steps,
        folder=path.parent.name, settings=read_settings(path),
    )


def pipeline_order(stages: list[Stage]) -> tuple[Stage, ...]:
    """Upstream before downstream (a stage's inputs name the stages it reads); ties by name."""
    by_name = {stage.name: stage for stage in stages}
    for stage in stages:
        for up in stage.upstream:
            if up not in by_name:
                raise StageFileError(f"stage {stage.name} reads {up!r}, which no stage.toml declares")
    ordered: list[Stage] = []
    placed: set[str] = set()
    while len(ordered) < len(stages):
        ready = sorted(n for n, s in by_name.items() if n not in placed and set(s.upstream) <= placed)
        if not ready:
            raise StageFileError(f"stages read each other in a cycle: {sorted(set(by_name) - placed)}")
        ordered.append(by_name[ready[0]])
        placed.add(ready[0])
    return tuple(ordered)


def discover(stages_dir: Path = STAGES_DIR) -> tuple[Stage, ...]:
    """Every stages/*/stage.toml, in pipeline order."""
    return pipeline_order([read_stage(path) for path in sorted(stages_dir.glob(f"*/{STAGE_FILE}"))])


# In pipeline order (FinePDFs'): the order `finepdfs run` runs them and the report shows them.
STAGES: tuple[Stage, ...] = discover()
RUN_SETTINGS: dict[str, Setting] = read_settings(RUN_FILE)

BY_NAME: dict[str, Stage] = {stage.name: stage for stage in STAGES}
STAGE_NAMES: list[str] = [stage.name for stage in STAGES]


def get(name: str) -> Stage:
    try:
        return BY_NAME[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, STAGE_NAMES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise KeyError(f"unknown stage {name!r}{hint}; stages: {', '.join(STAGE_NAMES)}") from None


def stage_of_folder(name: str) -> Stage | None:
    """The stage whose output folder (in a run folder) is ``name``."""
    return BY_NAME.get(name)


def main(argv: list[str] | None = None) -> int:
    """`python -m shared.registry`: the stages for shell scripts, one per line, tab-separated:
    name, package folder under stages/, pyproject extra, Debian packages (space-separated), summary."""
    import sys

    names = (argv if argv is not None else sys.argv[1:]) or STAGE_NAMES
    for name in names:
        try:
            stage = get(name)
        except KeyError as error:
            print(error.args[0], file=sys.stderr)
            return 2
        print("\t".join([stage.name, stage.package.split(".", 1)[1], stage.pyproject_extra,
                         " ".join(stage.apt_packages), stage.summary]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
