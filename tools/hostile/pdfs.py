"""Hostile PDFs, written byte by byte: each one attacks one weakness of a PDF reader.

Every function returns the bytes of one PDF and is deterministic (same arguments, same bytes). None of them
is ever opened here: some hang or exhaust a reader by design (tests check their structure, not a reader's
reaction). What each is expected to do to a reader is said in its docstring.
"""

from __future__ import annotations

import functools
import struct
import zlib

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def stream(entries: bytes, data: bytes) -> bytes:
    """A stream object body: the dictionary entries (without << >>), /Length added."""
    return b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def raw_pdf(objects: list[bytes], trailer: bytes = b"", version: bytes = b"1.7") -> bytes:
    """A classic PDF from object bodies numbered from 1 (object 1 is the catalog), with a correct xref."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _one_page(content: bytes, resources: bytes = b"<< /Font << /F1 4 0 R >> >>", compress: bool = True,
              extra_objects: list[bytes] = (), page_extra: bytes = b"") -> bytes:
    """Catalog 1, Pages 2, Page 3, Font 4, Contents 5, then ``extra_objects`` from 6 on."""
    data = zlib.compress(content, 9) if compress else content
    contents = stream(b"/Filter /FlateDecode" if compress else b"", data)
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources
        + b" /Contents 5 0 R " + page_extra + b">>",
        HELVETICA,
        contents,
        *extra_objects,
    ])


def text_pdf(text: str = "A small, well-formed PDF.") -> bytes:
    """A well-formed one-page PDF with one line of text (the harmless baseline)."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1", "replace")
    return _one_page(b"BT /F1 12 Tf 72 770 Td (" + escaped + b") Tj ET")


def nested_xobjects_pdf(levels: int = 9, fanout: int = 10) -> bytes:
    """Form XObjects nested ``levels`` deep, each drawing the next ``fanout`` times: the page draws X9, Xk draws
    X(k-1) ten times, X0 draws a line. About 3 KB that make a reader interpret 10**9 path operators
    (PyMuPDF's get_text() runs for minutes on it: issue 12, item 2)."""
    first = 6  # X0 is object 6, Xk object 6 + k
    forms = [stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842]", b"0 0 m 595 842 l S")]
    for k in range(1, levels + 1):
        body = b"".join(b"q /X%d Do Q\n" % (k - 1) for _ in range(fanout))
        resources = b"/Resources << /XObject << /X%d %d 0 R >> >>" % (k - 1, first + k - 1)
        forms.append(stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + resources, body))
    top = levels
    resources = b"<< /XObject << /X%d %d 0 R >> >>" % (top, first + top)
    return _one_page(b"q /X%d Do Q" % top, resources=resources, compress=False, extra_objects=forms)


def many_text_operators_pdf(operators: int = 300_000) -> bytes:
    """One page whose content stream holds ``operators`` text-showing operators (Tj), compressed to a few KB:
    a 16 KB PDF like it kept a Docling worker busy past 14 minutes (issue 12, item 3)."""
    letters = b"harbourledgercargo"
    lines = [b"BT /F1 4 Tf 300 400 Td"]
    for i in range(operators):  # every show moves the pen a little: each one is a line of its own to a reader
        letter = letters[i % len(letters) : i % len(letters) + 1]
        lines.append(b"%d 0 Td(%s)Tj" % (1 if i % 2 else -1, letter))
    lines.append(b"ET")
    return _one_page(b"\n".join(lines))


