"""classify: raw PDFs -> routed PDFs (p(ocr), route, reason, garbled ratio, pages needing OCR)."""

from __future__ import annotations

from dataclasses import dataclass

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from shared import outcomes, schemas
from shared.isolation import BoundedWorker, RemoteError, WorkerCrashed, WorkerTimeout, kept_worker
from shared.ledger import ERROR_CLASS_KEY, is_live, mark_failed
from shared.outcomes import StageError
from shared.pdf_bytes import pdf_bytes
from stages.classify import features as F
from stages.classify.model import REASON_GARBLED, RouterModel, RoutingRule

STAGE = "classify"


def pages_to_ocr(route: str, reason: str, num_pages: int, flagged: list[int] | None) -> list[int] | None:
    """The ``pages_needing_ocr`` column.

    For a PDF routed to OCR it is never empty: the pages the per-page rule flagged, or every page when the
    text layer is garbled, when the rule flagged none (the model saw a need it cannot place on pages) or when
    the document was too long to scan. For a PDF routed to Docling it lists the flagged pages (usually none),
    or is null when the document was not scanned page by page.
    """
    if route != schemas.ROUTE_OCR:
        return flagged
    if reason == REASON_GARBLED or not flagged:
        return list(range(num_pages))
    return flagged


# --- runs in the bounded worker process -------------------------------------------------------------------
def _init_worker(options: FeatureOptions) -> FeatureOptions:
    return options


def _features_work(options: FeatureOptions, payload: tuple[bytes, str]) -> F.PdfFeatures:
    pdf, key = payload
    return F.extract_features(pdf, key=key, sample_pages=options.sample_pages, seed=options.seed,
                              max_bytes=options.max_pdf_bytes, time_budget_s=options.time_budget_s,
                              scan_pages=options.scan_pages)


@dataclass(frozen=True)
class FeatureOptions:
    sample_pages: int
    seed: int
    max_pdf_bytes: int
    time_budget_s: float
    scan_pages: int


class ClassifyPdf(PipelineStep):
    """Features (PyMuPDF) -> p(ocr) (XGBoost) -> route; an unreadable PDF becomes an error row.

    PyMuPDF runs in a bounded child process (shared/isolation.py): ``time_budget_s`` is checked between pages,
    but one page can hold a parse that never ends (nine levels of nested Form XObjects, a content stream of
    300k operators), so ``document_timeout_s`` kills the worker and that PDF is one WorkerTimeout row; the
    address-space cap does the same for memory."""

    name = "🔀 OCR router"
    type = "🔀 - ROUTER"

    def __init__(
        self,
        rule: RoutingRule,
        model_path: str | None,
        options: FeatureOptions,
        document_timeout_s: float,
        max_memory_mb: int,
        recycle_after: int,
    ):
        super().__init__()
        self.rule = rule
        self.model_path = model_path or None
        self.options = options
        self.document_timeout_s = document_timeout_s
        self.max_memory_mb = max_memory_mb
        self.recycle_after = recycle_after
        self._model: RouterModel | None = None

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if self._model is None:
            self._model = RouterModel(self.model_path)  # loaded in the task's process, once
        worker = kept_worker(_init_worker, self.options, _features_work, timeout_s=self.document_timeout_s,
                             max_memory_mb=self.max_memory_mb, max_tasks_per_child=self.recycle_after)
        restarts = worker.restarts
        for doc in data:
            if is_live(doc):
                with self.track_time():
                    self.classify(worker, doc)
            yield doc
        self.stat_update("worker_restarts", value=worker.restarts - restarts)

    def classify(self, worker: BoundedWorker, doc: Document) -> None:
        try:
            feats = worker((pdf_bytes(doc), doc.metadata.get(schemas.SHA256) or doc.id))
        except WorkerTimeout:
            mark_failed(doc, STAGE, outcomes.WORKER_TIMEOUT,
                        f"reading the PDF with PyMuPDF took over classify's document_timeout_s "
                        f"({self.document_timeout_s:g} s); the worker was killed")
        except (StageError, RemoteError, WorkerCrashed) as error:
            mark_failed(doc, STAGE, error)
        if not is_live(doc):
            self.stat_update("failed", doc.metadata[ERROR_CLASS_KEY])
            return
        prob = self._model.predict_one(feats.vector)
        route, reason = self.rule.route(prob, feats.garbled_ratio)
        doc.metadata[schemas.NUM_PAGES] = feats.num_pages
        doc.metadata[schemas.OCR_PROB] = prob
        doc.metadata[schemas.ROUTE] = route
        doc.metadata[schemas.ROUTE_REASON] = reason
        doc.metadata[schemas.GARBLED_RATIO] = feats.garbled_ratio
        doc.metadata[schemas.PAGES_NEEDING_OCR] = pages_to_ocr(
            route, reason, feats.num_pages, feats.pages_needing_ocr
        )
        if feats.repaired:  # MuPDF rebuilt the cross-reference table: a damaged file, maybe cut short
            doc.metadata[schemas.IS_TRUNCATED] = True
            self.stat_update("repaired")
        self.stat_update(f"route_{route}")
        self.stat_update(f"reason_{reason}")
        if feats.out_of_time:
            self.stat_update("out_of_time")
