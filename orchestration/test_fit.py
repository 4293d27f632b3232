"""Resource requests are compared with the cluster before anything is submitted, and each misfit names its fix."""

from pathlib import Path

from orchestration.fit import Partition, fitted, parse_limits, problems
from orchestration.plan import load_config, resolve_stages
from orchestration.status import stage_status

# `scontrol show node -o` / `show partition -o` of the one-node test cluster (trimmed), plus a GPU node
NODES = """NodeName=localhost Arch=x86_64 CPUTot=2 Gres=(null) RealMemory=19284 State=IDLE Partitions=cpu,gpu
NodeName=g1 CPUTot=32 Gres=gpu:a100:4(S:0-1) RealMemory=256000 MemSpecLimit=2000 State=IDLE Partitions=a100
"""
PARTITIONS = """PartitionName=cpu Default=YES MaxTime=UNLIMITED Nodes=localhost State=UP
PartitionName=gpu Default=NO MaxTime=UNLIMITED Nodes=localhost State=UP
PartitionName=a100 MaxTime=2-00:00:00 Nodes=g1 State=UP
"""


def test_scontrol_output_says_what_one_task_can_get_per_partition():
    limits = parse_limits(NODES, PARTITIONS)
    assert limits["cpu"] == Partition("cpu", max_cpus=2, max_mem_mb=19284, max_gpus=0, max_time_min=None,
                                      nodes=["localhost"])
    assert (limits["a100"].max_cpus, limits["a100"].max_mem_mb, limits["a100"].max_gpus) == (32, 254000, 4)
    assert limits["a100"].max_time_min == 2880


def jobs(tmp_path: Path, *sets: str):
    config = load_config([], [f'run.output="{tmp_path}"', 'run.input="in"', *sets])
    return resolve_stages(config, tmp_path), config


def test_the_default_plan_on_the_test_cluster_names_every_misfit_and_its_fix(tmp_path):
    planned, config = jobs(tmp_path)
    found = {(p.job, p.what): p.fix for p in problems(planned, parse_limits(NODES, PARTITIONS), config)}
    assert found == {
        ("ocr", "cpus"): "--set stages.ocr.cpus=2",
        ("ocr", "mem"): "--set stages.ocr.mem='\"19284M\"'",
        ("ocr", "gpus"): "--set partitions.gpu.gpus_per_task=0 --set 'stages.ocr.extra_args=[]' "
                         "(OCR then runs its CPU engine)",
    }


def test_a_step_and_an_unknown_partition_get_their_own_keys(tmp_path):
    planned, config = jobs(tmp_path, "stages.dedup.steps.buckets.cpus=4", 'partitions.cpu.name="batch"')
    fixes = {(p.job, p.what): p.fix for p in problems(planned, parse_limits(NODES, PARTITIONS), config)}
    assert fixes[("dedup-buckets", "partition")] == "--set partitions.cpu.name='\"a100\"'"
    planned, config = jobs(tmp_path, "stages.dedup.steps.buckets.cpus=4")
    fixes = {(p.job, p.what): p.fix for p in problems(planned, parse_limits(NODES, PARTITIONS), config)}
    assert fixes[("dedup-buckets", "cpus")] == "--set stages.dedup.steps.buckets.cpus=2"


def test_fit_shrinks_the_misfits_and_drops_the_gpu_arguments(tmp_path):
    planned, config = jobs(tmp_path)
    limits = parse_limits(NODES, PARTITIONS)
    shrunk, changes = fitted(planned, limits)
    assert problems(shrunk, limits, config) == []
    ocr = next(j for j in shrunk if j.name == "ocr")
    assert (ocr.cpus, ocr.mem, ocr.gpus, ocr.spec.gpus) == (2, "19284M", 0, 0)
    assert "--engine" not in ocr.spec.args
    assert changes == ["ocr: cpus 8 -> 2", "ocr: mem 64G -> 19284M",
                       "ocr: GPUs 1 -> 0, without its extra arguments ['--engine', 'rolmocr']"]


def test_status_says_why_pending_tasks_wait():
    entry = {"tasks": 3, "action": "submit", "done": "/nonexistent/{rank}.json",
             "jobs": [{"id": "7", "offset": 0, "size": 3}]}
    states = {("7", 0): "PENDING", ("7", 1): "PENDING", ("7", 2): "RUNNING"}
    row = stage_status("filter", entry, states, {("7", 0): "Dependency", ("7", 1): "Dependency"})
    assert (row["pending"], row["running"], row["pending_reasons"]) == (2, 1, {"Dependency": 2})
