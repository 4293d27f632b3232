"""The model-free text path: PyMuPDF's text lines with their boxes, laid out by textkit.layout.

PyMuPDF gives every text line of a page with its box, font size, bold/italic flags and writing direction, at
about 15 ms a page. textkit.layout turns them into page text: furniture out (page numbers, running heads
that repeat across the document, publisher lines, rotated margin stamps), columns in reading order,
paragraphs joined and de-hyphenated (words the document spells whole elsewhere are rejoined), tables as
Markdown (optional). PyMuPDF's bundled layout model is switched off here: it would cost about 0.5 s a page.
"""

from __future__ import annotations

import gc
import math
import re
import statistics
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import pairwise

from stages.extract_docling.figure_text import drop_figure_text
from textkit import bidi
from textkit.layout import (
    BULLETS,
    NUMBERED_CAPTION,
    TABLE_NOTE,
    Box,
    Rule,
    document_gutters,
    markdown_table,
    merged_rules,
    mirrored,
    page_text,
    reading_turn,
    repeated_edge_keys,
    rows,
    turned,
    union,
    vocabulary,
)

# Keep MuPDF's ligature decomposition ("ﬁ" -> "fi"); clip to the page; whitespace as in the PDF.
BOLD, ITALIC = 16, 2
MIN_GRID_STROKES = 3  # strokes crossing at this many places across and down: PyMuPDF's table finder looks


@dataclass(frozen=True)
class PageExtraction:
    text: str
    furniture_chars: int
    failure: str | None = None  # why the page could not be read (it is then a failed page, not an empty one)
    unmapped_chars: int = 0  # private-use code points removed: glyphs the PDF gives no Unicode for
    furniture_kept: bool = False  # the furniture rules would have emptied the page: it kept its lines (layout)
    figure_chars: int = 0  # labels drawn inside charts and diagrams, left out (figure_text)


# glyphs whose font maps them to no real character (no reader can use them): the private-use areas of Unicode,
# the replacement character MuPDF gives a glyph it cannot map, and control characters
UNMAPPED = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# a dingbat or symbol font's glyphs (check boxes, bullets) come as their codes, which in U+0080-U+009F ftfy reads
# as Windows-1252 ("\x84" a low quote, "\x99" a trade mark sign); in a text font they may be just that
_SYMBOL_FONT = re.compile(r"ding|symbol|pi(?![a-z])", re.IGNORECASE)  # Wingdings, Dingbats, Symbol, EuropeanPi
_C1 = re.compile("[\x80-\x9f]")


def _span_text(span: dict) -> str:
    """A span's text, without the codes a symbol font's glyphs come as in U+0080-U+009F (``_SYMBOL_FONT``)."""
    text = span["text"]
    return _C1.sub("", text) if _C1.search(text) and _SYMBOL_FONT.search(span["font"]) else text


def drop_unmapped(lines: list[Box]) -> tuple[list[Box], int]:
    """The lines without their unmapped glyphs (``UNMAPPED``; a line of nothing else goes), and how many went."""
    kept, removed = [], 0
    for box in lines:
        if UNMAPPED.search(box.text):
            text = UNMAPPED.sub("", box.text)
            removed += len(box.text) - len(text)
            if not text.strip():
                continue
            box = replace(box, text=" ".join(text.split()))
        kept.append(box)
    return kept, removed


def drop_overprinted(lines: list[Box], max_shift: float = 0.5) -> list[Box]:
    """The lines without the copies drawn over them: a line whose text another line before it has, set at
    nearly the same place (each edge shifted less than ``max_shift`` type sizes), is a second stroke of the
    same words (a fake bold or a shadow drawn as the text again), not more text. PDFBox's and poppler's text
    output drop such overlapping copies too. (Type sizes, not box heights: a line set sideways is as tall as
    it is long.)"""
    kept: list[Box] = []
    seen: dict[str, list[Box]] = {}
    for box in lines:
        shift = max_shift * max(box.text_size, 1.0)
        copies = seen.setdefault(box.text, [])
        if any(max(abs(box.x0 - c.x0), abs(box.y0 - c.y0), abs(box.x1 - c.x1), abs(box.y1 - c.y1)) < shift
               for c in copies):
            continue
        copies.append(box)
        kept.append(box)
    return kept


# TeX's \copyright and \textregistered: a letter drawn inside a large circle, which MuPDF gives as the letter
# and U+20DD (combining enclosing circle), in either order ("c⃝ 1994")
_CIRCLED = re.compile("([cCrR])\u20dd|\u20dd([cCrR])")
_CIRCLED_SIGNS = {"c": "©", "r": "®"}


def _gap_along(before: tuple, after: tuple, direction: tuple[float, float]) -> float:
    """The room between two spans' boxes along their line's writing direction (any of the four upright ones)."""
    dx, dy = direction
    if abs(dx) >= abs(dy):
        return after[0] - before[2] if dx > 0 else before[0] - after[2]
    return after[1] - before[3] if dy > 0 else before[1] - after[3]


def _spans_text(line: dict) -> str:
    """A line's text from its spans, with a space after a bullet drawn as a span of its own and set apart
    from its item by the pen (LibreOffice's and Word's lists, "◦bullet list 2.1", "●True"): MuPDF puts no space
    there, the bullet runs into the item's first word and the item is no list item for the text path."""
    spans = line["spans"]
    texts = [_span_text(s) for s in spans]
    first = next((i for i, text in enumerate(texts) if text.strip()), None)
    if first is not None and first + 1 < len(spans) and len(texts[first].strip()) == 1 and texts[first].strip() in BULLETS:
        after = spans[first + 1]
        size = max(spans[first]["size"], after["size"])
        if (texts[first + 1][:1].strip() and not texts[first][-1:].isspace()
                and _gap_along(spans[first]["bbox"], after["bbox"], line["dir"]) > WORD_GAP * size):
            texts[first] += " "
    return "".join(texts)


def _line_box(line: dict) -> Box | None:
    spans = [s for s in line["spans"] if _span_text(s).strip()]
    if not spans:
        return None
    text = line["logical"].strip() if "logical" in line else _spans_text(line).strip()
    if "\u20dd" in text:
        text = _CIRCLED.sub(lambda m: _CIRCLED_SIGNS[(m.group(1) or m.group(2)).lower()], text)
    if len(spans) == 1:  # most lines: one span, its size
        size = round(spans[0]["size"], 1)
    else:
        sizes: dict[float, int] = {}
        for s in spans:
            sizes[round(s["size"], 1)] = sizes.get(round(s["size"], 1), 0) + len(s["text"].strip())
        size = max(sizes, key=sizes.get)
    dx, dy = line["dir"]
    rotation = 0 if dy == 0 and dx > 0 else round(math.degrees(math.atan2(-dy, dx))) % 360
    if min(rotation, 360 - rotation) <= 2:
        rotation = 0  # baseline jitter, not rotated text
    bold = all(s["flags"] & BOLD or "bold" in s["font"].lower() for s in spans)
    italic = all(s["flags"] & ITALIC or any(k in s["font"].lower() for k in ("italic", "oblique")) for s in spans)
    x0, y0, x1, y1 = line["bbox"]
    runs = (tuple((_span_text(s), s["bbox"][0], s["bbox"][2]) for s in line["spans"])
            if len(spans) > 1 and not rotation and "logical" not in line else ())
    return Box(x0, y0, x1, y1, text, size=size, rotation=rotation, bold=bold, italic=italic, runs=runs)


def page_textpage(page):
    """The page's text parsed once, with the flags every reading of it here uses ("dict" and "rawdict" in
    ``page_lines``, a ruled table's glyphs in ``PageGlyphs``). No TEXT_MEDIABOX_CLIP (in MuPDF 1.26 and later the
    same bit, TEXT_CLIP, drops every character outside the clipping path): a cell's text that runs past the
    cell's clip would be cut mid-word ("consectetur adip"), text clipped away whole would go; PDFBox and poppler
    read both. Text off the page stays out regardless."""
    import pymupdf

    return page.get_textpage(flags=pymupdf.TEXT_PRESERVE_WHITESPACE)


