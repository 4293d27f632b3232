"""Page rendering as FinePDFs does it, in a pool of bounded worker processes.

Sizing (FinePDFs' RolmOCR setup, Qwen2.5-VL's patch grid): the page is scaled so that its longest side is
1280 px, then each side is rounded to a multiple of 28 (one vision token covers 28x28 px) and the pixel count is
kept within [56*28*28, 2048*28*28] by rescaling, aspect ratio kept. The same images feed every engine.

PDFs are hostile, so pages are opened, rendered (and, for the CPU engines, OCR'd) in child processes
(shared.isolation.BoundedWorker): a page that hangs MuPDF or allocates without bound costs that page (a timeout
or a crash, reported as a failed page) and a restarted worker, never the task.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.outcomes import CorruptPdf, EncryptedPdf, ZeroPages

PATCH = 28  # Qwen2.5-VL: 14 px patches merged 2x2 into one token
MAX_ASPECT_RATIO = 200  # Qwen2.5-VL's processor refuses more elongated images


@dataclass(frozen=True)
class RenderSpec:
    longest_side: int = 1280
    factor: int = PATCH
    min_pixels: int = 56 * PATCH * PATCH
    max_pixels: int = 2048 * PATCH * PATCH
    blank_max_ink: float = 0.0001  # a page whose ink share is at most this is blank: no request (0: never)
    ink_contrast: int = 64  # a pixel is ink when it is this many grey levels (of 255) away from the paper


@dataclass(frozen=True)
class PageImage:
    """A page rendered for a VLM: the PNG (None for a blank page, which is never sent) and its ink pixels
    (what the answer's length is checked against: a long answer from little ink is a hallucination)."""

    png_b64: str | None
    ink_pixels: int
    pixels: int

    @property
    def blank(self) -> bool:
        return self.png_b64 is None


@dataclass(frozen=True)
class ScanResolution:
    """How the CPU engines see a page. A scan is read at the resolution it was scanned at (its page-covering
    image's pixels per inch, times ``scale``), kept within [min_dpi, max_dpi]; a page without such an image
    (vector text, a page that classify routed to OCR for another reason) at ``vector_dpi``. ``finepdfs``: at
    FinePDFs' VLM size instead (1280 px longest side: about 110 dpi for A4, too coarse for Tesseract)."""

    min_dpi: int = 150
    max_dpi: int = 300
    vector_dpi: int = 200
    scale: float = 1.0
    max_megapixels: float = 24.0  # a poster-sized page is read at a lower resolution rather than at 1 GB
    finepdfs: bool = False


class PageTooElongated(ValueError):
    """The page's aspect ratio is beyond what the vision model accepts."""


def target_size(width: float, height: float, spec: RenderSpec = RenderSpec()) -> tuple[int, int]:
    """Pixel (width, height) for a page of ``width`` x ``height`` (any unit) under ``spec``."""
    if width <= 0 or height <= 0:
        raise ValueError(f"page has no area: {width} x {height}")
    if max(width, height) / min(width, height) > MAX_ASPECT_RATIO:
        raise PageTooElongated(f"aspect ratio {max(width, height) / min(width, height):.0f} > {MAX_ASPECT_RATIO}")
    scale = spec.longest_side / max(width, height)
    w, h = width * scale, height * scale
    f = spec.factor
    w_bar, h_bar = max(f, round(w / f) * f), max(f, round(h / f) * f)
    if w_bar * h_bar > spec.max_pixels:
        beta = math.sqrt(w * h / spec.max_pixels)
        w_bar, h_bar = max(f, math.floor(w / beta / f) * f), max(f, math.floor(h / beta / f) * f)
    elif w_bar * h_bar < spec.min_pixels:
        beta = math.sqrt(spec.min_pixels / (w * h))
        w_bar, h_bar = math.ceil(w * beta / f) * f, math.ceil(h * beta / f) * f
    return w_bar, h_bar


# --- runs inside a worker process ----------------------------------------------------------------------
class PdfCache:
    """The few PDFs a worker has open (pages of one document usually arrive together)."""

    def __init__(self, size: int = 2):
        from shared.mupdf import import_pymupdf

        import_pymupdf()  # before this worker's first `import pymupdf` (render and CPU OCR workers): no layout model
        self.size = size
        self._open: OrderedDict[str, Any] = OrderedDict()

    def get(self, path: str):
        import pymupdf

        if path in self._open:
            self._open.move_to_end(path)
            return self._open[path]
        try:
            doc = pymupdf.open(path, filetype="pdf")
        except Exception as error:  # noqa: BLE001 - MuPDF raises several classes; the row says which
            message = str(error).replace(path, "the PDF")  # no temp path in error rows: outputs stay identical
            raise CorruptPdf(f"MuPDF cannot open it ({type(error).__name__}: {message})") from None
        if doc.needs_pass:
            doc.close()
            raise EncryptedPdf("the PDF is encrypted and needs a password")
        self._open[path] = doc
        while len(self._open) > self.size:
            self._open.popitem(last=False)[1].close()
        return doc


def page_count(cache: PdfCache, path: str) -> int:
    count = cache.get(path).page_count
    if count == 0:
        raise ZeroPages("the PDF has no pages")
    return count


def render_page(cache: PdfCache, path: str, index: int, spec: RenderSpec):
    """The page as an RGB PIL image of exactly ``target_size`` pixels."""
    import pymupdf
    from PIL import Image

    page = cache.get(path)[index]
    rect = page.rect
    width, height = target_size(rect.width, rect.height, spec)
    matrix = pymupdf.Matrix(width / rect.width, height / rect.height)
    pix = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csRGB, alpha=False, annots=True)
    image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    if image.size != (width, height):  # MuPDF rounds the transformed rectangle; land exactly on the grid
        image = image.resize((width, height), Image.Resampling.BICUBIC)
    return image


