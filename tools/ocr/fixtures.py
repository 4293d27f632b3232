"""Inputs for the ocr stage without running ingest and classify: routed-PDF shards made from PDF files, and
image-only scans made from known text (for tests, the evaluation and the GPU check). Imports are lazy: the GPU
check uses this where pyarrow may be missing."""

from __future__ import annotations

import hashlib
from pathlib import Path


def routed_row(pdf: bytes, name: str, num_pages: int | None = None, pages_needing_ocr: list[int] | None = None,
               doc_id: str | None = None) -> dict:
    from shared import schemas

    digest = hashlib.sha256(pdf).hexdigest()
    return {
        schemas.ID: doc_id or digest,
        schemas.TEXT: "",
        schemas.MEDIA: [{"id": digest, "type": 2, "url": name, "path": name, "offset": None,
                         "length": len(pdf), "media_bytes": pdf}],
        schemas.SHA256: digest,
        schemas.SIZE_BYTES: len(pdf),
        schemas.URL: None,
        schemas.FILE_PATH: name,
        schemas.DATE: None,
        schemas.DUMP: None,
        schemas.SOURCE_KIND: "file",
        schemas.IS_TRUNCATED: False,
        schemas.NUM_PAGES: num_pages,
        schemas.OCR_PROB: 0.9,
        schemas.ROUTE: schemas.ROUTE_OCR,
        schemas.ROUTE_REASON: "forced",
        schemas.GARBLED_RATIO: 0.0,
        schemas.PAGES_NEEDING_OCR: pages_needing_ocr,
    }


def write_routed_shard(rows: list[dict], folder: str | Path, rank: int = 0) -> Path:
    """One ROUTED_PDFS shard (``<folder>/<rank>.parquet``) as classify would write it, with its ledger (stages
    read only complete datasets)."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    from shared import schemas
    from shared.ledger import ShardLedger, ledger_filename

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=schemas.with_version(schemas.ROUTED_PDFS, "routed_pdfs"))
    path = folder / f"{rank:05d}.parquet"
    pq.write_table(table, path)
    ledger = ShardLedger("classify", rank, docs_in=len(rows), docs_out=len(rows), outputs={"": len(rows)})
    (folder / ledger_filename(rank)).parent.mkdir(exist_ok=True)
    (folder / ledger_filename(rank)).write_text(json.dumps(ledger.to_dict()))
    return path


def routed_shard_from_files(pdfs: list[Path], folder: str | Path, rank: int = 0) -> Path:
    return write_routed_shard([routed_row(Path(p).read_bytes(), Path(p).name) for p in pdfs], folder, rank)


def scanned_pdf(pages: list[str], dpi: int = 150, fontsize: float = 11, text_pages: tuple[int, ...] = ()) -> bytes:
    """A PDF whose pages are images of ``pages`` (no text layer), except ``text_pages`` which keep real text."""
    import pymupdf

    out = pymupdf.open()
    for i, text in enumerate(pages):
        source = pymupdf.open()
        page = source.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(60, 60, 535, 782), text, fontsize=fontsize, fontname="helv")
        target = out.new_page(width=595, height=842)
        if i in text_pages:
            target.insert_textbox(pymupdf.Rect(60, 60, 535, 782), text, fontsize=fontsize, fontname="helv")
        else:
            target.insert_image(target.rect, pixmap=page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY))
    return out.tobytes(deflate=True)


def rendered_page(boxes: list[tuple[tuple[float, float, float, float], str]], fontfile: str | None = None,
                  fontname: str = "helv", fontsize: float = 11, dpi: int = 200, rotate: int = 0,
                  more: list[tuple[tuple[float, float, float, float], str, str, float]] = ()):
    """A grayscale PIL image of an A4 page holding each text in its rectangle (points), turned ``rotate``
    degrees counter-clockwise (a page fed the wrong way); ``more``: (rect, text, font name, size) in other
    fonts (a page of two scripts)."""
    import pymupdf
    from PIL import Image

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    if fontfile:
        page.insert_font(fontname="F0", fontfile=fontfile)
        fontname = "F0"
    for rect, text in boxes:
        page.insert_textbox(pymupdf.Rect(*rect), text, fontsize=fontsize, fontname=fontname)
    for rect, text, font, size in more:
        page.insert_textbox(pymupdf.Rect(*rect), text, fontsize=size, fontname=font)
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    return image.rotate(rotate, expand=True) if rotate else image


def image_pdf(images: list, dpi: int = 200) -> bytes:
    """An image-only PDF (a scan): one page per PIL image, each page the image's physical size at ``dpi``."""
    import io

    import pymupdf

    doc = pymupdf.open()
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        page = doc.new_page(width=image.width * 72 / dpi, height=image.height * 72 / dpi)
        page.insert_image(page.rect, stream=buffer.getvalue())
    return doc.tobytes(deflate=True)
