"""Synthetic labelled PDFs for the router, made from real text PDFs at training time (never committed).

Each variant reproduces a real-world failure of the text layer, or a real-world trap for the router:

- ``scan`` (ocr): every page rendered to a bitmap with scanner-like damage (skew, noise, uneven paper, JPEG
  compression or 1-bit thresholding, sometimes cut into horizontal strips as some scanners write them,
  sometimes a small visible stamp such as a page number) and put back as an image-only page;
- ``scan_ocr_layer`` (ocr): the same, plus an invisible text layer (render mode 3) line by line with OCR-like
  character errors, as OCRmyPDF or a scanner's OCR would add;
- ``garbled`` (ocr): the original PDF with every font's ToUnicode CMap replaced by a wrong one (private-use
  codes, replacement characters, or a scrambled code table): the page looks right, the text layer is garbage;
- ``outlined`` (ocr): every page redrawn with its glyphs converted to vector paths (no text layer at all);
- ``mixed`` (ocr): a multi-page PDF with some of its pages replaced by scans;
- ``background`` (text): the original text layer over a full-page or large background picture (slides,
  letterheads, brochures): images cover the page, yet the text layer is good;
- ``blank_pages`` (text): the original with one or two empty pages inserted (separator pages, empty backs of
  duplex prints): a page without text is not a reason to OCR.

Each derivative is checked (e.g. a garbled PDF whose extracted text still resembles the source is discarded),
and all derivatives of a source stay on the source's side of the train/test split.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAX_SOURCE_PAGES = 8

PRODUCERS = [
    "",
    "Canon iR-ADV C5535 PDF",
    "EPSON Scan",
    "Xerox WorkCentre 7855",
    "KODAK Capture Pro Software",
    "ScanSnap Manager #iX500",
    "HP Digital Sending Device",
    "RICOH MP C4504",
    "img2pdf 0.4.4",
    "Adobe Acrobat 11.0 Image Conversion Plug-in",
    "GPL Ghostscript 9.50",
    "Microsoft: Print To PDF",
    "Adobe PDF Library 15.0",
    "Quartz PDFContext",
    "iText 5.5.13",
    "PDFsharp 1.50",
]

LABEL_TEXT, LABEL_OCR = "text", "ocr"
VARIANT_LABELS = {
    "scan": LABEL_OCR,
    "scan_ocr_layer": LABEL_OCR,
    "garbled": LABEL_OCR,
    "outlined": LABEL_OCR,
    "mixed": LABEL_OCR,
    "background": LABEL_TEXT,
    "blank_pages": LABEL_TEXT,
}


@dataclass
class SynthDoc:
    path: Path
    label: str
    variant: str
    source: str  # the source PDF it derives from (keeps derivatives on one side of the split)


def _rng(seed: int, source_key: str, variant: str) -> tuple[random.Random, np.random.Generator]:
    digest = hashlib.sha256(f"{seed}:{source_key}:{variant}".encode()).digest()
    value = int.from_bytes(digest[:8], "big")
    return random.Random(value), np.random.default_rng(value)


def _source_doc(pdf_bytes: bytes):
    import pymupdf

    doc = pymupdf.open(stream=pdf_bytes, filetype="pdf")
    if doc.page_count > MAX_SOURCE_PAGES:
        doc.select(list(range(MAX_SOURCE_PAGES)))
    return doc


def _save(doc, path: Path, rng: random.Random, producer: str | None = None) -> None:
    meta = {"creationDate": "D:20200101000000", "modDate": "D:20200101000000"}
    if producer is not None:
        meta |= {"producer": producer, "creator": producer}
    doc.set_metadata({**(doc.metadata or {}), **meta})
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path, garbage=3, deflate=True, no_new_id=True)  # a random /ID would make bytes differ by run


# --- scans --------------------------------------------------------------------------------------------------
def _scan_image(page, rng: random.Random, nrng: np.random.Generator) -> tuple[list[bytes], str]:
    """Render a page like a cheap scanner would: returns image streams (1 or several strips) and the style."""
    import pymupdf

    dpi = rng.choice([100, 120, 150, 200])
    angle = rng.uniform(-2.5, 2.5)
    gray = rng.random() < 0.7
    zoom = dpi / 72
    matrix = pymupdf.Matrix(zoom, zoom).prerotate(angle)
    pix = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY if gray else pymupdf.csRGB, alpha=False)
    arr = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n).astype(np.float32)
    # crop the rotated render back to the page's size at this dpi
    want_h, want_w = int(page.rect.height * zoom), int(page.rect.width * zoom)
    top, left = max((arr.shape[0] - want_h) // 2, 0), max((arr.shape[1] - want_w) // 2, 0)
    arr = arr[top : top + want_h, left : left + want_w]
    # paper: uneven illumination, a tint, sensor noise, slightly washed-out blacks
    h, w = arr.shape[:2]
    shade = np.linspace(rng.uniform(-18, 0), rng.uniform(-18, 0), h, dtype=np.float32)[:, None, None]
    arr = arr * rng.uniform(0.85, 1.0) + rng.uniform(10, 35) + shade
    arr += nrng.normal(0, rng.uniform(3, 14), arr.shape).astype(np.float32)
    if not gray:
        arr[..., 2] -= rng.uniform(0, 20)  # yellowed paper
    arr = np.clip(arr, 0, 255).astype(np.uint8)
    bilevel = gray and rng.random() < 0.3
    if bilevel:
        arr = np.where(arr < rng.uniform(110, 160), 0, 255).astype(np.uint8)
    quality = rng.randint(25, 85)
    n_strips = rng.choice([1, 1, 1, 4, 8]) if h >= 64 else 1
    streams = []
    for i in range(n_strips):
        part = np.ascontiguousarray(arr[i * h // n_strips : (i + 1) * h // n_strips])
        cs = pymupdf.csGRAY if part.shape[2] == 1 else pymupdf.csRGB
        strip = pymupdf.Pixmap(cs, part.shape[1], part.shape[0], part.tobytes(), False)
        streams.append(strip.tobytes("png") if bilevel else strip.tobytes("jpeg", jpg_quality=quality))
    style = (
        f"{dpi}dpi {'bilevel' if bilevel else f'jpeg q{quality}'} {'gray' if gray else 'rgb'} "
        f"skew {angle:+.1f} strips {n_strips}"
    )
    return streams, style


def _put_scan(out, src_page, rng, nrng, stamp: bool) -> None:
    import pymupdf

    rect = src_page.rect
    new = out.new_page(width=rect.width, height=rect.height)
    streams, _ = _scan_image(src_page, rng, nrng)
    for i, stream in enumerate(streams):
        y0 = rect.height * i / len(streams)
        y1 = rect.height * (i + 1) / len(streams)
        new.insert_image(pymupdf.Rect(0, y0, rect.width, y1), stream=stream, keep_proportion=False)
    if stamp:  # e.g. a page number or a scan-station stamp: a few visible characters over the bitmap
        new.insert_text((rect.width * 0.45, rect.height - 18), f"{new.number + 1}", fontsize=8)
    return new


def _ocr_noise(text: str, rng: random.Random, rate: float) -> str:
    confusions = {"l": "1", "O": "0", "rn": "m", "e": "c", "i": "l", "S": "5", "B": "8", "a": "o"}
    chars = []
    for ch in text:
        if rng.random() < rate:
            chars.append(confusions.get(ch, rng.choice("il1.,'~-")))
        else:
            chars.append(ch)
    return "".join(chars)


def _add_ocr_layer(new_page, src_page, rng: random.Random) -> None:
    """An invisible OCR-like text layer (render mode 3), one text line per source line, with errors."""
    import pymupdf

    lines: dict[tuple[int, int], list] = {}
    for x0, y0, x1, y1, word, block, line, _ in src_page.get_text("words"):
        lines.setdefault((block, line), []).append((x0, y0, x1, y1, word))
    writer = pymupdf.TextWriter(new_page.rect)
    font = pymupdf.Font("helv")
    rate = rng.uniform(0.01, 0.12)
    for words in lines.values():
        x0, y0, _, y1, _ = words[0]
        text = " ".join(w[4] for w in words)
        text = _ocr_noise(text.encode("latin-1", "replace").decode("latin-1"), rng, rate)
        size = max(min((y1 - y0) * 0.9, 40), 3)
        try:
            writer.append((x0, y1 - (y1 - y0) * 0.2), text, font=font, fontsize=size)
        except Exception:  # noqa: BLE001 - a line the font cannot set is left out, as OCR would miss it
            continue
    writer.write_text(new_page, render_mode=3)


def make_scan(src, rng, nrng, with_ocr_layer: bool):
    import pymupdf

    out = pymupdf.open()
    stamp = rng.random() < 0.2
    for page in src:
        new = _put_scan(out, page, rng, nrng, stamp)
        if with_ocr_layer:
            _add_ocr_layer(new, page, rng)
    return out


def make_mixed(src, rng, nrng):
    import pymupdf

    n = src.page_count
    k = rng.randint(1, max(1, n // 2))
    scanned = set(rng.sample(range(n), k))
    out = pymupdf.open()
    for i, page in enumerate(src):
        if i in scanned:
            _put_scan(out, page, rng, nrng, stamp=False)
        else:
            out.insert_pdf(src, from_page=i, to_page=i)
    return out, sorted(scanned)


# --- broken text layers ------------------------------------------------------------------------------------
def _cmap(two_byte: bool, flavor: str, rng: random.Random) -> str:
    """A ToUnicode CMap that maps every code to the wrong character.

    Flavors: ``pua`` (private-use codes, as symbolic fonts without a usable map give), ``fffd`` (unmappable),
    ``scramble`` (one-byte fonts only: a shuffled table of printable ASCII, letters turn into punctuation).
    """
    head = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Broken def /CMapType 2 def\n1 begincodespacerange\n"
        + ("<0000> <FFFF>" if two_byte else "<00> <FF>")
        + "\nendcodespacerange\n"
    )
    entries = []
    if two_byte:
        # No "scramble" into another script here: a router that cannot read languages must not learn that
        # Cyrillic or CJK text is garbage. Two-byte fonts break into private-use codes or U+FFFD.
        base = None if flavor == "fffd" else 0xE000
        for hi in range(256):
            start = f"{hi:02X}00"
            end = f"{hi:02X}FF"
            target = 0xFFFD if base is None else base + (hi * 256) % 0x1000
            if base is None:
                entries.append(f"<{start}> <{end}> [" + " ".join(["<FFFD>"] * 256) + "]")
            else:
                entries.append(f"<{start}> <{end}> <{target:04X}>")
        body = ""
        for i in range(0, len(entries), 100):
            chunk = entries[i : i + 100]
            body += f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange\n"
    else:
        printable = [c for c in range(33, 127)]
        rng.shuffle(printable)
        for code in range(256):
            if flavor == "pua":
                target = 0xE000 + code
            elif flavor == "fffd":
                target = 0xFFFD
            else:
                target = printable[code % len(printable)]
            entries.append(f"<{code:02X}> <{target:04X}>")
        body = ""
        for i in range(0, len(entries), 100):
            chunk = entries[i : i + 100]
            body += f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
    return head + body + "endcmap CMapName currentdict /CMap defineresource pop end end\n"


def make_garbled(src, rng: random.Random, flavor: str | None = None):
    """Every font's ToUnicode replaced by a wrong map (Type3 fonts are left alone)."""
    fonts = {f[0] for pno in range(src.page_count) for f in src.get_page_fonts(pno) if f[0] > 0}
    flavor = flavor or rng.choice(["pua", "fffd", "scramble"])
    for xref in sorted(fonts):
        subtype = src.xref_get_key(xref, "Subtype")[1]
        if subtype == "/Type3":
            continue
        cmap_xref = src.get_new_xref()
        src.update_object(cmap_xref, "<<>>")
        src.update_stream(cmap_xref, _cmap(subtype == "/Type0", flavor, rng).encode())
        src.xref_set_key(xref, "ToUnicode", f"{cmap_xref} 0 R")
    return src, flavor


