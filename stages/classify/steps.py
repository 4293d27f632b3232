"""classify: raw PDFs -> routed PDFs (p(ocr), route, reason, garbled ratio, pages needing OCR)."""

from __future__ import annotations

from datatrove.data import Document, DocumentsPipeline

from shared import schemas
from shared.ledger import mark_failed
from shared.pdf_bytes import pdf_bytes
from shared.steps import DocumentStep
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


class ClassifyPdf(DocumentStep):
    """Features (PyMuPDF) -> p(ocr) (XGBoost) -> route; an unreadable PDF becomes an error row."""

    name = "🔀 OCR router"
    type = "🔀 - ROUTER"
    stage = STAGE

    def __init__(
        self,
        rule: RoutingRule,
        model_path: str | None,
        sample_pages: int,
        seed: int,
        max_pdf_bytes: int,
        time_budget_s: float,
        scan_pages: int,
    ):
        super().__init__()
        self.rule = rule
        self.model_path = model_path or None
        self.sample_pages = sample_pages
        self.seed = seed
        self.max_pdf_bytes = max_pdf_bytes
        self.time_budget_s = time_budget_s
        self.scan_pages = scan_pages
        self._model: RouterModel | None = None

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if self._model is None:
            self._model = RouterModel(self.model_path)  # loaded in the worker process, once
        yield from super().run(data, rank, world_size)

    def process(self, doc: Document) -> None:
        pdf = pdf_bytes(doc)
        try:
            feats = F.extract_features(
                pdf,
                key=doc.metadata.get(schemas.SHA256) or doc.id,
                sample_pages=self.sample_pages,
                seed=self.seed,
                max_bytes=self.max_pdf_bytes,
                time_budget_s=self.time_budget_s,
                scan_pages=self.scan_pages,
            )
        except F.PdfFeatureError as error:
            mark_failed(doc, STAGE, error.error_class, str(error))
            self.stat_update(error.error_class)
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
        self.stat_update(f"route_{route}")
        self.stat_update(f"reason_{reason}")
        if feats.out_of_time:
            self.stat_update("out_of_time")
