"""Generate the bundled sample PDFs and their exact ground truth (samples/pdfs/, samples/ground_truth.json).

Every stage tests against these files, so the text is known exactly and the bytes are reproducible: fixed
metadata dates, no random document /ID, seeded scanner noise, and hand-written bytes where PyMuPDF would add
randomness (its encryption draws a random /ID and random padding, so the encrypted sample is written here with
the PDF standard security handler, RC4 128-bit, revision 3).

Run: .venv/bin/python samples/make_samples.py [--out DIR]   (writes DIR/pdfs/ and DIR/ground_truth.json)
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image, ImageFilter

from samples import sample_texts as texts

PAGE_W, PAGE_H = 595, 842  # A4 in points
MARGIN = 72
FIXED_DATE = "D:20240101000000Z"
SCAN_DPI = 200
ENCRYPTED_USER_PASSWORD = "finepdfs-user"
ENCRYPTED_OWNER_PASSWORD = "finepdfs-owner"
TRUNCATE_FRACTION = 0.4
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Style:
    """Fonts and sizes of a page; fonts are MuPDF's built-in ones, embedded as subsets (Latin and Cyrillic)."""

    body: str = "tiro"
    bold: str = "tibo"
    size: float = 11.0
    title_size: float = 15.0


SERIF = Style()
SANS = Style(body="helv", bold="hebo", size=11.0, title_size=15.0)
SCAN = Style(body="helv", bold="hebo", size=12.0, title_size=15.0)  # large and clear: OCR should do well
REPORT = Style(size=11.0, title_size=13.0)
TWO_COLUMN = Style(size=10.5, title_size=16.0)

_FONTS: dict[str, pymupdf.Font] = {}


def _font(name: str) -> pymupdf.Font:
    if name not in _FONTS:
        _FONTS[name] = pymupdf.Font(name)
    return _FONTS[name]


# ---------------------------------------------------------------------------------------------------------
# Ground truth records


def page_truth(
    paragraphs: list[str], header: list[str] | None = None, footer: list[str] | None = None
) -> dict:
    """One page: body text (paragraphs joined by a blank line) and its boilerplate lines apart."""
    return {"text": "\n\n".join(paragraphs), "header": list(header or []), "footer": list(footer or [])}


def file_truth(kind: str, language: str | None, pages: list[dict], **extra) -> dict:
    """Every entry has every key, so tests never need .get()."""
    entry = {
        "kind": kind,
        "language": language,
        "expect": None,
        "layout": "single_column" if pages else None,
        "pages": pages,
        "ocr_pages": [],
        "duplicate_of": None,
        "near_duplicate_of": None,
        "derived_from": None,
        "password": None,
    }
    unknown = set(extra) - set(entry)
    if unknown:
        raise KeyError(f"unknown ground-truth keys: {sorted(unknown)}")
    entry.update(extra)
    return entry


# ---------------------------------------------------------------------------------------------------------
# Born-digital pages


def _fill(
    tw: pymupdf.TextWriter, rect: pymupdf.Rect, paragraphs: list[str], style: Style, title: bool
) -> float:
    """Set paragraphs top-down in rect (first one bold when title); return the y below the last line."""
    y = rect.y0
    for i, para in enumerate(paragraphs):
        heading = title and i == 0
        size = style.title_size if heading else style.size
        font = _font(style.bold if heading else style.body)
        rest = tw.fill_textbox(pymupdf.Rect(rect.x0, y, rect.x1, rect.y1), para, font=font, fontsize=size)
        if rest:
            raise ValueError(f"paragraph does not fit on the page: {para[:50]!r}")
        y = tw.last_point.y + size * (1.2 if heading else 0.9)
    return y


def _centred(tw: pymupdf.TextWriter, y: float, text: str, font: pymupdf.Font, size: float) -> None:
    tw.append(((PAGE_W - font.text_length(text, fontsize=size)) / 2, y), text, font=font, fontsize=size)


def text_page(
    doc: pymupdf.Document,
    paragraphs: list[str],
    style: Style,
    *,
    title: bool = True,
    header: str | None = None,
    footer: str | None = None,
) -> None:
    """Append an A4 page: optional running header (with a rule), the body, an optional centred footer."""
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    tw = pymupdf.TextWriter(page.rect)
    if header:
        _centred(tw, 46, header, _font("tiit"), 9)
        page.draw_line((MARGIN, 54), (PAGE_W - MARGIN, 54), width=0.5)
    _fill(tw, pymupdf.Rect(MARGIN, 84, PAGE_W - MARGIN, PAGE_H - 70), paragraphs, style, title)
    if footer:
        _centred(tw, PAGE_H - 40, footer, _font(style.body), 9)
    tw.write_text(page)


