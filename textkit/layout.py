"""Page geometry shared by the born-digital text path and OCR: reading order, page furniture, paragraphs.

Both paths end with boxes of text on a page: PDF text lines (PyMuPDF's text dict, docling-parse cells) or OCR
word / line boxes. This module turns such boxes into page text, using only their geometry:

- ``merge_words``: OCR word boxes -> line boxes (PDF lines are lines already);
- ``split_furniture``: running headers and footers, page numbers ("12", "xii", "Page 3 of 9"), journal / DOI /
  copyright lines, rotated margin stamps ("Downloaded from ...") -> furniture, the rest -> body;
- ``reading_order``: XY-cut into columns and strips; blocks in reading order, lines top to bottom in each;
- ``block_paragraphs``: lines of a block -> paragraphs (joined with spaces, words broken with a hyphen at a
  line end rejoined unless the hyphen is real), headings and list items on their own lines;
- ``page_text``: all of the above for one page.

Coordinates: x to the right, y downwards (PDF points as PyMuPDF gives them, or image pixels); any unit, since
every threshold is relative to the text's own size. Standard library only.
"""

from __future__ import annotations

import math
import re
import statistics
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

# --- boxes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A piece of text on a page: an OCR word or line, a PDF text line, or a finished block (``kind``)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float = 0.0  # font size; 0 when unknown (OCR): the box height stands in
    rotation: int = 0  # text direction in degrees, counter-clockwise (0 = horizontal left to right)
    bold: bool = False
    italic: bool = False
    kind: str = ""  # "" text; "table" (or any other kind): emitted verbatim as its own block
    region: int = 0  # OCR: the engine's own text block this box was read in (its page segmentation); 0: none
    # a PDF line's runs of text where the PDF placed them, (text, x0, x1) each, joined its text (before stripping):
    # where its words lie (``word_extents``); () when unknown (one run, OCR, a box made of others)
    runs: tuple[tuple[str, float, float], ...] = field(default=(), compare=False, repr=False)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def text_size(self) -> float:
        """Font size, or an estimate from the box height (a line box is about 1.2 font sizes high)."""
        return self.size if self.size > 0 else self.height / 1.2

    @property
    def horizontal(self) -> bool:
        return self.rotation % 360 == 0


def union(boxes: Sequence[Box], text: str | None = None, **changes) -> Box:
    """One box around ``boxes`` (texts joined by a space unless ``text`` is given); style of the first."""
    first = boxes[0]
    return replace(
        first,
        x0=min(b.x0 for b in boxes), y0=min(b.y0 for b in boxes),
        x1=max(b.x1 for b in boxes), y1=max(b.y1 for b in boxes),
        text=" ".join(b.text for b in boxes) if text is None else text,
        **changes,
    )


def mirrored(boxes: Sequence[Box], width: float, rules: Sequence[Rule] = ()) -> tuple[list[Box], list]:
    """Boxes (and rules) flipped left to right on a page ``width`` wide: a right-to-left page laid out by the
    left-to-right rules of this module (right column first, a row's right segment first, list markers at the
    line's start)."""
    flipped = [replace(b, x0=width - b.x1, x1=width - b.x0, runs=()) for b in boxes]
    return flipped, [(width - x1, width - x0, y) for x0, x1, y in rules]


def reading_turn(boxes: Sequence[Box], share: float = 0.5) -> int:
    """The quarter or half turn (90, 180 or 270 degrees) that sets a page's text upright when more than
    ``share`` of its characters run in that direction (a landscape page, or a table set sideways on a
    portrait page, by a turned text matrix or a /Rotate the text is drawn against); 0 for any other page."""
    counts: Counter[int] = Counter()
    for box in boxes:
        if not box.kind:
            quarter = round(box.rotation / 90) * 90 % 360
            counts[quarter if abs(box.rotation - round(box.rotation / 90) * 90) <= 3 else -1] += len(box.text.strip())
    if not counts:
        return 0
    direction, chars = counts.most_common(1)[0]
    return direction if direction in (90, 180, 270) and chars > share * sum(counts.values()) else 0


def turned(boxes: Sequence[Box], width: float, height: float, turn: int,
           vertical: Sequence[Rule] = ()) -> tuple[list[Box], list[Rule], float, float]:
    """Boxes of a page turned by ``turn`` degrees (from ``reading_turn``) so that text running that way
    reads left to right, top to bottom: (boxes, horizontal rules, width, height) of the turned page. Text at
    90 degrees runs upwards and its lines follow one another to the right; the page's vertical strokes
    (y0, y1, x) are the turned page's horizontal rules."""
    def point(x: float, y: float) -> tuple[float, float]:
        if turn == 90:
            return height - y, x
        if turn == 270:
            return y, width - x
        return width - x, height - y

    out = []
    for b in boxes:
        (ax, ay), (bx, by) = point(b.x0, b.y0), point(b.x1, b.y1)
        out.append(replace(b, x0=min(ax, bx), y0=min(ay, by), x1=max(ax, bx), y1=max(ay, by),
                           rotation=(b.rotation - turn) % 360, runs=()))
    rules: list[Rule] = []
    if turn in (90, 270):
        for y0, y1, x in vertical:
            (ax, ay), (bx, _) = point(x, y0), point(x, y1)
            rules.append((min(ax, bx), max(ax, bx), ay))
    size = (height, width) if turn in (90, 270) else (width, height)
    return out, rules, *size


def _frame(rotation: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Unit vectors (page coordinates, y down) along a line set at ``rotation`` degrees and towards the line
    that follows it."""
    angle = math.radians(rotation)
    return (math.cos(angle), -math.sin(angle)), (math.sin(angle), math.cos(angle))


def _extent(box: Box, axis: tuple[float, float]) -> tuple[float, float]:
    ends = [x * axis[0] + y * axis[1] for x in (box.x0, box.x1) for y in (box.y0, box.y1)]
    return min(ends), max(ends)


def _root(parent: list[int], i: int) -> int:
    """The representative of ``i``'s set in a union-find forest (paths halved on the way)."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def sideways_groups(lines: Sequence[Box], max_gap: float = 0.6) -> list[list[Box]]:
    """Lines not set horizontally, grouped into the blocks they form: lines of one direction that follow one
    another (at most ``max_gap`` type sizes apart) along a common stretch, or pieces of one line (a type size
    apart at most). Each group's lines in reading order: line after line in the direction the text is set
    (a line at 90 degrees runs upwards and the next one is to its right), each line's pieces along it."""
    by_rotation: dict[int, list[Box]] = {}
    for box in lines:
        if not box.horizontal and not box.kind and box.text.strip():
            by_rotation.setdefault(box.rotation % 360, []).append(box)
    groups: list[list[Box]] = []
    for rotation, boxes in by_rotation.items():
        along, down = _frame(rotation)
        spans = [(_extent(b, down), _extent(b, along), b) for b in boxes]
        spans.sort(key=lambda s: s[0][0])
        parent = list(range(len(spans)))
        for i, ((d0, d1), (a0, a1), box) in enumerate(spans):
            for j in range(i + 1, len(spans)):
                (e0, e1), (b0, b1), other = spans[j]
                size = max(box.text_size, other.text_size, 1.0)
                if e0 - d1 > max_gap * size:
                    if e0 - d1 > 3 * size:
                        break  # sorted by where they start: the later ones are further still
                    continue
                stacked = e0 > (d0 + d1) / 2 or d0 > (e0 + e1) / 2  # a line after the other, not beside it
                if max(a0, b0) - min(a1, b1) <= (0 if stacked else size):
                    parent[_root(parent, j)] = _root(parent, i)
        members: dict[int, list[tuple]] = {}
        for i, span in enumerate(spans):
            members.setdefault(_root(parent, i), []).append(span)
        for group in members.values():  # lines by where they sit across the text, pieces along each
            group.sort(key=lambda s: ((s[0][0] + s[0][1]) / 2, s[1][0]))
            ordered = _sideways_lines([s[2] for s in group])
            groups.append([b for line in ordered for b in sorted(line, key=lambda b: _extent(b, along)[0])])
    return groups


def _sideways_lines(group: Sequence[Box]) -> list[list[Box]]:
    """Sideways boxes of one direction, ordered across the text, as its lines (pieces along one line
    together: their middles within half a type size across it)."""
    down = _frame(group[0].rotation)[1]
    out: list[list[Box]] = []
    for box in group:
        mid = sum(_extent(box, down)) / 2
        if out and abs(mid - sum(_extent(out[-1][-1], down)) / 2) <= 0.5 * max(box.text_size, 1.0):
            out[-1].append(box)
        else:
            out.append([box])
    return out


def join_sideways(lines: Sequence[Box], words: set[str] | frozenset[str] = frozenset()) -> list[Box]:
    """The lines with each block of text set sideways or at a slant (``sideways_groups``) as one box holding
    its text in reading order: laid out by its boxes alone, a block at 270 degrees would be read last line
    first, one at 180 degrees bottom line first, a line's pieces at 90 degrees from its end."""
    groups = [g for g in sideways_groups(lines) if len(g) > 1]
    if not groups:
        return list(lines)
    grouped = {id(b) for g in groups for b in g}
    out = [b for b in lines if id(b) not in grouped]
    for group in groups:
        texts = [" ".join(b.text.strip() for b in line) for line in _sideways_lines(group)]
        out.append(union(group, text=join_lines(texts, words)))
    return out


def _median(values: Iterable[float], default: float = 0.0) -> float:
    values = [v for v in values if v > 0]
    return statistics.median(values) if values else default


def _v_overlap(a: Box, b: Box) -> float:
    """Vertical overlap of two boxes as a fraction of the smaller height."""
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap / max(min(a.height, b.height), 1e-6)


def rows(boxes: Sequence[Box], min_overlap: float = 0.5) -> list[list[Box]]:
    """Boxes grouped into rows (vertical overlap), rows top to bottom, boxes left to right in each.

    A box joins the current row when it overlaps the row's band by ``min_overlap`` of the smaller height; a
    tall box (over twice the usual height: a big initial, a merged table cell) joins by its centre and does not
    widen the band, so it cannot pull lines of two rows into one."""
    if not boxes:
        return []
    usual = _median((b.y1 - b.y0 for b in boxes), 1.0)  # their heights
    tall_height = 2 * usual
    out: list[list[Box]] = []
    band = (0.0, 0.0)
    for box in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        y0, y1 = box.y0, box.y1
        tall = y1 - y0 > tall_height
        if out:
            lo, hi = band
            if tall:
                joins = lo <= (y0 + y1) / 2 <= hi
            else:
                overlap = min(hi, y1) - max(lo, y0)
                joins = overlap >= min_overlap * max(min(y1 - y0, hi - lo), 1e-6)
            if joins:
                out[-1].append(box)
                if not tall:
                    band = (min(lo, y0), max(hi, y1)) if hi > lo else (y0, y1)
                continue
        out.append([box])
        band = (y0, y1) if not tall else ((y0 + y1) / 2 - usual / 2, (y0 + y1) / 2 + usual / 2)
    return [sorted(row, key=lambda b: b.x0) for row in out]


def merge_words(words: Sequence[Box], max_gap: float = 1.0) -> list[Box]:
    """OCR word boxes -> line boxes: words of one row whose gap is under ``max_gap`` x the text size."""
    lines = []
    for row in rows([w for w in words if w.text.strip()]):
        current = [row[0]]
        for word in row[1:]:
            if word.x0 - current[-1].x1 <= max_gap * max(word.text_size, current[-1].text_size):
                current.append(word)
            else:
                lines.append(union(current))
                current = [word]
        lines.append(union(current))
    return lines


BULLETS = "•◦▪▫■□●○‣∙⁃"  # glyphs drawn only as list bullets (no dash, asterisk or middle dot: those are text too)
_NUMBERED = r"\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})[.)]"  # "3.", "(3)", "b)", "iv."
_LIST_MARKER = re.compile(rf"^(?:[{BULLETS}·*–—-]|{_NUMBERED})$")
_NUMBERED_MARKER = re.compile(rf"^{_NUMBERED}$")
_DASHES = ("-", "–", "—")  # a table's mark for no figure, and list markers too
_MARKER_REACH = 3.0  # type sizes: the farthest a list marker stands from its item (``_leads``)
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})+\.?|[A-Z]\.\d{1,2}(?:\.\d{1,2})*|\d{1,2})$")


