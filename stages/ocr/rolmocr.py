"""RolmOCR (a Qwen2.5-VL-7B fine-tune; other VLMs by configuration) through an OpenAI-compatible server, on
datatrove's InferenceRunner.

- ``server_type="vllm"``: the runner launches ``vllm serve MODEL`` for the task (the Slurm case); the
  executable may live in another virtualenv or image (``vllm_executable``).
- ``server_type="endpoint"``: a server that is already running (the compose case).
- ``server_type="dummy"``: datatrove's stand-in server (fixed text), for plumbing tests only.

One request per page: the page image (FinePDFs' sizing) and the prompt (RolmOCR's by default), temperature 0,
repetition penalty 1.05, ``max_tokens`` bounded. Rendering happens in bounded worker processes just ahead of the request
slots (``prefetch_pages`` rendered pages wait at most), so the server is never starved and memory stays bounded.

Failure policy, per page: a 5xx/429, a timeout or a dropped connection is retried with exponential backoff. A
page only fails for a reason of its own: once its retries are spent the server is probed, and if the server
does not answer the task stops with a ServerError (resume redoes the page) instead of marking pages failed. A
400 fails the page at once. A blank page (too little ink, stages.ocr.render) is never sent: an empty page. An
answer is judged (stages.ocr.request.judge_answer: truncated, repeating, hallucinated, unparsable) and asked again
at the degenerate-retry temperatures before the page fails. Failed pages become FAILED_PAGE_MARKER in the text
and their indexes go to ``failed_pages``; a document over the failed-page budget is an error row.

Resume: datatrove's checkpoints keep finished documents (local JSONL chunks) and every answered request
(a SQLite cache keyed by the request payload), so a killed task redoes neither finished documents nor the
pages already answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from datatrove.data import Document
from datatrove.pipeline.inference.run_inference import InferenceConfig, InferenceRunner
from datatrove.pipeline.inference.servers import EndpointServer, InferenceServer, VLLMServer
from datatrove.pipeline.inference.types import InferenceError, ServerError
from datatrove.pipeline.writers.jsonl import JsonlWriter

from shared.isolation import WorkerPool
from shared.ledger import is_live, mark_failed
from shared.outcomes import StageError, UnexpectedError
from shared.pdf_bytes import pdf_bytes
from stages.ocr.document import (
    STAGE,
    TEXT_LAYER,
    PageResult,
    finish_document,
    keep_text_layer,
    known_page_count,
    plan_pages,
)
from stages.ocr.render import PageImage, SpilledPdf, init_render_worker, render_work
from stages.ocr.request import RolmOcrSettings, build_request, judge_answer

SEQ_KEY = "__ocr_seq"  # input order, so the shard is written in the order it was read
PAGE_ERRORS = StageError  # what a page worker raises: its declared error (shared/outcomes.py)


# --- talking to the server ------------------------------------------------------------------------------
class ServerBusy(Exception):
    """5xx or 429: worth retrying."""


class RequestTimedOut(Exception):
    """No answer within the request timeout."""


class ServerUnreachable(Exception):
    """The connection failed or dropped (server down, restarting, or died mid-request)."""


TRANSIENT = (ServerBusy, RequestTimedOut, ServerUnreachable)


class _HttpxRequests:
    """Requests over one pooled httpx client with a real timeout, errors sorted into what to retry.

    (datatrove's built-in POST opens a connection per request, has no timeout and ends the whole task on the
    first HTTP 500; a long run over millions of pages needs the distinction.) Exceptions raised here are not
    OSErrors on purpose: retries and backoff are the rollout's business (see ``_ask``)."""

    _client = None

    async def _make_request(self, payload: dict) -> dict:
        import httpx

        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.config.request_timeout, connect=30.0),
                limits=httpx.Limits(max_connections=self.config.max_concurrent_generations,
                                    max_keepalive_connections=self.config.max_concurrent_generations),
            )
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else None
        url = f"{self.get_base_url()}/v1/chat/completions"
        try:
            response = await self._client.post(url, json=payload, headers=headers)
        except httpx.TimeoutException as error:
            raise RequestTimedOut(f"no answer within {self.config.request_timeout}s") from error
        except httpx.TransportError as error:
            raise ServerUnreachable(f"{type(error).__name__}: {error}") from error
        status = response.status_code
        if status == 200:
            try:
                return response.json()
            except ValueError as error:  # a body cut short by a dying server
                raise ServerUnreachable(f"unreadable answer: {error}") from error
        body = response.text[:300]
        if status == 400:  # "BadRequestError" is what datatrove's request cache looks for
            raise InferenceError(None, f"BadRequestError (HTTP 400): {body}")
        if status == 429 or status >= 500:
            raise ServerBusy(f"HTTP {status}: {body}")
        raise InferenceError(None, f"HTTP {status}: {body}")

    async def server_cleanup(self) -> None:
        await super().server_cleanup()
        if self._client is not None:
            await self._client.aclose()
            self._client = None


