"""extract-docling: routed text PDFs -> documents with per-page text, on CPU (no OCR).

The extraction runs in a BoundedWorker child process: a hard per-document time limit, a memory cap, and
recycling every N documents. With the layout model's weights in the models directory the real
StandardPdfPipeline runs (extractor "docling-layout": Docling's labels drop page headers and footers); without
them the model-free text path chosen by ``text_path``: PyMuPDF's text lines laid out by textkit.layout
(extractor "pymupdf-text", the default: furniture removed, columns ordered, paragraphs joined, tables as
Markdown) or Docling's NativePdfPipeline cells one per line (extractor "docling-native", as before).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from shared import schemas
from shared.ledger import mark_failed
from shared.outcomes import (
    AllPagesFailed,
    CorruptPdf,
    EncryptedPdf,
    MemoryLimitExceeded,
    TooManyPages,
    ZeroPages,
)
from shared.pdf_bytes import pdf_bytes
from shared.steps import WorkerDocumentStep, WorkerLimits
from textkit.markers import FAILED_PAGE_MARKER
from textkit.pages import join_pages

STAGE = "extract-docling"
HARD_TIMEOUT_GRACE_S = 15.0  # after document_timeout_s: time for Docling to stop itself and return the pages done
EXTRACTOR_LAYOUT = "docling-layout"
EXTRACTOR_NATIVE = "docling-native"
EXTRACTOR_PYMUPDF = "pymupdf-text"
TEXT_PATHS = {"pymupdf": EXTRACTOR_PYMUPDF, "docling-native": EXTRACTOR_NATIVE}


@dataclass(frozen=True)
class DoclingSettings:
    layout_artifacts: str | None  # folder holding the layout weights, or None for the model-free pipeline
    document_timeout_s: float  # declared in the extract-docling stage's stage.toml
    max_pages: int
    num_threads: int = 1
    text_path: str = "pymupdf"  # without layout weights: "pymupdf" (textkit.layout) or "docling-native"
    tables: bool = True  # tables as Markdown where their cells line up (FinePDFs: off); see its stage.toml

    def __post_init__(self):
        if self.text_path not in TEXT_PATHS:
            raise ValueError(f"text_path must be one of {sorted(TEXT_PATHS)}, not {self.text_path!r}")

    @property
    def extractor(self) -> str:
        return EXTRACTOR_LAYOUT if self.layout_artifacts else TEXT_PATHS[self.text_path]


def resolve_layout_artifacts(models_dir: Path, mode: str) -> str | None:
    """'auto': the layout model when its weights are present; 'on': required; 'off': model-free."""
    if mode == "off":
        return None
    from stages.extract_docling.docling_model import (
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
        from stages.extract_docling.docling_model import standard_pipeline_converter

        return settings, standard_pipeline_converter(
            Path(settings.layout_artifacts), settings.document_timeout_s, tables=settings.tables,
            num_threads=settings.num_threads,
        )
    if settings.extractor == EXTRACTOR_PYMUPDF:
        return settings, None
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


def open_pdf(pdf_bytes: bytes):
    """The PDF opened by PyMuPDF, the most lenient reader: its page count (or its repaired view's) is what a
    complete extraction must account for. Raises the StageError of a PDF that cannot be read at all
    (encrypted, no pages, cannot be opened)."""
    import pymupdf

    try:
        pdf = pymupdf.open(stream=pdf_bytes, filetype="pdf")
    except Exception as error:  # noqa: BLE001 - any failure to open is the diagnosis
        raise CorruptPdf(f"cannot be opened: {error}") from None
    encrypted, empty = pdf.needs_pass, pdf.page_count == 0
    if encrypted or empty:
        pdf.close()
        raise (EncryptedPdf("the PDF is encrypted and needs a password") if encrypted
               else ZeroPages("the PDF has no pages"))
    return pdf


def diagnose_unreadable(pdf_bytes: bytes, docling_errors: list[str] | None = None) -> Exception:
    """Name why Docling could not convert a PDF that PyMuPDF opens, for a clear error row."""
    details = "; ".join(docling_errors or [])[:500]
    if "memory" in details.lower() or "bad_alloc" in details.lower():
        return MemoryLimitExceeded(f"over the Docling worker's memory cap: {details}")
    return CorruptPdf(f"docling could not convert the document: {details or 'no reason given'}")


def _page_texts(document, extractor: str, expected: int) -> list[str | None]:
    """The text of pages 1..expected; None for a page Docling did not convert (its timeout, a page it could not
    parse, pages beyond what its parser saw in a damaged file)."""
    pages: list[str | None] = []
    for page_no in range(1, expected + 1):
        if page_no not in document.pages:
            pages.append(None)
        elif extractor == EXTRACTOR_LAYOUT:
            pages.append(document.export_to_markdown(
                page_no=page_no, escape_html=False, escape_underscores=False, image_placeholder=""))
        else:  # native cells are lines in parser order: one per line reads better than markdown paragraphs
            pages.append("\n".join(item.text for item, _ in document.iterate_items(page_no=page_no)
                                   if getattr(item, "text", None)))
    return pages


def _furniture_chars(document) -> int:
    """Characters of the items Docling's layout model put on the furniture layer (page headers, footers)."""
    from docling_core.types.doc import ContentLayer

    return sum(len(getattr(item, "text", "") or "") for item, _ in document.iterate_items(
        included_content_layers={ContentLayer.FURNITURE}) if item.content_layer == ContentLayer.FURNITURE)


def build_extractor(settings: DoclingSettings):
    """The state one worker keeps between documents (Docling's converter, or nothing for the PyMuPDF path).
    PyMuPDF is imported here, once per worker (every path opens the PDF with it), without its layout model."""
    from shared.mupdf import import_pymupdf

    import_pymupdf()
    return _build_converter(settings)


def extract(state, pdf_bytes: bytes) -> dict:
    """One PDF -> {"pages": text of every page (FAILED_PAGE_MARKER: failed), "failures": page -> reason,
    "repaired": damaged
    file, "partial": stopped by Docling's timeout, "furniture_chars": removed}. Every page PyMuPDF sees is
    accounted for. Raises the StageError (encrypted, zero pages, corrupt, too many pages) of the error row."""
    settings, converter = state
    with open_pdf(pdf_bytes) as pdf:  # the default path reads its text from this same opened document
        expected, repaired = pdf.page_count, bool(pdf.is_repaired)
        if expected > settings.max_pages:  # a cap is an error row, never a silent cut
            raise TooManyPages(f"{expected} pages > max_pages {settings.max_pages}")
        if converter is None:
            from stages.extract_docling.pymupdf_text import extract_pdf

            pages = extract_pdf(pdf, tables=settings.tables)
            result = {"pages": [None if p.failure else p.text for p in pages], "partial": False,
                      "furniture_chars": sum(p.furniture_chars for p in pages),
                      "unmapped_chars": sum(p.unmapped_chars for p in pages),
                      "furniture_kept_pages": sum(p.furniture_kept for p in pages),
                      "figure_chars": sum(p.figure_chars for p in pages),
                      "failures": {i: p.failure for i, p in enumerate(pages) if p.failure}}
    if converter is not None:
        result = _convert(state, pdf_bytes, expected)
    result["repaired"] = repaired
    result["pages"] += [None] * (expected - len(result["pages"]))
    for i, text in enumerate(result["pages"]):
        if repaired and text is not None and not text.strip():  # in a damaged file an empty page is a lost one
            result["failures"][i] = "no text on this page of a damaged file"
            text = None
        if text is None:
            result["failures"].setdefault(i, "not converted" + (" (Docling stopped: partial conversion)"
                                                               if result["partial"] else ""))
            result["pages"][i] = FAILED_PAGE_MARKER
    return result


def _convert(state, pdf_bytes: bytes, expected: int) -> dict:
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
    layout = settings.extractor == EXTRACTOR_LAYOUT
    return {
        "pages": _page_texts(result.document, settings.extractor, expected),
        "partial": result.status == ConversionStatus.PARTIAL_SUCCESS,
        "furniture_chars": _furniture_chars(result.document) if layout else 0,
        "failures": {},
    }


# --- the pipeline step ---------------------------------------------------------------------------------
class DoclingExtract(WorkerDocumentStep):
    """PDF bytes -> text + page_ends + num_pages + extractor + furniture_chars; failures become error rows."""

    type = "🔨 - EXTRACTOR"
    stage = STAGE

    def __init__(self, settings: DoclingSettings, limits: WorkerLimits):
        self.settings = settings
        self.name = f"📄 {settings.extractor}"  # says which engine runs (set before datatrove names the stats)
        self.engine = settings.extractor
        super().__init__(limits)

    def worker_functions(self) -> tuple:
        return build_extractor, self.settings, extract

    def timeout_s(self) -> float:
        # Docling checks its own timeout between pages only; one page can parse for ever (300k text operators):
        # the worker is killed shortly after document_timeout_s, so that setting is what bounds a document.
        # PyMuPDF's text path has no timeout of its own to wind down: its worker is killed at the setting itself.
        docling_converts = bool(self.settings.layout_artifacts) or self.settings.extractor != EXTRACTOR_PYMUPDF
        return self.limits.document_timeout_s + (HARD_TIMEOUT_GRACE_S if docling_converts else 0.0)

    def payload(self, doc):
        return pdf_bytes(doc)

    def apply(self, doc, result) -> None:
        pages, failures = result["pages"], result["failures"]
        doc.media = []  # the bytes stay where ingest stored them; documents carry text only
        if len(failures) == len(pages):
            reasons = "; ".join(sorted(set(failures.values())))[:500]
            error = CorruptPdf if result["repaired"] else AllPagesFailed
            mark_failed(doc, STAGE, error(f"none of the {len(pages)} pages could be extracted"
                                          + (" from this damaged PDF (MuPDF had to repair it)" if result["repaired"]
                                             else "") + f": {reasons}"))
            return
        text, page_ends = join_pages(pages)
        doc.text = text
        doc.metadata[schemas.PAGE_ENDS] = page_ends
        doc.metadata[schemas.NUM_PAGES] = len(page_ends)
        doc.metadata[schemas.EXTRACTOR] = self.settings.extractor
        doc.metadata[schemas.FAILED_PAGES] = sorted(failures)
        if result["repaired"]:  # a damaged file: what it says may be cut short (classify flags it too)
            doc.metadata[schemas.IS_TRUNCATED] = True
            self.stat_update("repaired")
        if failures:
            self.stat_update("failed_pages", value=len(failures))
        doc.metadata[schemas.FURNITURE_CHARS] = result.get("furniture_chars", 0)
        self.stat_update(schemas.FURNITURE_CHARS, value=result.get("furniture_chars", 0))
        if result.get("unmapped_chars"):  # private-use code points taken out of the text (counted, not kept)
            self.stat_update("unmapped_chars", value=result["unmapped_chars"])
        if result.get("furniture_kept_pages"):  # pages the furniture rules would have emptied, kept whole
            self.stat_update("furniture_kept_pages", value=result["furniture_kept_pages"])
        if result.get("figure_chars"):  # labels drawn inside charts and diagrams, left out (counted, not kept)
            self.stat_update("figure_chars", value=result["figure_chars"])
        if result["partial"]:
            self.stat_update("partial_timeout")
        self.stat_update("pages", value=len(page_ends))