def make_outlined(src):
    """Every page redrawn from an SVG whose glyphs are paths: the page looks the same, no text layer."""
    import pymupdf

    out = pymupdf.open()
    for page in src:
        svg = page.get_svg_image(text_as_path=True)
        with pymupdf.open("svg", svg.encode()) as svg_doc:
            pdf_bytes = svg_doc.convert_to_pdf()
        with pymupdf.open("pdf", pdf_bytes) as one:
            out.insert_pdf(one)
    return out


def make_background(src, rng: random.Random, nrng: np.random.Generator):
    """A picture behind the text on some pages (the text layer stays on top and stays good)."""
    import pymupdf

    for page in src:
        if rng.random() < 0.3 and page.number > 0:
            continue
        h, w = 200, int(200 * page.rect.width / max(page.rect.height, 1))
        base = nrng.uniform(150, 255, size=3)
        grad = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
        arr = base * (0.75 + 0.25 * grad) + nrng.normal(0, 12, (h, w, 3))
        arr = np.clip(arr, 0, 255).astype(np.uint8)
        pix = pymupdf.Pixmap(pymupdf.csRGB, w, h, np.ascontiguousarray(arr).tobytes(), False)
        if rng.random() < 0.6:
            rect = page.rect
        else:  # a large photo behind part of the page
            r = page.rect
            fw, fh = rng.uniform(0.5, 0.9), rng.uniform(0.4, 0.7)
            x0, y0 = rng.uniform(0, 1 - fw) * r.width, rng.uniform(0, 1 - fh) * r.height
            rect = pymupdf.Rect(x0, y0, x0 + fw * r.width, y0 + fh * r.height)
        page.insert_image(
            rect, stream=pix.tobytes("jpeg", jpg_quality=70), overlay=False, keep_proportion=False
        )
    return src


