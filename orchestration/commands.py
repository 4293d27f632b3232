"""The one place where a stage task's command line is built: for Apptainer, Docker, or the project's virtualenv.

A task runs ``finepdfs <stage> ...`` with its rank taken from ``SLURM_ARRAY_TASK_ID`` (+ ``FINEPDFS_RANK_OFFSET``
for arrays split over MaxArraySize). Paths are bound into containers at the same place, so the stage's
arguments never need rewriting. Values that only the task's shell knows (the array index, the job id, the GPUs
Slurm granted) are ``Shell`` strings: rendered inside double quotes so the shell expands them.

Standard library only: the Slurm driver runs this with whatever ``python3`` a login or compute node has.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field

RUNTIMES = ("apptainer", "docker", "none")
# Passed into containers explicitly (containers start with a clean environment).
RANK_ENV = ("SLURM_ARRAY_TASK_ID", "FINEPDFS_RANK_OFFSET", "SLURM_ARRAY_JOB_ID", "SLURM_JOB_ID")


class Shell(str):
    """An argument the task's shell expands at run time (``$VAR``); every other argument is quoted literally."""


@dataclass(frozen=True)
class Bind:
    path: str
    read_only: bool = False

    def spec(self) -> str:
        return f"{self.path}:{self.path}" + (":ro" if self.read_only else "")


@dataclass
class TaskSpec:
    """What one array task of a stage runs, independent of the runtime."""

    stage: str
    image: str  # image / SIF name (a stage image of images/, e.g. "dedup" for the four dedup steps)
    args: list[str]  # finepdfs arguments: ["classify", "--input", ..., "--output", ..., "--tasks", "4"]
    binds: list[Bind] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    gpus: int = 0