def ink_pixels(image, contrast: int) -> int:
    """Pixels at least ``contrast`` grey levels away from the paper (the page's median grey), either way, so
    that white-on-black pages count too. Faint show-through from the back of the leaf, scanner noise and
    JPEG ringing stay under the contrast; print, handwriting, stamps and photos do not. A few milliseconds
    per page at the VLM size: a blank leaf costs no request (olmOCR issue #292: a VLM asked about a blank
    scan wrote a page of text)."""
    import numpy as np

    grey = np.asarray(image.convert("L"), dtype=np.int16)
    paper = int(np.median(grey))
    return int(np.count_nonzero(np.abs(grey - paper) >= contrast))


def page_image(image, spec: RenderSpec) -> PageImage:
    pixels = image.width * image.height
    ink = ink_pixels(image, spec.ink_contrast)
    if spec.blank_max_ink > 0 and ink <= spec.blank_max_ink * pixels:
        return PageImage(None, ink, pixels)
    return PageImage(png_base64(image), ink, pixels)


def scan_dpi(page) -> float | None:
    """Pixels per inch of the image that covers most of the page (at least half of it), else None."""
    best, best_area = None, 0.0
    page_area = abs(page.rect.width * page.rect.height)
    for info in page.get_image_info():
        x0, y0, x1, y1 = info["bbox"]
        area = abs((x1 - x0) * (y1 - y0))
        if area >= 0.5 * page_area and area > best_area and x1 > x0:
            sides = sorted((info["width"], info["height"]))
            extent = sorted((abs(x1 - x0), abs(y1 - y0)))  # a rotated placement swaps the sides
            best, best_area = max(sides[0] / extent[0], sides[1] / extent[1]) * 72, area
    return best