def merge_markers(lines: Sequence[Box]) -> list[Box]:
    """A list marker ("•", "1.", "(a)") or a section number ("2.8.3", or "4" before a bold or larger title)
    that is its own box, joined to the text right of it on its line, so that the gap after it is never taken
    for a column gutter. The marker is, of the boxes ending left of the text within a marker's reach and sharing
    some of its height, the one sharing the most (the nearest, among equals): a row of ``rows`` may chain lines
    of several baselines (a column beside set on other baselines, lines set closer than their boxes are tall),
    and the box just before the text in the row is then often a line above or below it (a worksheet's "6."
    was joined to the label of line 5 over it, not to its own line's text); a detail's number set lower than
    its title on a drawing still leads it."""
    sizes = sorted(b.text_size for b in lines if not b.kind)
    typical = sizes[len(sizes) // 2] if sizes else 0.0
    out = []
    for row in rows(lines):
        merged: list[Box] = []
        for box in row:
            k = _marker_of(box, merged)
            prev = None if k is None else merged[k]
            if prev is not None and prev.kind == box.kind == "" and 0 <= box.x0 - prev.x1 <= _leads(
                    prev, box, typical) * max(prev.text_size, box.text_size) and not _ends_its_column(
                    prev, lines, typical):
                merged[k] = union([prev, box], text=f"{prev.text.strip()} {box.text.lstrip()}",
                                  size=box.size, bold=box.bold, italic=box.italic)
            else:
                merged.append(box)
        out.extend(merged)
    return out


def _marker_of(text: Box, boxes: list[Box], reach: float = _MARKER_REACH) -> int | None:
    """Which of ``boxes`` (a row's, left to right) may lead ``text`` as its marker (``merge_markers``): its
    index, or None."""
    best, key = None, (0.0, -math.inf)
    for k, box in enumerate(boxes):
        if box.x1 <= text.x0 and text.x0 - box.x1 <= reach * max(box.text_size, text.text_size):
            share = _v_overlap(box, text)
            if share > 0 and (share, box.x1) > key:
                best, key = k, (share, box.x1)
    return best


def join_spaced_heading_words(lines: Sequence[Box], max_space: float = 1.5, min_size: float = 1.15) -> list[Box]:
    """A heading set justified, its words far apart (bold, ``min_size`` x the body's type or larger): PDF readers
    give each word its own box where the space is wide, and where two of its lines' spaces line up the gap
    was taken for a column gutter ("2 Periodically cesses and / correlated pro- generated vector"). Its words
    on a row, in the same type and up to ``max_space`` type sizes apart, become one line; not across a gutter
    between the page's text columns (two headings side by side)."""
    def two_on_a_row(boxes: list[Box]) -> bool:
        boxes = sorted(boxes, key=lambda b: b.y0)
        return any(_v_overlap(a, b) >= 0.5 for a, b in zip(boxes, boxes[1:], strict=False))

    bold = [b for b in lines if b.bold and not b.kind and b.horizontal]
    if len(bold) < 2 or not two_on_a_row(bold):
        return list(lines)  # no two bold words on a row (the common page: headings of one box each)
    sizes = sorted(b.text_size for b in lines if not b.kind)
    typical = sizes[len(sizes) // 2] if sizes else 0.0

    def heading_word(box: Box) -> bool:
        return not box.kind and box.bold and box.horizontal and box.text_size >= min_size * typical

    if not two_on_a_row([b for b in bold if heading_word(b)]):
        return list(lines)
    gutters: list[tuple[float, float]] | None = None
    out = []
    for row in rows(lines):
        merged: list[Box] = []
        for box in row:
            prev = merged[-1] if merged else None
            if (prev is not None and heading_word(prev) and heading_word(box)
                    and abs(prev.text_size - box.text_size) <= 0.05 * box.text_size
                    and 0 <= box.x0 - prev.x1 <= max_space * box.text_size):
                if gutters is None:
                    gutters = text_column_gutters(lines, _median((b.height for b in lines if not b.kind), 1.0))
                if not any(prev.x1 <= g1 and g0 <= box.x0 for g0, g1 in gutters):
                    merged[-1] = union([prev, box], text=f"{prev.text.rstrip()} {box.text.lstrip()}",
                                       size=box.size, bold=True, italic=box.italic)
                    continue
            merged.append(box)
        out.extend(merged)
    return out


def _ends_its_column(marker: Box, lines: Sequence[Box], typical: float, slack: float = 0.5) -> bool:
    """An equation's number ("(1)") set flush with its column's right edge: the nearest text line above or
    below that reaches over it from further left than its own width (not the marker of the item above) ends
    where it ends (within ``slack`` type sizes). It ends a display, it leads nothing: what stands right of it
    is the next column, across the gutter."""
    over = [b for b in lines if not b.kind and b.x0 < marker.x0 - marker.width and marker.x0 < b.x1]
    above = [b for b in over if b.y1 <= marker.y0 + 0.5 * marker.height]
    below = [b for b in over if b.y0 >= marker.y1 - 0.5 * marker.height]
    nearest = [max(above, key=lambda b: b.y1)] if above else []
    nearest += [min(below, key=lambda b: b.y0)] if below else []
    return any(abs(b.x1 - marker.x1) <= slack * max(typical, marker.text_size) for b in nearest)


def _leads(marker: Box, text: Box, typical: float) -> float:
    """How far (in type sizes) the text may stand from ``marker`` and still be its item or heading; 0: not."""
    head = marker.text.strip()
    if _LIST_MARKER.match(head):  # but a dash before a dash or a figure is a table's empty cell ("—  —  5.3")
        item = text.text.strip()
        if _NUMBERED_MARKER.match(head) and _NUMBERED_MARKER.match(item):
            return 0.0  # a number before a number: a table's column numbers ("(1)  (2)  (3)"), no item
        return 0.0 if head in _DASHES and (item in _DASHES or _NUMBER.match(item)) else _MARKER_REACH
    if not _SECTION_NUMBER.match(head) or not text.text.strip()[:1].isalpha():
        return 0.0  # "0.38  0.5417" are two cells, not a section number and its title
    if "." in head:  # a title starts with a capital: "0.5  est" are a table's cells, its figure and a label
        return 2.0 if text.text.strip()[:1].isupper() else 0.0
    heading = text.text.strip()[:1].isupper() and (text.bold or text.text_size >= 1.15 * typical)
    return 1.2 if heading else 0.0


# --- page furniture ---------------------------------------------------------------------------------------

_ROMAN = r"(?=[ivxl]+\b)(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"  # i .. lxxxix: front matter page numbers
_PAGE_NO = rf"(?:\d{{1,4}}|{_ROMAN})"  # a page number as a contents list gives it: "12", "iv"
_PAGE_NUMBER = re.compile(
    rf"^\s*(?:(?:page|pg\.?|p\.|seite|s\.|página|pagina|strona|стр\.?|страница)\s*)?"
    rf"[-–—(\[|]?\s*(?:\d{{1,4}}|{_ROMAN})\s*[-–—)\]|]?"
    r"(?:\s*(?:/|of|de|von|из|sur|di)\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)
# Lines that only the publisher, the archive or the printer put on a page.
_FURNITURE_PATTERN = re.compile(
    r"\bdoi\s*:|\bdoi\.org/|\bdx\.doi|\bissn\b|\bisbn\b|\barxiv:\s*\d|\bvol(?:ume)?\.?\s*\d+.{0,40}\b(?:no|issue|pp)\b"
    r"|\bdownloaded\s+(?:from|by|on)\b|\bpublished\s+(?:by|online)\b|\bprinted\s+(?:in|on|by)\b|\bpreprint\b"
    r"|\bmanuscript\s+(?:submitted|received)|\b(?:received|accepted|revised):?\s+\d{1,2}\s+\w+\s+\d{4}"
    r"|©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b|\bpage\s+\d+\s+(?:of|/)\s+\d+|\(page\s+\d+\)"
    r"|\bproceedings\s+of\b|\bjournal\s+of\b.{0,40}\d|\bpp\.\s*\d+\s*[-–]\s*\d+|\bterms\s+of\s+use\b"
    r"|\bconfidential\b|\bdraft\b|\blicen[cs]ed\s+under\b|\bauthor.?s\s+version\b|\bnot\s+for\s+redistribution\b",
    re.IGNORECASE,
)
# A footnote starts with its marker: "1 See ...", "1See", "* Corresponding author", "† ..."
# a table's note, set under its rows: "Source: Inderes", "Notes: ..." (no row of it)
TABLE_NOTE = re.compile(r"^(?:notes?|sources?)\s*:", re.IGNORECASE)
# a numbered caption ("Table 14.", "Figure 3:", "Exhibit B.4", "Abb. 2") names the table or figure over or under
# it: no row of a grid's frame, no running head where a table continued over pages repeats it at each top
NUMBERED_CAPTION = re.compile(
    r"^\W*(?:table|tab\.|figure|fig\.|chart|exhibit|plate|graph|map|appendix|annex|schedule|abbildung|abb\.|"
    r"tabelle|tableau|tabla|cuadro|figura|tabela|rysunek|таблица|рисунок)\s*[a-z]?\.?\d+(?:[.-]\d+)*\b",
    re.IGNORECASE,
)
# "(8)" beside other boxes on a row numbers a display equation (or a list item), not the page
_EQUATION_NUMBER = re.compile(r"^\s*\(\s*\d{1,4}\s*\)\s*$")
_FOOTNOTE_START = re.compile(r"^\s*(?:\d{1,2}\.?\s*[A-Za-z(\[]|[*∗†‡§¶]\s*\S)")
# a formula states a relation between terms ("X2 + Y2 = Z", "a ≤ b"); a web address's "?id=3" is none, nor is
# a drawing's scale in feet and inches ('SCALE: 1" = 100\'', a title block's line)
_RELATION = re.compile(r"\w[\s)\]]{0,3}[=≤≥≈≠≡]\s{0,3}[\w(\[−-]")
_ADDRESS = re.compile(r"\S*(?:/|@|www\.)\S*")
_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[\W_]+")


def is_page_number(text: str) -> bool:
    """"12", "- 12 -", "xii", "Page 3", "3 of 9", "3/9"."""
    return bool(text.strip()) and bool(_PAGE_NUMBER.match(text))


def is_formula(text: str) -> bool:
    """A line that states a relation between terms, a web address's query aside: a display formula, which
    a page may set alone and centred near its foot, is body, not a running head or foot."""
    return bool(_RELATION.search(_ADDRESS.sub(" ", text)))


def edge_key(text: str) -> str:
    """What a running header has in common across pages: lowercase letters, digits as '#'."""
    return _DIGITS.sub("#", _NON_WORD.sub(" ", text.lower())).strip()


@dataclass(frozen=True)
class FurnitureSettings:
    top_band: float = 0.14  # fraction of the page height where headers can be
    bottom_band: float = 0.14  # ... and footers
    margin_band: float = 0.12  # fraction of the page width where side stamps can be
    max_edge_rows: int = 3  # rows at each edge that can be furniture
    detached_gap: float = 0.8  # a header row is apart from the body: gap >= this x its height
    max_header_words: int = 14


# rows this close (x their line height) are one group: a running head set closer to the text under it than this
# is no running head but the text's first line (a document whose pages open with the same words)
_RUN_ON_GAP = 0.6


def _row_text(row: Sequence[Box]) -> str:
    return " ".join(b.text.strip() for b in row if b.text.strip())


SIDEWAYS_BODY_LINES = 3  # lines set one after another sideways: a block of text, not a margin stamp


MIN_WATERMARK_SLANT = 20  # degrees off the page's axes: a watermark is set across the page's diagonal


def _is_watermark(box: Box, body_size: float) -> bool:
    """A large diagonal watermark ("DRAFT", "out of date") across the page; not large type set at a slight
    slant (PDFBox's custom-render-demo: "Hello World" at 9 degrees, its page's main text)."""
    slant = box.rotation % 90
    return (not box.kind and min(slant, 90 - slant) >= MIN_WATERMARK_SLANT and bool(body_size)
            and box.text_size >= 2 * body_size)


def _is_rotated_stamp(box: Box, body: tuple[float, float], width: float, height: float, s: FurnitureSettings,
                      body_size: float = 0.0, block_lines: int = 1) -> bool:
    """Rotated text in the margin (arXiv ids, "Downloaded from ..." along the page's edge) or beside a body in
    reading type, in the outer quarter of the page and not set larger than the body. Not a block of
    ``SIDEWAYS_BODY_LINES`` lines or more (``block_lines``: a paragraph or a form's text set sideways), nor
    rotated text further in (a sideways label or caption beside a narrow body, on a page of display type)."""
    if box.horizontal or box.kind:
        return False
    if block_lines >= SIDEWAYS_BODY_LINES:
        return False
    left, right = body
    if box.x1 <= s.margin_band * width + 1 or box.x0 >= (1 - s.margin_band) * width - 1:
        return True
    beside = (box.x1 <= min(left, width / 4) + 1) or (box.x0 >= max(right, 3 * width / 4) - 1)
    return beside and _text_sized(body_size, height) and (not body_size or box.text_size <= 1.5 * body_size)


def _chars(boxes: Iterable[Box]) -> int:
    return sum(len(b.text.strip()) for b in boxes)


LEADING_APART = 1.3  # a running head or foot in body type is set further from the body than its lines are from
# one another


def _row_leading(text_rows: Sequence[Sequence[Box]]) -> float:
    """The usual space between the body's rows next to a page edge group (the median of the gaps between the
    next few rows, in either order): on a page set with wide leading (1.5 or double spacing) a body line is
    as far from the next as a running head is from the body in single spacing, and is not set apart by that
    alone (a paper's first line with a footnote's number in it was taken for a running head)."""
    tops = sorted((min(b.y0 for b in r), max(b.y1 for b in r)) for r in text_rows if r)
    gaps = [max(b[0] - a[1], 0.0) for a, b in zip(tops, tops[1:], strict=False)]  # boxes of close lines overlap
    return statistics.median(gaps) if gaps else 0.0


def _without_folios(row: Sequence[Box]) -> str:
    """A row's text without the page numbers at its ends that are set larger than the rest of it (a running
    foot "62  ANNUAL REPORT 2021" does not start with a footnote's marker: a marker is set smaller or alike)."""
    pieces = list(row)
    rest = [b.text_size for b in pieces if not is_page_number(b.text)]
    largest = max(rest, default=0.0)
    while len(pieces) > 1 and is_page_number(pieces[0].text) and pieces[0].text_size > 1.2 * largest:
        pieces = pieces[1:]
    while len(pieces) > 1 and is_page_number(pieces[-1].text) and pieces[-1].text_size > 1.2 * largest:
        pieces = pieces[:-1]
    return _row_text(pieces)


def _stands_apart(row: Sequence[Box], i: int, sizes: float = 3.0) -> bool:
    """The row's ``i``-th box (the row left to right) is ``sizes`` type sizes or more from both neighbours."""
    box, apart = row[i], sizes * row[i].text_size
    return box.x0 - row[i - 1].x1 >= apart and row[i + 1].x0 - box.x1 >= apart


def _text_sized(body_size: float, height: float, max_share: float = 0.025) -> bool:
    """The page's body is set in a reading size (at most ``max_share`` of the page height: 12 pt is 0.015 of
    a letter page), not in display type (a title page, a poster, a slide): only then is a short row above or
    below it a running head or foot rather than a line of the display."""
    return not body_size or body_size <= max_share * height


def split_furniture(
    lines: Sequence[Box],
    width: float,
    height: float,
    repeated: frozenset[str] | set[str] = frozenset(),
    settings: FurnitureSettings | None = None,
) -> tuple[list[Box], list[Box]]:
    """(body, furniture) of one page's lines.

    Furniture: rotated lines beside the body and large diagonal watermarks; and, at the top and at the
    bottom edge, up to two groups of close rows (at most ``max_edge_rows`` each) taken from the edge inwards,
    inside the edge band, when every row of the group repeats at a page edge elsewhere in the document (``repeated``, keys
    from ``edge_key``), is a lone page number ("12", "xii", "Page 3 of 9"; in a band of a quarter page), or is
    set apart from the body (or at the very edge) and holds a page number as its own box, reads like a
    publisher's or archive's line (DOI, ISSN, copyright, "Downloaded from ...", "author's version"), or is a
    running head (one short row in body-size or smaller plain type with a number, smaller or italic) or a
    running foot (one or two short rows, no sentence, at the very bottom). A heading at the top (larger or
    bold), a footnote at the bottom (it starts with its marker), and body text running into the margins stay.
    """
    s = settings or FurnitureSettings()
    horizontal = [b for b in lines if b.horizontal or b.kind]
    if not horizontal:
        return list(lines), []
    body_extent = (min(b.x0 for b in horizontal), max(b.x1 for b in horizontal))
    body_size = body_text_size(horizontal)
    block_lines = {id(b): len(_sideways_lines(g)) for g in sideways_groups(lines) for b in g}
    watermarks = [b for b in lines if _is_watermark(b, body_size)]
    marked = {id(b) for b in watermarks}
    furniture = [b for b in lines if id(b) not in marked and _is_rotated_stamp(
        b, body_extent, width, height, s, body_size, block_lines.get(id(b), 1))]
    if _chars(furniture) >= _chars(b for b in horizontal if not b.kind):
        furniture = []  # stamps are a small part of a page: here the sideways lines are what it says
    furniture += watermarks
    stamps = {id(b) for b in furniture}
    text_rows = rows([b for b in horizontal if id(b) not in stamps])
    line_height = _median((b.height for b in horizontal if not b.kind), 1.0)
    drop: set[int] = set()

    numbers: set[int] = set()  # page-number boxes on a footnote's row

    def number_box(row: list[Box]) -> bool:
        """A page number as its own box at either end of its row, or set apart from the boxes on both sides
        of it (a folio centred between a foot's left and right parts), as a running head or foot sets it: a
        figure inside a row close to its neighbours is a formula's ("1" over a fraction, after a root sign)."""
        return len(row) > 1 and any(is_page_number(b.text) and not _EQUATION_NUMBER.match(b.text)
                                    and (i in (0, len(row) - 1) or _stands_apart(row, i)) for i, b in enumerate(row))

    def group_is_furniture(group: list[list[Box]], gap: float, top: bool, leading: float, first: bool) -> bool:
        texts = [_row_text(r) for r in group]
        if not all(texts) or any(b.kind for r in group for b in r):
            return False
        body_like = max(b.text_size for r in group for b in r) >= 0.92 * body_size  # set smaller: apart anyway
        detached = gap >= s.detached_gap * line_height and (not body_like or gap >= LEADING_APART * leading)
        edge_y = min(b.y0 for b in group[0]) if top else max(b.y1 for b in group[0])
        # at the very edge, the edge's first group (under a folio dropped already, the text may begin there)
        outer = first and (edge_y <= 0.07 * height if top else edge_y >= 0.93 * height)
        if all(edge_key(t) in repeated for t in texts):  # one repeating row does not take body rows with it
            return gap > _RUN_ON_GAP * line_height  # nor is it a page's opening of a text that repeats
        if len(group) == 1 and is_page_number(texts[0]) and (detached or outer):
            return True
        if not (detached or outer) or any(is_formula(t) for t in texts):
            return False
        last = _without_folios(group[-1])
        footnote = not top and bool(_FOOTNOTE_START.match(last)) and len(last.split()) > 6
        # a number beside a heading set bold and larger than the body ("4  Algorithm analysis" opening a page)
        # is the heading's, not a folio (running heads are set plain)
        heading = all(b.bold and b.text_size >= 1.15 * body_size for r in group for b in r)
        if any(number_box(r) for r in group) and not heading:
            if footnote:  # "1. A footnote ...          3 / 9": the page number goes, the footnote stays
                numbers.update(id(b) for r in group for b in (r[0], r[-1]) if is_page_number(b.text))
                return False
            return True
        # a publisher's line, unless set close to the body with the body's running text beside it on its rows
        # (another column's lines in body type): the columns run on to the edge, and the line is one of theirs
        # (a reference list's last entry "Journal of Instrumentation, vol. 10, no. 01, ..." beside the text)
        beside_text = any(b.text_size >= 0.92 * body_size and b.width >= 15 * b.height
                          and not _FURNITURE_PATTERN.search(b.text) for r in group for b in r)
        if any(_FURNITURE_PATTERN.search(t) for t in texts) and not footnote and (detached or not beside_text):
            return True
        size = max(b.text_size for r in group for b in r)
        plain = not any(b.bold for r in group for b in r) and size <= body_size * 1.05
        if not plain or not _text_sized(body_size, height):
            return False
        # a row of pieces set apart (a paper's title left, its conference right), each a short one
        pieces = [b.text for r in group for b in r] if size < body_size * 0.92 else texts
        if any(len(t.split()) > s.max_header_words for t in pieces):
            return False
        if top:  # a running head: apart from the body, body-size or smaller, with a number or set smaller/italic
            return len(group) == 1 and (bool(_DIGITS.search(texts[0])) or size < body_size * 0.92
                                        or all(b.italic for b in group[0]))
        # a running foot: one or two short rows at the very bottom, well apart, not a sentence, not a footnote
        marker = bool(_FOOTNOTE_START.match(texts[-1]))
        return (len(group) <= 2 and gap >= 1.5 * line_height and edge_y >= 0.9 * height and not marker
                and all(len(t.split()) <= 8 and not t.rstrip().endswith(".") for t in texts))

    for top in (True, False):
        ordered = text_rows if top else text_rows[::-1]
        start = 0
        for _ in range(2):  # up to two furniture groups per edge (a running head, then a journal line)
            group = ordered[start:start + 1]
            if not group:
                break
            while start + len(group) < len(ordered) and len(group) < s.max_edge_rows:
                if number_box(group[-1]):  # a running head / foot with its page number is the group's last row
                    break
                nxt = ordered[start + len(group)]
                between = (min(b.y0 for b in nxt) - max(b.y1 for b in group[-1]) if top
                           else min(b.y0 for b in group[-1]) - max(b.y1 for b in nxt))
                if between > _RUN_ON_GAP * line_height:
                    break
                group.append(nxt)
            inner = ordered[start + len(group)] if start + len(group) < len(ordered) else None
            edge_gap = min(b.y0 for b in group[0]) if top else height - max(b.y1 for b in group[0])
            if (len(group) == 1 and inner is not None and edge_gap <= line_height
                    and _figures_under_columns(group[0], inner)):
                break  # no margin to hold a running head or foot: a table's row, the page cropped round it
            gap = height if inner is None else (
                min(b.y0 for b in inner) - max(b.y1 for b in group[-1]) if top
                else min(b.y0 for b in group[-1]) - max(b.y1 for b in inner))
            far = max(b.y1 for r in group for b in r) if top else min(b.y0 for r in group for b in r)
            band = s.top_band if top else s.bottom_band
            if len(group) == 1 and is_page_number(_row_text(group[0])):
                band = 0.25  # a lone page number can sit in a deep margin
            in_band = far <= band * height if top else far >= (1 - band) * height
            leading = _row_leading(ordered[start + len(group):start + len(group) + 4])
            if not in_band or not group_is_furniture(group, gap, top, leading, start == 0):
                break
            drop.update(id(b) for r in group for b in r)
            start += len(group)
    drop |= numbers
    furniture += [b for row in text_rows for b in row if id(b) in drop]
    dropped = drop | stamps
    return [b for b in lines if id(b) not in dropped], furniture


def _figures_under_columns(row: list[Box], beside: list[Box], min_cells: int = 3, min_words: int = 4) -> bool:
    """A row of ``min_cells`` boxes or more at the page's edge, half of them figures or more (or ``min_words``
    boxes or more of any text), each set in line with a box of its own of the next row in (overlapping across,
    in order): a table's first or last row, its columns running on from the rows beside it (a page cropped round
    its table: tabula's gre.pdf, "650  163  91", a line printer's listing, "ALBERT LEA, ...  0  0  0  7  7",
    and french1.pdf's book list, "La Ronde et autres récits (extraits)  Gallimard  L  Dituria", had gone as a
    running foot or head), not a folio with a running head's or foot's text. ``split_furniture`` asks only of a
    row within a line's height of the page's edge, where no margin holds a running head or foot (a figure's
    axis ticks at a page's top margin, "0  0  0" over "20  20  20", stay furniture as before)."""
    figures = sum(bool(_NUMBER.match(b.text.strip())) for b in row)
    if len(row) < min_cells or len(row) > len(beside) or (2 * figures < len(row) and len(row) < min_words):
        return False
    others = iter(beside)
    return all(any(a.x0 < b.x1 and b.x0 < a.x1 for a in others) for b in row)


def edge_rows_keys(lines: Sequence[Box], rows_per_edge: int = 2) -> tuple[set[str], set[str]]:
    """Keys of the first and last rows of a page, for counting running headers across pages."""
    text_rows = [r for r in rows([b for b in lines if b.horizontal and not b.kind]) if _row_text(r)]
    top = {edge_key(_row_text(r)) for r in text_rows[:rows_per_edge]}
    bottom = {edge_key(_row_text(r)) for r in text_rows[-rows_per_edge:]}
    return top - {""}, bottom - {""}


def repeated_edge_keys(pages: Sequence[Sequence[Box]], min_pages: int = 3, min_fraction: float = 0.3) -> set[str]:
    """Keys of edge rows that repeat (digits ignored) on at least max(min_pages, min_fraction x pages) pages
    at the same edge: running headers and footers of this document."""
    top, bottom = Counter(), Counter()
    filled = 0
    for lines in pages:
        t, b = edge_rows_keys(lines)
        filled += bool(t or b)
        top.update(t)
        bottom.update(b)
    need = max(min_pages, int(min_fraction * filled + 0.999))
    return {k for k, n in top.items() if n >= need} | {k for k, n in bottom.items() if n >= need}


# --- reading order ----------------------------------------------------------------------------------------


def _gaps(intervals: Sequence[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    """Gaps of at least ``min_gap`` between the union of intervals."""
    out = []
    ordered = sorted(intervals)
    reach = ordered[0][1]
    for lo, hi in ordered[1:]:
        if lo - reach >= min_gap:
            out.append((reach, lo))
        reach = max(reach, hi)
    return out


def _split_at(boxes: Sequence[Box], cuts: Sequence[tuple[float, float]], axis: str) -> list[list[Box]]:
    groups: list[list[Box]] = [[] for _ in range(len(cuts) + 1)]
    for box in boxes:
        start = box.x0 if axis == "x" else box.y0
        groups[sum(1 for lo, _ in cuts if start >= lo)].append(box)
    return [g for g in groups if g]


def _gutters(boxes: Sequence[Box], min_gap: float) -> list[tuple[float, float]]:
    return _gaps([(b.x0, b.x1) for b in boxes], min_gap) if len(boxes) > 1 else []


def _gutters_under_overruns(region_rows: list[list[Box]], min_gutter: float, unit: float,
                            min_line: float = 10.0, min_rows: int = 5) -> list[tuple[float, float]]:
    """The gutters a region has under the lines of text that run into the next line of their row (by more
    than half a line height, not kerning, and less than half that line, not over it whole; both at least
    ``min_line`` line heights wide, not a formula's pieces): an overfull line of a column printed over the
    next column's first words. Such a line alone cannot close a gutter between columns (text on both sides
    of it on ``min_rows`` rows or more, half the region's): it is read where it starts (``_split_at`` goes
    by a box's left edge). A line cut into pieces at a superscript, the pieces overlapping, opens none."""
    overruns = set()
    for row in region_rows:
        lines = [b for b in row if b.width >= min_line * unit]
        for i, box in enumerate(lines):
            if any(b.x0 > box.x0 and 0.5 * unit < box.x1 - b.x0 < 0.5 * b.width and _v_overlap(box, b) >= 0.5
                   for b in lines[i + 1:]):
                overruns.add(id(box))
    if not overruns:
        return []
    gutters = _gutters([b for row in region_rows for b in row if id(b) not in overruns], min_gutter)
    return [g for g in gutters if _beside(region_rows, g) >= max(min_rows, len(region_rows) / 2)]


def _beside(region_rows: list[list[Box]], gutter: tuple[float, float]) -> int:
    """How many rows hold text on both sides of a gutter (columns side by side, not a line's pieces)."""
    return sum(1 for row in region_rows
               if any(b.x1 <= gutter[0] for b in row) and any(b.x0 >= gutter[1] for b in row))


def _column_bands(region_rows: list[list[Box]], min_gutter: float, unit: float, min_rows: int = 5,
                  min_lines: int = 3, min_width: float = 15.0) -> list[list[Box]] | None:
    """A region without a gutter or a gap across it, cut into bands where a run of ``min_rows`` rows or
    more shares a gutter with text on both sides of it, ``min_lines`` of them holding a line of text
    (``min_width`` line heights wide or more): a column beside a figure or table (wrapfigure) under or over
    full-width text set close to it, or two columns under a full-width block with no white row between.
    The rows before the run, the run, the rows after: each read on its own (the run by its columns). None
    when no such run."""
    best: tuple[int, int] | None = None
    start, shared = 0, None
    for i, row in enumerate([*region_rows, []]):
        gaps = [(a.x1, b.x0) for a, b in zip(row, row[1:], strict=False) if b.x0 - a.x1 >= min_gutter]
        common = [(max(lo, g0), min(hi, g1)) for lo, hi in (shared or []) for g0, g1 in gaps
                  if min(hi, g1) - max(lo, g0) >= min_gutter] if shared is not None else gaps
        if common and i < len(region_rows):
            shared = common
            continue
        run = region_rows[start:i]
        if (len(run) >= min_rows and (best is None or i - start > best[1] - best[0])
                and any(_text_beside(run, g, unit, min_lines, min_width) for g in shared or [])):
            best = (start, i)
        start, shared = (i, gaps) if gaps else (i + 1, None)
    if best is None or best == (0, len(region_rows)):
        return None
    parts = [region_rows[:best[0]], region_rows[best[0]:best[1]], region_rows[best[1]:]]
    return [[b for row in part for b in row] for part in parts if part]


def _text_beside(run: list[list[Box]], gap: tuple[float, float], unit: float, min_lines: int,
                 min_width: float, max_label: int = 4) -> bool:
    """On one side of the gap, running text set justified (``min_lines`` lines or more, ``min_width`` line
    heights wide or more, ending at one place within half a line height; a code listing's lines are ragged),
    and on the other side more than short labels (a contents list's page numbers, a list's markers "1-" are
    the rows' own parts, no column)."""
    sides = ([b for row in run for b in row if b.x1 <= gap[0]], [b for row in run for b in row if b.x0 >= gap[1]])

    def justified(side: list[Box]) -> bool:
        ends = [b.x1 for b in side if b.width >= min_width * unit]
        return any(sum(1 for x in ends if e <= x <= e + 0.5 * unit) >= min_lines for e in ends)

    def labels(side: list[Box]) -> bool:
        return all(len(b.text.strip()) <= max_label for b in side)

    return (justified(sides[0]) and not labels(sides[1])) or (justified(sides[1]) and not labels(sides[0]))


def text_column_gutters(boxes: Sequence[Box], unit: float, min_lines: int = 5,
                        min_width: float = 15.0) -> list[tuple[float, float]]:
    """Gutters between the page's columns of justified text set side by side: a column is ``min_lines``
    lines or more, ``min_width`` line heights wide or more, that start and end at the same places (within a
    line height); two such columns side by side, one's lines beside the other's, part at the gap between
    them. Found on the whole page, so that a strip of it where one column holds only displays (equations,
    a figure and its caption) still parts there: a table across that gutter is one column's display pieces
    beside the other column's lines."""
    ends: Counter[tuple[int, int]] = Counter()
    lines = [b for b in boxes if not b.kind and b.horizontal and b.width >= min_width * unit]
    for b in lines:
        ends[(round(b.x0 / unit), round(b.x1 / unit))] += 1
    columns = []
    for (k0, k1), _ in ends.most_common():
        # a member's ends round to a neighbour of the key's: too few there, too few members (no lines scanned)
        if sum(ends.get((k0 + i, k1 + j), 0) for i in (-1, 0, 1) for j in (-1, 0, 1)) < min_lines:
            continue
        members = [b for b in lines if abs(b.x0 / unit - k0) <= 1 and abs(b.x1 / unit - k1) <= 1]
        if len(members) < min_lines:
            continue
        span = (min(b.x0 for b in members), max(b.x1 for b in members))
        if not any(span[0] < c1 and c0 < span[1] for c0, c1, *_ in columns):
            columns.append((*span, min(b.y0 for b in members), max(b.y1 for b in members)))
    return [(left[1], right[0]) for left in columns for right in columns
            if left[1] < right[0] and left[2] < right[3] and right[2] < left[3]  # side by side, rows beside rows
            and not any(left[1] < c0 < right[0] for c0, *_ in columns)]


def document_gutters(pages: Sequence[Sequence[Box]], min_pages: int = 3,
                     min_fraction: float = 0.3) -> list[tuple[float, float]]:
    """Gutters between text columns (``text_column_gutters``) that pages of the document share, on at least
    max(min_pages, min_fraction x pages) pages: the document's column layout, the part of the gutter every
    such page leaves clear. A page of it dense with displays has too few lines of text to show its columns
    itself; it keeps the document's (``page_text``'s ``column_gutters``)."""
    found = [text_column_gutters(lines, _median((b.height for b in lines if not b.kind), 1.0)) for lines in pages]
    need = max(min_pages, int(min_fraction * len(pages) + 0.999))
    out: list[tuple[float, float]] = []
    for gutter in sorted(g for page in found for g in page):
        sharing = [[g for g in page if g[0] < gutter[1] and gutter[0] < g[1]] for page in found]
        if sum(bool(s) for s in sharing) < need:
            continue
        shared = [g for s in sharing for g in s]
        common = (_median(g[0] for g in shared), _median(g[1] for g in shared))
        if common[0] < common[1] and not any(o[0] < common[1] and common[0] < o[1] for o in out):
            out.append(common)
    return out


def _columns_beside(boxes: Sequence[Box], gutter: tuple[float, float], unit: float, min_lines: int = 3,
                    min_width: float = 10.0) -> bool:
    """Lines of text (``min_lines`` or more, ``min_width`` line heights wide or more) on both sides of the
    gutter, ending before it on the left and starting after it on the right, beside each other down the page:
    the page is set in the columns the gutter parts (a page of one column, or of a figure, shows none)."""
    lines = [b for b in boxes if not b.kind and b.horizontal and b.width >= min_width * unit]
    left = [b for b in lines if b.x1 <= gutter[0] + 0.5 * unit]
    right = [b for b in lines if b.x0 >= gutter[1] - 0.5 * unit]
    return (len(left) >= min_lines and len(right) >= min_lines
            and min(b.y0 for b in left) < max(b.y1 for b in right) and min(b.y0 for b in right) < max(b.y1 for b in left))


def reading_order(boxes: Sequence[Box], gutter: float = 0.5, strip_gap: float = 0.5, tables: bool = False,
                  rules: Sequence[Rule] = (), column_gutters: Sequence[tuple[float, float]] = ()) -> list[list[Box]]:
    """Blocks in reading order (XY-cut), each block's boxes top to bottom.

    A region splits into columns at vertical gutters that run its full height (at least ``gutter`` x the
    median box height wide), read left to right; a region without one splits into strips at horizontal gaps
    (at least ``strip_gap`` x the median height), read top to bottom. Neighbouring strips with a gutter at the
    same place (their union still has a gutter) are one column layout whose columns happen to have a gap at
    the same height: they are joined again, so that a column is read to its end before the next one.
    With ``tables``, a region whose columns are those of a table (see ``find_tables``) becomes one block holding
    one ``Box(kind="table")`` with the table as Markdown. ``column_gutters``: the document's (see
    ``document_gutters``), used where the page shows no gutter of its own but has text columns at one of them.
    """
    return _xy_cut(boxes, gutter, strip_gap, tables, rules, column_gutters)[0]


def _xy_cut(boxes: Sequence[Box], gutter: float, strip_gap: float, tables: bool,
            rules: Sequence[Rule], column_gutters: Sequence[tuple[float, float]] = ()) -> tuple[list[list[Box]], list[Table]]:
    boxes = [b for b in boxes if b.text.strip()]
    if not boxes:
        return [], []
    unit = _median((b.height for b in boxes if not b.kind), 1.0)
    min_gutter, min_strip = gutter * unit, strip_gap * unit
    page_gutters = text_column_gutters(boxes, unit) or [g for g in column_gutters
                                                        if _columns_beside(boxes, g, unit)]
    blocks: list[list[Box]] = []
    found: list[Table] = []

    def take(segments: list) -> None:
        """A region's segments: each table found and kept as one block, the rest cut further."""
        for part in segments:
            if isinstance(part, Table):
                found.append(part)
                blocks.append([part.box()])
            else:
                cut(part)

    def cut(region: list[Box]) -> None:
        region_rows = rows(region)
        if len(region_rows) == 1:  # one row ("2.1  Heading", "Name:  value"): one line, left to right
            blocks.append(sorted(region, key=lambda b: b.x0))
            return
        gutters = _gutters(region, min_gutter) or _gutters_under_overruns(region_rows, min_gutter, unit)
        if gutters and _subfigure_rows(region_rows):  # a figure's panel captions: row by row, (a) to (g)
            blocks.extend(sorted(row, key=lambda b: b.x0) for row in region_rows)
            return
        banded = _banded_table(region, gutters, rules, unit) if gutters and tables and rules else None
        if banded is None and gutters and tables and rules:
            banded = _titled_banded_table(region, gutters, rules, unit)
        if banded is not None:  # rows ruled one by one, their cells wrapped text
            over = [b for b in region if b.y1 <= banded.y0]  # a title over the table's top rule
            if over:
                blocks.append(over)
            found.append(banded)
            blocks.append([banded.box()])
            return
        if gutters:
            edges = _rule_edge_gutters(region, gutters, rules, unit) if tables else []
            if edges:  # a ruled table beside a text column: each read on its own first
                for column in _split_at(region, edges, "x"):
                    cut(column)
                return
            columns = [g for g in gutters if any(g[0] < c1 and c0 < g[1] for c0, c1 in page_gutters)]
            if tables and rules:
                columns = [g for g in columns if not _ruled_across(region, g, rules)]
            if columns:  # justified text columns: each read on its own, a table looked for inside each
                for column in _split_at(region, columns, "x"):
                    cut(column)
                return
            wide = [g for g in gutters if g[1] - g[0] >= 4 * unit]
            if tables and rules:  # not where a ruled table's rules cross it: the gap between its column groups
                wide = [g for g in wide if not _ruled_across(region, g, rules)]
            segments = None
            if (wide and len(wide) < len(gutters) and tables and _narrow_part(region, wide, unit, len(region_rows))
                    and not _numbered_halves(region_rows, wide)):
                segments = _table_segments([_row_cells(r, unit) for r in region_rows], unit, rules)
            if segments is None and wide and len(wide) < len(gutters):
                gutters = wide  # page halves or text columns first; a table is looked for inside each
                if tables and not _numbered_halves(region_rows, wide):
                    # unless the columns are those of a table of figures set wide apart
                    segments = _numeric_table_segments([_row_cells(r, unit) for r in region_rows], unit, rules)
            elif tables:
                segments = _table_segments([_row_cells(r, unit) for r in region_rows], unit, rules)
            if segments is not None:
                take(segments)
                return
            if _label_grid(region_rows, gutters, unit):
                blocks.extend(sorted(row, key=lambda b: b.x0) for row in region_rows)
                return
            for column in _split_at(region, gutters, "x"):
                cut(column)
            return
        gaps = _gaps([(b.y0, b.y1) for b in region], min_strip)
        strips = _split_at(region, gaps, "y")
        if tables and rules:
            merged = _ruled_table_strips(region, gaps, rules, unit, min_gutter)
            if merged:
                for part in merged:
                    if isinstance(part, tuple):  # strips of one ruled frame: one table, else each on its own
                        whole = [b for strip in part for b in strip]
                        segments = _table_segments([_row_cells(r, unit) for r in rows(whole)], unit, rules)
                        # read by the frame where its rows made no table headed by the frame's header
                        header_end = max(b.y1 for b in part[0])
                        headed = any(isinstance(s, Table) and s.y0 <= header_end for s in segments or [])
                        framed = None if headed else _framed_text_table(part, unit)
                        if framed is not None:
                            found.append(framed)
                            blocks.append([framed.box()])
                        elif segments is not None and sum(isinstance(s, Table) for s in segments) == 1:
                            take(segments)
                        else:
                            for strip in part:
                                cut(strip)
                    else:
                        cut(part)
                return
        if len(strips) == 1:
            bands = _column_bands(region_rows, min_gutter, unit)
            if bands:  # text columns under or over a full-width block set close to them: band by band
                for part in bands:
                    cut(part)
                return
            blocks.append([b for row in region_rows for b in row])
            return
        merged = _joined_strips(strips, min_gutter)
        if len(merged) == 1:  # cannot happen (the region would have had a gutter); stop rather than loop
            blocks.append([b for row in region_rows for b in row])
            return
        for part in merged:
            cut(part)

    cut(boxes)
    # consecutive blocks of one column (a strip cut) read as one block, so paragraphs can cross the cut
    out: list[list[Box]] = []
    for block in blocks:
        if out and _same_column(out[-1], block, unit):
            out[-1] = out[-1] + block
        else:
            out.append(block)
    return out, found


def _narrow_part(region: list[Box], cuts: list[tuple[float, float]], unit: float, row_count: int,
                 max_width: float = 8.0, min_rows: int = 3) -> bool:
    """Whether a part of the region between its wide gutters is narrower than ``max_width`` x the median line
    height and holds lines on half the region's ``row_count`` rows or more (``min_rows`` at least): no page
    half or text column, but a table's column of short values (publishers, codes) set far from the columns
    beside it (tabula's french1.pdf, a list of translated books: author, title, publisher, field and the
    translation's publisher, had been read part by part as text). A display's equation number, "(8)", is one
    line: no column."""
    edges = [-math.inf, *(g[0] for g in cuts), math.inf]
    for left, right in zip(edges, edges[1:], strict=False):
        part = [b for b in region if left <= b.x0 < right]
        if (part and max(b.x1 for b in part) - min(b.x0 for b in part) < max_width * unit
                and len(rows(part)) >= max(min_rows, row_count / 2)):
            return True
    return False


def _numbered_halves(region_rows: list[list[Box]], cuts: list[tuple[float, float]]) -> bool:
    """A long table set in halves side by side, its rows numbered down the first half and on down the next
    ("1 .. 24" beside "25 .. 44"): each half is read as a table of its own, one after the other, not both as
    one table across (whose rows would pair row 1 with row 25). ``cuts``: the wide gutters between the halves."""
    last = None
    for k in range(len(cuts) + 1):
        firsts = []
        for row in region_rows:
            mine = [b for b in row if sum(1 for lo, _ in cuts if b.x0 >= lo) == k]
            if mine:
                first = min(mine, key=lambda b: b.x0).text.strip()
                if not first.isdigit():
                    return False  # text columns: their first words are no numbers, found at the first row
                firsts.append(int(first))
        if len(firsts) < 3 or any(b - a != 1 for a, b in zip(firsts, firsts[1:], strict=False)):
            return False
        if last is not None and firsts[0] != last + 1:
            return False
        last = firsts[-1]
    return True


def _label_grid(region_rows: list[list[Box]], gutters: list[tuple[float, float]], unit: float,
                max_rows: int = 2, min_columns: int = 3, max_chars: int = 25) -> bool:
    """Too few rows to be a table, but a grid of labels and figures: each of (at most ``max_rows``) rows holds one
    short cell in each of three columns or more, a figure among them ("Fraternity Members  480  Male
    Undergraduates  3495" over the same for sororities). Labels and their figures are read along their rows;
    read column by column they come apart. (Short lines of text columns side by side hold no figure.)"""
    if len(region_rows) > max_rows or len(gutters) + 1 < min_columns:
        return False
    for row in region_rows:
        cells = _row_cells(sorted(row, key=lambda b: b.x0), unit)
        if len(cells) != len(gutters) + 1 or any(len(c.text.strip()) > max_chars for c in cells):
            return False
        if not any(_NUMBER.match(c.text.strip()) for c in cells):
            return False
    return True


def region_order(boxes: Sequence[Box]) -> list[list[Box]]:
    """Blocks in the order of the OCR engine's own regions (``Box.region``, numbered in the engine's reading
    order), each region's boxes in reading order (XY-cut inside it): the engine's page segmentation and region
    order, with its lines put top to bottom (Tesseract lists a line a little off its neighbours' baseline out
    of place) and a region that holds two columns still read column by column."""
    regions: dict[int, list[Box]] = {}
    for box in boxes:
        regions.setdefault(box.region, []).append(box)
    return [block for region in sorted(regions) for block in reading_order(regions[region])]


def broken_neighbours(order: Sequence[Box], word_gap: float = 1.5) -> int:
    """How many lines of ``order`` are not followed by their neighbour: the line set right under them in their
    column (overlapping it by half the narrower width, less than a line height below), or the box right of
    them on their row closer than ``word_gap`` line heights (one line the engine read as two, e.g. a heading
    across a gutter). Only such near boxes of the line's own row may come between a line and its neighbour.
    A measure of an order's damage that needs no truth: a column read through parts none; two columns read
    row by row, a region put in the middle of another, or a heading's halves read apart part a line for every
    neighbour they part."""
    boxes = [b for b in order if b.text.strip()]
    if len(boxes) < 2:
        return 0
    unit = _median((b.height for b in boxes), 1.0)
    position = {id(b): i for i, b in enumerate(boxes)}
    broken = 0
    for i, box in enumerate(boxes):
        for neighbour in (_under(box, boxes, unit), _right_of(box, boxes, word_gap)):
            if neighbour is None:
                continue
            between = boxes[i + 1:position[id(neighbour)]]
            if position[id(neighbour)] < i or any(_right_of(box, [b], word_gap) is None for b in between):
                broken += 1
    return broken


def _under(above: Box, boxes: Sequence[Box], unit: float) -> Box | None:
    """The line set right under ``above`` in its column, if any."""
    below = None
    for box in boxes:
        gap = box.y0 - above.y1
        if box is above or not -0.3 * unit <= gap <= unit or box.y0 <= above.y0 + 0.5 * unit:
            continue
        if min(above.x1, box.x1) - max(above.x0, box.x0) < 0.5 * min(above.width, box.width):
            continue
        if below is None or box.y0 < below.y0:
            below = box
    return below


def _right_of(left: Box, boxes: Sequence[Box], word_gap: float) -> Box | None:
    """The box right of ``left`` on its row, closer than ``word_gap`` times the taller one's height."""
    found = None
    for box in boxes:
        gap = box.x0 - left.x1
        if box is left or gap < 0 or gap > word_gap * max(left.height, box.height) or _v_overlap(left, box) < 0.5:
            continue
        if found is None or box.x0 < found.x0:
            found = box
    return found


def _joined_strips(strips: list[list[Box]], min_gutter: float, cuts: Sequence[float] = ()) -> list[list[Box]]:
    """Neighbouring strips joined where one has a gutter and their union still has one (one column layout);
    never a numbered caption with what lies under a drawn rule under it (``cuts``, ``_caption_over_rule``)."""
    merged: list[list[Box]] = [strips[0]]
    has_gutter = [bool(_gutters(strips[0], min_gutter))]
    for strip in strips[1:]:
        strip_gutter = bool(_gutters(strip, min_gutter))
        if ((has_gutter[-1] or strip_gutter) and _gutters(merged[-1] + strip, min_gutter)
                and not _caption_over_rule(merged[-1], strip, cuts)):
            merged[-1] = merged[-1] + strip
            has_gutter[-1] = True
        else:
            merged.append(strip)
            has_gutter.append(strip_gutter)
    return merged


def _ruled_table_strips(region: list[Box], gaps: list[tuple[float, float]], rules: Sequence[Rule], unit: float,
                        min_gutter: float) -> list[list[Box]] | None:
    """A region with no gutter, parted at its gaps and at the drawn rules across it, when that frees a
    table: a caption or a note set close over or under a ruled table's columns (crossing them, so the region
    has no gutter). Taken only when a part with columns is a table of three rows or more; None otherwise (a
    form ruled row by row stays as it was read)."""
    cuts = _rule_cuts(region, rules)
    if not cuts:
        return None
    cuts = sorted(cuts + [(lo + hi) / 2 for lo, hi in gaps])
    parts: list[list[Box]] = [[] for _ in range(len(cuts) + 1)]
    for box in region:  # by the line's middle: the boxes of tight rows reach over the rule
        parts[sum(1 for y in cuts if (box.y0 + box.y1) / 2 > y)].append(box)
    merged = _group_headings_down(_framed_strips([p for p in parts if p], _closing_rules(region, rules, unit, min_gutter),
                                                 min_gutter, _rule_cuts(region, rules)), rules)
    if len(merged) < 2:
        return None
    merged = _one_frame(merged, rules, unit, min_gutter)
    for part in merged:
        if isinstance(part, tuple):
            return merged
        if _gutters(part, min_gutter):
            segments = _table_segments([_row_cells(r, unit) for r in rows(part)], unit, rules)
            if segments and any(isinstance(p, Table) and len(p.cells) >= 3 for p in segments):
                return merged
    return None


def _one_frame(parts: list[list[Box]], rules: Sequence[Rule], unit: float, min_gutter: float) -> list:
    """Neighbouring strips that each have columns, a drawn rule between them, and rules with the same two ends
    over the first and under the second (a booktabs table's top, header or group rules and bottom rule): one
    table's, though their union has no gutter (its header's headings set one space apart, one line: "Backbone
    AI2D DocVQA"; a body row's cells one space apart: "Mono-InternVL-1.5 Tile-wise."). Joined as a tuple of
    the strips, read as one table where its rows make one (``_table_segments``)."""
    pieces = [r for r in merged_rules(rules) if r[1] - r[0] > 0]
    out: list = []
    for part in parts:
        prev = out[-1] if out else None
        last = prev[-1] if isinstance(prev, tuple) else prev
        if (last is not None and _gutters(last, min_gutter) and _gutters(part, min_gutter)
                and (_framed_between(last, part, pieces, unit) or _column_numbers_over(last, part, pieces, unit))):
            out[-1] = (*prev, part) if isinstance(prev, tuple) else (prev, part)
        else:
            out.append(part)
    return out


def _framed_text_table(strips: tuple, unit: float, min_rows: int = 2, max_header_rows: int = 2) -> Table | None:
    """A booktabs table (``_one_frame``: its header strip and body between top, header and bottom rules) whose
    cells are text that wraps, not short figures ("Symmetry induces M identities ...; the reduced log-rank system
    is degenerate" beside "Tucker", a cases formula in a cell; arXiv 2510.14523's Table I): the rows
    ``_table_segments`` reads as lines of text. Read by its frame instead: a column starts where a box starts in
    ``min_rows`` body rows or more (the header's words are parted there), a row starts at each line of the first
    column, and every line down to the next row's belongs to its cell, wrapped lines joined (``join_lines``). Only
    where the rows made no table headed by the frame's header (``_xy_cut``). None where the frame does not make
    one (a header over more than ``max_header_rows`` lines, fewer than two columns or ``min_rows`` rows, a box
    before the first row)."""
    header = list(strips[0])
    body = [b for strip in strips[1:] for b in strip]
    if len(rows(header)) > max_header_rows or any(b.kind for b in header + body):
        return None
    left = min(b.x0 for b in body)
    stubs = [r for r in rows(body) if r[0].x0 <= left + 0.25 * unit]
    if len(stubs) < min_rows:
        return None
    starts: list[list[tuple[float, int]]] = []  # clusters of box starts, each with the row it is in
    for x, k in sorted((b.x0, k) for k, row in enumerate(stubs) for b in row):
        if starts and x - starts[-1][-1][0] <= 0.25 * unit:
            starts[-1].append((x, k))
        else:
            starts.append([(x, k)])
    columns = [c[0][0] for c in starts if len({k for _, k in c}) >= min_rows]
    if len(columns) < 2 or abs(columns[0] - left) > 0.25 * unit:
        return None
    firsts = [min((b for b in r if b.x0 <= left + 0.25 * unit), key=lambda b: b.y0) for r in stubs]
    if any((b.y0 + b.y1) / 2 < firsts[0].y0 - 0.5 * unit for b in body):
        return None
    # a row reaches down to half a line over the middle of the next row's first line (a formula in a cell
    # stands taller than its row's label, its middle over the label's)
    ends = [(b.y0 + b.y1) / 2 - 0.5 * unit for b in firsts[1:]] + [math.inf]

    def cells_of(boxes: list[Box]) -> list[str]:
        """Each column's words, line by line: a box's words go to the column their start stands in (a line
        across two columns' starts is parted there)."""
        words: list[list[tuple[int, float, str]]] = [[] for _ in columns]
        for box in boxes:
            line = round((box.y0 + box.y1) / unit)
            for start, end, x0, _ in word_extents(box):
                k = max(sum(1 for c in columns if c <= x0 + 0.5 * unit) - 1, 0)
                words[k].append((line, x0, box.text[start:end]))
        cells = []
        for column in words:
            lines: dict[int, list[tuple[float, str]]] = {}
            for line, x0, text in column:
                lines.setdefault(line, []).append((x0, text))
            cells.append(join_lines([" ".join(t for _, t in sorted(ws)) for _, ws in sorted(lines.items())]))
        return cells

    header_cells = cells_of(header)
    grid = [header_cells]
    top = -math.inf
    for end in ends:
        grid.append(cells_of([b for b in body if top <= (b.y0 + b.y1) / 2 < end]))
        top = end
    if sum(1 for row in grid[1:] if sum(bool(c) for c in row) >= 2) < min_rows or not all(header_cells):
        return None
    members = header + body
    return Table(min(b.x0 for b in members), min(b.y0 for b in members), max(b.x1 for b in members),
                 max(b.y1 for b in members), grid, members)


def _framed_between(above: list[Box], below: list[Box], pieces: Sequence[Rule], unit: float) -> bool:
    """A rule lies between the strips ``above`` and ``below``, and rules with its two ends (within a line
    height) lie over the first's top and under the second's bottom, each spanning both strips."""
    top, bottom = min(b.y0 for b in above), max(b.y1 for b in below)
    mid_lo, mid_hi = max(b.y1 for b in above) - 0.5 * unit, min(b.y0 for b in below) + 0.5 * unit
    x0 = min(b.x0 for b in above + below)
    x1 = max(b.x1 for b in above + below)
    for r_x0, r_x1, y in pieces:
        if not (mid_lo <= y <= mid_hi and r_x0 <= x0 + 1.5 * unit and r_x1 >= x1 - 1.5 * unit):
            continue
        same = [r for r in pieces if abs(r[0] - r_x0) <= unit and abs(r[1] - r_x1) <= unit]
        if any(top - 2 * unit <= r[2] <= top for r in same) and any(bottom <= r[2] <= bottom + 2 * unit for r in same):
            return True
    return False


def _closing_rules(region: Sequence[Box], rules: Sequence[Rule], unit: float, min_gutter: float,
                   need: int = 3) -> list[float]:
    """The last (lowest) of each run of ``need`` or more cut rules (``_rule_cuts``) with the same two ends and
    columns between each two of them: a booktabs table's bottom rule under its top and header rules (or under
    rows ruled one by one). What lies under it is not the table's, though it may line up with its columns (a
    figure's axis labels set under the table). Lines of text without columns between two rules (a heading
    and a caption) part two tables ruled alike; one row between them may be a group's heading in the table."""
    runs: list[list[Rule]] = []
    cut_at = set(_rule_cuts(region, rules))
    for rule in sorted((r for r in merged_rules(rules) if r[2] in cut_at), key=lambda r: r[2]):
        if runs and abs(runs[-1][-1][0] - rule[0]) <= unit and abs(runs[-1][-1][1] - rule[1]) <= unit:
            between = [b for b in region if runs[-1][-1][2] < (b.y0 + b.y1) / 2 < rule[2]]
            if len(rows(between)) < 2 or any(b.kind == "table" for b in between) or _gutters(between, min_gutter):
                runs[-1].append(rule)
                continue
        runs.append([rule])
    return [run[-1][2] for run in runs if len(run) >= need]


def _framed_strips(parts: list[list[Box]], bottoms: list[float], min_gutter: float,
                   cuts: Sequence[float] = ()) -> list[list[Box]]:
    """Strips joined as ``_joined_strips`` does, but never across a table's bottom rule (``_closing_rules``) to
    what does not go on in the table's columns (``_fits_columns``: a "Total" row under the rule does) or is
    more than one row: what lies under it is not the table's, save a note's row set right under it (a
    regression table's "Note:  *p<0.05; **p<0.01")."""
    groups: list[list[list[Box]]] = []
    last = None
    for part in parts:
        middle = (min(b.y0 for b in part) + max(b.y1 for b in part)) / 2
        key = sum(1 for y in bottoms if y < middle)
        if groups and key == last:
            groups[-1].append(part)
        elif groups and last is not None and _fits_columns(groups[-1][-1], part, min_gutter):
            groups[-1].append(part)  # a row of the table's own under a rule of its body (a "Total" row)
        elif groups and last is not None and len(rows(part)) == 1:
            groups[-1].append(part)  # the note's row: what comes under it starts afresh
            key = None
        else:
            groups.append([part])
        last = key
    return [strip for group in groups for strip in _joined_strips(group, min_gutter, cuts)]


def _fits_columns(above: list[Box], part: list[Box], min_gutter: float) -> bool:
    """The first row of ``part`` goes on in the columns of the lines ``above``: two cells or more, each
    overlapping a column of theirs and crossing none of their gutters (a "Total" row). A figure's axis labels
    under a table stand in its gutters or across them; a heading over the next table is one line."""
    gutters = _gutters(above, min_gutter)
    first = rows(part)[0]
    if not gutters or len(first) < 2:
        return False
    for box in first:
        if any(box.x0 < g0 and box.x1 > g1 for g0, g1 in gutters):
            return False
        if any(g0 <= box.x0 and box.x1 <= g1 for g0, g1 in gutters):
            return False
    return True


def _caption_over_rule(above: list[Box], below: list[Box], cuts: Sequence[float]) -> bool:
    """``above`` ends in a numbered caption ("Table 3: Rank Effect ...") and a drawn rule (a cut) lies between it
    and ``below``: the table's top rule under its caption. A row under it that reaches past the caption's ends
    ("(1)  (2)  (3)  (4)", its columns' numbers) is the table's, though their union has a gutter."""
    lowest = max(above, key=lambda b: b.y1)
    top = min(b.y0 for b in below)
    return bool(NUMBERED_CAPTION.match(lowest.text)) and any(lowest.y1 <= y <= top for y in cuts)


def _column_numbers_over(above: list[Box], below: list[Box], pieces: Sequence[Rule], unit: float) -> bool:
    """``above`` is one row of the columns' numbers ("(1)  (2)  (3)  (4)", ``_column_numbers``) under a drawn
    rule (the table's top rule, within two line heights over it, reaching over the strip under it), right over
    a strip with columns: the first line of that table's header, set apart from its headings by a gap."""
    if len(rows(above)) != 1 or not _column_numbers(above):
        return False
    top = min(b.y0 for b in above)
    x0, x1 = min(b.x0 for b in above + below), max(b.x1 for b in above + below)
    gap = min(b.y0 for b in below) - max(b.y1 for b in above)
    return gap <= 2 * unit and any(top - 2 * unit <= y <= top and r0 <= x0 + unit and r1 >= x1 - unit
                                   for r0, r1, y in pieces)


def _group_headings_down(parts: list[list[Box]], rules: Sequence[Rule]) -> list[list[Box]]:
    """Headings over groups of a table's columns that close a strip, each over a rule over its group
    (``_group_rule``) with the columns it heads in the next strip, moved into that strip, the lowest first:
    they are the table's, not the text's over it (us-018's "Current expenditures" over "Constant 2010-11
    dollars" and "Current dollars", each over its rule, were read with the caption over the table, which a
    gap between "Table 18." and the title's lines joined them to)."""
    pieces = merged_rules(rules)
    out = [list(p) for p in parts]
    for i in range(len(out) - 2, -1, -1):
        while out[i]:
            lowest = max(out[i], key=lambda b: b.y1)
            below = out[i + 1]
            if not below:
                break
            top = min(b.y0 for b in below)
            if not any(_group_rule(below, x0, y) for x0, _, y in _rules_beneath(lowest, top, pieces)):
                break
            heading = [b for b in out[i] if _v_overlap(b, lowest) > 0.5]
            out[i] = [b for b in out[i] if not any(b is h for h in heading)]
            out[i + 1] = heading + below
    return [p for p in out if p]


def merged_rules(rules: Sequence[Rule], max_gap: float = 3.0) -> list[Rule]:
    """Rules drawn in pieces (a table's rule drawn cell by cell) joined: pieces on one height whose ends
    meet or nearly meet are one rule."""
    heights: list[list[Rule]] = []  # rules less than a point apart in height, left to right (two tables' rules
    for rule in sorted(rules, key=lambda r: r[2]):  # side by side, a hair apart, stay two rules)
        if heights and rule[2] - heights[-1][0][2] < 1:
            heights[-1].append(rule)
        else:
            heights.append([rule])
    out: list[Rule] = []
    for height in heights:
        start = len(out)
        for x0, x1, y in sorted(height, key=lambda r: r[0]):
            if len(out) > start and x0 - out[-1][1] <= max_gap:
                out[-1] = (out[-1][0], max(out[-1][1], x1), out[-1][2])
            else:
                out.append((x0, x1, y))
    return out


def _ruled_across(region: Sequence[Box], gutter: tuple[float, float], rules: Sequence[Rule], need: int = 3) -> bool:
    """``need`` drawn rules or more cross the gutter within the region's height: the rules of one table (top,
    header and bottom) over both its sides, not a gap between text columns."""
    y0, y1 = min(b.y0 for b in region), max(b.y1 for b in region)
    return sum(1 for r_x0, r_x1, y in merged_rules(rules)
               if y0 - 6 < y < y1 + 6 and r_x0 < gutter[0] and r_x1 > gutter[1]) >= need


def _rule_edge_gutters(region: Sequence[Box], gutters: list[tuple[float, float]], rules: Sequence[Rule],
                       unit: float) -> list[tuple[float, float]]:
    """Gutters where a ruled table ends beside a text column: two drawn rules or more end there from one
    side, none from the other side and none crosses it (the rules under a group's heading end on both
    sides of the gutter between the groups). A gutter narrower than page halves' is otherwise looked at as
    a table's."""
    y0, y1 = min(b.y0 for b in region), max(b.y1 for b in region)
    near = [(r_x0, r_x1, y) for r_x0, r_x1, y in merged_rules(rules) if y0 - unit <= y <= y1 + unit
            and r_x1 - r_x0 > 10 * unit]
    out = []
    for g0, g1 in gutters:
        if any(r_x0 < g0 - unit and r_x1 > g1 + unit for r_x0, r_x1, _ in near):
            continue
        if any(_rule_over_both_sides(region, (g0, g1), r_x0, r_x1) for r_x0, r_x1, _ in near):
            continue
        from_left = [y for r_x0, r_x1, y in near if g0 - unit <= r_x1 <= g1 + unit and r_x0 < g0]
        from_right = [y for r_x0, r_x1, y in near if g0 - unit <= r_x0 <= g1 + unit and r_x1 > g1]
        if (len(from_left) >= 2 and not from_right) or (len(from_right) >= 2 and not from_left):
            out.append((g0, g1))
        elif len(from_left) >= 2 and len(from_right) >= 2 and _rules_apart(from_left, from_right):
            out.append((g0, g1))  # two ruled tables side by side, each with its own rules
    return out


def _rule_over_both_sides(region: Sequence[Box], gutter: tuple[float, float], r_x0: float, r_x1: float,
                          slack: float = 1.0) -> bool:
    """A rule that runs over all the text on both sides of a gutter (from the left edge of the lines left of it
    to the right edge of those right of it): the table's own rule over its columns, even where the column
    beside the gutter is narrower than a line height (a column of row labels "A", "B", ...) and the rule's end
    lies within a line height of the gutter."""
    left = [b.x0 for b in region if b.x1 <= gutter[0] + slack]
    right = [b.x1 for b in region if b.x0 >= gutter[1] - slack]
    return bool(left and right) and r_x0 <= min(left) + slack and r_x1 >= max(right) - slack


def _rules_apart(left: list[float], right: list[float], slack: float = 1.0) -> bool:
    """The heights of the rules on the two sides of a gutter mostly differ: two tables side by side, each
    ruled row by row as its rows fall. One table's column groups, each ruled on its own, have their rules
    at the same heights (its top, its header's and its bottom rule, drawn group by group)."""
    shared = sum(any(abs(a - b) <= slack for b in right) for a in left)
    return shared < 0.5 * min(len(left), len(right))


def _rule_cuts(region: Sequence[Box], rules: Sequence[Rule], min_cover: float = 0.5) -> list[float]:
    """Heights where a drawn rule crosses at least ``min_cover`` of the region's width and passes between
    its lines (through no line's middle half; the boxes of tight rows overlap): the rules over, under and
    inside a table, which part a caption or a note set close to it from the table's rows."""
    x0, x1 = min(b.x0 for b in region), max(b.x1 for b in region)
    y0, y1 = min(b.y0 for b in region), max(b.y1 for b in region)
    cuts = []
    for r_x0, r_x1, y in merged_rules(rules):
        if not y0 < y < y1 or min(r_x1, x1) - max(r_x0, x0) < min_cover * (x1 - x0):
            continue
        if any(b.y0 + 0.25 * b.height < y < b.y1 - 0.25 * b.height for b in region):
            continue
        if _group_rule(region, r_x0, y):
            continue
        cuts.append(y)
    return sorted(set(cuts))


def _group_rule(region: Sequence[Box], r_x0: float, y: float, reach: float = 3.0) -> bool:
    """A rule under a heading over a group of a table's columns (``Current expenditures`` over the columns
    of its two kinds of dollars), not the table's border: a line of the rows right under it (within
    ``reach`` line heights) stands wholly left of it (the stub column's heading, or the columns it does
    not head); a table's border runs over all of its columns."""
    return any(y < b.y0 <= y + reach * b.height and b.x1 < r_x0 for b in region)


def _same_column(above: list[Box], below: list[Box], unit: float) -> bool:
    if any(b.kind for b in above + below):
        return False
    a0, a1 = min(b.x0 for b in above), max(b.x1 for b in above)
    b0, b1 = min(b.x0 for b in below), max(b.x1 for b in below)
    below_top, above_bottom = min(b.y0 for b in below), max(b.y1 for b in above)
    return abs(a0 - b0) <= 2 * unit and abs(a1 - b1) <= 4 * unit and 0 <= below_top - above_bottom <= 3 * unit


# --- paragraphs -------------------------------------------------------------------------------------------

# first parts of compounds that keep their hyphen when a line breaks after them ("well-\nknown")
KEEP_HYPHEN_PREFIXES = frozenset(
    "all cross half ill non quasi self so well real two three four first second third left right top bottom "
    "full user".split()
)
_HYPHENS = "-\u2010\u2011"
_SOFT_HYPHEN = "\u00ad"
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)*", re.UNICODE)
# a plain number before a line-end hyphen ("No. 117-", "pp. 113-"), not a code's or a link's ("38-3-", "/0022-")
_NUMBER_BEFORE_HYPHEN = re.compile(r"(?:^|[\s(\[])\d+[-\u2010\u2011]$")
_SENTENCE_END = re.compile(r"[.!?:;…)\]\"'”’]\s*$")
# a contents entry on one line: a section's label, its title and its page number ("B. Rank Analysis 5", "3.2 Options 12")
_TOC_LINE = re.compile(rf"^\s*(?:[A-Z]\.|[IVX]{{1,5}}\.|\d{{1,2}}(?:\.\d{{1,2}})*\.?)\s+\S.*\s{_PAGE_NO}\s*$")
_TOC_ENDS = re.compile(rf"\s{_PAGE_NO}\s*$")  # a contents entry's last line: its page number
_LIST_START = re.compile(rf"^\s*(?:[{BULLETS}*–—-]\s|\(?(?:\d{{1,3}}|[a-z]|[ivx]{{1,5}})[.)]\s|\(\d{{1,3}}\)\s)")


class Vocabulary(set):
    """A document's lowercase words (a set) with how often each occurs (``counts``): evidence for rejoining
    hyphenated words."""

    counts: Counter[str]


def vocabulary(texts: Iterable[str]) -> Vocabulary:
    """Lowercase words (with their inner hyphens) of some texts: evidence for rejoining hyphenated words."""
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    broken = False  # the line before ends with a hyphen: this line's first word may be a broken word's end
    for text in texts:
        found = [w.lower() for w in _WORD.findall(text)]
        seen.update(found)
        ends_broken = text.rstrip().endswith(tuple(_HYPHENS))
        counts.update(found[int(broken):len(found) - int(ends_broken)])  # no half of a broken word
        broken = ends_broken
    words = Vocabulary(seen)
    words.counts = counts
    return words


def _words_on_their_own(first: str, second: str, words: set[str] | frozenset[str]) -> bool:
    """Both halves of a word broken at a line end are words the document uses elsewhere (not as a half of
    a broken word), three letters or more: a compound ("case-" "specific", "student-" "led"), not a syllable
    break ("infor-" "mation"). Only a ``Vocabulary`` has the counts."""
    counts = getattr(words, "counts", None)
    if not counts or len(first) < 3 or len(second) < 3 or not counts[first] or not counts[second]:
        return False
    return not _closes_up(first, second, counts)


def _closes_up(first: str, second: str, counts: Counter[str]) -> bool:
    """The document writes ``first`` as the start, or ``second`` as the end, of a closed compound: a word of
    its own made of ``first`` and another of its words ("some" in "something": "some-" "one" is "someone"),
    or of another of its words and ``second`` ("reason" + "able": "objection-" "able" is one word). A second
    half of three letters is not looked for at ends: "led" ends "control-led", an inflection, not a compound."""
    ends = len(second) > 3
    for word in counts:
        if word.startswith(first) and len(word) >= len(first) + 3 and counts.get(word[len(first):]):
            return True
        if ends and word.endswith(second) and len(word) >= len(second) + 3 and counts.get(word[:-len(second)]):
            return True
    return False


def join_hyphenated(first: str, second: str, words: set[str] | frozenset[str] = frozenset()) -> str | None:
    """``first`` + ``second`` when ``first`` ends with a hyphen that breaks a word across lines, else None.

    "inter-" + "national" -> "international"; a real hyphen stays: "well-" + "known" -> "well-known",
    "e-" + "mail" -> "e-mail", "state-of-the-" + "art", "COVID-" + "19". ``words`` (from ``vocabulary``) decides
    when the document itself spells the word one way elsewhere, and keeps a compound whose halves it uses on
    their own ("case-" + "specific"). A plain number before the hyphen and a digit after: "117-" + "328" ->
    "117-328" (a range, no space).
    """
    stripped = first.rstrip()
    if not stripped:
        return None
    if stripped.endswith(_SOFT_HYPHEN):
        return stripped[:-1] + second.lstrip()
    if stripped[-1] not in _HYPHENS or len(stripped) < 2:
        return None
    nxt = second.lstrip()
    if not nxt:
        return None
    if _NUMBER_BEFORE_HYPHEN.search(stripped) and nxt[0].isdigit():
        return stripped + nxt  # a number range or a number broken at its hyphen: "117-" "328" -> "117-328"
    if not stripped[-2].isalpha():
        return None
    match = re.search(r"([^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)*)[-\u2010\u2011]$", stripped)
    prefix = match.group(1) if match else ""
    head = re.match(r"[^\W_]+", nxt)
    following = head.group(0) if head else ""
    keep = stripped + nxt
    drop = stripped[:-1] + nxt
    joined, hyphenated = (prefix + following).lower(), f"{prefix}-{following}".lower()
    if following and joined in words and hyphenated not in words:
        return drop  # the page spells it whole elsewhere: "Trace-" "Monkey" -> "TraceMonkey"
    if following and hyphenated in words and joined not in words:
        return keep
    if not following or not following[0].islower():
        return keep  # "COVID-" "19", "non-" "English", "x-" "(1)"
    if re.match(r"[^\W\d_]+[-\u2010\u2011][^\W\d_]", nxt):
        return keep  # the compound goes on: "interpreter-" "to-trace"
    last_part = re.split(r"[-\u2010\u2011]", prefix)[-1].lower()
    if "-" in prefix or "\u2010" in prefix or len(last_part) == 1 or last_part in KEEP_HYPHEN_PREFIXES:
        return keep
    if joined not in words and _words_on_their_own(last_part, following.lower(), words):
        return keep  # "case-" "specific": both halves are the document's words, the whole is not
    return drop


def join_lines(texts: Sequence[str], words: set[str] | frozenset[str] = frozenset()) -> str:
    """Lines of one paragraph -> one line: spaces between lines, hyphenated words rejoined."""
    out = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if not out:
            out = text
            continue
        joined = join_hyphenated(out, text, words)
        out = joined if joined is not None else f"{out} {text}"
    return out


@dataclass
class Paragraph:
    text: str
    kind: str = "text"  # text | heading | list | table (or a box kind)
    lines: list[Box] = field(default_factory=list)


def body_text_size(lines: Sequence[Box]) -> float:
    """The size most characters on a page are set in."""
    counts: Counter[float] = Counter()
    for b in lines:
        if not b.kind:
            counts[round(b.text_size * 2) / 2] += len(b.text)
    return counts.most_common(1)[0][0] if counts else 0.0


def _is_heading(line: Box, body_size: float) -> bool:
    """Larger than the body, or bold, and short; never a bulleted line (a list set larger than the body text
    is a list: its items are no headings, nor one heading run on across a strip break)."""
    text = line.text.strip()
    if not text or len(text.split()) > 16 or text.endswith((",", ";")) or text[0] in BULLETS:
        return False
    if body_size and line.text_size >= body_size * 1.12:
        return True
    return line.bold and not text.endswith(".") and any(c.isalpha() for c in text)


def block_paragraphs(block: Sequence[Box], body_size: float = 0.0,
                     words: set[str] | frozenset[str] = frozenset()) -> list[Paragraph]:
    """A block's lines (top to bottom) -> paragraphs.

    A new paragraph starts after extra vertical space, at a change of type size, after a heading (larger or
    bold type), at a list marker, at a first-line indent after a short or finished line, or after a short
    line ending a sentence; lines of one row are joined in place. Lines of a paragraph are joined by
    ``join_lines`` (hyphenation undone)."""
    lines = [b for b in block if b.text.strip()]
    if not lines:
        return []
    body_size = body_size or body_text_size(lines)
    text_lines = [b for b in lines if not b.kind]
    left = min((b.x0 for b in text_lines), default=0.0)
    right = max((b.x1 for b in text_lines), default=0.0)
    pitches = [b.y0 - a.y0 for a, b in zip(text_lines, text_lines[1:], strict=False) if b.y0 - a.y0 > 0.3 * a.height]
    pitch = _median(pitches, _median((b.height for b in text_lines), 1.0) * 1.2)
    leading = _double_spacing(text_lines, left, right, pitch)
    # a contents list (three entries or more on lines of their own): each entry stands alone, though its label is
    # a capital ("B. Rank Identifiability Analysis 5" under "A. Model Definition and Its Moments 4")
    contents = sum(bool(_TOC_LINE.match(b.text)) for b in text_lines) >= 3
    groups: list[list[Box]] = []
    for line in lines:
        if not groups:
            groups.append([line])
            continue
        prev = groups[-1][-1]
        if line.kind or prev.kind:
            groups.append([line])
        elif _v_overlap(prev, line) >= 0.5 and line.x0 >= prev.x1 - 1:
            groups[-1].append(line)  # same row: a line broken into pieces
        elif contents and _wraps_entry(prev, line):
            groups[-1].append(line)  # an entry's title wrapped under its hanging indent, its number on the last line
        elif _breaks(prev, line, groups[-1], left, right, pitch, body_size, leading) or (
                contents and _TOC_ENDS.search(prev.text) and _TOC_LINE.match(line.text)):
            groups.append([line])
        else:
            groups[-1].append(line)
    out = []
    for group in groups:
        first = group[0]
        if first.kind:
            out.append(Paragraph(first.text.strip("\n"), first.kind, group))
            continue
        kind = "heading" if all(_is_heading(b, body_size) for b in group) and len(group) <= 3 else (
            "list" if _LIST_START.match(first.text) else "text")
        out.append(Paragraph(join_lines([b.text for b in group], words), kind, group))
    return out


def _wraps_entry(prev: Box, line: Box) -> bool:
    """In a contents list, ``line`` goes on with the entry ``prev`` began: ``prev`` ends in no page number, ``line``
    starts no entry of its own (no label), in the same type, right under it ("A. The Log-Linear System of Prior
    Predictive" / "Moment Equations 4", the second line indented under the title)."""
    return (not _TOC_ENDS.search(prev.text) and not _TOC_LINE.match(line.text) and not _LIST_START.match(line.text)
            and abs(prev.text_size - line.text_size) <= 0.12 * max(prev.text_size, 1e-6)
            and (prev.bold, prev.italic) == (line.bold, line.italic)
            and 0 <= line.y0 - prev.y1 <= 0.5 * line.text_size and line.x0 >= prev.x0 - 1)


def _double_spacing(lines: Sequence[Box], left: float, right: float, pitch: float, full: float = 0.6) -> float:
    """The space between the lines of a block of running text set with extra leading (double-spaced court
    filings, theses, manuscripts: most lines are long and run to the right edge, a line pitch of 1.6 type
    sizes or more): that space is no paragraph break; 0 for any other block (a table of contents' rows
    reach the right edge too, with a page number: short, and ending in a number)."""
    if len(lines) < 4:
        return 0.0
    size = _median((b.text_size for b in lines), 1.0)
    reach = sum(b.x1 >= right - 0.1 * (right - left) for b in lines)
    prose = _median((len(b.text) for b in lines), 0.0) >= 40 and sum(
        b.text.rstrip()[-1:].isdigit() for b in lines) < len(lines) / 2
    if pitch < 1.6 * size or reach < full * len(lines) or not prose:
        return 0.0
    return max(pitch - _median((b.height for b in lines), 1.0), 0.0)


def _breaks(prev: Box, line: Box, group: list[Box], left: float, right: float, pitch: float,
            body_size: float, leading: float = 0.0) -> bool:
    size = max(prev.text_size, line.text_size, 1e-6)
    if abs(prev.text_size - line.text_size) > 0.12 * size:
        return True
    if line.y0 - prev.y0 > 1.45 * pitch or line.y0 - prev.y1 > max(0.9 * size, leading + 0.5 * size):
        return True
    if _is_heading(prev, body_size) and all(_is_heading(b, body_size) for b in group) and not _is_heading(
            line, body_size):
        return True
    if _is_heading(line, body_size) and not _is_heading(prev, body_size):
        return True
    if _LIST_START.match(line.text):
        return True
    width = max(right - left, 1e-6)
    if len(group) == 1 and (prev.italic, prev.bold) != (line.italic, line.bold) and (prev.italic or prev.bold) \
            and prev.x1 < right - 0.2 * width and not _SENTENCE_END.search(prev.text):
        return True  # a short italic or bold line over plain text: a run-out heading
    short = prev.x1 < right - max(0.08 * width, 2 * size)
    finished = bool(_SENTENCE_END.search(prev.text))
    indented = line.x0 > prev.x0 + 0.8 * size and line.x0 > left + 0.8 * size
    if indented and (short or finished) and not _LIST_START.match(group[0].text):
        return True
    return short and finished


def _continues(prev: Paragraph, nxt: Paragraph) -> bool:
    """The next block starts mid-sentence where the previous one stopped (column or strip break), or goes
    on with the next line of a centred heading."""
    ends = prev.text.rstrip()
    if prev.kind == nxt.kind == "heading" and prev.lines and nxt.lines and ends and not _SENTENCE_END.search(ends):
        a, b = prev.lines[-1], nxt.lines[0]
        return abs(a.text_size - b.text_size) < 0.5 and 0 <= b.y0 - a.y1 <= 0.8 * a.text_size
    if prev.kind not in ("text", "list") or nxt.kind != "text" or not nxt.text:
        return False
    return bool(ends) and not _SENTENCE_END.search(ends) and (nxt.text[0].islower() or ends[-1] in _HYPHENS)


# --- tables -----------------------------------------------------------------------------------------------


@dataclass
class Table:
    """Cells recovered from aligned boxes; ``boxes`` are the page lines it was made of."""

    x0: float
    y0: float
    x1: float
    y1: float
    cells: list[list[str]]
    boxes: list[Box]

    def markdown(self) -> str:
        width = max(len(row) for row in self.cells)
        rows = [[c.replace("|", "\\|").strip() for c in row] + [""] * (width - len(row)) for row in self.cells]
        return markdown_table(rows)

    def box(self) -> Box:
        return Box(self.x0, self.y0, self.x1, self.y1, self.markdown(), kind="table")


def markdown_table(rows: list[list[str]]) -> str:
    """Rows of cell texts as pipe tables, the first row the header: one table, or one a copy where the table is
    set as copies side by side (``side_by_side``), one after another. Every table writer comes through here."""
    return "\n\n".join(_pipe_table(part) for part in side_by_side(rows))


def _pipe_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows[1:]])


def side_by_side(rows: list[list[str]]) -> list[list[list[str]]]:
    """A table set as several copies side by side to fill the page's width ("Age | Population | Age |
    Population ..."): its header row is one group of named columns repeated, and each copy's first column
    holds labels in two rows or more (a header repeated over figures, "Men | Women | Men | Women", has its
    group heading lost, not a copy beside it). Each copy is a table of its own, read one after another, its
    empty rows left out; any other table is one part."""
    width = len(rows[0]) if rows else 0
    header = [" ".join(c.split()).lower() for c in rows[0]] if rows else []
    for span in range(2, width // 2 + 1):
        if width % span or not all(header[:span]):  # each copy's header names each of its columns
            continue
        if any(header[k:k + span] != header[:span] for k in range(span, width, span)):
            continue
        parts = [[row[k:k + span] for row in rows] for k in range(0, width, span)]
        parts = [[row for row in part if any(row)] for part in parts]
        if all(len(part) > 2 and _labels_first(part[1:]) for part in parts):
            return parts
        return [rows]
    return [rows]


def _labels_first(body: list[list[str]]) -> bool:
    """Most of a body's first cells hold words (labels), not figures."""
    firsts = [row[0] for row in body if row[0]]
    return bool(firsts) and sum(any(ch.isalpha() for ch in c) for c in firsts) >= 0.5 * len(firsts)


Rule = tuple[float, float, float]  # a horizontal line drawn on the page: x0, x1, y


def _apart(cells: list[Box], columns: list[int], bounds: list[float]) -> list[int]:
    """Two cells of one row that fall into one column by their left ends: the later one goes into the next
    column where it reaches over that column's bound and no later cell of the row lies there (a spreadsheet's
    header, "Year" left-aligned over right-aligned years and "Freshwater Ducks" starting right after their
    column's right edge, over its own right-aligned figures). Joined, two headings read as one."""
    out = list(columns)
    for i in range(1, len(cells)):
        nxt = out[i - 1] + 1
        if (out[i] < nxt <= len(bounds) and cells[i].x1 > bounds[nxt - 1]
                and all(col > nxt for col in out[i + 1:])):
            out[i] = nxt
    return out


_SIGN_REACH = 3.0  # line heights: a currency sign set apart from its amount, flush left in the amount's column


def _signs_amount(sign: Box, box: Box, unit: float) -> bool:
    """``box`` is the amount of ``sign``, a currency sign alone ("¥", "$") set apart before it: financial
    statements set the sign flush left in the column and the amount flush right (pdf.js issue14297's "¥" over
    "201,683" in the 2021 column), and the sign, nearer the column's left bound, went to the column before."""
    return (sign.text.strip() in _CURRENCY and bool(_NUMBER.match(box.text.strip()))
            and box.x0 - sign.x1 < _SIGN_REACH * unit)


def _row_cells(row: list[Box], unit: float) -> list[Box]:
    """Boxes of one row joined into cells (pieces closer than a word gap belong to one cell, and a currency
    sign set apart to its amount). A finished block (a ruled table's Markdown) is a cell of its own, joined
    with nothing: ``_table_segments`` reads its row as text."""
    cells = [row[0]]
    for box in row[1:]:
        if box.kind or cells[-1].kind:
            cells.append(box)
        elif box.x0 - cells[-1].x1 < 0.35 * unit or _signs_amount(cells[-1], box, unit):
            cells[-1] = union([cells[-1], box])
        else:
            cells.append(box)
    return cells


def _column_bounds(rows_cells: list[list[Box]], unit: float, support: float = 0.65) -> list[float]:
    """x positions that separate columns: gaps between cells that most multi-cell rows leave free."""
    multi = [cells for cells in rows_cells if len(cells) > 1]
    candidates = sorted((a.x1 + b.x0) / 2 for cells in multi for a, b in zip(cells, cells[1:], strict=False))
    clusters: list[list[float]] = []
    for x in candidates:
        if clusters and x - clusters[-1][-1] < unit:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    bounds: list[tuple[float, float]] = []
    middles = [(c.x0 + c.x1) / 2 for cells in rows_cells for c in cells]
    for cluster in clusters:
        free_xs = [x for x in cluster]
        best = None
        for x in (statistics.median(free_xs), min(free_xs), max(free_xs)):
            free = sum(1 for cells in multi if not any(c.x0 < x < c.x1 for c in cells)) / len(multi)
            if free >= support and (best is None or free > best[1]):
                best = (x, free)
        if not best:
            continue
        # two clusters in one gap (a column of short and long cells, "Cat" and "Parastratiosph", spreads the
        # gap's middles): no cell's middle lies between them, they part no column; the freer one is kept
        if bounds and not any(bounds[-1][0] < m < best[0] for m in middles):
            bounds[-1] = max(bounds[-1], best, key=lambda b: b[1])
        else:
            bounds.append(best)
    return _staggered_figure_bounds([x for x, _ in bounds], multi, unit)


def _staggered_figure_bounds(bounds: list[float], multi: list[list[Box]], unit: float,
                             min_cells: int = 2) -> list[float]:
    """``bounds`` with a bound added inside a column whose figures stand in two groups apart (a worksheet's
    amounts and its totals set further right: "$75.00" under "$600.00"'s left edge, never on one row, so no
    row leaves a gap between them): each group ``min_cells`` figures or more, all of the column's cells
    figures, a blank wider than ``unit`` between the groups' extents. Text cells of varying length start or
    end alike and overlap; such a column is two columns of figures."""
    edges = [-math.inf, *bounds, math.inf]
    added = []
    for left, right in zip(edges, edges[1:], strict=False):
        cells = [c for cells in multi for c in cells if left < (c.x0 + c.x1) / 2 < right]
        if len(cells) < 2 * min_cells or not all(_NUMBER.match(c.text.strip()) for c in cells):
            continue
        cells.sort(key=lambda c: c.x0)
        reach = -math.inf
        for k, cell in enumerate(cells):
            if k >= min_cells and len(cells) - k >= min_cells and cell.x0 - reach > unit:
                added.append((reach + cell.x0) / 2)
                break
            reach = max(reach, cell.x1)
    return sorted(bounds + added)


def find_tables(lines: Sequence[Box], rules: Sequence[Rule] = ()) -> list[Table]:
    """Tables among a page's lines, found while reading the page in order (``reading_order``): a region
    whose columns hold at least two rows of several cells, column gaps that at least three quarters of those
    rows leave free, and short cells (table cells, not lines of text columns); a two-column region also needs
    a drawn horizontal rule over it (so that definition lists, numbered code and tables of contents stay text).
    A row with one cell that is not in the first column continues the cells of the row above (a cell wrapped
    onto two lines)."""
    return _xy_cut([b for b in lines if not b.kind], 0.5, 0.5, True, rules)[1]


def _table_segments(region: list[list[Box]], unit: float, rules: Sequence[Rule]) -> list | None:
    """A region's rows as tables and the text between them (a heading, a caption, a line of code that
    crosses the columns, lines of text columns side by side), in order; None when no part is a table."""
    region = _numbered_rows_parted(_join_wrapped_labels(region, unit), unit)
    bounds = _column_bounds(region, unit)
    if not bounds:
        return None
    extents = _column_extents(region, bounds)
    # a body row of figures: a cell across two columns or more is cells set one space apart (a label and the
    # model it names, "InternLM2.5-1.8B >6B / 100M / 16M"; "Diff. Sampler (...) 40.71%"), parted likewise; a
    # group's heading (over two columns) stands in a row of headings, not of figures
    region = [_headings_parted(cells, bounds, extents, unit) if _ruled_under(k, region, rules, unit) else
              _headings_parted(cells, bounds, extents, unit, min_columns=2, within=True) if _figures_row(cells) else cells
              for k, cells in enumerate(region)]
    sizes = sorted(b.text_size for cells in region for b in cells)
    size = sizes[len(sizes) // 2]
    flush = _flush_right_column(region, bounds, unit, rules)
    entries = _ruled_entries(region, bounds, unit, rules)

    def text_row(cells: list[Box]) -> bool | None:
        """True for a line of text, False for a table's row, None for a row judged text only by the mean
        length of its cells (``_long_cells_between_rows``)."""
        if any(c.kind for c in cells):
            return True  # a finished block (a ruled table beside lines a grid left out) is no table's cell
        if entries and (len(cells) == 2 or len(cells) == 1 and cells[0].x0 > bounds[0]):
            return False  # an entry of a ruled list of labels and descriptions, or a description's next line
        crossing = len(cells) == 1 and any(cells[0].x0 < x < cells[0].x1 for x in bounds)
        other_type = len(cells) == 1 and abs(cells[0].text_size - size) > 0.15 * size
        note = len(cells) == 1 and bool(TABLE_NOTE.match(cells[0].text.strip()))
        if crossing or other_type or note or _subfigure_captions(cells):
            return True
        lengths = [len(c.text.strip()) for c in cells]
        # lines of text columns side by side (a table row may hold one long label, not two)
        two_long = sum(n > 35 for n in lengths) >= 2
        prose = two_long or sum(lengths) / len(lengths) > 25
        described = flush is not None and len(cells) > 1 and abs(cells[-1].x1 - flush) <= unit
        if not prose or described or _label_and_figures(cells, bounds):
            return False
        # a row of ``_MANY_CELLS`` or more with two long cells (a name and a title over 35 characters) is judged
        # by the rows around it (``_long_cells_between_rows``): text columns side by side are fewer
        return True if two_long and len(cells) < _MANY_CELLS or len(cells) < 2 else None

    groups: list[tuple[bool, list[list[Box]]]] = []
    verdicts = _hanging_label_lines(region, _long_cells_between_rows(region, [text_row(c) for c in region], unit), unit)
    for cells, is_text in zip(region, verdicts, strict=True):
        if groups and groups[-1][0] == is_text:
            groups[-1][1].append(cells)
        else:
            groups.append((is_text, [cells]))
    groups = _join_sections(_leading_lines_apart(_trailing_lines_apart(groups), unit), unit, rules)
    out: list = []
    for is_text, rows_ in groups:
        table = None if is_text else _table_of(rows_, unit, rules, 2)
        out.append(table if table is not None else [b for cells in rows_ for b in cells])
    if not any(isinstance(p, Table) for p in out):
        return None
    merged: list = []  # neighbouring text parts read together (their columns are found again)
    for part in out:
        if merged and not isinstance(part, Table) and not isinstance(merged[-1], Table):
            merged[-1] = merged[-1] + part
        else:
            merged.append(part)
    return merged


_SUBFIGURE = re.compile(r"^\([a-z]\)\s+\S")


def _subfigure_captions(cells: list[Box]) -> bool:
    """A row of two cells or more, each a subfigure's caption ("(a) NQ", "(b) TQ"): the captions of the panels
    of a figure set under a table, in columns as the panels are, not a row of the table (arXiv 2510.14967's
    Table 3 had taken Figure 3's panel captions as its last two rows)."""
    return len(cells) >= 2 and all(_SUBFIGURE.match(c.text.strip()) for c in cells)


def _banded_table(region: list[Box], gutters: list[tuple[float, float]], rules: Sequence[Rule], unit: float,
                  min_bands: int = 4) -> Table | None:
    """A table whose rows are ruled one by one, each a band between two rules across the region, its cells
    wrapped text set at different heights in their columns (a definition's three lines beside a label's
    one, centred): each band is one row, each column's lines in it one cell, joined. Taken where the
    region's gutters part it into columns, there are ``min_bands`` bands or more (the header's among them),
    every band holds lines in every column, one over another (lines side by side in a column are columns
    the gutters missed), and the first column holds at most two lines in each band while in most of them
    another column holds more and the columns hold unlike numbers of lines (rows of figures grouped between
    rules have a label a line and as many lines in each column: those are read row by row elsewhere), and
    a quarter of its lines at most are figures (a ``\\multirow`` label beside a group's rows of figures,
    "6" beside "OTSL" over "HTML", labels a group of rows, not one wrapped row). arXiv 2510.14969's Table 6 had been read as three text columns."""
    cuts = _rule_cuts(region, rules)
    if len(cuts) < min_bands - 1 or sum(bool(_NUMBER.match(b.text.strip())) for b in region) > 0.25 * len(region):
        return None
    edges = [g[0] for g in gutters]
    bands: list[list[list[Box]]] = [[[] for _ in range(len(gutters) + 1)] for _ in range(len(cuts) + 1)]
    for box in region:
        column = sum(1 for x in edges if box.x0 >= x)
        bands[sum(1 for y in cuts if (box.y0 + box.y1) / 2 > y)][column].append(box)
    if any(not all(band) for band in bands) or any(len(band[0]) > _label_lines(gutters) for band in bands):
        return None
    lines = [[rows(cell) for cell in band] for band in bands]
    if any(len(row) > 1 for band in lines for cell in band for row in cell):
        return None  # two boxes side by side in a cell: columns the gutters missed (a header spans them)
    wrapped = [max(len(cell) for cell in band[1:]) >= 2 and len({len(cell) for cell in band}) > 1 for band in lines]
    if sum(wrapped) < 0.5 * len(bands):
        return None
    texts = [[join_lines([b.text for b in sorted(cell, key=lambda b: b.y0)]) for cell in band] for band in bands]
    return Table(min(b.x0 for b in region), min(b.y0 for b in region), max(b.x1 for b in region),
                 max(b.y1 for b in region), texts, list(region))


def _titled_banded_table(region: list[Box], gutters: list[tuple[float, float]], rules: Sequence[Rule],
                         unit: float) -> Table | None:
    """``_banded_table`` under a title: one line alone over the region's first rule across it (CMS-1490S p18's
    "MEDICARE ADMINISTRATIVE CONTRACTOR ADDRESS TABLE" over the grid continued from the page before, set right of
    the gutter between the grid's columns; its band held no line in the first column). The table is the lines
    under the rule; the title is read over it."""
    cuts = _rule_cuts(region, rules)
    if not cuts:
        return None
    over = [b for b in region if (b.y0 + b.y1) / 2 < cuts[0]]
    if len(over) != 1:
        return None
    under = [b for b in region if b is not over[0]]
    table = _banded_table(under, gutters, rules, unit)
    if table is None or over[0].y1 > table.y0:
        return None
    return table


def _label_lines(gutters: list[tuple[float, float]], max_lines: int = 2, two_columns: int = 6) -> int:
    """The most lines ``_banded_table`` takes in a band's first cell: two (a label wrapped once beside a longer
    definition); in a grid of two columns, six (a label that is itself a list, "Alaska, American Samoa, Arizona,
    ..." over five lines beside the address their claims go to, CMS-1490S): with one column beside it, a label
    column of many lines is no group label over rows of figures in several columns."""
    return two_columns if len(gutters) == 1 else max_lines


def _subfigure_rows(region_rows: list[list[Box]]) -> bool:
    """Rows of subfigures' captions only, each line starting "(a) ", one row of two or more: the panels'
    captions of a figure, read along their rows as the panels are lettered, not column by column."""
    lines = [b for row in region_rows for b in row]
    return (any(len(row) >= 2 for row in region_rows)
            and all(_SUBFIGURE.match(b.text.strip()) for b in lines))


def _long_cells_between_rows(region: list[list[Box]], verdicts: list[bool | None], unit: float) -> list[bool]:
    """Rows of several cells judged text only because their cells are long on average (at most one over 35
    characters: a long name beside a short one, "Logistics Analysts" beside "Electrical Power-Line Installers
    and Repairers") are a table's rows where the rows right above and below them are a table's with as many
    cells, each starting where the row's cells start: lines of text columns side by side are long in both
    columns and come in runs, not one at a time between the rows of a table (arXiv 2510.13369's table of
    occupations had been cut into its first row and text). ``verdicts``: per row True (text), False (a
    table's) or None (long on average only); None is text elsewhere (a heading beside the pieces of a
    formula set in two columns)."""
    out = []
    for k, verdict in enumerate(verdicts):
        if verdict is None:
            alike = _cells_start_among if len(region[k]) >= _MANY_CELLS else _cells_start_alike
            verdict = not (0 < k < len(region) - 1 and verdicts[k - 1] is False and verdicts[k + 1] is False
                           and alike(region[k], region[k - 1], unit)
                           and alike(region[k], region[k + 1], unit))
        out.append(verdict)
    return out


_LINE_NUMBER = re.compile(r"^\d{1,2}[a-z]?\.?$")


def _hangs_under(line: Box, row: list[Box], unit: float) -> bool:
    """A line set under a worksheet's numbered line with a hanging indent (its label's next line, "(subtract line 4
    from line 1)" under "5  Amount subject to withholding"): the row starts with a line number ("5", "6.", alone or
    leading its label), the line starts half a line's height to four right of it, right under it."""
    if not row or not line.text.strip():
        return False
    first = row[0]
    number = first.text.split()[0] if first.text.split() else ""
    return (bool(_LINE_NUMBER.match(number)) and first.x0 + 0.5 * unit <= line.x0 <= first.x0 + 4 * unit
            and max(b.y0 for b in row) + 0.5 * unit < line.y0 < max(b.y1 for b in row) + unit
            and not _LINE_NUMBER.match(line.text.split()[0]))


def _hanging_label_lines(region: list[list[Box]], verdicts: list[bool], unit: float) -> list[bool]:
    """A worksheet's numbered lines whose labels wrap with a hanging indent are a table's rows, line by line:
    the label's next line alone under a numbered row of figures ("(subtract line 4 from line 1)" under "5  Amount
    subject to withholding  $450.00"), and a numbered label's first line alone over its next line that holds the
    figure ("6. Tax to be withheld on $450.00 from" over "Table 1—single person, page 44 . . .  $52.60") were read
    as text and cut the worksheet short (Publication 15, page 42). Only between rows of the table."""
    out = list(verdicts)
    for k, cells in enumerate(region):
        if not out[k] or len(cells) != 1 or k == 0 or out[k - 1]:
            continue
        above = region[k - 1]
        continues = len(above) > 1 and _NUMBER.match(above[-1].text.strip()) and _hangs_under(cells[0], above, unit)
        below = region[k + 1] if k + 1 < len(region) else []
        opens = len(below) > 1 and _NUMBER.match(below[-1].text.strip()) and _hangs_under(below[0], cells, unit)
        if continues or opens:
            out[k] = False
            if opens:
                out[k + 1] = False
    return out


_MANY_CELLS = 4  # a row of so many cells or more is no pair of text columns side by side


def _cells_start_among(cells: list[Box], other: list[Box], unit: float) -> bool:
    """A row of ``_MANY_CELLS`` or more and a row beside it with as many cells or one fewer (an empty cell:
    a book without its publisher), each of whose cells starts within ``unit`` of one of the row's cells: one
    table's columns (tabula's french1.pdf: "CHAMPSEIX ÉLISABETH & CHAMPSEIX JEAN-PAUL" beside a title of 36
    characters, over "CORNEILLE PIERRE  Horace  L  Toena", had been read as text, parting the list in two)."""
    return (len(cells) - 1 <= len(other) <= len(cells)
            and all(any(abs(a.x0 - b.x0) <= unit for a in cells) for b in other))


def _cells_start_alike(cells: list[Box], other: list[Box], unit: float) -> bool:
    """Two rows of as many cells, each cell starting within ``unit`` of the other row's cell: one table's columns."""
    return len(cells) == len(other) and all(abs(a.x0 - b.x0) <= unit for a, b in zip(cells, other, strict=True))


def _ruled_under(k: int, region: list[list[Box]], rules: Sequence[Rule], unit: float) -> bool:
    """A drawn rule across half the region's width or more passes right under its row ``k``, over the next row:
    the rule under a table's header (booktabs' midrule)."""
    members = [b for cells in region for b in cells]
    x0, x1 = min(b.x0 for b in members), max(b.x1 for b in members)
    bottom = max(b.y1 for b in region[k])
    top = min(b.y0 for b in region[k + 1]) if k + 1 < len(region) else bottom + unit
    return any(bottom - 0.25 * unit <= y <= top + 0.25 * unit and min(r_x1, x1) - max(r_x0, x0) >= 0.5 * (x1 - x0)
               for r_x0, r_x1, y in rules)


def _column_extents(region: list[list[Box]], bounds: list[float]) -> list[tuple[float, float]]:
    """Each column's reach (leftmost and rightmost edge) over the cells of the region's rows of several cells
    that stand in it (their middles between its bounds); (inf, -inf) for a column with none. A cell across a
    bound spans columns (a header line of several headings): it is no column's reach."""
    extents = [(math.inf, -math.inf)] * (len(bounds) + 1)
    for cells in region:
        if len(cells) < 2:
            continue
        for cell in cells:
            if any(cell.x0 < x < cell.x1 for x in bounds):
                continue
            k = sum(1 for x in bounds if x < (cell.x0 + cell.x1) / 2)
            extents[k] = (min(extents[k][0], cell.x0), max(extents[k][1], cell.x1))
    return extents


def word_extents(box: Box) -> list[tuple[int, int, float, float]]:
    """The words of a box's text as (start, end, x0, x1): each character placed along its run (``Box.runs``)
    by its count in the run, else along the whole box by its count (which drifts from the glyphs over a long
    line: wide capitals, narrow spaces). A word may run over two runs ("0.5" and ")" set in two fonts). The
    runs count only while they still make up the box's text (a box changed since keeps its runs, no longer its
    own)."""
    text = box.text
    if not text.strip():
        return []
    pieces = [(t, a, b) for t, a, b in box.runs if t]
    joined = "".join(t for t, _, _ in pieces)
    if not pieces or joined.strip() != text:
        pieces, joined = [(text, box.x0, box.x1)], text.lstrip()  # the words' starts count from text's own start
    lefts: list[float] = []
    rights: list[float] = []
    for piece, x0, x1 in pieces:
        step = (x1 - x0) / len(piece)
        lefts += [x0 + step * i for i in range(len(piece))]
        rights += [x0 + step * (i + 1) for i in range(len(piece))]
    skip = len(joined) - len(joined.lstrip())
    return [(w.start(), w.end(), lefts[skip + w.start()], rights[skip + w.end() - 1]) for w in re.finditer(r"\S+", text)]


def _headings_parted(cells: list[Box], bounds: list[float], extents: list[tuple[float, float]], unit: float,
                     min_columns: int = 3, overhang: float = 2.0, within: bool = False) -> list[Box]:
    """A row's cell that is column headings set so close that the PDF made them one line ("On-Policy Explicit
    Labeling-Free Monte Carlo–Free" over three columns, "Backbone AI2D DocVQA ..." over seven): parted into its
    columns. Its words are placed where the PDF's runs of the line say (``word_extents``); a word belongs to the
    column its middle lies in. Parted only where the words fill ``min_columns`` columns or more, every column that the cell
    spans (reaching into it by more than ``overhang`` line heights) one run of words, each run's middle within a
    line height of its column's cells (``_column_extents``; a heading stands over its column): a heading over a
    group of columns spans more columns than it has words' runs ("Reasoning Accuracy" over six), or its runs
    fall between the columns. Rows of one cell (a caption, a line of text across the table) stay whole. Taken
    only for the row right over the rule under the header (``_ruled_under``): a group's heading stands higher,
    over the headings of its columns ("Daily Time on Homework:" over "< 30  < 45  < 60"). ``within``: each run
    lies wholly within its column's reach (a cell of a body row, not a heading wider than its column)."""
    if len(cells) < 2:
        return cells
    edges = [-math.inf, *bounds, math.inf]
    out: list[Box] = []
    for cell in cells:
        text = cell.text.strip()
        spanned = [k for k in range(len(edges) - 1)
                   if min(cell.x1, edges[k + 1]) - max(cell.x0, edges[k]) > min(overhang * unit, 0.5 * cell.width)]
        if len(spanned) < min_columns or " " not in text:
            out.append(cell)
            continue
        runs: list[tuple[int, int, int, float, float]] = []  # (column, first char, end char, x0, x1)
        for start, end, x0, x1 in word_extents(cell):
            column = sum(1 for x in bounds if x < (x0 + x1) / 2)
            if runs and runs[-1][0] == column:
                runs[-1] = (column, runs[-1][1], end, runs[-1][3], x1)
            else:
                runs.append((column, start, end, x0, x1))
        if [r[0] for r in runs] != spanned or any(
                not extents[k][0] - unit <= (x0 + x1) / 2 <= extents[k][1] + unit for k, _, _, x0, x1 in runs) or (
                within and any(x0 < extents[k][0] - unit or x1 > extents[k][1] + unit for k, _, _, x0, x1 in runs)):
            out.append(cell)
            continue
        out.extend(replace(cell, x0=x0, x1=x1, text=cell.text[a:b], runs=()) for _, a, b, x0, x1 in runs)
    return out


def _trailing_lines_apart(groups: list[tuple[bool, list[list[Box]]]],
                          apart: float = 1.5) -> list[tuple[bool, list[list[Box]]]]:
    """A run of table rows that ends in a row set further below the row over it than ``apart`` times the run's
    usual row pitch and starting left of all of them, with no table row after it, ends above that row: it
    heads nothing of the table, it is the text after it ("5.2 Wages and Employment" at the page's margin under
    a table of job categories set in; "D  MORE DISCUSSION ...", a heading whose letter stands apart from its
    title, under a table of settings)."""
    groups, out = list(groups), []
    for k, (is_text, rows_) in enumerate(groups):
        last_run = k + 1 == len(groups) or groups[k + 1][0]
        tops = [min(b.y0 for b in cells) for cells in rows_]
        pitches = sorted(b - a for a, b in zip(tops[:-2], tops[1:-1], strict=False))
        if (is_text or not last_run or len(rows_) < 4
                or tops[-1] - tops[-2] <= apart * pitches[len(pitches) // 2]
                or rows_[-1][0].x0 >= min(cells[0].x0 for cells in rows_[:-1]) - rows_[-1][0].height):
            out.append((is_text, rows_))
            continue
        out.append((False, rows_[:-1]))
        if k + 1 < len(groups):  # the text after the table: the line joins it
            groups[k + 1] = (True, [rows_[-1]] + groups[k + 1][1])
        else:
            out.append((True, [rows_[-1]]))
    return out


def _leading_lines_apart(groups: list[tuple[bool, list[list[Box]]]], unit: float, min_gap: float = 1.5,
                         apart: float = 3.0, min_rows: int = 3) -> list[tuple[bool, list[list[Box]]]]:
    """A run of table rows whose top rows stand over a blank gap (``min_gap`` lines, and ``apart`` times the
    widest gap between the rows under it) and hold at most one row of several cells, starts under that gap:
    the rows over it are text set in the same columns (an invoice's address lines and its "INVOICE 2020-10 ...
    January 8, 2020" over the items' header), not rows of the table. The lowest such gap is taken."""
    out: list[tuple[bool, list[list[Box]]]] = []
    for is_text, rows_ in groups:
        cut = 0
        if not is_text:
            tops = [min(b.y0 for b in cells) for cells in rows_]
            bottoms = [max(b.y1 for b in cells) for cells in rows_]
            for k in range(1, len(rows_) - min_rows + 1):
                if sum(len(cells) > 1 for cells in rows_[:k]) > 1:
                    break
                gap = tops[k] - bottoms[k - 1]
                below = max((b - a for a, b in zip(bottoms[k:-1], tops[k + 1:], strict=True)), default=0.0)
                if gap >= min_gap * unit and gap >= apart * max(below, 0.0):
                    cut = k
        if cut:
            if out and out[-1][0]:
                out[-1] = (True, out[-1][1] + rows_[:cut])
            else:
                out.append((True, rows_[:cut]))
        out.append((is_text, rows_[cut:]))
    return out


def _ruled_entries(region: list[list[Box]], bounds: list[float], unit: float, rules: Sequence[Rule],
                   min_rows: int = 3, max_label: int = 25) -> bool:
    """A two-column table of short labels and long descriptions ("Item No." over "1".."14" beside the items
    of a questionnaire, each a line or two long), ruled across its width right over its first row and right
    under its last (booktabs, or a header's rule and the table's foot): its long lines are its cells, not
    text set beside a column of numbers. A numbered list has no rule closing it under its last item, a
    footnote's rule is short and over it only. Found on pdf.js's TAMReview.pdf (five tables written as
    text, pymupdf4llm's layout model reads them as tables)."""
    if len(bounds) != 1:
        return False
    pairs = [cells for cells in region if len(cells) == 2]
    if len(pairs) < min_rows or any(len(cells[0].text.strip()) > max_label for cells in pairs[1:]):  # [0]: a header
        return False
    if any(len(cells) > 2 or len(cells) == 1 and cells[0].x0 < bounds[0] for cells in region):
        return False  # a line in the label column alone, or a row of three: no list of entries
    members = [b for cells in region for b in cells]
    x0, x1 = min(b.x0 for b in members), max(b.x1 for b in members)
    y0, y1 = min(b.y0 for b in members), max(b.y1 for b in members)
    across = [y for r_x0, r_x1, y in merged_rules(rules) if r_x0 <= x0 + unit and r_x1 >= x1 - unit]
    return (any(y0 - 1.5 * unit <= y <= y0 for y in across)
            and any(y1 <= y <= y1 + 1.5 * unit for y in across))


_CURRENCY = "$€£¥"
_CURRENCY_OR_DASH = frozenset(_CURRENCY + "―—–-")


def _label_and_figures(cells: list[Box], bounds: list[float]) -> bool:
    """A row of a label and figures: every cell right of the first column is a figure, a currency sign or a
    dash ("Changes in fair value of financial assets measured at" over "fair value through other comprehensive
    income", beside "(31,874)" and "64,457"). Its label may be long, wrapped over two lines, but lines of text
    columns side by side are no figures: such a row is a table's, not prose (a statement's long labels had
    cut its table into pieces, the figures read as columns of their own; pdf.js issue14297)."""
    values = [c.text.strip() for c in cells if c.x0 > bounds[0]]
    return bool(values) and any(_NUMBER.match(v) for v in values) and all(
        _NUMBER.match(v.lstrip(_CURRENCY + " ")) or v in _CURRENCY_OR_DASH for v in values)


def _join_wrapped_labels(region: list[list[Box]], unit: float) -> list[list[Box]]:
    """A row label wrapped over two lines with the row's values set between them (centred on the label): the
    values overlap both label lines but neither by half, so the rows come as label, values, label. The
    three are one row, the label's lines joined in its first cell. Only where the two lines are alone on
    their rows, start where the region's rows start and end before the values begin."""
    if len(region) < 3:
        return region
    left = min(cells[0].x0 for cells in region)
    out: list[list[Box]] = []
    i = 0
    while i < len(region):
        cells = region[i]
        if out and i + 1 < len(region) and len(cells) >= 2 and cells[0].x0 > left + unit:
            above, below = out[-1], region[i + 1]
            if (len(above) == len(below) == 1 and abs(above[0].x0 - left) <= unit
                    and abs(below[0].x0 - left) <= unit and max(above[0].x1, below[0].x1) < cells[0].x0
                    and above[0].y1 > min(c.y0 for c in cells) and below[0].y0 < max(c.y1 for c in cells)):
                label = union([above[0], below[0]], text=join_lines([above[0].text, below[0].text]))
                out[-1] = [label, *cells]
                i += 2
                continue
        out.append(cells)
        i += 1
    return out


_NUMBER = re.compile(r"^[-+(]?[$€£]?\s*[\d.,]*\d[\d.,]*\s*%?\)?[*a-z]?$")


def _split_word(box: Box, words: list[tuple[int, int, float, float]], i: int) -> list[Box]:
    """``box`` cut before its ``i``-th word (of ``word_extents``)."""
    return [replace(box, x1=words[i - 1][3], text=box.text[:words[i][0]].rstrip(), runs=()),
            replace(box, x0=words[i][2], text=box.text[words[i][0]:], runs=())]


def _numbered_rows_parted(region: list[list[Box]], unit: float, min_rows: int = 3) -> list[list[Box]]:
    """Rows numbered one by one ("1 Super Kite", "2 Turbo Flyer", ...), the numbers set a space before the
    labels and the labels starting at one place, under a heading of two words split there ("ITEM DESCRIPTION"):
    two columns, the numbers' and the labels' (the PDF/UA invoice's items). Only for ``min_rows`` rows or more
    in a row, numbered on by one, under a row whose first cell has a word (not its first) starting where the
    labels do."""
    def number(cells: list[Box]) -> int | None:
        words = cells[0].text.split(None, 1) if cells else []
        return int(words[0]) if len(words) == 2 and words[0].isdigit() and len(words[0]) <= 3 else None

    numbers = [number(cells) for cells in region]
    k = 1
    while k < len(region):
        end = k
        while end < len(region) and numbers[end] is not None and (end == k or numbers[end] == numbers[end - 1] + 1):
            end += 1
        if end - k >= min_rows:
            parted = _numbered_run_parted(region, k, end, unit)
            if parted is not None:
                return parted
        k = max(end, k + 1)
    return region


def _numbered_run_parted(region: list[list[Box]], top: int, end: int, unit: float) -> list[list[Box]] | None:
    """``_numbered_rows_parted`` for the numbered rows ``top:end`` under their header row, or None."""
    words = [word_extents(cells[0]) for cells in region[top:end]]
    starts = [w[1][2] for w in words]
    if max(starts) - min(starts) > 0.5 * unit:
        return None
    at = sum(starts) / len(starts)
    head = region[top - 1][0]
    head_words = word_extents(head)
    split = next((i for i in range(1, len(head_words)) if abs(head_words[i][2] - at) <= 0.5 * unit), None)
    if split is None:
        return None
    out = [list(cells) for cells in region]
    out[top - 1] = [*_split_word(head, head_words, split), *out[top - 1][1:]]
    for k, w in zip(range(top, end), words, strict=True):
        out[k] = [*_split_word(region[k][0], w, 1), *out[k][1:]]
    return out


def _flush_right_column(region: list[list[Box]], bounds: list[float], unit: float, rules: Sequence[Rule],
                        min_rows: int = 4) -> float | None:
    """Where a ruled table's last column is set flush right with ragged left edges (descriptions or
    assumptions aligned to the table's right border): its right edge, else None. Lines of text are set flush
    left (or justified), so such a column is a table's however long its cells; it needs drawn rules across
    the region (a table's top, header or foot), as a right-aligned block beside text has none."""
    lasts = [cells[-1] for cells in region if len(cells) > 1 and cells[-1].x0 > bounds[-1]]
    if len(lasts) < min_rows:
        return None
    right = _median(b.x1 for b in lasts)
    flush = [b for b in lasts if abs(b.x1 - right) <= 0.5 * unit]
    if len(flush) < 0.8 * len(lasts) or max(b.x0 for b in flush) - min(b.x0 for b in flush) < 3 * unit:
        return None
    members = [b for cells in region for b in cells]
    x0, y0, y1 = min(b.x0 for b in members), min(b.y0 for b in members), max(b.y1 for b in members)
    across = [y for r_x0, r_x1, y in merged_rules(rules)
              if y0 - 2 * unit < y < y1 + 2 * unit and r_x0 <= x0 + unit and r_x1 >= right - unit]
    return right if across else None


def _numeric_table_segments(region: list[list[Box]], unit: float, rules: Sequence[Rule],
                            min_numbers: float = 0.5) -> list | None:
    """``_table_segments`` of a region whose columns are set so far apart that they would be read as text
    columns: taken only when each table in it has three columns or more and mostly figures in its cells
    (a table of numbers; an index or a list set in columns has words), and no column of long lines (a text
    column beside the table)."""
    segments = _table_segments(region, unit, rules)
    if segments is None:
        return None
    for part in segments:
        if isinstance(part, Table):
            cells = [c for row in part.cells for c in row if c]
            if len(part.cells[0]) < 3 or sum(bool(_NUMBER.match(c.strip())) for c in cells) < min_numbers * len(cells):
                return None
            lengths = [sorted(len(row[j]) for row in part.cells if row[j]) for j in range(len(part.cells[0]))]
            if any(column and column[len(column) // 2] > 30 and _lower_case([row[j] for row in part.cells])
                   for j, column in enumerate(lengths)):
                return None  # a column of text lines set beside the table
    return segments


def _lower_case(texts: list[str]) -> bool:
    """Whether most letters of ``texts`` are lower case, as a text column's running lines are: a column of
    long lines set in capitals (a line printer's listing, "ROCHESTER, MAYO CLINIC METHODIST HOSPITA" beside its
    counts) holds a table's row labels, not text set beside the table."""
    letters = [c for text in texts for c in text if c.isalpha()]
    return 2 * sum(c.islower() for c in letters) > len(letters)


def _join_sections(groups: list[tuple[bool, list[list[Box]]]], unit: float, rules: Sequence[Rule] = (),
                   max_chars: int = 60) -> list[tuple[bool, list[list[Box]]]]:
    """Rows of cells with a section heading between them ("Private schools" over the rows it heads) are one
    table: a single short line that starts where the rows above and below start, between two runs of table
    rows, is a row of the table (the heading in its first cell), not text that ends it; so is a heading set
    over the value columns (``_spanning_heading``) however long: it lies within the table's width, between its
    rows ("Relationship between individual characteristics and the probability of participating in the 2001
    Follow-Up Survey", 113 characters, over a balancing regression's rows). Not between two tables of one layout,
    the rows above and the rows below each opening with the same header, ruled under (``_second_table``)."""
    out: list[tuple[bool, list[list[Box]]]] = []
    i = 0
    while i < len(groups):
        is_text, rows_ = groups[i]
        if (is_text and out and not out[-1][0] and i + 1 < len(groups) and not groups[i + 1][0]
                and len(rows_) == 1 and len(rows_[0]) == 1 and not _second_table(out[-1][1], groups[i + 1][1], rules,
                                                                                    unit)):
            line, chars = rows_[0][0], len(rows_[0][0].text.strip())
            left = min(cells[0].x0 for cells in out[-1][1] + groups[i + 1][1])
            if (abs(line.x0 - left) <= unit and chars <= max_chars
                    or _spanning_heading(line, out[-1][1], groups[i + 1][1], unit)
                    or _heading_under_header(line, out[-1][1], groups[i + 1][1], rules, unit)):
                out[-1] = (False, out[-1][1] + rows_ + groups[i + 1][1])
                i += 2
                continue
        if (is_text and out and not out[-1][0] and i + 1 < len(groups) and not groups[i + 1][0]
                and len(rows_) == 2 and all(len(cells) == 1 for cells in rows_)):
            # a section's heading and its subsection's, the second set in under the first ("Other comprehensive
            # income, net of tax" / "  Items that will not be reclassified"), where the rows start: rows too
            left = min(cells[0].x0 for cells in out[-1][1] + groups[i + 1][1])
            section, subsection = rows_[0][0], rows_[1][0]
            if (all(abs(cells[0].x0 - left) <= unit and len(cells[0].text.strip()) <= max_chars for cells in rows_)
                    and subsection.x0 - section.x0 >= 0.3 * unit):
                out[-1] = (False, out[-1][1] + rows_ + groups[i + 1][1])
                i += 2
                continue
        if (is_text and i + 1 < len(groups) and not groups[i + 1][0] and len(rows_) == 1 and len(rows_[0]) == 1
                and len(rows_[0][0].text.strip()) <= max_chars and (
                    _group_heading(rows_[0][0], groups[i + 1][1], unit)
                    or _ruled_group_heading(rows_[0][0], groups[i + 1][1], rules))):
            groups[i + 1] = (False, rows_ + groups[i + 1][1])
            i += 1
            continue
        out.append((is_text, rows_))
        i += 1
    return out


def _second_table(above: list[list[Box]], below: list[list[Box]], rules: Sequence[Rule], unit: float) -> bool:
    """The rows ``below`` a line are a second table set under the table ``above``, not a section of it: both open
    with the same header, a row of as many cells with the same first cell, ruled under (``_header_rows``). ICDAR
    us-034: two typed tables, each "Design effect" over "Proportion 1.0 1.1 ..." over a row of dashes, were one
    table with "Design effect" a section heading in it. A section heading over rows whose first row alone is
    ruled under (an arXiv paper's "Equation 5: ..." between two regressions' rows) stays the table's."""
    return (len(above[0]) == len(below[0]) and above[0][0].text.strip() == below[0][0].text.strip()
            and _header_rows(above, rules, unit) > 0 and _header_rows(below, rules, unit) > 0)


def _spanning_heading(line: Box, above: list[list[Box]], below: list[list[Box]], unit: float,
                      max_gap: float = 2.5) -> bool:
    """A heading set over the value columns of a table between two runs of its rows ("Projected enrollment,
    in thousands" centred over the years): it lies within the columns' width, right of where the rows
    start, close to the rows over and under it, and the rows on both sides have as many cells, or it stands
    centred across the table (a group heading over the rows under it, "Open-source (unified) LMMs", under a
    header whose spanning cells, or over rows whose joined cells, count fewer)."""
    rows_ = above + below
    left, right = min(c[0].x0 for c in rows_), max(c[-1].x1 for c in rows_)
    return (line.x0 > left + unit and line.x1 <= right + unit
            and line.y0 - max(b.y1 for b in above[-1]) <= max_gap * unit
            and min(b.y0 for b in below[0]) - line.y1 <= max_gap * unit
            and (max(len(c) for c in above) == max(len(c) for c in below)
                 or abs((line.x0 + line.x1) / 2 - (left + right) / 2) <= 2 * unit))


def _heading_under_header(line: Box, above: list[list[Box]], below: list[list[Box]], rules: Sequence[Rule],
                          unit: float, max_gap: float = 2.5) -> bool:
    """The first group heading of a table's body, set right under its header: the rows ``above`` are the whole
    header (``_header_rows``: the rule across the table under them, booktabs' midrule), the line lies within
    the table's width, close over the rows ``below``. A header's cells span and stack ("Reasoning Accuracy" over
    "MATH- ... Olym.-" over "500 ... Bench", its "Avg." set between two lines), so it counts fewer cells than
    the body's rows (``_spanning_heading`` asks as many): 2510.14943's Table 1, its header parted from its body
    at "OctoThinker-3B-Short-Base"."""
    rows_ = above + below
    left, right = min(c[0].x0 for c in rows_), max(c[-1].x1 for c in rows_)
    return (line.x0 >= left - unit and line.x1 <= right + unit
            and min(b.y0 for b in below[0]) - line.y1 <= max_gap * unit
            and _header_rows(above + [[line]] + below, rules, unit) == len(above))


def _group_heading(line: Box, below: list[list[Box]], unit: float, max_gap: float = 1.0) -> bool:
    """A heading set over a group of the value columns right over a table's first row ("Lead time (years)"
    over "1 2 3 4", "Year of data" over the years): right of the labels of the rows that start at the table's
    left edge, within their width, in their type size, less than ``max_gap`` line heights over their first
    row, or over the first with a cell under it (a caption stands further off, or starts at the table's left
    edge). The stub's heading may stand lower, centred on the header's two lines ("Model" beside "Overall"
    over "Complete  Weighted"), and the header's row of the columns it heads starts right of it."""
    left = min(cells[0].x0 for cells in below)
    labels = [cells[0].x1 for cells in below if len(cells) > 1 and cells[0].x0 <= left + unit]
    if not labels:
        return False
    right = max(cells[-1].x1 for cells in below)
    sizes = sorted(b.text_size for cells in below for b in cells)
    size = sizes[len(sizes) // 2]
    under = [cells for cells in below if any(min(c.x1, line.x1) > max(c.x0, line.x0) for c in cells)]
    return (line.x0 > max(labels) and line.x1 <= right + unit and abs(line.text_size - size) <= 0.15 * size
            and any(0 <= min(b.y0 for b in cells) - line.y1 <= max_gap * unit for cells in (below[0], *under[:1])))


def _ruled_group_heading(line: Box, below: list[list[Box]], rules: Sequence[Rule]) -> bool:
    """A heading over a group of a table's columns with a rule drawn under it over that group ("Current
    expenditures" over "Constant dollars" and "Current dollars"), right over the table's rows: the rule
    lies between them, under the heading's middle, and a line of the rows under it stands wholly left of
    it (``_group_rule``: not the table's border)."""
    members = [b for cells in below for b in cells]
    return any(_group_rule(members, x0, y)
               for x0, _, y in _rules_beneath(line, min(b.y0 for b in below[0]), merged_rules(rules)))


def _rules_beneath(line: Box, top: float, rules: Sequence[Rule]):
    """The rules drawn between a heading ``line`` and the rows whose top is ``top``, under the heading's middle."""
    middle = (line.x0 + line.x1) / 2
    return (r for r in rules if line.y1 - 0.25 * line.height <= r[2] <= top + 0.25 * line.height
            and r[0] <= middle <= r[1])


def _table_of(run: list[list[Box]], unit: float, rules: Sequence[Rule], min_rows: int) -> Table | None:
    """The table that a region's rows of cells are, or None when they are not one."""
    multi = [cells for cells in run if len(cells) > 1]
    if len(multi) < min_rows:
        return None
    head = _header_rows(run, rules, unit)
    bounds = _column_bounds(run[head:] if head > 1 else run, unit)
    if not bounds:
        return None
    ncols = len(bounds) + 1
    members = [b for cells in run for b in cells]
    x0, x1 = min(b.x0 for b in members), max(b.x1 for b in members)
    y0, y1 = min(b.y0 for b in members), max(b.y1 for b in members)
    lengths = sorted(len(b.text.strip()) for b in members)
    median_len = lengths[len(lengths) // 2]
    ruled = any(r_y >= y0 - 1.5 * unit and r_y <= y1 + 1.5 * unit and min(r_x1, x1) - max(r_x0, x0) >= 0.6 * (x1 - x0)
                for r_x0, r_x1, r_y in rules)
    # long cells, but a table's
    described = _flush_right_column(run, bounds, unit, rules) is not None or _ruled_entries(run, bounds, unit, rules)
    if ncols == 2 and median_len > (30 if ruled else 15) and not described:
        return None
    if ncols == 2 and not ruled and (len(multi) < 4 or all(is_page_number(c[-1].text) for c in multi)):
        return None  # a short list, or a table of contents
    if ncols >= 3 and not ruled and (median_len > 20 or len(multi) < 0.6 * len(run) or len(multi) < 3):
        return None  # unruled: at least three rows of short cells (two rows of fragments are often text)
    if _numbered_listing(multi):
        return None
    grid: list[list[list[str]]] = []
    groups = _header_group_rules(run[:head], run[head], merged_rules(rules), bounds, (x0, x1), unit) if head > 1 else []
    if groups:
        grid = _banded_header(run[:head], groups, bounds, ncols)
    elif head > 1:  # a header of several lines over the rule under it: its wrapped lines one row, each cell in
        joining = False  # the column it lies over; a line spanning columns (a group's heading) a row of its own
        pieces = merged_rules(rules)
        for k, cells in enumerate(run[:head]):
            under = [_rule_under(cell, run[k + 1], pieces, bounds, x1 - x0) if k + 1 < head else None
                     for cell in cells]
            spanning = (any(_covered_columns(cell, bounds) for cell in cells) or _group_row(cells, bounds)
                        or any(under) or _column_numbers(cells))
            if not joining or spanning:
                grid.append([[] for _ in range(ncols)])
            for cell, rule in zip(cells, under, strict=True):
                column = _header_column(cell, bounds) if rule is None else _first_covered(rule, bounds)
                grid[-1][column].append(cell.text)
            joining = not spanning
    body = run[head if head > 1 else 0:]
    bands = _ruled_row_bands(body, rules, ncols)
    baselines: list[float] = []  # of the rows read here (not the header's joined above)
    bottoms = [max(c.y1 for c in cells) for cells in run]
    pitch = _median(b - a for a, b in zip(bottoms, bottoms[1:], strict=False))
    previous: list[Box] = []  # the cells of the last row read here
    previous_columns: list[int] = []
    for k, cells in enumerate(body):
        columns = _apart(cells, [sum(1 for x in bounds if x < (c.x0 + min(c.x1, c.x0 + 2 * unit)) / 2) for c in cells],
                         bounds)
        if bands and k and bands[k] == bands[k - 1]:  # a line of the ruled row above: into its cells
            for cell, col in zip(cells, columns, strict=True):
                grid[-1][col].append(cell.text)
            continue
        if (len(cells) == 1 and columns[0] > 0 and grid and not any(cells[0].x0 < x < cells[0].x1 for x in bounds)
                and not _figure_under_figure(cells[0].text, grid[-1][columns[0]])):
            grid[-1][columns[0]].append(cells[0].text)
            continue
        if baselines and (_wrapped_label(cells[0], cells, previous, bounds, baselines[-1], pitch)
                          or len(cells) == 1 and columns[0] == 0 and _hangs_under(cells[0], previous, unit)):
            grid[-1][0].append(cells[0].text)
            baselines[-1] = cells[0].y1
            continue
        if baselines and (_wrapped_row(cells, columns, previous, previous_columns, baselines[-1], unit)
                          or len(previous) == 1 and previous_columns == [0] and _hangs_under(cells[0], previous, unit)):
            for cell, col in zip(cells, columns, strict=True):
                grid[-1][col].append(cell.text)
            baselines[-1] = max(c.y1 for c in cells)
            continue
        if _centred_over_values(cells, bounds, x1, unit):
            columns = [1]
        row: list[list[str]] = [[] for _ in range(ncols)]
        for cell, col in zip(cells, columns, strict=True):
            row[col].append(cell.text)
        grid.append(row)
        baselines.append(max(c.y1 for c in cells))
        previous, previous_columns = cells, columns
    if head <= 1:
        _join_wrapped_header(grid, baselines)
    texts = [[join_lines(parts) for parts in row] for row in grid]
    keep = [c for c in range(ncols) if any(row[c] for row in texts)]
    texts = _headings_into_their_columns([[row[c] for c in keep] for row in texts])
    if len(texts[0]) < 2:
        return None
    if not ruled and _side_by_side_lists(texts):
        return None  # lists set side by side (a slide's columns): each read to its end, not across
    filled = sum(1 for row in texts for c in row if c) / max(sum(len(row) for row in texts), 1)
    long_cells = sum(1 for b in members if len(b.text.strip()) > 45) / len(members)
    # rows of a label and figures hold long lines in the label column only (a statement's long labels)
    figures = sum(_label_and_figures(cells, bounds) for cells in multi) >= 0.8 * len(multi)
    if filled < 0.35 or long_cells > 0.15 and not described and not figures:
        return None  # sparse labels of a figure, or lines of text columns: not a table
    cells = [c for row in texts for c in row if c]
    if sum(1 for c in cells if not c.strip(" .·…_")) > 0.1 * len(cells):
        return None  # a form's lines, their dot leaders cut into cells of their own
    return Table(x0, y0, x1, y1, texts, members)


def _figure_under_figure(text: str, above: list[str]) -> bool:
    """A lone figure under a figure in its column is a row of its own (an invoice's total under the last item's
    amount), not the cell above wrapped onto a second line: figures do not wrap. A figure in brackets under one
    ("(0.03)" under a coefficient, its standard error) stays with it."""
    text = text.strip()
    return (bool(above) and bool(_NUMBER.match(text)) and not text.startswith("(")
            and bool(_NUMBER.match(above[-1].strip())) and any(ch.isdigit() for ch in above[-1]))


def _ruled_row_bands(run: list[list[Box]], rules: Sequence[Rule], ncols: int, min_bands: int = 3) -> list[int] | None:
    """Rows ruled one by one, their cells wrapped onto several lines ("Parastratiosph" / "ecomyiastratio"
    under one rule, "Says" and "bzzzzzzz" beside the first): for each line of ``run``, the band between two
    rules across the table that it lies in; None unless there are ``min_bands`` bands or more, each holds
    exactly one line with a cell in every column and its other lines cells in half the columns at most (a
    header rule and a bottom rule part a table into header and body: its body band holds many full lines;
    rules between groups of rows part groups whose lines are rows of their own, with a cell in most columns;
    a row with an empty cell keeps its lines as they are)."""
    members = [b for cells in run for b in cells]
    x0, x1 = min(b.x0 for b in members), max(b.x1 for b in members)
    y0, y1 = min(b.y0 for b in members), max(b.y1 for b in members)
    cuts = [y for r_x0, r_x1, y in merged_rules(rules)
            if y0 < y < y1 and min(r_x1, x1) - max(r_x0, x0) >= 0.9 * (x1 - x0)]
    if len(cuts) < min_bands - 1:
        return None
    bands = [sum(1 for y in cuts if min((b.y0 + b.y1) / 2 for b in cells) > y) for cells in run]
    if len(set(bands)) == len(bands):
        return None  # one line a band: nothing to join
    full = [band for band, cells in zip(bands, run, strict=True) if len(cells) >= ncols]
    wrapped = all(len(cells) >= ncols or len(cells) <= (ncols + 1) // 2 for cells in run)
    return bands if wrapped and sorted(full) == sorted(set(bands)) else None


def _centred_over_values(cells: list[Box], bounds: list[float], right: float, unit: float) -> bool:
    """A row of one line set across the value columns' borders, centred over them ("Enrollment, in thousands"
    over the years' figures): a heading spanning those columns, whose text a spanning cell's grid holds in the
    first of them."""
    if len(cells) != 1 or not bounds:
        return False
    line = cells[0]
    return (line.x0 > bounds[0] and any(line.x0 < x < line.x1 for x in bounds)
            and abs((line.x0 + line.x1) / 2 - (bounds[0] + right) / 2) <= 2 * unit)


def _wrapped_row(cells: list[Box], columns: list[int], previous: list[Box], previous_columns: list[int],
                 above: float, unit: float) -> bool:
    """A row whose label and values both wrap onto a second line ("Disposable income per capita in" / "constant
    dollars" beside "Annual percent changes range between -1.9% and 2.2%" / "with an annual growth rate of
    1.4%"): the line's label continues the row's label with a hanging indent (further right than it) and a
    small letter, right under the row (less than a line's height between them), and its other cells stand in
    columns the row has cells in, none a figure. A row indented under a heading starts a row (the heading has
    no values), and so does a row of figures ("sexM  -1.6364  5.8842" under "(Intercept)  ...")."""
    first = cells[0].text.lstrip()
    return (len(cells) >= 2 and len(previous) >= 2 and columns[0] == 0 and previous_columns[:1] == [0]
            and cells[0].x0 >= previous[0].x0 + 0.5 * unit and first[:1].islower()
            and min(c.y0 for c in cells) - above < unit and set(columns) <= set(previous_columns)
            and not any(_NUMBER.match(c.text.strip()) for c in cells))


def _wrapped_label(line: Box, cells: list[Box], previous: list[Box], bounds: list[float], above: float,
                   pitch: float, tight: float = 0.9) -> bool:
    """A row's label wrapped onto a line of its own under the row ("American Indian/Alaska" over "Native"):
    the line is alone in the first column, under a row with a label and figures, closer under it than the
    table's rows are apart, and not left of the label it continues (a heading of the next rows stands as
    far off as a row, or further left)."""
    return (len(cells) == 1 and line.x0 < bounds[0] and len(previous) > 1 and previous[0].x0 < bounds[0]
            and line.x0 >= previous[0].x0 - 0.5 and line.bold == previous[0].bold
            and line.y1 - above < tight * pitch)


def _join_wrapped_header(grid: list[list[list[str]]], baselines: list[float], max_rows: int = 3,
                         tight: float = 0.9) -> None:
    """An unruled table's column headings wrapped onto a second line ("Sample" over "size", "Proportion"
    over "(total)") are read as a row of their own. A top row whose first (stub) cell is empty, whose cells
    are words (no figure) each under a heading of the row above, set closer to it than the body's rows are
    to each other, is that row's second line: joined into it, in place. The first row with a stub cell
    (the body's first) ends the search."""
    pitches = sorted(b - a for a, b in zip(baselines, baselines[1:], strict=False))
    if len(grid) < 4 or not pitches:
        return
    pitch = pitches[len(pitches) // 2]
    k = 1
    while k < min(len(grid) - 2, max_rows + 1) and not grid[k][0]:
        row, above = grid[k], grid[k - 1]
        wrapped = (any(row) and all(above[c] for c, parts in enumerate(row) if parts)
                   and not any(_NUMBER.match(join_lines(parts).strip()) for parts in row if parts)
                   and baselines[k] - baselines[k - 1] < tight * pitch)
        if not wrapped:
            k += 1
            continue
        for c, parts in enumerate(row):
            above[c].extend(parts)
        del grid[k], baselines[k - 1]


def _headings_into_their_columns(texts: list[list[str]], min_body: int = 3) -> list[list[str]]:
    """A column whose only texts lie in rows above the first text of a neighbouring column, which holds
    ``min_body`` texts or more below, is that column's heading set off it ("Elementary" / "ungraded" set
    wider than the figures under them, whose gap with the column to the left is cut twice): its texts go
    into the neighbour (the right one first) and the column goes."""
    changed = True
    while changed and len(texts[0]) > 2:
        changed = False
        for c in range(len(texts[0])):
            rows_with = [i for i, row in enumerate(texts) if row[c]]
            for n in (c + 1, c - 1):
                if not 0 <= n < len(texts[0]) or not rows_with:
                    continue
                first = next((i for i, row in enumerate(texts) if row[n]), len(texts))
                if rows_with[-1] < first and sum(bool(row[n]) for row in texts) >= min_body:
                    texts = [[*row[:c], *row[c + 1:]] for row in
                             [[*r[:n], r[c] or r[n], *r[n + 1:]] for r in texts]]
                    changed = True
                    break
            if changed:
                break
    return texts


def _header_rows(run: list[list[Box]], rules: Sequence[Rule], unit: float, max_rows: int = 6) -> int:
    """How many of a table's first rows are its header: the rows over the first drawn rule across the table
    that passes between two of its rows (the rule under a header, booktabs' midrule) with two body rows or
    more under it; 0 when there is no such rule, or when two rows over that rule are rows of a label and figures
    (``_figures_row``): the rule parts two groups of the body (the rules between a results table's groups of
    methods, "Base  3.7  1.3  -" over "GRPO  49.8  25.3  -"), whose rows a header would join into one."""
    members = [b for cells in run for b in cells]
    x0, x1 = min(b.x0 for b in members), max(b.x1 for b in members)
    across = [(r_x0, y) for r_x0, r_x1, y in merged_rules(rules) if min(r_x1, x1) - max(r_x0, x0) >= 0.6 * (x1 - x0)]
    for k in range(1, min(max_rows, len(run) - 2) + 1):
        above = max((b.y0 + b.y1) / 2 for b in run[k - 1])
        below = min((b.y0 + b.y1) / 2 for b in run[k])
        if any(above < y < below and not any(b.y0 + 0.25 * b.height < y < b.y1 - 0.25 * b.height
                                             for b in run[k - 1] + run[k]) and not _group_rule(members, r_x0, y)
               for r_x0, y in across):
            return 0 if sum(_figures_row(cells) for cells in run[:k]) >= 2 else k
    return 0


def _column_numbers(cells: list[Box]) -> bool:
    """A header line of the columns' numbers only ("(1)  (2)  (3)" over a regression table's columns): a row of
    its own, not the first line of the headings under it (its "(1)" is no part of "VRT")."""
    return len(cells) >= 2 and all(_NUMBERED_MARKER.match(c.text.strip()) for c in cells)


def _figures_row(cells: list[Box]) -> bool:
    """A body row: a label, then cells of which two or more, and at least half, are figures or dashes ("GRPO  49.8
    25.3  -  -", "Qwen2-VL  Qwen2-1.5B  41.1  74.9")."""
    values = [c.text.strip() for c in cells[1:]]
    figures = sum(bool(_NUMBER.match(v)) or v in _CURRENCY_OR_DASH for v in values)
    return any(ch.isalpha() for ch in cells[0].text) and figures >= max(2, len(values) / 2)


def _group_row(cells: list[Box], bounds: list[float]) -> bool:
    """A header line of group headings ("Women" ... "Men", "Hispanic" ... "non-Hispanic"): each of its cells
    right of the first column is set across a border of the columns it heads (a wrapped column heading
    stands inside its column); the first column's heading may stand on the line too."""
    groups = [cell for cell in cells if cell.x0 > bounds[0]]
    return bool(groups) and all(any(cell.x0 < x < cell.x1 for x in bounds) for cell in groups)


def _header_group_rules(header: list[list[Box]], first_body: list[Box], pieces: Sequence[Rule],
                        bounds: list[float], across: tuple[float, float], unit: float) -> list[Rule]:
    """The rules drawn inside a table's header under a heading over a group of columns: between the header's
    first line and the body, over two columns or more but not across the table (from ``across``'s left to its
    right: a rule under "Race" over every column but the labels' is a group's), each under a line of the header
    (booktabs' cmidrules, a statistical table's rule under "Current expenditures")."""
    lines = [b for cells in header for b in cells]
    top, bottom = min(b.y1 for b in lines), min(b.y0 for b in first_body)
    return [(x0, x1, y) for x0, x1, y in pieces
            if top - 1 < y < bottom and sum(1 for x in bounds if x0 < x < x1) >= 1
            and (x0 > across[0] + unit or x1 < across[1] - unit)
            and any(b.y1 - 0.25 * b.height <= y and x0 <= (b.x0 + b.x1) / 2 <= x1 for b in lines)]


def _banded_header(header: list[list[Box]], groups: list[Rule], bounds: list[float],
                   ncols: int) -> list[list[list[str]]]:
    """A header with group rules (``_header_group_rules``) as rows parted at those rules' heights: a line is read
    in the row of the number of group rules drawn over it (over its middle), so a group's heading stands in the
    row above its columns' headings, and a heading under no group rule, beside the groups, spans every row and
    is read in the first (as a spanning cell's grid holds it: "School year" beside "Current expenditures" over
    "Constant dollars" over "Total"). A heading's lines (stacked in one row) are one cell: with a rule of its
    own right under it, it stands in the first column that rule covers; one of two headings over one rule
    ("Blood Pressure" and "Fasting Blood Sugar"), in the first column it lies over."""
    def beneath(line: Box) -> list[Rule]:
        return [r for r in groups if r[0] <= (line.x0 + line.x1) / 2 <= r[1] and r[2] >= line.y1 - 0.25 * line.height]

    lines = sorted((b for cells in header for b in cells), key=lambda b: (b.y0, b.x0))
    bands = [sum(1 for r in groups if r[0] <= (b.x0 + b.x1) / 2 <= r[1] and r[2] < (b.y0 + b.y1) / 2)
             for b in lines]
    cells: list[tuple[int, list[Box]]] = []  # (band, the heading's lines, top to bottom)
    for line, band in zip(lines, bands, strict=True):
        stack = next((c for b, c in cells if b == band and min(c[-1].x1, line.x1) > max(c[-1].x0, line.x0)
                      and line.y0 - c[-1].y1 < 0.75 * line.height), None)
        if stack is None:
            cells.append((band, [line]))
        else:
            stack.append(line)
    grid: list[list[list[str]]] = [[[] for _ in range(ncols)] for _ in range(max(bands) + 1)]
    for band, stack in cells:
        extent = union(stack)
        below = beneath(stack[-1])
        rule = min(below, key=lambda r: r[2]) if below else None
        shared = rule is not None and any(b == band and rule in beneath(s[-1]) and min(union(s).x1, extent.x1)
                                          <= max(union(s).x0, extent.x0) for b, s in cells)  # a heading beside it
        if rule is None:
            column = _header_column(extent, bounds)
        else:
            column = _first_covered((extent.x0, extent.x1, 0.0) if shared else rule, bounds)
        grid[band][column].extend(b.text for b in stack)
    return grid


def _rule_under(cell: Box, below: list[Box], rules: Sequence[Rule], bounds: list[float],
                width: float) -> Rule | None:
    """The rule drawn under a header cell, between it and the header line below, over two columns or more
    but not across the table (``width``), under the cell's middle: the cell heads that group of columns
    (booktabs' cmidrule, a statistical table's rule under "Total" over "PK-12 PK-8 9-12"), even where it is
    set inside one of them. None if there is none."""
    return next(((x0, x1, y) for x0, x1, y in _rules_beneath(cell, min(b.y0 for b in below), rules)
                 if any(x0 < x < x1 for x in bounds) and x1 - x0 < 0.9 * width), None)


def _first_covered(rule: Rule, bounds: list[float]) -> int:
    """The first column a group's rule lies over for half of the column's width or more (its ends may reach a
    little into the columns beside the group)."""
    edges = [float("-inf"), *bounds, float("inf")]
    for j, (lo, hi) in enumerate(zip(edges, edges[1:], strict=False)):
        inside = min(hi, rule[1]) - max(lo, rule[0])
        if inside > 0 and inside >= 0.5 * min(hi - lo, rule[1] - rule[0]):
            return j
    return _header_column(Box(rule[0], 0, rule[1], 0, ""), bounds)


def _header_column(cell: Box, bounds: list[float]) -> int:
    """The column a header cell heads: the one it overlaps most (a heading centred over a right-aligned
    column of figures reaches over the bound to its left); one spanning two columns or more heads the first."""
    edges = [float("-inf"), *bounds, float("inf")]
    overlaps = [max(0.0, min(cell.x1, hi) - max(cell.x0, lo)) for lo, hi in zip(edges, edges[1:], strict=False)]
    covered = _covered_columns(cell, bounds)
    if covered:
        return max(0, covered[0] - (1 if overlaps[covered[0] - 1] > 0.3 * (edges[covered[0] + 1] - edges[covered[0]]) else 0))
    return max(range(len(overlaps)), key=lambda j: (overlaps[j], -j))


def _covered_columns(cell: Box, bounds: list[float]) -> list[int]:
    """The inner columns (between two bounds) a cell reaches over from side to side."""
    return [j for j in range(1, len(bounds)) if cell.x0 <= bounds[j - 1] and bounds[j] <= cell.x1]


_ITEM = re.compile(rf"^\s*(?:([{BULLETS}*])|(\d{{1,3}})[.)])\s+\S*[^\W\d_]")


def _is_list_column(cells: list[str]) -> bool:
    """A column's texts (top to bottom, empty ones out) are the items of one list: each after the first (which
    may be the list's lead-in, "Some info:") starts with one bullet glyph, or with numbers going up by one,
    and holds a word after it. A table's column of row numbers ("1. Revenue") is one such column; a table of
    figures or labels has none."""
    items = [_ITEM.match(text) for text in cells]
    if items and items[0] is None:
        items = items[1:]
    if len(items) < 2 or not all(items):
        return False
    bullets = {m.group(1) for m in items}
    if bullets != {None}:
        return len(bullets) == 1
    numbers = [int(m.group(2)) for m in items]
    return all(b - a == 1 for a, b in zip(numbers, numbers[1:], strict=False))


def _side_by_side_lists(texts: list[list[str]]) -> bool:
    """Columns of list items side by side, each a list of its own (a slide's or a leaflet's lists set in
    columns): two columns or more, and at least half of them, are each one list. Their rows are no records:
    "1. List item4 | • I1 | Some info:" read across mixes three lists. A table numbers its rows in one column
    only."""
    columns = [[row[c] for row in texts if row[c]] for c in range(len(texts[0]))]
    lists = sum(_is_list_column(column) for column in columns)
    return lists >= 2 and 2 * lists >= len(columns)


def _numbered_listing(multi: list[list[Box]]) -> bool:
    """Line-numbered code: a first column of consecutive small integers beside lines that are not figures (a
    table of figures numbers its rows so too: "1  100  200", a serial number before each row)."""
    firsts = [cells[0].text.strip() for cells in multi]
    if not all(f.isdigit() for f in firsts):
        return False
    numbers = [int(f) for f in firsts]
    rest = [c.text.strip() for cells in multi for c in cells[1:]]
    figures = sum(bool(_NUMBER.match(text)) for text in rest)
    return all(b - a == 1 for a, b in zip(numbers, numbers[1:], strict=False)) and figures < 0.5 * len(rest)


# --- one page ---------------------------------------------------------------------------------------------


MIN_BODY_SHARE = 0.1  # furniture is what a page carries beside its body: a page left with less than this share
# of its letters by the furniture rules has no body beside them (a test file with one line per page, a form or a
# certificate repeated page after page, a sheet whose one line is set at its top edge): it keeps all its lines


def letter_count(texts: Iterable[str]) -> int:
    """Letters in the texts that are not page numbers ("xii", "Page 3": a blank page's number is no body)."""
    return sum(_letters(text) for text in texts if not is_page_number(text))


_ASCII_LETTERS = string.ascii_letters.encode()


def _letters(text: str) -> int:
    """``str.isalpha`` characters in the text, counted without a Python step per character where it is ASCII
    (its letters are then exactly a-z and A-Z): every page's letters are counted several times."""
    if text.isascii():
        return len(text) - len(text.encode().translate(None, _ASCII_LETTERS))
    return sum(map(str.isalpha, text))


def texts_emptied(kept: Iterable[str], whole: Iterable[str], min_share: float = MIN_BODY_SHARE) -> bool:
    """Whether the ``kept`` texts hold less than ``min_share`` of the letters of the ``whole`` page's (and it
    has letters: a page of a lone page number loses it). Extraction and the filter's edits ask it alike."""
    total = letter_count(whole)
    return bool(total) and letter_count(kept) < min_share * total


def emptied(body: Sequence[Box], lines: Sequence[Box], min_share: float = MIN_BODY_SHARE) -> bool:
    """``texts_emptied`` of a page's ``body`` among its ``lines``."""
    return texts_emptied((b.text for b in body), (b.text for b in lines), min_share)


@dataclass
class PageText:
    text: str
    furniture: list[Box]
    paragraphs: list[Paragraph]
    furniture_kept: bool = False  # the furniture rules would have emptied the page: it kept all its lines


    @property
    def furniture_chars(self) -> int:
        return sum(len(b.text.strip()) for b in self.furniture)


_TOC_NUMBER = re.compile(rf"^\s*{_PAGE_NO}\s*$", re.IGNORECASE)
_LEADER = re.compile(r"(?:\s*[.·…_]){3,}\s*$")


def _cells_between(row: Sequence[Box]) -> bool:
    """Between the row's first box (a title, or a section number) and its last (the number) stand figures or
    marks of their own ("0", "X", "0.285*", "-"), and only such from the first of them on: a table's row of
    cells ("Mean of the Outcome  0 0 0 0 0 0", "School Fixed Effects  X X X"). A table of contents has only
    the title and leaders there, or, set in two columns, an entry's number and the next entry's title."""
    marks = [bool(_TOC_NUMBER.match(b.text) or _NUMBER.match(b.text.strip()) or b.text.strip() in _DASHES)
             for b in row[1:-1]]
    return any(marks) and all(marks[marks.index(True):])


def _toc_candidates(text_rows: list[list[Box]]) -> list[list[Box]]:
    """Rows that end in a number set apart after a title (see ``merge_toc_rows``)."""
    candidates = []
    for row in text_rows:
        row = sorted(row, key=lambda b: b.x0)
        if len(row) >= 2 and _TOC_NUMBER.match(row[-1].text) and any(
                c.isalpha() for b in row[:-1] for c in b.text) and not _cells_between(row):
            candidates.append(row)
    return candidates


def _toc_entries(candidates: list[list[Box]], min_rows: int) -> list[list[Box]]:
    """The candidates whose numbers end at one right edge (or start at one left edge: revtex sets "9" and "11"
    flush left) and never go down: a contents list's entries."""
    if len(candidates) < min_rows:
        return []
    right = _median((r[-1].x1 for r in candidates), 0.0)
    left = _median((r[-1].x0 for r in candidates), 0.0)  # numbers set flush left in their box ("9", "11")
    toc = [r for r in candidates if abs(r[-1].x1 - right) <= 3 or abs(r[-1].x0 - left) <= 1]
    numbers = [int(r[-1].text) for r in toc if r[-1].text.strip().isdigit()]
    if len(toc) < min_rows or any(b < a for a, b in zip(numbers, numbers[1:], strict=False)):
        return []
    return toc


def merge_toc_rows(lines: Sequence[Box], min_rows: int = 3,
                   column_gutters: Sequence[tuple[float, float]] = ()) -> list[Box]:
    """A table of contents: rows that end in a page number set apart at one right edge (dot leaders between)
    become one line each, "3.2 Options 3", so that the numbers are not read as a column (or a table) of their
    own. Needs ``min_rows`` such rows on the page, their numbers right-aligned and never going down. A
    contents list set in the page's two text columns (its gutter the page's own or the document's,
    ``column_gutters``) is merged column by column: its rows' halves are entries of their own column, and a
    row made one line across the gutter would be read across it."""
    boxes = [b for b in lines if b.horizontal and not b.kind]
    text_rows = rows(boxes)
    if len(_toc_candidates(text_rows)) < min_rows:
        return list(lines)
    unit = _median((b.height for b in boxes), 1.0)
    gutters = text_column_gutters(boxes, unit) or [g for g in column_gutters if _columns_beside(boxes, g, unit)]
    columns: list[list[list[Box]]] = [[] for _ in range(len(gutters) + 1)]
    for row in text_rows:
        if any(b.x0 < g0 and g1 < b.x1 for b in row for g0, g1 in gutters):
            columns[0].append(row)  # a line across a gutter: the row is no two columns' halves
            continue
        for part in _split_at(row, gutters, "x") if gutters else [row]:
            columns[sum(1 for g0, _ in gutters if part[0].x0 >= g0)].append(part)
    toc = [r for column in columns for r in _toc_entries(_toc_candidates(column), min_rows)]
    if not toc:
        return list(lines)
    merged = {id(b) for r in toc for b in r}
    out = [b for b in lines if id(b) not in merged]
    for r in toc:
        title = _LEADER.sub("", " ".join(b.text.strip() for b in r[:-1]))
        out.append(union(r, text=f"{title} {r[-1].text.strip()}", size=r[0].size, bold=r[0].bold))
    return out


def page_text(
    lines: Sequence[Box],
    width: float,
    height: float,
    repeated: frozenset[str] | set[str] = frozenset(),
    words: set[str] | frozenset[str] = frozenset(),
    remove_furniture: bool = True,
    tables: bool = False,
    rules: Sequence[Rule] = (),
    by_region: bool = False,
    column_gutters: Sequence[tuple[float, float]] = (),
) -> PageText:
    """One page's lines (PDF lines, OCR lines from ``merge_words``, or finished blocks with a ``kind``) ->
    its text: furniture out, blocks in reading order, paragraphs separated by a blank line, headings and
    list items on lines of their own; with ``tables``, aligned cells become Markdown tables (``rules``: the
    page's drawn horizontal lines, see ``find_tables``); with ``by_region``, the OCR engine's own regions
    (``Box.region``) in the engine's order, each in reading order (``region_order``); ``column_gutters``: the
    document's gutters between text columns (``document_gutters``)."""
    lines = [b for b in lines if b.text.strip()]
    body, furniture = split_furniture(lines, width, height, repeated) if remove_furniture else (lines, [])
    kept = bool(furniture) and emptied(body, lines)
    if kept:
        body, furniture = lines, []
    body = merge_toc_rows(join_spaced_heading_words(merge_markers(join_sideways(body, words))),
                          column_gutters=column_gutters)
    body_size = body_text_size(body)
    paragraphs: list[Paragraph] = []
    if by_region:
        blocks = region_order(body)
    else:
        blocks = reading_order(body, tables=tables, rules=rules, column_gutters=column_gutters)
    for block in blocks:
        paras = block_paragraphs(block, body_size, words)
        if paragraphs and paras and _continues(paragraphs[-1], paras[0]):  # a paragraph across a column break
            prev = paragraphs.pop()
            paras[0] = Paragraph(join_lines([prev.text, paras[0].text], words), prev.kind,
                                 prev.lines + paras[0].lines)
        paragraphs.extend(paras)
    parts: list[str] = []
    for i, para in enumerate(paragraphs):
        if i:
            parts.append("\n" if para.kind == "list" and paragraphs[i - 1].kind == "list" else "\n\n")
        parts.append(para.text)
    return PageText("".join(parts), furniture, paragraphs, furniture_kept=kept)
