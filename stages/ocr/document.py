"""From a routed PDF to a document, the same for every engine: which pages to read how, and the assembly of the
page results into ``text`` + ``page_ends`` with explicit markers for failed pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from datatrove.data import Document

from shared import schemas
from shared.ledger import mark_failed
from shared.outcomes import AllPagesFailed, TooManyFailedPages, TooManyPages
from textkit.markers import FAILED_PAGE_MARKER
from textkit.pages import join_pages

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


def letters(text: str) -> int:
    """Letters of a text: U+FFFD, private-use glyphs, digits and punctuation are no letters (garbled text has few)."""
    return sum(c.isalpha() for c in text)


def keep_text_layer(ocr_text: str, layer_text: str, min_letters: int = 200, ocr_share: float = 0.5) -> bool:
    """The per-page safety net: a page routed to OCR whose own text layer is usable (at least ``min_letters``
    letters: the development corpus calls a text page one with at least 200 characters) keeps that text
    layer when the OCR read has fewer than ``ocr_share`` of its letters (a paper's first page with a form
    field, read as 16 characters by the CPU engine, is not replaced by them)."""
    layer = letters(layer_text)
    return min_letters > 0 and layer >= min_letters and letters(ocr_text) < ocr_share * layer


def known_page_count(doc: Document) -> int | None:
    """classify already opened the PDF and counted its pages; None when it did not say."""
    count = doc.metadata.get(schemas.NUM_PAGES)
    return int(count) if count else None


def plan_pages(doc: Document, num_pages: int, max_pages: int) -> list[tuple[int, str]]:
    """(page index, OCR or TEXT_LAYER) for every page. classify's ``pages_needing_ocr`` (when given) names the
    pages to OCR in a mixed PDF; the others keep their own text layer. Otherwise every page is OCR'd."""
    if num_pages > max_pages:
        raise TooManyPages(f"{num_pages} pages > max_pages {max_pages}")
    needing = doc.metadata.get(schemas.PAGES_NEEDING_OCR)
    if not needing:
        return [(i, OCR) for i in range(num_pages)]
    needing = {int(i) for i in needing}
    return [(i, OCR if i in needing else TEXT_LAYER) for i in range(num_pages)]


def extractor_name(results: list[PageResult], default: str) -> str:
    """The engines that read the document's pages ("tesseract", "rapidocr+tesseract"), else ``default``."""
    engines = sorted({r.read_by for r in results if r.read_by})
    return "+".join(engines) if engines else default


def finish_document(doc: Document, results: list[PageResult], extractor: str,
                    max_failed_ratio: float | None = None) -> Counter:
    """Write the page results into the document (or mark it failed when no page could be read, or when more
    than ``max_failed_ratio`` of its pages failed: a partial document is not passed off as whole).

    Returns the count of page failures by reason, for the stage's stats."""
    reasons = Counter(r.failure for r in results if r.failure is not None)
    failed = [i for i, r in enumerate(results) if r.failure is not None]
    doc.media = []  # the bytes stay in the routed shards; documents carry text only
    summary = ", ".join(f"{reason.split(':')[0]} x{n}" for reason, n in
                        Counter(r.split(":")[0] for r in reasons.elements()).most_common(3))
    if results and len(failed) == len(results):
        mark_failed(doc, STAGE, AllPagesFailed(f"no page of {len(results)} could be read: {summary}"))
        return reasons
    if failed and max_failed_ratio is not None and len(failed) / len(results) > max_failed_ratio:
        mark_failed(doc, STAGE, TooManyFailedPages(
            f"{len(failed)} of {len(results)} pages failed (pages {failed[:10]}; {summary}): over the budget "
            f"max_failed_page_ratio {max_failed_ratio}"))
        return reasons
    text, page_ends = join_pages([FAILED_PAGE_MARKER if r.failure is not None else r.text for r in results])
    doc.text = text
    doc.metadata[schemas.PAGE_ENDS] = page_ends
    doc.metadata[schemas.NUM_PAGES] = len(page_ends)
    doc.metadata[schemas.FAILED_PAGES] = failed
    doc.metadata[schemas.PAGE_OCR_CONFIDENCE] = [r.confidence for r in results]
    doc.metadata[schemas.PAGE_READ_BY] = [None if r.failure is not None else r.read_by or schemas.PAGE_FROM_TEXT_LAYER
                                          for r in results]
    doc.metadata[schemas.FURNITURE_CHARS] = sum(r.furniture_chars for r in results)
    doc.metadata[schemas.EXTRACTOR] = extractor
    return reasons
