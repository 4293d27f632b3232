"""The Docker engine and the stage images for the `docker` tests (test_images.py, test_compose.py).

Without an engine the tests skip with the reason; with FINEPDFS_REQUIRE_SERVICES=1 (CI) they fail instead. The
images are built once per test session with scripts/build-images.sh (cached layers: seconds when nothing
changed). Stage outputs are compared with the same stage run on the host, so a stage image must write exactly
what `finepdfs run` writes.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from shared import registry
from shared.shards import read_dataset
from tests.conftest import skip_or_fail

REPO = Path(__file__).resolve().parents[1]
REQUIRE_SERVICES = os.environ.get("FINEPDFS_REQUIRE_SERVICES") == "1"
IMAGE_PREFIX = os.environ.get("FINEPDFS_IMAGE_PREFIX", "finepdfs/")
IMAGE_TAG = os.environ.get("FINEPDFS_IMAGE_TAG", "latest")
# Stage -> (inputs, output) inside a run folder, as the registry lays it out for every runtime.
STAGE_IO: dict[str, tuple[list[str], str]] = {s.name: (list(s.inputs), s.name) for s in registry.STAGES}
STAGES = list(STAGE_IO)

os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")  # the reaper image cannot be pulled here


def image(stage: str) -> str:
    return f"{IMAGE_PREFIX}{stage}:{IMAGE_TAG}"


def stage_code_exists(stage: str) -> bool:
    return (REPO / registry.get(stage).module_name.replace(".", "/")).with_suffix(".py").is_file()


def _run(argv: list[str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False)


_engine: dict[str, str | None] = {}
_build: dict[str, str | None] = {}


def engine_problem() -> str | None:
    """None when `docker` and `docker compose` answer; the start script is tried once (root on Debian)."""
    if "problem" not in _engine:
        def answers() -> bool:
            try:
                return _run(["docker", "info"], 30).returncode == 0 and _run(
                    ["docker", "compose", "version"], 30).returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                return False

        problem = None
        if not answers():
            started = _run(["bash", "scripts/services.d/docker.sh", "start"], 900)
            if not answers():
                problem = ("no Docker engine with the Compose plugin (scripts/services.d/docker.sh start: "
                           f"{(started.stderr or started.stdout).strip()[-500:] or 'no output'})")
        _engine["problem"] = problem
    return _engine["problem"]


def require_images() -> None:
    """Skip/fail without an engine; build the images once per session; a failed build fails the test."""
    problem = engine_problem()
    if problem:
        skip_or_fail(problem)
    if "error" not in _build:
        python = REPO / ".venv" / "bin" / "python"
        env = {**os.environ, "PYTHON": str(python)} if python.exists() else dict(os.environ)
        result = subprocess.run(["scripts/build-images.sh"], cwd=REPO, env=env, capture_output=True, text=True,
                                timeout=3600, check=False)
        _build["error"] = None if result.returncode == 0 else (
            f"scripts/build-images.sh exited {result.returncode}:\n{result.stderr[-4000:]}")
    if _build["error"]:
        pytest.fail(_build["error"], pytrace=False)


def rows(folder: Path) -> list[tuple[str, str]]:
    """(id, text) of every output row of a stage folder (partitions included), sorted."""
    table = read_dataset(folder, columns=None)
    if table.num_rows == 0:
        return []
    return sorted(zip(table.column("id").to_pylist(), table.column("text").to_pylist(), strict=True))


def ledgers(folder: Path) -> list[dict]:
    """The shard ledgers of a stage folder (the final dataset keeps them in its __stage/ folder)."""
    from runfolder.reader import ledger_folder

    return [json.loads(p.read_text()) for p in sorted((Path(ledger_folder(folder.name, str(folder))) / "ledger")
                                                      .glob("*.json"))]


def assert_balanced(ledger: dict) -> None:
    dropped, failed = sum(ledger["dropped"].values()), sum(ledger["failed"].values())
    assert ledger["balanced"] is True, ledger
    assert ledger["docs_in"] == ledger["docs_out"] + dropped + failed, ledger
    assert (ledger["docs_dropped"], ledger["docs_failed"]) == (dropped, failed), ledger