def deep_array_pdf(depth: int = 10_000, good_pages: int = 1) -> bytes:
    """``good_pages`` ordinary pages of prose, then a page whose dictionary holds an array nested ``depth`` deep:
    a recursive parser overflows its stack on that page (MuPDF: the page cannot be loaded, and PyMuPDF hands it
    out as an empty page; issue 12, item 4)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(good_pages + 1))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>"
               % (kids, good_pages + 1), HELVETICA]
    contents_first = 4 + good_pages + 1
    for i in range(good_pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R"
                       b" >> >> /Contents %d 0 R >>" % (contents_first + i))
    objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Deep " + b"[" * depth + b"]" * depth
                   + b" >>")
    for i in range(good_pages):
        objects.append(stream(b"", _prose_page(i + 1, good_pages + 1)))
    return raw_pdf(objects)


@functools.lru_cache(maxsize=4)
def _zeros_deflated(size: int, level: int = 9) -> bytes:
    compressor = zlib.compressobj(level)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(size >> 20)]
    parts.append(compressor.compress(bytes(size & ((1 << 20) - 1))))
    parts.append(compressor.flush())
    return b"".join(parts)


def flate_bomb_pdf(inflated: int = 1 << 30, layers: int = 2) -> bytes:
    """A page whose content stream inflates to ``inflated`` bytes of zeros through ``layers`` FlateDecode
    filters (1 GiB from a few KB with two layers): a reader that inflates without a bound exhausts memory."""
    data = _zeros_deflated(inflated)
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    filters = b"[" + b" ".join([b"/FlateDecode"] * layers) + b"]"
    contents = stream(b"/Filter " + filters, data)
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        contents,
    ])


def image_bomb_pdf(width: int = 40_000, height: int = 40_000) -> bytes:
    """A page that draws one RGB image declared ``width`` x ``height`` (4.8 GB of pixels for 40k x 40k) whose
    Flate data is a few KB: rendering it (OCR, image features) allocates the full bitmap."""
    data = zlib.compress(_zeros_deflated(1 << 26), 9)  # 64 MiB of zeros, twice deflated
    image = stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                   b"/BitsPerComponent 8 /Filter [/FlateDecode /FlateDecode]" % (width, height), data)
    return _one_page(b"q 595 0 0 842 0 0 cm /Im0 Do Q", resources=b"<< /XObject << /Im0 6 0 R >> >>",
                     extra_objects=[image])


def _jbig2_segment(number: int, kind: int, data: bytes, page: int = 1) -> bytes:
    """One JBIG2 segment (ITU-T T.88, 7.2): number, flags (type; 1-byte page association), no referred-to
    segments, page, data length, data."""
    return struct.pack(">IBBBI", number, kind & 0x3F, 0, page, len(data)) + data


def jbig2_bomb_pdf(width: int = 30_000, height: int = 30_000) -> bytes:
    """A page drawing a JBIG2 image whose one generic region is ``width`` x ``height`` pixels from 16 bytes of
    arithmetic-coded data: the decoder computes every pixel (9 * 10**8 for 30k x 30k) from next to nothing."""
    page_info = struct.pack(">IIIIBH", width, height, 0, 0, 0, 0)  # 7.4.8: size, resolution, flags, striping
    region_info = struct.pack(">IIIIB", width, height, 0, 0, 0)  # 7.4.1: size, position, combination operator
    generic = region_info + bytes([0]) + bytes([3, 0xFF, 0xFD, 0xFF, 2, 0xFE, 0xFE, 0xFE]) + bytes(16)  # 7.4.6
    segments = (_jbig2_segment(0, 48, page_info) + _jbig2_segment(1, 38, generic)
                + _jbig2_segment(2, 49, b""))  # page information, immediate generic region, end of page
    image = stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                   b"/BitsPerComponent 1 /Filter /JBIG2Decode" % (width, height), segments)
    return _one_page(b"q 595 0 0 842 0 0 cm /Im0 Do Q", resources=b"<< /XObject << /Im0 6 0 R >> >>",
                     extra_objects=[image])


def lying_page_count_pdf(claimed: int = 100_000_000) -> bytes:
    """A page tree that claims ``claimed`` pages and holds one: readers that trust /Count allocate for it."""
    pdf = text_pdf("The page tree says there are many more pages than this one.")
    return pdf.replace(b"/Count 1 >>", b"/Count %d >>" % claimed, 1)


_LINES = (b"The harbour master kept a ledger of every ship that entered the bay,",
          b"with its cargo, its crew and the weather on the day it arrived.",
          b"Over forty years the ledger grew to eleven volumes, and the town",
          b"library now keeps them in a glass case beside the reading room.")


def _prose_page(number: int, count: int) -> bytes:
    """A content stream: a heading and four lines of prose (enough text for a text route, not an OCR one)."""
    lines = [b"BT /F1 12 Tf 72 770 Td 14 TL (Page %d of %d.) Tj" % (number, count)]
    lines += [b"T* (%s) Tj" % line for line in _LINES]
    return b"\n".join(lines) + b" ET"


def huge_page_count_pdf(pages: int = 5000) -> bytes:
    """A real ``pages``-page PDF (a heading and four lines of prose per page): over extract-docling's
    max_pages of 2000, which issue 12 found cut to 2000 pages unflagged."""
    count = pages
    page_first = 4
    contents_first = page_first + count
    kids = b" ".join(b"%d 0 R" % (page_first + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
               HELVETICA]
    for i in range(count):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R "
                       b">> >> /Contents %d 0 R >>" % (contents_first + i))
    for i in range(count):
        objects.append(stream(b"/Filter /FlateDecode", zlib.compress(_prose_page(i + 1, count), 9)))
    return raw_pdf(objects)


def truncated_pdf() -> bytes:
    """The first 20% of a PDF: MuPDF repairs it and finds pages with nothing left on them."""
    from tools.pdf_fixtures import make_pdf

    whole = make_pdf(["text", "text", "text"])
    return whole[: len(whole) // 5]


def zero_page_pdf() -> bytes:
    """A syntactically valid PDF whose page tree is empty."""
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def encrypted_pdf(user_password: str = "hostile", text: str = "You need the password to read this page.") -> bytes:
    """A text PDF encrypted (standard security handler, RC4 128-bit) with a user password nobody is told; the
    samples' own writer, so the bytes are the same on every run (PyMuPDF's encryption draws a random /ID)."""
    from samples import make_samples

    return make_samples.encrypted_pdf([text], user_password, user_password + "-owner")


def not_a_pdf(kind: str = "html") -> bytes:
    """Bytes that are no PDF but are named like one: an HTML error page, a PNG, a ZIP, random bytes, text."""
    if kind == "html":
        return b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n"
    if kind == "png":
        return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
                + struct.pack(">I", zlib.crc32(b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))))
    if kind == "zip":
        return zip_bomb()
    if kind == "random":
        import random

        rng = random.Random(kind)
        return bytes(rng.getrandbits(8) for _ in range(4096))
    return b"This is a plain text file with a .pdf name.\n"


@functools.lru_cache(maxsize=1)
def zip_bomb(inflated: int = 1 << 30) -> bytes:
    """A ZIP archive holding one file of ``inflated`` zero bytes (about 1 MB for 1 GiB)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("zeros.bin", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(inflated >> 20):
                member.write(block)
    return buffer.getvalue()


# The hostile PDFs by name (the corpus and the tests use these names), each with its default arguments.
SPECIALS = {
    "nested_xobjects": nested_xobjects_pdf,
    "many_text_operators": many_text_operators_pdf,
    "deep_array": deep_array_pdf,
    "flate_bomb": flate_bomb_pdf,
    "image_bomb": image_bomb_pdf,
    "jbig2_bomb": jbig2_bomb_pdf,
    "lying_page_count": lying_page_count_pdf,
    "huge_page_count": huge_page_count_pdf,
    "zero_pages": zero_page_pdf,
    "encrypted": encrypted_pdf,
    "not_a_pdf_html": functools.partial(not_a_pdf, "html"),
    "not_a_pdf_png": functools.partial(not_a_pdf, "png"),
    "not_a_pdf_zip_bomb": functools.partial(not_a_pdf, "zip"),
    "not_a_pdf_random": functools.partial(not_a_pdf, "random"),
    "not_a_pdf_text": functools.partial(not_a_pdf, "text"),
    "empty": lambda: b"",
}
