"""ocr: pipeline steps. Routed PDFs -> documents (text, page_ends, failed_pages, extractor).

Two shapes, one output:
- CPU engines (RapidOCR, Tesseract): ``CpuOcr`` streams documents through a page pool (render + OCR per page in
  bounded workers), a window of pages in flight across documents, documents yielded in input order.
- RolmOCR: ``NumberDocuments`` -> ``RolmOcrRunner`` (datatrove's InferenceRunner; writes finished documents
  to a checkpointed work folder) -> ``ReadOcrResults`` (reads them back in input order) -> ShardWriter ->
  ``CleanupOcrWork`` (the work folder of a published shard is deleted).
"""

from __future__ import annotations

import shutil
import tempfile
from collections import deque
from dataclasses import dataclass, field

import orjson
from datatrove.data import Document, DocumentsPipeline
from datatrove.io import get_datafolder
from datatrove.pipeline.base import PipelineStep

from shared.isolation import WorkerPool
from shared.ledger import is_live, mark_failed
from shared.pdf_bytes import pdf_bytes
from stages.ocr.cpu_engine import CpuOcrSettings, PageOcr, check_engine, cpu_work, init_cpu_worker
from stages.ocr.document import (
    OCR,
    STAGE,
    PageResult,
    extractor_name,
    finish_document,
    judge_confidence,
    known_page_count,
    plan_pages,
)
from stages.ocr.render import SpilledPdf
from stages.ocr.rolmocr import PAGE_ERRORS, SEQ_KEY, page_error_reason


@dataclass
class _Pending:
    doc: Document
    plan: list[tuple[int, str]] = field(default_factory=list)
    futures: list = field(default_factory=list)
    spilled: SpilledPdf | None = None


class CpuOcr(PipelineStep):
    """OCR with a CPU engine. Pages of several documents are in flight at once (``window``) so the workers stay
    busy across document boundaries; a page that fails becomes a failed page, a PDF that cannot be opened (or
    whose every page failed) an error row. A page whose OCR confidence is under its engine's floor
    (``min_confidence``) is a failed page (``low_confidence``). Stats per engine and detected script: pages and
    the page workers' CPU seconds. ``page_log``: a folder that gets one JSON line per OCR'd page (document,
    page, engine, script, orientation, confidence, CPU seconds), for evaluation and debugging."""

    name = "🔎 CPU OCR"
    type = "🔨 - EXTRACTOR"

    def __init__(
        self,
        settings: CpuOcrSettings,
        workers: int,
        page_timeout_s: float,
        max_memory_mb: int,
        max_pages: int,
        min_confidence: dict[str, float],
        window_pages: int | None = None,
        page_log: str | None = None,
    ):
        super().__init__()
        self.settings = settings
        self.workers = workers
        self.page_timeout_s = page_timeout_s
        self.max_memory_mb = max_memory_mb
        self.max_pages = max_pages
        self.window_pages = window_pages or 4 * workers
        self.min_confidence = dict(min_confidence)
        self.page_log = page_log
        self._log = None

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        check_engine(self.settings)
        if self.page_log:
            folder = get_datafolder(self.page_log)
            self._log = folder.open(f"{rank:05d}.jsonl", "wt")
        with (
            tempfile.TemporaryDirectory(prefix="finepdfs-ocr-") as spill_dir,
            WorkerPool(init_cpu_worker, self.settings, cpu_work, workers=self.workers,
                     timeout_s=self.page_timeout_s, max_memory_mb=self.max_memory_mb) as pool,
        ):
            pending: deque[_Pending] = deque()
            for doc in data:
                pending.append(self._start(doc, pool, spill_dir))
                while sum(len(p.futures) for p in pending) > self.window_pages:
                    yield self._finish(pending.popleft())
            while pending:
                yield self._finish(pending.popleft())
            self.stat_update("lost_page_workers", value=pool.lost_workers)
        if self._log is not None:
            self._log.close()
            self._log = None

    def _start(self, doc: Document, pool: WorkerPool, spill_dir: str) -> _Pending:
        pending = _Pending(doc)
        if not is_live(doc):
            return pending
        try:
            pending.spilled = SpilledPdf(pdf_bytes(doc), spill_dir)
            doc.media = []
            num_pages = known_page_count(doc) or pool.submit(("count", pending.spilled.path)).result()
            pending.plan = plan_pages(doc, num_pages, self.max_pages)
        except Exception as error:  # noqa: BLE001 - one bad PDF is one error row (its declared error)
            mark_failed(doc, STAGE, error)
        if not is_live(doc):
            self._cleanup(pending)
            self.stat_update("failed_documents")
            return pending
        pending.futures = [pool.submit((mode, pending.spilled.path, i)) for i, mode in pending.plan]
        return pending

    def _finish(self, pending: _Pending) -> Document:
        doc = pending.doc
        if not pending.futures:
            return doc
        with self.track_time():
            results = []
            for (index, mode), future in zip(pending.plan, pending.futures, strict=True):
                try:
                    value = future.result()
                except PAGE_ERRORS as error:
                    results.append(PageResult.failed(page_error_reason(error, "ocr" if mode == OCR else "text")))
                    continue
                if isinstance(value, PageOcr):
                    self._page_stats(doc, index, value)
                    value = judge_confidence(PageResult(value.text, None, value.confidence, value.engine,
                                                        value.furniture_chars, value.lines), self.min_confidence)
                else:
                    if mode == OCR:  # the safety net kept the page's own text layer over a poor read
                        self.stat_update("ocr_pages_kept_text_layer")
                    value = PageResult(value)
                results.append(value)
            self._cleanup(pending)
            reasons = finish_document(doc, results, extractor_name(results, self.settings.engine))
        self.stat_update("pages", value=len(results))
        for reason, count in reasons.items():
            self.stat_update("failed_pages", reason, value=count)
        if not is_live(doc):
            self.stat_update("failed_documents")
        return doc

    def _page_stats(self, doc: Document, index: int, page: PageOcr) -> None:
        self.stat_update(f"ocr_pages/{page.engine}/{page.script or 'undetected'}")
        self.stat_update(f"ocr_cpu_s/{page.engine}", value=page.cpu_s, unit="page")
        self.stat_update("furniture_chars", value=page.furniture_chars)
        if page.orientation:
            self.stat_update(f"turned_pages/{page.orientation}")
        if page.plain_read:
            self.stat_update("ocr_pages_plain_read")
        if self._log is not None:
            self._log.write(orjson.dumps({
                "id": doc.id, "page": index, "engine": page.engine, "model": page.read_with, "script": page.script,
                "orientation": page.orientation, "confidence": page.confidence, "cpu_s": page.cpu_s,
                "furniture_chars": page.furniture_chars, "ink_covered": page.ink_covered, "plain_read": page.plain_read,
            }).decode() + "\n")

    @staticmethod
    def _cleanup(pending: _Pending) -> None:
        if pending.spilled is not None:
            pending.spilled.remove()
            pending.spilled = None


