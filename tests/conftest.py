"""Fixtures shared by the cross-stage tests: the bundled samples and one `finepdfs run` over them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples" / "pdfs"
GROUND_TRUTH = REPO / "samples" / "ground_truth.json"
FINEPDFS = [sys.executable, "-m", "stages.cli"]


def run_finepdfs(*args: str, cwd: Path = REPO, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, **kwargs.pop("env", {}), "PYTHONPATH": str(REPO)}
    result = subprocess.run([*FINEPDFS, *args], cwd=cwd, env=env, capture_output=True, text=True, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"finepdfs {' '.join(args)} exited {result.returncode}:\n{result.stderr[-4000:]}")
    return result


@pytest.fixture(scope="session")
def ground_truth() -> dict:
    return json.loads(GROUND_TRUTH.read_text())


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> Path:
    """One `finepdfs run` over the bundled samples, shared by every test that compares against it."""
    out = tmp_path_factory.mktemp("sample-run") / "out"
    result = run_finepdfs("run", "--input", str(SAMPLES), "--output", str(out))
    (out.parent / "terminal.txt").write_text(result.stderr + result.stdout)  # what a person saw
    return out


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing; in CI (FINEPDFS_REQUIRE_SERVICES=1) fail it instead."""
    if os.environ.get("FINEPDFS_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (FINEPDFS_REQUIRE_SERVICES=1: required here)", pytrace=False)
    pytest.skip(reason)
