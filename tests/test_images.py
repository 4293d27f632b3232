"""Each stage image, started with testcontainers on a tiny input with no network, writes the same shards and
ledger as the same stage run on the host by `finepdfs run`, as a non-root user, and exits 0; a stage given a
bad input exits non-zero.

The tiny input is a handful of the bundled samples: text PDFs in four languages, a near-duplicate pair (dedup), an
exact copy (ingest's dedup), a scanned letter (routed to OCR), a non-PDF and an encrypted PDF (error rows).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docker_support import (
    REPO,
    STAGE_IO,
    STAGES,
    assert_balanced,
    image,
    ledgers,
    require_images,
    rows,
    stage_code_exists,
)

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SAMPLES = REPO / "samples" / "pdfs"
TINY = [
    "text/bakery_fr.pdf",
    "text/bicycle_workshop_de.pdf",
    "text/lighthouse_a_en.pdf",
    "text/lighthouse_b_en.pdf",
    "text/single_page_en.pdf",
    "text/single_page_en_copy.pdf",
    "scanned/allotment_letter_en.pdf",
    "broken/not_a_pdf.pdf",
    "broken/encrypted.pdf",
]
STAGE_TIMEOUT_S = 600


def run_image(stage: str, args: list[str], mounts: list[tuple[Path, str, str]]) -> tuple[int, str]:
    """Start the stage image (its entrypoint is `finepdfs <stage>`), wait for it to exit: (exit code, logs)."""
    from testcontainers.core.container import DockerContainer

    container = DockerContainer(image(stage)).with_command(args).with_kwargs(network_mode="none")
    for host, path, mode in mounts:
        container = container.with_volume_mapping(host, path, mode)
    container.start()
    try:
        status = container.get_wrapped_container().wait(timeout=STAGE_TIMEOUT_S)
        stdout, stderr = container.get_logs()
    finally:
        container.stop()
    return status["StatusCode"], (stdout + stderr).decode(errors="replace")


def writable_dir(path: Path) -> Path:
    """An output folder the images' non-root user can write into (the test may run as root)."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o777)
    return path


@pytest.fixture(scope="module")
def host_run(tmp_path_factory) -> tuple[Path, Path]:
    """(tiny input folder, its `finepdfs run` folder on the host): every stage's input and expected output."""
    require_images()
    root = tmp_path_factory.mktemp("images")
    pdfs = root / "pdfs"
    for rel in TINY:
        (pdfs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / rel, pdfs / rel)
    out = root / "host"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "stages.cli", "run", "--input", str(pdfs), "--output", str(out)],
                            cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    return pdfs, out


def test_images_run_as_non_root_with_labels():
    require_images()
    import docker

    client = docker.from_env()
    for stage in [s for s in STAGES if stage_code_exists(s)]:
        config = client.images.get(image(stage)).attrs["Config"]
        assert config["User"] and not config["User"].startswith(("0", "root")), (stage, config["User"])
        assert config["Entrypoint"] == ["finepdfs-stage"] and f"FINEPDFS_STAGE={stage}" in config["Env"]
        labels = config["Labels"]
        assert labels["org.opencontainers.image.version"] != "0.0.0", (stage, labels)
        assert len(labels["org.opencontainers.image.revision"].split("-")[0]) == 40, (stage, labels)


@pytest.mark.parametrize("stage", STAGES)
def test_stage_image_matches_host_run(stage, host_run, tmp_path):
    if not stage_code_exists(stage):
        pytest.skip(f"stage {stage} has no code yet")
    pdfs, host = host_run
    inputs, output = STAGE_IO[stage]
    if any(not (host / i).is_dir() for i in inputs):
        pytest.skip(f"`finepdfs run` wrote no {inputs} here: nothing to compare {stage} with")
    out = writable_dir(tmp_path / "out")
    mounts, run = [(pdfs, "/input", "ro"), (host, "/run", "ro"), (out, "/out", "rw")], "/run"
    if stage == "stats":  # stats summarises the run folder its output is in: a writable copy of the host run
        shutil.copytree(host, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("stats"))
        subprocess.run(["chmod", "-R", "a+rwX", str(out)], check=True)
        mounts, run = [(out, "/out", "rw")], "/out"
    args = ["--input", ",".join(f"{run}/{i}" for i in inputs) or "/input", "--output", f"/out/{output}"]
    code, logs = run_image(stage, args, mounts)
    assert code == 0, logs[-4000:]

    if stage == "stats":  # the run's numbers and report, and its own ledger
        got_stats = json.loads((out / output / "stats.json").read_text())
        assert got_stats == json.loads((host / output / "stats.json").read_text())
        assert got_stats["ledger"], "stats should summarise the stages' ledgers"
        assert (out / output / "summary.md").read_text() == (host / output / "summary.md").read_text()
        assert (out / output / "report.html").is_file() and ledgers(out / output) == ledgers(host / output)
        return
    got, want = ledgers(out / output), ledgers(host / output)
    assert got, f"{stage} wrote no ledger"
    for ledger in got:
        assert_balanced(ledger)
    assert got == want
    expected = rows(host / output)
    assert rows(out / output) == expected
    if stage in ("ingest", "classify", "extract-docling", "ocr", "filter", "dedup", "tokenize"):
        assert expected, f"the tiny input should give {stage} output rows"
    # Owned by the image's non-root user, not root.
    assert all(p.stat().st_uid != 0 for p in (out / output).rglob("*.parquet"))


def test_stage_image_fails_on_a_missing_input(tmp_path):
    require_images()
    out = writable_dir(tmp_path / "out")
    code, logs = run_image("ingest", ["--input", "/no/such/folder", "--output", "/out/ingest"], [(out, "/out", "rw")])
    assert code != 0, logs[-2000:]
    assert not list((out / "ingest").glob("ledger/*.json"))
