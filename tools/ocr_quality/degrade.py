"""The scan recipe: a born-digital page -> a noisy grayscale scan -> an image-only PDF (what a scanner writes).

Every step is driven by the page's parameters in the manifest (the seed included), so the same manifest
builds the same scans byte for byte with the same PyMuPDF / Pillow / NumPy:

1. render at ``dpi`` (150-200), grayscale;
2. ``rotate`` by 0/90/180/270 (a page fed the wrong way), then ``skew_deg`` (a crooked page), white fill;
3. paper and ink: the page is mapped from [0, 255] to [``ink``, ``paper``] (grey paper, worn toner);
4. Gaussian blur of ``blur`` px (optics, focus), Gaussian noise of ``noise`` grey levels (sensor, paper);
5. JPEG at ``jpeg_quality`` (a scanner's default compression), embedded as the only content of a PDF page of
   the scan's physical size.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ScanParams:
    dpi: int
    skew_deg: float
    blur: float
    noise: float
    jpeg_quality: int
    ink: int
    paper: int
    seed: int
    rotate: int = 0

    @classmethod
    def draw(cls, rng, rotate: int = 0) -> ScanParams:
        """Parameters for one page from a seeded ``random.Random`` (the selection script's recipe)."""
        return cls(
            dpi=rng.choice(range(150, 201, 5)),
            skew_deg=round(rng.uniform(-2.0, 2.0), 2),
            blur=round(rng.uniform(0.3, 0.9), 2),
            noise=round(rng.uniform(4.0, 14.0), 1),
            jpeg_quality=rng.choice(range(30, 76, 5)),
            ink=rng.choice(range(10, 61, 5)),
            paper=rng.choice(range(220, 251, 5)),
            seed=rng.randrange(2**31),
            rotate=rotate,
        )

    def as_dict(self) -> dict:
        return asdict(self)


def scan_image(page, params: ScanParams):
    """The degraded page as a grayscale PIL image."""
    import numpy as np
    import pymupdf
    from PIL import Image, ImageFilter

    pix = page.get_pixmap(dpi=params.dpi, colorspace=pymupdf.csGRAY, alpha=False, annots=True)
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    if params.rotate:
        image = image.rotate(params.rotate, expand=True)  # counter-clockwise, as PIL does
    if params.skew_deg:
        image = image.rotate(params.skew_deg, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    pixels = np.asarray(image, dtype=np.float32)
    pixels = params.ink + pixels * ((params.paper - params.ink) / 255.0)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if params.blur:
        image = image.filter(ImageFilter.GaussianBlur(params.blur))
    rng = np.random.default_rng(params.seed)
    pixels = np.asarray(image, dtype=np.float32) + rng.normal(0.0, params.noise, size=(image.height, image.width))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def jpeg_bytes(image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def scan_pdf(pages: list[tuple[bytes, int, int, int]]) -> bytes:
    """An image-only PDF, one page per (JPEG bytes, width px, height px, dpi), each page the scan's size."""
    import pymupdf

    doc = pymupdf.open()
    for data, width, height, dpi in pages:
        page = doc.new_page(width=width * 72 / dpi, height=height * 72 / dpi)
        page.insert_image(page.rect, stream=data)
    out = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return out
