"""Base pipeline steps that keep the ledger honest: per-document error capture, the bounded per-document worker
loop, and filters that mark drops."""

from __future__ import annotations

from dataclasses import dataclass

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from shared.isolation import BoundedWorker, kept_worker
from shared.ledger import ERROR_CLASS_KEY, is_live, mark_dropped, mark_failed
from shared.outcomes import StageError, WorkerTimeout


class DocumentStep(PipelineStep):
    """A step that transforms one live document at a time.

    Subclasses implement ``process(doc)`` (mutate in place; may call mark_dropped/mark_failed). An exception
    becomes an error row for that document, never a crashed shard. Dropped or failed documents pass through
    untouched so that the ShardWriter can count them.
    """

    stage: str = "unknown"
    type = "🔧 - PROCESS"

    def process(self, doc: Document) -> None:
        raise NotImplementedError

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            if is_live(doc):
                with self.track_time():
                    try:
                        self.process(doc)
                    except Exception as error:  # noqa: BLE001 - one bad PDF must not end the shard
                        mark_failed(doc, self.stage, error)
                        self.stat_update("failed")
            yield doc


class DropUnless(PipelineStep):
    """Runs a datatrove filter (``BaseFilter.filter``) and marks the documents it rejects as dropped.

    datatrove's own filters remove rejected documents from the stream; this wrapper keeps them in it so the
    ledger counts every drop with its reason.
    """

    type = "🔻 - FILTER"

    def __init__(self, datatrove_filter, stage: str, default_reason: str | None = None):
        self.datatrove_filter = datatrove_filter
        self.stage = stage
        self.default_reason = default_reason or getattr(datatrove_filter, "name", type(datatrove_filter).__name__)
        self.name = f"drop unless {self.default_reason}"
        super().__init__()  # after the name: datatrove names the step's stats (and the report's rows) from it

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            if is_live(doc):
                with self.track_time():
                    try:
                        verdict = self.datatrove_filter.filter(doc)
                    except Exception as error:  # noqa: BLE001
                        mark_failed(doc, self.stage, error)
                        yield doc
                        continue
                    keep, reason = verdict if isinstance(verdict, tuple) else (verdict, None)
                    if not keep:
                        mark_dropped(doc, self.stage, reason or self.default_reason)
                        self.stat_update("dropped", reason or self.default_reason)
            yield doc


@dataclass(frozen=True)
class WorkerLimits:
    """What bounds one document in a worker process: a hostile PDF costs an error row, not the task."""

    document_timeout_s: float  # the worker is killed after this (WorkerTimeout)
    max_memory_mb: int  # address-space cap of the worker (0 = none)
    recycle_after: int  # a fresh worker every N documents


class WorkerDocumentStep(PipelineStep):
    """The bounded per-document loop: each live document's payload goes to a kept BoundedWorker
    (shared/isolation.py); a timeout, a crash or a declared error there is that document's error row.

    Subclasses give ``worker_functions()`` -> (init, init_arg, work), ``payload(doc)`` and ``apply(doc, result)``.
    """

    type = "🔧 - PROCESS"
    stage: str = "unknown"
    engine: str = "the worker"  # named in the timeout message

    def __init__(self, limits: WorkerLimits):
        super().__init__()
        self.limits = limits

    def worker_functions(self) -> tuple:
        raise NotImplementedError

    def timeout_s(self) -> float:
        return self.limits.document_timeout_s

    def payload(self, doc: Document):
        raise NotImplementedError

    def apply(self, doc: Document, result) -> None:
        raise NotImplementedError

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        init, init_arg, work = self.worker_functions()
        # kept for the next task of this process: a local run of N tasks starts the worker once, not N times
        worker = kept_worker(init, init_arg, work, timeout_s=self.timeout_s(), max_memory_mb=self.limits.max_memory_mb,
                             max_tasks_per_child=self.limits.recycle_after)
        restarts = worker.restarts
        for doc in data:
            if is_live(doc):
                with self.track_time():
                    self._process(worker, doc)
            yield doc
        self.stat_update("worker_restarts", value=worker.restarts - restarts)

    def _process(self, worker: BoundedWorker, doc: Document) -> None:
        try:
            result = worker(self.payload(doc))
        except WorkerTimeout:
            mark_failed(doc, self.stage, WorkerTimeout(
                f"{self.engine} took over {self.stage}'s document_timeout_s ({self.limits.document_timeout_s:g} s) "
                "on this document; its worker was killed"))
        except StageError as error:  # a worker that crashed, or what the work raised there
            mark_failed(doc, self.stage, error)
        if is_live(doc):
            self.apply(doc, result)
        if not is_live(doc) and doc.metadata.get(ERROR_CLASS_KEY):
            self.stat_update("failed", doc.metadata[ERROR_CLASS_KEY])