class NumberDocuments(PipelineStep):
    """Stamps each document with its input position, so results written out of order can be put back."""

    name = "🔢 number documents"
    type = "🔧 - PROCESS"

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for seq, doc in enumerate(data):
            doc.metadata[SEQ_KEY] = seq
            yield doc


def _chunk_index(name: str) -> int:
    return int(name.rsplit("_chunk_", 1)[1].split(".", 1)[0])


class ReadOcrResults(PipelineStep):
    """Reads the RolmOCR runner's finished documents of this rank back, in input order."""

    name = "📥 OCR results"
    type = "📖 - READER"

    def __init__(self, work_dir: str):
        super().__init__()
        self.work_dir = work_dir

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data:
            yield from data
        folder = get_datafolder(f"{self.work_dir}/results")
        if not folder.isdir(""):
            return
        names = sorted(folder.list_files(glob_pattern=f"{rank:05d}_chunk_*.jsonl"), key=_chunk_index)
        for name in names:  # chunks hold consecutive input ranges: sorting within each restores the order
            with folder.open(name, "rb") as f:
                rows = [orjson.loads(line) for line in f if line.strip()]
            rows.sort(key=lambda row: row["metadata"].get(SEQ_KEY, 0))
            for row in rows:
                row["metadata"].pop(SEQ_KEY, None)
                self.stat_update("documents")
                yield Document(text=row.get("text") or "", id=row["id"], metadata=row["metadata"])


class CleanupOcrWork(PipelineStep):
    """After the ShardWriter published the shard: remove this rank's results, checkpoints and request cache."""

    name = "🧹 OCR work cleanup"
    type = "🧹 - CLEANUP"

    def __init__(self, work_dir: str):
        super().__init__()
        self.work_dir = work_dir

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data:
            yield from data
        folder = get_datafolder(self.work_dir)
        for path in folder.list_files("results", glob_pattern=f"{rank:05d}_chunk_*.jsonl") \
                if folder.isdir("results") else []:
            folder.rm(path)
        if folder.isfile(f"checkpoints/last_chunk/{rank:05d}.txt"):
            folder.rm(f"checkpoints/last_chunk/{rank:05d}.txt")
        if folder.isdir(f"checkpoints/{rank:05d}"):
            shutil.rmtree(folder.resolve_paths(f"checkpoints/{rank:05d}"), ignore_errors=True)