def local_binds(paths: list[str | None], read_only: bool) -> list[Bind]:
    """Host folders to bind for these paths (URIs need none); nested paths collapse into their parent."""
    folders = sorted({os.path.abspath(p) for p in paths if p and "://" not in p})
    kept: list[str] = []
    for folder in folders:
        if not any(folder == k or folder.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(folder)
    return [Bind(f, read_only) for f in kept]


def merge_binds(binds: list[Bind]) -> list[Bind]:
    """One bind per folder; a folder bound both ways is writable; a folder inside a writable bind is dropped."""
    writable = {b.path for b in binds if not b.read_only}
    result: list[Bind] = []
    for bind in sorted({Bind(b.path, b.path not in writable) for b in binds}, key=lambda b: b.path):
        if any(bind.path.startswith(w.rstrip("/") + "/") for w in writable):
            continue
        result.append(bind)
    return result


def apptainer_argv(spec: TaskSpec, sif_dir: str, executable: str = "apptainer", extra_binds: list[str] = ()) -> list:
    """``apptainer exec --cleanenv [--nv] --bind ... --env ... SIF finepdfs ARGS``."""
    argv: list = [executable, "exec", "--cleanenv"]
    if spec.gpus:
        argv.append("--nv")
    for bind in merge_binds(spec.binds):
        argv += ["--bind", bind.spec()]
    for bind in extra_binds:
        argv += ["--bind", bind]
    for name, value in _container_env(spec).items():
        argv += ["--env", value if isinstance(value, Shell) else f"{name}={value}"]
    argv.append(os.path.join(os.path.abspath(sif_dir), f"{spec.image}.sif"))
    return argv + ["finepdfs", *spec.args]


def docker_argv(
    spec: TaskSpec, image: str, executable: str = "docker", user: str | None = None, name: str | None = None
) -> list:
    """``docker run --rm --init --name N --user U -v ... -e ... [--gpus] --entrypoint finepdfs IMAGE ARGS``.

    ``--init`` lets the stage die on SIGTERM (scancel); the task script also kills the container by name.
    """
    user = user or f"{os.getuid()}:{os.getgid()}"
    argv: list = [executable, "run", "--rm", "--init", "--name", name or Shell("${FINEPDFS_CONTAINER}")]
    argv += ["--user", user, "--workdir", "/tmp", "-e", "HOME=/tmp"]
    for bind in merge_binds(spec.binds):
        argv += ["-v", bind.spec()]
    for name_, value in _container_env(spec).items():
        argv += ["-e", value if isinstance(value, Shell) else f"{name_}={value}"]
    if spec.gpus:
        argv += ["--gpus", Shell('\\"device=${CUDA_VISIBLE_DEVICES}\\"')]  # the GPUs Slurm granted
    return argv + ["--entrypoint", "finepdfs", image, *spec.args]


def venv_argv(spec: TaskSpec, finepdfs: str) -> list:
    """Runtime ``none``: the project's own virtualenv on the node (the environment is inherited)."""
    return [os.path.abspath(finepdfs), *spec.args]


def _container_env(spec: TaskSpec) -> dict[str, str]:
    env: dict[str, str] = {name: Shell(f"{name}=${{{name}:-}}") for name in RANK_ENV}
    env.update(spec.env)
    return env


def render(argv: list) -> str:
    """One shell line: literal arguments quoted, ``Shell`` ones in double quotes (expanded by the task's shell)."""
    return " ".join(f'"{a}"' if isinstance(a, Shell) else shlex.quote(str(a)) for a in argv)


def task_script(spec: TaskSpec, runtime: str, argv: list, tasks: int) -> str:
    """The batch script of one stage's array: logs which rank runs where, then runs the stage.

    Docker's container is not a child of the task (the engine runs it), so that script forwards a cancellation
    (scancel sends SIGTERM) to the container before it exits; Apptainer and the virtualenv are plain children.
    """
    lines = [
        "#!/bin/bash",
        f"# finepdfs stage {spec.stage} (runtime {runtime}), one array task per shard; written by orchestration/",
        "# submit.py. Its sbatch options (partition, resources, dependencies) are recorded in jobs.json.",
        "set -uo pipefail",
        'export FINEPDFS_RANK_OFFSET="${FINEPDFS_RANK_OFFSET:-0}"',
        'rank=$(( ${SLURM_ARRAY_TASK_ID:-0} + FINEPDFS_RANK_OFFSET ))',
        f'echo "finepdfs {spec.stage}: rank $rank of {tasks}, job ${{SLURM_JOB_ID:-?}} on $(hostname), '
        f'runtime {runtime}"',
    ]
    if runtime == "none":
        lines += [f"export {shlex.quote(k)}={shlex.quote(v)}" for k, v in spec.env.items()]
    if runtime == "docker":
        lines += [
            'export FINEPDFS_CONTAINER="finepdfs-${SLURM_JOB_ID:-$$}-' + spec.stage + '-${rank}"',
            "stop_container() { " + shlex.quote(argv[0]) + ' kill "$FINEPDFS_CONTAINER" >/dev/null 2>&1; }',
            "trap 'stop_container; exit 143' TERM INT",
            render(argv) + " &",
            "wait $!",
        ]
    else:
        lines.append("exec " + render(argv))
    return "\n".join(lines) + "\n"


def runtime_argv(spec: TaskSpec, runtime: str, settings: dict, root: str = ".") -> list:
    """Dispatch on the runtime switch; ``settings`` is the runtime's table of cluster.toml."""
    if runtime == "apptainer":
        return apptainer_argv(
            spec,
            os.path.join(root, settings.get("sif_dir", "sif")),
            settings.get("executable", "apptainer"),
            list(settings.get("binds", [])),
        )
    if runtime == "docker":
        image = settings.get("image", "finepdfs/{image}:{version}").format(
            image=spec.image, version=settings.get("version", "latest")
        )
        return docker_argv(spec, image, settings.get("executable", "docker"))
    if runtime == "none":
        return venv_argv(spec, os.path.join(root, settings.get("finepdfs", ".venv/bin/finepdfs")))
    raise ValueError(f"unknown runtime {runtime!r}: choose one of {', '.join(RUNTIMES)}")
