"""Ink share of pages as the ocr stage measures it before asking a VLM (stages/ocr/render.py ink_pixels): the
bundled scans and synthetic pages that are blank, noisy, show-through, nearly blank or faint. The evidence behind
[ocr] blank_max_ink, ink_contrast and hallucination_ink_per_char (stages/ocr/README.md).

    python -m tools.ocr.ink_levels [--contrast 64]
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEXT = "The quick brown fox jumps over the lazy dog. " * 40


def synthetic_pages(seed: int = 0) -> dict:
    """name -> (grey PIL image of an A4 page at 150 dpi, the text printed on it)."""
    import numpy as np
    from PIL import Image, ImageFilter

    from tools.ocr.fixtures import rendered_page

    rng = np.random.default_rng(seed)

    def scanned(image, noise: float = 8):  # sensor noise, then JPEG at quality 40
        grey = np.asarray(image, dtype=np.float32) + rng.normal(0, noise, (image.height, image.width))
        buffer = io.BytesIO()
        Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=40)
        return Image.open(buffer).convert("L")

    def faint(image, strength: float):  # the back of the leaf showing through: mirrored, pale
        return image.transpose(Image.Transpose.FLIP_LEFT_RIGHT).point(lambda v: 255 - (255 - v) * strength)

    full = rendered_page([((60, 60, 535, 782), TEXT)], dpi=150)
    return {
        "white page": (Image.new("L", full.size, 255), ""),
        "noisy blank scan": (scanned(Image.new("L", full.size, 255), noise=20), ""),
        "show-through 18%": (scanned(faint(full, 0.18)), ""),
        "show-through 30%, blurred": (scanned(faint(full, 0.30).filter(ImageFilter.GaussianBlur(1.5))), ""),
        "page number alone": (scanned(rendered_page([((280, 790, 320, 810), "17")], dpi=150)), "17"),
        "one 16 pt heading": (scanned(rendered_page([((60, 60, 535, 100), "Chapter Three")], fontsize=16,
                                                    dpi=150)), "Chapter Three"),
        "page of 11 pt text": (scanned(full), TEXT),
        "page of 6 pt text": (scanned(rendered_page([((60, 60, 535, 782), TEXT)], fontsize=6, dpi=150)), TEXT),
        "white on black": (scanned(full.point(lambda v: 255 - v)), TEXT),
        "faded (ink 120 on paper 235)": (scanned(full.point(lambda v: 120 + v * 0.45)), TEXT),
    }


def measure(image, contrast: int) -> tuple[int, int]:
    """(ink pixels, pixels) of ``image`` rendered as the stage renders a page for a VLM (1280 px)."""
    import tempfile

    from stages.ocr.render import PdfCache, RenderSpec, ink_pixels, render_page
    from tools.ocr.fixtures import image_pdf

    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(image_pdf([image], dpi=150))
        pdf.flush()
        rendered = render_page(PdfCache(), pdf.name, 0, RenderSpec())
    return ink_pixels(rendered, contrast), rendered.width * rendered.height


def main(argv: list[str] | None = None) -> int:
    import pymupdf

    from stages.ocr.render import PdfCache, RenderSpec, ink_pixels, render_page

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contrast", type=int, default=64)
    args = parser.parse_args(argv)
    print(f"{'page':34} {'ink share':>10} {'ink px/char':>12}")
    for name, (image, text) in synthetic_pages().items():
        ink, pixels = measure(image, args.contrast)
        chars = sum(1 for c in text if not c.isspace())
        print(f"{name:34} {ink / pixels:10.5f} {ink / chars if chars else float('nan'):12.1f}")
    for path in sorted((REPO / "samples" / "pdfs" / "scanned").glob("*.pdf")):
        for index in range(pymupdf.open(path).page_count):
            rendered = render_page(PdfCache(), str(path), index, RenderSpec())
            share = ink_pixels(rendered, args.contrast) / (rendered.width * rendered.height)
            print(f"{path.name + f' p{index}':34} {share:10.5f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
