"""extract-docling: routed text PDFs -> documents with per-page text, via Docling on CPU (no OCR, no tables).

Docling runs in a BoundedWorker child process: a hard per-document time limit, a memory cap, and recycling
every N documents. With the layout model's weights in the models directory the real StandardPdfPipeline runs
(extractor "docling-layout"); without them docling's model-free NativePdfPipeline (extractor "docling-native").
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from shared import outcomes, schemas
from shared.isolation import BoundedWorker, RemoteError, WorkerCrashed, WorkerTimeout, kept_worker
from shared.ledger import ERROR_CLASS_KEY, is_live, mark_failed
from shared.outcomes import CORRUPT_PDF, ENCRYPTED_PDF, MEMORY_LIMIT_EXCEEDED, ZERO_PAGES, StageError
from shared.pages import join_pages
from shared.pdf_bytes import pdf_bytes

STAGE = "extract-docling"
HARD_TIMEOUT_GRACE_S = 15.0  # after document_timeout_s: time for Docling to stop itself and return the pages done
EXTRACTOR_LAYOUT = "docling-layout"
EXTRACTOR_NATIVE = "docling-native"


@dataclass(frozen=True)
class DoclingSettings:
    layout_artifacts: str | None  # folder holding the layout weights, or None for the model-free pipeline
    document_timeout_s: float  # defaults: [extract-docling] of shared/defaults.toml
    max_pages: int
    num_threads: int = 1

    @property
    def extractor(self) -> str:
        return EXTRACTOR_LAYOUT if self.layout_artifacts else EXTRACTOR_NATIVE


def resolve_layout_artifacts(models_dir: Path, mode: str) -> str | None:
    """'auto': the layout model when its weights are present; 'on': required; 'off': model-free."""
    if mode == "off":
        return None
    from stages.extract_docling.layout import (
        docling_artifacts_path,
        layout_weights_present,
        missing_weights_message,
    )

    artifacts = docling_artifacts_path(models_dir)
    if layout_weights_present(models_dir):
        return str(artifacts)
    if mode == "on":
        raise FileNotFoundError(missing_weights_message(artifacts) + " (or run with --layout-model off)")
    return None


# --- runs inside the worker process -------------------------------------------------------------------
def _build_converter(settings: DoclingSettings):
    import logging

    logging.getLogger("docling").setLevel(logging.ERROR)
    if settings.layout_artifacts:
        from stages.extract_docling.layout import standard_pipeline_converter

        return settings, standard_pipeline_converter(
            Path(settings.layout_artifacts), settings.document_timeout_s, settings.num_threads
        )
    from docling.datamodel.base_models import InputFormat
    from docling.datamodel.pipeline_options import NativePdfPipelineOptions
    from docling.document_converter import DocumentConverter, PdfFormatOption
    from docling.pipeline.native_pdf_pipeline import NativePdfPipeline

    # Text only: the native pipeline renders and PNG-encodes every page by default (half its CPU time here).
    options = NativePdfPipelineOptions(
        document_timeout=settings.document_timeout_s, parser_threads=settings.num_threads,
        generate_page_images=False, generate_picture_images=False,
    )
    converter = DocumentConverter(
        format_options={InputFormat.PDF: PdfFormatOption(pipeline_cls=NativePdfPipeline, pipeline_options=options)}
    )
    return settings, converter


def diagnose_unreadable(pdf_bytes: bytes, docling_errors: list[str] | None = None) -> Exception:
    """Name why a PDF could not be converted, for a clear error row (PyMuPDF's view: it is the most lenient)."""
    import pymupdf

    try:
        with pymupdf.open(stream=pdf_bytes, filetype="pdf") as pdf:
            if pdf.needs_pass:
                return StageError(ENCRYPTED_PDF, "the PDF is encrypted and needs a password")
            if pdf.page_count == 0:
                return StageError(ZERO_PAGES, "the PDF has no pages")
            if pdf.is_repaired:
                return StageError(CORRUPT_PDF, "the PDF is damaged (its cross-reference table had to be rebuilt)")
    except Exception as error:  # noqa: BLE001 - any failure to open is the diagnosis
        return StageError(CORRUPT_PDF, f"cannot be opened: {error}")
    details = "; ".join(docling_errors or [])[:500]
    if "memory" in details.lower() or "bad_alloc" in details.lower():
        return StageError(MEMORY_LIMIT_EXCEEDED, f"over the Docling worker's memory cap: {details}")
    return StageError(CORRUPT_PDF, f"docling could not convert the document: {details or 'no reason given'}")


def _page_texts(document, extractor: str) -> list[str]:
    pages = []
    for page_no in range(1, document.num_pages() + 1):
        if extractor == EXTRACTOR_LAYOUT:
            pages.append(document.export_to_markdown(
                page_no=page_no, escape_html=False, escape_underscores=False, image_placeholder=""))
        else:  # native cells are lines in parser order: one per line reads better than markdown paragraphs
            pages.append("\n".join(item.text for item, _ in document.iterate_items(page_no=page_no)
                                   if getattr(item, "text", None)))
    return pages


def _convert(state, pdf_bytes: bytes) -> dict:
    from docling.datamodel.base_models import ConversionStatus, DocumentStream

    settings, converter = state
    result = converter.convert(
        DocumentStream(name="document.pdf", stream=io.BytesIO(pdf_bytes)),
        raises_on_error=False,
        page_range=(1, settings.max_pages),
    )
    if (
        result.status not in (ConversionStatus.SUCCESS, ConversionStatus.PARTIAL_SUCCESS)
        or result.document.num_pages() == 0
    ):
        raise diagnose_unreadable(pdf_bytes, [e.error_message for e in result.errors])
    return {
        "pages": _page_texts(result.document, settings.extractor),
        "partial": result.status == ConversionStatus.PARTIAL_SUCCESS,
    }


# --- the pipeline step ---------------------------------------------------------------------------------
class DoclingExtract(PipelineStep):
    """PDF bytes -> text + page_ends + num_pages + extractor; failures become error rows."""

    name = "🦆 Docling"
    type = "🔨 - EXTRACTOR"

    def __init__(self, settings: DoclingSettings, max_memory_mb: int, recycle_after: int):
        super().__init__()
        self.settings = settings
        self.max_memory_mb = max_memory_mb
        self.recycle_after = recycle_after

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        # Docling checks its own timeout between pages only; one page can parse for ever (300k text operators):
        # the worker is killed shortly after document_timeout_s, so that setting is what bounds a document.
        hard_timeout = self.settings.document_timeout_s + HARD_TIMEOUT_GRACE_S
        # kept for the next task of this process: a local run of N tasks starts Docling once, not N times
        worker = kept_worker(
            _build_converter, self.settings, _convert, timeout_s=hard_timeout,
            max_memory_mb=self.max_memory_mb, max_tasks_per_child=self.recycle_after,
        )
        restarts = worker.restarts
        for doc in data:
            if is_live(doc):
                with self.track_time():
                    self._extract(worker, doc)
            yield doc
        self.stat_update("worker_restarts", value=worker.restarts - restarts)

    def _extract(self, worker: BoundedWorker, doc) -> None:
        try:
            result = worker(pdf_bytes(doc))
        except WorkerTimeout:
            mark_failed(doc, STAGE, outcomes.WORKER_TIMEOUT,
                        f"Docling took over document_timeout_s ({self.settings.document_timeout_s:g} s) on this "
                        "document; its worker was killed")
            self.stat_update("failed", outcomes.WORKER_TIMEOUT)
            return
        except (StageError, RemoteError, WorkerCrashed) as error:
            mark_failed(doc, STAGE, error)
            self.stat_update("failed", doc.metadata[ERROR_CLASS_KEY])
            return
        text, page_ends = join_pages(result["pages"])
        doc.text = text
        doc.media = []  # the bytes stay in the routed shards; documents carry text only
        doc.metadata[schemas.PAGE_ENDS] = page_ends
        doc.metadata[schemas.NUM_PAGES] = len(page_ends)
        doc.metadata[schemas.EXTRACTOR] = self.settings.extractor
        doc.metadata[schemas.FAILED_PAGES] = []
        if result["partial"]:
            self.stat_update("partial_timeout")
        self.stat_update("pages", value=len(page_ends))
