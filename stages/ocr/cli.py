"""`finepdfs ocr`: routed OCR PDFs -> documents, with RolmOCR (vLLM) or a CPU engine."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from shared.cli import (
    ConfigOpt,
    InputOpt,
    LoggingDirOpt,
    OutputOpt,
    RankOpt,
    StageOptions,
    TasksOpt,
    WorkersOpt,
    run_stage,
)
from shared.config import models_dir, stage_config

STAGE = "ocr"
ENGINES = ("auto", "rolmocr", "cpu", "rapidocr", "tesseract")
CPU_ENGINES = ("cpu", "rapidocr", "tesseract")
SERVERS = ("auto", "vllm", "endpoint", "dummy")


@dataclass(frozen=True)
class EngineChoice:
    engine: str  # rolmocr | cpu | rapidocr | tesseract
    server: str | None = None  # vllm | endpoint | dummy (rolmocr only)
    model: str | None = None
    why: str = ""


def find_vllm(configured: str | None) -> str | None:
    """The vLLM executable: configured path, else ``vllm`` on PATH (an image or venv that has it)."""
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    return shutil.which("vllm")


def resolve_model(model: str, models: Path) -> str | None:
    """A local model folder for ``model``: a path as given, or models_dir/<model> (e.g. models/reducto/RolmOCR)."""
    for candidate in (Path(model), models / model):
        if (candidate / "config.json").is_file():
            return str(candidate.resolve())
    return None


def choose_engine(engine: str, server: str, endpoint: str | None, model: str, models: Path,
                  vllm: str | None) -> EngineChoice:
    """Which engine runs. ``auto``: RolmOCR when an endpoint is configured, or when vLLM and the model's weights
    are both here; otherwise ``cpu`` (the best CPU engine per page's script). Asking for RolmOCR without what it
    needs is an error, not a silent fallback."""
    if engine in CPU_ENGINES:
        return EngineChoice(engine, why="asked for")
    if server == "dummy":
        return EngineChoice("rolmocr", "dummy", model, "datatrove's dummy server (fixed text; plumbing only)")
    if endpoint and server in ("auto", "endpoint"):
        return EngineChoice("rolmocr", "endpoint", model, f"endpoint {endpoint}")
    local = resolve_model(model, models)
    if server in ("auto", "vllm") and local and vllm:
        return EngineChoice("rolmocr", "vllm", local, f"vLLM ({vllm}) serving {local}")
    if engine == "auto":
        missing = "no OCR endpoint configured" + ("" if vllm else ", no vllm executable") + (
            "" if local else f", no weights for {model} under {models}")
        return EngineChoice("cpu", why=f"CPU default: per-script engine ({missing})")
    if server == "endpoint":
        raise typer.BadParameter("--server endpoint needs --endpoint URL (or $FINEPDFS_OCR_ENDPOINT)")
    if not local:
        raise typer.BadParameter(
            f"RolmOCR weights not found: {model!r} is neither a model folder nor under {models}. Fetch them with "
            "`just models` (or point --model at a local copy), give --endpoint, or use --engine rapidocr."
        )
    raise typer.BadParameter(
        "RolmOCR needs vLLM: no `vllm` executable here (set [ocr] vllm_executable / --vllm, use the GPU image, "
        "or give --endpoint)."
    )


def default_work_dir(output: str) -> str:
    """Checkpoints must be local: beside a local output, else under the temp folder (keyed by the output)."""
    if "://" not in output or output.startswith("file://"):
        return f"{output.removeprefix('file://').rstrip('/')}/_ocr_work"
    key = hashlib.sha256(output.encode()).hexdigest()[:16]
    return os.path.join(tempfile.gettempdir(), "finepdfs-ocr-work", key)


def command(
    input: InputOpt,
    output: OutputOpt,
    tasks: TasksOpt = None,
    rank: RankOpt = None,
    workers: WorkersOpt = 1,
    logging_dir: LoggingDirOpt = None,
    config: ConfigOpt = None,
    engine: Annotated[str | None, typer.Option(help=f"One of {', '.join(ENGINES)}. auto: RolmOCR when an endpoint "
                                               "or vLLM + weights are here, else cpu (per page: script detected, "
                                               "the best CPU engine for it).")] = None,
    server: Annotated[str | None, typer.Option(help=f"RolmOCR server: {', '.join(SERVERS)}.")] = None,
    endpoint: Annotated[str | None, typer.Option(help="A running OpenAI-compatible server, e.g. "
                                                 "http://vllm:8000 ($FINEPDFS_OCR_ENDPOINT).")] = None,
    model: Annotated[str | None, typer.Option(help="Model name (endpoint) or folder (vLLM; also looked up "
                                              "under the models dir).")] = None,
    vllm: Annotated[str | None, typer.Option(help="The vllm executable (default: `vllm` on PATH).")] = None,
    concurrency: Annotated[int | None, typer.Option(help="RolmOCR requests in flight per task.")] = None,
    render_workers: Annotated[int | None, typer.Option(help="Page worker processes per task (render, and "
                                                       "OCR for the CPU engines).")] = None,
    max_pages: Annotated[int | None, typer.Option(help="PDFs with more pages become error rows.")] = None,
    max_tokens: Annotated[int | None, typer.Option(help="RolmOCR answer bound per page (tokens).")] = None,
    page_timeout: Annotated[float | None, typer.Option(help="Seconds per page in a worker (render/OCR).")] = None,
    work_dir: Annotated[str | None, typer.Option(help="Local folder for RolmOCR checkpoints and results "
                                                 "(default OUTPUT/_ocr_work).")] = None,
) -> None:
    """OCR the PDFs that classify routed to OCR: page images at FinePDFs' size to RolmOCR (vLLM), or to a CPU
    engine where no vLLM is configured (cpu: per page script and orientation detected, then Tesseract or
    RapidOCR, whichever reads that script best; or rapidocr / tesseract alone). Writes documents with text, page_ends,
    failed_pages (pages that could not be read hold a marker) and the engine in `extractor`."""
    from datatrove.utils.logging import logger

    from shared import schemas
    from shared.shards import ShardReader, ShardWriter

    cfg = stage_config(STAGE, config)
    engine = engine or cfg["engine"]
    server = server or cfg.get("server", "auto")
    if engine not in ENGINES:
        raise typer.BadParameter(f"--engine must be one of {ENGINES}")
    if server not in SERVERS:
        raise typer.BadParameter(f"--server must be one of {SERVERS}")
    endpoint = (endpoint or os.environ.get("FINEPDFS_OCR_ENDPOINT") or cfg.get("endpoint") or "").rstrip("/")
    endpoint = endpoint.removesuffix("/v1")
    choice = choose_engine(engine, server, endpoint, model or cfg["model"], models_dir(config),
                           find_vllm(vllm or cfg.get("vllm_executable")))
    logger.info(f"ocr engine: {choice.engine} ({choice.why})")
    opts = StageOptions(STAGE, input, output, tasks, rank, workers, logging_dir, config)
    max_pages = max_pages or cfg["max_pages"]
    render_workers = render_workers or cfg["render_workers"]
    page_timeout = page_timeout or cfg["page_timeout_s"]
    spec = _render_spec(cfg)

    if choice.engine != "rolmocr":
        from stages.ocr.cpu_engine import check_engine, cpu_settings
        from stages.ocr.steps import CpuOcr

        settings = cpu_settings(choice.engine, cfg, spec)
        check_engine(settings)

        def build(ledger):
            return [
                ShardReader(input, schemas.ROUTED_PDFS, ledger),
                CpuOcr(settings, workers=render_workers, page_timeout_s=page_timeout,
                       max_memory_mb=cfg["max_memory_mb"], max_pages=max_pages,
                       min_confidence=dict(cfg.get("min_confidence") or {}), page_log=cfg.get("page_log") or None),
                ShardWriter(output, schemas.DOCUMENTS, STAGE, ledger),
            ]

        raise typer.Exit(run_stage(opts, build))

    from datatrove.pipeline.inference.run_inference import InferenceConfig

    from stages.ocr.request import RolmOcrSettings
    from stages.ocr.rolmocr import RolmOcrRunner
    from stages.ocr.steps import CleanupOcrWork, NumberDocuments, ReadOcrResults

    concurrency = concurrency or cfg["concurrency"]
    work = work_dir or cfg.get("work_dir") or default_work_dir(output)
    settings = RolmOcrSettings(
        spec=spec, max_tokens=max_tokens or cfg["max_tokens"], temperature=cfg["temperature"],
        repetition_penalty=cfg["repetition_penalty"], retries=cfg["retries"], backoff_s=cfg["backoff_s"],
        check_repetition=cfg["check_repetition"], truncated_is_failure=cfg["truncated_is_failure"],
        max_pages=max_pages, prefetch_pages=cfg.get("prefetch_pages") or 2 * render_workers,
    )
    if settings.max_tokens + cfg["max_image_tokens"] + 64 > cfg["max_model_len"]:
        raise typer.BadParameter(
            f"max_tokens {settings.max_tokens} + up to {cfg['max_image_tokens']} image tokens + the prompt do not fit "
            f"in max_model_len {cfg['max_model_len']}: the server would refuse the largest pages"
        )
    if choice.server == "vllm" and workers > 1:
        logger.warning(f"--workers {workers} with --server vllm starts {workers} vLLM servers on this machine: "
                       "use one task per GPU")
    ready_delay = 5.0
    inference = InferenceConfig(
        server_type=choice.server,
        model_name_or_path=choice.model,
        model_max_context=cfg["max_model_len"],
        endpoint_url=endpoint or None,
        api_key=os.environ.get("FINEPDFS_OCR_API_KEY"),
        max_concurrent_generations=concurrency,
        max_concurrent_documents=concurrency,
        request_timeout=cfg["request_timeout_s"],
        model_kwargs=dict(cfg.get("vllm_args") or {}),
        server_log_folder=f"{opts.logs}/server",
        metric_interval=cfg["metric_interval_s"],
        server_ready_max_attempts=max(1, int(cfg["server_ready_timeout_s"] / ready_delay)),
        server_ready_delay_sec=ready_delay,
        server_start_timeout_sec=cfg["server_start_timeout_s"],
    )
    vllm_executable = find_vllm(vllm or cfg.get("vllm_executable")) if choice.server == "vllm" else None

    def build(ledger):
        return [
            ShardReader(input, schemas.ROUTED_PDFS, ledger),
            NumberDocuments(),
            RolmOcrRunner(inference, settings, work, render_workers=render_workers, page_timeout_s=page_timeout,
                          max_memory_mb=cfg["max_memory_mb"], vllm_executable=vllm_executable,
                          vllm_env=cfg.get("vllm_env"), records_per_chunk=cfg["records_per_chunk"]),
            ReadOcrResults(work),
            ShardWriter(output, schemas.DOCUMENTS, STAGE, ledger),
            CleanupOcrWork(work),
        ]

    raise typer.Exit(run_stage(opts, build))


def _render_spec(cfg: dict):
    from stages.ocr.render import PATCH, RenderSpec

    return RenderSpec(
        longest_side=cfg["longest_side"],
        min_pixels=cfg["min_image_tokens"] * PATCH * PATCH,
        max_pixels=cfg["max_image_tokens"] * PATCH * PATCH,
    )


def run_command(args: list[str]) -> int:
    """`finepdfs ocr ARGS` in this process (tests, evaluation, GPU check); its exit code."""
    from typer.main import get_command

    app = typer.Typer(add_completion=False)
    app.command()(command)
    try:  # click returns the code of a typer.Exit when not standalone
        return get_command(app).main(args=list(args), prog_name="finepdfs ocr", standalone_mode=False) or 0
    except typer.Exit as exit_:
        return exit_.exit_code