@contextlib.contextmanager
def _environment(updates: dict[str, str]):
    saved = {key: os.environ.get(key) for key in updates}
    os.environ.update(updates)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class ManagedVllmServer(_HttpxRequests, VLLMServer):
    """datatrove's VLLMServer (``vllm serve``, readiness, health monitoring), with ``executable`` allowed to
    live outside this environment (a vLLM virtualenv or image) and extra environment for the server."""

    def __init__(self, config: InferenceConfig, rank: int, executable: str | None = None,
                 env: dict[str, str] | None = None):
        if executable:  # vLLM is not importable here: it is a separate program
            InferenceServer.__init__(self, config, rank)
            self._compile_lock = None
        else:
            super().__init__(config, rank)
        self.executable = executable
        self.env = {k: str(v) for k, v in (env or {}).items()}

    async def start_server(self):
        updates = dict(self.env)
        if self.executable:
            folder = os.path.dirname(os.path.abspath(self.executable))
            updates["PATH"] = f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"
        with _environment(updates):
            return await super().start_server()


class OcrEndpointServer(_HttpxRequests, EndpointServer):
    """A running OpenAI-compatible server (compose's vLLM service). Waits as long as configured for it to come
    up, instead of datatrove's 10 seconds, since a 7B model takes minutes to load."""

    def __init__(self, config: InferenceConfig, rank: int):
        InferenceServer.__init__(self, config, rank)  # no OpenAI client: httpx speaks to every endpoint
        if not config.endpoint_url:
            raise ValueError("server_type 'endpoint' needs an endpoint URL (--endpoint or $FINEPDFS_OCR_ENDPOINT)")
        self.endpoint_url = config.endpoint_url
        self.client = None

    async def _wait_until_ready(self, max_attempts: int = 0, delay_sec: float = 0) -> None:
        await InferenceServer._wait_until_ready(
            self, max_attempts=self.config.server_ready_max_attempts, delay_sec=self.config.server_ready_delay_sec
        )


# --- one document ---------------------------------------------------------------------------------------
@dataclass
class OcrContext:
    """What every document of a task shares: the render pool, the page slots, the server probe."""

    settings: RolmOcrSettings
    pool: WorkerPool
    spill_dir: str
    probe: Callable[[], Awaitable[bool]]
    stat: Callable[..., None]
    slots: asyncio.Semaphore | None = None

    async def run_page(self, payload: tuple):
        return await asyncio.wrap_future(self.pool.submit(payload))


def page_error_reason(error: StageError, where: str) -> str:
    """A failed page's reason: where it failed and the error (the wrapped exception's class for a bug)."""
    return f"{where}:{error.original if isinstance(error, UnexpectedError) else error.error_class}"