def two_column_page(
    doc: pymupdf.Document, title: str, left: list[str], right: list[str], style: Style
) -> None:
    """Full-width title, then two columns; content order = reading order (column 1, then column 2)."""
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    tw = pymupdf.TextWriter(page.rect)
    top = _fill(tw, pymupdf.Rect(MARGIN, 84, PAGE_W - MARGIN, PAGE_H - 70), [title], style, True)
    gutter = 24
    col_w = (PAGE_W - 2 * MARGIN - gutter) / 2
    _fill(tw, pymupdf.Rect(MARGIN, top, MARGIN + col_w, PAGE_H - 70), left, style, False)
    _fill(tw, pymupdf.Rect(PAGE_W - MARGIN - col_w, top, PAGE_W - MARGIN, PAGE_H - 70), right, style, False)
    tw.write_text(page)


def save_pdf(doc: pymupdf.Document, path: Path, title: str) -> None:
    """Fixed metadata, subset fonts, no random /ID: the same bytes on every run."""
    doc.set_metadata(
        {
            "title": title,
            "author": "finepdfs-stages samples",
            "subject": "",
            "keywords": "",
            "creator": "samples/make_samples.py",
            "producer": "PyMuPDF",
            "creationDate": FIXED_DATE,
            "modDate": FIXED_DATE,
        }
    )
    doc.subset_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path, garbage=4, deflate=True, no_new_id=True)
    doc.close()


# ---------------------------------------------------------------------------------------------------------
# Scanned pages


def scan_image(
    paragraphs: list[str], *, seed: int, angle: float, footer: str | None = None, style: Style = SCAN
) -> bytes:
    """Render a text page to grey pixels, add paper tone, noise, specks, a slight skew and JPEG compression."""
    tmp = pymupdf.open()
    text_page(tmp, paragraphs, style, footer=footer)
    pix = tmp[0].get_pixmap(dpi=SCAN_DPI, colorspace=pymupdf.csGRAY, alpha=False)
    img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    tmp.close()
    rng = np.random.default_rng(seed)
    arr = np.asarray(img, dtype=np.float32) * (222 / 255) + 22  # ink about 22, paper about 244
    arr += rng.normal(0.0, 6.0, arr.shape)
    specks = rng.random(arr.shape) < 0.0004
    arr[specks] = rng.uniform(60, 160, int(specks.sum()))
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=244)
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=60)
    return buf.getvalue()


def image_page(doc: pymupdf.Document, jpeg: bytes) -> None:
    """Append a page that is only a full-page image: no text layer."""
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    page.insert_image(page.rect, stream=jpeg)


# ---------------------------------------------------------------------------------------------------------
# Hand-written PDFs (zero pages; RC4-encrypted)


