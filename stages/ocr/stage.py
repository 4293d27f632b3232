"""OCR the PDFs that classify routed to OCR: page images at FinePDFs' size to RolmOCR (vLLM), or a CPU engine
where no vLLM is configured (cpu: per page the script and orientation are detected and the engine that reads
that script best reads it; or rapidocr / tesseract alone). Writes documents with text, page_ends, failed_pages
(pages that could not be read hold a marker) and the engine in `extractor`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

ENGINES = ("auto", "rolmocr", "cpu", "rapidocr", "tesseract")
CPU_ENGINES = ("cpu", "rapidocr", "tesseract")
SERVERS = ("auto", "vllm", "endpoint", "dummy")
READING_ORDERS = ("columns", "rows", "engine", "engine-body")  # CPU engines' line orders (cpu_engine.ordered_text)
CHOICES = {"engine": ENGINES, "server": SERVERS, "reading_order": READING_ORDERS,
           "cpu_default_engine": ("tesseract", "rapidocr")}
# settings that change how fast or where, not what: a rerun may change them
RUNTIME_SETTINGS = ("render_workers", "cpu_threads", "concurrency", "records_per_chunk", "work_dir",
                    "metric_interval_s", "server_start_timeout_s", "server_ready_timeout_s", "prefetch_pages",
                    "vllm_args", "vllm_env", "vllm_executable", "endpoint", "server", "page_log")


class EngineUnavailable(ValueError):
    """What the configured engine needs is not here."""


@dataclass(frozen=True)
class EngineChoice:
    engine: str  # rolmocr | cpu | rapidocr | tesseract
    server: str | None  # vllm | endpoint | dummy (rolmocr only)
    model: str | None
    why: str


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
        return EngineChoice(engine, None, None, "asked for")
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
        return EngineChoice("cpu", None, None, f"CPU default: the engine per page's script ({missing})")
    if server == "endpoint":
        raise EngineUnavailable("--server endpoint needs --endpoint URL (or $FINEPDFS_OCR_ENDPOINT)")
    if not local:
        raise EngineUnavailable(
            f"RolmOCR weights not found: {model!r} is neither a model folder nor under {models}. Fetch them with "
            "`just models` (or point --model at a local copy), give --endpoint, or use --engine rapidocr."
        )
    raise EngineUnavailable(
        "RolmOCR needs vLLM: no `vllm` executable here (set [ocr] vllm_executable / --vllm, use the GPU image, "
        "or give --endpoint)."
    )


def default_work_dir(output: str) -> str:
    """Checkpoints must be local: beside a local output, else under the temp folder (keyed by the output)."""
    if "://" not in output or output.startswith("file://"):
        return f"{output.removeprefix('file://').rstrip('/')}/_ocr_work"
    key = hashlib.sha256(output.encode()).hexdigest()[:16]
    return os.path.join(tempfile.gettempdir(), "finepdfs-ocr-work", key)


def build(run):
    from datatrove.utils.logging import logger

    from shared.cli import UsageError

    settings = run.settings
    endpoint = settings["endpoint"].rstrip("/").removesuffix("/v1")  # also $FINEPDFS_OCR_ENDPOINT (its flag)
    vllm = find_vllm(settings["vllm_executable"])
    try:
        choice = choose_engine(settings["engine"], settings["server"], endpoint, settings["model"], run.models_dir,
                               vllm)
    except EngineUnavailable as error:
        raise UsageError(f"ocr: {error}") from None
    logger.info(f"ocr engine: {choice.engine} ({choice.why})")
    spec = render_spec(settings)
    if choice.engine != "rolmocr":
        from stages.ocr.cpu_engine import EngineUnavailable as CpuEngineMissing
        from stages.ocr.cpu_engine import check_engine, cpu_settings
        from stages.ocr.steps import CpuOcr

        cpu = cpu_settings(choice.engine, settings, spec)
        try:
            check_engine(cpu)
        except (CpuEngineMissing, ValueError) as error:
            raise UsageError(f"ocr: {error}") from None
        return [
            run.reader(),
            CpuOcr(cpu, workers=settings["render_workers"], page_timeout_s=settings["page_timeout_s"],
                   max_memory_mb=settings["max_memory_mb"], max_pages=settings["max_pages"],
                   min_confidence=dict(settings["min_confidence"]), page_log=settings["page_log"] or None),
            run.writer(),
        ]
    return rolmocr_steps(run, choice, spec, endpoint, vllm)


def rolmocr_steps(run, choice: EngineChoice, spec, endpoint: str, vllm: str | None) -> list:
    from datatrove.pipeline.inference.run_inference import InferenceConfig
    from datatrove.utils.logging import logger

    from shared.cli import UsageError
    from stages.ocr.request import RolmOcrSettings
    from stages.ocr.rolmocr import RolmOcrRunner
    from stages.ocr.steps import CleanupOcrWork, NumberDocuments, ReadOcrResults

    settings = run.settings
    work = settings["work_dir"] or default_work_dir(run.output)
    rolm = RolmOcrSettings.from_settings(settings, spec)
    if rolm.max_tokens + settings["max_image_tokens"] + 64 > settings["max_model_len"]:
        raise UsageError(
            f"ocr: max_tokens {rolm.max_tokens} + up to {settings['max_image_tokens']} image tokens + the prompt do "
            f"not fit in max_model_len {settings['max_model_len']}: the server would refuse the largest pages"
        )
    if choice.server == "vllm" and run.workers > 1:
        logger.warning(f"--workers {run.workers} with --server vllm starts {run.workers} vLLM servers on this "
                       "machine: use one task per GPU")
    ready_delay = 5.0
    inference = InferenceConfig(
        server_type=choice.server,
        model_name_or_path=choice.model,
        model_max_context=settings["max_model_len"],
        endpoint_url=endpoint or None,
        api_key=os.environ.get("FINEPDFS_OCR_API_KEY"),
        max_concurrent_generations=settings["concurrency"],
        max_concurrent_documents=settings["concurrency"],
        request_timeout=settings["request_timeout_s"],
        model_kwargs=dict(settings["vllm_args"]),
        server_log_folder=f"{run.logs}/server",
        metric_interval=settings["metric_interval_s"],
        server_ready_max_attempts=max(1, int(settings["server_ready_timeout_s"] / ready_delay)),
        server_ready_delay_sec=ready_delay,
        server_start_timeout_sec=settings["server_start_timeout_s"],
    )
    return [
        run.reader(),
        NumberDocuments(),
        RolmOcrRunner(inference, rolm, work, render_workers=settings["render_workers"],
                      page_timeout_s=settings["page_timeout_s"], max_memory_mb=settings["max_memory_mb"],
                      vllm_executable=vllm if choice.server == "vllm" else None,
                      vllm_env=dict(settings["vllm_env"]), records_per_chunk=settings["records_per_chunk"]),
        ReadOcrResults(work),
        run.writer(),
        CleanupOcrWork(work),
    ]


def render_spec(settings):
    from stages.ocr.render import PATCH, RenderSpec

    return RenderSpec(
        longest_side=settings["longest_side"],
        min_pixels=settings["min_image_tokens"] * PATCH * PATCH,
        max_pixels=settings["max_image_tokens"] * PATCH * PATCH,
    )
