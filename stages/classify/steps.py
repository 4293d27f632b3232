"""classify: raw PDFs -> routed PDFs (p(ocr), route, reason, garbled ratio, pages needing OCR)."""

from __future__ import annotations

from dataclasses import dataclass

from datatrove.data import Document, DocumentsPipeline

from shared import schemas
from shared.pdf_bytes import pdf_bytes
from shared.steps import WorkerDocumentStep, WorkerLimits
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


class ClassifyPdf(WorkerDocumentStep):
    """Features (PyMuPDF) -> p(ocr) (XGBoost) -> route; an unreadable PDF becomes an error row.

    PyMuPDF runs in a bounded child process (shared/isolation.py): ``time_budget_s`` is checked between pages,
    but one page can hold a parse that never ends (nine levels of nested Form XObjects, a content stream of
    300k operators), so ``document_timeout_s`` kills the worker and that PDF is one WorkerTimeout row; the
    address-space cap does the same for memory."""

    name = "🔀 OCR router"
    type = "🔀 - ROUTER"

    stage = STAGE
    engine = "reading the PDF with PyMuPDF"

    def __init__(self, rule: RoutingRule, model_path: str | None, options: FeatureOptions, limits: WorkerLimits):
        super().__init__(limits)
        self.rule = rule
        self.model_path = model_path or None
        self.options = options
        self._model: RouterModel | None = None

    def worker_functions(self) -> tuple:
        return _init_worker, self.options, _features_work

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if self._model is None:
            self._model = RouterModel(self.model_path)  # loaded in the task's process, once
        yield from super().run(data, rank, world_size)

    def payload(self, doc: Document):
        return pdf_bytes(doc), doc.metadata.get(schemas.SHA256) or doc.id

    def apply(self, doc: Document, feats) -> None:
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