def make_blank_pages(src, rng: random.Random):
    rect = src[0].rect
    for _ in range(rng.randint(1, 2)):
        src.new_page(pno=rng.randint(0, src.page_count), width=rect.width, height=rect.height)
    return src


# --- checks -------------------------------------------------------------------------------------------------
def _words(doc, pages: int = 3) -> set[str]:
    words = set()
    for page in doc.pages(0, min(pages, doc.page_count)):
        words.update(w for w in page.get_text().split() if len(w) >= 3)
    return words


def make_variants(pdf_bytes: bytes, source_key: str, out_dir: Path, seed: int) -> list[SynthDoc]:
    """All synthetic derivatives of one text PDF (written under ``out_dir``); which ones is seeded."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    made: list[SynthDoc] = []
    pick, _ = _rng(seed, source_key, "pick")
    src_words = _words(_source_doc(pdf_bytes))
    if len(src_words) < 10:
        return made  # too little text to tell a broken layer from the source

    def target(variant: str) -> Path:
        return out_dir / f"{source_key[:16]}__{variant}.pdf"

    wanted = ["scan"]
    if pick.random() < 0.5:
        wanted.append("scan_ocr_layer")
    if pick.random() < 0.6:
        wanted.append("garbled")
    if pick.random() < 0.35:
        wanted.append("outlined")
    if _source_doc(pdf_bytes).page_count >= 2 and pick.random() < 0.8:
        wanted.append("mixed")
    if pick.random() < 0.6:
        wanted.append("background")
    if pick.random() < 0.4:
        wanted.append("blank_pages")

    for variant in wanted:
        rng, nrng = _rng(seed, source_key, variant)
        src = _source_doc(pdf_bytes)
        try:
            if variant in ("scan", "scan_ocr_layer"):
                out = make_scan(src, rng, nrng, with_ocr_layer=variant == "scan_ocr_layer")
                _save(out, target(variant), rng, producer=rng.choice(PRODUCERS))
            elif variant == "mixed":
                out, _ = make_mixed(src, rng, nrng)
                _save(out, target(variant), rng)
            elif variant == "garbled":
                out, _ = make_garbled(src, rng)
                _save(out, target(variant), rng)
                with pymupdf.open(target(variant)) as check:
                    overlap = len(_words(check) & src_words) / len(src_words)
                if overlap > 0.2:  # the broken CMap did not take (e.g. Type3 fonts): not a garbled PDF
                    target(variant).unlink()
                    continue
            elif variant == "outlined":
                out = make_outlined(src)
                _save(out, target(variant), rng)
            elif variant == "background":
                out = make_background(src, rng, nrng)
                _save(out, target(variant), rng)
            elif variant == "blank_pages":
                out = make_blank_pages(src, rng)
                _save(out, target(variant), rng)
        except Exception:  # noqa: BLE001 - a source MuPDF cannot transform gives no derivative
            target(variant).unlink(missing_ok=True)
            continue
        made.append(SynthDoc(target(variant), VARIANT_LABELS[variant], variant, source_key))
    return made
