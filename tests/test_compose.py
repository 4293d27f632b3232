"""`docker compose up` (compose.yaml) on the bundled samples: exit 0 and the same final rows as `finepdfs run`;
a failing stage stops the chain and `up` exits non-zero."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from docker_support import REPO, STAGE_IO, STAGES, assert_balanced, ledgers, require_images, rows

from shared.shards import read_dataset

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SAMPLES = REPO / "samples" / "pdfs"
UP_TIMEOUT_S = 1800


def compose_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """Only the test's settings: a developer's FINEPDFS_* variables or .env must not change what runs."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FINEPDFS_", "COMPOSE_")) or k in ("FINEPDFS_IMAGE_PREFIX", "FINEPDFS_IMAGE_TAG")}
    (tmp_path / "models").mkdir(exist_ok=True)
    return env | {"FINEPDFS_DATA": str(tmp_path / "data"), "FINEPDFS_MODELS": str(tmp_path / "models")} | settings


def compose(tmp_path: Path, env: dict[str, str], *args: str, timeout: float = 120,
            options: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.touch()
    project = f"finepdfs-test-{os.getpid()}-{tmp_path.name}".lower()
    argv = ["docker", "compose", "-f", str(REPO / "compose.yaml"), *options, "--env-file", str(empty_env_file),
            "-p", project, *args]
    return subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def up(tmp_path: Path, env: dict[str, str], options: tuple[str, ...] = ()
       ) -> tuple[subprocess.CompletedProcess, dict[str, tuple[str, int]]]:
    """`docker compose up` (attached, as a person runs it), then each service's (state, exit code); then down."""
    try:
        result = compose(tmp_path, env, "up", timeout=UP_TIMEOUT_S, options=options)
        ps = compose(tmp_path, env, "ps", "--all", "--format", "json", options=options)
        states = {}
        for line in ps.stdout.splitlines():
            for entry in json.loads(line) if line.startswith("[") else [json.loads(line)]:
                states[entry["Service"]] = (entry["State"], entry["ExitCode"])
        return result, states
    finally:
        compose(tmp_path, env, "down", "--remove-orphans", options=options)


@pytest.fixture(scope="module")
def images():
    require_images()


def test_compose_up_matches_finepdfs_run(images, sample_run, tmp_path):
    result, states = up(tmp_path, compose_env(tmp_path, FINEPDFS_INPUT=str(SAMPLES)))
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert all(code == 0 for _, code in states.values()), states
    assert {s for s in STAGES if s in states} == set(STAGES)
    assert "done" in states and (out := tmp_path / "data" / "out" / "stats" / "report.html").is_file(), out

    out = tmp_path / "data" / "out"
    for stage in STAGES:
        output = STAGE_IO[stage][1]
        assert ledgers(out / output) == ledgers(sample_run / output), stage
        for ledger in ledgers(out / output):
            assert_balanced(ledger)
    final = rows(out / "tokenize")
    assert final, "the samples should leave documents in the final dataset"
    assert final == rows(sample_run / "tokenize")
    assert "finepdfs run summary" in result.stdout  # the `done` service printed the run's summary


def test_a_failing_stage_stops_the_chain(images, tmp_path):
    # classify fails (its router model is missing) after ingest succeeded: nothing after it may start.
    env = compose_env(tmp_path, FINEPDFS_INPUT=str(SAMPLES),
                      FINEPDFS_CLASSIFY_MODEL="/models/no-such-router.json")  # the setting's own name
    result, states = up(tmp_path, env)
    assert result.returncode != 0
    assert states["ingest"] == ("exited", 0)
    assert states["classify"][0] == "exited" and states["classify"][1] != 0
    for later in [*STAGES[STAGES.index("classify") + 1:], "done"]:
        assert states[later][0] == "created", (later, states[later])
    assert not (tmp_path / "data" / "out" / "extract-docling").exists()


def test_a_missing_input_folder_fails_before_any_stage(images, tmp_path):
    env = compose_env(tmp_path, FINEPDFS_INPUT=str(tmp_path / "no-such-folder"))
    result, _ = up(tmp_path, env)
    assert result.returncode != 0
    assert "no-such-folder" in result.stderr
    assert not (tmp_path / "data" / "out" / "ingest").exists()
    assert not (tmp_path / "no-such-folder").exists()  # compose must not create it as an empty input


def test_gpu_profile_sends_ocr_to_the_vllm_service(images, sample_run, tmp_path):
    # No GPU here: the vllm service keeps compose.yaml's wrapper but serves a stand-in OpenAI endpoint.
    standin = REPO / "tests" / "compose_gpu_standin"
    env = compose_env(tmp_path, FINEPDFS_INPUT=str(SAMPLES), FINEPDFS_STANDIN_DIR=str(REPO / "tools"))
    options = ("-f", str(standin / "compose.override.yaml"), "--profile", "gpu")
    result, states = up(tmp_path, env, options)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert states["vllm"] == ("exited", 0)  # stopped by its wrapper once ocr finished: `up` ends
    assert states["ocr"] == ("exited", 0) and states["done"] == ("exited", 0)

    table = read_dataset(tmp_path / "data" / "out" / "ocr")
    assert table.num_rows == read_dataset(sample_run / "ocr").num_rows > 0
    assert set(table.column("extractor").to_pylist()) == {"rolmocr"}
    assert all("stand-in OCR server" in text for text in table.column("text").to_pylist())
    # The CPU stages are untouched by the profile.
    assert rows(tmp_path / "data" / "out" / "extract-docling") == rows(sample_run / "extract-docling")
