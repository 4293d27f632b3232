"""PyMuPDF features for the OCR router, bounded in bytes, pages and time.

In the spirit of FinePDFs' router: a fixed number of sampled pages per PDF (deterministic: page 0, then one
seeded random page in each of the remaining equal strata, seeded by the document's key), per-page text /
hidden-text / image / drawing measures, and document-level flags (garbled text, form, scanner producer).

One MuPDF pass per sampled page: the stext blocks (text blocks with their text, image blocks, vector blocks),
plus ``get_texttrace`` (spans with render mode and opacity) on pages whose content sets an invisible text
render mode, to tell visible from hidden text. Per-page measures are aggregated over the sampled pages as
mean / min / max, so the feature vector does not depend on page order or count.

Every other page of the document (up to ``scan_pages``) whose resources hold an image is read the same way,
for the per-page OCR rule (``page_needs_ocr``) and thus ``pages_needing_ocr`` over the whole document; a page
without any image cannot be a scan and costs only a resource lookup (outlined-text pages are therefore found
on sampled pages only).
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import time
import zlib
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np

from shared.mupdf import import_pymupdf
from shared.outcomes import CorruptPdf, EmptyFile, EncryptedPdf, PdfTooLarge, ZeroPages

pymupdf = import_pymupdf()

DEFAULT_SAMPLE_PAGES = 8
DEFAULT_SEED = 42
DEFAULT_MAX_BYTES = 256 * 2**20
DEFAULT_TIME_BUDGET_S = 10.0
DEFAULT_SCAN_PAGES = 500

# Characters no working text layer produces in running text: the replacement character (unmapped glyph),
# the private use areas (symbol fonts without a usable ToUnicode) and C0/C1 control codes.
GARBLED_RE = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SPACE_RE = re.compile(r"\s")
LETTER_RE = re.compile(r"[^\W\d_]")
ASCII_LETTER_RE = re.compile("[A-Za-z]")
VOWEL_RE = re.compile("[AEIOUaeiou]")
UPPER_RE = re.compile("[A-Z]")
PUNCT_RE = re.compile(r"[!-/:-@\[-`{-~]")  # ASCII punctuation and symbols
_FIRST = itemgetter(0)
MIN_CHARS_FOR_RATIOS = 20  # below this, a page's character ratios are undefined (NaN), not zero

# Creator/producer strings of scanners and image-to-PDF / OCR software.
SCANNER_RE = re.compile(
    r"scan|canon|epson|xerox|fujitsu|kodak|ricoh|konica|kyocera|brother|lexmark|sharp mx|toshiba e-studio|"
    r"hp digital sending|hewlett|panasonic|olivetti|paperport|naps2|twain|scansnap|imagerunner|bizhub|"
    r"workcentre|docucentre",
    re.IGNORECASE,
)
IMAGE_TOOL_RE = re.compile(
    r"img2pdf|tiff2pdf|libtiff|imagemagick|image conversion|paper capture|abbyy|finereader|omnipage|"
    r"ocrmypdf|tesseract|readiris|photoshop|pdf scanner|camscanner|genius scan|adobe scan|clearscan",
    re.IGNORECASE,
)

# One stext pass per page read: text, image and vector blocks. Without TEXT_USE_CID_FOR_UNKNOWN_UNICODE an
# unmapped glyph reads as U+FFFD (counted as garbled), not as a CID that may look like a letter.
BLOCK_FLAGS = (
    pymupdf.TEXT_PRESERVE_LIGATURES
    | pymupdf.TEXT_PRESERVE_WHITESPACE
    | pymupdf.TEXT_MEDIABOX_CLIP
    | pymupdf.TEXT_PRESERVE_IMAGES
    | pymupdf.TEXT_COLLECT_VECTORS
)
MAX_CONTENT_BYTES = 8 * 2**20  # page / form content searched for an invisible text render mode
INVISIBLE_TR_RE = re.compile(
    rb"(?<![\w.])[37]\s+Tr(?!\w)"
)  # text render modes 3 (invisible) and 7 (clip only)
GRID = 24  # image coverage is the union of image boxes on a GRID x GRID raster of the page
MAX_BOXES = 500  # boxes per kind and page taken into the coverage raster (the count itself is exact)

# The per-page OCR rule (see page_needs_ocr).
SCAN_IMAGE_COVER = 0.4
SCAN_MAX_TEXT_AREA = 0.02
VECTOR_TEXT_MIN_PATHS = 100
GARBLED_PAGE_RATIO = 0.3
GARBLED_PAGE_MIN_CHARS = 20


@dataclass
class PageLayout:
    """What a page paints: text boxes, pictures (images, 1-bit image masks, shadings) and vector paths."""

    text_area: float = 0.0  # visible text boxes, fraction of the page (sum, capped at 1)
    hidden_text_area: float = 0.0  # invisible text (render mode 3): OCR layers of scans
    image_count: int = 0  # pictures: images, image masks, shadings
    big_image_count: int = 0  # images covering at least 5% of the page
    image_cover: float = 0.0  # union of picture boxes (images, image masks, shadings), fraction of the page
    max_image_area: float = 0.0
    path_count: int = 0
    path_cover: float = 0.0


@dataclass
class PageCharacters:
    """The text of one sampled page."""

    blocks: int = 0  # stext text blocks (paragraph-like boxes)
    block_area: float = 0.0  # mean text block box, fraction of the page
    fonts: int = 0  # fonts in the page's resources
    chars: int = 0  # visible non-space characters
    letters: int = 0
    ascii_letters: int = 0
    vowels: int = (
        0  # Latin vowels: about 38% of Latin letters in real text, far fewer in scrambled glyph maps
    )
    upper: int = 0
    punct: int = 0
    garbled: int = 0
    hidden_chars: int = 0
    hidden_garbled: int = 0


@dataclass
class PdfFeatures:
    num_pages: int
    sampled_pages: list[int]
    vector: np.ndarray  # float32, aligned with FEATURE_NAMES
    garbled_ratio: float
    pages_needing_ocr: (
        list[int] | None
    )  # None: the whole document could not be scanned (too many pages / time)
    sampled_pages_needing_ocr: list[int] = field(default_factory=list)
    out_of_time: bool = False
    repaired: bool = False  # MuPDF had to rebuild the cross-reference table: the file is damaged

    def as_dict(self) -> dict[str, float]:
        return dict(zip(FEATURE_NAMES, self.vector.tolist(), strict=True))


PAGE_MEASURES = [
    "chars_log",
    "letter_frac",
    "punct_frac",
    "vowel_frac",
    "upper_frac",
    "garbled_frac",
    "blocks_log",
    "text_area",
    "block_area",
    "fonts",
    "hidden_chars_log",
    "hidden_text_area",
    "images",
    "big_images",
    "image_cover",
    "max_image_area",
    "paths_log",
    "path_cover",
    "needs_ocr",
]
DOC_MEASURES = [
    "num_pages_log",
    "pages_sampled",
    "bytes_per_page_log",
    "is_form",
    "scanner_producer",
    "image_tool_producer",
    "garbled_ratio",
    "hidden_ratio",
    "pages_no_text_frac",
    "sampled_need_ocr_frac",
    "all_need_ocr_frac",
    "page_errors",
    "out_of_time",
]
AGGREGATES = ("mean", "min", "max")
FEATURE_NAMES = [f"page_{m}_{a}" for m in PAGE_MEASURES for a in AGGREGATES] + [
    f"doc_{m}" for m in DOC_MEASURES
]


def document_key(pdf_bytes: bytes) -> str:
    return hashlib.sha256(pdf_bytes).hexdigest()


def sample_page_indexes(num_pages: int, k: int, seed: int, key: str) -> list[int]:
    """Page 0, then one page drawn (seeded by ``seed`` and the document key) from each of k-1 equal strata."""
    if num_pages <= k:
        return list(range(num_pages))
    rng = random.Random(f"{seed}:{key}")
    picks = [0]
    rest = num_pages - 1
    for i in range(k - 1):
        lo = 1 + (i * rest) // (k - 1)
        hi = 1 + ((i + 1) * rest) // (k - 1)
        picks.append(rng.randrange(lo, max(hi, lo + 1)))
    return sorted(set(picks))


def _cover(boxes: list, x0: float, y0: float, w: float, h: float) -> float:
    """Union of boxes as a fraction of the page, on a coarse raster (boxes overlap: sums overcount)."""
    if not boxes:
        return 0.0
    grid = np.zeros((GRID, GRID), dtype=bool)
    for bx0, by0, bx1, by1 in boxes[:MAX_BOXES]:
        c0 = max(0, int((bx0 - x0) / w * GRID))
        c1 = min(GRID, math.ceil((bx1 - x0) / w * GRID))
        r0 = max(0, int((by0 - y0) / h * GRID))
        r1 = min(GRID, math.ceil((by1 - y0) / h * GRID))
        if c1 > c0 and r1 > r0:
            grid[r0:r1, c0:c1] = True
    return float(grid.mean())


def _clipper(rect):
    """Area of a box inside the page (content outside the visible page does not need OCR)."""
    x0, y0, x1, y1 = rect.x0, rect.y0, rect.x1, rect.y1

    def clipped_area(box) -> float:
        return max(min(box[2], x1) - max(box[0], x0), 0.0) * max(min(box[3], y1) - max(box[1], y0), 0.0)

    return clipped_area


def _set_images(out: PageLayout, images: list, rect, clipped_area) -> None:
    area = max(rect.width * rect.height, 1.0)
    out.image_count = len(images)
    if images:
        fracs = [clipped_area(b) / area for b in images[:MAX_BOXES]]
        out.big_image_count = sum(1 for f in fracs if f >= 0.05)
        out.max_image_area = max(fracs)
        out.image_cover = _cover(images, rect.x0, rect.y0, max(rect.width, 1.0), max(rect.height, 1.0))


def may_hide_text(page) -> bool:
    """Whether the page's content (or a form XObject it paints) sets an invisible text render mode (3 or 7).

    Invisible text is how scanners and OCR tools lay their OCR text over a bitmap. Only such pages need the
    span-by-span ``get_texttrace`` pass to tell visible text from hidden text.
    """
    doc = page.parent
    try:
        xrefs = list(page.get_contents())
        xrefs += [x for x, *_ in page.get_xobjects() if doc.xref_get_key(x, "Subtype")[1] == "/Form"]
    except Exception:  # noqa: BLE001 - an unreadable page tree entry: what MuPDF painted is all we have
        return False
    for xref in xrefs:
        try:
            stream = _bounded_stream(doc, xref)
        except Exception:  # noqa: BLE001 - an unreadable stream paints nothing
            continue
        if stream and INVISIBLE_TR_RE.search(stream):
            return True
    return False


def _bounded_stream(doc, xref: int) -> bytes:
    """A content stream, decompressed to at most MAX_CONTENT_BYTES: a compression bomb (or a 1-bit image
    filter on a content stream, as in pdf.js' JBIG2 bomb) costs nothing."""
    raw = doc.xref_stream_raw(xref)
    kind, value = doc.xref_get_key(xref, "Filter")
    if kind == "null":
        return raw[:MAX_CONTENT_BYTES]
    if value.replace(" ", "") in ("/FlateDecode", "[/FlateDecode]"):
        return zlib.decompressobj().decompress(raw, MAX_CONTENT_BYTES)
    return b""  # other filters are rare on content; such a page is read without the hidden-text pass


def _split_visible_hidden(page, clipped_area) -> tuple[str, str, float, float]:
    """(visible text, invisible text, visible text area, invisible text area) from the page's text spans."""
    visible, hidden = [], []
    visible_area = hidden_area = 0.0
    for span in page.get_texttrace():
        chars = span["chars"]
        if not chars:
            continue
        try:
            string = "".join(map(chr, map(_FIRST, chars)))
        except (ValueError, OverflowError):  # a code outside Unicode: counted as garbled
            string = "".join([chr(c[0]) if 0 <= c[0] < 0x110000 else "\ufffd" for c in chars])
        if span["type"] == 3 or span["opacity"] == 0:
            hidden.append(string)
            hidden_area += clipped_area(span["bbox"])
        else:
            visible.append(string)
            visible_area += clipped_area(span["bbox"])
    return "".join(visible), "".join(hidden), visible_area, hidden_area


def read_page(page) -> tuple[PageLayout, PageCharacters]:
    """What a page holds, from one stext pass: text blocks, image blocks and vector blocks.

    MuPDF's stext device reports images, image masks and shadings as image blocks and each stroked or filled
    path as a vector block, all in C. Only a page that may hide text (``may_hide_text``) pays a second pass.
    """
    rect = page.rect
    area = max(rect.width * rect.height, 1.0)
    clipped_area = _clipper(rect)
    blocks = page.get_text("blocks", flags=BLOCK_FLAGS)
    text_blocks = [b for b in blocks if b[6] == 0]
    layout = PageLayout()
    text = PageCharacters(blocks=len(text_blocks), fonts=len(page.get_fonts()))
    block_area = sum(clipped_area(b) for b in text_blocks)
    text.block_area = block_area / area / len(text_blocks) if text_blocks else 0.0
    if text_blocks and may_hide_text(page):
        vis, hid, visible_area, hidden_area = _split_visible_hidden(page, clipped_area)
    else:
        vis, hid, visible_area, hidden_area = "".join([b[4] for b in text_blocks]), "", block_area, 0.0
    text.chars = len(vis) - len(SPACE_RE.findall(vis))
    if text.chars:
        text.letters = len(LETTER_RE.findall(vis))
        text.ascii_letters = len(ASCII_LETTER_RE.findall(vis))
        if text.ascii_letters:
            text.vowels = len(VOWEL_RE.findall(vis))
            text.upper = len(UPPER_RE.findall(vis))
        text.punct = len(PUNCT_RE.findall(vis))
        text.garbled = len(GARBLED_RE.findall(vis))
    if hid:
        text.hidden_chars = len(hid) - len(SPACE_RE.findall(hid))
        text.hidden_garbled = len(GARBLED_RE.findall(hid))
    layout.hidden_text_area = min(hidden_area / area, 1.0)
    layout.text_area = min(visible_area / area, 1.0)

    _set_images(layout, [b[:4] for b in blocks if b[6] == 1], rect, clipped_area)
    paths = [b[:4] for b in blocks if b[6] == 3]
    layout.path_count = len(paths)
    if paths:
        layout.path_cover = _cover(paths, rect.x0, rect.y0, max(rect.width, 1.0), max(rect.height, 1.0))
    return layout, text


def page_needs_ocr(layout: PageLayout, text: PageCharacters | None = None) -> bool:
    """A page needs OCR when its visible content is not in its text layer.

    - scanned: an image covers >= 40% of the page and visible text boxes cover < 2% of it (a stamp, a page
      number), whether or not an invisible OCR layer lies on top (we re-OCR those: their quality is unknown);
    - vector text: no text and no image, but >= 100 path operations (text converted to outlines);
    - garbled (sampled pages only, where the characters are read): >= 30% of >= 20 characters are
      replacement, private-use or control characters.
    """
    if layout.image_cover >= SCAN_IMAGE_COVER and layout.text_area < SCAN_MAX_TEXT_AREA:
        return True
    if layout.text_area == 0 and layout.image_count == 0 and layout.path_count >= VECTOR_TEXT_MIN_PATHS:
        return True
    if text is not None:
        chars = text.chars + text.hidden_chars
        if (
            chars >= GARBLED_PAGE_MIN_CHARS
            and (text.garbled + text.hidden_garbled) / chars >= GARBLED_PAGE_RATIO
        ):
            return True
    return False


def _open(pdf_bytes: bytes, max_bytes: int):
    if len(pdf_bytes) > max_bytes:
        raise PdfTooLarge(f"{len(pdf_bytes)} bytes > max_bytes {max_bytes}")
    if not pdf_bytes:
        raise EmptyFile("the PDF has zero bytes")
    if b"%PDF-" not in pdf_bytes[:1024]:  # readers look for the header in the first KiB
        raise CorruptPdf("no %PDF- header in the first 1024 bytes")
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    try:
        doc = pymupdf.open(stream=pdf_bytes, filetype="pdf")
    except Exception as error:  # noqa: BLE001 - MuPDF raises several classes for unreadable files
        raise CorruptPdf(f"{type(error).__name__}: {error}") from None
    if doc.needs_pass and not doc.authenticate(""):
        doc.close()
        raise EncryptedPdf("the PDF needs a password")
    try:
        num_pages = doc.page_count
    except Exception as error:  # noqa: BLE001
        doc.close()
        raise CorruptPdf(f"page tree unreadable: {error}") from None
    if num_pages <= 0:
        doc.close()
        raise ZeroPages("the PDF has no pages")
    return doc, num_pages


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole >= MIN_CHARS_FOR_RATIOS else math.nan


def _agg(values: list[float]) -> tuple[float, float, float]:
    """mean, min, max over the pages where the measure is defined (NaN = missing for XGBoost)."""
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return (math.nan, math.nan, math.nan)
    return (sum(values) / len(values), min(values), max(values))


def extract_features(
    pdf_bytes: bytes,
    key: str | None = None,
    sample_pages: int = DEFAULT_SAMPLE_PAGES,
    seed: int = DEFAULT_SEED,
    max_bytes: int = DEFAULT_MAX_BYTES,
    time_budget_s: float = DEFAULT_TIME_BUDGET_S,
    scan_pages: int = DEFAULT_SCAN_PAGES,
) -> PdfFeatures:
    """Features of one PDF. Raises the declared error (shared/outcomes.py: PdfTooLarge, CorruptPdf, EncryptedPdf, ZeroPages).

    ``time_budget_s`` is checked between pages (the first sampled page is always read): once spent, no further
    page is read (the vector says so in ``doc_out_of_time``, and ``pages_needing_ocr`` becomes None: unknown).
    """
    start = time.perf_counter()
    doc, num_pages = _open(pdf_bytes, max_bytes)
    try:
        return _features(doc, num_pages, pdf_bytes, key, sample_pages, seed, start, time_budget_s, scan_pages)
    finally:
        doc.close()


def _features(doc, num_pages, pdf_bytes, key, sample_pages, seed, start, budget, scan_pages) -> PdfFeatures:
    key = key or document_key(pdf_bytes)
    sampled = sample_page_indexes(num_pages, sample_pages, seed, key)
    layouts: dict[int, PageLayout] = {}
    texts: dict[int, PageCharacters] = {}
    page_errors = 0
    out_of_time = False
    for index in sampled:
        if texts and time.perf_counter() - start > budget:  # the first page is always read
            out_of_time = True
            break
        try:
            layouts[index], texts[index] = read_page(doc.load_page(index))
        except Exception:  # noqa: BLE001 - a broken page is a measure, not a failed document
            page_errors += 1
            layouts.pop(index, None)
    if not texts:
        raise CorruptPdf(f"none of the {len(sampled)} sampled pages could be read")
    if (
        doc.is_repaired
        and not any(t.chars or t.hidden_chars for t in texts.values())
        and not any(x.image_count for x in layouts.values())
    ):
        raise CorruptPdf(
            "damaged PDF (MuPDF had to repair it) with no text and no image left"
        )

    # Every other page that holds an image, for the per-page OCR column over the whole document.
    need_all: list[int] | None = []
    if num_pages > scan_pages:
        need_all = None
    else:
        for index in range(num_pages):
            if index in texts:
                layout, text = layouts[index], texts[index]
            else:
                if time.perf_counter() - start > budget:
                    out_of_time, need_all = True, None
                    break
                try:
                    page = doc.load_page(index)
                    if not page.get_images():  # no image in its resources: not a scan, not worth a pass
                        continue
                    layout, text = read_page(page)
                except Exception:  # noqa: BLE001 - a broken page is a measure, not a failed document
                    page_errors += 1
                    continue
            if page_needs_ocr(layout, text):
                need_all.append(index)
    sampled_need = [i for i in texts if page_needs_ocr(layouts[i], texts[i])]

    read = [i for i in sampled if i in texts]
    L = [layouts[i] for i in read]
    T = [texts[i] for i in read]
    per_page = {
        "chars_log": [math.log1p(t.chars) for t in T],
        "letter_frac": [_ratio(t.letters, t.chars) for t in T],
        "punct_frac": [_ratio(t.punct, t.chars) for t in T],
        "vowel_frac": [_ratio(t.vowels, t.ascii_letters) for t in T],
        "upper_frac": [_ratio(t.upper, t.ascii_letters) for t in T],
        "garbled_frac": [_ratio(t.garbled, t.chars) for t in T],
        "blocks_log": [math.log1p(t.blocks) for t in T],
        "text_area": [x.text_area for x in L],
        "block_area": [t.block_area for t in T],
        "fonts": [float(t.fonts) for t in T],
        "hidden_chars_log": [math.log1p(t.hidden_chars) for t in T],
        "hidden_text_area": [x.hidden_text_area for x in L],
        "images": [float(min(x.image_count, 1000)) for x in L],
        "big_images": [float(min(x.big_image_count, 100)) for x in L],
        "image_cover": [x.image_cover for x in L],
        "max_image_area": [x.max_image_area for x in L],
        "paths_log": [math.log1p(x.path_count) for x in L],
        "path_cover": [x.path_cover for x in L],
        "needs_ocr": [1.0 if i in sampled_need else 0.0 for i in read],
    }
    all_chars = sum(t.chars + t.hidden_chars for t in T)
    garbled_ratio = sum(t.garbled + t.hidden_garbled for t in T) / all_chars if all_chars else 0.0
    meta = doc.metadata or {}
    producer = f"{meta.get('producer') or ''} {meta.get('creator') or ''}"
    try:
        is_form = 1.0 if doc.is_form_pdf else 0.0
    except Exception:  # noqa: BLE001
        is_form = math.nan
    doc_values = {
        "num_pages_log": math.log1p(num_pages),
        "pages_sampled": float(len(read)),
        "bytes_per_page_log": math.log1p(len(pdf_bytes) / num_pages),
        "is_form": is_form,
        "scanner_producer": 1.0 if SCANNER_RE.search(producer) else 0.0,
        "image_tool_producer": 1.0 if IMAGE_TOOL_RE.search(producer) else 0.0,
        "garbled_ratio": garbled_ratio,
        "hidden_ratio": sum(t.hidden_chars for t in T) / all_chars if all_chars else 0.0,
        "pages_no_text_frac": sum(1 for t in T if t.chars + t.hidden_chars == 0) / len(T),
        "sampled_need_ocr_frac": len(sampled_need) / len(T),
        "all_need_ocr_frac": len(need_all) / num_pages if need_all is not None else math.nan,
        "page_errors": float(page_errors),
        "out_of_time": 1.0 if out_of_time else 0.0,
    }
    vector = [v for m in PAGE_MEASURES for v in _agg(per_page[m])] + [doc_values[m] for m in DOC_MEASURES]
    return PdfFeatures(
        num_pages=num_pages,
        sampled_pages=read,
        vector=np.asarray(vector, dtype=np.float32),
        garbled_ratio=garbled_ratio,
        pages_needing_ocr=need_all,
        sampled_pages_needing_ocr=sorted(sampled_need),
        out_of_time=out_of_time,
        repaired=bool(doc.is_repaired),
    )