def render_for_ocr(cache: PdfCache, path: str, index: int, resolution: ScanResolution, spec: RenderSpec,
                   own_dpi: bool = False):
    """The page as a grayscale PIL image for the CPU engines (see ScanResolution). ``own_dpi``: a scan at its
    own resolution even above ``max_dpi`` (still within ``max_megapixels``): the pixels a plain engine read of
    the scan sees."""
    import pymupdf
    from PIL import Image

    if resolution.finepdfs and not own_dpi:
        return render_page(cache, path, index, spec).convert("L")
    page = cache.get(path)[index]
    native = scan_dpi(page)
    if not native:
        dpi = min(resolution.max_dpi, max(resolution.min_dpi, resolution.vector_dpi))
    else:
        dpi = max(resolution.min_dpi, native) if own_dpi else scan_read_dpi(native, resolution)
    inches = abs(page.rect.width * page.rect.height) / 72**2
    dpi = min(dpi, math.sqrt(resolution.max_megapixels * 1e6 / inches)) if inches else dpi
    target_size(page.rect.width, page.rect.height, spec)  # refuses pages of absurd shape, as for RolmOCR
    pix = page.get_pixmap(dpi=round(dpi), colorspace=pymupdf.csGRAY, alpha=False, annots=True)
    return Image.frombytes("L", (pix.width, pix.height), pix.samples)


def scaled_down(cache: PdfCache, path: str, index: int, resolution: ScanResolution) -> bool:
    """Is the page a scan that ``render_for_ocr`` reads at fewer pixels than its own (over ``max_dpi``, or at
    FinePDFs' VLM size)? Only there does a plain engine read of the scan see other pixels than ours."""
    native = scan_dpi(cache.get(path)[index])
    if native is None:
        return False
    return resolution.finepdfs or native > scan_read_dpi(native, resolution) + 0.5


def scan_read_dpi(native: float, resolution: ScanResolution) -> float:
    """The resolution a scan of ``native`` dpi is read at (before the megapixel cap): scaled, within bounds."""
    return min(resolution.max_dpi, max(resolution.min_dpi, native * resolution.scale))


def text_layer(cache: PdfCache, path: str, index: int) -> str:
    """The page's own text layer (pages that classify found readable in a mixed PDF)."""
    return cache.get(path)[index].get_text("text", sort=True)


def laid_out_text_layer(cache: PdfCache, path: str, index: int) -> str:
    """The page's own text layer laid out as the text path lays out born-digital pages (textkit/layout.py:
    furniture out, columns, paragraphs), for the per-page safety net."""
    from textkit.layout import Box, page_text

    page = cache.get(path)[index]
    boxes = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", ()):
            text = "".join(span["text"] for span in line["spans"]).strip()
            size = max((span["size"] for span in line["spans"]), default=0.0)
            if text and abs(line["dir"][1]) < 0.05:
                boxes.append(Box(*line["bbox"], text, size=size))
    return page_text(boxes, page.rect.width, page.rect.height).text


def png_base64(image) -> str:
    import base64
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # lossless either way; level 6 costs 3-4x the time
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def init_render_worker(spec: RenderSpec):
    return spec, PdfCache()


def render_work(state, payload: tuple) -> int | str | PageImage:
    """("count", path) -> pages; ("text", path, i) -> text layer; ("layer", path, i) -> the text layer laid out
    (the safety net's); ("ocr", path, i) -> page i as a PageImage."""
    spec, cache = state
    op, path, *rest = payload
    if op == "count":
        return page_count(cache, path)
    if op == "text":
        return text_layer(cache, path, rest[0])
    if op == "layer":
        return laid_out_text_layer(cache, path, rest[0])
    return page_image(render_page(cache, path, rest[0], spec), spec)


class SpilledPdf:
    """A document's PDF bytes written once to a private temp file, so workers open it by path (no copying of
    the bytes per page); removed when the document is done."""

    def __init__(self, pdf_bytes: bytes, folder: str | None = None):
        fd, self.path = tempfile.mkstemp(suffix=".pdf", prefix="finepdfs-ocr-", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(pdf_bytes)

    def remove(self) -> None:
        Path(self.path).unlink(missing_ok=True)

    def __enter__(self) -> SpilledPdf:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()
