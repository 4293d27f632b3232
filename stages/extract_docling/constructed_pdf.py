"""Small PDFs written operator by operator, for tests that stand in for real documents where those cannot be
had (a suite's PDFs outside the evaluation cache, a Debian package too large to fetch in CI): the text is set
exactly as the real document sets it (pen moves instead of space glyphs, a circle glyph over a letter, turned
text matrices) so that the fix the real document guards is guarded here too."""

from __future__ import annotations

# base-14 fonts the content streams name: F1 Helvetica, F2 Times-Roman; F3 is Helvetica whose "O" is given as
# U+20DD (combining enclosing circle) by its ToUnicode map, as TeX's symbol font gives its large circle
FONTS = {"F1": "Helvetica", "F2": "Times-Roman", "F3": "Helvetica"}
_CIRCLE_CMAP = """/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Circle def /CMapType 2 def
1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfchar <4F> <20DD> endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end"""


def text_pdf(contents: list[str], width: float = 612, height: float = 792, rotate: int = 0) -> bytes:
    """A PDF of one page per content stream (PDF operators; fonts F1-F3 as in FONTS), ``rotate`` its /Rotate."""
    objects: list[bytes] = []

    def add(body: str | bytes) -> int:
        objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objects)

    catalog, pages = add(""), add("")
    fonts = {}
    for name, base in FONTS.items():
        extra = ""
        if name == "F3":
            extra = f" /ToUnicode {add(_stream(_CIRCLE_CMAP.encode()))} 0 R"
        fonts[name] = add(f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding{extra} >>")
    font_dict = " ".join(f"/{n} {ref} 0 R" for n, ref in fonts.items())
    kids = []
    for content in contents:
        stream = add(_stream(content.encode("latin-1")))
        kids.append(add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {width} {height}] /Rotate {rotate} "
                        f"/Resources << /Font << {font_dict} >> >> /Contents {stream} 0 R >>"))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages} 0 R >>".encode()
    objects[pages - 1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>stream\n" % len(data) + data + b"\nendstream"


def pdf_string(text: str) -> str:
    """``text`` as a PDF literal string (WinAnsi), parentheses and backslashes escaped."""
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def lines_at(lines: list[str], x: float, top: float, pitch: float, font: str = "F2", size: float = 12) -> str:
    """Operators that set each line at ``x``, the first at ``top`` (PDF y), the next ``pitch`` lower."""
    ops = [f"BT /{font} {size} Tf"]
    for i, line in enumerate(lines):
        ops.append(f"1 0 0 1 {x} {top - i * pitch:.2f} Tm {pdf_string(line)} Tj")
    ops.append("ET")
    return "\n".join(ops)


# PyMuPDF's names of the base-14 fonts a laid-out page sets its text in: Times roman and bold, Helvetica, Courier
LAID_OUT_FONTS = {"R": "tiro", "B": "tibo", "I": "tiit", "H": "helv", "C": "cour"}


def laid_out_pdf(lines: list[tuple], rules: list[tuple], width: float = 595, height: float = 842) -> bytes:
    """A one-page PDF set as a real page is: ``lines`` as (x, baseline y, size, text, font key of
    LAID_OUT_FONTS), y from the top, a sixth item the width the line is narrowed or widened to (a real page's
    font set narrower than Helvetica); ``rules`` as (x0, y0, x1, y1) rectangles filled black (a drawn rule is a
    thin filled rectangle in most word processors' PDFs), or with a fifth item, a grey level (a shaded cell);
    one of no height or width is a stroke 1 point wide from (x0, y0) to (x1, y1), and a sixth item its width."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=width, height=height)
    for x0, y0, x1, y1, *paint in rules:
        level = paint[0] if paint else 0
        if x0 == x1 or y0 == y1:
            page.draw_line((x0, y0), (x1, y1), color=(level, level, level), width=paint[1] if paint[1:] else 1)
        else:
            page.draw_rect((x0, y0, x1, y1), color=None, fill=(level, level, level), width=0)
    for x, y, size, text, font, *width in lines:
        morph = None
        if width:
            natural = pymupdf.get_text_length(text, fontname=LAID_OUT_FONTS[font], fontsize=size)
            morph = (pymupdf.Point(x, y), pymupdf.Matrix(width[0] / natural, 1))
        page.insert_text((x, y), text, fontsize=size, fontname=LAID_OUT_FONTS[font], morph=morph)
    return doc.tobytes()


def right_aligned(right: float, y: float, size: float, text: str, font: str = "H") -> tuple:
    """A line of ``laid_out_pdf`` set flush right at ``right`` (figures in a table's column)."""
    import pymupdf

    width = pymupdf.get_text_length(text, fontname=LAID_OUT_FONTS[font], fontsize=size)
    return (right - width, y, size, text, font)


def row_lines(rows: list[tuple]) -> list[tuple]:
    """``laid_out_pdf``'s lines from a table's rows as (baseline y, size, font key, [(x, width, text), ...])."""
    return [(x, y, size, text, font, width) for y, size, font, cells in rows for x, width, text in cells]
