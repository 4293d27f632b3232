"""Tiny well-formed PDFs made in the tests: born-digital text, scans, scans under an invisible OCR layer (the broken
and hostile ones are tools/hostile/pdfs.py)."""

from __future__ import annotations

import pymupdf

PROSE = (
    "The harbour master kept a ledger of every ship that entered the bay, with its cargo, its crew and the "
    "weather on the day it arrived. Over forty years the ledger grew to eleven volumes, and the town "
    "library now keeps them in a glass case beside the reading room."
)


def text_page(doc, text: str = PROSE) -> None:
    page = doc.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(60, 60, 535, 782), (text + " ") * 6, fontsize=11)


def scan_page(doc, text: str = PROSE, ocr_layer: bool = False) -> None:
    """A page that is one bitmap of text (a scan), optionally under invisible OCR text (render mode 3)."""
    src = pymupdf.open()
    text_page(src, text)
    pix = src[0].get_pixmap(dpi=60, colorspace=pymupdf.csGRAY)
    page = doc.new_page(width=595, height=842)
    page.insert_image(page.rect, stream=pix.tobytes("jpeg", jpg_quality=60))
    if ocr_layer:
        page.insert_textbox(pymupdf.Rect(60, 60, 535, 782), (text + " ") * 6, fontsize=11, render_mode=3)


def make_pdf(kinds: list[str], title: str = "Harbour records") -> bytes:
    """One page per kind: "text", "scan", "scan+ocr", "blank"."""
    doc = pymupdf.open()
    for i, kind in enumerate(kinds):
        if kind == "text":
            text_page(doc, f"{title}, page {i + 1}. {PROSE}")
        elif kind == "scan":
            scan_page(doc)
        elif kind == "scan+ocr":
            scan_page(doc, ocr_layer=True)
        else:
            doc.new_page(width=595, height=842)
    return doc.tobytes(garbage=3, deflate=True)
