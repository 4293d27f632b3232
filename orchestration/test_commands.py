"""The task command lines of the three runtimes, and the task scripts run by a real bash with fake runtimes."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from orchestration.commands import (
    Bind,
    Shell,
    TaskSpec,
    apptainer_argv,
    docker_argv,
    local_binds,
    merge_binds,
    render,
    runtime_argv,
    task_script,
    venv_argv,
)


def spec(gpus: int = 0) -> TaskSpec:
    return TaskSpec(
        stage="ocr",
        image="ocr",
        args=["ocr", "--input", "/data/out/classify/ocr", "--output", "/data/out/ocr", "--tasks", "8"],
        binds=[Bind("/data/pdfs", True), Bind("/data/out", False), Bind("/data/out/classify", True)],
        env={"FINEPDFS_MODELS_DIR": "/models"},
        gpus=gpus,
    )


def pairs(argv: list, flag: str) -> list[str]:
    return [argv[i + 1] for i, a in enumerate(argv) if a == flag]


def test_apptainer_gpu_stage_gets_nv_binds_and_rank_env():
    argv = apptainer_argv(spec(gpus=1), "/shared/sif")
    assert argv[:3] == ["apptainer", "exec", "--cleanenv"]
    assert "--nv" in argv
    # Same path inside and out; inputs read-only; a folder inside a writable bind is not bound twice.
    assert pairs(argv, "--bind") == ["/data/out:/data/out", "/data/pdfs:/data/pdfs:ro"]
    envs = pairs(argv, "--env")
    assert "FINEPDFS_MODELS_DIR=/models" in envs
    assert Shell("SLURM_ARRAY_TASK_ID=${SLURM_ARRAY_TASK_ID:-}") in envs
    assert Shell("FINEPDFS_RANK_OFFSET=${FINEPDFS_RANK_OFFSET:-}") in envs
    image_at = argv.index("/shared/sif/ocr.sif")
    assert argv[image_at + 1:] == ["finepdfs", *spec().args]


def test_apptainer_cpu_stage_has_no_nv():
    assert "--nv" not in apptainer_argv(spec(gpus=0), "/shared/sif")


def test_docker_argv_runs_the_stage_image_as_the_user_with_binds():
    argv = docker_argv(spec(gpus=0), "finepdfs/ocr:latest", user="1000:1000", name="task")
    assert argv[:6] == ["docker", "run", "--rm", "--init", "--name", "task"]
    assert pairs(argv, "--user") == ["1000:1000"]
    assert pairs(argv, "-v") == ["/data/out:/data/out", "/data/pdfs:/data/pdfs:ro"]
    assert "HOME=/tmp" in pairs(argv, "-e") and "FINEPDFS_MODELS_DIR=/models" in pairs(argv, "-e")
    assert "--gpus" not in argv
    assert argv[argv.index("--entrypoint"):] == ["--entrypoint", "finepdfs", "finepdfs/ocr:latest", *spec().args]


def test_docker_gpu_stage_asks_for_the_gpus_slurm_granted():
    argv = docker_argv(spec(gpus=1), "finepdfs/ocr:latest", user="0:0")
    assert "CUDA_VISIBLE_DEVICES" in pairs(argv, "--gpus")[0]


def test_none_runs_the_venv_cli():
    assert venv_argv(spec(), ".venv/bin/finepdfs") == [os.path.abspath(".venv/bin/finepdfs"), *spec().args]


def test_runtime_switch_rejects_unknown_runtime():
    with pytest.raises(ValueError, match="apptainer, docker, none"):
        runtime_argv(spec(), "podman", {})


def test_binds_collapse_nested_and_skip_uris():
    binds = local_binds(["/a/b", "/a", "s3://bucket/x", None, "/c"], read_only=True)
    assert binds == [Bind("/a", True), Bind("/c", True)]
    assert merge_binds([Bind("/x", True), Bind("/x", False)]) == [Bind("/x", False)]


def _fake(tmp_path: Path, name: str) -> Path:
    """An executable that records its arguments (one per line) and two env vars, then exits 0."""
    path = tmp_path / name
    path.write_text(
        "#!/bin/bash\n"
        f'printf "%s\\n" "$@" > {tmp_path}/{name}.args\n'
        f'echo "$SLURM_ARRAY_TASK_ID $FINEPDFS_RANK_OFFSET" > {tmp_path}/{name}.env\n'
    )
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def _run_script(tmp_path: Path, script: str) -> subprocess.CompletedProcess:
    path = tmp_path / "task.sh"
    path.write_text(script)
    env = {"PATH": os.environ["PATH"], "SLURM_ARRAY_TASK_ID": "2", "FINEPDFS_RANK_OFFSET": "4", "SLURM_JOB_ID": "77"}
    return subprocess.run(["bash", str(path)], env=env, capture_output=True, text=True, timeout=30)


def test_task_script_none_passes_rank_env_and_exact_args(tmp_path):
    fake = _fake(tmp_path, "finepdfs")
    done = _run_script(tmp_path, task_script(spec(), "none", venv_argv(spec(), str(fake)), 8))
    assert done.returncode == 0, done.stderr
    assert "rank 6 of 8" in done.stdout
    assert (tmp_path / "finepdfs.args").read_text().splitlines() == spec().args
    assert (tmp_path / "finepdfs.env").read_text().split() == ["2", "4"]


def test_task_script_apptainer_expands_rank_env_inside_the_command(tmp_path):
    fake = _fake(tmp_path, "apptainer")
    argv = apptainer_argv(spec(gpus=1), "/shared/sif", executable=str(fake))
    done = _run_script(tmp_path, task_script(spec(gpus=1), "apptainer", argv, 8))
    assert done.returncode == 0, done.stderr
    args = (tmp_path / "apptainer.args").read_text().splitlines()
    assert "SLURM_ARRAY_TASK_ID=2" in args and "FINEPDFS_RANK_OFFSET=4" in args and "--nv" in args
    assert args[-len(spec().args) - 2:] == ["/shared/sif/ocr.sif", "finepdfs", *spec().args]


def test_task_script_docker_names_the_container_and_expands_gpus(tmp_path):
    fake = _fake(tmp_path, "docker")
    argv = docker_argv(spec(gpus=1), "finepdfs/ocr:latest", executable=str(fake), user="1:1")
    script = task_script(spec(gpus=1), "docker", argv, 8)
    done = subprocess.run(
        ["bash", "-c", script],
        env={"PATH": os.environ["PATH"], "SLURM_ARRAY_TASK_ID": "1", "SLURM_JOB_ID": "77",
             "CUDA_VISIBLE_DEVICES": "0,1"},
        capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 0, done.stderr
    args = (tmp_path / "docker.args").read_text().splitlines()
    assert args[args.index("--name") + 1] == "finepdfs-77-ocr-1"
    assert args[args.index("--gpus") + 1] == '"device=0,1"'
    assert "SLURM_ARRAY_TASK_ID=1" in args and "FINEPDFS_RANK_OFFSET=0" in args


def test_task_script_docker_kills_its_container_when_cancelled(tmp_path):
    """scancel sends SIGTERM to the task; the container is the engine's child, so the script must kill it."""
    fake = tmp_path / "docker"
    fake.write_text(
        "#!/bin/bash\n"
        f'if [ "$1" = run ]; then touch {tmp_path}/started; exec sleep 5; fi\n'
        f'printf "%s\\n" "$@" > {tmp_path}/kill.args\n'
    )
    fake.chmod(0o755)
    argv = docker_argv(spec(), "finepdfs/ocr:latest", executable=str(fake), user="1:1")
    (tmp_path / "task.sh").write_text(task_script(spec(), "docker", argv, 8))
    task = subprocess.Popen(["bash", str(tmp_path / "task.sh")], env={"PATH": os.environ["PATH"],
                            "SLURM_ARRAY_TASK_ID": "3", "SLURM_JOB_ID": "9"}, stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if (tmp_path / "started").exists():
                break
            time.sleep(0.05)
        task.send_signal(signal.SIGTERM)
        assert task.wait(timeout=10) == 143
    finally:
        task.kill()
    assert (tmp_path / "kill.args").read_text().split() == ["kill", "finepdfs-9-ocr-3"]


def test_render_quotes_literals_and_leaves_shell_values_to_the_shell():
    line = render(["echo", "a b", Shell("x=${HOME}")])
    assert line == "echo 'a b' \"x=${HOME}\""