async def ocr_document(doc: Document, generate, ctx: OcrContext) -> dict:
    """The rollout: every page of ``doc`` read, the document assembled (or marked failed). Never returns None
    (datatrove would drop the document) and never raises for a bad PDF, only for a server that is gone."""
    if not is_live(doc):
        return {"skipped": True}
    try:
        return await _ocr_document(doc, generate, ctx)
    except (ServerError, asyncio.CancelledError):
        raise
    except Exception as error:  # noqa: BLE001 - one bad PDF is one error row (its declared error), the task goes on
        doc.media = []
        mark_failed(doc, STAGE, error)
    ctx.stat("failed_documents")
    return {"failed": True}


async def _ocr_document(doc: Document, generate, ctx: OcrContext) -> dict:
    spilled = await asyncio.to_thread(SpilledPdf, pdf_bytes(doc), ctx.spill_dir)  # large PDFs: off the loop
    doc.media = []  # the bytes are on disk now: do not hold them in memory while pages are read
    try:
        num_pages = known_page_count(doc) or await ctx.run_page(("count", spilled.path))
        plan = plan_pages(doc, num_pages, ctx.settings.max_pages)
        results = await asyncio.gather(*(_read_page(ctx, generate, spilled.path, i, mode) for i, mode in plan))
    finally:
        spilled.remove()
    reasons = finish_document(doc, list(results), ctx.settings.extractor, ctx.settings.max_failed_page_ratio)
    ctx.stat("pages", value=len(results))
    if not is_live(doc):
        ctx.stat("failed_documents")
    for reason, count in reasons.items():
        ctx.stat("failed_pages", reason.split(":")[0], value=count)
    return {"pages": len(results), "failed_pages": sum(reasons.values())}


async def _read_page(ctx: OcrContext, generate, path: str, index: int, mode: str) -> PageResult:
    if mode == TEXT_LAYER:
        try:
            return PageResult(await ctx.run_page(("text", path, index)))
        except PAGE_ERRORS as error:
            return PageResult.failed(page_error_reason(error, "text_layer"))
    async with ctx.slots:
        try:
            image: PageImage = await ctx.run_page(("ocr", path, index))
        except PAGE_ERRORS as error:
            return PageResult.failed(page_error_reason(error, "render"))
        if image.blank:  # no request: an empty page, not a failure (a VLM invents text for blank leaves)
            ctx.stat("blank_pages")
            return PageResult("")
        result = await _ask(ctx, generate, build_request(image.png_b64, ctx.settings), image.ink_pixels)
    return await _safety_net(ctx, result, path, index)


async def _safety_net(ctx: OcrContext, result: PageResult, path: str, index: int) -> PageResult:
    """The per-page safety net of the CPU engines, for the VLM: a page whose answer failed or holds fewer than
    ``text_layer_ocr_share`` of the letters of its own usable text layer keeps that text layer."""
    settings = ctx.settings
    if settings.text_layer_min_letters <= 0:
        return result
    try:
        layer = await ctx.run_page(("layer", path, index))
    except PAGE_ERRORS:  # a text layer that cannot be laid out is no better than the answer
        return result
    if keep_text_layer(result.text, layer, settings.text_layer_min_letters, settings.text_layer_ocr_share):
        ctx.stat("ocr_pages_kept_text_layer")
        return PageResult(layer)
    return result


async def _ask(ctx: OcrContext, generate, payload: dict, ink_pixels: int | None = None) -> PageResult:
    """The page's answer, judged (stages.ocr.request.judge_answer). A truncated, looping or hallucinated answer
    is asked again at each of ``degenerate_retry_temperatures`` before the page fails with its reason."""
    temperatures = [payload["temperature"], *ctx.settings.degenerate_retry_temperatures]
    failure = None
    for temperature in temperatures:
        if failure is not None:
            ctx.stat(f"degenerate_retries/{failure.split(':')[0]}")
        result = await _answer(ctx, generate, {**payload, "temperature": temperature})
        if isinstance(result, PageResult):  # rejected, or the server's retries spent: the same at any temperature
            return result
        text, failure = judge_answer(result.text, result.finish_reason, ink_pixels, ctx.settings)
        if failure is None:
            return PageResult(text, read_by=ctx.settings.extractor)
    return PageResult.failed(failure)