def rawdict_blocks(page, textpage) -> list[dict]:
    """The "rawdict" blocks of ``textpage`` (``page_textpage``'s), read once and kept on it: ``page_lines``
    (accents, run-on words, right-to-left text) and a ruled table's ``PageGlyphs`` read the same characters,
    and reading them is most of a text page's cost. ``page_lines`` adds each span's text and a line's logical
    text to them; ``PageGlyphs`` reads neither."""
    import pymupdf

    blocks = getattr(textpage, "_rawdict_blocks", None)
    if blocks is None:
        blocks = page.get_text("rawdict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE, textpage=textpage)["blocks"]
        textpage._rawdict_blocks = blocks
    return blocks


def _glyph_signs(spans_text: str, lines_text: str) -> Iterator[bool]:
    """The signs that a page's lines want reading from their glyphs ("rawdict"), one at a time so a caller
    stops at the first it needs: right-to-left letters, a run-on word, a letter-spaced line (searched in the
    lines' texts: MuPDF parts a line's spans there), a separate accent. Named once here for both readers of
    them (``_may_want_glyphs`` on the plain text, ``_glyphs_wanted`` on the spans)."""
    yield bidi.has_rtl(spans_text)
    yield _RUN_ON.search(spans_text) is not None
    yield _LETTER_SPACED.search(lines_text) is not None
    yield _has_accent(spans_text)


def _glyphs_wanted(blocks: list[dict]) -> tuple[bool, bool, bool] | None:
    """Whether a page's lines are read from their glyphs: (right-to-left letters, a run-on word, a
    letter-spaced line), None where none of these nor a separate accent is in them (``_glyph_signs``).
    ``blocks``: "dict" blocks, or "rawdict" blocks with each span's text."""
    lines = [line for block in blocks for line in block.get("lines", ())]
    # the spans' texts, and the lines', each searched once as one text: a line break parts them, which none of the
    # patterns matches (a character class; the letter-spaced run's ends take it for a space, as a text's ends)
    spans_text = "\n".join([span["text"] for line in lines for span in line["spans"]])
    lines_text = "\n".join(["".join([span["text"] for span in line["spans"]]) for line in lines])
    signs = _glyph_signs(spans_text, lines_text)
    if next(signs):
        return True, False, False
    run_on, letter_spaced = next(signs), next(signs)
    return (False, run_on, letter_spaced) if run_on or letter_spaced or next(signs) else None


def _may_want_glyphs(text: str) -> bool:
    """Whether the page's plain text (its lines' characters, a line break after each) holds any of
    ``_glyph_signs``: where it does not, neither do the spans' texts (the same characters, parted further), and
    the page is read as "dict" alone."""
    return any(_glyph_signs(text, text))


def _texts_from_glyphs(page, textpage) -> list[dict] | None:
    """The "rawdict" blocks of a page whose plain text may want its glyphs read (``_may_want_glyphs``), with
    each span's text (its characters', as "dict" gives it); None for any other page, and where PyMuPDF cannot
    hand out the glyphs (``page_lines`` then reads "dict" and meets that again where it needs them). A page
    read from its glyphs was read as "dict" first only to find that out: a third of the table suites' pages,
    each a "dict" reading (a quarter of a "rawdict" one) for nothing."""
    if not _may_want_glyphs(textpage.extractText()):
        return None
    try:
        blocks = rawdict_blocks(page, textpage)
    except SystemError:
        return None
    for block in blocks:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                span["text"] = "".join([c["c"] for c in span["chars"]])
    return blocks


def page_lines(page, textpage=None) -> list[Box]:
    import pymupdf

    flags = pymupdf.TEXT_PRESERVE_WHITESPACE  # page_textpage's
    textpage = textpage or page_textpage(page)  # parsed once, for "dict" and "rawdict" alike
    blocks = _texts_from_glyphs(page, textpage)
    wanted = None if blocks is None else _glyphs_wanted(blocks)
    if wanted is None:
        blocks = page.get_text("dict", flags=flags, textpage=textpage)["blocks"]
        wanted = _glyphs_wanted(blocks)
    if wanted is not None and wanted[0]:
        try:
            blocks = _logical_blocks(rawdict_blocks(page, textpage))
        except SystemError:  # PyMuPDF cannot hand out some unmapped glyphs one by one (seen in arabi's fonts)
            _logical_lines_one_by_one(page, blocks, flags)
    elif wanted is not None:
        blocks = _composed_blocks(rawdict_blocks(page, textpage), *wanted[1:])
    pieces = [p for block in blocks for line in block.get("lines", ()) for typed in typed_pieces(line)
              for p in split_wide_spaces(typed)]
    boxes = [box for piece in split_at_column_starts(pieces) if (box := _line_box(piece)) is not None]
    return _upright_letters(blocks) or boxes


# a figure: digits with their signs, separators, units and brackets ("1,144", "(182.2–204.8)", "12.5%", "†")
_FIGURE = re.compile(r"^[-+–−(\[]?[$€£]?[\d.,]*\d[\d.,]*%?[–−-]?[\d.,]*[)\]]?[*a-z]?$|^[†‡#*—–-]$")
WIDE_SPACE = 1.5  # type sizes: a space this wide parts a line's pieces (table cells set on one baseline)
WIDE_SPACE_FIGURES = 0.6  # between two figures (a table's columns of numbers set close together)
# between two figures of four digits or more ending in a digit ("2,753,438 2,799,250", bold figures filling their
# columns): wider than a word space (0.25-0.33), which prose never sets such figures apart by alone; a listing's
# monospaced space (0.5-0.6) parts short figures with their commas ("c(46, 28,")
WIDE_SPACE_LARGE_FIGURES = 0.45
_LARGE_FIGURE = re.compile(r"^[-+–−(]?[$€£]?(?=(?:[.,]?\d){4})[\d.,]*\d%?\)?$")


MONOSPACED = 8  # MuPDF's span flag for a font of one pitch (Courier: a typewriter's or a line printer's text)
# on a fixed pitch, cells are set apart by spaces the width of letters: three or more part any two pieces (two
# end a typed sentence), dot leaders part a label from its figures, one or two part two figures (right-aligned
# columns)
_TYPED_GAP = re.compile(r" {3,}|(?: ?\.){5,} *| {1,2}(?=\S)")


def typed_pieces(line: dict) -> list[dict]:
    """A line set in a monospaced font, whose spaces are characters of the span rather than moves of the pen
    (ICDAR 2013 us-034: each row of a table typed as one Courier line, "0.99 .......  800   880   960 1,040"),
    as the pieces its gaps part (``_TYPED_GAP``; a single space only between two figures), each with the box its
    characters fill on the line's pitch. Other lines (a line of several spans has its gaps as moves of the pen,
    ``split_wide_spaces``), and a monospaced line with no such gap, are returned whole."""
    if len(line["spans"]) != 1 or abs(line["dir"][1]) > 0.01 or line["dir"][0] <= 0:
        return [line]
    [span] = line["spans"]
    text = span["text"]
    if not span["flags"] & MONOSPACED or not text.strip():
        return [line]
    pieces, start = [], 0
    for gap in _TYPED_GAP.finditer(text):
        figures = _FIGURE.match(text[start:gap.start()].split(" ")[-1]) and _FIGURE.match(text[gap.end():].split(" ")[0])
        if gap.group().strip(" ") or len(gap.group()) >= 3 or figures:
            pieces.append((start, gap.start()))
            start = gap.end()
    pieces = [(a, b) for a, b in [*pieces, (start, len(text))] if text[a:b].strip()]
    x0, y0, x1, y1 = span["bbox"]
    pitch = (x1 - x0) / len(text)
    out = []
    for a, b in pieces:
        a += len(text[a:b]) - len(text[a:b].lstrip())
        b -= len(text[a:b]) - len(text[a:b].rstrip())
        bbox = (x0 + a * pitch, y0, x0 + b * pitch, y1)
        out.append({**line, "spans": [{**span, "text": text[a:b], "bbox": bbox}], "bbox": bbox})
    return out


def split_wide_spaces(line: dict) -> list[dict]:
    """A PDF line as the pieces that a space span (MuPDF's own, where the PDF moves the pen) wider than
    ``WIDE_SPACE`` type sizes parts, or ``WIDE_SPACE_FIGURES`` between two figures (``WIDE_SPACE_LARGE_FIGURES``
    between two large ones): cells of one table row that MuPDF reads as one line ("1,144 193.5" under "no."
    and "Rate", a header "PK–12   PK–8   9–12"), which would be one cell spanning their columns. Horizontal lines only; a line's text read from its
    characters (right-to-left, composed accents) stays whole."""
    spans = line["spans"]
    if len(spans) < 3 or "logical" in line or abs(line["dir"][1]) > 0.01 or line["dir"][0] <= 0:
        return [line]
    has_ink = [bool(s["text"].strip()) for s in spans]
    next_inked: list[dict | None] = [None] * len(spans)  # the first inked span after each: found once, not per gap
    for i in range(len(spans) - 2, -1, -1):
        next_inked[i] = spans[i + 1] if has_ink[i + 1] else next_inked[i + 1]
    pieces: list[list[dict]] = [[]]
    before = None  # the last inked span of the piece being filled
    for i, span in enumerate(spans):
        if has_ink[i] or not pieces[-1]:
            pieces[-1].append(span)
            before = span if has_ink[i] else before
            continue
        after = next_inked[i]
        if after is None or before is None:
            pieces[-1].append(span)
            continue
        gap = after["bbox"][0] - before["bbox"][2]
        size = max(before["size"], after["size"], 1.0)
        left, right = before["text"].strip().split()[-1], after["text"].strip().split()[0]
        wide = (WIDE_SPACE_LARGE_FIGURES if _LARGE_FIGURE.match(left) and _LARGE_FIGURE.match(right) else
                WIDE_SPACE_FIGURES if _FIGURE.match(left) and _FIGURE.match(right) else WIDE_SPACE)
        if gap >= wide * size:
            pieces.append([])
            before = None
        else:
            pieces[-1].append(span)
    if len(pieces) == 1:
        return [line]
    out = []
    for piece in pieces:
        inked = [s for s in piece if s["text"].strip()]
        if not inked:
            continue
        bbox = (min(s["bbox"][0] for s in inked), min(s["bbox"][1] for s in inked),
                max(s["bbox"][2] for s in inked), max(s["bbox"][3] for s in inked))
        out.append({**line, "spans": piece, "bbox": bbox})
    return out


LABEL_SPACE = 0.5  # type sizes: wider than a word space (0.25-0.33), narrower than ``WIDE_SPACE``
_COLUMN_SLACK = 1.0  # points: two pieces start in one column


def _is_bold(span: dict) -> bool:
    return bool(span["flags"] & BOLD) or "bold" in span["font"].lower()


def _label_cut(piece: dict, starts: list[float]) -> int | None:
    """Where a piece parts into a bold label and its value (the index of the value's first span): a bold run,
    a space wider than ``LABEL_SPACE`` type sizes, then a value not bold that starts where two other pieces of
    the page start (a key-value column: a Wikipedia infobox's "Original author(s)  Andreas Gal" on one PDF
    line, its label a little shorter than the label column); else None."""
    spans = piece["spans"]
    inked = [i for i, s in enumerate(spans) if s["text"].strip()]
    for before, after in pairwise(inked):
        left, right = spans[before], spans[after]
        if not _is_bold(left):
            return None
        if _is_bold(right) or after - before == 1:
            continue  # the label goes on, or no space span between (no pen move to part at)
        gap = right["bbox"][0] - left["bbox"][2]
        x = right["bbox"][0]
        aligned = sum(1 for start in starts if abs(start - x) <= _COLUMN_SLACK)
        return after if gap >= LABEL_SPACE * max(left["size"], 1.0) and aligned >= 2 else None
    return None


def split_at_column_starts(pieces: list[dict]) -> list[dict]:
    """The page's line pieces with a bold label parted from its value where the value stands in a column
    (``_label_cut``); horizontal pieces only."""
    upright = {id(p): p for p in pieces if abs(p["dir"][1]) < 0.01 and p["dir"][0] > 0 and "logical" not in p}
    starts = [p["bbox"][0] for p in upright.values()]
    out = []
    for piece in pieces:
        cut = _label_cut(piece, starts) if len(piece["spans"]) >= 3 and id(piece) in upright else None
        if cut is None:
            out.append(piece)
            continue
        for part in (piece["spans"][:cut], piece["spans"][cut:]):
            inked = [s for s in part if s["text"].strip()]
            bbox = (min(s["bbox"][0] for s in inked), min(s["bbox"][1] for s in inked),
                    max(s["bbox"][2] for s in inked), max(s["bbox"][3] for s in inked))
            out.append({**piece, "spans": part, "bbox": bbox})
    return out


def _upright_letters(blocks: list[dict], min_letters: int = 20) -> list[Box] | None:
    """A page written letter by letter in a vertical-writing font and set upright along rows (each letter a
    "line" of its own, turned 90 degrees, the letters' boxes advancing left to right): its rows as lines.
    None for any other page."""
    lines = [line for block in blocks for line in block.get("lines", ())]
    if sum(abs(line["dir"][0]) < 0.1 for line in lines) < min_letters:  # the common case, decided quickly
        return None
    singles = [line for line in lines if abs(line["dir"][0]) < 0.1
               and len("".join(s["text"] for s in line["spans"])) == 1]
    if len(singles) < min_letters or len(singles) < 0.8 * len(lines):
        return None
    letters = [Box(*line["bbox"], "".join(s["text"] for s in line["spans"]), size=line["spans"][0]["size"])
               for line in singles]
    out = []
    for row in rows(letters):
        row.sort(key=lambda b: b.x0)
        start = 0
        for i in range(1, len(row) + 1):
            if i == len(row) or row[i].x0 - row[i - 1].x0 > 3 * max(row[i].text_size, 1.0):
                text = " ".join("".join(b.text for b in row[start:i]).split())
                if text:
                    out.append(union(row[start:i], text=text))
                start = i
    return out


# accents TeX's default fonts draw as glyphs of their own, over or under the letter, and their combining marks
SPACING_ACCENTS = {"`": "\u0300", "´": "\u0301", "ˆ": "\u0302", "˜": "\u0303", "¯": "\u0304", "˘": "\u0306",
                   "˙": "\u0307", "¨": "\u0308", "˚": "\u030a", "˝": "\u030b", "ˇ": "\u030c", "¸": "\u0327",
                   "˛": "\u0328", "ˊ": "\u0301", "ˋ": "\u0300"}


# Latin, Greek and Cyrillic diacritics only: the marks of Thai or Devanagari sit where their script puts them
_ACCENT = re.compile("[" + re.escape("".join(SPACING_ACCENTS)) + "\u0300-\u036f]")


def _is_mark(char: str) -> bool:
    return char in SPACING_ACCENTS or "\u0300" <= char <= "\u036f"


def _has_accent(text: str) -> bool:
    return _ACCENT.search(text) is not None


def composed_text(chars: list[tuple[float, float, str]]) -> str:
    """A line's characters (x0, x1, char) with each accent drawn as a glyph of its own put on the letter it
    sits over (or under): the neighbouring letter its box overlaps most, then Unicode NFC ("caf´e" ->
    "café", "Ja ́n" -> "Ján"). An accent over no letter (a quote mark, an accent shown alone) stays."""
    out = [c for _, _, c in chars]
    marks: dict[int, list[str]] = {}
    for i, (x0, x1, char) in enumerate(chars):
        if not _is_mark(char):
            continue
        best, best_overlap = None, 0.0
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(chars) and chars[j][2].isspace():
                j += step
            if not (0 <= j < len(chars)) or not chars[j][2].isalpha():
                continue
            a0, a1, _ = chars[j]
            overlap = (min(x1, a1) - max(x0, a0)) / max(min(x1 - x0, a1 - a0), 0.1)
            if overlap > best_overlap:
                best, best_overlap = j, overlap
        if best is not None and best_overlap >= 0.5:
            marks.setdefault(best, []).append(SPACING_ACCENTS.get(char, char))
            out[i] = ""
            for k in range(min(i, best) + 1, max(i, best)):  # the space between a mark and its letter goes too
                out[k] = ""
    for j, added in marks.items():
        out[j] = out[j] + "".join(added)
    return unicodedata.normalize("NFC", "".join(out))


# a run of 16 small Latin letters, longer than words run: a page whose words may be set apart by position alone
# (identifiers in code, "CatchFileBetweenTags", have capitals inside and do not count)
_RUN_ON = re.compile("[a-z\u00df-\u00f6\u00f8-\u00ff]{16,}")
WORD_GAP = 0.1  # a gap between two glyphs of this many type sizes or more is a space (pdftotext's own measure)


def spaced_chars(chars: list[tuple[float, float, str, float]], gap: float = WORD_GAP) -> list[tuple[float, float, str]]:
    """A line's characters (x0, x1, char, type size) with a space where the PDF sets two words apart by
    moving the pen instead of drawing a space glyph ("medical" "history" 1.7 pt apart at 12 pt): MuPDF
    puts no space there and the words run on ("medicalhistory"). The gap is counted beyond the line's usual
    one between glyphs (letter-spaced text keeps its words whole)."""
    gaps = sorted(b[0] - a[1] for a, b in zip(chars, chars[1:], strict=False)
                  if not a[2].isspace() and not b[2].isspace())
    usual = max(gaps[len(gaps) // 2], 0.0) if gaps else 0.0
    out: list[tuple[float, float, str]] = []
    for x0, x1, char, size in chars:
        if out and not char.isspace() and not out[-1][2].isspace() and x0 - out[-1][1] > usual + gap * size:
            out.append((out[-1][1], x0, " "))
        out.append((x0, x1, char))
    return out


# five letters or more each set apart by a space: MuPDF's reading of letter-spaced text (a tracked heading, a line
# set with extra character spacing), where it takes each gap between letters for a word's end
_LETTER_SPACED = re.compile(r"(?<!\S)(?:[^\W_] ){4,}[^\W_](?!\S)")
SPACE_WIDTH = 0.24  # a gap between glyphs narrower than this many type sizes is no space glyph's (0.25 and up)
MAX_TRACKING = 0.45  # letter spacing wider than this many type sizes is left as MuPDF reads it


def respaced_letters(chars: list[tuple[float, float, str, float]]) -> list[tuple[float, float, str]] | None:
    """A letter-spaced line's characters (x0, x1, char, type size) with spaces only between its words: the
    spaces MuPDF put between letters are taken out and words found again from the glyphs' gaps, a gap wider
    than the line's usual one by a tenth of the type size (``spaced_chars``). None where the usual gap could be
    a space's and no wider gap parts words (single letters with real spaces between them: "a b c d e")."""
    glyphs = [c for c in chars if not c[2].isspace()]
    if len(glyphs) < 6:
        return None
    gaps = sorted(b[0] - a[1] for a, b in zip(glyphs, glyphs[1:], strict=False))
    usual, size = gaps[len(gaps) // 2], sorted(c[3] for c in glyphs)[len(glyphs) // 2]
    if not 0 < usual < MAX_TRACKING * size:
        return None
    if usual >= SPACE_WIDTH * size and gaps[-1] <= usual + WORD_GAP * size:
        return None
    return spaced_chars(glyphs)


def _composed_blocks(blocks: list[dict], spaced: bool = False, letter_spaced: bool = False) -> list[dict]:
    """rawdict blocks with each span's text, and each line's text with its separate accents composed (and,
    with ``spaced``, words set apart by position alone parted by a space; with ``letter_spaced``, a line read
    letter by letter, "S u m m a r y", read as its words)."""
    for block in blocks:
        for line in block.get("lines", ()):
            chars = [(c["bbox"][0], c["bbox"][2], c["c"], span["size"]) for span in line["spans"] for c in span["chars"]]
            for span in line["spans"]:
                span["text"] = "".join([c["c"] for c in span["chars"]])
            upright = abs(line["dir"][1]) < 0.01 and line["dir"][0] > 0
            respaced = None
            if letter_spaced and upright and _LETTER_SPACED.search("".join(c for _, _, c, _ in chars)):
                respaced = respaced_letters(chars)
            if respaced is not None:
                placed = respaced
            elif spaced and upright:
                placed = spaced_chars(chars)
            else:
                placed = [(x0, x1, c) for x0, x1, c, _ in chars]
            if any(_is_mark(c) for _, _, c in placed):
                line["logical"] = composed_text(placed)
            elif respaced is not None or len(placed) > len(chars):
                line["logical"] = "".join(c for _, _, c in placed)
    return blocks


def _logical_blocks(blocks: list[dict]) -> list[dict]:
    """rawdict blocks with each span's text and each line's text in reading order (textkit/bidi.py): a page
    with right-to-left text is read from its characters' positions (from the same parsed text page)."""
    for block in blocks:
        for line in block.get("lines", ()):
            chars = [c for span in line["spans"] for c in span["chars"]]
            for span in line["spans"]:
                span["text"] = "".join([c["c"] for c in span["chars"]])
            line["logical"] = bidi.logical_text([(c["bbox"][0], c["bbox"][2], c["c"]) for c in chars])
    return blocks


def _logical_lines_one_by_one(page, blocks: list[dict], flags: int) -> None:
    """Each "dict" line's reading order from the characters in a thin band through its middle; a line whose
    characters cannot be had keeps the order it is drawn in."""
    import pymupdf

    for block in blocks:
        for line in block.get("lines", ()):
            x0, y0, x1, y1 = line["bbox"]
            middle, quarter = (y0 + y1) / 2, (y1 - y0) / 4
            try:
                found = page.get_text("rawdict", flags=flags | pymupdf.TEXT_MEDIABOX_CLIP,
                                      clip=pymupdf.Rect(x0, middle - quarter, x1, middle + quarter))
            except SystemError:
                continue
            chars = [c for b in found["blocks"] for ln in b.get("lines", ()) for span in ln["spans"] for c in span["chars"]]
            line["logical"] = bidi.logical_text([(c["bbox"][0], c["bbox"][2], c["c"]) for c in chars])


def is_rtl_page(lines: list[Box]) -> bool:
    """Most of the page's letters are in a right-to-left script: columns and rows are read right to left."""
    return bidi.mostly_rtl(b.text for b in lines)


def page_drawings(page) -> list[dict]:
    """The page's drawings (``get_cdrawings``), read once for the steps that look at them (rules, a grid's
    paths for the table finder, figures)."""
    if getattr(page, "_drawings_read", None) is None:
        page._drawings_read = page.get_cdrawings()
    return page._drawings_read


def page_rules(page, drawings: list[dict] | None = None) -> tuple[list[Rule], list[Rule], list[Rule]]:
    """Horizontal strokes and hairline rectangles: the rules of tables (booktabs draws only these); the
    vertical strokes (lines, hairline rectangles, rectangles' sides) as (y0, y1, x); and every horizontal
    stroke, rectangles' tops and bottoms too: a grid has both kinds, crossing. ``drawings``: the page's
    ``get_cdrawings``, where they were read already (they are only read here)."""
    rules = []
    vertical = []
    edges = []
    drawings = page_drawings(page) if drawings is None else drawings
    unseen = unseen_whites(drawings)
    for drawing in drawings:
        if id(drawing) in unseen:
            continue
        for item in drawing.get("items", ()):
            if item[0] == "l":
                (ax, ay), (bx, by) = item[1], item[2]
                if abs(ay - by) < 0.5 and abs(bx - ax) > 10:
                    rules.append((min(ax, bx), max(ax, bx), ay))
                elif abs(ax - bx) < 0.5 and abs(by - ay) > 5:
                    vertical.append((min(ay, by), max(ay, by), ax))
            elif item[0] == "re":
                x0, y0, x1, y1 = item[1]
                if abs(y1 - y0) < 1.5 and x1 - x0 > 10:
                    rules.append((x0, x1, (y0 + y1) / 2))
                elif abs(x1 - x0) < 1.5 and y1 - y0 > 5:
                    vertical.append((y0, y1, x0))
                elif x1 - x0 > 10 and y1 - y0 > 5:  # a cell or a frame: its sides (top and bottom are no booktabs rules)
                    vertical += [(y0, y1, x0), (y0, y1, x1)]
                    edges += [(x0, x1, y0), (x0, x1, y1)]
    return rules, vertical, rules + edges


_WHITE = (1.0, 1.0, 1.0)
MAX_PATHS_FOR_WHITES = 2000  # a page drawn with more paths (a chart, a map) is not looked through
MAX_HIGHLIGHT_HEIGHT = 24.0  # a line of text's box, in points; a taller white box is a figure's or a panel's face


def unseen_whites(drawings: list[dict]) -> set[int]:
    """The ids of the white fills a line high with no stroke, over no coloured fill drawn before them: white on
    the white page, which no one sees, is no cell and draws no rule. A word processor's white "highlight"
    behind each line of a quotation (a justified paragraph's lines, each a box of its own width) was taken for
    a table's cells and sides: law reviews' prose read as tables of two columns. Kept: white over any part of
    a coloured fill (a white cell of a shaded table, a white rule between shaded bands), white bands of one
    width stacked edge to edge (a table's rows parted by white fills alone, ICDAR 2013's us-014), and taller
    white boxes (a plot's white face behind its drawings, arXiv 2510.14943's page 9). Text under a white
    fill drawn after it is still hidden (read from the drawings elsewhere). ``drawings``: ``get_cdrawings`` or
    ``get_drawings`` paths."""
    if len(drawings) > MAX_PATHS_FOR_WHITES:
        return set()
    whites, coloured = [], []
    for path in drawings:
        fill = path.get("fill")
        if "f" not in (path.get("type") or "") or not fill:
            continue
        rect = tuple(path["rect"])
        if tuple(round(c, 3) for c in fill) != _WHITE:
            coloured.append(rect)
        elif (path["type"] == "f" and rect[3] - rect[1] <= MAX_HIGHLIGHT_HEIGHT  # no stroke round it, a line high
              and not any(_overlap(other, rect) for other in coloured)):
            whites.append((id(path), rect))
    by_width: dict[tuple[int, int], list[tuple]] = {}
    for _, rect in whites:
        by_width.setdefault((round(rect[0]), round(rect[2])), []).append(rect)
    return {key for key, rect in whites if not _in_band(rect, by_width)}


def _in_band(rect: tuple, by_width: dict[tuple[int, int], list[tuple]], slack: float = 1.0) -> bool:
    """Whether another white rectangle of the same width lies on or under this one, edge to edge."""
    x0, x1 = round(rect[0]), round(rect[2])
    return any(abs(other[0] - rect[0]) <= slack and abs(other[2] - rect[2]) <= slack
               and (abs(other[1] - rect[3]) <= slack or abs(rect[1] - other[3]) <= slack)
               for dx0 in (-1, 0, 1) for dx1 in (-1, 0, 1) for other in by_width.get((x0 + dx0, x1 + dx1), ()))


def _overlap(a: tuple, b: tuple, slack: float = 1.0) -> bool:
    """Whether two rectangles share area or lie within ``slack`` of each other."""
    return a[0] - slack < b[2] and b[0] < a[2] + slack and a[1] - slack < b[3] and b[1] < a[3] + slack


_TYPED_RULE = re.compile(r"^(?:-{10,}|={10,}|_{10,})$")  # a typewriter's or a line printer's rule


def typed_rules(lines: list[Box]) -> tuple[list[Box], list[Rule]]:
    """Lines that are a run of dashes, equals signs or underscores alone, typed across a table as its rules
    (ICDAR 2013 us-034: a row of dashes under a typed table's header), as the rules they draw: as text they
    are a row of one cell that parts the header from its rows. (the other lines, the rules)"""
    typed = [b for b in lines if b.horizontal and not b.kind and _TYPED_RULE.match(b.text.strip())]
    if not typed:
        return lines, []
    ids = {id(b) for b in typed}
    return [b for b in lines if id(b) not in ids], [(b.x0, b.x1, (b.y0 + b.y1) / 2) for b in typed]


def is_grid(horizontal: list[Rule], vertical: list[Rule], need: int = 3, tolerance: float = 2.0) -> bool:
    """Strokes that can hold a table of two columns: they cross at ``need`` or more places across and down
    the page, and ``need`` of those places (or the ends of its strokes: PyMuPDF's finder closes strokes that
    touch with their bounding box) lie on one horizontal line, a border of a row of two cells. A frame, or
    frames one above the other, cross each line at two places."""
    if len({round(v[2] / 2) for v in vertical}) < need or len({round(h[2] / 2) for h in horizontal}) < need:
        return False
    on_line: dict[int, set[int]] = {}  # each horizontal line (by the point): where strokes cross or end on it
    for hx0, hx1, y in horizontal[:400]:
        on_line.setdefault(round(y), set()).update((round(hx0 / 2), round(hx1 / 2)))
    met = crossings(horizontal[:400], vertical[:400], tolerance)
    for x, y in met:
        on_line[round(y)].add(round(x / 2))
    if len({round(x / 2) for x, _ in met}) < need or len({round(y / 2) for _, y in met}) < need:
        return False
    near = round(tolerance)
    return any(len(set().union(*(on_line.get(k, ()) for k in range(y - near, y + near + 1)))) >= need
               for y in on_line)


def crossings(horizontal: list[Rule], vertical: list[Rule], tolerance: float) -> set[tuple[float, float]]:
    """Where a horizontal stroke meets a vertical one (within ``tolerance``), (x, y): only the vertical strokes
    whose x lies in a horizontal one's span are looked at (a slice of them sorted by x), not every pair."""
    across = sorted(vertical, key=lambda v: v[2])
    at = [v[2] for v in across]
    return {(x, y) for hx0, hx1, y in horizontal
            for vy0, vy1, x in across[bisect_left(at, hx0 - tolerance):bisect_right(at, hx1 + tolerance)]
            if vy0 - tolerance <= y <= vy1 + tolerance}


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _lines_in(lines: list[Box], cell) -> list[Box]:
    """The lines whose middle lies in the cell (x0, y0, x1, y1, in the lines' frame), a point of slack around."""
    x0, y0, x1, y1 = cell
    return [b for b in lines if x0 - 1 <= (b.x0 + b.x1) / 2 <= x1 + 1 and y0 - 1 <= (b.y0 + b.y1) / 2 <= y1 + 1]


Glyph = tuple[float, float, float, float, str, float]  # a drawn character: x0, y0, x1, y1, the character, type size


class PageGlyphs:
    """The page's drawn characters with their boxes (rawdict, spaces left out, upright lines only), read once
    and only when a table cell needs them: a cell's text is then read from its glyphs' positions, not from
    the order the PDF draws them in (figures drawn glyph by glyph out of order, "014 ." for "0.14")."""

    def __init__(self, page, textpage=None):
        self._page = page
        self._textpage = textpage  # page_textpage's, where the page's lines were read from it already
        self._glyphs: list[Glyph] | None = None
        self._middles: list[float] = []

    def _read(self) -> list[Glyph]:
        if self._glyphs is None:
            blocks = rawdict_blocks(self._page, self._textpage or page_textpage(self._page))
            found = [(*c["bbox"], c["c"], span["size"]) for block in blocks for line in block.get("lines", ())
                     if abs(line["dir"][1]) < 0.01 and line["dir"][0] > 0
                     for span in line["spans"] for c in span["chars"] if not c["c"].isspace()]
            self._glyphs = sorted(found, key=lambda g: (g[1] + g[3]) / 2)
            self._middles = [(g[1] + g[3]) / 2 for g in self._glyphs]
        return self._glyphs

    def in_box(self, box: Box) -> list[Glyph]:
        """The glyphs whose middle lies in ``box`` (a point of slack across), left to right by their boxes."""
        glyphs = self._read()
        start, end = bisect_left(self._middles, box.y0), bisect_right(self._middles, box.y1)
        inside = [g for g in glyphs[start:end] if box.x0 - 1 <= (g[0] + g[2]) / 2 <= box.x1 + 1]
        return sorted(inside, key=lambda g: g[0])


def placed_words(box: Box, glyphs: PageGlyphs) -> list[Box] | None:
    """A line's words read from its glyphs left to right by their boxes, each a box of its own, a gap wider
    than the line's usual one between glyphs parting them (``spaced_chars``). None where its glyphs cannot
    be read so: a turned line, right-to-left text (read in its own order), separate accents, no glyphs."""
    if box.rotation or bidi.has_rtl(box.text):
        return None
    found = glyphs.in_box(box)
    if not found or any(_is_mark(g[4]) for g in found):
        return None
    words: list[Box] = []
    apart = True
    for x0, x1, char in spaced_chars([(g[0], g[2], g[4], g[5]) for g in found]):
        if char == " ":
            apart = True
        elif apart:
            words.append(replace(box, x0=x0, x1=x1, text=char))
            apart = False
        else:
            words[-1] = replace(words[-1], x1=max(words[-1].x1, x1), text=words[-1].text + char)
    return words


def _cut_at_borders(table, lines: list[Box], to_lines, glyphs: PageGlyphs) -> list[Box] | None:
    """The page's lines with each line that crosses a cell border of ``table`` cut into its words (a PDF line
    across several ruled cells, "373,250   940,750"), read from its glyphs; None where one cannot be."""
    crossing: set[int] = set()
    for row in table.rows:
        in_row = _lines_in(lines, to_lines(row.bbox))  # a row's cells lie in its box: fewer lines to look through
        for cell in row.cells:
            if cell is None:
                continue
            x0, y0, x1, y1 = to_lines(cell)
            crossing.update(id(b) for b in _lines_in(in_row, (x0, y0, x1, y1))
                            if max(x0 - b.x0, b.x1 - x1) > max(2.0, 0.2 * (b.x1 - b.x0)))
    if not crossing:
        return lines
    out: list[Box] = []
    for line in lines:
        if id(line) not in crossing:
            out.append(line)
            continue
        words = placed_words(line, glyphs)
        if words is None:
            return None
        out += words
    return out


def baselines(boxes: list[Box], slack: float = 0.25) -> list[list[Box]]:
    """Boxes grouped by the line they are set on: middles within ``slack`` of the smaller height of the first
    of the group (stricter than ``rows``, which joins lines set close, a bullet beside two lines of text)."""
    groups: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        if groups:
            first = groups[-1][0]
            if abs((box.y0 + box.y1) - (first.y0 + first.y1)) / 2 <= slack * min(box.height, first.height):
                groups[-1].append(box)
                continue
        groups.append([box])
    return groups


def _in_glyph_order(inside: list[Box], glyphs: PageGlyphs) -> list[Box]:
    """A cell's lines with those that overlap on one baseline (a figure drawn glyph by glyph out of order,
    which MuPDF reads as "0 14" with "." apart) read again as one line from their glyphs, left to right."""
    out: list[Box] = []
    for group in baselines(inside):
        ordered = sorted(group, key=lambda b: b.x0)
        if not any(b.x0 < a.x1 - 1 for a, b in pairwise(ordered)):
            out += group
            continue
        words = placed_words(union(ordered), glyphs)
        if words is None:
            out += group
        else:
            out.append(replace(union(words), text=" ".join(w.text for w in words)))
    return out


def _held_lines(table, lines: list[Box], to_lines, strict: bool) -> list[list[list[Box]]] | None:
    """The lines each cell of ``table`` holds (by their middles; a line into one cell only, the finder's
    cells may overlap); with ``strict``, None when a line crosses a cell border (a word running a little
    over a narrow cell's is inside)."""
    taken: set[int] = set()
    held: list[list[list[Box]]] = []
    for row in table.rows:
        cells = []
        in_row = _lines_in(lines, to_lines(row.bbox))  # a row's cells lie in its box: fewer lines to look through
        for cell in row.cells:
            if cell is None:
                cells.append([])
                continue
            x0, y0, x1, y1 = to_lines(cell)
            inside = [b for b in _lines_in(in_row, (x0, y0, x1, y1)) if id(b) not in taken]
            if strict and any(max(x0 - b.x0, b.x1 - x1) > max(2.0, 0.2 * (b.x1 - b.x0)) for b in inside):
                return None
            taken.update(id(b) for b in inside)
            cells.append(inside)
        held.append(cells)
    return held


def _cell_texts(table, lines: list[Box], frames=None, glyphs: PageGlyphs | None = None) -> list[list[str]] | None:
    """The table's cells read from the page's own lines (their text is the text path's: accents composed,
    right spacing). With the page's ``glyphs``, a line across cell borders is cut into its words, each read
    into the cell holding its middle, and lines overlapping in a cell are read in their glyphs' order; without,
    or where that cannot be done, None when a line crosses a cell border (the finder's own text is used then).
    ``frames`` map the finder's rectangles into the lines' frame and back (see ``lines_frame``)."""
    to_lines, to_page = frames or (tuple, tuple)
    lines = _lines_in(lines, to_lines(table.bbox))  # the cells lie in the table: fewer lines to look through
    held = _held_lines(table, lines, to_lines, strict=True)
    if held is None and glyphs is not None:
        cut = _cut_at_borders(table, lines, to_lines, glyphs)
        held = None if cut is None else _held_lines(table, cut, to_lines, strict=False)
    if held is None:
        return None
    if glyphs is not None:
        held = [[_in_glyph_order(inside, glyphs) if len(inside) > 1 else inside for inside in cells] for cells in held]
        _spread_tall_cells(table, held)

    def place(b: Box) -> tuple:
        return round(to_page((b.x0, b.y0, b.x1, b.y1))[1]), to_page((b.x0, b.y0, b.x1, b.y1))[0]

    return [[_cell(" ".join(b.text for b in sorted(inside, key=place))) for inside in cells] for cells in held]


def _on_baseline_of(line: Box, others: list[Box]) -> bool:
    return any(abs((line.y0 + line.y1) - (o.y0 + o.y1)) / 2 <= 0.25 * min(line.height, o.height) for o in others)


def _spread_tall_cells(table, held: list[list[list[Box]]]) -> None:
    """A cell the finder reads as one down several rows (a label column not ruled across, beside figures
    ruled row by row) is parted into those rows where each of its lines sits on the baseline of a line in
    another cell of one of them, and they fall into two rows or more (a label spanning rows, set apart from
    its rows' baselines or on one of them, stays one cell). ``held``: each cell's lines, changed in place."""
    table_rows = table.rows  # PyMuPDF sorts the table's cells into rows again at every ``table.rows``
    for i, row in enumerate(table_rows):
        for j, cell in enumerate(row.cells):
            inside = held[i][j]
            if cell is None or len(inside) < 2 or any(b.rotation for b in inside):
                continue
            spanned = [i]
            while (spanned[-1] + 1 < len(table_rows) and j < len(table_rows[spanned[-1] + 1].cells)
                   and table_rows[spanned[-1] + 1].cells[j] is None and not held[spanned[-1] + 1][j]):
                spanned.append(spanned[-1] + 1)
            if len(spanned) < 3:
                continue
            into: dict[int, list[Box]] = {}
            for line in inside:
                k = next((k for k in spanned if _on_baseline_of(line, [b for jj, c in enumerate(held[k]) if jj != j
                                                                      for b in c])), None)
                if k is None:
                    break
                into.setdefault(k, []).append(line)
            else:
                if len(into) >= 2:
                    for k in spanned:
                        held[k][j] = into.get(k, [])


def _cells_hold_columns(table, lines: list[Box], frames=None, min_share: float = 0.3) -> bool:
    """The finder's grid misses columns: in ``min_share`` of its cells with text or more, lines stand side by
    side with a wide gap between them (a table ruled across but with one inner vertical stroke, its other
    columns set apart by space only)."""
    to_lines = (frames or (tuple, tuple))[0]
    with_text = holding = 0
    for row in table.rows:
        in_row = _lines_in(lines, to_lines(row.bbox))  # a row's cells lie in its box: fewer lines to look through
        for cell in row.cells:
            if cell is None:
                continue
            inside = _lines_in(in_row, to_lines(cell))
            if not inside:
                continue
            with_text += 1
            if len(inside) == 1:
                continue  # one line stands beside no other
            holding += any(b.x0 - a.x1 > 2 * max(a.height, b.height)
                           for visual in rows(inside) for a, b in pairwise(sorted(visual, key=lambda v: v.x0)))
    return with_text > 0 and holding >= min_share * with_text


def merge_spanned_columns(rows: list[list[str]], cells: list[list]) -> list[list[str]]:
    """Columns that a cell spans across made one again, left to right, while no row has text in two of them:
    the finder cuts a grid at every stroke, also at the inner strokes under a header set over several columns
    or beside a value centred over two, so a value would be one cell and two empty ones. ``cells``: the
    finder's cell rectangles per row (None where a spanning cell covers one)."""
    width = max((len(r) for r in rows), default=0)
    if width < 2:
        return rows
    starts = [min((c[0] for r in cells for c in r[j:j + 1] if c), default=None) for j in range(width)]

    def spanned(j: int) -> bool:  # a cell of column j reaches into column j + 1
        return starts[j + 1] is not None and any(
            len(r) > j and r[j] and r[j][2] > starts[j + 1] + 1 for r in cells)

    groups = [[0]]
    for j in range(1, width):
        if spanned(j - 1) and not any(
                len(r) > j and r[j] and any(r[m] for m in groups[-1]) for r in rows):
            groups[-1].append(j)
        else:
            groups.append([j])
    if len(groups) == width:
        return rows
    return [[" ".join(r[m] for m in g if m < len(r) and r[m]) for g in groups] for r in rows]


def split_tall_rows(table, rows_: list[list[str]], lines: list[Box],
                    min_rows: int = 3) -> tuple[list[list[str]], list[list]]:
    """A grid ruled only in its header (or only around its body) is read by the finder as one tall row
    holding every body row; such a row (no cell of it spanning others: a header's are; none reaching down
    beside the rows under it), whose cells hold ``min_rows`` or more rows of the page's lines that fill half
    its columns or more, the table's first column among them (a row's label: the lines of a header wrapped over
    several lines leave it empty; below the first row, one label beside a group of rows, as ``\\multirow``
    sets it, labels them all), is split at those rows (each line into the cell its centre lies in). A cell
    that wraps within a ruled row (one column of several lines) is left whole. Returns the rows and, per row, the
    finder's cell rectangles (for ``merge_spanned_columns``)."""
    out_rows, out_cells = [], []
    first = min((j for r in rows_ for j, c in enumerate(r) if c), default=0)  # the table's first column
    tops = [row.bbox[1] for row in table.rows[1:]] + [math.inf]
    for texts, row, next_top in zip(rows_, table.rows, tops, strict=True):
        cells = row.cells
        x0, y0, x1, y1 = row.bbox
        inside = [b for b in lines if x0 - 1 <= (b.x0 + b.x1) / 2 <= x1 + 1 and y0 - 1 <= (b.y0 + b.y1) / 2 <= y1 + 1]
        split, ends = [], []  # ends: per split row, the right end of its text in the first column
        spanning = y1 > next_top + 1  # a cell of it reaches down beside the next rows (``_spread_tall_cells``)
        for visual in rows(inside) if len(inside) >= 2 * min_rows and all(cells) and not spanning else []:
            parts: list[list[str]] = [[] for _ in cells]
            end = -math.inf
            for box in visual:
                cx = (box.x0 + box.x1) / 2
                j = next((j for j, c in enumerate(cells) if c and c[0] - 1 <= cx <= c[2] + 1), None)
                if j is None:
                    break
                parts[j].append(box.text)
                end = max(end, box.x1) if j == first else end
            else:
                split.append([_cell(" ".join(p)) for p in parts])
                ends.append(end)
                continue
            split = []
            break
        used = sum(any(r[j] for r in split) for j in range(len(cells)))
        # a body row's label set once beside its lines (``\multirow``: one line in the first column, at the
        # group's middle) labels them all; a header's first row is no group of entries
        group = row is not table.rows[0] and _multirow_group(split, first, used)
        if group:
            split = _label_on_top(split, first)
        if (group and len(split) >= 2
                or sum(bool(r[first]) and sum(bool(c) for c in r) >= max(2, used / 2) for r in split) >= min_rows
                and not _label_beside_a_paragraph(split, first)):
            if not group:
                split = _wrapped_labels_joined(split, ends, cells[first], first)
            split = _wrapped_lines_joined(split, first, used)
            out_rows += split
            out_cells += [cells] * len(split)
        else:
            out_rows.append(texts)
            out_cells.append(cells)
    return out_rows, out_cells


_GOES_ON = ("-", ",", "/", "(", "&")  # a label line ending so goes on in the next


def _label_beside_a_paragraph(split: list[list[str]], first: int) -> bool:
    """Lines read out of one ruled row are one cell's label wrapped over a few lines beside a paragraph, not
    rows of the table: the labelled lines are a run at the top, each after the first going on from the one
    above (it starts in lower case, or the one above ends in a hyphen, comma, slash, parenthesis or ampersand),
    and more lines follow them, each in one and the same column (the paragraph running on under the label: a
    survey's comment beside its theme). Rows of a grid ruled only in its header have labels down the row, each
    an entry of its own, or entries in several columns under them."""
    labelled = [k for k, r in enumerate(split) if r[first]]
    if not labelled or labelled != list(range(len(labelled))):
        return False
    label = [split[k][first] for k in labelled]
    if not all(line[:1].islower() or above.rstrip().endswith(_GOES_ON)
               for above, line in pairwise(label)):
        return False  # entries of their own ("A", "B", "C" down a grid ruled only in its header), no wrapped label
    after = split[len(labelled):]
    columns = {tuple(j for j, c in enumerate(r) if c) for r in after}
    return len(after) > len(labelled) and len(columns) == 1 and len(next(iter(columns))) == 1


def _wrapped_labels_joined(split: list[list[str]], ends: list[float], cell: tuple, first: int,
                           full: float = 0.15) -> list[list[str]]:
    """Rows read out of one ruled row, a label that wraps with its figures beside its last line (set at the
    foot of the cell: "Daily or miscellaneous (each day of the payroll" over "period) ..... 15.00") joined
    into one: a row holding its label only, the label running to the cell's right side (within ``full`` of
    the cell's width: the line was full, and no further: a line running past the cell's side is a heading set
    across the grid), and the next row going on with a label that starts in lower case beside figures. A
    heading over a group of rows is short or wide, and a new entry starts in upper case.
    ``ends``: per row, the right end of its text in the first column; ``cell``: the first column's cell."""
    out: list[list[str]] = []
    k = 0
    while k < len(split):
        row = list(split[k])
        nxt = split[k + 1] if k + 1 < len(split) else None
        if (nxt is not None and row[first] and not any(c for j, c in enumerate(row) if j != first)
                and cell[2] - full * (cell[2] - cell[0]) <= ends[k] <= cell[2] + 1 and nxt[first][:1].islower()
                and any(c for j, c in enumerate(nxt) if j != first)):
            joined = list(nxt)
            joined[first] = f"{row[first]} {nxt[first]}"
            out.append(joined)
            k += 2
            continue
        out.append(row)
        k += 1
    return out


def _wrapped_lines_joined(split: list[list[str]], first: int, used: int) -> list[list[str]]:
    """Rows read out of one ruled row, each line of a cell that wraps onto a second line (a tuning parameter's
    "ζ = (1.7, 1.8)," over "p = (0.5, 0.85)" in two columns) joined to the row over it: a line with no label,
    filling fewer than half the used columns and only columns that the row over it fills. A row of standard
    errors or a ``\\multirow`` group's rows fill (nearly) every column."""
    out: list[list[str]] = []
    for r in split:
        filled = [j for j, c in enumerate(r) if c]
        if out and not r[first] and filled and len(filled) < used / 2 and all(out[-1][j] for j in filled):
            out[-1] = [f"{a} {b}" if b else a for a, b in zip(out[-1], r, strict=True)]
        else:
            out.append(list(r))
    return out


def _multirow_group(split: list[list[str]], first: int, used: int) -> bool:
    """Rows read out of one ruled row are a group of entries beside one label (``\\multirow``): the first
    column holds one line, beside the group's middle row, and every other row fills all the used columns but
    that one, two columns or more (one column beside a label wraps its text: "LLaVA-150K ..., / ALLaVA ..."
    beside "Conversation"). Cells wrapped over lines beside a label are not: their lines fill some columns
    only ("200 (as" / "BTEX)"), or the label stands beside their last line (a header's "Percent of /
    Districts / (n = 154)") unless every other row holds figures (``_rows_of_figures``)."""
    labelled = [k for k, r in enumerate(split) if r[first]]
    if used < 3 or len(labelled) != 1:
        return False
    others = [r for k, r in enumerate(split) if k != labelled[0]]
    if not all(sum(bool(c) for c in r) >= used - 1 for r in others):
        return False
    return labelled[0] in {(len(split) - 1) // 2, len(split) // 2} or _rows_of_figures(others)


def _rows_of_figures(split: list[list[str]], min_figures: int = 2) -> bool:
    """Each row holds ``min_figures`` figures or more: entries of a table's body, each line a row of its own,
    however its label stands beside them (a ``\\multirow`` label set beside a group's last line: arXiv
    2510.14285's Table 4); a header's wrapped words are no figures."""
    return all(sum(bool(_FIGURE.match(c.strip())) for c in r) >= min_figures for r in split)


def _label_on_top(split: list[list[str]], first: int) -> list[list[str]]:
    """A ``\\multirow`` group's rows with its label in the first of them, where a cell spanning rows is
    written (LaTeX's HTML, a Markdown table's rows): the label's line, set at the group's middle, leaves its
    row, which goes where it held nothing else (the label alone between two rows of entries)."""
    k = next(k for k, r in enumerate(split) if r[first])
    label = split[k][first]
    out = [list(r) for r in split]
    out[k][first] = ""
    if not any(out[k]):
        del out[k]
    out[0][first] = label
    return out


def _blocks(inside: list[Box], gap: float) -> list[list[Box]]:
    """Lines grouped into blocks parted by a blank band across all of them wider than ``gap``, top to bottom."""
    blocks: list[list[Box]] = []
    bottom = -math.inf
    for box in sorted(inside, key=lambda b: b.y0):
        if blocks and box.y0 - bottom <= gap:
            blocks[-1].append(box)
        else:
            blocks.append([box])
        bottom = max(bottom, box.y1) if len(blocks[-1]) > 1 else box.y1
    return blocks


def split_row_blocks(rows_: list[list[str]], cells: list[list], lines: list[Box],
                     min_gap: float = 0.4) -> tuple[list[list[str]], list[list]]:
    """A ruled row holding several rows of the table, each of wrapped lines, set apart by blank space only
    (a group's heading, then each entry: a label beside its description over four lines, a blank, the next):
    split at the blank bands (wider than ``min_gap`` line heights) that cross all its cells, where a cell
    wraps within a block (lines set closer than the bands), every block has text in the row's first column
    (its label) and every block but the first (a group's heading) in two cells or more; a cell of two
    paragraphs beside one label, a label wrapped over loosely set lines beside its figures, and a header of
    two lines stay whole."""
    out_rows, out_cells = [], []
    for i, (texts, row) in enumerate(zip(rows_, cells, strict=True)):
        if any(0 <= k < len(cells) and cells[k] is row for k in (i - 1, i + 1)):  # split by ``split_tall_rows``
            out_rows.append(texts)
            out_cells.append(row)
            continue
        held, taken = [], set()
        for c in row:  # a line into one cell only (the finder's cells may overlap)
            held.append([b for b in _lines_in(lines, c) if id(b) not in taken] if c else [])
            taken.update(id(b) for b in held[-1])
        first = next((j for j, h in enumerate(held) if h), None)
        inside = [b for h in held for b in h]
        if first is None or len(inside) < 3 or sum(bool(h) for h in held) < 2:
            out_rows.append(texts)
            out_cells.append(row)
            continue
        blocks = _blocks(inside, min_gap * statistics.median(b.height for b in inside))
        members = [{id(b) for b in block} for block in blocks]
        split = [[_cell(" ".join(b.text for b in sorted(h, key=lambda b: (round(b.y0), b.x0)) if id(b) in m))
                  for h in held] for m in members]
        wrapped = any(sum(id(b) in m for b in h) >= 2 for h in held for m in members)  # the row's line pitch
        if (len(split) >= 2 and wrapped and all(r[first] for r in split)
                and all(sum(bool(c) for c in r) >= 2 for r in split[1:])):
            out_rows += split
            for block in blocks:  # each block's cells end where it does: no block is covered by the one above
                top, bottom = min(b.y0 for b in block), max(b.y1 for b in block)
                out_cells.append([None if c is None else (c[0], top, c[2], bottom) for c in row])
        else:
            out_rows.append(texts)
            out_cells.append(row)
    return out_rows, out_cells


def _crosses(box: Box, x0: float, x1: float) -> bool:
    """A line running over a cell's side (more than a little: a word may run over a narrow cell's border)."""
    return max(x0 - box.x0, box.x1 - x1) > max(2.0, 0.2 * (box.x1 - box.x0))


def external_header(cells: list, lines: list[Box], to_lines) -> tuple[list[str], float | None]:
    """The header row the finder takes from above a grid whose top is not ruled, read from the page's lines
    that lie inside one of its cells: a caption or a line of text set over the table runs across the cells'
    sides ("Exhibit 2.2. Numbe" | "er of Children Random") and stays text, and so does the last line of
    such a paragraph, set at its left edge one line under a line that runs over the cell's side. (The
    cells' texts, the top of the lines read; None when no line lies inside a cell.)"""
    texts, tops = [], []
    for cell in cells:
        if cell is None:
            texts.append("")
            continue
        x0, y0, x1, y1 = to_lines(cell)
        inside = [b for b in _lines_in(lines, (x0, y0, x1, y1)) if not _crosses(b, x0, x1) and not any(
            abs(a.x0 - b.x0) <= 2 and 0 < b.y0 - a.y0 <= 1.2 * a.height and a.x1 > x1 + 2 for a in lines)]
        inside.sort(key=lambda b: (round(b.y0), b.x0))
        texts.append(_cell(" ".join(b.text for b in inside)))
        tops += [b.y0 for b in inside]
    return texts, (min(tops) if tops else None)


def split_banded_rows(rows_: list[list[str]], cells: list[list], lines: list[Box]) -> tuple[list[list[str]], list[list]]:
    """A row the finder reads as one cell across the table (a shaded band drawn over the whole row, its
    column strokes not drawn through it), whose lines stand side by side each inside one column of the
    table's full rows, is split into those columns: its figures were read into its first cell
    ("290 259 235 259 215 Defendants Charged"). A heading across the table (one line) stays one cell."""
    full = next((row for row in cells if row and all(row)), None)
    if full is None or len(full) < 2:
        return rows_, cells
    out_rows, out_cells = [], []
    for texts, row in zip(rows_, cells, strict=True):
        if len(row) == len(full) and row[0] is not None and not any(row[1:]):
            x0, y0, x1, y1 = row[0]
            inside = [b for b in _lines_in(lines, row[0])]
            columns = [next((j for j, c in enumerate(full) if c[0] - 1 <= b.x0 and b.x1 <= c[2] + 1), None)
                       for b in inside]
            if len(inside) >= 2 and None not in columns and len(set(columns)) >= 2:
                parts: list[list[Box]] = [[] for _ in full]
                for box, j in zip(inside, columns, strict=True):
                    parts[j].append(box)
                out_rows.append([_cell(" ".join(b.text for b in sorted(p, key=lambda b: (round(b.y0), b.x0))))
                                 for p in parts])
                out_cells.append([(c[0], y0, c[2], y1) for c in full])
                continue
        out_rows.append(texts)
        out_cells.append(row)
    return out_rows, out_cells


def join_covered_rows(rows: list[list[str]], cells: list[list],
                      rules: list[Rule] = ()) -> tuple[list[list[str]], list[list]]:
    """A row most of whose cells are covered by the cells of the row above (None) continues that row: the
    finder cuts a cell whose text wraps (a label over three lines beside one value) into rows of its own,
    and a heading's second line ("to air" over "kg/year") too; its text is put into the cells above. Only
    where its text lies under text, and no cell with text above has an empty cell of its own under it (two
    rows beside a cell spanning both: "1a" and "1b" beside "1"), and no drawn rule (``rules``, the page's
    horizontal strokes) runs along the tops of its cells with text: such a rule parts two rows whose
    figures a cell spanning both holds (camelot's background_lines: "Delhi" and "Rajasthan", each its own
    date, ruled apart in white on shaded bands, beside figures counted for both). A cut the finder makes
    at an edge no one sees (a shading's) has no rule."""
    out_rows: list[list[str]] = []
    out_cells: list[list] = []
    for texts, row in zip(rows, cells, strict=True):
        above = out_rows[-1] if out_rows else []
        if above and len(above) == len(texts) and sum(c is None for c in row) > len(row) / 2 and all(
                above[j] for j, t in enumerate(texts) if t) and all(
                row[j] is None or texts[j] for j, t in enumerate(above) if t) and _covered_from_above(
                row, out_cells[-1]) and not _ruled_on_top(
                [c for c, t in zip(row, texts, strict=False) if c and t], rules):
            out_rows[-1] = [f"{a} {b}".strip() for a, b in zip(out_rows[-1], texts, strict=False)]
            continue
        out_rows.append(list(texts))
        out_cells.append(row)
    return out_rows, out_cells


def _ruled_on_top(cells: list[tuple], rules: list[Rule], tolerance: float = 1.5) -> bool:
    """Every one of the cells has a drawn rule along its top, across its width (rules drawn in pieces as one)."""
    drawn = merged_rules(rules, max_gap=1.0)
    return bool(cells) and all(any(abs(y - c[1]) <= tolerance and x0 <= c[0] + tolerance and x1 >= c[2] - tolerance
                                   for x0, x1, y in drawn) for c in cells)


def _covered_from_above(row: list, above: list) -> bool:
    """Every cell missing from a row (None) is covered by a cell of the row above that reaches down into
    it, not by a cell of its own row spanning from the left."""
    cells = [c for c in row if c]
    if not cells or len(above) != len(row):
        return False
    top = min(c[1] for c in cells)
    for j, cell in enumerate(row):
        if cell is None:
            k = j
            while k >= 0 and above[k] is None:
                k -= 1
            if k < 0 or above[k][3] <= top + 1:
                return False
    return True


def lines_frame(page):
    """Maps of rectangles from the table finder's frame (the page as shown, turned by its /Rotate) to the
    frame of the page's text lines (the unturned page) and back: a sideways page's cells hold its lines."""
    import pymupdf

    if not page.rotation:
        return tuple, tuple
    to_lines, to_page = page.derotation_matrix, page.rotation_matrix
    return (lambda rect: tuple(pymupdf.Rect(rect) * to_lines)), (lambda rect: tuple(pymupdf.Rect(rect) * to_page))


def _shading(path) -> tuple | None:
    """A fill with no stroke drawn as one rectangle (a cell's or a line's shading): its colour, else None."""
    items = path.get("items", ())
    if path.get("type") != "f" or len(items) != 1 or items[0][0] != "re":
        return None
    rect = path["rect"]
    return tuple(round(c, 3) for c in path.get("fill") or ()) if rect.width > 3 and rect.height > 3 else None


_PATH_KEYS = ("closePath", "fill", "color", "width", "lineCap", "lineJoin", "dashes", "stroke_opacity", "fill_opacity",
              "even_odd")  # what a filled or a stroked path of get_drawings holds, None where MuPDF gave none


def as_drawings(cdrawings: list[dict]) -> list[dict]:
    """The page's ``get_cdrawings`` (the plain tuples ``page_rules`` read) as ``get_drawings`` gives them, with
    PyMuPDF's Point, Rect and Quad objects: the table finder's input, without drawing the page a second time
    (reading the drawings cost as much as the rest of a grid page's own work). Changed in place."""
    for path in cdrawings:
        if path["type"].startswith("clip"):
            path["scissor"] = _rect(*path["scissor"])
        else:
            path["rect"] = _rect(*path["rect"])
        if path["type"] != "group":
            path["items"] = [_drawn_item(item) for item in path["items"]]
        if path["type"] in ("f", "s"):
            for key in _PATH_KEYS:
                path.setdefault(key, None)
    return cdrawings


def _drawn_item(item: tuple) -> tuple:
    import pymupdf

    if item[0] == "re":
        return ("re", _rect(*item[1]).normalize(), item[2])
    if item[0] == "qu":
        return ("qu", pymupdf.Quad(item[1]))
    drawn = [item[0]]
    for x, y in item[1:]:  # pymupdf.Point(x, y) without its constructor (``_rect``), written out: 80000 on a page
        point = object.__new__(pymupdf.Point)
        point.x, point.y = float(x), float(y)
        drawn.append(point)
    return tuple(drawn)


def _rect(x0: float, y0: float, x1: float, y1: float):
    """``pymupdf.Rect(x0, y0, x1, y1)`` built without its constructor, which sorts out its arguments in Python
    (a microsecond a rectangle, seven times the rest; ``_drawn_item`` so builds the Points of a page's 20000
    paths, a scatter plot over a grid, for the table finder). The same object: the four corners as floats."""
    import pymupdf

    rect = object.__new__(pymupdf.Rect)
    rect.x0, rect.y0, rect.x1, rect.y1 = float(x0), float(y0), float(x1), float(y1)
    return rect


FINDER_MIN_EDGE = 3.0  # PyMuPDF's find_tables(edge_min_length=3): a shorter edge is no stroke of a grid


def is_speck(path: dict, min_edge: float = FINDER_MIN_EDGE) -> bool:
    """A fill smaller than a grid's shortest edge both ways: a plot's marker or a heat map's cell (a page of one
    held 19,581 of them, and the table finder spent 1.5 s making edges of them, to find nothing). Its edges
    are all too short for the finder; what they would join into is a plot's, not a table's."""
    if path["type"] != "f":
        return False
    x0, y0, x1, y1 = path["rect"]
    return x1 - x0 < min_edge and y1 - y0 < min_edge


def finder_paths(drawings: list[dict], slack: float = 1.0) -> list[dict]:
    """The page's drawings for the table finder, without the edges no one sees: shadings of one colour laid
    inside one another or stacked edge to edge (a word processor shades each line of a shaded cell: the finder
    cut the cell, "Suffered" / "from", into a row per line), or set side by side in one row (LaTeX's
    ``\\rowcolor`` shades a row cell by cell: the finder took the seams for a grid's strokes, and each shaded
    row and the row under it for a table of their own) are one shading, their union. The drawings are
    handed over, not copied: the finder changes the paths it is given (a page's ``get_drawings`` are new each
    time it is called; copying them cost as much as reading them). Specks (``is_speck``) are left out."""
    import pymupdf

    out, shades = [], []
    unseen = unseen_whites(drawings)
    for path in drawings:
        if id(path) in unseen or is_speck(path):
            continue
        colour = _shading(path)
        if colour is None:
            out.append(path)
            continue
        rect = pymupdf.Rect(path["rect"])
        for shade in shades:
            if shade[0] != colour:
                continue
            other = shade[1]
            stacked = (abs(other.x0 - rect.x0) <= slack and abs(other.x1 - rect.x1) <= slack
                       and (abs(other.y1 - rect.y0) <= slack or abs(rect.y1 - other.y0) <= slack))
            abreast = (abs(other.y0 - rect.y0) <= slack and abs(other.y1 - rect.y1) <= slack
                       and (abs(other.x1 - rect.x0) <= slack or abs(rect.x1 - other.x0) <= slack))
            nested = (other.x0 - slack <= rect.x0 and rect.x1 <= other.x1 + slack and other.y0 - slack <= rect.y0
                      and rect.y1 <= other.y1 + slack)
            if stacked or abreast or nested:
                shade[1] = other | rect
                break
        else:
            shades.append([colour, rect, path])
    return out + [dict(path, rect=pymupdf.Rect(rect), items=[("re", pymupdf.Rect(rect), *path["items"][0][2:])])
                  for _, rect, path in shades]


_SENTENCES = re.compile(r"^(?:\S+\s+){11,}.*[.!?]$", re.S)  # twelve words or more, ending as a sentence does


def _framed_caption_and_note(table, rows: list[list[str]]) -> tuple[float | None, float | None]:
    """A caption ("Exhibit B.4 ...", "Table 3. ...") drawn inside a grid's frame as its first row, one cell
    across the table, and a note ("Note: ...", "Source: ...", or sentences: "Exhibit reads: Sixty-nine percent
    of district administrators agree ... Source: ...") so drawn as its last row, are no rows of it:
    (the top of the row under the caption, the bottom of the row over the note), None where there is none.
    ``rows``: the table's texts, whose first and last are the finder's first and last rows."""
    def alone(row, texts: list[str], *patterns) -> bool:
        cells = [c for c in row.cells if c is not None]
        return (len(cells) == 1 and cells[0][2] - cells[0][0] >= 0.95 * (table.bbox[2] - table.bbox[0])
                and sum(bool(t) for t in texts) == 1 and any(p.match(next(t for t in texts if t)) for p in patterns))

    table_rows = table.rows  # sorted again at every ``table.rows``
    if len(table_rows) < 4 or len(rows) < 4:
        return None, None
    top = table_rows[1].bbox[1] if alone(table_rows[0], rows[0], NUMBERED_CAPTION) else None
    bottom = table_rows[-2].bbox[3] if alone(table_rows[-1], rows[-1], TABLE_NOTE, _SENTENCES) else None
    return top, bottom


def _end_above_a_held_table(table, tables: list, slack: float = 1.0) -> float | None:
    """A grid's last row that holds another grid the finder found on its own (with the text between them: a
    paragraph, the other's caption) is no row: two tables drawn one under the other in a frame the finder took
    as one (tabula's spanning_cells, read without pymupdf_layout). The bottom of the row above it, or None.
    ``tables``: the finder's grids on the page."""
    table_rows = table.rows  # sorted again at every ``table.rows``
    if len(table_rows) < 3:
        return None
    x0, y0, x1, y1 = table_rows[-1].bbox
    held = any(other is not table and other.bbox[0] >= x0 - slack and other.bbox[1] >= y0 - slack
               and other.bbox[2] <= x1 + slack and other.bbox[3] <= y1 + slack for other in tables)
    return table_rows[-2].bbox[3] if held else None


def _may_have_header_above(table, words: list) -> bool:
    """PyMuPDF's header rules (``table.header``: two renders of the top row, the text above re-read) take a
    fifth of the text path's time, and they set a header above a grid only from the words over its top row
    (their middles above it, as MuPDF clips), the lowest within its height of the top, and only when none of
    the lowest line's words runs across a column's border (a caption does): elsewhere the header is the grid's
    own top row, which the rows read already hold, so the rules need not run. Unsure (a word's middle at the
    top; words of two sizes at the foot, whose tops PyMuPDF measures otherwise): they run. ``words``: the
    page's (``get_text("words")``), read once for all its grids. A grid of one row or one column, or whose
    second row has no cells, has no header above it by those rules either."""
    table_rows = table.rows  # sorted again at every ``table.rows``
    if len(table_rows) < 2 or len(table_rows[0].cells) < 2 or all(c is None for c in table_rows[1].cells):
        return False
    x0, top, x1, _ = table_rows[0].bbox
    over = [w for w in words if w[0] < x1 and w[2] > x0 and (w[1] + w[3]) / 2 < top + 2]
    if any((w[1] + w[3]) / 2 > top - 2 for w in over):
        return True
    near = [w for w in over if w[3] >= top - 2 * (w[3] - w[1]) - 3]
    if not near:
        return False
    lowest = max(w[1] for w in near)
    if len({round(w[3] - w[1]) for w in near if w[1] >= lowest - 3}) > 1:
        return True  # words of two sizes at the foot: which of them PyMuPDF's rules see lowest is not known here
    borders = [c[2] for c in table_rows[0].cells[:-1] if c is not None]
    return not any(w[0] < x < w[2] for w in near if w[1] == lowest for x in borders)  # its words at that top


@contextmanager
def header_texts_unread():
    """PyMuPDF's header rules (``table.header``) without the texts they read, which are not used here (a header
    set above a grid is read from the page's own lines, ``external_header``; the rows from the cells): the top
    row's names (``Table.extract``: every row of the grid matched against every character of the page) and
    the names of a header above the grid (``Page.get_textbox``: the whole page parsed again for each of its
    cells), together a fifth of the text path's time on the table suites. The rules that decide whether a
    header lies above the grid and where its cells are read no text from these. Both are PyMuPDF's own again
    afterwards; the rules run lazily at ``table.header``, and inside ``find_tables`` on a page with a
    ``/Rotate`` (before it turns the page back), so both run under this. The swap is process-wide: safe because
    PyMuPDF is not thread-safe anyway and the extraction runs one document at a time in its process (datatrove's
    workers are processes)."""
    import pymupdf
    from pymupdf import table as finder

    saved = pymupdf.Page.get_textbox, finder.Table.extract
    pymupdf.Page.get_textbox = _no_text
    finder.Table.extract = _no_names
    try:
        yield
    finally:
        pymupdf.Page.get_textbox, finder.Table.extract = saved


def _no_text(page, rect, textpage=None) -> str:
    return ""


def _no_names(table, **_) -> list[list[str]]:
    """An empty name for each cell of each row: the header rules take the first row's."""
    return [[""] * len(row.cells) for row in table.rows]


def _letters(text: str) -> str:
    """A text's letters and digits alone, lowercased: a line and a table cell read from the same glyphs agree
    on these whatever spaces each puts between them."""
    return "".join(c for c in text.lower() if c.isalnum())


def _held(line: str, table_letters: str) -> bool:
    """Whether a table's text (``_letters`` of it) holds every word of a line inside its frame, whole or cut
    at a cell's border. A line whose words are not there stays text: no cell took it (a paragraph set across
    a form's ruled box, "Under penalties of perjury, ...", had gone with the grid)."""
    return all(_letters(word) in table_letters for word in line.split())


def open_sides(rules: list[Rule], vertical: list[Rule], tolerance: float = 2.0) -> list[tuple]:
    """The sides of open-sided grids, as lines for the table finder to close them with: where two rules or
    more run past the vertical strokes they cross, all ending at the same places (a statistical table ruled
    across, its label column and last column closed by no stroke), a line down each end, from the top of those
    rules to the bottom (where a stroke closes a side already, the finder joins the two). Only where the
    strokes span as much width as the open sides add: a table's label and last columns, not a form's lines
    run across the page into a column of amount boxes (pdf.js's prefilled_f1040.pdf). PyMuPDF's finder
    closes such a grid itself only where it sees characters inside the frame of its strokes, and it compares
    that frame (y down) with the characters' PDF heights (y up): in the clip ``ruled_tables`` reads, it saw
    none, and the grid lost its outer columns."""
    across = sorted(vertical[:400], key=lambda v: v[2])
    at = [v[2] for v in across]

    def inner(x0: float, x1: float) -> list[Rule]:
        return across[bisect_left(at, x0 + tolerance):bisect_right(at, x1 - tolerance)]

    ends: dict[tuple[int, int], list[Rule]] = {}
    for x0, x1, y in merged_rules(rules[:400], max_gap=1.0):  # a rule drawn cell by cell as one
        if any(vy0 - tolerance <= y <= vy1 + tolerance for vy0, vy1, _ in inner(x0, x1)):
            ends.setdefault((round(x0 / tolerance), round(x1 / tolerance)), []).append((x0, x1, y))
    sides = []
    for group in ends.values():
        for run in _ruled_runs(sorted(group, key=lambda r: r[2]), inner, tolerance):
            top, bottom = run[0][2], run[-1][2]
            x0, x1 = min(r[0] for r in run), max(r[1] for r in run)
            strokes = [v[2] for v in inner(x0, x1) if v[0] < bottom and v[1] > top]
            if strokes and max(strokes) - min(strokes) >= (min(strokes) - x0) + (x1 - max(strokes)):
                sides += [((x0, top), (x0, bottom)), ((x1, top), (x1, bottom))]
    return sides


def cut_sides(vertical: list[Rule], page_rect: tuple, need: int = 3) -> list[tuple]:
    """A grid the page's top or bottom edge cuts through (a page cropped round its table, its last row's
    bottom rule below the edge: tabula's vertical_rulings_bug.pdf) is closed along that edge, from the first
    to the last of its ``need`` or more vertical strokes (inside the page's width) that cross it: what the page
    shows of the cut row is a row; without its bottom, the finder left it out of the grid. ``vertical``:
    (y0, y1, x), in the page's frame (unturned pages only)."""
    x0, y0, x1, y1 = page_rect
    sides = []
    for edge in (y0, y1):
        xs = [x for top, bottom, x in vertical if top < edge - 1 and bottom > edge + 1 and x0 <= x <= x1]
        if len({round(x) for x in xs}) >= need:
            sides.append(((min(xs), edge), (max(xs), edge)))
    return sides


def _ruled_runs(group: list[Rule], inner, tolerance: float) -> list[list[Rule]]:
    """Rules of one width, top to bottom, as the runs of two or more that strokes join: a run goes on while
    vertical strokes between them cover the height from a rule to the next, with no gap (two grids of one
    width set one above the other, a caption between them, are two runs). ``inner(x0, x1)``: the vertical
    strokes within a span."""
    runs = [[group[0]]]
    for rule in group[1:]:
        above = runs[-1][-1]
        reached = above[2]  # how far down the strokes cover the height, with no gap, from the rule above
        for vy0, vy1, _ in sorted(inner(max(above[0], rule[0]), min(above[1], rule[1]))):
            if vy0 <= reached + tolerance:
                reached = max(reached, vy1)
        if reached >= rule[2] - tolerance:
            runs[-1].append(rule)
        else:
            runs.append([rule])
    return [run for run in runs if len(run) >= 2]


def strokes_span(page, vertical: list[Rule]) -> tuple[float, float]:
    """The top and bottom of the vertical strokes (y0, y1, x) as the page is shown: the strokes are in the frame
    of the page before its /Rotate, in which a quarter-turned page's grid spans the strokes' x (eu-015 p.2:
    read between their y, the finder saw only the grid's lower rows, and took the rest for a header)."""
    import pymupdf

    drawn = pymupdf.Rect(min(v[2] for v in vertical), min(v[0] for v in vertical),
                         max(v[2] for v in vertical), max(v[1] for v in vertical)) * page.rotation_matrix
    return drawn.y0, drawn.y1


def _cover(path) -> tuple | None:
    """An opaque fill drawn as one rectangle (a cell's shading, a shape's face), its four sides drawn as
    one ``re`` or as lines corner to corner (LibreOffice draws some cells' fills so): its box, else None."""
    items = path.get("items", ())
    if "f" not in (path.get("type") or "") or not path.get("fill") or (path.get("fill_opacity") or 0) < 1:
        return None
    x0, y0, x1, y1 = path["rect"]
    corners = [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]

    def at_corner(point) -> bool:
        px, py = point
        return any(abs(px - x) <= 0.5 and abs(py - y) <= 0.5 for x, y in corners)

    one_rect = len(items) == 1 and items[0][0] == "re"
    sides = 3 <= len(items) <= 4 and all(i[0] == "l" and at_corner(i[1]) and at_corner(i[2]) for i in items)
    return (x0, y0, x1, y1) if one_rect or sides else None


def covers(drawings: list[dict]) -> list[tuple]:
    """The opaque one-rectangle fills (``_cover``) of ``page.get_drawings(extended=True)`` (or of
    ``get_cdrawings``: the same paths with plain tuples for PyMuPDF's Rects and Points), each as (its
    ``seqno``, its box cut to the clips it is drawn in), leaving out those drawn in a group that blends or
    is see-through (a highlighter's Multiply over the words: they stay seen)."""
    import pymupdf

    out, open_ = [], []  # open_: the clips and groups the next path is drawn inside, with their levels
    for path in drawings:
        level = path.get("level", 0)
        while open_ and open_[-1][0] >= level:
            open_.pop()
        if path["type"] in ("clip", "group"):
            blends = path["type"] == "group" and (path.get("blendmode") != "Normal" or path.get("opacity", 1) < 1)
            open_.append((level, path.get("scissor"), blends))
            continue
        box = _cover(path)
        if box is None or any(blends for _, _, blends in open_):
            continue
        rect = pymupdf.Rect(box)
        for _, scissor, _ in open_:
            if scissor is not None:
                rect &= scissor
        if not rect.is_empty:
            out.append((path["seqno"], rect.x0, rect.y0, rect.x1, rect.y1))
    return out


class PageTrace:
    """The page's drawn characters with when each is drawn (MuPDF's text trace, ``seqno``), read once and only
    when a shaded table asks (``hidden_lines``). ``drawings``: the page's ``get_drawings()`` or
    ``get_cdrawings()``, whose opaque fills (``covers``, no clips known) say which lines to look at, found only
    when the finder found a table (a page of 20000 drawn paths and no table spent a quarter of a second on
    them); the clips and groups they are drawn in are read only where one seems to hide a line."""

    def __init__(self, page, drawings: list[dict]):
        self._page = page
        self._drawings = drawings
        self._rough_fills: list[tuple] | None = None
        self._chars: list[tuple[int, float, float, str, tuple]] | None = None
        self._fills: list[tuple] | None = None

    @property
    def rough_fills(self) -> list[tuple]:
        """The opaque fills of the drawings given (``covers``)."""
        if self._rough_fills is None:
            self._rough_fills = covers(self._drawings)
        return self._rough_fills

    def chars(self) -> list[tuple[int, float, float, str, tuple]]:
        """(when drawn, middle x, middle y, the character, its box) of each character but spaces."""
        if self._chars is None:
            self._chars = [(span["seqno"], (c[3][0] + c[3][2]) / 2, (c[3][1] + c[3][3]) / 2, chr(c[0]), c[3])
                           for span in self._page.get_texttrace() for c in span["chars"] if not chr(c[0]).isspace()]
        return self._chars

    def fills(self) -> list[tuple]:
        """The opaque fills cut to their clips, without those in a blending group (``covers``)."""
        if self._fills is None:
            self._fills = covers(self._page.get_drawings(extended=True))
        return self._fills


def _covered(char: tuple, later: list[tuple]) -> bool:
    """Whether fills drawn after a character (``PageTrace.chars``; ``later``: those fills) cover its box, near
    each corner (a glyph whose box runs into a fill beside it is seen: MuPDF's boxes take the glyph's advance,
    not its ink)."""
    x0, y0, x1, y1 = char[4]
    return all(any(f[1] <= x <= f[3] and f[2] <= y <= f[4] for f in later)
               for x in (0.8 * x0 + 0.2 * x1, 0.2 * x0 + 0.8 * x1) for y in (0.8 * y0 + 0.2 * y1, 0.2 * y0 + 0.8 * y1))


def _under(lines: list[Box], fills: list[tuple], chars: list[tuple], min_share: float) -> set[int]:
    """The lines (ids) more than ``min_share`` of whose characters a fill drawn after them covers (a line's
    characters: those in its box that its text has; another line's may run into its box). The characters are
    looked up by their height on the page and the fills by when they are drawn (both sorted once): a table
    of a thousand characters looked at each character for each line, and each fill for each character. Per
    line, only the fills that reach into its characters' boxes are looked through (a form's hundreds of cell
    fills, each looked at for each character, were an eighth of a tagged form page's time)."""
    chars = sorted(chars, key=lambda c: c[2])
    heights = [c[2] for c in chars]
    fills = sorted(fills)
    hidden = set()
    for line in lines:
        inside = [c for c in chars[bisect_left(heights, line.y0):bisect_right(heights, line.y1)]
                  if line.x0 <= c[1] <= line.x1 and line.y0 <= c[2] <= line.y1 and c[3] in line.text]
        if not inside:
            continue
        x0, y0 = min(c[4][0] for c in inside), min(c[4][1] for c in inside)
        x1, y1 = max(c[4][2] for c in inside), max(c[4][3] for c in inside)
        near = [f for f in fills if f[1] <= x1 and x0 <= f[3] and f[2] <= y1 and y0 <= f[4]]  # still by seqno
        drawn = [f[0] for f in near]
        covered = [c for c in inside if _covered(c, near[bisect_right(drawn, c[0]):])]
        if len(covered) > min_share * len(inside):
            hidden.add(id(line))
    return hidden


def hidden_lines(lines: list[Box], cells: tuple, trace: PageTrace, min_share: float = 0.5) -> set[int]:
    """The lines (their ids) of a table's frame ``cells`` (x0, y0, x1, y1, the lines' frame) most of whose
    characters an opaque fill of the table drawn after them covers: text under a cell's shading (a text box
    left behind a slide's table, "With footnote") is no cell's text, the reader sees the cell's own over it."""
    x0, y0, x1, y1 = cells

    def of_table(fills: list[tuple]) -> list[tuple]:
        return [f for f in fills if x0 - 1 <= f[1] and f[3] <= x1 + 1 and y0 - 1 <= f[2] and f[4] <= y1 + 1]

    if not lines or not of_table(trace.rough_fills):
        return set()
    chars = [c for c in trace.chars() if x0 <= c[1] <= x1 and y0 <= c[2] <= y1]
    if not _under(lines, of_table(trace.rough_fills), chars, min_share):
        return set()
    return _under(lines, of_table(trace.fills()), chars, min_share)


def ruled_tables(page, lines: list[Box], vertical: list[Rule], textpage=None,
                 rules: list[Rule] = (), cdrawings: list[dict] | None = None) -> tuple[list[Box], list[Box]]:
    """Tables drawn as a grid of ruling lines, found by PyMuPDF's table finder ("lines" strategy), as
    ``Box(kind="table")`` with the header row first (the finder's header, also one set above the grid); the
    page's lines inside them are taken out. Columns and rows with nothing in them (spacers, the cells a
    spanning cell covers) are left out; a grid more than half empty is no table (a framed code listing).
    The finder reads only the part of the page the vertical strokes span (its cost is in the characters it
    reads), with a header row's height above and below it, and a few points past the page's edges: a page
    cropped tight round its table has the frame's outer strokes just outside it (tabula's gre.pdf: its last
    column's right side), and a column without its side was no cell. ``cdrawings``: the page's ``get_cdrawings`` read
    already (``page_rules``), changed here into the finder's paths. (lines left, table boxes)."""
    import pymupdf

    clip = pymupdf.Rect(page.rect.x0 - 3, (span := strokes_span(page, vertical))[0] - 40, page.rect.x1 + 3,
                        span[1] + 40) & (page.rect + (-3, -3, 3, 3))
    # the drawings are in the unturned page's frame; the finder reads a turned page's itself
    # as_drawings changes the paths it is given: a copy of each, the page's cached drawings serve the figures after
    drawn = page.get_drawings() if cdrawings is None else as_drawings([dict(path) for path in cdrawings
                                                                        if not is_speck(path)])
    # the fills are read from paths the finder does not change: cdrawings' (as_drawings changed copies of them)
    trace = PageTrace(page, drawn if cdrawings is None else cdrawings)
    if cdrawings is None:
        trace.rough_fills  # noqa: B018 - read before the finder changes the paths
    paths = {} if page.rotation else {"paths": finder_paths(drawn)}
    if paths:  # ``rules``: the page's horizontal strokes, for the open sides of its grids
        paths["add_lines"] = open_sides(list(rules), vertical) + cut_sides(vertical, tuple(page.rect))
    with header_texts_unread():  # a page with a /Rotate has its grids' headers read inside the finder
        found = page.find_tables(clip=clip, strategy="lines", **paths)
    boxes, inside = [], set()
    frames = lines_frame(page)
    to_lines = frames[0]
    glyphs = PageGlyphs(page, textpage)
    words = None
    for table in found.tables:
        framed = _lines_in(lines, to_lines(table.bbox))  # every line a cell or row of it holds: fewer to look through
        behind = hidden_lines(framed, to_lines(table.bbox), trace)
        framed_all, framed = framed, [b for b in framed if id(b) not in behind]
        if _cells_hold_columns(table, framed, frames):
            continue  # its columns are not all ruled: the lines are left to textkit's table finder
        rows = _cell_texts(table, framed, frames, glyphs) or [[_cell(c) for c in row] for row in table.extract()]
        if page.rotation:  # the finder's rows are across the page as shown, the lines' rows are not
            rows = merge_spanned_columns(rows, [row.cells for row in table.rows])
        else:
            rows = merge_spanned_columns(*join_covered_rows(*split_banded_rows(
                *split_row_blocks(*split_tall_rows(table, rows, framed), framed), framed), list(rules)))
        header_top = None
        if words is None and not page.rotation:  # the words are in the frame of the grid only on an unturned page
            words = page.get_text("words", textpage=textpage) if textpage else page.get_text("words")
        if page.rotation or _may_have_header_above(table, words):
            with header_texts_unread():
                found_header = table.header
        else:
            found_header = None
        if found_header is not None and found_header.external:
            header, header_top = external_header(found_header.cells, lines, to_lines)
            if sum(bool(name) for name in header) < 2:
                header_top = None  # one line over one column: a unit or a note ("(In 1000 ha)"), no header row
            if header_top is not None:
                rows.insert(0, header)
        rows = [r for r in rows if any(r)]
        top, bottom = (None, None) if page.rotation or header_top is not None else _framed_caption_and_note(table, rows)
        if bottom is None and header_top is None and not page.rotation:
            bottom = _end_above_a_held_table(table, found.tables)
        rows = rows[top is not None:len(rows) - (bottom is not None)]
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
        keep = [j for j in range(width) if any(r[j] for r in rows)]
        rows = [[r[j] for j in keep] for r in rows]
        width = len(keep)
        filled = sum(bool(c) for r in rows for c in r)
        if len(rows) < 2 or width < 2 or filled < 4 or filled < 0.5 * len(rows) * width:
            continue
        x0, y0, x1, y1 = to_lines(table.bbox)
        if header_top is not None:
            y0 = min(y0, header_top)
        y0, y1 = top or y0, bottom or y1  # the caption's and the note's lines stay text
        text = markdown_table(rows)
        held = _letters(text)
        under = [b for b in framed_all if id(b) in behind]  # drawn before the cells over them: read first
        if under:
            text = "\n\n".join([*(b.text for b in under), text])
        boxes.append(Box(x0, y0, x1, y1, text, kind="table"))
        for i, line in enumerate(lines):
            cx, cy = (line.x0 + line.x1) / 2, (line.y0 + line.y1) / 2
            if x0 - 1 <= cx <= x1 + 1 and y0 - 1 <= cy <= y1 + 1 and (_held(line.text, held) or id(line) in behind):
                inside.add(i)
    return [b for i, b in enumerate(lines) if i not in inside], boxes


def _read_page(doc, index: int, tables: bool):
    page = doc[index]
    textpage = page_textpage(page)
    lines, unmapped = drop_unmapped(drop_overprinted(page_lines(page, textpage)))
    drawings = page_drawings(page) if tables else []  # read once: the rules, a grid's paths for the finder, figures
    rules, vertical, horizontal = page_rules(page, drawings) if tables else ([], [], [])
    if tables:
        lines, typed = typed_rules(lines)
        rules += typed
    rtl = is_rtl_page(lines)
    width, height = page.rect.width, page.rect.height
    if page.rotation % 180:  # the lines are in the frame of the page before its /Rotate
        width, height = height, width
    turn = reading_turn(lines)
    # a grid may be drawn here: the finder reads left to right, right-to-left pages keep ours; it reads the page as
    # shown, so a page turned to be read (text set sideways) keeps ours unless its /Rotate shows it upright
    if tables and not rtl and (not turn or turn == page.rotation) and is_grid(horizontal, vertical, MIN_GRID_STROKES):
        lines, grids = ruled_tables(page, lines, vertical, textpage, rules, drawings)
        lines += grids
    lines, figure_chars = drop_figure_text(lines, lambda: page_drawings(page), width * height)
    if turn:
        lines, rules, width, height = turned(lines, width, height, turn, vertical)
    if rtl:
        lines, rules = mirrored(lines, width, rules)
    return lines, (width, height), rules, unmapped, figure_chars


YOUNG_OBJECTS = 50_000  # new container objects between two of Python's collections while a document is read


@contextmanager
def fewer_collections(young: int = YOUNG_OBJECTS):
    """Python's cyclic garbage collector run less often while a document is read, as before afterwards. A page
    read makes hundreds of thousands of short-lived dicts and tuples (MuPDF's "rawdict", a dict a character; a
    chart's drawings, a tuple a segment; the table finder's edges), and at the default threshold (700 new
    objects) the collector ran 13000 times over the 777 dev pages of grobid, docbank, icdar2013 and arxiv, 5.6 of
    their 32 CPU seconds, most of it in full collections walking every object the process holds (its modules'
    too): 66 times and 0.6 s at 50000. Only when unreachable cycles are freed changes; what is read does not.
    A process that switched automatic collection off (threshold 0) keeps it off."""
    old = gc.get_threshold()
    if old[0]:
        gc.set_threshold(max(young, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def extract_pdf(pdf, tables: bool) -> list[PageExtraction]:
    """Page texts of a PDF (its bytes, or a document already opened by PyMuPDF), with the characters of
    furniture removed from each; a page MuPDF cannot load or read (a stack overflow in a deep array, a broken
    content stream) is a failed page, with the reason. Read with fewer garbage collections (``fewer_collections``)."""
    with fewer_collections():
        return _extract_pdf(pdf, tables)


def _extract_pdf(pdf, tables: bool) -> list[PageExtraction]:
    import pymupdf

    pymupdf._get_layout = None  # pymupdf_layout activates itself on import; find nothing through it here
    read: dict[int, tuple] = {}
    failures: dict[int, str] = {}
    doc = pdf if isinstance(pdf, pymupdf.Document) else pymupdf.open(stream=pdf, filetype="pdf")
    try:
        count = doc.page_count
        for index in range(count):
            try:
                read[index] = _read_page(doc, index, tables)
            except Exception as error:  # noqa: BLE001 - one unreadable page is one failed page
                failures[index] = f"{type(error).__name__}: {error}"[:200]
    finally:
        if doc is not pdf:
            doc.close()
    lines = [read[i][0] for i in sorted(read)]
    repeated = repeated_edge_keys(lines) if len(lines) >= 3 else set()
    words = vocabulary(b.text for page in lines for b in page)
    gutters = document_gutters(lines) if len(lines) >= 3 else []
    results = []
    for index in range(count):
        if index in failures:
            results.append(PageExtraction("", 0, failures[index]))
            continue
        page, (width, height), page_rules_, unmapped, figure_chars = read[index]
        laid_out = page_text(page, width, height, repeated=repeated, words=words, tables=tables,
                             rules=page_rules_, column_gutters=gutters)
        results.append(PageExtraction(laid_out.text, laid_out.furniture_chars, unmapped_chars=unmapped,
                                      furniture_kept=laid_out.furniture_kept, figure_chars=figure_chars))
    return results
