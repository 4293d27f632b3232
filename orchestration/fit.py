"""Do the planned job arrays fit this cluster? Checked before anything is submitted.

A task that asks for more CPUs, memory, GPUs or time than any node of its partition has stays PENDING forever
(or is refused by sbatch half-way through a submission). ``cluster_limits`` reads what the cluster has from
``scontrol show node -o`` / ``scontrol show partition -o``; ``problems`` compares every planned array with it and
says, for each one that cannot run, the ``--set`` that fixes it; ``fitted`` applies those fixes (``--fit``: the
one-machine try-out). Standard library only, like the rest of the driver.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field, replace

from orchestration.plan import Job


@dataclass
class Partition:
    name: str
    max_cpus: int = 0  # of its largest node
    max_mem_mb: int = 0  # RealMemory of its largest node
    max_gpus: int = 0  # GRES gpu count of its best node
    max_time_min: int | None = None  # None: unlimited
    up: bool = True
    nodes: list[str] = field(default_factory=list)


def _fields(line: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in line.split() if "=" in part)


def _memory_mb(text: str) -> int:
    """Slurm memory (``4G``, ``500M``, ``2000``: megabytes) as megabytes."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGTP]?)B?", text.strip().upper())
    if not match:
        raise ValueError(f"not a memory size: {text!r}")
    value, unit = float(match.group(1)), match.group(2) or "M"
    return int(value * {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024**2, "P": 1024**3}[unit])


def _minutes(text: str) -> int | None:
    """Slurm time (``UNLIMITED``, ``30``, ``4:00:00``, ``1-12:00:00``) in minutes."""
    text = text.strip()
    if text.upper() in ("UNLIMITED", "INFINITE", "NONE", ""):
        return None
    days = 0
    if "-" in text:
        day, text = text.split("-", 1)
        days = int(day)
    parts = [int(p) for p in text.split(":")]
    if len(parts) == 1:
        minutes = parts[0]
    elif len(parts) == 2:
        minutes = parts[0] + parts[1] / 60
    else:
        minutes = parts[0] * 60 + parts[1] + parts[2] / 60
    return int(days * 1440 + minutes + 0.999)


def _gpus(gres: str) -> int:
    """GPUs in a node's ``Gres=gpu:a100:4(S:0-1),shard:8`` (0 for ``(null)``)."""
    total = 0
    for item in gres.split(","):
        parts = item.split("(")[0].split(":")
        if parts[0] == "gpu" and parts[-1].isdigit():
            total += int(parts[-1])
    return total


def parse_limits(nodes_text: str, partitions_text: str) -> dict[str, Partition]:
    """What each partition can give one task, from ``scontrol show node -o`` and ``scontrol show partition -o``."""
    partitions: dict[str, Partition] = {}
    for line in partitions_text.splitlines():
        info = _fields(line)
        if "PartitionName" not in info:
            continue
        partitions[info["PartitionName"]] = Partition(info["PartitionName"], max_time_min=_minutes(
            info.get("MaxTime", "UNLIMITED")), up=info.get("State", "UP") == "UP")
    for line in nodes_text.splitlines():
        info = _fields(line)
        if "NodeName" not in info:
            continue
        cpus = int(info.get("CPUTot") or info.get("CPUEfctv") or 0)
        memory = int(info.get("RealMemory") or 0) - int(info.get("MemSpecLimit") or 0)
        gpus = _gpus(info.get("Gres", "(null)"))
        for name in (info.get("Partitions") or "").split(","):
            partition = partitions.get(name)
            if partition is None:
                continue
            partition.nodes.append(info["NodeName"])
            partition.max_cpus = max(partition.max_cpus, cpus)
            partition.max_mem_mb = max(partition.max_mem_mb, memory)
            partition.max_gpus = max(partition.max_gpus, gpus)
    return partitions