def assemble_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A classic PDF 1.4 from numbered object bodies (object 1 is the catalog), with a correct xref table."""
    from tools.hostile.pdfs import raw_pdf

    return raw_pdf(objects, trailer, version=b"1.4")


def zero_pages_pdf() -> bytes:
    """A syntactically valid PDF whose page tree is empty."""
    return assemble_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _rc4_rounds(key: bytes, data: bytes) -> bytes:
    """RC4 with the key, then 19 more times with the key XOR 1..19 (standard handler, revision 3)."""
    for i in range(20):
        data = _rc4(bytes(b ^ i for b in key), data)
    return data


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


def _md5(data: bytes) -> bytes:
    return hashlib.md5(data).digest()


def standard_security(
    user_pw: str, owner_pw: str, file_id: bytes, permissions: int = -4
) -> tuple[bytes, ...]:
    """(O, U, file key) of the PDF standard security handler, V2 R3, 128-bit RC4 (ISO 32000-1, 7.6.3)."""
    okey = _md5(_padded(owner_pw))
    for _ in range(50):
        okey = _md5(okey)
    o_value = _rc4_rounds(okey[:16], _padded(user_pw))
    key = _md5(_padded(user_pw) + o_value + struct.pack("<i", permissions) + file_id)
    for _ in range(50):
        key = _md5(key[:16])
    key = key[:16]
    u_value = _rc4_rounds(key, _md5(_PAD + file_id)) + _PAD[:16]
    return o_value, u_value, key


def _wrap(text: str, fontname: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and pymupdf.get_text_length(candidate, fontname=fontname, fontsize=size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def encrypted_pdf(paragraphs: list[str], user_pw: str, owner_pw: str) -> bytes:
    """One page of Helvetica text, RC4-128 encrypted; only the content stream holds encrypted data."""
    file_id = _md5(b"finepdfs-stages samples: broken/encrypted.pdf")
    o_value, u_value, key = standard_security(user_pw, owner_pw, file_id)
    ops = [b"BT"]
    y = PAGE_H - 84.0
    for i, para in enumerate(paragraphs):
        font, name, size = (b"/F2", "hebo", 15.0) if i == 0 else (b"/F1", "helv", 11.0)
        for line in _wrap(para, name, size, PAGE_W - 2 * MARGIN):
            ops.append(b"%s %g Tf 1 0 0 1 %d %.1f Tm %s Tj" % (font, size, MARGIN, y, _pdf_string(line)))
            y -= size * 1.25
        y -= size * 0.8
    ops.append(b"ET")
    content_obj = 5
    obj_key = _md5(key + content_obj.to_bytes(3, "little") + (0).to_bytes(2, "little"))[:16]
    stream = _rc4(obj_key, zlib.compress(b"\n".join(ops), 9))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 5 0 R "
        b"/Resources << /Font << /F1 4 0 R /F2 6 0 R >> >> >>" % (PAGE_W, PAGE_H),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <%s> /U <%s> >>"
        % (o_value.hex().upper().encode(), u_value.hex().upper().encode()),
    ]
    hex_id = file_id.hex().upper().encode()
    return assemble_pdf(objects, b"/Encrypt 7 0 R /ID [<%s> <%s>] " % (hex_id, hex_id))


# ---------------------------------------------------------------------------------------------------------
# The sample set


def _text_doc(path: Path, pages: list[list[str]], style: Style, title: str, **page_kw) -> list[dict]:
    doc = pymupdf.open()
    for paragraphs in pages:
        text_page(doc, paragraphs, style, **page_kw)
    save_pdf(doc, path, title)
    return [page_truth(p) for p in pages]


def build(dest: Path) -> dict:
    """Write dest/pdfs/** and dest/ground_truth.json; return the ground truth."""
    root = dest / "pdfs"
    if root.exists():
        shutil.rmtree(root)
    files: dict[str, dict] = {}

    # --- text/: born-digital
    p = "text/single_page_en.pdf"
    files[p] = file_truth("text", "en", _text_doc(root / p, texts.SINGLE_PAGE_EN, SERIF, "Bees on a rooftop"))
    shutil.copyfile(root / p, root / "text/single_page_en_copy.pdf")
    files["text/single_page_en_copy.pdf"] = file_truth("text", "en", files[p]["pages"], duplicate_of=p)

    p = "text/report_en.pdf"
    doc = pymupdf.open()
    pages = []
    n = len(texts.REPORT_EN)
    for i, paragraphs in enumerate(texts.REPORT_EN, start=1):
        footer = f"Page {i} of {n}"
        text_page(doc, paragraphs, REPORT, header=texts.REPORT_HEADER, footer=footer)
        pages.append(page_truth(paragraphs, header=[texts.REPORT_HEADER], footer=[footer]))
    save_pdf(doc, root / p, "Annual Operations Report 2023")
    files[p] = file_truth("text", "en", pages)

    p = "text/two_column_en.pdf"
    doc = pymupdf.open()
    two_column_page(doc, texts.TWO_COLUMN_TITLE, texts.TWO_COLUMN_LEFT, texts.TWO_COLUMN_RIGHT, TWO_COLUMN)
    save_pdf(doc, root / p, texts.TWO_COLUMN_TITLE)
    reading_order = [texts.TWO_COLUMN_TITLE, *texts.TWO_COLUMN_LEFT, *texts.TWO_COLUMN_RIGHT]
    files[p] = file_truth("text", "en", [page_truth(reading_order)], layout="two_column")

    for p, lang, pages_, style in [
        ("text/bakery_fr.pdf", "fr", texts.FRENCH_FR, SERIF),
        ("text/bicycle_workshop_de.pdf", "de", texts.GERMAN_DE, SANS),
        ("text/olive_harvest_es.pdf", "es", texts.SPANISH_ES, SERIF),
        ("text/baikal_ru.pdf", "ru", texts.RUSSIAN_RU, SERIF),
    ]:
        files[p] = file_truth("text", lang, _text_doc(root / p, pages_, style, pages_[0][0]))

    p = "text/lighthouse_a_en.pdf"
    files[p] = file_truth("text", "en", _text_doc(root / p, texts.NEAR_DUP_EN, SANS, "Skerry Point Light"))
    edited = near_duplicate_text(texts.NEAR_DUP_EN, texts.NEAR_DUP_EDITS)
    q = "text/lighthouse_b_en.pdf"
    files[q] = file_truth(
        "text", "en", _text_doc(root / q, edited, SANS, "Skerry Point Light"), near_duplicate_of=p
    )

    # --- scanned/: image-only pages
    p = "scanned/allotment_letter_en.pdf"
    doc = pymupdf.open()
    image_page(doc, scan_image(texts.SCAN_LETTER_EN[0], seed=11, angle=0.45))
    save_pdf(doc, root / p, "Scanned letter")
    files[p] = file_truth("scanned", "en", [page_truth(texts.SCAN_LETTER_EN[0])], ocr_pages=[0])

    p = "scanned/library_minutes_en.pdf"
    doc = pymupdf.open()
    pages = []
    n = len(texts.SCAN_MINUTES_EN)
    for i, (paragraphs, angle) in enumerate(zip(texts.SCAN_MINUTES_EN, [-0.6, 0.3], strict=True), start=1):
        footer = f"Page {i} of {n}"
        image_page(doc, scan_image(paragraphs, seed=20 + i, angle=angle, footer=footer))
        pages.append(page_truth(paragraphs, footer=[footer]))
    save_pdf(doc, root / p, "Scanned minutes")
    files[p] = file_truth("scanned", "en", pages, ocr_pages=[0, 1])

    p = "scanned/mixed_cast_iron_en.pdf"
    doc = pymupdf.open()
    text_page(doc, texts.MIXED_EN[0], SANS)
    image_page(doc, scan_image(texts.MIXED_EN[1], seed=31, angle=-0.35))
    save_pdf(doc, root / p, "Caring for Cast Iron Cookware")
    files[p] = file_truth("mixed", "en", [page_truth(pg) for pg in texts.MIXED_EN], ocr_pages=[1])

    # --- broken/
    source = "text/report_en.pdf"
    data = (root / source).read_bytes()
    p = "broken/truncated.pdf"
    (root / p).parent.mkdir(parents=True, exist_ok=True)
    (root / p).write_bytes(data[: int(len(data) * TRUNCATE_FRACTION)])
    files[p] = file_truth("broken", None, [], expect="truncated", derived_from=source)

    p = "broken/encrypted.pdf"
    (root / p).write_bytes(
        encrypted_pdf(texts.ENCRYPTED_EN[0], ENCRYPTED_USER_PASSWORD, ENCRYPTED_OWNER_PASSWORD)
    )
    files[p] = file_truth(
        "broken",
        "en",
        [page_truth(texts.ENCRYPTED_EN[0])],
        expect="encrypted",
        password=ENCRYPTED_USER_PASSWORD,
    )

    p = "broken/empty.pdf"
    (root / p).write_bytes(b"")
    files[p] = file_truth("broken", None, [], expect="empty")

    p = "broken/not_a_pdf.pdf"
    (root / p).write_text(texts.NOT_A_PDF_TEXT, encoding="utf-8")
    files[p] = file_truth("broken", None, [], expect="not_pdf")

    p = "broken/zero_pages.pdf"
    (root / p).write_bytes(zero_pages_pdf())
    files[p] = file_truth("broken", None, [], expect="zero_pages")

    truth = {
        "generator": "samples/make_samples.py",
        "page_size_pt": [PAGE_W, PAGE_H],
        "files": dict(sorted(files.items())),
    }
    (dest / "ground_truth.json").write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return truth


def near_duplicate_text(pages: list[list[str]], edits: list[tuple[str, str]]) -> list[list[str]]:
    """The same pages with a few words replaced; each edit must hit exactly once."""
    joined = "\x00".join("\x01".join(p) for p in pages)
    for old, new in edits:
        if joined.count(old) != 1:
            raise ValueError(f"near-duplicate edit {old!r} must occur exactly once")
        joined = joined.replace(old, new)
    return [p.split("\x01") for p in joined.split("\x00")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder receiving pdfs/ and ground_truth.json")
    args = parser.parse_args()
    truth = build(args.out)
    total = sum(f.stat().st_size for f in (args.out / "pdfs").rglob("*") if f.is_file())
    print(f"{len(truth['files'])} files, {total / 1024:.0f} KiB, in {args.out / 'pdfs'}")


if __name__ == "__main__":
    main()
