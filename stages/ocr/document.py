"""From a routed PDF to a document, the same for every engine: which pages to read how, and the assembly of the
page results into ``text`` + ``page_ends`` with explicit markers for failed pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from datatrove.data import Document

from shared import schemas
from shared.ledger import mark_failed
from shared.markers import FAILED_PAGE_MARKER
from shared.outcomes import ALL_PAGES_FAILED, TOO_MANY_PAGES, StageError
from shared.pages import join_pages

STAGE = "ocr"
OCR, TEXT_LAYER = "ocr", "text"


LOW_CONFIDENCE = "low_confidence"  # failed-page reason: the engine's confidence says this is not text
HANDWRITING = "handwriting"  # failed-page reason: lines of writing the print models cannot read (a GPU run can)
HANDWRITING_MIN_LINES = 5  # lines read on a page under the floor for it to be called writing, not noise
HANDWRITING_MIN_CONFIDENCE = 0.25  # under this the engine read noise (a photo, a drawing), not writing


@dataclass(frozen=True)
class PageResult:
    text: str = ""
    failure: str | None = None  # why the page could not be read; None when it was
    confidence: float | None = None  # the OCR engine's mean confidence; None for text-layer pages
    read_by: str | None = None  # which engine read the page (None: its own text layer)
    furniture_chars: int = 0  # running headers, footers, page numbers left out of ``text``
    lines: int = 0  # text lines the OCR engine read

    @classmethod
    def failed(cls, reason: str, confidence: float | None = None, read_by: str | None = None) -> PageResult:
        return cls("", reason, confidence, read_by)


def judge_confidence(result: PageResult, min_confidence: dict[str, float]) -> PageResult:
    """A page whose OCR confidence is under its engine's floor is failed: reason ``handwriting`` when
    Tesseract (whose confidences the two thresholds are set for; RapidOCR reads a page of dingbats as kana at
    0.67) still found lines of writing at a middling confidence (at least ``HANDWRITING_MIN_LINES`` lines,
    confidence at least ``HANDWRITING_MIN_CONFIDENCE``: a letter, notes, a form filled in by hand), else
    ``low_confidence`` (a photo, a drawing, noise read as letters). Either is not text to pass on, and a GPU
    run can retry exactly those pages. Blank pages (nothing read) stay empty pages."""
    floor = min_confidence.get(result.read_by or "", 0.0)
    if result.failure is None and result.confidence is not None and result.confidence < floor:
        writing = (result.read_by == "tesseract" and result.lines >= HANDWRITING_MIN_LINES
                   and result.confidence >= HANDWRITING_MIN_CONFIDENCE)
        return PageResult.failed(HANDWRITING if writing else LOW_CONFIDENCE, result.confidence, result.read_by)
    return result


def known_page_count(doc: Document) -> int | None:
    """classify already opened the PDF and counted its pages; None when it did not say."""
    count = doc.metadata.get(schemas.NUM_PAGES)
    return int(count) if count else None


def plan_pages(doc: Document, num_pages: int, max_pages: int) -> list[tuple[int, str]]:
    """(page index, OCR or TEXT_LAYER) for every page. classify's ``pages_needing_ocr`` (when given) names the
    pages to OCR in a mixed PDF; the others keep their own text layer. Otherwise every page is OCR'd."""
    if num_pages > max_pages:
        raise StageError(TOO_MANY_PAGES, f"{num_pages} pages > max_pages {max_pages}")
    needing = doc.metadata.get(schemas.PAGES_NEEDING_OCR)
    if not needing:
        return [(i, OCR) for i in range(num_pages)]
    needing = {int(i) for i in needing}
    return [(i, OCR if i in needing else TEXT_LAYER) for i in range(num_pages)]


def extractor_name(results: list[PageResult], default: str) -> str:
    """The engines that read the document's pages ("tesseract", "rapidocr+tesseract"), else ``default``."""
    engines = sorted({r.read_by for r in results if r.read_by})
    return "+".join(engines) if engines else default


def finish_document(doc: Document, results: list[PageResult], extractor: str) -> Counter:
    """Write the page results into the document (or mark it failed when no page could be read).

    Returns the count of page failures by reason, for the stage's stats."""
    reasons = Counter(r.failure for r in results if r.failure is not None)
    failed = [i for i, r in enumerate(results) if r.failure is not None]
    doc.media = []  # the bytes stay in the routed shards; documents carry text only
    if results and len(failed) == len(results):
        summary = ", ".join(f"{reason} x{n}" for reason, n in reasons.most_common(3))
        mark_failed(doc, STAGE, ALL_PAGES_FAILED, f"no page of {len(results)} could be read: {summary}")
        return reasons
    text, page_ends = join_pages([FAILED_PAGE_MARKER if r.failure is not None else r.text for r in results])
    doc.text = text
    doc.metadata[schemas.PAGE_ENDS] = page_ends
    doc.metadata[schemas.NUM_PAGES] = len(page_ends)
    doc.metadata[schemas.FAILED_PAGES] = failed
    doc.metadata[schemas.PAGE_OCR_CONFIDENCE] = [r.confidence for r in results]
    doc.metadata[schemas.FURNITURE_CHARS] = sum(r.furniture_chars for r in results)
    doc.metadata[schemas.EXTRACTOR] = extractor
    return reasons