def cluster_limits(env: dict[str, str] | None = None) -> dict[str, Partition] | None:
    """The running cluster's partitions (None when scontrol cannot tell: the check is then skipped, and said)."""
    try:
        nodes = subprocess.run(["scontrol", "show", "node", "-o"], capture_output=True, text=True, env=env,
                               timeout=30, check=True).stdout
        parts = subprocess.run(["scontrol", "show", "partition", "-o"], capture_output=True, text=True, env=env,
                               timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_limits(nodes, parts)


@dataclass(frozen=True)
class Problem:
    job: str
    what: str  # "partition", "cpus", "mem", "gpus", "time"
    message: str
    fix: str  # the --set that fixes it (or what to do)


def override_key(job: Job, key: str) -> str:
    """The cluster config key of one resource of one array (a step of a multi-step stage has its own table)."""
    if job.name == job.stage:
        return f"stages.{job.stage}.{key}"
    return f"stages.{job.stage}.steps.{job.name[len(job.stage) + 1:]}.{key}"


def _partition_key(job: Job, config: dict) -> str:
    for key, table in config.get("partitions", {}).items():
        if table.get("name") == job.partition:
            return key
    return job.partition


def problems(jobs: list[Job], limits: dict[str, Partition], config: dict) -> list[Problem]:
    """Every way a planned array cannot run on this cluster, with its fix."""
    found: list[Problem] = []
    for job in jobs:
        partition = limits.get(job.partition)
        if partition is None:
            found.append(Problem(job.name, "partition", f"partition {job.partition!r} does not exist (this cluster "
                                 f"has {', '.join(sorted(limits)) or 'none'})",
                                 f"--set partitions.{_partition_key(job, config)}.name='\"{next(iter(sorted(limits)), 'NAME')}\"'"))
            continue
        if not partition.up:
            found.append(Problem(job.name, "partition", f"partition {job.partition!r} is not UP", "ask the admins"))
        if job.cpus > partition.max_cpus:
            found.append(Problem(job.name, "cpus", f"asks {job.cpus} CPUs per task; the largest node of partition "
                                 f"{job.partition!r} has {partition.max_cpus}",
                                 f"--set {override_key(job, 'cpus')}={partition.max_cpus}"))
        mem = _memory_mb(job.mem)
        if mem > partition.max_mem_mb:
            found.append(Problem(job.name, "mem", f"asks {job.mem} per task; the largest node of partition "
                                 f"{job.partition!r} has {partition.max_mem_mb} MB",
                                 f"--set {override_key(job, 'mem')}='\"{partition.max_mem_mb}M\"'"))
        if job.gpus > partition.max_gpus:
            fix = f"--set partitions.{_partition_key(job, config)}.gpus_per_task={partition.max_gpus}"
            if job.stage == "ocr" and partition.max_gpus == 0:
                fix += " --set 'stages.ocr.extra_args=[]' (OCR then runs its CPU engine)"
            found.append(Problem(job.name, "gpus", f"asks {job.gpus} GPU(s) per task; the nodes of partition "
                                 f"{job.partition!r} have {partition.max_gpus}", fix))
        minutes = _minutes(job.time)
        if partition.max_time_min is not None and minutes is not None and minutes > partition.max_time_min:
            found.append(Problem(job.name, "time", f"asks {job.time}; partition {job.partition!r} allows "
                                 f"{partition.max_time_min} minutes",
                                 f"--set {override_key(job, 'time')}='\"{partition.max_time_min}\"'"))
    return found


def fitted(jobs: list[Job], limits: dict[str, Partition]) -> tuple[list[Job], list[str]]:
    """The arrays shrunk to what their partition has (``--fit``), and a line per change."""
    out, changes = [], []
    for job in jobs:
        partition = limits.get(job.partition)
        if partition is None:
            out.append(job)
            continue
        new = job
        if job.cpus > partition.max_cpus:
            new = replace(new, cpus=partition.max_cpus)
            changes.append(f"{job.name}: cpus {job.cpus} -> {partition.max_cpus}")
        if _memory_mb(job.mem) > partition.max_mem_mb:
            new = replace(new, mem=f"{partition.max_mem_mb}M")
            changes.append(f"{job.name}: mem {job.mem} -> {partition.max_mem_mb}M")
        if job.gpus > partition.max_gpus:
            # a GPU array moved to CPUs runs the stage's own defaults: the extra arguments the cluster config gives
            # it (ocr's --engine rolmocr) are for the GPU run, and go
            args = job.spec.args[:len(job.spec.args) - len(job.extra_args)] if job.extra_args else job.spec.args
            new = replace(new, gpus=partition.max_gpus, spec=replace(job.spec, gpus=partition.max_gpus, args=args),
                          extra_args=[])
            dropped = f", without its extra arguments {job.extra_args}" if job.extra_args else ""
            changes.append(f"{job.name}: GPUs {job.gpus} -> {partition.max_gpus}{dropped}")
        minutes = _minutes(job.time)
        if partition.max_time_min is not None and minutes is not None and minutes > partition.max_time_min:
            new = replace(new, time=str(partition.max_time_min))
            changes.append(f"{job.name}: time {job.time} -> {partition.max_time_min} minutes")
        out.append(new)
    return out, changes
