"""Tiny PDFs made in the tests: born-digital text, scans, scans under an invisible OCR layer, broken files."""

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


def encrypted_pdf() -> bytes:
    doc = pymupdf.open()
    text_page(doc)
    return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")


def truncated_pdf() -> bytes:
    """The first 20% of a PDF: MuPDF repairs it and finds pages with nothing left on them."""
    whole = make_pdf(["text", "text", "text"])
    return whole[: len(whole) // 5]


ZERO_PAGES_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def nested_xobjects_pdf(levels: int = 9, fanout: int = 10) -> bytes:
    """About 3 KB that keep MuPDF's text extraction busy for minutes: the page draws Form XObject X<levels>,
    each Xk draws X(k-1) ``fanout`` times, X0 draws a line (fanout ** levels draws)."""
    doc = pymupdf.open()
    page = doc.new_page(width=200, height=200)
    xrefs: list[int] = []
    for k in range(levels + 1):
        xref = doc.get_new_xref()
        if k == 0:
            content, resources = b"0 0 m 10 10 l S", "<< >>"
        else:
            content = b" ".join(b"q /X%d Do Q" % (k - 1) for _ in range(fanout))
            resources = f"<< /XObject << /X{k - 1} {xrefs[-1]} 0 R >> >>"
        doc.update_object(xref, f"<< /Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources {resources} >>")
        doc.update_stream(xref, content, compress=False)
        xrefs.append(xref)
    contents = doc.get_new_xref()
    doc.update_object(contents, "<< >>")
    doc.update_stream(contents, f"q /X{levels} Do Q".encode(), compress=False)
    doc.xref_set_key(page.xref, "Contents", f"{contents} 0 R")
    doc.xref_set_key(page.xref, "Resources", f"<< /XObject << /X{levels} {xrefs[levels]} 0 R >> >>")
    return doc.tobytes()


def many_text_operators_pdf(operators: int = 300_000) -> bytes:
    """One page whose compressed content stream (about 24 KB) moves and shows text ``operators`` times: Docling
    spends a minute on it whatever its own document_timeout (it checks that between pages only)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 72), "x", fontsize=1)  # a font resource the stream can use
    font = next(iter(page.get_fonts()))[4]
    moves = b" ".join(b"%d %d Td (ab) Tj" % (i % 7 - 3, i % 5 - 2) for i in range(operators))
    doc.update_stream(page.get_contents()[0], b"BT /%s 4 Tf 300 400 Td " % font.encode() + moves + b" ET",
                      compress=True)
    return doc.tobytes(deflate=True)