async def _answer(ctx: OcrContext, generate, payload: dict):
    """The server's answer to ``payload`` (5xx, timeouts and dropped connections retried with backoff), or a
    failed PageResult. Raises ServerError when the server stopped answering altogether."""
    settings = ctx.settings
    for attempt in range(settings.retries + 1):
        try:
            return await generate(dict(payload))
        except InferenceError as error:
            cause = error.__cause__
            if not isinstance(cause, TRANSIENT):  # 400 and the like: this page, every time
                return PageResult.failed(f"rejected:{str(error.error)[:200]}")
            ctx.stat("request_retries", type(cause).__name__)
            if attempt < settings.retries:
                await asyncio.sleep(settings.backoff_s * 2**attempt * (0.5 + random.random()))
                continue
            if not await ctx.probe():
                raise ServerError(f"the server stopped answering ({type(cause).__name__}: {cause})") from cause
            return PageResult.failed(f"{type(cause).__name__}:{cause}"[:200])
    raise AssertionError("unreachable")


# --- the datatrove step ---------------------------------------------------------------------------------
def _result_adapter(self, doc: Document) -> dict:
    return {"id": doc.id, "text": doc.text, "metadata": doc.metadata}


class RolmOcrRunner(InferenceRunner):
    """datatrove's InferenceRunner with our servers, our rollout (``ocr_document``) and a page pool.

    It consumes the stream and writes finished documents to ``work_dir/results`` (JSONL chunks, checkpointed in
    ``work_dir/checkpoints``); stages.ocr.steps.ReadOcrResults reads them back, in input order, for the
    ShardWriter."""

    name = "🔭 RolmOCR"

    def __init__(
        self,
        config: InferenceConfig,
        settings: RolmOcrSettings,
        work_dir: str,
        render_workers: int,
        page_timeout_s: float,
        max_memory_mb: int,
        vllm_executable: str | None,
        vllm_env: dict[str, str] | None,
        records_per_chunk: int,
    ):
        writer = JsonlWriter(f"{work_dir}/results", output_filename="${rank}_chunk_${chunk_index}.jsonl",
                             compression=None, adapter=_result_adapter)
        super().__init__(
            rollout_fn=ocr_document,
            config=config,
            output_writer=writer,
            shared_context=self._task_context,
            checkpoints_local_dir=f"{work_dir}/checkpoints",
            records_per_chunk=records_per_chunk,
        )
        self.settings = settings
        self.work_dir = work_dir
        self.render_workers = render_workers
        self.page_timeout_s = page_timeout_s
        self.max_memory_mb = max_memory_mb
        self.vllm_executable = vllm_executable
        self.vllm_env = vllm_env
        self._server: InferenceServer | None = None

    def _init_server(self, rank: int) -> InferenceServer:
        stype = self.config.server_type
        if stype == "vllm":
            self._server = ManagedVllmServer(self.config, rank, self.vllm_executable, self.vllm_env)
        elif stype == "endpoint":
            self._server = OcrEndpointServer(self.config, rank)
        else:
            self._server = super()._init_server(rank)
        return self._server

    async def _probe_server(self) -> bool:
        return self._server is not None and await self._server.is_ready()

    @contextlib.contextmanager
    def _task_context(self):
        with (
            tempfile.TemporaryDirectory(prefix="finepdfs-ocr-") as spill_dir,
            WorkerPool(init_render_worker, self.settings.spec, render_work, workers=self.render_workers,
                     timeout_s=self.page_timeout_s, max_memory_mb=self.max_memory_mb) as pool,
        ):
            ctx = OcrContext(self.settings, pool, spill_dir, self._probe_server, self.stat_update,
                             slots=asyncio.Semaphore(self.config.max_concurrent_generations
                                                     + self.settings.prefetch_pages))
            yield {"ctx": ctx}
            self.stat_update("lost_page_workers", value=pool.lost_workers)
