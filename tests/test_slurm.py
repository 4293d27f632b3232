"""`sbatch orchestration/finepdfs.sbatch` on a real (throwaway, one-node) Slurm cluster.

The cluster is scripts/services.d/slurm.sh's (started here when needed): partitions `cpu` and `gpu` (a GRES-less
stand-in) on localhost, MaxArraySize 4 so that bigger arrays are split. Every run is compared with the session's
`finepdfs run` over the same samples: same rows in every document dataset, no duplicate ids.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from orchestration import status
from orchestration.plan import load_config
from shared import registry
from shared.ledger import ledger_filename
from shared.shards import read_dataset
from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.slurm, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples" / "pdfs"
SLURM_CONF = REPO / "build" / "slurm" / "slurm.conf"
REQUIRE_SERVICES = os.environ.get("FINEPDFS_REQUIRE_SERVICES") == "1"
DOCUMENT_DATASETS = [s.name for s in registry.STAGES if (s.writes or "").endswith("documents")]
RUN_TIMEOUT_S = 900
ENDED = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL",
         "DEADLINE"}


def slurm_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLURM_", "SBATCH_"))}
    return env | {"SLURM_CONF": str(SLURM_CONF)}


def _answers() -> bool:
    if not shutil.which("sinfo") or not SLURM_CONF.exists():
        return False
    done = subprocess.run(["sinfo", "-h", "-o", "%T"], env=slurm_env(), capture_output=True, text=True, timeout=10)
    return done.returncode == 0 and any(s in done.stdout for s in ("idle", "mixed", "allocated"))


@pytest.fixture(scope="session")
def slurm() -> dict[str, str]:
    if not _answers():
        started = subprocess.run(["bash", str(REPO / "scripts/services.d/slurm.sh"), "start"], capture_output=True,
                                 text=True, timeout=300)
        if not _answers():
            skip_or_fail(f"no Slurm cluster could be started here: {started.stderr.strip()[-500:]}")
    return slurm_env()


def available_stages() -> list[str]:
    """Registry stages whose code is in this checkout."""
    from shared.cli import stage_names_available

    return stage_names_available()


def cluster_config(tmp_path: Path, output: Path, runtime: str, tasks: int = 2, split_ingest: bool = True) -> Path:
    """A cluster config for this machine: small resources, no GRES, the CPU OCR engine, the samples."""
    stages = available_stages()
    lines = [
        "[run]",
        f'input = "{SAMPLES}"',
        f'output = "{output}"',
        f'runtime = "{runtime}"',
        f"tasks = {tasks}",
        f"stages = {json.dumps(stages)}",
        "[partitions.gpu]",
        "gpus_per_task = 0",
        "[defaults]",
        'mem = "2G"',
        'time = "00:20:00"',
        "[stages.extract-docling]",
        "cpus = 1",
    ]
    lines += ["[stages.ocr]", "cpus = 1", 'mem = "4G"', "extra_args = []", "[stages.ingest]", 'mem = "2G"']
    if split_ingest:  # more tasks than MaxArraySize (4): two arrays, ranks 4.. through FINEPDFS_RANK_OFFSET
        lines.append("tasks = 5")
    config = tmp_path / f"cluster-{runtime}.toml"
    config.write_text("\n".join(lines) + "\n")
    return config


def submit(config: Path, workdir: Path, env: dict[str, str]) -> dict:
    """`sbatch --wait orchestration/finepdfs.sbatch --cluster-config FILE`; returns the submission it recorded."""
    log = workdir / f"driver-{time.monotonic_ns()}.log"
    done = subprocess.run(
        ["sbatch", "--wait", f"--output={log}", "orchestration/finepdfs.sbatch", "--cluster-config", str(config)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    driver_log = log.read_text() if log.exists() else ""
    assert done.returncode == 0, f"driver failed: {done.stderr}\n{driver_log}"
    output = Path(load_config([config])["run"]["output"])
    history = json.loads((output / "_slurm" / "jobs.json").read_text())
    return history["submissions"][-1]


def job_ids(submission: dict) -> list[str]:
    return [job["id"] for entry in submission["stages"].values() for job in entry.get("jobs", [])]


def task_states(ids: list[str], env: dict[str, str]) -> dict[str, str]:
    """'<array job>_<index>' (or '<job>') -> state, for jobs Slurm still remembers (MinJobAge)."""
    if not ids:
        return {}
    done = subprocess.run(["squeue", "-h", "-r", "--states=all", "-o", "%i|%T", "-j", ",".join(ids)],
                          env=env, capture_output=True, text=True, timeout=30)
    return dict(line.split("|", 1) for line in done.stdout.split())


def wait_for(ids: list[str], env: dict[str, str], timeout: float = RUN_TIMEOUT_S) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while True:
        states = task_states(ids, env)
        if states and all(state in ENDED for state in states.values()):
            return states
        if time.monotonic() > deadline:
            subprocess.run(["scancel", *ids], env=env)
            pytest.fail(f"Slurm jobs still running after {timeout} s: {states}")
        time.sleep(0.5)


def task_logs(output: Path) -> str:
    logs = sorted((output / "_slurm" / "logs").rglob("*.log"))
    return "\n".join(f"--- {p.relative_to(output)}\n{p.read_text()[-1500:]}" for p in logs)[-12000:]


def rows(folder: Path) -> list[dict]:
    if not folder.exists():
        return []
    table = read_dataset(str(folder))
    return sorted(table.to_pylist(), key=lambda r: r["id"]) if table.num_rows else []


def assert_same_datasets(slurm_out: Path, local_out: Path) -> None:
    compared = 0
    for name in DOCUMENT_DATASETS:
        local = rows(local_out / name)
        if not (local_out / name).exists():
            continue
        got = rows(slurm_out / name)
        ids = [r["id"] for r in got]
        assert len(ids) == len(set(ids)), f"{name}: duplicate ids after the Slurm run"
        assert ids == [r["id"] for r in local], f"{name}: different documents than `finepdfs run`"
        assert got == local, f"{name}: same documents, different rows than `finepdfs run`"
        compared += 1
    assert compared, "no document dataset to compare"


def assert_all_complete(submission: dict) -> None:
    for name, entry in submission["stages"].items():
        if entry["action"] == "excluded":
            continue
        missing = [r for r in range(entry["tasks"]) if not Path(entry["done"].format(rank=r)).exists()]
        assert not missing, f"stage {name}: ranks {missing} have no completion marker"


def test_runtime_none_scancel_mid_shard_resubmit_matches_finepdfs_run(slurm, sample_run, tmp_path, monkeypatch):
    """The whole chain with runtime none; one extract-docling task killed while it works; re-submitted.

    Checks: arrays split over MaxArraySize, dependents of the killed array cancelled (not pending forever),
    slurm-status shows it, the re-submission skips complete stages and redoes the killed rank, every document
    dataset equals `finepdfs run`'s with no duplicate ids, and a third submission submits nothing.
    """
    monkeypatch.setenv("SLURM_CONF", slurm["SLURM_CONF"])  # for status.collect, which runs squeue in-process
    output = tmp_path / "out"
    config = cluster_config(tmp_path, output, "none")
    first = submit(config, tmp_path, slurm)
    # ingest's 5 tasks exceed MaxArraySize 4: two arrays per step, the second offset by 4.
    for step in ("ingest-hash", "ingest-read"):
        assert [(j["offset"], j["size"]) for j in first["stages"][step]["jobs"]] == [(0, 4), (4, 1)]

    victim_stage = "extract-docling"
    victim = f"{first['stages'][victim_stage]['jobs'][0]['id']}_0"
    deadline = time.monotonic() + 300
    while task_states([victim.split("_")[0]], slurm).get(victim) != "RUNNING":
        assert time.monotonic() < deadline, f"{victim} never ran: {task_states(job_ids(first), slurm)}"
        time.sleep(0.1)
    time.sleep(0.1)  # into the shard's work (starting up): on an idle machine a rank can finish within a second
    subprocess.run(["scancel", victim], env=slurm, check=True)
    states = wait_for(job_ids(first), slurm)
    assert states[victim] == "CANCELLED"
    entry = first["stages"][victim_stage]
    assert not Path(entry["done"].format(rank=0)).exists(), "the killed rank must not look complete"
    for rank in range(5):
        assert Path(first["stages"]["ingest-read"]["done"].format(rank=rank)).exists(), f"ingest rank {rank} missing"
    names = list(first["stages"])
    downstream = [n for n in names[names.index(victim_stage) + 1:]
                  if first["stages"][n]["action"] == "submit" and n != "ocr"]
    assert "filter" in downstream and "stats-merge" in downstream
    for name in downstream:
        for job in first["stages"][name]["jobs"]:
            job_states = {v for k, v in states.items() if k.split("_")[0] == job["id"]}
            assert job_states == {"CANCELLED"}, f"{name}: {job_states}"
    by_stage = {r["stage"]: r for r in status.collect(output / "_slurm")}
    assert by_stage[victim_stage]["failed_ranks"] == [0] and by_stage[victim_stage]["done"] == 1
    assert all(by_stage[name]["cancelled"] == by_stage[name]["tasks"] for name in downstream), by_stage

    second = submit(config, tmp_path, slurm)
    assert second["stages"]["ingest-hash"]["action"] == second["stages"]["ingest-read"]["action"] == "complete"
    assert second["stages"][victim_stage]["action"] == "submit"
    states = wait_for(job_ids(second), slurm)
    failed = {k: v for k, v in states.items() if v != "COMPLETED"}
    assert not failed, f"tasks did not complete: {failed}\n{task_logs(output)}"
    assert_all_complete(second)
    assert not list(output.rglob("_staging/*")), "a killed shard left staged files behind"
    assert_same_datasets(output, sample_run)
    report = (output / "stats" / "report.html").read_text()  # the same run report as `finepdfs run`'s
    assert all(f"<td>{name}</td>" in report for name in ("ingest", "filter", "tokenize"))
    by_stage = {r["stage"]: r for r in status.collect(output / "_slurm")}
    assert all(r["done"] == r["tasks"] and r["failed"] == 0 for r in by_stage.values()), by_stage

    third = submit(config, tmp_path, slurm)
    assert {e["action"] for e in third["stages"].values()} <= {"complete", "excluded"}
    assert job_ids(third) == []


def test_arrays_that_cannot_fit_are_refused_before_submitting_and_dry_run_submits_nothing(slurm, tmp_path):
    """The README's try-out without --fit: OCR asks 8 CPUs, 64G and a GPU of a 2-CPU node without GRES. Nothing is
    submitted and each misfit is named with its fix; with --fit --dry-run the plan is printed, nothing is submitted
    and nothing written."""
    output = tmp_path / "out"
    before = set(task_states_all(slurm))
    refused = subprocess.run(["bash", "orchestration/finepdfs.sbatch", "--runtime", "none", "--output", str(output)],
                             cwd=REPO, env=slurm, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2, refused.stderr
    assert "ocr: asks 8 CPUs per task; the largest node of partition 'gpu' has 2" in refused.stderr
    assert "fix: --set stages.ocr.cpus=2" in refused.stderr and "--fit" in refused.stderr
    assert "fix: --set partitions.gpu.gpus_per_task=0 --set 'stages.ocr.extra_args=[]'" in refused.stderr
    dry = subprocess.run(["bash", "orchestration/finepdfs.sbatch", "--runtime", "none", "--output", str(output),
                          "--fit", "--dry-run"], cwd=REPO, env=slurm, capture_output=True, text=True, timeout=120)
    assert dry.returncode == 0, dry.stderr
    assert "fit: ocr: GPUs 1 -> 0, without its extra arguments ['--engine', 'rolmocr']" in dry.stdout
    assert "sbatch --job-name=finepdfs-ingest" in dry.stdout and "--- task script of stats-merge ---" in dry.stdout
    assert not output.exists() and set(task_states_all(slurm)) == before


def task_states_all(env: dict[str, str]) -> dict[str, str]:
    done = subprocess.run(["squeue", "-h", "-r", "--states=all", "-o", "%i|%T"], env=env, capture_output=True,
                          text=True, timeout=30)
    return dict(line.split("|", 1) for line in done.stdout.split())


def test_failed_stage_cancels_its_dependents(slurm, tmp_path):
    output = tmp_path / "out"
    config = cluster_config(tmp_path, output, "none")
    broken = tmp_path / "broken.toml"
    broken.write_text('[run]\nstages = ["ingest", "classify"]\n'
                      '[stages.ingest]\nextra_args = ["--no-such-flag"]\n')
    log = tmp_path / "driver.log"
    done = subprocess.run(["sbatch", "--wait", f"--output={log}", "orchestration/finepdfs.sbatch",
                           "--cluster-config", str(config), "--cluster-config", str(broken)], cwd=REPO, env=slurm, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, log.read_text()
    submission = json.loads((output / "_slurm" / "jobs.json").read_text())["submissions"][-1]
    states = wait_for(job_ids(submission), slurm, timeout=300)
    ingest = {v for k, v in states.items()
              if k.split("_")[0] == submission["stages"]["ingest-hash"]["jobs"][0]["id"]}
    classify = {v for k, v in states.items()
                if k.split("_")[0] == submission["stages"]["classify"]["jobs"][0]["id"]}
    assert ingest == {"FAILED"}
    assert classify == {"CANCELLED"}
    assert "No such option" in task_logs(output) or "no-such-flag" in task_logs(output)


def _docker_images_missing(stages: list[str]) -> list[str]:
    from orchestration.sif import docker_image

    config = load_config()
    images = {docker_image(config, registry.get(s).image) for s in stages}
    missing = []
    for image in sorted(images):
        if subprocess.run(["docker", "image", "inspect", image], capture_output=True).returncode != 0:
            missing.append(image)
    return missing


@pytest.mark.docker
def test_runtime_docker_matches_finepdfs_run(slurm, sample_run, tmp_path):
    try:
        from docker_support import require_images  # the image tests' session build (scripts/build-images.sh)
    except ImportError:
        require_images = None
    if require_images:
        require_images()
    elif not shutil.which("docker") or subprocess.run(["docker", "info"], capture_output=True).returncode != 0:
        skip_or_fail("no Docker engine answers (scripts/services.d/docker.sh start)")
    missing = _docker_images_missing(available_stages())
    if missing:
        skip_or_fail(f"stage images not built: {', '.join(missing)} (scripts/build-images.sh / just build)")
    output = tmp_path / "out"
    config = cluster_config(tmp_path, output, "docker", tasks=1, split_ingest=False)  # fewer container starts
    submission = submit(config, tmp_path, slurm)
    states = wait_for(job_ids(submission), slurm)
    failed = {k: v for k, v in states.items() if v != "COMPLETED"}
    assert not failed, f"tasks did not complete: {failed}\n{task_logs(output)}"
    assert_all_complete(submission)
    assert_same_datasets(output, sample_run)
    # The containers ran as the submitting user: the outputs are theirs, not root-owned leftovers of the image.
    shard = output / "ingest" / ledger_filename(0)
    assert shard.stat().st_uid == os.getuid()
