"""Base pipeline steps that keep the ledger honest: per-document error capture and filters that mark drops."""

from __future__ import annotations

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from shared.ledger import is_live, mark_dropped, mark_failed


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
